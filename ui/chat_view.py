"""The scrolling conversation: user bubbles and answer cards in a centred column.

Follows the newest text while the user is at the bottom, leaves the view alone when
they scrolled up to read, and can jump to (and briefly highlight) any stored message.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from .message_widgets import AnswerCard, UserBubble

#: Reading width of the conversation column, as in the chat apps people know.
COLUMN_WIDTH = 780
HIGHLIGHT_MS = 2500
EMPTY_TEXT = (
    "<h2>Ask me anything</h2>"
    "<p>Everything stays on this computer. When an answer about your own world is "
    "wrong, press thumbs-down and tell me the right one: I will learn it as a fact "
    "you can see, change and undo.</p>"
)


class ChatView(QScrollArea):
    def __init__(self, parent=None):
        super().__init__(parent, objectName="ChatScroll")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QWidget(objectName="ChatColumn")
        row = QHBoxLayout(outer)
        row.setContentsMargins(24, 20, 24, 20)
        self.column = QWidget(objectName="ChatColumn")
        self.column.setMaximumWidth(COLUMN_WIDTH)
        self.items = QVBoxLayout(self.column)
        self.items.setSpacing(14)
        self.items.setContentsMargins(0, 0, 0, 0)
        self.items.addStretch(1)
        row.addStretch(1)
        row.addWidget(self.column, 100)
        row.addStretch(1)
        self.setWidget(outer)
        self.empty = QLabel(
            EMPTY_TEXT, objectName="Muted", wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter
        )
        self.empty.setContentsMargins(40, 80, 40, 0)
        self.items.insertWidget(0, self.empty)
        self._follow = True
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._remember_position)
        bar.rangeChanged.connect(self._keep_following)
        self._highlighted: AnswerCard | None = None

    # ----- content --------------------------------------------------------------

    def clear(self) -> None:
        for widget in self.message_widgets():
            self._remove(widget)
        self.empty.show()
        self._follow = True

    def remove_messages(self, message_ids: set[int]) -> None:
        """Take the stored messages ``message_ids`` (deleted) off the screen."""
        for widget in self.message_widgets():
            if widget.message_id in message_ids:
                self._remove(widget)
        self.empty.setVisible(not self.message_widgets())

    def _remove(self, widget: QWidget) -> None:
        # Hidden and detached now: deleteLater waits for the event loop, and until
        # then a removed widget would still be painted where it was.
        self.items.removeWidget(widget)
        widget.hide()
        widget.setParent(None)
        widget.deleteLater()
        if widget is self._highlighted:
            self._highlighted = None

    def message_widgets(self) -> list[QWidget]:
        found = []
        for index in range(self.items.count()):
            widget = self.items.itemAt(index).widget()
            if isinstance(widget, (UserBubble, AnswerCard)):
                found.append(widget)
        return found

    def _append(self, widget: QWidget) -> None:
        self.empty.hide()
        self.items.insertWidget(self.items.count() - 1, widget)

    def add_user(self, text: str, message_id: int | None = None) -> UserBubble:
        bubble = UserBubble(text, message_id)
        self._append(bubble)
        self._follow = True
        return bubble

    def add_answer(self, question: str) -> AnswerCard:
        card = AnswerCard(question)
        self._append(card)
        return card

    def answers(self) -> list[AnswerCard]:
        return [w for w in self.message_widgets() if isinstance(w, AnswerCard)]

    def widget_for_message(self, message_id: int) -> QWidget | None:
        for widget in self.message_widgets():
            if widget.message_id == message_id:
                return widget
        return None

    # ----- scrolling ------------------------------------------------------------

    def _remember_position(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._follow = value >= bar.maximum() - 40

    def _keep_following(self, _minimum: int, maximum: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(maximum)

    def jump_to(self, message_id: int) -> bool:
        """Scroll to a message and highlight it; False when it is not shown here."""
        widget = self.widget_for_message(message_id)
        if widget is None:
            return False
        self._follow = False
        QTimer.singleShot(0, lambda: self.ensureWidgetVisible(widget, 0, 60))
        if isinstance(widget, AnswerCard):
            self._highlight(widget)
        return True

    def _highlight(self, card: AnswerCard) -> None:
        if self._highlighted is not None:
            self._highlighted.set_highlighted(False)
        card.set_highlighted(True)
        self._highlighted = card
        QTimer.singleShot(HIGHLIGHT_MS, card, lambda: card.set_highlighted(False))
