"""Fixtures for driving the real window offscreen with the fake model (or the real one)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from models.fake import FakeLanguageModel
from ui.main_window import MainWindow

WAIT_MS = 10_000
#: Said by Qt's offscreen platform plugin about dock widgets; not a problem of the app.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


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
