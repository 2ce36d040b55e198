"""Which chat messages state a fact or an entity, and forgetting them with it, on real
SQLite and the fake model."""

from __future__ import annotations

import pytest

from assistant.errors import NotFoundError
from assistant.facts import AddFact, CorrectionInput
from assistant.language.descriptions import USER
from assistant.learning.correction import run_correction
from assistant.store.conversations import DEFAULT_TITLE, ConversationStore
from assistant.store.forgetting import (
    forget_entity,
    forget_facts,
    messages_stating,
    messages_stating_entity,
)

QUESTION = "What does my dog Bruno eat?"


@pytest.fixture
def conversations(store):
    return ConversationStore(store.db)


def exchange(conversations, conversation_id, question, answer, **answer_options):
    asked = conversations.add_message(conversation_id, "user", question)
    said = conversations.add_message(conversation_id, "assistant", answer, **answer_options)
    return asked, said


def teach(store, subject, relation, obj, message_id=None):
    """A fact as a correction made on chat message ``message_id`` learns it."""
    correction = CorrectionInput(
        f"about {subject}", obj, subject, message_id=None if message_id is None else str(message_id)
    )
    return store.apply_correction(correction, [AddFact(relation, obj, -0.5, -1.0)]).added[0]


def contents(messages):
    return [m.content for m in messages]


def test_the_exchange_it_was_learned_from_and_the_messages_saying_it(
    store, conversations, fake_model
):
    chat = conversations.create()
    question, wrong = exchange(conversations, chat.id, QUESTION, "Bruno eats meat.")
    [fact] = run_correction(
        fake_model,
        store,
        QUESTION,
        "vegetables",
        subject="Bruno",
        model_answer=wrong.content,
        message_id=str(wrong.id),
    ).applied.added
    other = conversations.create()
    exchange(conversations, other.id, "Tell me about my dog.", "BRUNO loves Vegetables!")
    exchange(conversations, other.id, "Are vegetables healthy?", "Mostly, yes.")  # no Bruno
    exchange(conversations, other.id, "Where does Bruno sleep?", "In his basket.")  # no food
    exchange(conversations, other.id, "And his diet?", "He eats vegetables.", fact_ids=[fact.id])
    exchange(conversations, other.id, "Does Bruno eat vegetablesoup?", "No.")  # not a word
    assert contents(messages_stating(store, [fact.id])) == [
        QUESTION,
        "Bruno eats meat.",
        "BRUNO loves Vegetables!",
        "He eats vegetables.",
    ]


def test_an_alias_or_the_answers_subject_names_the_subject(store, conversations):
    fact = teach(store, "Anna", "lives in", "Porto")
    store.add_alias("Anna", "my sister")
    chat = conversations.create()
    exchange(conversations, chat.id, "My sister moved to Porto.", "Your sister lives in Porto.")
    exchange(conversations, chat.id, "Where is that?", "Porto is in Portugal.", subject="Anna")
    exchange(conversations, chat.id, "Is Porto nice?", "Porto is lovely.")
    assert contents(messages_stating(store, [fact.id])) == [
        "My sister moved to Porto.",
        "Your sister lives in Porto.",
        "Porto is in Portugal.",
    ]


def test_the_users_own_facts_are_said_in_the_first_and_second_person(store, conversations):
    fact = teach(store, USER, "lives in", "Lisbon")
    chat = conversations.create()
    exchange(conversations, chat.id, "I live in Lisbon now.", "You live in Lisbon.")
    exchange(conversations, chat.id, "Is Lisbon sunny?", "Lisbon is sunny.")
    assert contents(messages_stating(store, [fact.id])) == [
        "I live in Lisbon now.",
        "You live in Lisbon.",
    ]


def test_an_entitys_messages_cover_all_its_facts_and_corrections(store, conversations):
    chat = conversations.create()
    _, told = exchange(conversations, chat.id, "Bruno is a beagle.", "Noted.")
    teach(store, "Bruno", "breed", "beagle", message_id=told.id)
    teach(store, "Bruno", "diet", "vegetables")
    teach(store, "Anna", "works at", "Google")
    exchange(conversations, chat.id, "Bruno eats vegetables.", "OK.")
    exchange(conversations, chat.id, "Anna works at Google.", "OK.")
    assert contents(messages_stating_entity(store, "bruno")) == [
        "Bruno is a beagle.",
        "Noted.",
        "Bruno eats vegetables.",
        "OK.",  # the answer goes with the statement it answered
    ]
    assert messages_stating_entity(store, "Nobody") == []


