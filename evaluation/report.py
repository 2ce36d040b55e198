"""The evaluation's outputs: the JSON summary (model, n, data, each method's scores and
latencies, peak RSS) and the Markdown report (table, curve, settings, the exact command)."""

from __future__ import annotations

from dataclasses import dataclass

from .runner import EvaluationResult

PAPER_LLAMA3_8B = {"efficacy": 94.58, "paraphrase": 86.89}

GENERATED_KEYS = ("gen_efficacy", "gen_paraphrase", "gen_neighborhood")
GENERATED_NOTE = [
    "Generated (`--generate`): each method's greedy reply through its own answer "
    "pipeline, after the last case. Efficacy / paraphrase: the reply contains the new "
    "target (whole words, case and punctuation aside); neighbourhood: the reply to the "
    "locality prompt says the same words as the model alone's reply.",
]


@dataclass(frozen=True)
class RunSettings:
    model: str
    data: str
    offset: int
    limit: int | None
    hide_subject: bool
    k_relations: int
    eps: float
    top_n: int
    context_length: int
    command: str


def summary_json(result: EvaluationResult, settings: RunSettings) -> dict:
    return {
        "model": settings.model,
        "n": result.n,
        "data": settings.data,
        "methods": {name: run.summary() for name, run in result.runs.items()},
        "peak_rss_mb": result.peak_rss_mb,
    }


def markdown_report(result: EvaluationResult, settings: RunSettings, plot: str | None) -> str:
    lines = [f"# CounterFact evaluation: {settings.model}, N = {result.n}", ""]
    if result.planned_n > result.n:
        lines += [
            f"**Partial result**: {result.n} of the {result.planned_n} cases asked for "
            "were learned when this was written (a checkpoint of a longer run).",
            "",
        ]
    lines += [
        "Scores in percent (ROME's definitions, mean per-token log-probability, target with "
        "its leading space); latencies in milliseconds.",
        "",
    ]
    generated = any(run.generated is not None for run in result.runs.values())
    lines += _table_head(generated)
    for name, run in result.runs.items():
        s = run.summary()
        row = (
            f"| {name} | {s['efficacy']:.1f} | {s['paraphrase']:.1f} | "
            f"{s['neighborhood']:.1f} | {s['correction_ms_p50']:.0f} | "
            f"{s['correction_ms_p95']:.0f} | {s['answer_ms_p50']:.0f} |"
        )
        if generated:
            row += " " + " | ".join(_cell(s.get(k)) for k in GENERATED_KEYS) + " |"
        lines.append(row)
    lines.append(
        f"| paper: KGT, Llama3-8B (reference) | {PAPER_LLAMA3_8B['efficacy']} | "
        f"{PAPER_LLAMA3_8B['paraphrase']} | not reported | 150 (A100) | | |"
        + (" | | |" if generated else "")
    )
    if generated:
        lines += ["", *GENERATED_NOTE]
    lines += [
        "",
        f"Peak memory (RSS) of the process: {result.peak_rss_mb:.0f} MB; "
        f"wall time {result.wall_s / 60:.1f} min.",
        "",
    ]
    lines += _curve(result)
    if plot:
        lines += [f"![scores against accumulated facts]({plot})", ""]
    lines += _settings(settings)
    notes = result.notes()
    if notes:
        lines += ["## Notes", ""] + [f"- {note}" for note in notes] + [""]
    return "\n".join(lines)


def _table_head(generated: bool) -> list[str]:
    head = (
        "| method | efficacy | paraphrase | neighbourhood | correction p50 | correction p95 "
        "| answer p50 |"
    )
    rule = "|---|---|---|---|---|---|---|"
    if generated:
        head += " generated: efficacy | generated: paraphrase | generated: neighbourhood |"
        rule += "---|---|---|"
    return [head, rule]


def _cell(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _curve(result: EvaluationResult) -> list[str]:
    lines = [
        "## Scores against accumulated facts",
        "",
        "Efficacy / paraphrase / neighbourhood after N cases were learned online.",
        "",
        "| method | " + " | ".join(f"N = {n}" for n in _points(result)) + " |",
        "|---|" + "---|" * len(_points(result)),
    ]
    for name, run in result.runs.items():
        cells = [
            f"{s.efficacy:.0f} / {s.paraphrase:.0f} / {s.neighborhood:.0f}"
            for _, s in sorted(run.curve.items())
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines + [""]


def _points(result: EvaluationResult) -> list[int]:
    return sorted(next(iter(result.runs.values())).curve)


def _settings(settings: RunSettings) -> list[str]:
    return [
        "## Settings",
        "",
        f"- model: `{settings.model}` (context {settings.context_length} tokens)",
        f"- data: `{settings.data}`, offset {settings.offset}, limit {settings.limit}",
        f"- subject given to the method: {'no (--no-subject)' if settings.hide_subject else 'yes'}",
        f"- KGT: K = {settings.k_relations} relations, eps = {settings.eps:.4f}, "
        f"top_n = {settings.top_n} facts retrieved; rag: top {settings.top_n} notes by BM25",
        "",
        "Command:",
        "",
        "```",
        settings.command,
        "```",
        "",
    ]
