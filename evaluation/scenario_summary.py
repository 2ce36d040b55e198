"""The scenarios' JSON summary: pass rates per kind against the model alone, and what
the corrections cost and changed. Rates are percentages; a kind the file never asks
has a total of 0 and null rates (no rate, rather than a misleading 0 or 100)."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.timing import percentile

from .scenario_file import KINDS, Ask
from .scenario_runner import CorrectionOutcome, ScenarioResults, StepOutcome


def rate(outcomes: Sequence[StepOutcome]) -> float | None:
    if not outcomes:
        return None
    return 100.0 * sum(bool(o.passed) for o in outcomes) / len(outcomes)


def asks_of(outcomes: Sequence[StepOutcome], kind: str | None = None) -> list[StepOutcome]:
    return [
        o for o in outcomes if isinstance(o.step, Ask) and (kind is None or o.step.kind == kind)
    ]


def kind_scores(results: ScenarioResults) -> dict[str, dict]:
    table = {}
    for kind in KINDS:
        asked = asks_of(results.memory, kind)
        table[kind] = {
            "passed": sum(bool(o.passed) for o in asked),
            "total": len(asked),
            "rate": rate(asked),
            "baseline_rate": rate(asks_of(results.baseline, kind)),
        }
    return table


def corrections_of(outcomes: Sequence[StepOutcome]) -> list[CorrectionOutcome]:
    return [o.correction for o in outcomes if o.correction is not None]


def summary_json(results: ScenarioResults, model_name: str) -> dict:
    corrections = corrections_of(results.memory)
    learned = [c.result for c in corrections if c.result is not None]
    replies = [o.reply_ms for o in results.memory if o.reply_ms is not None]
    return {
        "model": model_name,
        "scenarios": len(results.scenarios),
        "kinds": kind_scores(results),
        "overall": rate(asks_of(results.memory)) or 0.0,
        "corrections": len(corrections),
        "failed_corrections": len(corrections) - len(learned),
        # Per correction that learned something: a failed one changed nothing by
        # definition and is counted apart.
        "facts_added_per_correction": _mean([len(r.applied.added) for r in learned]),
        "facts_removed_per_correction": _mean([len(r.applied.removed) for r in learned]),
        "correction_ms_p50": percentile([c.ms for c in corrections if c.result], 50),
        "reply_ms_p50": percentile(replies, 50),
        "peak_rss_mb": results.peak_rss_mb,
    }


def _mean(values: Sequence[int]) -> float:
    return sum(values) / len(values) if values else 0.0
