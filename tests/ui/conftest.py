"""Fixtures for driving the real window offscreen with the fake model (or the real one)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from models.fake import FakeLanguageModel
from ui.main_window import MainWindow

WAIT_MS = 10_000
#: Said by Qt's offscreen platform plugin about dock widgets; not a problem of the app.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


class Gate:
    """Where the fake model waits, in its own thread, until the test opens the gate:
    tests stop, leave or watch the window while the model is busy at a known point
    instead of guessing how long a slow model takes."""

    def __init__(self):
        self.reached = threading.Event()
        self._open = threading.Event()

    def wait(self) -> None:
        self.reached.set()
        if not self._open.wait(WAIT_MS / 1000):
            raise TimeoutError("the test never opened the model's gate")

    def open(self) -> None:
        self._open.set()


class HeldAnswers(FakeLanguageModel):
    """Chat answers stop after their first ``shown`` pieces until the gate opens."""

    def __init__(self, shown: int = 2):
        super().__init__()
        self.shown = shown
        self.gate = Gate()

    def chat(self, messages, **options):
        return self._held(super().chat(messages, **options))

    def _held(self, pieces):
        for index, piece in enumerate(pieces):
            if index == self.shown:
                self.gate.wait()
            yield piece


class HeldCorrections(FakeLanguageModel):
    """Completions (a correction naming its relations) wait until the gate opens."""

    def __init__(self):
        super().__init__()
        self.gate = Gate()

    def complete(self, prompt, **options):
        self.gate.wait()
        return super().complete(prompt, **options)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/ui/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture
def open_window(qtbot, private_home):
    """Open a main window on the private home; the model comes from ``factory`` or is
    ``model`` (a FakeLanguageModel by default). Waits until the model is loaded."""

    def open_(model=None, factory=None, wait_ready=True):
        model = model or FakeLanguageModel()
        window = MainWindow(private_home, factory or (lambda settings: model))
        qtbot.addWidget(window)
        window.show()
        if wait_ready:
            qtbot.waitUntil(lambda: window.model_name is not None, timeout=WAIT_MS)
        return window

    return open_


def type_and_send(qtbot, window, text: str) -> None:
    """Type into the composer and press Enter, as a user would."""
    window.composer.input.setFocus()
    qtbot.keyClicks(window.composer.input, text)
    qtbot.keyClick(window.composer.input, Qt.Key.Key_Return)


def wait_for_answer(qtbot, window, timeout: int = WAIT_MS):
    qtbot.waitUntil(lambda: window.active_request is None, timeout=timeout)
    return window.chat.answers()[-1]


def ask(qtbot, window, text: str, timeout: int = WAIT_MS):
    type_and_send(qtbot, window, text)
    return wait_for_answer(qtbot, window, timeout)
