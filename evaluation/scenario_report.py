"""The scenarios' Markdown report: the per-kind table against the model alone, then
every scenario with a failure, step by step, so a failure can be read in context
(which facts the reply used, what each correction added and removed)."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.api import Fact, said_to_user

from .scenario_file import Ask, Teach
from .scenario_runner import ScenarioResults, StepOutcome
from .scenario_summary import removals, summary_json

#: Longer replies are cut in the report (the judged reply is always the whole one).
MAX_REPLY_CHARS = 300


def markdown_report(results: ScenarioResults, model_name: str, command: str) -> str:
    summary = summary_json(results, model_name)
    lines = [f"# Chat scenarios: {model_name}, {summary['scenarios']} scenarios", ""]
    lines += kind_table(summary)
    lines += _totals(summary, results)
    lines += _removals(results)
    lines += _failures(results)
    lines += ["## Command", "", "```", command, "```", ""]
    return "\n".join(lines)


def kind_table(summary: dict) -> list[str]:
    lines = [
        "Pass rate per kind, in percent: the reply contains an expected answer and no "
        "rejected one. The model alone plays the same conversations with no memory.",
        "",
        "| kind | passed | total | with memory | model alone |",
        "|---|---|---|---|---|",
    ]
    for kind, row in summary["kinds"].items():
        lines.append(
            f"| {kind} | {row['passed']} | {row['total']} | {_percent(row['rate'])} | "
            f"{_percent(row['baseline_rate'])} |"
        )
    lines.append(f"| **overall** | | | {_percent(summary['overall'])} | |")
    return lines + [""]


def _totals(summary: dict, results: ScenarioResults) -> list[str]:
    return [
        f"Corrections: {summary['corrections']} ({summary['failed_corrections']} failed); "
        f"per correction {summary['facts_added_per_correction']:.2f} facts added, "
        f"{summary['facts_removed_per_correction']:.2f} removed; correction p50 "
        f"{summary['correction_ms_p50']:.0f} ms, reply p50 {summary['reply_ms_p50']:.0f} ms. "
        f"Tells: {summary['tells_total']}, {summary['tells_not_learned']} taught nothing. "
        f"Peak memory (RSS) {summary['peak_rss_mb']:.0f} MB; wall time "
        f"{results.wall_s / 60:.1f} min. Replies are greedy (temperature 0).",
        "",
    ]


def _failures(results: ScenarioResults) -> list[str]:
    alone = {(o.scenario_id, o.number): o for o in results.baseline}
    lines = ["## Scenarios with a failure", ""]
    failing = [s for s in results.scenarios if _steps(results.memory, s.id, failed=True)]
    if not failing:
        return lines + ["None: every step passed.", ""]
    lines.append("Every step of each such scenario, in order; failed steps are marked **FAILED**.")
    lines.append("")
    for scenario in failing:
        lines += [f"### {scenario.id}", ""]
        if scenario.about:
            lines += [f"_{scenario.about}_", ""]
        for outcome in _steps(results.memory, scenario.id):
            lines += step_lines(outcome, alone.get((scenario.id, outcome.number)))
        lines.append("")
    return lines


def _steps(outcomes: Sequence[StepOutcome], scenario_id: str, failed: bool = False):
    return [o for o in outcomes if o.scenario_id == scenario_id and (o.failed or not failed)]


def step_lines(outcome: StepOutcome, alone: StepOutcome | None) -> list[str]:
    step, mark = outcome.step, " **FAILED**" if outcome.failed else ""
    if isinstance(step, Ask):
        head = f"{outcome.number}. ask ({step.kind}){mark}: {step.question}"
    elif isinstance(step, Teach):
        head = f"{outcome.number}. teach{mark}: {step.question} -> {step.answer}"
    else:
        head = f"{outcome.number}. tell{mark}: {step.message}"
    lines = [head, f"   - reply: {_quoted(outcome)}", f"   - facts used: {_facts(outcome.facts)}"]
    if outcome.path:
        lines.append(f"   - path: {' -> '.join(said_to_user(f) for f in outcome.path)}")
    if isinstance(step, Ask):
        lines.append(
            f"   - expected: {', '.join(step.expect) or '-'}; "
            f"rejected: {', '.join(step.reject) or '-'}"
        )
        if alone is not None:
            verdict = "passed" if alone.passed else "failed"
            lines.append(f"   - model alone ({verdict}): {_quoted(alone)}")
    lines += _correction_lines(outcome)
    return lines


def _correction_lines(outcome: StepOutcome) -> list[str]:
    if outcome.note:
        return [f"   - {outcome.note}"]
    correction = outcome.correction
    if correction is None:
        return []
    if correction.failure:
        return [f"   - correction failed: {correction.failure}"]
    applied = correction.result.applied
    return [
        f"   - learned about {applied.subject} in {correction.ms:.0f} ms: "
        f"added {_facts(applied.added)}; removed {_facts(applied.removed)}"
    ]


def _quoted(outcome: StepOutcome) -> str:
    if outcome.error:
        return f"(no reply: {outcome.error})"
    reply = " ".join(outcome.reply.split())
    if len(reply) > MAX_REPLY_CHARS:
        # A small model may repeat itself for hundreds of tokens: its start is enough.
        left = len(reply) - MAX_REPLY_CHARS
        return f'"{reply[:MAX_REPLY_CHARS]}" (... {left} more characters)'
    return f'"{reply}"'


def _facts(facts: Sequence[Fact]) -> str:
    """Facts as the person sees them in the window: one sentence each."""
    return " ".join(said_to_user(f) for f in facts) if facts else "none"


def _removals(results: ScenarioResults) -> list[str]:
    """Every fact a correction removed, and whether the scenarios changed it
    (:func:`scenario_summary.is_update`); any other removal is a fact lost."""
    rows = removals(results)
    lost = sum(1 for _, _, update in rows if not update)
    lines = [
        "## Facts removed",
        "",
        f"{len(rows)} removed by corrections: {len(rows) - lost} updates of a value the "
        f"scenarios changed, {lost} that they did not change (facts lost).",
        "",
    ]
    for outcome, fact, update in rows:
        verdict = "update" if update else "**NOT an update: lost**"
        lines.append(
            f"- {outcome.scenario_id} step {outcome.number}: {said_to_user(fact)} ({verdict})"
        )
    return lines + ([""] if rows else [])


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"
