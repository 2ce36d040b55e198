"""Where a correction's and an answer's model time goes, one ``llama_decode`` at a time.

    python scripts/decode_profile.py [--model PATH] [--runs N]

1. What one decode costs by batch width (tokens decoded together after a 100-token
   prompt, best of 5): the cost model behind every token count in docs/PERFORMANCE.md;
2. the decodes of bench corrections (on a 100-fact synthetic graph, each after its
   answer and the thumbs-down warm-up, as in the app and the bench) and of bench
   answers on a 10,000-fact graph versus an empty one (each question also
   paraphrased, so that the model ranks its facts), as ``tokens/logits rows:ms`` per
   decode call;
3. with ``--drafts``: relation extraction with 0, 2, 3, 4 and 6 drafted tokens per
   generation step, on 21 bench corrections twice (the order reversed the second
   time), each after extracting another case's relations (so the template is cached,
   as in the app, but not the case).

The figures it gives are in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.answering.answer import stream_retrieved_answer  # noqa: E402
from assistant.learning.correction import run_correction  # noqa: E402
from assistant.learning.correction_warmup import warm_up_correction  # noqa: E402
from assistant.learning.relations import extract_relations  # noqa: E402
from assistant.store.database import open_database  # noqa: E402
from assistant.store.graph_store import GraphStore  # noqa: E402
from assistant.timing import median, ms_since  # noqa: E402
from benchmarks.graphs import correction_cases, populate  # noqa: E402
from benchmarks.runner import PRIMING_QUESTION, drain_answer  # noqa: E402
from models import (
    llama_context,  # noqa: E402
    llama_generation,  # noqa: E402
)
from models.cpu_format import fast_cpu_copy  # noqa: E402
from models.embedded import default_model_path  # noqa: E402
from models.llama_backend import LlamaLanguageModel, default_threads  # noqa: E402

WIDTHS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
TEXT = b"The quick brown fox jumps over the lazy dog. " * 60

#: (tokens, logits rows, ms) of every decode since the last clear.
decodes: list[tuple[int, int, float]] = []


def _record_decodes() -> None:
    original = llama_context.CachedContext.decode

    def timed(self, entries):
        start = time.perf_counter()
        original(self, entries)
        decodes.append((len(entries), sum(1 for e in entries if e[3]), ms_since(start)))

    llama_context.CachedContext.decode = timed


def decode_widths(path: Path, threads: int) -> None:
    from llama_cpp import Llama

    llm = Llama(
        model_path=str(path),
        n_ctx=1024,
        n_batch=512,
        n_threads=threads,
        n_threads_batch=threads,
        verbose=False,
    )
    tokens = llm.tokenize(TEXT)[: 100 + max(WIDTHS)]
    print("tokens decoded together   ms   tokens/s")
    for width in WIDTHS:
        best = float("inf")
        for _ in range(5):
            llm.reset()
            llm.eval(tokens[:100])
            start = time.perf_counter()
            llm.eval(tokens[100 : 100 + width])
            best = min(best, time.perf_counter() - start)
        print(f"{width:>23} {best * 1000:6.1f} {width / best:8.0f}")
    llm.close()


def _line(total_ms: float) -> str:
    calls = " ".join(f"{n}/{rows}:{ms:.0f}" for n, rows, ms in decodes)
    decoded = sum(n for n, _, _ in decodes)
    return f"{total_ms:5.0f} ms, {len(decodes)} decodes, {decoded} tokens: {calls}"


def corrections(model: LlamaLanguageModel, home: Path, runs: int) -> None:
    store = GraphStore(open_database(home / "corrections.db"))
    people = populate(store.db, 100)
    print(
        "\ncorrections (100-fact graph), each after its answer and the thumbs-down "
        "warm-up: warm-up, then the correction after Enter; total, then "
        "tokens/rows:ms per decode"
    )
    for i, case in enumerate(correction_cases(people, runs + 1)):
        said = drain_answer(model, store, case.query)
        decodes.clear()
        start = time.perf_counter()
        warm_up_correction(model, store, case.query)
        if i:
            print(f"  warm-up     {_line(ms_since(start))}")
        decodes.clear()
        start = time.perf_counter()
        result = run_correction(model, store, case.query, case.answer, model_answer=said)
        total = ms_since(start)
        store.undo(result.applied.correction_id)
        if i:  # the first warms the caches up
            stages = {k: round(v) for k, v in result.proposal.timings_ms.items()}
            print(f"  correction  {_line(total)}  {stages}")


def answers(model: LlamaLanguageModel, home: Path, runs: int) -> None:
    store = GraphStore(open_database(home / "answers.db"))
    people = populate(store.db, 10_000)
    empty = GraphStore(open_database(home / "empty.db"))
    print(
        "\nanswers, time to first token (10,000-fact graph, then the empty graph), each "
        "question as the bench asks it (naming its relation) and paraphrased"
    )
    for i, case in enumerate(correction_cases(people, runs + 1)):
        lines = []
        for query in (case.query, case.paraphrase):
            for graph in (store, empty):
                drain_answer(model, empty, PRIMING_QUESTION)
                decodes.clear()
                start = time.perf_counter()
                found, pieces = stream_retrieved_answer(model, graph, query)
                next(pieces, None)
                lines.append(f"{_line(ms_since(start))}  ({found.chosen_by})")
                pieces.close()
        if i:
            print(f"  {case.query}\n    with    {lines[0]}\n    without {lines[1]}")
            print(f"  {case.paraphrase}\n    with    {lines[2]}\n    without {lines[3]}")


def draft_widths(model: LlamaLanguageModel, home: Path) -> None:
    store = GraphStore(open_database(home / "drafts.db"))
    people = populate(store.db, 100)
    widths = (0, 2, 3, 4, 6)
    times: dict[int, list[float]] = {d: [] for d in widths}
    steps: dict[int, list[int]] = {d: [] for d in widths}
    texts: dict[int, list[tuple]] = {d: [] for d in widths}
    for order in (widths, widths[::-1]):
        for case in correction_cases(people, 21):
            drain_answer(model, store, case.query)
            for width in order:
                llama_generation.DRAFT_TOKENS = width
                extract_relations(model, "What colour is the sky?", "blue", "sky", 5)
                decodes.clear()
                start = time.perf_counter()
                found = extract_relations(model, case.query, case.answer, case.subject, 5)
                times[width].append(ms_since(start))
                steps[width].append(len(decodes))
                texts[width].append(tuple(found.relations))
    print("\nrelation extraction by drafted tokens per step (42 extractions each)")
    print("drafted  median ms  mean decodes  same relations as with 3")
    for width in widths:
        same = sum(a == b for a, b in zip(texts[width], texts[3]))
        print(
            f"{width:>7} {median(times[width]):10.0f} "
            f"{statistics.mean(steps[width]):13.1f}  {same}/{len(texts[width])}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model",
        type=Path,
        help="a GGUF file (default: the embedded model's CPU copy, as the app and the bench use)",
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--drafts",
        action="store_true",
        help="also time relation extraction by drafted tokens per step",
    )
    args = parser.parse_args()
    path = args.model or fast_cpu_copy(default_model_path())
    threads = default_threads()
    print(f"model {path.name}, {threads} threads\n")
    decode_widths(path, threads)
    _record_decodes()
    model = LlamaLanguageModel(str(path))
    with tempfile.TemporaryDirectory(prefix="decode-profile-") as tmp:
        corrections(model, Path(tmp), args.runs)
        answers(model, Path(tmp), args.runs)
        if args.drafts:
            draft_widths(model, Path(tmp))
    model.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
