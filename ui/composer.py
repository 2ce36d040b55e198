"""Where the user types: Enter sends, Shift+Enter starts a new line; Send turns into Stop."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPlainTextEdit, QPushButton

MAX_LINES = 8


class MessageInput(QPlainTextEdit):
    """A growing text box; Enter submits, Shift+Enter inserts a newline."""

    submitted = Signal()

    def __init__(self, parent=None):
        super().__init__(parent, objectName="MessageInput")
        self.setPlaceholderText("Message the assistant…")
        self.setToolTip("Enter sends, Shift+Enter starts a new line")
        self.setTabChangesFocus(True)
        self.textChanged.connect(self._fit_height)
        self._fit_height()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        is_enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if is_enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.submitted.emit()
            return
        super().keyPressEvent(event)

    def _fit_height(self) -> None:
        lines = min(max(self.document().blockCount(), 1), MAX_LINES)
        line_height = self.fontMetrics().lineSpacing()
        self.setFixedHeight(lines * line_height + 18)


class Composer(QFrame):
    send_requested = Signal(str)
    stop_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent, objectName="Composer")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 8, 6)
        self.input = MessageInput()
        self.input.submitted.connect(self._send)
        self.button = QPushButton("Send", objectName="Primary")
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.setMinimumWidth(72)
        self.button.clicked.connect(self._on_button)
        row.addWidget(self.input, 1)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignBottom)
        self.generating = False
        self.ready = True

    def _on_button(self) -> None:
        if self.generating:
            self.stop_requested.emit()
        else:
            self._send()

    def _send(self) -> None:
        text = self.input.toPlainText().strip()
        if not text or self.generating or not self.ready:
            return
        self.input.clear()
        self.send_requested.emit(text)

    def set_generating(self, generating: bool) -> None:
        """While an answer streams the button stops it; Enter does nothing."""
        self.generating = generating
        self.button.setText("Stop" if generating else "Send")
        self.button.setObjectName("Stop" if generating else "Primary")
        self.button.style().unpolish(self.button)
        self.button.style().polish(self.button)
        self._update_enabled()

    def set_ready(self, ready: bool, why: str = "") -> None:
        """False while no model is loaded: typing is fine, sending waits."""
        self.ready = ready
        self.button.setToolTip(why)
        self._update_enabled()

    def _update_enabled(self) -> None:
        self.button.setEnabled(self.generating or self.ready)
