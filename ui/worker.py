"""The model thread: one QObject that owns the model and runs every model call.

Its slots run in the worker's own QThread, one job at a time, in the order asked.
Each long job is a generator from the core (a chat stream, a correction's progress);
the worker turns every piece into a signal and, between pieces, checks whether the
user pressed Stop: then it closes the generator (llama.cpp stops decoding, nothing is
written) instead of killing the thread. Stop is a set of request ids guarded by a lock,
written from the UI thread directly, because a queued call would only run after the
job it is meant to stop.

The worker opens its own connection to the knowledge database (one per thread).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from assistant.api import (
    ChatSession,
    GraphStore,
    LanguageModel,
    Learner,
    ModelError,
    Settings,
    StatedFact,
    Teaching,
    Turn,
    apply_proposal,
    forget_remembered_text,
    load_language_data,
    open_database,
    warm_up_correction,
)

from .errors import describe

ModelFactory = Callable[[Settings], LanguageModel]

#: Tokens an answer may have; long enough for a real model's explanations.
ANSWER_TOKENS = 512


@dataclass(frozen=True)
class AnswerRequest:
    question: str
    #: Earlier (question, answer, subject, from memory) of the conversation: a reply
    #: from memory (a fact said, "I don't know") stays out of the model's history.
    history: list[tuple[str, str, str | None, bool]]
    settings: Settings


@dataclass(frozen=True)
class CorrectionRequest:
    question: str
    model_answer: str
    user_answer: str
    subject: str | None
    message_id: str | None
    settings: Settings
    ask_first: bool = False  # propose only; the user approves before anything is saved
    #: The fact the question (a chat message) states, read once by the window; the
    #: user's answer is then unused.
    stated: StatedFact | None = None


@dataclass(frozen=True)
class WarmUpRequest:
    question: str
    subject: str | None
    settings: Settings


@dataclass
class AnswerStart:
    subject: str | None
    facts: list = field(default_factory=list)
    path: list = field(default_factory=list)  # the two facts a two-hop answer followed


class ModelWorker(QObject):
    """Lives in the model thread; talk to it only through queued signals and ``stop``."""

    model_loading = Signal(str)
    model_ready = Signal(str)  # model name
    model_failed = Signal(object)  # ui.errors.Problem
    answer_started = Signal(int, object)  # request id, AnswerStart
    answer_piece = Signal(int, str)
    answer_finished = Signal(int, str, bool)  # request id, whole text, stopped early
    correction_progress = Signal(int, str, float)  # request id, stage, fraction
    correction_proposed = Signal(int, object)  # request id, ProposedCorrection
    correction_applied = Signal(int, object)  # request id, AppliedCorrection
    correction_cancelled = Signal(int)
    failed = Signal(int, object)  # request id, ui.errors.Problem

    def __init__(self, database_file: Path, model_factory: ModelFactory):
        super().__init__()
        self._database_file = database_file
        self._model_factory = model_factory
        self._model: LanguageModel | None = None
        self._store: GraphStore | None = None
        self._stopped: set[int] = set()
        self._closing = False
        self._lock = threading.Lock()

    # ----- called from the UI thread --------------------------------------------

    def stop(self, request_id: int) -> None:
        """Ask the job ``request_id`` to stop at its next piece (thread-safe)."""
        with self._lock:
            self._stopped.add(request_id)

    def stop_all(self) -> None:
        """Stop whatever runs now and everything still queued (the window is closing)."""
        with self._lock:
            self._closing = True

    def _should_stop(self, request_id: int) -> bool:
        with self._lock:
            return self._closing or request_id in self._stopped

    def _forget(self, request_id: int) -> None:
        with self._lock:
            self._stopped.discard(request_id)

    # ----- jobs (run in the model thread) ---------------------------------------

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            self._store = GraphStore(open_database(self._database_file))
        return self._store

    @Slot(object)
    def load_model(self, settings: Settings) -> None:
        self._close_model()
        self.model_loading.emit(settings.model_path or "the embedded model")
        try:
            self._model = self._model_factory(settings)
            load_language_data()
        except Exception as error:  # a failed load must leave the app usable
            self.model_failed.emit(describe(error))
            return
        self.model_ready.emit(getattr(self._model, "name", "model"))

    @Slot()
    def forget_cache(self) -> None:
        # Runs in the model thread, after any answer in flight: the KV and prompt
        # caches, and the core's memos of questions, may still hold the text of a
        # fact or a message the user just deleted.
        forget_remembered_text()
        if self._model is not None:
            self._model.forget_cache()

    def _require_model(self) -> LanguageModel:
        if self._model is None:
            raise ModelError("no model is loaded; choose one in Settings")
        return self._model

    def _guarded(self, request_id: int, job: Callable, *args) -> None:
        """Run a job; any failure becomes a ``failed`` signal, never a dead thread."""
        try:
            job(request_id, *args)
        except Exception as error:
            self.failed.emit(request_id, describe(error))
        finally:
            self._forget(request_id)

    @Slot(int, object)
    def answer(self, request_id: int, request: AnswerRequest) -> None:
        self._guarded(request_id, self._stream_answer, request)

    def _stream_answer(self, request_id: int, request: AnswerRequest) -> None:
        turns = [
            Turn(question, answer, subject=subject, from_memory=from_memory)
            for question, answer, subject, from_memory in request.history
        ]
        model = self._require_model()
        # A small context must still leave room for the question.
        room = min(ANSWER_TOKENS, model.context_length // 2)
        session = ChatSession(model, self.store, request.settings, max_tokens=room, turns=turns)
        turn, pieces = session.send(request.question)
        start = AnswerStart(turn.subject, list(turn.facts), list(turn.path))
        self.answer_started.emit(request_id, start)
        stopped = False
        try:
            for piece in pieces:
                # Shown before the check: the turn's text already holds this piece.
                self.answer_piece.emit(request_id, piece)
                if self._should_stop(request_id):
                    stopped = True
                    break
        finally:
            pieces.close()  # stops llama.cpp's generation when we left early
        self.answer_finished.emit(request_id, turn.answer, stopped)

    @Slot(int, object)
    def correct(self, request_id: int, request: CorrectionRequest) -> None:
        self._guarded(request_id, self._run_correction, request)

    @Slot(object)
    def warm_up(self, request: WarmUpRequest) -> None:
        """Evaluate the correction's answer-independent prompts while the user types."""
        if self._model is None or self._closing:
            return
        # Only a head start: whatever fails here fails again in the correction itself,
        # which reports it; a warning now would be about nothing the user asked for.
        with contextlib.suppress(Exception):
            warm_up_correction(
                self._model,
                self.store,
                request.question,
                subject=request.subject,
                k=request.settings.k_relations,
                top_n=request.settings.top_n_facts,
            )

    def _run_correction(self, request_id: int, request: CorrectionRequest) -> None:
        teaching = Teaching(
            request.question,
            request.user_answer,
            subject=request.subject or None,
            model_answer=request.model_answer,
            message_id=request.message_id,
            stated=request.stated,
        )
        learner = Learner(self._require_model(), self.store, request.settings)
        steps = learner.learn(teaching, ask_first=request.ask_first)
        finished, result = self._drive(request_id, steps)
        if not finished:
            self.correction_cancelled.emit(request_id)
        elif request.ask_first:
            self.correction_proposed.emit(request_id, result)
        else:
            self.correction_applied.emit(request_id, result.applied)

    def _drive(self, request_id: int, steps: Generator) -> tuple[bool, object]:
        """Run a progress generator, reporting each step; (False, None) when stopped."""
        try:
            while True:
                if self._should_stop(request_id):
                    return False, None
                progress = next(steps)
                self.correction_progress.emit(request_id, progress.stage, progress.fraction)
        except StopIteration as done:
            return True, done.value
        finally:
            steps.close()  # nothing is written before the generator's last step

    @Slot(int, object)
    def apply(self, request_id: int, proposal) -> None:
        """Save a correction the user approved."""
        self._guarded(request_id, self._apply, proposal)

    def _apply(self, request_id: int, proposal) -> None:
        self.correction_applied.emit(request_id, apply_proposal(self.store, proposal))

    @Slot()
    def shutdown(self) -> None:
        self._close_model()
        if self._store is not None:
            self._store.db.conn.close()
            self._store = None

    def _close_model(self) -> None:
        if self._model is not None:
            self._model.close()
            self._model = None
