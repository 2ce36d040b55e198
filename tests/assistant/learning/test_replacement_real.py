"""One subject with several facts, learned and changed in a chat on the real embedded
model: each change replaces exactly the fact it changes, and the replies follow."""

import pytest

from assistant.chat import ChatSession
from assistant.settings import Settings
from tests.assistant.chat_steps import send, teach, tell

pytestmark = pytest.mark.real_model


def test_a_niece_changes_team_and_keeps_her_position_and_town(store, real_model):
    session = ChatSession(real_model, store, Settings(temperature=0.0), max_tokens=48)
    teach(session, "Which netball team does my niece Priya play for?", "Manchester Thunder")
    teach(session, "What position does Priya play?", "goal attack")
    teach(session, "Which town does Priya live in?", "Stockport")
    teach(session, "What time does Priya train on Mondays?", "6:45")

    moved = tell(session, "Priya has signed for Loughborough Lightning for next season.")
    assert [f.object for f in moved.applied.removed] == ["Manchester Thunder"]
    assert moved.applied.because[moved.applied.removed[0].id].startswith("Which netball team")

    again = teach(session, "Which town does Priya live in now?", "Loughborough")
    assert [f.object for f in again.applied.removed] == ["Stockport"]

    assert sorted(f.object for f in store.facts("Priya")) == [
        "6:45",
        "Loughborough",
        "Loughborough Lightning",
        "goal attack",
    ]
    _, reply = send(session, "Which team does Priya play for these days?")
    assert "Lightning" in reply and "Thunder" not in reply
    _, reply = send(session, "What position does my niece play?")
    assert "goal attack" in reply
