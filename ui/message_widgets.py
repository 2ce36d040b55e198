"""The two kinds of message in the chat: the user's bubble and the assistant's answer card.

An answer renders Markdown as it streams in, offers thumbs-up / thumbs-down and copy,
can show the facts that were put in its prompt, says the path a two-hop answer followed
("via Rex's vet Dr. Moreau, who works at Vetcare Lyon"; clicking it shows the path on
the knowledge panel's graph), and holds, right under its text, the inline correction
widgets (editor, progress, proposal, learned-facts notice).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from assistant.api import Fact, path_said_to_user

from .fact_text import sentence, triple_text
from .icons import icon
from .theme import current_colors

ICON_SIZE = QSize(18, 18)
BUBBLE_WIDTH = 560


def _text_label(text: str = "", markdown: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.MarkdownText if markdown else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.LinksAccessibleByMouse
    )
    label.setOpenExternalLinks(True)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return label


def _tool_button(name: str, tip: str, checkable: bool = False) -> QToolButton:
    button = QToolButton()
    button.setIcon(icon(name, current_colors().muted))
    button.setIconSize(ICON_SIZE)
    button.setToolTip(tip)
    button.setAccessibleName(tip)
    button.setCheckable(checkable)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


class UserBubble(QWidget):
    """The user's message, right-aligned in a tinted bubble."""

    def __init__(self, text: str, message_id: int | None = None, parent=None):
        super().__init__(parent)
        self.message_id = message_id
        self.text = text
        bubble = QFrame(objectName="UserBubble")
        inner = QVBoxLayout(bubble)
        inner.setContentsMargins(14, 10, 14, 10)
        self.label = _text_label(text)
        inner.addWidget(self.label)
        bubble.setMaximumWidth(BUBBLE_WIDTH)
        # A wrapping label asks for little width; give short messages their one line.
        widest = max(self.label.fontMetrics().horizontalAdvance(line) for line in text.split("\n"))
        self.label.setMinimumWidth(min(widest + 4, BUBBLE_WIDTH - 28))
        row = QHBoxLayout(self)
        row.setContentsMargins(80, 0, 0, 0)
        row.addStretch(1)
        row.addWidget(bubble)


