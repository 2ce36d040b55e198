"""The knowledge panel's table of learned facts: search, sort, delete, go to the source.

Each row is one valid fact with when it was learned and the question of the message it
was learned from (its correction's message). Deleting really deletes, after asking,
and, when the user ticks it, deletes the chat messages that state the facts too.
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from assistant.api import Fact, FactSource, GraphStore, forget_facts, messages_stating, said_to_user

from .fact_text import local_time
from .forget_dialog import ask_and_forget

COLUMNS = ("Fact", "About", "Relation", "Object", "Learned on", "From message")
FACT, SUBJECT, RELATION, OBJECT, LEARNED, SOURCE = range(len(COLUMNS))
#: Shown from the header's menu: the sentence already says the relation and object, its
#: tooltip names the question, and the panel is narrow.
HIDDEN_AT_FIRST = (RELATION, OBJECT, SOURCE)
FACT_ID_ROLE = Qt.ItemDataRole.UserRole
MESSAGE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
MAX_COLUMN_WIDTH = 120
#: Shown over the empty table: how facts get there.
EMPTY_HINT = (
    "Nothing learned yet. Thumbs-down a wrong answer and type the right one, "
    "or just tell me a fact."
)
# Imported facts were learned from no message.
UNKNOWN_SOURCE = FactSource("", None)


class FactsTable(QWidget):
    """Each fact as one sentence said to the user ("Your sister Anna lives in Lisbon."),
    with what it is about and when it was learned; its triple and the question it was
    learned from are in the sentence's tooltip and in the Relation, Object and From
    message columns, hidden until shown from the header's right-click menu. Search
    looks through every column, shown or not."""

    jump_requested = Signal(int)  # message id
    entity_selected = Signal(str)
    forgotten = Signal(object)  # a Forgotten: the facts, and the messages deleted with them

    def __init__(self, store: GraphStore, parent=None):
        super().__init__(parent)
        self.store = store
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        self.search = QLineEdit(placeholderText="Search facts…", clearButtonEnabled=True)
        layout.addWidget(self.search)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(COLUMNS)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortRole(SORT_ROLE)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        layout.addWidget(self._table())
        layout.addLayout(self._buttons())

    def _table(self) -> QTableView:
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(LEARNED, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(FACT, QHeaderView.ResizeMode.Stretch)
        self._column_menu(header)
        self.table.doubleClicked.connect(lambda index: self.show_source_of_row(index.row()))
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        # Over the rows' area, shown while there are no facts at all.
        self.empty_hint = QLabel(EMPTY_HINT, objectName="Muted", wordWrap=True)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        over_rows = QVBoxLayout(self.table.viewport())
        over_rows.setContentsMargins(24, 24, 24, 24)
        over_rows.addWidget(self.empty_hint)
        return self.table

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.count = QLabel(objectName="Muted")
        row.addWidget(self.count, 1)
        self.source_button = QPushButton("Go to message")
        self.source_button.setToolTip(
            "Show the message this fact was learned from (or double-click the fact)"
        )
        self.source_button.clicked.connect(self._show_selected_source)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.clicked.connect(self.delete_selected)
        row.addWidget(self.source_button)
        row.addWidget(self.delete_button)
        self._on_selection()
        return row

    # ----- content --------------------------------------------------------------

    def refresh(self) -> None:
        self.model.setRowCount(0)
        facts = self.store.facts()
        sources = self.store.sources_of(f.id for f in facts)
        for fact in facts:
            self.model.appendRow(self._row(fact, sources.get(fact.id, UNKNOWN_SOURCE)))
        total = self.model.rowCount()
        self.count.setText(f"{total} fact{'s' if total != 1 else ''}")
        self.empty_hint.setVisible(total == 0)
        self.table.resizeColumnsToContents()
        for column in range(SUBJECT, len(COLUMNS)):  # long texts are cut; the sentence stretches
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), MAX_COLUMN_WIDTH))
        self._on_selection()

    def _row(self, fact: Fact, source: FactSource) -> list[QStandardItem]:
        question, message_id = source.question, source.conversation_message
        said = said_to_user(fact)
        cells = [
            said,
            fact.subject,
            fact.relation,
            fact.object,
            local_time(fact.created_at, short=True),
            question,
        ]
        sort_keys = [
            said.lower(),
            fact.subject.lower(),
            fact.relation.lower(),
            fact.object.lower(),
            fact.created_at,
            question.lower(),
        ]
        tips = list(cells)
        tips[FACT] = f"{said}\n({', '.join(fact.triple)})"
        if question:
            tips[FACT] += f"\nLearned from: {question}"
        tips[LEARNED] = local_time(fact.created_at)
        items = []
        for text, key, tip in zip(cells, sort_keys, tips):
            item = QStandardItem(text)
            item.setToolTip(tip)
            item.setData(fact.id, FACT_ID_ROLE)
            item.setData(message_id, MESSAGE_ID_ROLE)
            item.setData(key, SORT_ROLE)
            items.append(item)
        return items

    def _column_menu(self, header: QHeaderView) -> None:
        """Right-clicking the header shows or hides any column but the sentence."""
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for column in range(SUBJECT, len(COLUMNS)):
            shown = column not in HIDDEN_AT_FIRST
            self.table.setColumnHidden(column, not shown)
            action = QAction(COLUMNS[column], header, checkable=True, checked=shown)
            action.toggled.connect(lambda on, c=column: self.table.setColumnHidden(c, not on))
            header.addAction(action)

    def visible_fact_ids(self) -> list[int]:
        return [self.proxy.index(row, 0).data(FACT_ID_ROLE) for row in range(self.proxy.rowCount())]

    def selected_fact_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows()
        return [index.data(FACT_ID_ROLE) for index in sorted(rows, key=lambda i: i.row())]

    def select_fact(self, fact_id: int, add: bool = False) -> None:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(FACT_ID_ROLE) == fact_id:
                flags = self.table.selectionModel().SelectionFlag
                mode = flags.Select if add else flags.ClearAndSelect
                self.table.selectionModel().select(self.proxy.index(row, 0), mode | flags.Rows)
                return

    # ----- actions --------------------------------------------------------------

    def _on_selection(self, *_args) -> None:
        selected = self.selected_fact_ids()
        self.delete_button.setEnabled(bool(selected))
        self.source_button.setEnabled(len(selected) == 1)
        if len(selected) == 1:
            self.entity_selected.emit(self.store.fact(selected[0]).subject)

    def show_source_of_row(self, row: int) -> bool:
        message_id = self.proxy.index(row, 0).data(MESSAGE_ID_ROLE)
        if message_id is None:
            return False
        self.jump_requested.emit(message_id)
        return True

    def _show_selected_source(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.show_source_of_row(rows[0].row())

    def delete_selected(self) -> list[Fact]:
        fact_ids = self.selected_fact_ids()
        if not fact_ids:
            return []
        forgotten = ask_and_forget(
            self,
            self.store,
            "Delete facts",
            self._question(len(fact_ids)),
            messages_stating(self.store, fact_ids),
            lambda with_messages: forget_facts(self.store, fact_ids, with_messages=with_messages),
            plural=len(fact_ids) > 1,
        )
        if forgotten is None:
            return []
        self.refresh()
        self.forgotten.emit(forgotten)
        return forgotten.facts

    @staticmethod
    def _question(count: int) -> str:
        what = "this fact" if count == 1 else f"these {count} facts"
        return (
            f"Delete {what} for good? The assistant will no longer know or use "
            f"{'it' if count == 1 else 'them'}, and no copy is kept."
        )
