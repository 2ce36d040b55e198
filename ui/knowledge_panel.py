"""The knowledge panel: everything the assistant learned, its history, and a graph.

Reads and writes through the UI thread's own connection to the knowledge database
(deleting and undoing are quick single transactions, no model involved). Deleting
facts or forgetting an entity may delete the chat messages that state them too; the
window is told, to take them off the screen.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from assistant.api import Fact, Forgotten, GraphStore

from .facts_table import FactsTable
from .graph_view import GraphView
from .history_view import HistoryView


class KnowledgePanel(QWidget):
    jump_requested = Signal(int)  # message id
    changed = Signal()  # facts were deleted or a correction undone here
    messages_deleted = Signal(object)  # a DeletedMessages: chat messages deleted here
    failed = Signal(str)

    def __init__(self, store: GraphStore, parent=None):
        super().__init__(parent)
        self.store = store
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 10)
        intro = QLabel(
            "What the assistant learned from your corrections. Delete anything; "
            "it is gone everywhere.",
            objectName="Muted",
            wordWrap=True,
        )
        layout.addWidget(intro)
        self.tabs = QTabWidget()
        self.facts = FactsTable(store)
        self.history = HistoryView(store)
        self.graph = GraphView(store)
        self.tabs.addTab(self.facts, "Facts")
        self.tabs.addTab(self.history, "History")
        self.tabs.addTab(self.graph, "Graph")
        layout.addWidget(self.tabs)
        self.facts.jump_requested.connect(self.jump_requested.emit)
        self.facts.entity_selected.connect(self._remember_entity)
        self.facts.forgotten.connect(self._after_forget)
        self.graph.forgotten.connect(self._after_forget)
        self.history.undone.connect(lambda _id: self._after_change())
        self.history.failed.connect(self.failed.emit)
        self.tabs.currentChanged.connect(self._on_tab)

    def _on_tab(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.graph:
            self.graph.refresh()

    def _remember_entity(self, entity: str) -> None:
        self.graph.entity = entity
        if self.tabs.currentWidget() is self.graph:
            self.graph.show_entity(entity)

    def refresh(self) -> None:
        self.facts.refresh()
        self.history.refresh()
        self.graph.refresh()

    def _after_forget(self, forgotten: Forgotten) -> None:
        self._after_change()
        if forgotten.messages.count:
            self.messages_deleted.emit(forgotten.messages)

    def _after_change(self) -> None:
        self.refresh()
        self.changed.emit()

    def show_path(self, path: list[Fact]) -> None:
        """The graph, with a two-hop answer's path highlighted."""
        self.tabs.setCurrentWidget(self.graph)  # draws the graph as it was first
        self.graph.show_path(path)
