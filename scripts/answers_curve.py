"""When does a learned fact answer a question? The measurements behind the threshold.

    python scripts/answers_curve.py --data tests/data/scenarios-dev.json \\
        --data tests/data/scenarios-dev-limits.json --out /tmp/answers.json

Each file is played into its own fresh memory with the app's own learner on the
embedded model (teaches and statements, as ``eval scenarios`` plays them); at every
``ask`` the question is retrieved as the chat retrieves it (the conversation's last
subject for "he"/"she"), and for each fact found are recorded what
:func:`assistant.answering.answers_asked.answering_facts` weighs (named by the
question, the kind and thing tests, closeness in meaning with the subject's words left
out) and, with ``--model-scores``, KGT's own scores: the reasoning score of its object
under the question and under the question it was learned from, of "I don't know"
under the question, and the retrieval score of its relation under both questions
(docs/METHOD.md §12 says why they are not used). Then, for each threshold, how many
asks that must be answered keep a fact that holds their expected answer (recall,
paraphrase, retention, update, wording) and how many that must not (abstain) keep
none: the curve in docs/METHOD.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.answering.answers_asked import (  # noqa: E402
    ANSWERS_MIN_SIMILARITY,
    ANSWERS_SURE_SIMILARITY,
    REASONING_MIN_LOGPROB,
    fact_signals,
)
from assistant.answering.retrieval import retrieve  # noqa: E402
from assistant.language.descriptions import USER  # noqa: E402
from assistant.learning.scoring import reasoning_request, retrieval_request  # noqa: E402
from assistant.learning.service import Learner, Teaching  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.store.database import open_database  # noqa: E402
from assistant.store.graph_store import GraphStore  # noqa: E402

MUST_ANSWER = {"recall", "paraphrase", "retention", "update"}
FLOORS = [round(0.02 * i, 2) for i in range(0, 21)]
GATES = [-1.0, -1.5, -2.0, -2.2, -2.5, -3.0, -4.0, None]


def play(model, path: Path, home: Path, model_scores: bool) -> list[dict]:
    store = GraphStore(open_database(home / f"{path.stem}.db"))
    learner = Learner(model, store, Settings(temperature=0.0))
    rows = []
    for scenario in json.loads(path.read_text()):
        last = None
        for step in scenario["steps"]:
            if "teach" in step:
                result = learner.learn_now(Teaching(step["teach"], step["answer"]))
                last = result.applied.subject
            elif "tell" in step:
                stated = learner.statement_in(step["tell"])
                if stated is not None:
                    last = learner.learn_now(Teaching(step["tell"], stated=stated)).applied.subject
            else:
                found = retrieve(model, store, step["ask"], previous_subject=last)
                if found.subject not in (None, USER):
                    last = found.subject
                row = _row(model, store, scenario["id"], step, found, model_scores)
                rows.append({"file": path.name, **row})
    store.db.close()
    return rows


def _row(model, store, scenario_id: str, step: dict, found, model_scores: bool) -> dict:
    signals = fact_signals(model, store, step["ask"], found)
    if model_scores:
        for signal, scores in zip(signals, _model_scores(model, store, step["ask"], found)):
            signal.update(scores)
    expect = [e.lower() for e in step.get("expect", [])]
    facts = []
    for fact, signal in zip(found.facts, signals):
        text = f"{fact.object} {fact.sentence or ''}".lower()
        facts.append(
            {
                "sentence": fact.sentence or fact.object,
                "expected": any(e in text for e in expect),
                **signal,
            }
        )
    return {
        "scenario": scenario_id,
        "kind": step["kind"],
        "ask": step["ask"],
        "subject": found.subject,
        "about": str(found.about),
        "chosen_by": str(found.chosen_by),
        "path": bool(found.path),
        "facts": facts,
    }


def _model_scores(model, store, query: str, found) -> list[dict]:
    facts = found.facts
    sources = store.sources_of(f.id for f in facts)
    own = [sources[f.id].question if f.id in sources else query for f in facts]
    requests = [reasoning_request(query, f, f.object) for f in facts]
    requests += [reasoning_request(q, f, f.object) for q, f in zip(own, facts)]
    requests += [reasoning_request(query, f, "I don't know") for f in facts]
    requests += [retrieval_request(query, f.subject, f.relation) for f in facts]
    requests += [retrieval_request(q, f.subject, f.relation) for q, f in zip(own, facts)]
    scores = [s.mean_logprob for s in model.score(requests)] if facts else []
    n = len(facts)
    names = ["reasoning_now", "reasoning_own", "not_known", "retrieval", "retrieval_own"]
    return [{name: scores[k * n + i] for k, name in enumerate(names)} for i in range(n)]


def answers(
    row: dict, floor: float = ANSWERS_MIN_SIMILARITY, gate: float | None = REASONING_MIN_LOGPROB
) -> list[dict]:
    """The facts the decision keeps for an ask, at a closeness ``floor`` and a
    reasoning ``gate`` for loosely close facts (None: no gate)."""
    if row["path"]:
        return row["facts"]
    kept = [
        f
        for f in row["facts"]
        if f["kind_allows"] and not f["other_thing"] and not f.get("another_thing")
    ]
    if row["chosen_by"] == "by name":
        return kept
    return [f for f in kept if f["closeness"] >= floor and _sure(f, gate)]


def _sure(fact: dict, gate: float | None) -> bool:
    if gate is None or fact["closeness"] >= ANSWERS_SURE_SIMILARITY:
        return True
    return fact["reasoning"] >= gate


def counts(rows: list[dict], **options) -> str:
    must = [r for r in rows if r["kind"] in MUST_ANSWER]
    abstain = [r for r in rows if r["kind"] == "abstain"]
    kept = sum(any(f["expected"] for f in answers(r, **options)) for r in must)
    won = sum(not answers(r, **options) for r in abstain)
    return f"{kept}/{len(must)} | {won}/{len(abstain)}"


def curve(rows: list[dict]) -> list[str]:
    lines = [
        f"closeness floor (reasoning gate {REASONING_MIN_LOGPROB} below "
        f"{ANSWERS_SURE_SIMILARITY}):",
        "| floor | answered (expected fact kept) | abstentions won |",
        "|---|---|---|",
    ]
    lines += [f"| {floor:.2f} | {counts(rows, floor=floor)} |" for floor in FLOORS]
    lines += [
        "",
        f"reasoning gate (floor {ANSWERS_MIN_SIMILARITY}):",
        "| gate | answered (expected fact kept) | abstentions won |",
        "|---|---|---|",
    ]
    for gate in GATES:
        lines.append(f"| {'none' if gate is None else gate} | {counts(rows, gate=gate)} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", action="append", required=True)
    parser.add_argument("--out", required=True, help="every ask's record, as JSON")
    parser.add_argument("--model-scores", action="store_true", help="record KGT's scores too")
    parser.add_argument("--curve-only", action="store_true", help="read --out, print the curve")
    args = parser.parse_args()
    if args.curve_only:
        print("\n".join(curve(json.loads(Path(args.out).read_text()))))
        return
    from models.loader import load_model

    model = load_model(Settings(), None)
    rows = []
    with tempfile.TemporaryDirectory() as home:
        for data in args.data:
            rows += play(model, Path(data), Path(home), args.model_scores)
    Path(args.out).write_text(json.dumps(rows, indent=1))
    print("\n".join(curve(rows)))


if __name__ == "__main__":
    main()
