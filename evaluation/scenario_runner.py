"""Playing chat scenarios through the chat window's own code path.

Every message goes through :class:`assistant.chat.ChatSession`, one session (one
conversation) per scenario, every scenario into one memory, in file order: one person
over time. A second pass plays the same conversations on an empty memory where nothing
is learned: the model alone, the baseline each kind is compared with.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.api import (
    AssistantError,
    ChatSession,
    CorrectionResult,
    Fact,
    GraphStore,
    LanguageModel,
    Settings,
    Turn,
    apply_proposal,
    drain,
    open_database,
)

from .matching import reply_passes
from .runner import ProgressCallback, peak_rss_mb
from .scenario_file import Ask, Scenario, Step, Teach, Tell

#: The window's reply budget (ui/worker.py): at most 512 tokens, half a small context.
WINDOW_ANSWER_TOKENS = 512

NO_STATEMENT_HOOK = "not learned: this version of the chat cannot learn from statements"
NOTHING_STATED = "not learned: the chat found no fact to learn in the message"


@dataclass
class CorrectionOutcome:
    """One correction (a teach, or a tell the chat learned from)."""

    result: CorrectionResult | None
    failure: str | None  # why nothing was learned, when it failed
    ms: float


@dataclass
class StepOutcome:
    scenario_id: str
    number: int  # 1-based, within the scenario
    step: Step
    reply: str = ""
    reply_ms: float | None = None
    facts: list[Fact] = field(default_factory=list)
    path: list[Fact] = field(default_factory=list)  # the chain the reply followed
    error: str | None = None  # the message could not be sent
    passed: bool | None = None  # asks only
    correction: CorrectionOutcome | None = None
    note: str | None = None  # a tell that taught nothing, and why

    @property
    def failed(self) -> bool:
        """Shown in the report: a failed ask, correction, or a tell that taught nothing."""
        if self.passed is False or self.error:
            return True
        return bool(self.note or (self.correction and self.correction.failure))


@dataclass
class ScenarioResults:
    scenarios: list[Scenario]
    memory: list[StepOutcome]
    baseline: list[StepOutcome]
    wall_s: float
    peak_rss_mb: float


def reply_budget(model: LanguageModel) -> int:
    return min(WINDOW_ANSWER_TOKENS, model.context_length // 2)


def run_scenarios(
    model: LanguageModel,
    scenarios: Sequence[Scenario],
    settings: Settings,
    on_progress: ProgressCallback | None = None,
) -> ScenarioResults:
    """Both passes, each into a fresh temporary home: never the user's own data."""
    start = time.perf_counter()
    total = 2 * sum(len(s.steps) for s in scenarios)
    done = 0

    def tick(label: str) -> None:
        nonlocal done
        done += 1
        if on_progress:
            on_progress(done, total, label)

    if on_progress:
        on_progress(0, total, "starting")
    with tempfile.TemporaryDirectory(prefix="kgt-scenarios-") as home:
        memory = _play_all(model, scenarios, settings, Path(home) / "memory.db", True, tick)
        baseline = _play_all(model, scenarios, settings, Path(home) / "alone.db", False, tick)
    return ScenarioResults(
        list(scenarios), memory, baseline, time.perf_counter() - start, peak_rss_mb()
    )


def _play_all(
    model: LanguageModel,
    scenarios: Sequence[Scenario],
    settings: Settings,
    database: Path,
    learn: bool,
    tick: Callable[[str], None],
) -> list[StepOutcome]:
    store = GraphStore(open_database(database))
    label = "memory" if learn else "model alone"
    outcomes: list[StepOutcome] = []
    try:
        for scenario in scenarios:
            session = ChatSession(model, store, settings, max_tokens=reply_budget(model))
            for number, step in enumerate(scenario.steps, start=1):
                outcomes.append(_play_step(session, scenario.id, number, step, learn))
                tick(f"{label}: {scenario.id}")
    finally:
        store.db.close()
    return outcomes


def _play_step(
    session: ChatSession, scenario_id: str, number: int, step: Step, learn: bool
) -> StepOutcome:
    text = step.question if isinstance(step, Teach | Ask) else step.message
    outcome = StepOutcome(scenario_id, number, step)
    turn = _send(session, text, outcome)
    if isinstance(step, Ask):
        outcome.passed = turn is not None and reply_passes(outcome.reply, step.expect, step.reject)
    elif learn and isinstance(step, Teach):
        outcome.correction = _teach(session, step, turn)
    elif learn and isinstance(step, Tell):
        _tell(session, turn, outcome)
    return outcome


def _send(session: ChatSession, text: str, outcome: StepOutcome) -> Turn | None:
    began = time.perf_counter()
    try:
        turn, pieces = session.send(text)
        outcome.reply = "".join(pieces)
    except AssistantError as error:
        outcome.error = str(error)
        return None
    outcome.reply_ms = _ms_since(began)
    outcome.facts = list(turn.facts)
    outcome.path = list(turn.path)
    return turn


def _teach(session: ChatSession, step: Teach, turn: Turn | None) -> CorrectionOutcome:
    if turn is None:
        # Correcting now would correct the turn before it: nothing to thumbs-down.
        return CorrectionOutcome(None, "the question got no reply to correct", 0.0)
    began = time.perf_counter()
    try:
        return _learned(session, session.correct(step.answer, subject=step.subject), began)
    except AssistantError as error:
        return CorrectionOutcome(None, str(error), _ms_since(began))


def _tell(session: ChatSession, turn: Turn | None, outcome: StepOutcome) -> None:
    """Learn from a statement the way the chat does, if this chat can."""
    learn_statement = getattr(session, "learn_statement", None)
    if learn_statement is None:
        outcome.note = NO_STATEMENT_HOOK
        return
    if turn is None:
        outcome.note = "not learned: the message got no reply"
        return
    began = time.perf_counter()
    try:
        correction = learn_statement(turn)
        if correction is None:
            outcome.note = NOTHING_STATED
            return
        outcome.correction = _learned(session, correction, began)
    except AssistantError as error:
        outcome.correction = CorrectionOutcome(None, str(error), _ms_since(began))


def _learned(session: ChatSession, correction: Generator, began: float) -> CorrectionOutcome:
    result = drain(correction)
    if not isinstance(result, CorrectionResult):
        # A correction that waits for the user's approval ("ask before saving"): the
        # person in the scenario approves it.
        result = CorrectionResult(apply_proposal(session.store, result), result, _ms_since(began))
    return CorrectionOutcome(result, None, _ms_since(began))


def _ms_since(began: float) -> float:
    return (time.perf_counter() - began) * 1000.0
