"""Finding the subject of a free chat message."""

from assistant.facts import AddFact, CorrectionInput
from assistant.learning.subject import aliases_in, find_subject, proper_noun_phrases
from models.fake import FakeLanguageModel


def test_explicit_subject_wins_and_resolves_aliases(store):
    store.add_alias("Bruno", "my dog")
    assert find_subject("anything", store, explicit="my dog") == "Bruno"
    assert find_subject("anything", store, explicit=" Rex ") == "Rex"


def test_known_entities_and_aliases_are_matched_first(store):
    store.apply_correction(
        CorrectionInput("q", "a", "Bruno", aliases=("my dog",)), [AddFact("eats", "a", 0, 0)]
    )
    model = FakeLanguageModel()
    assert find_subject("Which food should I buy for my dog?", store, model) == "Bruno"
    assert find_subject("Does Bruno like Anna?", store, model) == "Bruno"


def test_a_single_proper_noun_phrase_is_the_subject(store):
    assert (
        find_subject("The profession of Arun Nehru is", store, FakeLanguageModel()) == "Arun Nehru"
    )


def test_without_names_the_model_is_asked(store):
    model = FakeLanguageModel(replies=lambda p: " the cat" if p.endswith("Entity:") else None)
    assert find_subject("what does the cat eat", store, model) == "the cat"


def test_nothing_found_without_a_model(store):
    assert find_subject("what is this", store) is None


def test_proper_noun_phrases_skip_question_words():
    assert proper_noun_phrases("What does my dog Bruno eat?") == ["Bruno"]
    assert proper_noun_phrases("The mother tongue of Danielle Darrieux is") == ["Danielle Darrieux"]
    assert proper_noun_phrases("Is the Bank of America in New York?") == [
        "Bank of America",
        "New York",
    ]


def test_aliases_are_learned_from_descriptions():
    assert aliases_in("What does my dog Bruno eat?", "Bruno") == ["my dog"]
    assert aliases_in("Bruno, my dog, eats what?", "Bruno") == ["my dog"]
    assert aliases_in("What does Bruno eat?", "Bruno") == []
