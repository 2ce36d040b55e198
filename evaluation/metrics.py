"""ROME's CounterFact scores and the latency summaries, as plain functions.

Every target is compared by its mean per-token log-probability (the leading space
belongs to the target), and a case counts only when the preferred answer is strictly
more likely.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CaseOutcome:
    """Mean log-probabilities of the targets for one case under one method."""

    new_on_prompt: float
    true_on_prompt: float
    new_on_rephrase: float
    true_on_rephrase: float
    local_true_on_locality: float
    new_on_locality: float

    @property
    def efficacy(self) -> bool:
        return self.new_on_prompt > self.true_on_prompt

    @property
    def paraphrase(self) -> bool:
        return self.new_on_rephrase > self.true_on_rephrase

    @property
    def neighborhood(self) -> bool:
        return self.local_true_on_locality > self.new_on_locality


@dataclass(frozen=True)
class Scores:
    efficacy: float
    paraphrase: float
    neighborhood: float


def percent(flags: Sequence[bool]) -> float:
    return 100.0 * sum(bool(f) for f in flags) / len(flags) if flags else 0.0


def scores_of(outcomes: Sequence[CaseOutcome]) -> Scores:
    return Scores(
        efficacy=percent([o.efficacy for o in outcomes]),
        paraphrase=percent([o.paraphrase for o in outcomes]),
        neighborhood=percent([o.neighborhood for o in outcomes]),
    )
