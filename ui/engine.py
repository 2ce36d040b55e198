"""The UI thread's handle on the model thread: start it, ask it things, stop it.

Requests go to :class:`ui.worker.ModelWorker` through queued signals, so they run in
the model thread in order; the worker's signals come back queued to the UI thread.
Each request gets an id, so answers and corrections find the widget they belong to.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from assistant.api import Settings

from .worker import AnswerRequest, CorrectionRequest, ModelFactory, ModelWorker, WarmUpRequest


class Engine(QObject):
    """Owns the model thread; every method returns at once."""

    _load = Signal(object)
    _answer = Signal(int, object)
    _correct = Signal(int, object)
    _warm_up = Signal(object)
    _apply = Signal(int, object)
    _forget_cache = Signal()
    _shutdown = Signal()

    def __init__(self, database_file: Path, model_factory: ModelFactory, parent=None):
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._thread = QThread()
        self._thread.setObjectName("model-thread")
        self.worker = ModelWorker(database_file, model_factory)
        self.worker.moveToThread(self._thread)
        self._load.connect(self.worker.load_model)
        self._answer.connect(self.worker.answer)
        self._correct.connect(self.worker.correct)
        self._warm_up.connect(self.worker.warm_up)
        self._apply.connect(self.worker.apply)
        self._forget_cache.connect(self.worker.forget_cache)
        self._shutdown.connect(self.worker.shutdown)
        self._thread.start()

    def load_model(self, settings: Settings) -> None:
        self._load.emit(settings)

    def forget_cache(self) -> None:
        """Facts were deleted or undone: the model must keep no prompt that held them."""
        self._forget_cache.emit()

    def ask(self, question: str, history: list[tuple[str, str]], settings: Settings) -> int:
        request_id = next(self._ids)
        self._answer.emit(request_id, AnswerRequest(question, history, settings))
        return request_id

    def correct(self, request: CorrectionRequest) -> int:
        request_id = next(self._ids)
        self._correct.emit(request_id, request)
        return request_id

    def warm_up(self, request: WarmUpRequest) -> None:
        """Thumbs-down: let the model start on the correction while the user types."""
        self._warm_up.emit(request)

    def apply(self, proposal) -> int:
        request_id = next(self._ids)
        self._apply.emit(request_id, proposal)
        return request_id

    def stop(self, request_id: int) -> None:
        self.worker.stop(request_id)

    def close(self, timeout_ms: int = 30_000) -> None:
        """Let the current job finish its piece, free the model, end the thread."""
        if not self._thread.isRunning():
            return
        self.worker.stop_all()
        self._shutdown.emit()
        self._thread.quit()
        self._thread.wait(timeout_ms)
