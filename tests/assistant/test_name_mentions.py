"""A known name found in a message names that entity only where the message writes it
as a name (assistant/name_mentions.py)."""

from assistant.answering import answer_question
from assistant.facts import AddFact, CorrectionInput
from assistant.name_mentions import names_entity
from assistant.subject import find_known_entity
from models.fake import FakeLanguageModel


def learn(store, subject, relation, obj):
    store.apply_correction(CorrectionInput("q", obj, subject), [AddFact(relation, obj, 0, 0)])


def test_an_everyday_word_in_lower_case_is_the_word_not_the_name():
    assert not names_entity("Mabel Philipson lost their life at", ["Life"])
    assert not names_entity("Should I buy an apple or a pear?", ["Apple"])
    # Written as the name, it is the name.
    assert names_entity("When was Life first aired?", ["Life"])
    # A word no dictionary has is a name whatever its case ("bruno" typed in a hurry).
    assert names_entity("What does bruno eat?", ["Bruno"])
    # A message typed all in lower case says nothing about names.
    assert names_entity("when was life first aired", ["Life"])


def test_a_name_followed_by_another_capitalised_word_is_part_of_a_longer_name():
    assert not names_entity("Arthur Erickson's life ended in", ["Arthur"])
    assert not names_entity("Berlin Stadtbahn is located in", ["Berlin"])
    assert not names_entity(
        "The headquarter of University of Oklahoma Bookstore is in", ["University of Oklahoma"]
    )
    assert not names_entity(
        "In United Nations General Assembly, they understand", ["United Nations"]
    )
    # A possessive, punctuation or a lower-case word after it leaves the name alone.
    assert names_entity("Where did Anna's Toyota get serviced?", ["Anna"])
    assert names_entity("Arthur, season 12 premieres on", ["Arthur"])
    assert names_entity("Does Anna like jazz?", ["Anna"])
    assert names_entity("Is Anna OK?", ["Anna"])
    # A message in title case uses capitals for every word.
    assert names_entity("Where Does Anna Live Now?", ["Anna"])
    assert names_entity("What Is The Meaning Of Life?", ["Life"])


def test_any_one_place_that_writes_it_as_the_name_is_enough():
    assert names_entity("Arthur Erickson once met Arthur in person.", ["Arthur"])
    assert not names_entity("Arthur Erickson once met Arthur Miller in person.", ["Arthur"])


def test_an_alias_written_as_a_name_settles_it_when_the_name_reads_as_a_word():
    assert names_entity("Mabel loved life and my show", ["Life", "my show"])


def test_a_name_the_lookup_folded_or_described_is_taken_as_named():
    # "my mum" is looked up as "my mother"; "the choir" as "my choir".
    assert names_entity("Where does my mum live?", ["my mother"])
    assert names_entity("When does the choir sing?", ["my choir"])


def test_the_store_passes_over_a_rejected_name_to_the_next_one(store):
    learn(store, "Arthur", "premieres on", "PBS")
    learn(store, "Anna", "lives in", "Lisbon")
    learn(store, "Life", "aired on", "HBO")
    assert find_known_entity("Did Arthur Erickson ever meet Anna?", store) == "Anna"
    assert find_known_entity("Arthur Erickson's life ended in", store) is None
    assert find_known_entity("Which channel shows Arthur?", store) == "Arthur"
    # Two known names side by side are two names.
    learn(store, "Oskar", "plays", "drums")
    learn(store, "Freya", "goes to", "Oakfield Primary")
    assert find_known_entity("Is Oskar Freya's cousin?", store) == "Oskar"


def test_a_question_about_life_gets_no_fact_about_a_series_called_life(store):
    learn(store, "Life", "aired on", "HBO")
    model = FakeLanguageModel()
    answer = answer_question(model, store, "What is the meaning of life, in your view?")
    assert answer.facts == [] and "HBO" not in answer.text
    named = answer_question(model, store, "Which channel aired Life?")
    assert [f.object for f in named.facts] == ["HBO"]
