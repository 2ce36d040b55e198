"""The knowledge panel's history: past corrections with their edits (undoable) and the
facts that later corrections replaced (kept, invalidated, so the change can be seen).
Each fact reads as one sentence said to the user; its triple is the tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assistant.api import AssistantError, CorrectionHistory, EditOp, GraphStore

from .fact_text import local_time, sentence, triple_text

CORRECTION_ID_ROLE = Qt.ItemDataRole.UserRole
WHEN, SUBJECT, QUESTION, STATUS = range(4)
#: The widest the short columns of the corrections get; longer texts are cut with "…".
MAX_COLUMN_WIDTH = 130


class HistoryView(QWidget):
    undone = Signal(int)  # correction id
    failed = Signal(str)

    def __init__(self, store: GraphStore, parent=None):
        super().__init__(parent)
        self.store = store
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._corrections_box())
        splitter.addWidget(self._replaced_box())
        layout.addWidget(splitter)

    def _corrections_box(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("<b>Corrections</b>"))
        self.corrections = QTreeWidget()
        self.corrections.setHeaderLabels(["When", "Subject", "Question → answer", "Status"])
        self.corrections.setAlternatingRowColors(True)
        # The question and answer take the room the short columns leave and are cut
        # with "…" (their tooltip says them whole): no sideways scrolling in the panel.
        header = self.corrections.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(QUESTION, QHeaderView.ResizeMode.Stretch)
        self.corrections.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.corrections.itemSelectionChanged.connect(self._update_undo)
        column.addWidget(self.corrections)
        row = QHBoxLayout()
        row.addStretch(1)
        self.undo_button = QPushButton("Undo correction")
        self.undo_button.clicked.connect(self.undo_selected)
        row.addWidget(self.undo_button)
        column.addLayout(row)
        return box

    def _replaced_box(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("<b>Replaced facts</b>"))
        self.replaced = QTableWidget(0, 3)
        self.replaced.setHorizontalHeaderLabels(["Fact", "Learned on", "Replaced on"])
        self.replaced.verticalHeader().hide()
        self.replaced.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.replaced.setShowGrid(False)
        self.replaced.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        column.addWidget(self.replaced)
        return box

    # ----- content --------------------------------------------------------------

    def refresh(self) -> None:
        self.corrections.clear()
        for correction in reversed(self.store.history()):
            self.corrections.addTopLevelItem(self._correction_item(correction))
        self.corrections.expandAll()
        for column in (WHEN, SUBJECT, STATUS):
            self.corrections.resizeColumnToContents(column)
            width = min(self.corrections.columnWidth(column), MAX_COLUMN_WIDTH)
            self.corrections.setColumnWidth(column, width)
        replaced = self.store.replaced_facts()
        self.replaced.setRowCount(len(replaced))
        for row, fact in enumerate(replaced):
            cells = [
                sentence(fact),
                local_time(fact.created_at, short=True),
                local_time(fact.invalid_at, short=True),
            ]
            tips = [triple_text(fact), local_time(fact.created_at), local_time(fact.invalid_at)]
            for column, (text, tip) in enumerate(zip(cells, tips)):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                self.replaced.setItem(row, column, item)
        self.replaced.resizeColumnsToContents()
        self._update_undo()

    def _correction_item(self, correction: CorrectionHistory) -> QTreeWidgetItem:
        record = correction.record
        status = (
            f"undone {local_time(record.undone_at, short=True)}" if record.undone_at else "active"
        )
        item = QTreeWidgetItem(
            [
                local_time(record.created_at, short=True),
                record.subject,
                f"{record.query} → {record.user_answer}",
                status,
            ]
        )
        item.setData(0, CORRECTION_ID_ROLE, record.id)
        item.setToolTip(
            QUESTION,
            f"{record.query}\nModel said: {record.model_answer or '—'}\n"
            f"You said: {record.user_answer}",
        )
        item.setToolTip(SUBJECT, record.subject)
        for op, fact in correction.edits:
            sign = "+ added" if op is EditOp.ADD else "− removed"
            child = QTreeWidgetItem(["", sign, sentence(fact), ""])
            child.setToolTip(QUESTION, f"{sentence(fact)}\n{triple_text(fact)}")
            child.setData(0, CORRECTION_ID_ROLE, record.id)
            item.addChild(child)
        return item

    def correction_ids(self) -> list[int]:
        return [
            self.corrections.topLevelItem(i).data(0, CORRECTION_ID_ROLE)
            for i in range(self.corrections.topLevelItemCount())
        ]

    def select_correction(self, correction_id: int) -> None:
        for i in range(self.corrections.topLevelItemCount()):
            item = self.corrections.topLevelItem(i)
            if item.data(0, CORRECTION_ID_ROLE) == correction_id:
                self.corrections.setCurrentItem(item)

    def _selected_active(self) -> int | None:
        item = self.corrections.currentItem()
        if item is None:
            return None
        correction_id = item.data(0, CORRECTION_ID_ROLE)
        return None if self.store.correction(correction_id).undone_at else correction_id

    def _update_undo(self) -> None:
        self.undo_button.setEnabled(self._selected_active() is not None)

    def undo_selected(self) -> None:
        correction_id = self._selected_active()
        if correction_id is None:
            return
        try:
            self.store.undo(correction_id)
        except AssistantError as error:
            self.failed.emit(str(error))
            return
        self.refresh()
        self.undone.emit(correction_id)
