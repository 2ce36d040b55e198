"""The conversations sidebar: new chat, the stored conversations, rename, delete."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assistant.api import Conversation

ID_ROLE = Qt.ItemDataRole.UserRole


class Sidebar(QWidget):
    new_requested = Signal()
    selected = Signal(int)  # conversation id
    renamed = Signal(int, str)
    delete_requested = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent, objectName="Sidebar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setMinimumWidth(220)
        self.setMaximumWidth(320)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 14, 12, 12)
        layout.setSpacing(10)
        layout.addWidget(QLabel("Assistant", objectName="AppTitle"))
        self.new_button = QPushButton("+  New chat")
        self.new_button.clicked.connect(self.new_requested.emit)
        layout.addWidget(self.new_button)
        self.list = QListWidget(objectName="ConversationList")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setUniformItemSizes(True)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.currentItemChanged.connect(self._on_current)
        self.list.itemChanged.connect(self._on_edited)
        layout.addWidget(self.list, 1)
        self.model_status = QLabel(objectName="ModelStatus", wordWrap=True)
        layout.addWidget(self.model_status)
        self.privacy = QLabel(
            "Private: everything stays on this computer.", objectName="Muted", wordWrap=True
        )
        layout.addWidget(self.privacy)
        self._filling = False

    def show_conversations(self, conversations: list[Conversation], current: int | None) -> None:
        self._filling = True
        self.list.clear()
        for conversation in conversations:
            item = QListWidgetItem(conversation.title)
            item.setData(ID_ROLE, conversation.id)
            item.setToolTip(conversation.title)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.list.addItem(item)
            if conversation.id == current:
                self.list.setCurrentItem(item)
        self._filling = False

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(ID_ROLE) if item else None

    def _on_current(self, item: QListWidgetItem | None, _previous) -> None:
        if item is not None and not self._filling:
            self.selected.emit(item.data(ID_ROLE))

    def _on_edited(self, item: QListWidgetItem) -> None:
        if not self._filling:
            self.renamed.emit(item.data(ID_ROLE), item.text())

    def _item_for(self, conversation_id: int) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == conversation_id:
                return self.list.item(row)
        return None

    def start_rename(self, conversation_id: int) -> None:
        item = self._item_for(conversation_id)
        if item is not None:
            self.list.editItem(item)

    def _menu(self, position) -> None:
        item = self.list.itemAt(position)
        if item is None:
            return
        menu = QMenu(self)
        rename = menu.addAction("Rename")
        delete = menu.addAction("Delete…")
        chosen = menu.exec(self.list.viewport().mapToGlobal(position))
        if chosen is rename:
            self.list.editItem(item)
        elif chosen is delete:
            self.confirm_delete(item.data(ID_ROLE), item.text())

    def confirm_delete(self, conversation_id: int, title: str) -> None:
        answer = QMessageBox.question(
            self,
            "Delete conversation",
            f"Delete “{title}” and all its messages? Facts learned from it stay in your "
            "knowledge (delete them in the knowledge panel).",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_requested.emit(conversation_id)
