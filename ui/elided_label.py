"""A one-line label that ends in "…" when its text is wider than the room it is given."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy


class ElidedLabel(QLabel):
    """Takes the room its layout leaves it and never asks for more: a long text is cut
    with "…" instead of running on (under the widgets beside it, or widening the
    window). ``text()`` and the tooltip keep the whole text; ``shown_text()`` is what
    is drawn."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(parent)
        self._text = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._text = text
        self.setToolTip(text)
        self._elide()

    def text(self) -> str:
        return self._text

    def shown_text(self) -> str:
        return super().text()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._elide()

    def _elide(self) -> None:
        room = max(self.contentsRect().width(), 0)
        shown = self.fontMetrics().elidedText(self._text, Qt.TextElideMode.ElideRight, room)
        super().setText(shown)
