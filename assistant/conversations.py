"""Stored conversations: the chat history the app lists in its sidebar.

Plain SQLite through the same database as the knowledge graph (migration
``0002_conversations``). A message keeps the ids of the facts that were put in its
prompt, not their text: deleting a fact from the knowledge panel must remove it
everywhere, so no copy of it may survive in the history.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from .database import write_transaction
from .errors import InputError, NotFoundError
from .llm import Role
from .text import one_line
from .timeutil import utc_now

DEFAULT_TITLE = "New chat"
#: Characters of the first question kept as an automatic title.
TITLE_LENGTH = 48
#: The roles a stored message can have (the system prompt is never stored).
ROLES = (Role.USER, Role.ASSISTANT)


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    role: Role
    content: str
    created_at: str
    subject: str | None = None
    fact_ids: tuple[int, ...] = ()


def title_from(question: str) -> str:
    """A short title from a first question: one line, cut at a word boundary."""
    text = one_line(question)
    if len(text) <= TITLE_LENGTH:
        return text or DEFAULT_TITLE
    cut = text[:TITLE_LENGTH].rsplit(" ", 1)[0] or text[:TITLE_LENGTH]
    return cut.rstrip(",.;:") + "…"


def _message(row) -> Message:
    message_id, conversation_id, role, *fields, facts_json = row
    return Message(
        message_id,
        conversation_id,
        Role(role),
        *fields,
        fact_ids=tuple(json.loads(facts_json or "[]")),
    )


_MESSAGE_COLUMNS = "id, conversation_id, role, content, created_at, subject, facts_json"


class ConversationStore:
    """Reads and writes conversations and their messages."""

    def __init__(self, db: Database):
        self.db = db

    def create(self, title: str = DEFAULT_TITLE) -> Conversation:
        now = utc_now()
        title = one_line(title) or DEFAULT_TITLE
        with write_transaction(self.db):
            new_id = self.db.execute(
                "INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)",
                [title, now, now],
            ).lastrowid
        return Conversation(new_id, title, now, now)

    def conversations(self) -> list[Conversation]:
        """Most recently used first."""
        rows = self.db.execute(
            "SELECT id, title, created_at, updated_at FROM conversations "
            "ORDER BY updated_at DESC, id DESC"
        )
        return [Conversation(*row) for row in rows]

    def conversation(self, conversation_id: int) -> Conversation:
        row = self.db.execute(
            "SELECT id, title, created_at, updated_at FROM conversations WHERE id = ?",
            [conversation_id],
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no conversation with id {conversation_id}")
        return Conversation(*row)

    def rename(self, conversation_id: int, title: str) -> Conversation:
        title = one_line(title)
        if not title:
            raise InputError("the title is empty")
        self.conversation(conversation_id)
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE conversations SET title = ? WHERE id = ?", [title, conversation_id]
            )
        return self.conversation(conversation_id)

    def delete(self, conversation_id: int) -> None:
        """Delete a conversation and all its messages (foreign keys cascade)."""
        self.conversation(conversation_id)
        with write_transaction(self.db):
            self.db.execute("DELETE FROM messages WHERE conversation_id = ?", [conversation_id])
            self.db.execute("DELETE FROM conversations WHERE id = ?", [conversation_id])

    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str,
        *,
        subject: str | None = None,
        fact_ids: Iterable[int] = (),
    ) -> Message:
        """Append a message; the first question also names an untitled conversation."""
        if role not in ROLES:
            raise InputError(f"a message's role is one of {', '.join(ROLES)}, not {role!r}")
        conversation = self.conversation(conversation_id)
        now = utc_now()
        facts_json = json.dumps([int(i) for i in fact_ids])
        with write_transaction(self.db):
            new_id = self.db.execute(
                "INSERT INTO messages (conversation_id, role, content, created_at, subject, "
                "facts_json) VALUES (?, ?, ?, ?, ?, ?)",
                [conversation_id, role, content, now, subject, facts_json],
            ).lastrowid
            title = conversation.title
            if role == Role.USER and title == DEFAULT_TITLE and self._count(conversation_id) == 1:
                title = title_from(content)
            self.db.execute(
                "UPDATE conversations SET updated_at = ?, title = ? WHERE id = ?",
                [now, title, conversation_id],
            )
        return self.message(new_id)

    def _count(self, conversation_id: int) -> int:
        return self.db.execute(
            "SELECT count(*) FROM messages WHERE conversation_id = ?", [conversation_id]
        ).fetchone()[0]

    def message(self, message_id: int) -> Message:
        row = self.db.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE id = ?", [message_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no message with id {message_id}")
        return _message(row)

    def messages(self, conversation_id: int) -> list[Message]:
        rows = self.db.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
            [conversation_id],
        )
        return [_message(row) for row in rows]

    def exchanges(self, conversation_id: int) -> list[tuple[Message, Message | None]]:
        """(question, its answer or None) pairs, in order: how a chat is replayed."""
        pairs: list[tuple[Message, Message | None]] = []
        for message in self.messages(conversation_id):
            if message.role == Role.USER:
                pairs.append((message, None))
            elif pairs and pairs[-1][1] is None:
                pairs[-1] = (pairs[-1][0], message)
        return pairs
