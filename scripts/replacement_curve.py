"""What a new fact replaces, measured: the evidence and the thresholds' curve on scenario files.

    python scripts/replacement_curve.py --data ../shared/data/scenarios/dev.json \
        --data ../shared/data/scenarios/dev-limits.json

No language model: each file's teachings are learned in order with the app's model-free
steps (the correction's subject, aliases and sentence; a statement's subject and
sentence), each written through ``GraphStore.apply_correction`` with its vectors. Before
each one, every fact it could replace (``replacement.candidate_facts``) is compared
with it (``replacement.evidence``) and labelled from the file: an update when a later
``update`` ask rejects that fact's value and expects the new one, or a later
``history`` ask expects the old value and names the new one. The graph then takes the
labelled replacements (the file's own answer), so each teaching meets the graph the
file intends.

Printed: for questions, how many updates and other facts (of a kind that can meet)
reach each closeness; for statements, the best candidate's closeness for each statement
that changed a fact and for the subject's other facts; then what the rule, with the
thresholds in ``tuning.SameQuestion``, replaces: updates found, updates missed and
facts lost, each listed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.facts import AddFact, CorrectionInput, RemoveFact  # noqa: E402
from assistant.language.fact_wording import said_to_user  # noqa: E402
from assistant.learning.correction import (  # noqa: E402
    fact_sentence_of,
    new_fact,
    with_question_relation,
)
from assistant.learning.replacement import candidate_facts, evidence  # noqa: E402
from assistant.learning.statements import sentence_for, stated_fact, statement_subject  # noqa: E402
from assistant.learning.subject import aliases_in, correction_subject  # noqa: E402
from assistant.learning.tuning import SameQuestion, same_question, statement_closeness  # noqa: E402
from assistant.store.database import open_database  # noqa: E402
from assistant.store.graph_store import GraphStore  # noqa: E402

CURVE = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85)
STATEMENT_CURVE = (0.1, 0.15, 0.2, 0.22, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


def _near(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a in b or b in a


def changed(later: list[dict], old: str, new: str) -> bool:
    """The file says ``old`` was replaced by ``new``."""
    for step in later:
        kind = step.get("kind")
        rejected = any(_near(old, r) for r in step.get("reject", []))
        if kind == "update" and rejected and any(_near(new, e) for e in step["expect"]):
            return True
        was = any(_near(old, e) for e in step.get("expect", []))
        named = any(w.lower() in step.get("ask", "").lower() for w in new.split() if len(w) > 3)
        if kind == "history" and was and named:
            return True
    return False


def teaching(store: GraphStore, step: dict):
    """(new fact, the correction to record, its sentence, relation) for a teach or tell."""
    if "teach" in step:
        query, answer = step["teach"], step["answer"]
        subject = correction_subject(query, answer, store, None)
        aliases = tuple(aliases_in(query, subject))
        sentence = fact_sentence_of(query, answer)
        relation = with_question_relation([], query, answer, " ".join([subject, *aliases]), 5)[0]
        new = new_fact(query, answer, subject, sentence, None)
        return new, CorrectionInput(query, answer, subject, aliases=aliases), None, relation
    stated = stated_fact(step["tell"], store)
    if stated is None:
        return None
    subject = statement_subject(stated, store)
    new = new_fact(stated.query, stated.answer, subject, stated.sentence, stated)
    return new, CorrectionInput(stated.query, stated.answer, subject), stated, stated.query


def play(path: Path, rows: list[dict]) -> None:
    store = GraphStore(open_database(None))
    scenarios = json.loads(path.read_text())
    for s, scenario in enumerate(scenarios):
        for n, step in enumerate(scenario["steps"]):
            if "teach" not in step and "tell" not in step:
                continue
            made = teaching(store, step)
            if made is None:
                continue
            new, correction, stated, relation = made
            later = [
                x
                for i, sc in enumerate(scenarios[s:])
                for x in (sc["steps"][n + 1 :] if i == 0 else sc["steps"])
            ]
            candidates = candidate_facts(store, new)
            found = [] if new.adds_only else evidence(store, new, candidates)
            truth = {e.fact.id for e in found if changed(later, e.fact.object, new.value)}
            rows.append(
                {
                    "where": f"{scenario['id']} step {n + 1}",
                    "statement": stated is not None,
                    "says_change": new.says_change,
                    "text": step.get("teach") or step.get("tell"),
                    "evidence": found,
                    "truth": truth,
                }
            )
            sentence = (
                sentence_for(stated, new.subject, candidates, truth)
                if stated
                else fact_sentence_of(new.query, new.value)
            )
            store.apply_correction(
                correction,
                [
                    AddFact(relation, new.value, 0.0, 0.0, sentence=sentence),
                    *(RemoveFact(i, 0.0, 0.0) for i in truth),
                ],
            )


def _open(e) -> bool:
    """A fact the new one may replace: a kind that meets, not another attribute asked."""
    return e.kinds_meet and not e.attribute_differs and not e.same_value


def report(rows: list[dict]) -> None:
    thresholds = SameQuestion()
    questions = [
        (e, e.fact.id in r["truth"]) for r in rows if not r["statement"] for e in r["evidence"]
    ]
    open_ = [(e, t) for e, t in questions if _open(e)]
    print(f"questions: {sum(t for _, t in open_)} updates, {sum(not t for _, t in open_)} other "
          f"facts of a kind that meets, not asked of another attribute")  # fmt: skip
    print("  closeness >=   updates   other facts")
    for bar in CURVE:
        print(f"  {bar:10.2f}   {sum(t and e.meaning >= bar for e, t in open_):7d}   "
              f"{sum(not t and e.meaning >= bar for e, t in open_):11d}")  # fmt: skip
    vetoed = [(e, t) for e, t in questions if not e.kinds_meet or e.attribute_differs]
    print(f"  set aside by kind or attribute: {sum(t for _, t in vetoed)} updates, "
          f"{sum(not t for _, t in vetoed)} other facts")  # fmt: skip
    changes, others = [], []
    for r in rows:
        if not r["statement"]:
            continue
        for e in r["evidence"]:
            if _open(e):
                (changes if e.fact.id in r["truth"] else others).append(e)
    print(f"statements: {len(changes)} facts changed, {len(others)} other candidate facts")
    print("  closeness >=   changed (same subject / other)   others (same subject / other)")
    for bar in STATEMENT_CURVE:
        c_same = sum(e.same_subject and statement_closeness(e) >= bar for e in changes)
        c_other = sum(not e.same_subject and statement_closeness(e) >= bar for e in changes)
        o_same = sum(e.same_subject and statement_closeness(e) >= bar for e in others)
        o_other = sum(not e.same_subject and statement_closeness(e) >= bar for e in others)
        print(f"  {bar:10.2f}   {c_same:5d} / {c_other:<5d}   {o_same:22d} / {o_other}")
    print(f"  old value named: {sum(e.names_old_value for e in changes)} changed, "
          f"{sum(e.names_old_value for e in others)} others")  # fmt: skip
    found = missed = lost = 0
    print(f"the rule ({thresholds}):")
    for r in rows:
        decided = set(
            same_question(r["evidence"], r["statement"], thresholds, says_change=r["says_change"])
        )
        decided -= {e.fact.id for e in r["evidence"] if e.same_value}
        by_id = {e.fact.id: e for e in r["evidence"]}
        found += len(decided & r["truth"])
        for i in r["truth"] - decided:
            missed += 1
            print(f"  missed  {r['where']}: {r['text']!r} kept {said_to_user(by_id[i].fact)!r}")
        for i in decided - r["truth"]:
            lost += 1
            print(f"  LOST    {r['where']}: {r['text']!r} removed {said_to_user(by_id[i].fact)!r}")
    print(f"  updates found {found}, missed {missed}; facts lost {lost}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, action="append", required=True)
    args = parser.parse_args()
    rows: list[dict] = []
    for path in args.data:
        play(path, rows)
    report(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
