"""A correction and an answer through an inference server vs the in-process backend,
on the same model, in one run.

    python scripts/server_bench.py [--model PATH] [--runs N] [--facts N]

Starts the real llama-cpp-python server (``python -m llama_cpp.server``) on
127.0.0.1 with the model, loads the same model in-process, and on two identical
synthetic graphs in a temporary home (``benchmarks.graphs``: people with relations)
times, alternating the two ways run by run so that the machine's load hits both
alike, N answers to questions about different people ("What does <person> eat?") and
N corrections of those answers ("vegetables"), each undone so that every run sees the
same graph; as in the app, a correction reuses its answer's retrieval scores. Prints
a table of medians and totals. Both ways evaluate the same tokens: the model gets a
BOS token on both (:mod:`benchmarks.llama_server`).

Both share this machine's CPU here; the server's figures are what a correction costs
when the engine's answers come over HTTP, before any GPU speed-up. The figures are in
docs/MODELS.md ("An inference server on another machine").
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.learning.correction import run_correction  # noqa: E402
from assistant.store.database import open_database  # noqa: E402
from assistant.store.graph_store import GraphStore  # noqa: E402
from benchmarks.graphs import correction_cases, populate  # noqa: E402
from benchmarks.llama_server import BOS_OVERRIDE, llama_server  # noqa: E402
from benchmarks.runner import drain_answer  # noqa: E402
from models.embedded import default_model_path  # noqa: E402
from models.llama_backend import LlamaLanguageModel, default_threads  # noqa: E402
from models.remote_backend import RemoteLanguageModel  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a GGUF file (default: the embedded model)")
    parser.add_argument("--runs", type=int, default=3, help="corrections and answers each way")
    parser.add_argument("--facts", type=int, default=100, help="facts in the synthetic graph")
    parser.add_argument("--k", type=int, default=5, help="candidate relations per correction")
    args = parser.parse_args()
    model_path = str(args.model or default_model_path())
    with tempfile.TemporaryDirectory(prefix="server-bench-") as home:
        home = Path(home)
        stores = {way: GraphStore(open_database(home / f"{way}.db")) for way in WAYS}
        people = [populate(store.db, args.facts) for store in stores.values()][0]
        cases = correction_cases(people, args.runs + 1)
        threads = default_threads()
        print(f"starting the llama-cpp-python server ({threads} threads)...", file=sys.stderr)
        with llama_server(model_path, home / "server.log", threads=threads) as server:
            models = {
                "in-process": LlamaLanguageModel(
                    model_path, context_length=2048, n_threads=threads, kv_overrides=BOS_OVERRIDE
                ),
                "server": RemoteLanguageModel(server.url),
            }
            timings = measure(models, stores, cases, args.k)
            for model in models.values():
                model.close()
    print(table(timings, Path(model_path).name, args))
    return 0


WAYS = ("in-process", "server")


def measure(models: dict, stores: dict, cases: list, k: int) -> dict[str, dict[str, list]]:
    """ms per answer and per correction, each way; the first case warms both up
    (model pages, the server's first request) and is not counted."""
    timings = {way: {"correction": [], "answer": []} for way in WAYS}
    for i, case in enumerate(cases):
        for way in WAYS:
            model, store = models[way], stores[way]
            start = time.perf_counter()
            said = drain_answer(model, store, case.query)  # the answer being corrected
            answer_ms = _ms_since(start)
            start = time.perf_counter()
            result = run_correction(model, store, case.query, case.answer, model_answer=said, k=k)
            correction_ms = _ms_since(start)
            store.undo(result.applied.correction_id)  # every run sees the same graph
            if i > 0:
                timings[way]["correction"].append(correction_ms)
                timings[way]["answer"].append(answer_ms)
            print(
                f"{way:>10}: {case.query} {correction_ms:.0f} / {answer_ms:.0f} ms", file=sys.stderr
            )
    return timings


def table(timings: dict, model_name: str, args) -> str:
    lines = [
        f"model {model_name}, graph of {args.facts} facts, K={args.k}, {args.runs} runs each way",
        "",
        "| way | correction median (ms) | answer median (ms) | correction+answer total (s) |",
        "|---|---:|---:|---:|",
    ]
    for way in WAYS:
        runs = timings[way]
        total_s = (sum(runs["correction"]) + sum(runs["answer"])) / 1000.0
        lines.append(
            f"| {way} | {statistics.median(runs['correction']):.0f} "
            f"| {statistics.median(runs['answer']):.0f} | {total_s:.1f} |"
        )
    return "\n".join(lines)


def _ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0


if __name__ == "__main__":
    sys.exit(main())
