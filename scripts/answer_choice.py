"""Which facts an answer shows, found by the relation the question names or ranked by
the model, and whether the answer then states the asked fact.

    python scripts/answer_choice.py [--model PATH] [--questions N]

Asks the bench's questions (``benchmarks.graphs.correction_cases``: "What does
<person> eat?", ...) on a 10,000-fact synthetic graph, each person with 20 relations,
twice: with the facts chosen by the model's P(r|q) ranking only, and as the app
chooses them (by name when the question names a relation). For each, how many answer
prompts held the asked fact and how many answers stated its object. The figures are
in docs/METHOD.md §7.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.answering.answer import complete_with_facts  # noqa: E402
from assistant.answering.retrieval import retrieve  # noqa: E402
from assistant.store.database import open_database  # noqa: E402
from assistant.store.graph_store import GraphStore  # noqa: E402
from benchmarks.graphs import correction_cases, populate  # noqa: E402
from models.cpu_format import fast_cpu_copy  # noqa: E402
from models.embedded import default_model_path  # noqa: E402
from models.llama_backend import LlamaLanguageModel  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model",
        type=Path,
        help="a GGUF file (default: the embedded model's CPU copy, as the app and the bench use)",
    )
    parser.add_argument("--questions", type=int, default=35)
    args = parser.parse_args()
    model = LlamaLanguageModel(str(args.model or fast_cpu_copy(default_model_path())))
    with tempfile.TemporaryDirectory(prefix="answer-choice-") as tmp:
        store = GraphStore(open_database(Path(tmp) / "graph.db"))
        cases = correction_cases(populate(store.db, 10_000), args.questions)
        print(f"{len(cases)} bench questions, 10,000-fact graph, model {model.name}")
        for by_name in (False, True):
            shown = stated = 0
            for case in cases:
                fact = next(
                    f for f in store.valid_facts_of(case.subject) if f.relation == case.relation
                )
                found = retrieve(model, store, case.query, by_name=by_name)
                text = "".join(complete_with_facts(model, case.query, found.facts, 64))
                shown += fact in found.facts
                stated += fact.object.lower() in text.lower()
            label = "as the app does (by name)" if by_name else "ranked by the model"
            print(f"{label:>28}: asked fact in the prompt {shown}, answer states it {stated}")
    model.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
