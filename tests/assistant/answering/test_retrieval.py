"""Answer-time retrieval: the relation a question names, else the model's P(r|q) ranking."""

import pytest

from assistant.answering.answer import answer_question
from assistant.answering.retrieval import retrieve
from assistant.language.relation_match import named_relation, word_forms
from assistant.learning.correction import run_correction

NOW = "2026-01-01T00:00:00+00:00"
BRUNO = [
    ("lives in", "Lyon"),
    ("eats", "rice"),
    ("likes", "tennis balls"),
    ("likes", "the sofa"),
    ("was born in", "Porto"),
    ("is allergic to", "pollen"),
    ("plays", "fetch"),
]
RELATIONS = [relation for relation, _ in BRUNO]


@pytest.fixture
def bruno(store):
    store.import_facts((("Bruno", r, o, NOW, None) for r, o in BRUNO))
    return store


@pytest.mark.parametrize(
    "word, form",
    [
        ("eats", "eat"),
        ("eating", "eat"),
        ("lives", "live"),
        ("lived", "live"),
        ("studies", "study"),
        ("studied", "study"),
        ("watches", "watch"),
        ("married", "marry"),
    ],
)
def test_inflections_share_a_form(word, form):
    assert form in word_forms(word)


@pytest.mark.parametrize(
    "query, relation",
    [
        ("What does Bruno eat?", "eats"),
        ("Where did Bruno live before?", "lives in"),
        ("Where was Bruno born?", "was born in"),
        ("What is Bruno allergic to?", "is allergic to"),
        ("Which game does Bruno play?", "plays"),
    ],
)
def test_a_question_names_the_relation_in_its_own_words(query, relation):
    assert named_relation(query, "Bruno", RELATIONS) == relation


@pytest.mark.parametrize(
    "query",
    [
        "Tell me about Bruno",  # names no relation
        "What does Bruno like to eat?",  # names two equally
        "What is Bruno's favourite food?",  # a paraphrase: for the model to rank
    ],
)
def test_no_single_named_relation_leaves_the_ranking_to_the_model(query):
    assert named_relation(query, "Bruno", RELATIONS) is None


def test_the_subjects_own_name_names_no_relation():
    # "Plays" is part of the name here, not the question's words.
    assert (
        named_relation("Where does Anna Plays live?", "Anna Plays", ["plays", "lives in"])
        == "lives in"
    )


def test_the_same_relation_twice_is_not_a_tie():
    assert named_relation("What does Bruno like?", "Bruno", ["likes", "likes", "eats"]) == "likes"


def test_a_named_relation_is_retrieved_without_the_model(bruno, fake_model):
    found = retrieve(fake_model, bruno, "What is Bruno allergic to?")
    assert found.chosen_by == "by name"
    assert [(f.relation, f.object) for f in found.facts] == [("is allergic to", "pollen")]
    assert fake_model.score_calls == []


def test_every_fact_of_the_named_relation_goes_in(bruno, fake_model):
    found = retrieve(fake_model, bruno, "What does Bruno like?")
    assert {f.object for f in found.facts} == {"tennis balls", "the sofa"}


def test_an_unnamed_relation_is_found_by_meaning(bruno, fake_model):
    found = retrieve(fake_model, bruno, "Where is Bruno's home town?")
    assert found.chosen_by == "by meaning" and len(found.facts) == 3
    assert {"Lyon", "Porto"} & {f.object for f in found.facts}
    assert fake_model.score_calls == []  # no model call: embeddings rank


def test_the_models_own_ranking_is_kept_for_comparison(bruno, fake_model):
    found = retrieve(fake_model, bruno, "What is Bruno's favourite food?", ranking="model")
    assert found.chosen_by == "by model" and len(found.facts) == 3
    assert fake_model.score_calls  # P(r|q) of the subject's relations
    assert sum(found.probabilities) <= 1.0


def test_few_facts_all_go_in_ranked_by_meaning_when_none_is_named(store, fake_model):
    store.import_facts(
        [("Bruno", "eats", "rice", NOW, None), ("Bruno", "plays", "fetch", NOW, None)]
    )
    found = retrieve(fake_model, store, "Which game does Bruno enjoy?")
    assert found.chosen_by == "all" and len(found.facts) == 2
    assert found.facts[0].object == "fetch" and found.probabilities[0] > 0.5
    found = retrieve(fake_model, store, "What does Bruno eat?")
    assert found.chosen_by == "by name" and [f.object for f in found.facts] == ["rice"]


def test_the_answer_uses_the_named_fact(bruno, fake_model):
    answer = answer_question(fake_model, bruno, "What does Bruno eat?")
    assert answer.text == "Bruno eats rice." and [f.relation for f in answer.facts] == ["eats"]


def test_a_correction_replaces_the_fact_the_answer_found_by_name(bruno, fake_model):
    # The imported "eats rice" has no question of its own: the question's words name
    # its relation, so it answered this question and is replaced.
    assert answer_question(fake_model, bruno, "What does Bruno eat?").text == "Bruno eats rice."
    result = run_correction(fake_model, bruno, "What does Bruno eat?", "vegetables")
    assert [f.object for f in result.applied.removed] == ["rice"]
    answer = answer_question(fake_model, bruno, "What does Bruno eat?")
    assert answer.text == "Bruno eats vegetables."
    assert {f.object for f in bruno.valid_facts_of("Bruno")} >= {"tennis balls", "fetch"}
