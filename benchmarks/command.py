"""``assistant bench [--model PATH] [--facts N] [--json]``: speed and scale figures.

With ``--json`` stdout holds exactly the report object (its keys are fixed: tests check
them); without it, a table with the targets beside the figures. Progress goes to stderr.
The bench never touches the user's data: it works in a temporary home.
"""

from __future__ import annotations

import sys

from assistant.api import InputError, ModelError
from assistant.cli.output import emit_json, info
from models.llama_backend import LlamaLanguageModel

from .graphs import FACTS_PER_ENTITY, max_facts
from .runner import GRAPH_SIZES, run_benchmark


def register(subparsers, common) -> None:
    bench = subparsers.add_parser(
        "bench",
        parents=[common],
        help="measure correction, scoring, answer and retrieval speed (temporary home)",
    )
    bench.add_argument(
        "--facts",
        default=str(GRAPH_SIZES[-1]),
        metavar="N",
        help=f"facts in the largest synthetic graph (default {GRAPH_SIZES[-1]})",
    )
    bench.set_defaults(func=run_bench)


def parse_facts(text: str) -> int:
    try:
        value = int(str(text).replace("_", ""))
    except ValueError:
        raise InputError(f"--facts must be a whole number, not {text!r}") from None
    if not FACTS_PER_ENTITY <= value <= max_facts():
        raise InputError(f"--facts must be between {FACTS_PER_ENTITY} and {max_facts()}")
    return value


def run_bench(args) -> int:
    largest = parse_facts(args.facts)
    model = args.context.model
    if not isinstance(model, LlamaLanguageModel):
        raise ModelError("the benchmark needs the llama.cpp backend")
    result = run_benchmark(model, largest, progress=lambda step: info(f"bench: {step}"))
    if args.json:
        emit_json(result["report"])
    else:
        sys.stdout.write(format_table(result["report"], result["details"]))
    return 0


def format_table(report: dict, details: dict) -> str:
    small, medium, large = details["graph_sizes"]
    floor = report["floor_ms"]
    ratio = report["correction_ms_p50"] / floor if floor else 0.0
    stages = report["correction_breakdown_ms"]
    retrieval = report["retrieval_ms_p95"]
    with_meaning = report["retrieval_with_meaning_ms_p95"]
    keys = [str(size) for size in GRAPH_SIZES]
    rows = [
        ("model", report["model"], ""),
        (
            f"correction p50 / p95 ({small} facts)",
            f"{report['correction_ms_p50']:.0f} / {report['correction_ms_p95']:.0f} ms",
            "<= 500 ms",
        ),
        (
            "  relation extraction / scoring / apply",
            f"{stages['relation_extraction']:.0f} / {stages['scoring']:.0f} / "
            f"{stages['apply']:.1f} ms",
            "",
        ),
        (
            "  thumbs-down warm-up, while the user types",
            f"{details['warm_up_ms']:.0f} ms "
            f"(with it: {details['correction_with_warm_up_ms']:.0f} ms)",
            "",
        ),
        ("floor (unique tokens, one batch + generation)", f"{floor:.0f} ms", ""),
        (
            "correction / floor (median of each run's own)",
            f"{ratio:.2f} ({details['correction_over_floor_per_run_p50']:.2f})",
            "<= 1.25",
        ),
        (
            "tokens per correction (prompt + generated)",
            f"{report['tokens_per_correction']} ({details['prompt_tokens']} + "
            f"{details['generated_tokens']}; {details['decoded_tokens']} decoded)",
            "",
        ),
        (
            "scoring 25 candidates batched / naive",
            f"{report['scoring_batched_ms']:.0f} / {report['scoring_naive_ms']:.0f} ms",
            "",
        ),
        ("scoring speedup", f"{report['scoring_speedup']:.1f}x", ">= 3"),
        (f"answer p50 ({medium} facts)", f"{report['answer_ms_p50']:.0f} ms", ""),
        (
            "answer first token with / without graph",
            f"{details['answer_first_token_ms_with_graph']:.0f} / "
            f"{details['answer_first_token_ms_without_graph']:.0f} ms",
            "",
        ),
        (
            "answer overhead p50 (questions naming their relation)",
            f"{report['answer_overhead_ms_p50']:.0f} ms",
            "<= 50 ms",
        ),
        (
            "  paraphrased, facts ranked by meaning",
            f"{details['answer_overhead_ranked_ms_p50']:.0f} ms (first token "
            f"{details['answer_first_token_ms_ranked']:.0f} ms)",
            "",
        ),
        (
            "answer overhead p50, two-hop (a person's vet, where it is based)",
            f"{report['answer_overhead_two_hop_ms_p50']:.0f} ms (first token "
            f"{details['answer_first_token_ms_two_hop']:.0f} ms)",
            "<= 100 ms",
        ),
        (
            "  how the facts were chosen",
            ", ".join(
                f"{how} {count}" for how, count in sorted(details["answer_facts_chosen_by"].items())
            ),
            "",
        ),
        (
            f"retrieval p95 ({small} / {medium} / {large} facts)",
            " / ".join(f"{retrieval[k]:.2f}" for k in keys) + " ms",
            "<= 5 ms",
        ),
        (
            "  with the search by meaning (whole retrieval)",
            " / ".join(f"{with_meaning[k]:.2f}" for k in keys) + " ms",
            "<= 5 ms",
        ),
        (
            "  per graph: naming a person, naming no one (found)",
            " / ".join(
                f"{details['retrieval_named_by_meaning_ms_p95'][k]:.2f}, "
                f"{details['retrieval_unnamed_by_meaning_ms_p95'][k]:.2f} "
                f"({details['unnamed_found'][k]})"
                for k in keys
            )
            + " ms",
            "",
        ),
        (
            "  first search, reading the names into memory",
            " / ".join(f"{details['names_read_ms'][k]:.0f}" for k in keys) + " ms",
            "",
        ),
        (
            "graphs written, vectors included",
            ", ".join(f"{n} facts {t:.1f} s" for n, t in details["graph_build_s"].items()),
            "",
        ),
        (
            f"correction p50 at {large} facts",
            f"{report['correction_ms_p50_at_1m_facts']:.0f} ms",
            f"<= {1.2 * report['correction_ms_p50']:.0f} ms",
        ),
        (
            f"  CPU time at {small} / {large} facts; apply at {large}",
            f"{details['correction_cpu_ms']:.0f} / "
            f"{details['correction_cpu_ms_at_largest']:.0f} ms; "
            f"{details['apply_ms_at_largest']:.1f} ms",
            "",
        ),
        ("peak RSS", f"{report['peak_rss_mb']:.0f} MB", "<= 1024 MB"),
    ]
    width = max(len(r[0]) for r in rows)
    value_width = max(len(r[1]) for r in rows)
    lines = [
        f"{name:<{width}}  {value:<{value_width}}  {target}".rstrip()
        for name, value, target in rows
    ]
    lines.append(
        f"(medians of {details['runs']} runs; goals in docs/PERFORMANCE.md; "
        f"load average {details['load_average']:.1f} at the end)"
    )
    return "\n".join(lines) + "\n"
