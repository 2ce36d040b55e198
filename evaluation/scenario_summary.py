"""The scenarios' JSON summary: pass rates per kind against the model alone, and what
the corrections cost and changed. Rates are percentages; a kind the file never asks
has a total of 0 and null rates (no rate, rather than a misleading 0 or 100)."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.api import Fact
from assistant.timing import percentile

from .matching import contains_phrase
from .scenario_file import KINDS, Ask, Scenario, Tell
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
    tells = [o for o in results.memory if isinstance(o.step, Tell)]
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
        # Removed facts the scenarios never changed: lost, where an update keeps the rest.
        "facts_lost": sum(1 for _, _, update in removals(results) if not update),
        # Statements told in chat, and those that taught nothing (read as no fact, or a
        # correction that failed): a statement the app ignores is a fact silently lost.
        "tells_total": len(tells),
        "tells_not_learned": sum(1 for o in tells if not _learned_something(o)),
        "correction_ms_p50": percentile([c.ms for c in corrections if c.result], 50),
        "reply_ms_p50": percentile(replies, 50),
        "peak_rss_mb": results.peak_rss_mb,
    }


def _learned_something(outcome: StepOutcome) -> bool:
    result = outcome.correction.result if outcome.correction else None
    return result is not None and bool(result.applied.added)


def _mean(values: Sequence[int]) -> float:
    return sum(values) / len(values) if values else 0.0


def removals(results: ScenarioResults) -> list[tuple[StepOutcome, Fact, bool]]:
    """Every fact a correction removed, with whether the scenarios changed it (an
    update) or not (a fact the person never asked to lose)."""
    return [
        (o, fact, is_update(results.scenarios, o, fact))
        for o in results.memory
        if o.correction and o.correction.result
        for fact in o.correction.result.applied.removed
    ]


def is_update(scenarios: Sequence[Scenario], outcome: StepOutcome, fact: Fact) -> bool:
    """The file says the removed value changed: a later ``update`` ask (in the same
    scenario or one that refers back to it) rejects it, or a later ``history`` ask
    expects it as what was true before."""
    start = next(i for i, s in enumerate(scenarios) if s.id == outcome.scenario_id)
    later = [
        step
        for i, scenario in enumerate(scenarios[start:])
        for step in (scenario.steps[outcome.number :] if i == 0 else scenario.steps)
    ]
    return any(
        isinstance(step, Ask)
        and (
            (step.kind == "update" and _names(step.reject, fact.object))
            or (step.kind == "history" and _names(step.expect, fact.object))
        )
        for step in later
    )


def _names(phrases: Sequence[str], value: str) -> bool:
    return any(contains_phrase(value, p) or contains_phrase(p, value) for p in phrases)
