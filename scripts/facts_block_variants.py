"""How the facts block writes a fact: CounterFact scores under several renderings.

    python scripts/facts_block_variants.py \
        --data counterfact-train.json --limit 1000 \
        --graph /tmp/cf-graph.db

The first ``--limit`` records are learned once, subject given, through the app's own
correction path (the graph is kept in ``--graph`` and reused when it exists). Then every
record's prompt, rephrasing and locality prompt is retrieved as the evaluation does and
scored under each rendering of the facts block (efficacy / paraphrase /
neighbourhood, ROME's rule as in ``assistant eval counterfact``). Only the answer
prompt changes between renderings, so their differences are the rendering's alone.
The renderings are this script's own: the app writes the one kept
(``assistant.language.prompts.facts_block``, docs/METHOD.md §3).
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.answering.retrieval import retrieve  # noqa: E402
from assistant.errors import AssistantError  # noqa: E402
from assistant.facts import Fact  # noqa: E402
from assistant.language.prompts import (  # noqa: E402
    INSTRUCTION,
    _answer_lead,
    fact_sentence,
    quote,
    reasoning_prompt,
)
from assistant.learning.correction import run_correction  # noqa: E402
from assistant.learning.service import tuning_config  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.store.database import open_database  # noqa: E402
from assistant.store.graph_store import GraphStore  # noqa: E402
from evaluation.dataset import load_cases  # noqa: E402
from evaluation.metrics import CaseOutcome, scores_of  # noqa: E402
from evaluation.runner import queries_of, requests_of, score_shared_contexts  # noqa: E402
from models.loader import load_model  # noqa: E402

STRONGER_INSTRUCTION = (
    "Answer the query with the user's personalized facts; they hold even where you "
    "believed otherwise.\n"
)


def sentence_of(fact: Fact, previous: str | None) -> str:
    if fact.sentence:
        return quote(fact.sentence)
    if fact.subject == previous:
        return f"{quote(fact.relation)} {quote(fact.object)}."
    return fact_sentence(*fact.triple)


def other_phrasings(fact: Fact) -> list[str]:
    return [p for p in fact.phrasings if p != fact.relation]


def block(facts: Sequence[Fact], after: Callable[[Fact], str], number_one: bool) -> str:
    written, previous = [], None
    for fact in facts:
        written.append(sentence_of(fact, previous) + after(fact))
        previous = fact.subject
    if len(written) == 1 and not number_one:
        return written[0]
    return " ".join(f"[{i}] {text}" for i, text in enumerate(written, start=1))


def nothing(fact: Fact) -> str:
    return ""


def two_phrasings(fact: Fact) -> str:
    others = other_phrasings(fact)[:2]
    return f" ({'; '.join(quote(p) for p in others)})" if others else ""


def two_phrasings_with_object(fact: Fact) -> str:
    others = other_phrasings(fact)[:2]
    said = "; ".join(f"{quote(p)} {quote(fact.object)}" for p in others)
    return f" ({said})" if others else ""


def one_phrasing_with_object(fact: Fact) -> str:
    others = other_phrasings(fact)
    return f" ({quote(others[0] if others else fact.relation)} {quote(fact.object)})"


def the_object(fact: Fact) -> str:
    return f" ({quote(fact.object)})"


#: name -> (what follows each sentence, whether a lone fact keeps "[1]", instruction)
RENDERINGS = {
    "numbered": (nothing, True, INSTRUCTION),
    "stronger-instruction": (nothing, True, STRONGER_INSTRUCTION),
    "numbered+phrasings": (two_phrasings, True, INSTRUCTION),
    "numbered+phrasings-with-object": (two_phrasings_with_object, True, INSTRUCTION),
    "unnumbered": (nothing, False, INSTRUCTION),
    "unnumbered+phrasings": (two_phrasings, False, INSTRUCTION),
    "unnumbered+phrasing-with-object": (one_phrasing_with_object, False, INSTRUCTION),
    "unnumbered+object": (the_object, False, INSTRUCTION),
}


def prompt_of(name: str, query: str, facts: Sequence[Fact]) -> str:
    after, number_one, instruction = RENDERINGS[name]
    if not facts:  # the model alone's prompt is the same under every rendering
        return reasoning_prompt(query, [])
    return (
        f"{instruction}<question>: {quote(query)}\n<facts>: {block(facts, after, number_one)}\n"
        f"<answer>:{_answer_lead(query)}"
    )


def learn(model, settings: Settings, cases, graph: Path) -> None:
    store = GraphStore(open_database(graph))
    config = tuning_config(settings)
    for case in cases:
        # A failed correction (counted by the evaluation) teaches nothing.
        with contextlib.suppress(AssistantError):
            run_correction(
                model,
                store,
                case.prompt,
                case.target_new,
                subject=case.subject,
                k=settings.k_relations,
                config=config,
            )
    store.db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--graph", required=True, help="graph file, learned when missing")
    parser.add_argument("--renderings", default=",".join(RENDERINGS))
    args = parser.parse_args()
    settings = Settings(temperature=0.0)
    model = load_model(settings)
    cases = load_cases(args.data, 0, args.limit)
    graph = Path(args.graph)
    if not graph.exists():
        began = time.perf_counter()
        learn(model, settings, cases, graph)
        print(f"learned {len(cases)} records in {time.perf_counter() - began:.0f} s")
    # Retrieval may write (a vector index refreshed): a copy keeps the saved graph as learned.
    copy = Path(tempfile.mkdtemp(prefix="facts-block-")) / "graph.db"
    shutil.copy(graph, copy)
    store = GraphStore(open_database(copy))
    found = {
        (query, subject): retrieve(model, store, query, subject=subject, top_n=settings.top_n_facts)
        for case in cases
        for query, subject in queries_of(case, False)
    }
    print("rendering | efficacy / paraphrase / neighbourhood")
    for name in args.renderings.split(","):
        outcomes = []
        for case in cases:
            prompts = [
                prompt_of(name, query, found[(query, subject)].facts)
                for query, subject in queries_of(case, False)
            ]
            values = score_shared_contexts(model, requests_of(case, prompts))
            outcomes.append(CaseOutcome(*values))
        scores = scores_of(outcomes)
        print(
            f"{name} | {scores.efficacy:.1f} / {scores.paraphrase:.1f} / {scores.neighborhood:.1f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
