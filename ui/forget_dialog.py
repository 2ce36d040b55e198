"""The confirmation before facts are deleted or an entity is forgotten.

When chat messages state what is being forgotten (:mod:`assistant.store.forgetting`), it
offers to delete them too, with a checkbox that names how many, and says which
conversations they are in. The checkbox starts unticked: deleting chat history is a
second decision the user makes, not a side effect of deleting a fact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget

from assistant.api import ConversationStore, Forgotten, GraphStore, Message, counted

#: Conversations named in the dialog; the rest are counted.
LISTED_CONVERSATIONS = 5


@dataclass(frozen=True)
class ForgetChoice:
    """The user confirmed; ``with_messages``: delete the messages that state it too."""

    with_messages: bool


def where_they_are(conversations: ConversationStore, messages: list[Message], it: str) -> str:
    """Where the messages are, for the dialog: "Messages that mention it are in “Dog
    food” (2 messages) and “Sunday” (1 message); they stay unless you tick the box." """
    per_chat = Counter(m.conversation_id for m in messages)
    parts = [
        f"“{conversations.conversation(chat).title}” ({counted(count, 'message')})"
        for chat, count in list(per_chat.items())[:LISTED_CONVERSATIONS]
    ]
    if len(per_chat) > LISTED_CONVERSATIONS:
        parts.append(counted(len(per_chat) - LISTED_CONVERSATIONS, "more conversation"))
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Messages that mention {it} are in {listed}; they stay unless you tick the box."


class ForgetDialog(QMessageBox):
    """Yes / No, and the box offering to delete the messages when there are some."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        text: str,
        stating: list[Message],
        conversations: ConversationStore,
        plural: bool = False,
    ):
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(title)
        self.setTextFormat(Qt.TextFormat.PlainText)  # titles and facts are the user's text
        self.setText(text)
        self.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        self.also = None
        if stating:
            it = "them" if plural else "it"
            label = (
                f"Also delete the message that mentions {it}"
                if len(stating) == 1
                else f"Also delete the {len(stating)} messages that mention {it}"
            )
            self.also = QCheckBox(label)
            self.setCheckBox(self.also)
            self.setInformativeText(where_they_are(conversations, stating, it))

    def choose(self) -> ForgetChoice | None:
        """Show the dialog; None when the user declined."""
        confirmed = self.exec() == QMessageBox.StandardButton.Yes
        with_messages = self.also is not None and self.also.isChecked()
        self.deleteLater()
        return ForgetChoice(with_messages) if confirmed else None


def ask_and_forget(
    parent: QWidget,
    store: GraphStore,
    title: str,
    text: str,
    stating: list[Message],
    forget: Callable[[bool], Forgotten],
    plural: bool = False,
) -> Forgotten | None:
    """Ask with :class:`ForgetDialog`; on yes, ``forget(with_messages)`` and its result."""
    dialog = ForgetDialog(parent, title, text, stating, ConversationStore(store.db), plural)
    choice = dialog.choose()
    return None if choice is None else forget(choice.with_messages)
