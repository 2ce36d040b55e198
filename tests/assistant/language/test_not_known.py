"""The honest reply: what the question asks, said to the user, not known yet."""

import pytest

from assistant.language.not_known import INVITATION, asked_for, not_known_reply


@pytest.mark.parametrize(
    "question, about, asked",
    [
        ("What is Ilse's phone number?", "Ilse", "Ilse's phone number"),
        ("What's my passport number?", None, "your passport number"),
        ("What colour is Biscuit?", "Biscuit", "Biscuit's colour"),
        ("Where does my brother live?", None, "where your brother lives"),
        ("Which dentist does my cat go to?", None, "which dentist your cat goes to"),
        ("How do I take my coffee?", None, "how you take your coffee"),
        ("When is Ilse's birthday?", "Ilse", "when Ilse's birthday is"),
        ("How old is Biscuit?", "Biscuit", "how old Biscuit is"),
        ("Who is Tomas's piano teacher?", "Tomas", "who Tomas's piano teacher is"),
        ("What is my nephew afraid of?", None, "what your nephew is afraid of"),
        ("Where did Ilse go to university?", "Ilse", "where Ilse went to university"),
        ("Who looks after the garden?", None, "who looks after the garden"),
    ],
)
def test_what_the_question_asks_said_to_the_user(question, about, asked):
    assert asked_for(question, about) == asked


@pytest.mark.parametrize(
    "question, about, asked",
    [
        ("And how old is he?", "Tomas", "how old Tomas is"),
        ("So where does she work?", "Ilse", "where Ilse works"),
        ("And who is her dentist?", "Ilse", "who Ilse's dentist is"),
        ("Who drives him to school?", "Tomas", "who drives Tomas to school"),
    ],
)
def test_he_and_she_are_the_one_the_conversation_is_about(question, about, asked):
    assert asked_for(question, about) == asked


def test_a_question_of_another_shape_is_that_about_whom():
    assert asked_for("Is Ilse vegetarian?", "Ilse") == "that about Ilse"
    assert asked_for("Hm?") == "that"


def test_the_reply_is_one_line_that_invites_teaching():
    reply = not_known_reply("What is Ilse's phone number?", "Ilse")
    assert reply == f"I don't know Ilse's phone number yet. {INVITATION}"
    assert "\n" not in reply and "don't know" in reply