def test_forgetting_without_messages_keeps_every_message(store, conversations):
    chat = conversations.create()
    _, told = exchange(conversations, chat.id, "Bruno eats vegetables.", "Noted.")
    fact = teach(store, "Bruno", "diet", "vegetables", message_id=told.id)
    forgotten = forget_facts(store, [fact.id])
    assert forgotten.facts == [fact] and forgotten.messages.count == 0
    assert store.facts() == []
    assert len(conversations.messages(chat.id)) == 2


def test_forgetting_with_messages_deletes_them_and_the_chats_they_leave_empty(store, conversations):
    only = conversations.create()
    _, told = exchange(conversations, only.id, "Bruno eats vegetables.", "Noted.")
    fact = teach(store, "Bruno", "diet", "vegetables", message_id=told.id)
    mixed = conversations.create()
    exchange(conversations, mixed.id, "Bruno loves vegetables.", "Good dog.")
    kept = exchange(conversations, mixed.id, "What is the capital of Peru?", "Lima.")
    forgotten = forget_facts(store, [fact.id], with_messages=True)
    assert forgotten.messages.count == 4  # both statements, each with its answer
    assert forgotten.messages.removed == (only.id,)
    assert forgotten.messages.changed == (mixed.id,)
    assert [c.id for c in conversations.conversations()] == [mixed.id]
    assert conversations.messages(mixed.id) == list(kept)
    # Its title quoted the deleted statement: now it is the first question left.
    assert conversations.conversation(mixed.id).title == "What is the capital of Peru?"


def test_forgetting_an_entity_with_messages(store, conversations):
    chat = conversations.create()
    _, told = exchange(conversations, chat.id, "Bruno is a beagle.", "Noted.")
    teach(store, "Bruno", "breed", "beagle", message_id=told.id)
    teach(store, "Anna", "works at", "Google")
    kept = exchange(conversations, chat.id, "Anna works at Google.", "OK.")
    forgotten = forget_entity(store, "Bruno", with_messages=True)
    assert [f.object for f in forgotten.facts] == ["beagle"]
    assert forgotten.messages.count == 2
    assert store.entity_names() == ["Anna"]
    assert conversations.messages(chat.id) == list(kept)
    with pytest.raises(NotFoundError):
        forget_entity(store, "Bruno", with_messages=True)


def test_a_failing_forget_deletes_neither_facts_nor_messages(store, conversations):
    chat = conversations.create()
    _, told = exchange(conversations, chat.id, "Bruno eats vegetables.", "Noted.")
    fact = teach(store, "Bruno", "diet", "vegetables", message_id=told.id)
    with pytest.raises(NotFoundError):
        forget_facts(store, [fact.id, fact.id + 100], with_messages=True)
    assert store.facts() == [fact] and len(conversations.messages(chat.id)) == 2


def test_deleting_messages_keeps_a_title_the_user_chose(conversations):
    chat = conversations.create()
    gone, _ = exchange(conversations, chat.id, "Bruno eats vegetables.", "Noted.")
    exchange(conversations, chat.id, "Thanks", "You're welcome.")
    conversations.rename(chat.id, "Dog things")
    conversations.delete_messages([gone.id])
    assert conversations.conversation(chat.id).title == "Dog things"


def test_deleting_every_question_leaves_the_default_title(conversations):
    chat = conversations.create()
    question, _ = exchange(conversations, chat.id, "Bruno eats vegetables.", "Noted.")
    conversations.add_message(chat.id, "assistant", "Anything else?")
    deleted = conversations.delete_messages([question.id])
    assert deleted.changed == (chat.id,) and deleted.removed == ()
    assert conversations.conversation(chat.id).title == DEFAULT_TITLE


def test_deleting_an_unknown_message_deletes_nothing(conversations):
    chat = conversations.create()
    question, _ = exchange(conversations, chat.id, "Hello", "Hi.")
    with pytest.raises(NotFoundError):
        conversations.delete_messages([question.id, question.id + 100])
    assert len(conversations.messages(chat.id)) == 2
