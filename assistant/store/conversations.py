"""Stored conversations: the chat history the app lists in its sidebar.

Plain SQLite through the same database as the knowledge graph (migration
``0002_conversations``). A message keeps the ids of the facts that were put in its
prompt, not their text: deleting a fact from the knowledge panel must remove it
everywhere, so no copy of it may survive in the history. Messages themselves can be
deleted the same way (:meth:`ConversationStore.delete_messages`): the rows go, a title
taken from a deleted question goes with it, and the write-ahead log is emptied.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from ..errors import InputError, NotFoundError
from ..language.text import one_line
from ..llm import Role
from ..timeutil import utc_now
from .database import erase_deleted_text, write_transaction

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


@dataclass(frozen=True)
class DeletedMessages:
    """What deleting messages did to the conversations they were in."""

    #: The messages deleted, by id.
    ids: tuple[int, ...] = ()
    #: Conversations that lost messages and still have some, by id.
    changed: tuple[int, ...] = ()
    #: Conversations left with no message, deleted with them, by id.
    removed: tuple[int, ...] = ()

    @property
    def count(self) -> int:
        return len(self.ids)


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

    def question_before(self, message: Message) -> Message | None:
        """The user's message that ``message`` answered: the last one before it in its
        conversation; None when there is none (or ``message`` is the user's own)."""
        if message.role == Role.USER:
            return None
        row = self.db.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND id < ? "
            "AND role = ? ORDER BY id DESC LIMIT 1",
            [message.conversation_id, message.id, Role.USER],
        ).fetchone()
        return _message(row) if row else None

    def answer_to(self, question: Message) -> Message | None:
        """The assistant's answer to the user's message ``question``: the message right
        after it in its conversation, when that is an answer."""
        if question.role != Role.USER:
            return None
        row = self.db.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND id > ? "
            "ORDER BY id LIMIT 1",
            [question.conversation_id, question.id],
        ).fetchone()
        answer = _message(row) if row else None
        return answer if answer is not None and answer.role == Role.ASSISTANT else None

    def all_messages(self) -> Iterator[Message]:
        """Every stored message, by id, read as it goes."""
        for row in self.db.execute(f"SELECT {_MESSAGE_COLUMNS} FROM messages ORDER BY id"):
            yield _message(row)

    def delete_messages(self, message_ids: Iterable[int]) -> DeletedMessages:
        """Really delete messages (privacy), as facts are deleted: the rows go in one
        transaction, then the write-ahead log is emptied, so no copy of their text is
        left in the database's files (``secure_delete`` zeroes the freed space)."""
        with write_transaction(self.db):
            deleted = self.remove_messages(message_ids)
        erase_deleted_text(self.db)
        return deleted

    def remove_messages(self, message_ids: Iterable[int]) -> DeletedMessages:
        """:meth:`delete_messages` inside the caller's write transaction; the caller
        empties the write-ahead log (``database.erase_deleted_text``) once committed.

        A conversation left with no message is deleted too: an empty chat in the
        sidebar would only say that something was there. One that keeps messages but
        was titled after a deleted question is titled after its first remaining
        question (or "New chat"), since that title quotes the deleted text. Unknown
        ids raise :class:`NotFoundError` and nothing is deleted."""
        messages = [self.message(i) for i in dict.fromkeys(message_ids)]
        by_conversation: dict[int, list[Message]] = {}
        for message in messages:
            by_conversation.setdefault(message.conversation_id, []).append(message)
        changed, removed = [], []
        for conversation_id, gone in by_conversation.items():
            for message in gone:
                self.db.execute("DELETE FROM messages WHERE id = ?", [message.id])
            if self._count(conversation_id) == 0:
                self.db.execute("DELETE FROM conversations WHERE id = ?", [conversation_id])
                removed.append(conversation_id)
            else:
                self._retitle_if_quoting(conversation_id, gone)
                changed.append(conversation_id)
        return DeletedMessages(tuple(m.id for m in messages), tuple(changed), tuple(removed))

    def _retitle_if_quoting(self, conversation_id: int, deleted: list[Message]) -> None:
        title = self.conversation(conversation_id).title
        quoted = {title_from(m.content) for m in deleted if m.role == Role.USER}
        if title not in quoted:
            return  # a title the user chose, or one taken from a question still there
        first = self.db.execute(
            "SELECT content FROM messages WHERE conversation_id = ? AND role = ? "
            "ORDER BY id LIMIT 1",
            [conversation_id, Role.USER],
        ).fetchone()
        new_title = title_from(first[0]) if first else DEFAULT_TITLE
        self.db.execute(
            "UPDATE conversations SET title = ? WHERE id = ?", [new_title, conversation_id]
        )
