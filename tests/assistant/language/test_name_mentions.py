"""A known name found in a message names that entity only where the message writes it
as a name (assistant/name_mentions.py)."""

from assistant.answering.answer import answer_question
from assistant.facts import AddFact, CorrectionInput
from assistant.language.name_mentions import names_entity
from assistant.learning.subject import find_known_entity
from models.fake import FakeLanguageModel


def learn(store, subject, relation, obj):
    store.apply_correction(CorrectionInput("q", obj, subject), [AddFact(relation, obj, 0, 0)])


def reads_as_name(message: str, name: str) -> bool:
    """``names_entity`` where the lookup would have found ``name``: its first place."""
    start = message.lower().index(name.lower())
    return names_entity(message, name, (start, start + len(name)))


def test_an_everyday_word_in_lower_case_is_the_word_not_the_name():
    assert not reads_as_name("Mabel Philipson lost their life at", "Life")
    assert not reads_as_name("Should I buy an apple or a pear?", "Apple")
    # Written as the name, it is the name.
    assert reads_as_name("When was Life first aired?", "Life")
    # A word no dictionary has is a name whatever its case ("bruno" typed in a hurry).
    assert reads_as_name("What does bruno eat?", "Bruno")
    # A message typed all in lower case says nothing about names.
    assert reads_as_name("when was life first aired", "Life")


def test_a_name_followed_by_another_capitalised_word_is_part_of_a_longer_name():
    assert not reads_as_name("Arthur Erickson's life ended in", "Arthur")
    assert not reads_as_name("Berlin Stadtbahn is located in", "Berlin")
    assert not reads_as_name("In United Nations General Assembly, they speak", "United Nations")
    assert not reads_as_name(
        "The headquarter of University of Oklahoma Bookstore is in", "University of Oklahoma"
    )
    # Punctuation or a lower-case word after it leaves the name alone.
    assert reads_as_name("Arthur, season 12 premieres on", "Arthur")
    assert reads_as_name("Does Anna like jazz?", "Anna")
    assert reads_as_name("Is Anna OK?", "Anna")
    # A message in title case uses capitals for every word.
    assert reads_as_name("Where Does Anna Live Now?", "Anna")
    assert reads_as_name("What Is The Meaning Of Life?", "Life")


def test_the_store_passes_over_a_rejected_name_to_the_next_one(store):
    learn(store, "Arthur", "premieres on", "PBS")
    learn(store, "Anna", "lives in", "Lisbon")
    learn(store, "Life", "aired on", "HBO")
    assert find_known_entity("Did Arthur Erickson ever meet Anna?", store) == "Anna"
    assert find_known_entity("Arthur Erickson's life ended in", store) is None
    assert find_known_entity("Which channel shows Arthur?", store) == "Arthur"
    # Any one place that writes it as the name is enough.
    assert find_known_entity("Arthur Erickson once met Arthur in person.", store) == "Arthur"
    # A possessive ends a name: "Anna's Toyota" is Anna's.
    assert find_known_entity("Where did Anna's Toyota get serviced?", store) == "Anna"
    # Two known names side by side are two names.
    learn(store, "Oskar", "plays", "drums")
    learn(store, "Freya", "goes to", "Oakfield Primary")
    assert find_known_entity("Is Oskar Freya's cousin?", store) == "Oskar"


def test_a_folded_or_described_name_is_taken_as_named(store):
    store.apply_correction(
        CorrectionInput("q", "Carmina Burana", "Choir", aliases=("my choir",)),
        [AddFact("sings", "Carmina Burana", 0, 0)],
    )
    assert find_known_entity("What does the choir sing this winter?", store) == "Choir"
    store.add_alias("Rosa", "my mother")
    assert find_known_entity("Where does my mum live now?", store) == "Rosa"


def test_a_question_about_life_gets_no_fact_about_a_series_called_life(store):
    learn(store, "Life", "aired on", "HBO")
    model = FakeLanguageModel()
    answer = answer_question(model, store, "What is the meaning of life, in your view?")
    assert answer.facts == [] and "HBO" not in answer.text
    named = answer_question(model, store, "Which channel aired Life?")
    assert [f.object for f in named.facts] == ["HBO"]
