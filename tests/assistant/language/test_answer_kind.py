"""The kind of answer a question asks for, and the reply's choice of fact by it."""

import pytest

from assistant.answering.grounded_reply import choose_fact
from assistant.answering.retrieval import ChosenBy, Retrieved
from assistant.language.answer_kind import (
    AnswerKind,
    answered_kinds,
    asked_kind,
    fact_kinds,
    kind_allows,
    kinds_meet,
    value_kind,
)
from assistant.learning.correction import run_correction


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Where is my dental practice?", AnswerKind.PLACE),
        ("Which street is my dentist on?", AnswerKind.PLACE),
        ("In which town did I grow up?", AnswerKind.PLACE),
        ("And where does she live now?", AnswerKind.PLACE),
        ("When is my mum's birthday?", AnswerKind.TIME),
        ("What time does my gym open?", AnswerKind.TIME),
        ("How late is the climbing wall open on Sundays?", AnswerKind.TIME),
        ("Who is the hygienist at my dentist?", AnswerKind.NAME),
        ("What's my dentist's name?", AnswerKind.NAME),
        ("What is my cat called?", AnswerKind.NAME),
        ("What does Anna do for a living?", None),
        ("How old is Milo?", None),
        ("Which tea do I drink in the evening?", None),
    ],
)
def test_a_questions_opening_words_say_what_kind_of_answer_it_asks_for(question, kind):
    assert asked_kind(question) == kind


def test_a_fact_answers_the_kinds_its_questions_ask_for():
    assert answered_kinds(["Which street is my dentist on?", "How old is he?"]) == {
        AnswerKind.PLACE
    }
    assert answered_kinds(["What does Anna do?"]) == frozenset()


def _dentist(store, fake_model):
    taught = [
        ("What's my dentist's name?", "Dr. Mensah"),
        ("Which street is my dentist on?", "Harcourt Road"),
        ("Which tea do I drink in the evening?", "rooibos"),
    ]
    return [run_correction(fake_model, store, q, a).applied.added[0] for q, a in taught]


def _found(facts, shares):
    return Retrieved("my dentist", facts, shares, ChosenBy.ALL)


def test_a_where_question_is_answered_by_the_place_not_the_closer_name(store, fake_model):
    name, street, tea = _dentist(store, fake_model)
    # Meaning prefers the name (static embeddings hardly hear "where"); the model
    # copies either object as readily.
    found = _found([name, street], [0.7, 0.3])
    assert choose_fact(fake_model, store, "Where is my dental practice?", found) == street
    assert choose_fact(fake_model, store, "Who do I see for my teeth?", found) == name


def test_a_question_asking_no_kind_is_left_to_the_model_and_meaning(store, fake_model):
    name, street, tea = _dentist(store, fake_model)
    found = _found([name, street], [0.7, 0.3])
    assert choose_fact(fake_model, store, "Tell me something about my dentist", found) == name


def test_a_fact_whose_questions_ask_no_kind_is_not_held_back(store, fake_model):
    name, street, tea = _dentist(store, fake_model)
    found = _found([name, tea], [0.3, 0.7])
    assert choose_fact(fake_model, store, "Where do I get my evening tea?", found) == tea


def test_a_strong_preference_still_wins_over_the_kind(store, fake_model):
    name, street, tea = _dentist(store, fake_model)
    found = _found([name, street], [0.98, 0.02])
    assert choose_fact(fake_model, store, "Where is my dental practice?", found) == name


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("7:45", AnswerKind.TIME),
        ("half past nine", AnswerKind.TIME),
        ("10 am", AnswerKind.TIME),
        ("Fridays", AnswerKind.TIME),
        ("in October", AnswerKind.TIME),
        ("3 miles", AnswerKind.QUANTITY),
        ("three times a month", AnswerKind.QUANTITY),
        ("Tannery Lane", AnswerKind.PLACE),
        ("Gdansk", AnswerKind.NAME),
        ("Beacon Valley Rovers", AnswerKind.NAME),
        ("Dr. Okonjo", AnswerKind.NAME),
        ("porridge", None),
        ("61", None),  # an age, a code or an hour: the number alone does not say
        ("the blue one", None),
    ],
)
def test_a_values_shape_says_its_kind_when_it_plainly_can(value, kind):
    assert value_kind(value) == kind


def test_a_fact_is_of_the_kinds_its_questions_ask_else_of_its_values_shape():
    assert fact_kinds(["What is my blood pressure tablet called?"], "amlodipine") == {
        AnswerKind.NAME
    }
    assert fact_kinds(["How many cousins do I have?"], "nine") == {AnswerKind.QUANTITY}
    # A stated fact has no question of its own: its value speaks.
    assert fact_kinds([], "8:15") == {AnswerKind.TIME}
    assert fact_kinds(["What does Ruth knit?"], "scarves") == frozenset()


def test_a_time_never_meets_a_name_and_a_place_meets_a_name():
    time, name, place = (
        frozenset({k}) for k in (AnswerKind.TIME, AnswerKind.NAME, AnswerKind.PLACE)
    )
    quantity = frozenset({AnswerKind.QUANTITY})
    assert not kinds_meet(time, name)
    assert not kinds_meet(quantity, place)
    assert kinds_meet(place, name)  # "Where does Anna work?", "Who does Anna work for?"
    assert kinds_meet(time, time)
    assert kinds_meet(frozenset(), time)  # a kind not known never rules a fact out


@pytest.mark.parametrize(
    ("question", "allowed"),
    [
        ("Where does Bao live?", True),
        ("What does Bao do for a living?", False),  # asks no kind; the fact only where
        ("When does Bao start work?", False),  # a time never answers with a place
        ("Who does Bao live near?", True),  # a place and a name meet
        ("Tell me about Bao.", True),  # not a wh-question
    ],
)
def test_a_fact_that_answers_where_answers_only_what_a_place_can(question, allowed):
    assert kind_allows(question, ["Which city does Bao live in?"], "Hanoi") is allowed
