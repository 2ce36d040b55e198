"""Stored conversations on real SQLite: create, title, messages, rename, delete, migration."""

import sqlite3

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from assistant.errors import InputError, NotFoundError
from assistant.llm import Role
from assistant.store import migrations as schema
from assistant.store.conversations import DEFAULT_TITLE, ConversationStore, title_from
from assistant.store.database import open_database


@pytest.fixture
def conversations(tmp_path):
    return ConversationStore(open_database(tmp_path / "graph.db"))


def test_the_first_question_titles_a_new_conversation(conversations):
    chat = conversations.create()
    assert chat.title == DEFAULT_TITLE
    conversations.add_message(chat.id, "user", "What does my dog Bruno eat?")
    conversations.add_message(chat.id, "user", "And where does he sleep?")
    assert conversations.conversation(chat.id).title == "What does my dog Bruno eat?"


def test_long_titles_are_cut_at_a_word():
    title = title_from("Please tell me everything about the history of the Roman empire in detail")
    assert title.endswith("…") and len(title) <= 49 and " " in title
    assert not title[:-1].endswith(" ")


def test_messages_keep_order_subject_and_fact_ids(conversations):
    chat = conversations.create("Bruno")
    question = conversations.add_message(chat.id, "user", "What does Bruno eat?")
    answer = conversations.add_message(
        chat.id, "assistant", "Vegetables.", subject="Bruno", fact_ids=[3, 5]
    )
    stored = conversations.messages(chat.id)
    assert [m.id for m in stored] == [question.id, answer.id]
    assert stored[1].subject == "Bruno" and stored[1].fact_ids == (3, 5)
    assert conversations.message(answer.id).conversation_id == chat.id
    assert conversations.exchanges(chat.id) == [(question, answer)]


def test_most_recently_used_conversation_comes_first(conversations):
    older, newer = conversations.create("a"), conversations.create("b")
    conversations.add_message(older.id, "user", "hello")
    assert [c.id for c in conversations.conversations()] == [older.id, newer.id]


def test_rename_and_delete(conversations):
    chat = conversations.create()
    message = conversations.add_message(chat.id, "user", "hi")
    assert conversations.rename(chat.id, "  Dog  food ").title == "Dog food"
    with pytest.raises(InputError):
        conversations.rename(chat.id, "   ")
    conversations.delete(chat.id)
    assert conversations.conversations() == []
    with pytest.raises(NotFoundError):
        conversations.message(message.id)


def test_bad_role_and_unknown_conversation_are_clear_errors(conversations):
    with pytest.raises(NotFoundError):
        conversations.add_message(99, "user", "hi")
    chat = conversations.create()
    with pytest.raises(InputError, match="one of user, assistant, not 'system'"):
        conversations.add_message(chat.id, "system", "hi")


def test_roles_are_stored_as_their_plain_names(conversations):
    chat = conversations.create()
    conversations.add_message(chat.id, Role.USER, "hi")
    conversations.add_message(chat.id, "assistant", "hello")
    stored = conversations.db.execute("SELECT role, typeof(role) FROM messages ORDER BY id")
    assert stored.fetchall() == [("user", "text"), ("assistant", "text")]
    assert [m.role for m in conversations.messages(chat.id)] == [Role.USER, Role.ASSISTANT]


def test_an_existing_database_gains_the_tables_and_is_backed_up(tmp_path):
    path = tmp_path / "old.db"
    only_first = Migrations("assistant")
    only_first(name="0001_initial")(schema.m0001_initial)
    old = Database(sqlite3.connect(str(path)))
    only_first.apply(old)
    old.conn.close()
    store = ConversationStore(open_database(path))
    assert store.conversations() == []
    assert list(tmp_path.glob("old.backup-*.db"))
