"""A dismissible message strip at the top of the chat, for problems the user can fix."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton

from .errors import Problem


class Banner(QFrame):
    settings_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent, objectName="Banner")
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 8, 8, 8)
        self.message = QLabel(wordWrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.message, 1)
        self.settings_button = QPushButton("Open settings")
        self.settings_button.clicked.connect(self.settings_requested.emit)
        row.addWidget(self.settings_button)
        close = QToolButton(text="✕")
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        row.addWidget(close)
        self.problem: Problem | None = None
        self.hide()

    def show_problem(self, problem: Problem) -> None:
        self.problem = problem
        self.message.setText(problem.message)
        self.settings_button.setVisible(problem.suggests_settings)
        self.show()

    def text(self) -> str:
        return self.message.text() if self.isVisible() else ""