class AnswerCard(QFrame):
    """One answer of the assistant, with its feedback buttons and correction area."""

    correction_requested = Signal(object)  # self
    copied = Signal(str)
    path_requested = Signal(list)  # the path's Facts, to show on the graph

    def __init__(self, question: str, parent=None):
        super().__init__(parent, objectName="AnswerCard")
        self.question = question
        self.text = ""
        self.subject: str | None = None
        self.facts: list[Fact] = []
        self.path: list[Fact] = []
        self.message_id: int | None = None
        self.request_id: int | None = None
        self.finished = False
        self.stopped = False
        self.setProperty("highlighted", False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 10)
        layout.setSpacing(6)
        self.role = QLabel("Assistant", objectName="Role")
        layout.addWidget(self.role)
        self.body = _text_label("…", markdown=True)
        layout.addWidget(self.body)
        layout.addWidget(self._path_line())
        layout.addWidget(self._footer())
        self.facts_frame = self._facts_frame()
        layout.addWidget(self.facts_frame)
        self.extras = QVBoxLayout()  # correction editor, proposal, notices
        self.extras.setSpacing(8)
        layout.addLayout(self.extras)

    def _footer(self) -> QWidget:
        footer = QWidget()
        row = QHBoxLayout(footer)
        row.setContentsMargins(0, 2, 0, 0)
        row.setSpacing(2)
        self.thumbs_up = _tool_button("thumb-up", "Good answer", checkable=True)
        self.thumbs_down = _tool_button(
            "thumb-down", "Wrong answer: teach me the right one", checkable=True
        )
        self.copy_button = _tool_button("copy", "Copy the answer")
        self.thumbs_down.clicked.connect(self._on_thumbs_down)
        self.thumbs_up.clicked.connect(lambda on: on and self.thumbs_down.setChecked(False))
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.facts_toggle = QToolButton(checkable=True)
        self.facts_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.facts_toggle.toggled.connect(lambda on: self.facts_frame.setVisible(on))
        self.facts_toggle.hide()
        self.status = QLabel(objectName="Muted")
        for widget in (self.thumbs_up, self.thumbs_down, self.copy_button, self.facts_toggle):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.status)
        self._set_feedback_enabled(False)
        return footer

    def _path_line(self) -> QLabel:
        self.path_line = QLabel(objectName="Muted", wordWrap=True)
        self.path_line.setTextFormat(Qt.TextFormat.RichText)
        self.path_line.setToolTip("Show this path on the knowledge graph")
        self.path_line.linkActivated.connect(lambda _link: self.path_requested.emit(self.path))
        self.path_line.hide()
        return self.path_line

    def _facts_frame(self) -> QFrame:
        frame = QFrame(objectName="FactsUsed")
        self.facts_list = QVBoxLayout(frame)
        self.facts_list.setContentsMargins(0, 6, 0, 0)
        frame.hide()
        return frame

    # ----- streaming ------------------------------------------------------------

    def set_facts(self, subject: str | None, facts: list[Fact]) -> None:
        """The facts retrieved into this answer's prompt ("which facts shaped it")."""
        self.subject, self.facts = subject, list(facts)
        while self.facts_list.count():
            self.facts_list.takeAt(0).widget().deleteLater()
        self.facts_toggle.setVisible(bool(facts))
        if not facts:
            self.facts_frame.hide()
            return
        noun = "fact" if len(facts) == 1 else "facts"
        self.facts_toggle.setText(f"Used {len(facts)} {noun} about {subject}")
        self.facts_toggle.setToolTip("Show the facts from your knowledge that were in the prompt")
        for fact in facts:
            line = QLabel(f"•  {sentence(fact)}", objectName="Muted")
            line.setToolTip(triple_text(fact))  # the graph's notation, at hand
            line.setWordWrap(True)
            self.facts_list.addWidget(line)

    def set_path(self, path: list[Fact]) -> None:
        """The chain of two facts a two-hop answer followed: "via ..." under the reply."""
        self.path = list(path)
        self.path_line.setVisible(bool(self.path))
        if self.path:
            via = html.escape(f"via {path_said_to_user(self.path)}", quote=False)
            self.path_line.setText(f'<a href="path">{via}</a>')

    def append(self, piece: str) -> None:
        self.text += piece
        self.body.setText(self.text)

    def finish(self, text: str, stopped: bool = False) -> None:
        self.text, self.finished, self.stopped = text, True, stopped
        self.body.setText(text.strip() or "*(no answer)*")
        if stopped:
            self.status.setText("Stopped")
        self._set_feedback_enabled(bool(text.strip()))

    def fail(self, message: str) -> None:
        self.finished = True
        self.body.setText(f"*{message}*")
        self.status.setText("Failed")

    def _set_feedback_enabled(self, enabled: bool) -> None:
        for button in (self.thumbs_up, self.thumbs_down, self.copy_button):
            button.setEnabled(enabled)

    def set_learning_allowed(self, allowed: bool, why: str = "") -> None:
        """Incognito: no thumbs-down teaching (nothing may be learned)."""
        self.thumbs_down.setVisible(allowed)
        if not allowed:
            self.thumbs_down.setToolTip(why)

    # ----- actions --------------------------------------------------------------

    def _on_thumbs_down(self, checked: bool) -> None:
        if checked:
            self.thumbs_up.setChecked(False)
            self.correction_requested.emit(self)

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.text.strip())
        self.copy_button.setIcon(icon("check", current_colors().added))
        self.copied.emit(self.text.strip())

    def attach(self, widget: QWidget) -> None:
        """Show ``widget`` under the answer (the correction area)."""
        self.extras.addWidget(widget)
        widget.show()

    def set_highlighted(self, on: bool) -> None:
        self.setProperty("highlighted", on)
        self.style().unpolish(self)
        self.style().polish(self)
