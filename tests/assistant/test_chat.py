"""The chat session: free chat without facts, grounded answers with them, corrections."""

import pytest

from assistant.chat import ChatSession
from assistant.errors import InputError
from assistant.learning.correction import drain
from assistant.settings import Settings
from models.fake import FakeLanguageModel


def reply(session, message):
    turn, pieces = session.send(message)
    return turn, "".join(pieces)


def test_after_a_correction_the_same_question_is_answered_from_the_fact(store):
    session = ChatSession(FakeLanguageModel(), store)
    turn, text = reply(session, "What does my dog Bruno eat?")
    assert turn.facts == [] and "not sure" in text
    result = drain(session.correct("vegetables"))
    assert result.applied.subject == "Bruno"
    turn, text = reply(session, "What does my dog Bruno eat?")
    assert turn.facts and text.strip() == "Your dog Bruno eats vegetables."
    assert session.turns[-1].answer == text


def test_correcting_needs_an_answer_first_and_is_refused_in_incognito(store):
    session = ChatSession(FakeLanguageModel(), store, Settings(incognito=True))
    with pytest.raises(InputError, match="no answer"):
        session.correct("x")
    reply(session, "Where does Anna work?")
    with pytest.raises(InputError, match="incognito"):
        session.correct("Google")
    assert store.facts() == []


def test_empty_messages_are_refused(store):
    with pytest.raises(InputError):
        ChatSession(FakeLanguageModel(), store).send("   ")


def test_old_turns_are_dropped_when_the_context_fills(store):
    session = ChatSession(FakeLanguageModel(context_length=400), store, max_tokens=50)
    for i in range(30):
        reply(session, f"Tell me something about topic number {i} please")
    messages = session._messages_for(session.turns[-1])
    assert len(messages) < 2 * 30
