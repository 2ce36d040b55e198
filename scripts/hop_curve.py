"""When does a chain of two facts answer a question? The measurements behind its bars.

    python scripts/hop_curve.py --data tests/data/multihop-dev.json \\
        --data tests/data/multihop-limits-dev.json --data tests/data/scenarios-dev.json \\
        --data tests/data/scenarios-dev-limits.json --data tests/data/honest-dev.json \\
        --out /tmp/hops.json

Each file is played into its own fresh memory with the app's own learner on the
embedded model (teaches and statements, as ``eval scenarios`` plays them); at every
``ask`` the question is retrieved as the chat retrieves it, once for every pair of
bars a chain must clear (its path's closeness at least the floor, and above the
closest single fact by the margin: ``multi_hop.CHAIN_MIN_SIMILARITY`` and
``CHAIN_MARGIN``), and what the reply's facts would be is kept
(:func:`assistant.answering.answers_asked.answering_facts`: a chain whole or not at
all). Then, per pair: the multihop asks whose facts hold their expected answer, the
other asks that must be answered (recall, paraphrase, retention, update) that still
do, and the abstain asks that keep no fact: the curve in docs/METHOD.md §11.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.answering import multi_hop, retrieval  # noqa: E402
from assistant.answering.answers_asked import answering_facts  # noqa: E402
from assistant.answering.retrieval import retrieve  # noqa: E402
from assistant.language.descriptions import USER  # noqa: E402
from assistant.learning.service import Learner, Teaching  # noqa: E402
from assistant.llm import LanguageModel  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.store.database import open_database  # noqa: E402
from assistant.store.graph_store import GraphStore  # noqa: E402

MUST_ANSWER = {"recall", "paraphrase", "retention", "update"}
FLOORS = [0.0, 0.1, 0.15, 0.2, 0.22, 0.25, 0.28, 0.3, 0.35, 0.4]
MARGINS = [-1.0, -0.2, -0.1, -0.05, 0.0, 0.05, 0.1]


class CachedScores:
    """The model's scores, each request scored once across the whole sweep."""

    def __init__(self, model: LanguageModel):
        self.model = model
        self.known: dict = {}

    def score(self, requests):
        todo = [r for r in dict.fromkeys(requests) if r not in self.known]
        self.known.update(zip(todo, self.model.score(todo)))
        return [self.known[r] for r in requests]


def play(model, path: Path, home: Path) -> list[dict]:
    store = GraphStore(open_database(home / f"{path.stem}.db"))
    learner = Learner(model, store, Settings(temperature=0.0))
    scores = CachedScores(model)
    rows = []
    for scenario in json.loads(path.read_text()):
        last = None
        for step in scenario["steps"]:
            if "teach" in step:
                last = learner.learn_now(Teaching(step["teach"], step["answer"])).applied.subject
            elif "tell" in step:
                stated = learner.statement_in(step["tell"])
                if stated is not None:
                    last = learner.learn_now(Teaching(step["tell"], stated=stated)).applied.subject
            elif step["kind"] in MUST_ANSWER | {"multihop", "abstain"}:
                row, last = _sweep(scores, store, step, last)
                rows.append({"file": path.name, "scenario": scenario["id"], **row})
    store.db.close()
    return rows


def _gap(scores, store, step: dict, last: str | None) -> dict | None:
    """The best chain the question could take (no bars), how much closer its path is
    than the closest single fact, and whether its last link holds the answer."""
    probe: dict = {}

    def recording(store, query, best_single, chains, leave_out=frozenset()):
        found = unbarred(store, query, best_single, chains, leave_out)
        if found is not None and found.closeness is not None:
            probe.update(closeness=found.closeness, single=best_single, end=found.path[-1].object)
        return found

    unbarred = multi_hop.best_chain
    multi_hop.CHAIN_MIN_SIMILARITY, multi_hop.CHAIN_MARGIN = -2.0, -2.0
    retrieval.best_chain = recording
    try:
        retrieve(scores, store, step["ask"], previous_subject=last)
    finally:
        retrieval.best_chain = unbarred
    if not probe:
        return None
    single = probe["single"] if probe["single"] is not None else -1.0
    expect = [e.lower() for e in step.get("expect", [])]
    return {
        "closeness": round(probe["closeness"], 3),
        "gap": round(probe["closeness"] - single, 3),
        "end_expected": any(e in probe["end"].lower() for e in expect),
    }


