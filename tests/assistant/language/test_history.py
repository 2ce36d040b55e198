"""Questions about what was true before, and a replaced fact said in the past."""

import pytest

from assistant.language.history import PastAsk, about_the_past, in_the_past, said_before


@pytest.mark.parametrize(
    "question, past",
    [
        ("Where did Tomas live before Lyon?", PastAsk("Where did Tomas live?", "Lyon")),
        (
            "Which gym did I go to before the leisure centre?",
            PastAsk("Which gym did I go to?", "the leisure centre"),
        ),
        ("Who was my previous dentist?", PastAsk("Who was my dentist?")),
        ("Where did Ilse use to work?", PastAsk("Where did Ilse work?")),
        ("What was my old phone number?", PastAsk("What was my phone number?")),
        ("Who was Tomas's former coach?", PastAsk("Who was Tomas's coach?")),
        # "before" that ends the question names no later value.
        ("Which choir did Fenna sing in before?", PastAsk("Which choir did Fenna sing in?")),
        ("Who cut my hair previously?", PastAsk("Who cut my hair?")),
    ],
)
def test_a_question_about_the_past_and_what_it_asks(question, past):
    assert about_the_past(question) == past


@pytest.mark.parametrize(
    "question",
    [
        "What did Tomas do before he retired?",  # "before" and a clause: a fact's words
        "Where did Ilse live before she married?",
        "How old is Tomas?",
        "What did I eat last week?",
        "Where does Ilse live?",
    ],
)
def test_other_questions_are_not_about_an_earlier_fact(question):
    assert about_the_past(question) is None


@pytest.mark.parametrize(
    "now, then",
    [
        ("Your cousin Tomas lives in Lyon.", "Your cousin Tomas lived in Lyon."),
        ("Ilse works for Fernhill Bank.", "Ilse worked for Fernhill Bank."),
        ("Biscuit goes to Oakfield Vets.", "Biscuit went to Oakfield Vets."),
        ("Your energy supplier is Brightgas.", "Your energy supplier was Brightgas."),
        ("You drive a Volvo.", "You drove a Volvo."),
        ("Your running club meets on Tuesdays.", "Your running club met on Tuesdays."),
    ],
)
def test_a_fact_said_in_the_past(now, then):
    assert in_the_past(now) == then


def test_a_replaced_fact_is_said_with_what_came_after_and_when_it_stopped():
    said = said_before("Your cousin Tomas lives in Lyon.", "Nantes", "2026-03-06T10:00:00+00:00")
    assert said.startswith("Your cousin Tomas lived in Lyon before Nantes (until ")
    assert "March 2026" in said
    assert said_before("You drive a Volvo.", None, None) == "You drove a Volvo before."


@pytest.mark.parametrize(
    "question",
    ["What do I drink before bed?", "What do I eat before work?", "Where do I go before school?"],
)
def test_before_a_moment_of_the_day_is_no_question_about_the_past(question):
    assert about_the_past(question) is None


def test_the_last_of_something_is_the_latest_not_a_replaced_one():
    assert about_the_past("What was the last book Ilse read?") is None
