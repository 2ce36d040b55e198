"""Chains of two facts taught in a chat on the real embedded model, asked for in
everyday words that name neither link: the reply follows the whole path, and a
question the chain does not answer still gets an honest "I don't know"."""

import pytest

from assistant.chat import ChatSession
from assistant.settings import Settings
from tests.assistant.chat_steps import send, teach

pytestmark = pytest.mark.real_model


def test_chains_asked_in_everyday_words(store, real_model):
    session = ChatSession(real_model, store, Settings(temperature=0.0), max_tokens=48)
    teach(session, "Who teaches my son Arlo the violin?", "Ms. Brandt")
    teach(session, "Which town does Ms. Brandt live in?", "Kendal")
    teach(session, "Who is my optician?", "Mr. Sato")
    teach(session, "What is Mr. Sato's phone number?", "01632 960111")

    turn, reply = send(session, "Which town do I drive Arlo to for his music lessons?")
    assert "Kendal" in reply and [f.object for f in turn.path] == ["Ms. Brandt", "Kendal"]
    turn, reply = send(session, "What number do I ring when my glasses break?")
    assert "01632 960111" in reply and [f.object for f in turn.path][0] == "Mr. Sato"

    turn, reply = send(session, "Who teaches Arlo the violin?")
    assert "Brandt" in reply and turn.path == []
    turn, reply = send(session, "What is Arlo's favourite food?")
    assert "don't know" in reply and "Kendal" not in reply and turn.path == []
