"""A learned fact answers what is asked, not merely whom it is about: taught facts of
one person, then questions that ask for them and questions that ask for something
else about the same person."""

from dataclasses import replace

import pytest

from assistant.answering import answers_asked
from assistant.answering.answers_asked import answering_facts
from assistant.answering.reply_choice import Say, answer_plan
from assistant.answering.retrieval import ChosenBy, retrieve
from assistant.learning.correction import run_correction
from assistant.llm import Score
from models.fake import FakeLanguageModel

TAUGHT = [
    ("Which city does my cousin Ilse live in?", "Ghent"),
    ("Who is Ilse's piano teacher?", "Mr. Okafor"),
    ("What is Ilse's favourite ice cream flavour?", "mango"),
    ("What time does Ilse start work?", "8:30"),
]


@pytest.fixture
def taught(store, fake_model):
    for question, answer in TAUGHT:
        run_correction(fake_model, store, question, answer)
    return store


def answers(store, model, question):
    found = retrieve(model, store, question)
    return [f.object for f in answering_facts(model, store, question, found).facts]


@pytest.mark.parametrize(
    "question, value",
    [
        ("Which city does my cousin Ilse live in?", "Ghent"),  # as taught
        ("Who teaches Ilse the piano?", "Mr. Okafor"),
        ("What ice cream flavour does Ilse like best?", "mango"),
        ("When does Ilse start work?", "8:30"),
    ],
)
def test_a_question_that_asks_for_a_fact_gets_it(taught, fake_model, question, value):
    assert answers(taught, fake_model, question) == [value]


@pytest.mark.parametrize(
    "question",
    [
        "What is Ilse's phone number?",  # nothing like it taught
        "What is Ilse's favourite colour?",  # "favourite", but a colour, not a flavour
        "Who is Ilse's violin teacher?",  # a teacher, but of another instrument
        "What does Ilse do for a living?",  # her city answers where, not what
        "Which school does Ilse go to?",  # her start time answers when
        "How old is Ilse?",
    ],
)
def test_a_question_that_asks_for_something_else_gets_no_fact(taught, fake_model, question):
    assert retrieve(fake_model, taught, question).facts  # she is known: facts are found
    assert answers(taught, fake_model, question) == []


def test_the_subjects_name_decides_nothing(taught, fake_model):
    # Every fact shares "Ilse": with her name left out, an unrelated ask finds none.
    plan = answer_plan(fake_model, taught, "What is Ilse's shoe size?")
    assert plan.say == Say.NOT_KNOWN and plan.found.facts == []
    assert plan.text == "I don't know Ilse's shoe size yet. If you tell me, I'll remember it."


def test_a_practical_question_the_fact_bears_on_gets_it(store, fake_model):
    run_correction(fake_model, store, "What is my nephew Jonas allergic to?", "peanuts")
    plan = answer_plan(fake_model, store, "Can Jonas eat satay with peanut sauce?")
    assert plan.say == Say.FACTS and [f.object for f in plan.found.facts] == ["peanuts"]


def test_a_general_question_is_the_models_and_a_request_too(taught, fake_model):
    for question in (
        "What is the capital of Belgium?",
        "Can you suggest a name for my cousin's cat?",
        "How do I boil an egg?",
    ):
        assert answer_plan(fake_model, taught, question).say == Say.MODEL


@pytest.mark.parametrize(
    "question, reply",
    [
        ("Where does my brother live?", "I don't know where your brother lives yet."),
        ("What's my passport number?", "I don't know your passport number yet."),
        ("Which bus do I take to work?", "I don't know which bus you take to work yet."),
    ],
)
def test_a_question_about_the_users_world_that_nothing_answers_is_not_known(
    taught, fake_model, question, reply
):
    plan = answer_plan(fake_model, taught, question)
    assert plan.say == Say.NOT_KNOWN and plan.text.startswith(reply)


def test_a_friend_called_a_mate_is_the_same_friend(store, fake_model):
    run_correction(fake_model, store, "Who is my son Pavel's best friend?", "Anouk")
    assert answers(store, fake_model, "Who's my son's best mate?") == ["Anouk"]


class Doubting(FakeLanguageModel):
    """The fake model, expecting no fact's object as an answer."""

    def score(self, requests):
        return [Score(-4.0 * max(len(s.continuation.split()), 1), 1, False) for s in requests]


@pytest.mark.parametrize(
    "close, model, kept",
    [
        (0.25, FakeLanguageModel(), ["mango"]),  # loosely close, the value expected: said
        (0.25, Doubting(), []),  # loosely close, the value not expected: not said
        (0.40, Doubting(), ["mango"]),  # close: meaning alone decides
        (0.10, FakeLanguageModel(), []),  # far
    ],
)
def test_a_loosely_close_fact_answers_when_the_model_expects_its_value(
    taught, monkeypatch, close, model, kept
):
    question = "Which sorbet does Ilse order?"
    found = retrieve(model, taught, question)
    flavour = [f for f in found.facts if f.object == "mango"]
    monkeypatch.setattr(answers_asked, "closeness", lambda *args: [close] * len(args[2]))
    narrowed = answering_facts(model, taught, question, replace(found, facts=flavour))
    assert [f.object for f in narrowed.facts] == kept


def test_a_habit_of_the_users_asked_with_how_is_theirs(taught, fake_model):
    plan = answer_plan(fake_model, taught, "How do I like my porridge?")
    assert plan.say == Say.NOT_KNOWN
    assert plan.text.startswith("I don't know how you like your porridge yet.")