def _sweep(scores, store, step: dict, last: str | None) -> tuple[dict, str | None]:
    """What the reply's facts hold at every pair of bars."""
    expect = [e.lower() for e in step.get("expect", [])]
    outcomes = {}
    for floor in FLOORS:
        for margin in MARGINS:
            # The bars are module constants read at each call: set, they are the app's.
            multi_hop.CHAIN_MIN_SIMILARITY, multi_hop.CHAIN_MARGIN = floor, margin
            found = retrieve(scores, store, step["ask"], previous_subject=last)
            kept = answering_facts(scores, store, step["ask"], found)
            held = " ".join(f"{f.object} {f.sentence or ''}" for f in kept.facts).lower()
            outcomes[f"{floor}/{margin}"] = {
                "facts": bool(kept.facts),
                "expected": any(e in held for e in expect),
                "path": bool(kept.path),
                "closeness": found.path_closeness,
            }
    following = found.subject if found.subject not in (None, USER) else last
    row = {"kind": step["kind"], "ask": step["ask"], "chain": _gap(scores, store, step, last)}
    return {**row, "outcomes": outcomes}, following


def passes(row: dict, key: str) -> bool:
    outcome = row["outcomes"][key]
    if row["kind"] == "abstain":
        return not outcome["facts"]
    return outcome["expected"]


def curve(rows: list[dict]) -> list[str]:
    groups = {
        "multihop answered": [r for r in rows if r["kind"] == "multihop"],
        "one-hop answered": [r for r in rows if r["kind"] in MUST_ANSWER],
        "abstentions kept": [r for r in rows if r["kind"] == "abstain"],
    }
    lines = ["| floor | margin | " + " | ".join(groups) + " |", "|---" * (2 + len(groups)) + "|"]
    for floor in FLOORS:
        for margin in MARGINS:
            key = f"{floor}/{margin}"
            cells = [f"{sum(passes(r, key) for r in g)}/{len(g)}" for g in groups.values()]
            lines.append(f"| {floor:.2f} | {margin:+.2f} | " + " | ".join(cells) + " |")
    return lines


def gaps(rows: list[dict]) -> list[str]:
    """Every ask with a chain to take: its path's closeness and its lead over the
    closest single fact, by kind of ask (multihop: whether the chain's end holds the
    answer)."""
    lines = []
    for kind in ("multihop", *sorted(MUST_ANSWER), "abstain"):
        found = [r for r in rows if r["kind"] == kind and r["chain"]]
        cells = [
            f"{r['chain']['closeness']:.2f}/{r['chain']['gap']:+.2f}"
            + ("" if kind != "multihop" or r["chain"]["end_expected"] else " (other end)")
            for r in sorted(found, key=lambda r: r["chain"]["gap"])
        ]
        lines.append(f"{kind} ({len(found)}): " + ", ".join(cells))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", action="append", required=True)
    parser.add_argument("--out", required=True, help="every ask's outcomes, as JSON")
    parser.add_argument("--curve-only", action="store_true", help="read --out, print the curve")
    args = parser.parse_args()
    if args.curve_only:
        rows = json.loads(Path(args.out).read_text())
        print("\n".join(curve(rows) + [""] + gaps(rows)))
        return
    from models.loader import load_model

    model = load_model(Settings(), None)
    rows = []
    with tempfile.TemporaryDirectory() as home:
        for data in args.data:
            rows += play(model, Path(data), Path(home))
    Path(args.out).write_text(json.dumps(rows, indent=1))
    print("\n".join(curve(rows) + [""] + gaps(rows)))


if __name__ == "__main__":
    main()
