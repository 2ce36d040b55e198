"""Questions about what held before a fact changed, answered from the fact it replaced."""

import pytest

from assistant.answering.reply_choice import Say, answer_plan
from assistant.chat import ChatSession
from assistant.learning.correction import drain, run_correction


@pytest.fixture
def moved(store, fake_model):
    run_correction(fake_model, store, "Which city does my cousin Tomas live in?", "Lyon")
    run_correction(fake_model, store, "Which city does my cousin Tomas live in?", "Nantes")
    return store


@pytest.mark.parametrize(
    "question",
    [
        "Which city did Tomas live in before Nantes?",
        "Which city did my cousin use to live in?",
        "Where did Tomas live before Nantes?",
    ],
)
def test_the_replaced_fact_answers_a_question_about_before(moved, fake_model, question):
    plan = answer_plan(fake_model, moved, question)
    assert plan.say == Say.HISTORY and [f.object for f in plan.found.facts] == ["Lyon"]
    assert plan.text.startswith("Your cousin Tomas lived in Lyon before Nantes (until ")


def test_the_question_without_its_before_still_gets_what_holds_now(moved, fake_model):
    plan = answer_plan(fake_model, moved, "Which city does Tomas live in?")
    assert plan.say == Say.FACTS and [f.object for f in plan.found.facts] == ["Nantes"]


def test_nothing_replaced_is_not_known(store, fake_model):
    run_correction(fake_model, store, "Which city does my cousin Tomas live in?", "Lyon")
    plan = answer_plan(fake_model, store, "Which city did Tomas live in before Lyon?")
    # What holds now is no answer to what held before it.
    assert plan.say == Say.NOT_KNOWN and plan.found.facts == []
    assert plan.text.startswith("I don't know which city Tomas lived in before Lyon yet.")


def test_the_chat_answers_history_from_memory_not_from_its_conversation(store, fake_model):
    session = ChatSession(fake_model, store)
    for city in ("Lyon", "Nantes"):
        "".join(session.send("Which city does my cousin Tomas live in?")[1])
        drain(session.correct(city))
    turn, pieces = session.send("Where did Tomas live before Nantes?")
    text = "".join(pieces)
    assert text.startswith("Your cousin Tomas lived in Lyon before Nantes")
    assert turn.from_memory and [f.object for f in turn.facts] == ["Lyon"]


def test_a_statement_to_complete_is_no_question_about_the_past(moved, fake_model):
    # "old" in a statement to complete asks nothing about the past: what holds is used.
    plan = answer_plan(fake_model, moved, "The city where my cousin Tomas lived in the old days is")
    assert plan.say == Say.FACTS and plan.found.facts


def test_a_before_that_names_no_value_of_memory_is_part_of_the_question(store, fake_model):
    run_correction(fake_model, store, "What does my cousin Tomas drink before matches?", "water")
    plan = answer_plan(fake_model, store, "What does Tomas drink before the match?")
    assert plan.say == Say.FACTS and [f.object for f in plan.found.facts] == ["water"]


def test_a_fact_learned_as_the_past_answers_its_own_question(store, fake_model):
    run_correction(fake_model, store, "What was my old address?", "12 Elm Road")
    plan = answer_plan(fake_model, store, "What was my old address?")
    assert plan.say == Say.FACTS and [f.object for f in plan.found.facts] == ["12 Elm Road"]


def test_a_plain_word_after_before_is_the_past_when_memory_holds_it(store, fake_model):
    run_correction(fake_model, store, "What does my nephew Ruben eat for lunch?", "soup")
    run_correction(fake_model, store, "What does my nephew Ruben eat for lunch?", "sandwiches")
    plan = answer_plan(fake_model, store, "What did Ruben eat for lunch before sandwiches?")
    assert plan.say == Say.HISTORY and [f.object for f in plan.found.facts] == ["soup"]
    # A plain word memory does not hold is a moment, part of what is asked.
    plan = answer_plan(fake_model, store, "What does Ruben eat before school?")
    assert plan.say != Say.HISTORY
