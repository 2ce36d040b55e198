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
    # Nothing known about the user's dog yet: said so, with the way to teach it.
    assert turn.facts == [] and text == (
        "I don't know what your dog Bruno eats yet. If you tell me, I'll remember it."
    )
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


class Recording(FakeLanguageModel):
    """The fake model, keeping every chat it is sent."""

    def __init__(self, **options):
        super().__init__(**options)
        self.chats = []

    def chat(self, messages, *, max_tokens, temperature=0.7):
        self.chats.append([(m.role, m.content) for m in messages])
        return super().chat(messages, max_tokens=max_tokens, temperature=temperature)


def test_replies_from_memory_never_reach_the_models_chat_history(store):
    model = Recording()
    session = ChatSession(model, store)
    reply(session, "Which city does my sister Ilse live in?")
    drain(session.correct("Ghent"))
    _, said = reply(session, "Where does Ilse live?")  # a fact said
    _, unknown = reply(session, "What is Ilse's phone number?")  # "I don't know"
    _, noted = reply(session, "My sister Ilse moved to Antwerp last month.")  # a statement
    assert "Ghent" in said and "don't know" in unknown and "Antwerp" in noted
    reply(session, "What is the tallest mountain in Europe?")
    history = model.chats[-1][1:-1]  # after the system prompt, before the question
    said_to_model = " ".join(text for _, text in history)
    for value in ("Ghent", "Antwerp", "Ilse", "don't know"):
        assert value not in said_to_model


def test_a_statement_is_answered_with_what_it_states_not_what_memory_held(store):
    session = ChatSession(FakeLanguageModel(), store)
    reply(session, "Which city does my sister Ilse live in?")
    drain(session.correct("Ghent"))
    turn, text = reply(session, "My sister Ilse moved to Antwerp last month.")
    assert text == "Noted: your sister Ilse moved to Antwerp last month."
    assert turn.from_memory and turn.subject == "Ilse" and "Ghent" not in text
    drain(session.learn_statement(turn))
    _, now = reply(session, "Where does Ilse live?")
    assert "Antwerp" in now and "Ghent" not in now


def test_a_statement_in_incognito_is_not_taken_note_of(store):
    session = ChatSession(FakeLanguageModel(), store, Settings(incognito=True))
    turn, text = reply(session, "My sister Ilse moved to Antwerp last month.")
    assert not text.startswith("Noted") and session.learn_statement(turn) is None


def test_a_deleted_value_does_not_come_back_from_the_conversation(store):
    model = Recording()
    session = ChatSession(model, store)
    reply(session, "Which city does my sister Ilse live in?")
    drain(session.correct("Antwerp"))
    turn, said = reply(session, "Where does Ilse live?")
    assert "Antwerp" in said
    store.delete_facts(f.id for f in turn.facts)
    _, again = reply(session, "Where does Ilse live?")
    assert "Antwerp" not in again and "don't know" in again
    reply(session, "Which city is the capital of Belgium?")
    assert "Antwerp" not in " ".join(text for _, text in model.chats[-1])


def test_the_models_own_reply_stops_where_it_repeats_itself(store):
    class Looping(FakeLanguageModel):
        def chat(self, messages, *, max_tokens, temperature=0.7):
            return self._stream("The sea is blue. It is deep. " * 40, max_tokens)

    session = ChatSession(Looping(), store, max_tokens=512)
    _, text = reply(session, "Describe the sea.")
    assert text == "The sea is blue. It is deep."
