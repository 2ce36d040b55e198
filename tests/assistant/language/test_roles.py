"""Who someone is to the user: relatives, roles and pets are told apart by what they
are, and the words that mean the same one are folded together."""

import pytest

from assistant.language.roles import head_kinds, same_someone, word_kinds


@pytest.mark.parametrize(
    "asked, known",
    [
        ("brother", "my sister"),
        ("aunt", "my uncle"),
        ("cat", "my dog"),
        ("niece", "my nephew"),
        ("mother-in-law", "my father-in-law"),
        ("granddaughter", "my grandson"),
        ("husband", "my wife"),
        ("dentist", "my doctor"),
    ],
)
def test_different_kinds_are_different_people(asked, known):
    assert head_kinds(asked) and head_kinds(known)
    assert not same_someone(head_kinds(asked), head_kinds(known))


@pytest.mark.parametrize(
    "asked, known",
    [
        ("mum", "my mother"),
        ("mom", "my mum"),
        ("GP", "my doctor"),
        ("little boy", "my son"),
        ("pup", "my dog"),
        ("kitten", "my cat"),
        ("boss", "my manager"),
        ("best mate", "my friend"),
        ("bunny", "my rabbit"),
        ("guinea pig", "my guinea pig"),
        ("sisters", "my sister"),
        ("piano tutor", "my piano teacher"),
    ],
)
def test_words_for_the_same_one_match(asked, known):
    assert same_someone(head_kinds(asked), head_kinds(known))


@pytest.mark.parametrize(
    "asked, known",
    [("kid", "my daughter"), ("kids", "my son"), ("pet", "my tortoise"), ("partner", "my wife")],
)
def test_a_word_for_a_group_covers_its_members(asked, known):
    assert same_someone(head_kinds(asked), head_kinds(known))


def test_things_and_places_are_no_kind_of_person():
    for phrase in ("my climbing gym", "the climbing wall", "my car", "my dog walker", "my tea"):
        assert head_kinds(phrase) == frozenset()
    # A modifier still says whose it is: "my GP surgery" is the doctor's.
    assert word_kinds("my GP surgery") == head_kinds("doctor")