@pytest.mark.parametrize(
    "question",
    ["What's my cousin's name?", "What is my cousin called?", "What's the name of my cousin?"],
)
def test_the_name_of_someone_described_is_their_name(taught, fake_model, question):
    plan = answer_plan(fake_model, taught, question)
    assert plan.text == "Your cousin is called Ilse."


def test_a_thing_of_someone_described_is_not_their_name(taught, fake_model):
    plan = answer_plan(fake_model, taught, "What is my cousin's dog called?")
    assert "is called Ilse" not in plan.text


@pytest.mark.parametrize("question", ["How old is Ilse?", "How tall is Ilse?"])
def test_a_quantity_asked_is_not_a_name_nor_a_place(taught, fake_model, question):
    found = retrieve(fake_model, taught, question)
    held = [f for f in found.facts if f.object in {"Ghent", "Mr. Okafor"}]
    # As if the question named their relations: the kinds alone decide.
    named = replace(found, facts=held, chosen_by=ChosenBy.BY_NAME)
    assert held and answering_facts(fake_model, taught, question, named).facts == []


def test_a_place_may_answer_who_as_a_name_may_answer_where(store, fake_model):
    run_correction(fake_model, store, "Where does my sister Ines work?", "Fernhill Bank")
    assert answers(store, fake_model, "Who does Ines work for?") == ["Fernhill Bank"]


@pytest.mark.parametrize(
    "question", ["Which firm does Ottavio work for?", "Which bank does Ottavio work at?"]
)
def test_which_thing_asked_of_the_relation_a_place_fact_holds_is_answered(
    store, fake_model, question
):
    # Taught as where he works (a place), asked as which firm: the question names the
    # fact's relation, so the kind its own question asked does not hold it back.
    run_correction(fake_model, store, "Where does my uncle Ottavio work?", "Banca Sella")
    assert answers(store, fake_model, question) == ["Banca Sella"]


def test_a_thing_asked_of_another_relation_is_still_not_a_place_fact(store, fake_model):
    run_correction(fake_model, store, "Where does my uncle Ottavio work?", "Banca Sella")
    assert answers(store, fake_model, "Which car does Ottavio drive?") == []


def test_someone_known_only_as_a_value_is_of_the_users_world(store, fake_model):
    # Learned only as his brother's flatmate: a question about him is the user's
    # world, so memory says it does not know, not the model's invention.
    run_correction(fake_model, store, "Who does my brother Anselm live with?", "Joaquin")
    plan = answer_plan(fake_model, store, "What does Joaquin do for a living?")
    assert plan.say == Say.NOT_KNOWN and "don't know" in plan.text
    # A place memory holds as a value keeps its general questions the model's.
    run_correction(fake_model, store, "Which city does Anselm live in?", "Valladolid")
    assert answer_plan(fake_model, store, "What is Valladolid famous for?").say == Say.MODEL


@pytest.mark.parametrize(
    ("taught", "question"),
    [
        (("What car does my wife Dana drive?", "Volvo XC40"), "What colour is Dana's car?"),
        (("Which school does my son Emil go to?", "Oakfield"), "Which bus does Emil take?"),
        (("Who does my aunt Odette live with?", "Clemence"), "Which town does Odette live in?"),
    ],
)
def test_a_fact_asked_of_another_thing_does_not_answer(store, fake_model, taught, question):
    run_correction(fake_model, store, *taught)
    assert answers(store, fake_model, question) == []


@pytest.mark.parametrize(
    ("taught", "question"),
    [
        (("Which school does my son Emil go to?", "Oakfield"), "Which school does Emil attend?"),
        (("Which city does my aunt Frieda live in?", "Leeds"), "Which town is Frieda in?"),
        (("What breed is my dog Pepper?", "whippet"), "What kind of dog is Pepper?"),
        # "brand", "make", "model" ask which one the thing is.
        (("Which laptop does my son Ivo use?", "ThinkPad"), "What brand is Ivo's laptop?"),
        (("What make is my cousin Ivo's van?", "Renault"), "What brand of van does Ivo drive?"),
    ],
)
def test_the_same_thing_asked_in_other_words_is_still_answered(store, fake_model, taught, question):
    run_correction(fake_model, store, *taught)
    assert answers(store, fake_model, question) == [taught[1]]


@pytest.mark.parametrize(
    "request_",
    [
        "Write a short poem about my cousin Ilse.",
        "Can you suggest a birthday present for Ilse?",
        "Tell me a joke about Ilse's piano teacher.",
    ],
)
def test_a_request_to_make_something_is_the_models_whoever_it_names(taught, fake_model, request_):
    plan = answer_plan(fake_model, taught, request_)
    assert plan.say == Say.MODEL and plan.found.facts == [] and plan.found.subject is None


def test_asking_to_be_told_about_someone_still_gets_what_is_known(taught, fake_model):
    plan = answer_plan(fake_model, taught, "Tell me about Ilse")
    assert plan.say == Say.FACTS and len(plan.found.facts) >= 2


def test_a_time_never_answers_which_thing_even_named_by_its_relation(store, fake_model):
    run_correction(
        fake_model, store, "What time does my nephew Casimir get up on school days?", "6:50"
    )
    assert answers(store, fake_model, "Which school does Casimir go to?") == []
