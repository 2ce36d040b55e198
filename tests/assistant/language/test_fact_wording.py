"""A learned fact said to the user as one correct short sentence."""

from __future__ import annotations

import pytest

from assistant.facts import Fact
from assistant.language.descriptions import USER
from assistant.language.fact_wording import in_users_voice, path_said_to_user, said_to_user


def fact(subject, relation, obj, sentence=None):
    return Fact(1, subject, relation, obj, "2026-01-01T00:00:00+00:00", sentence=sentence)


def test_a_fact_with_a_sentence_says_it_back_to_the_user():
    assert said_to_user(fact(USER, "drink", "rooibos", "I drink rooibos in the evening.")) == (
        "You drink rooibos in the evening."
    )
    anna = fact("Anna", "lives in", "Lisbon", "My sister Anna lives in Lisbon.")
    assert said_to_user(anna) == "Your sister Anna lives in Lisbon."


@pytest.mark.parametrize(
    "triple, said",
    [
        (("Bruno", "owner", "Anna"), "Bruno's owner is Anna."),
        (("Bruno", "diet", "vegetables"), "Bruno's diet is vegetables."),
        (("Rex", "breed is", "beagle"), "Rex's breed is beagle."),
        (("James", "mother tongue", "Welsh"), "James' mother tongue is Welsh."),
        ((USER, "favourite colour", "green"), "Your favourite colour is green."),
        (("my dog", "diet", "rice"), "Your dog's diet is rice."),
        (("Anna", "works at", "Google"), "Anna works at Google."),
        (("Anna", "lives in", "Lisbon"), "Anna lives in Lisbon."),
        (("Bruno", "eats", "meat"), "Bruno eats meat."),
        (("Anna", "is located in", "Porto"), "Anna is located in Porto."),
        (("Anna", "from", "Porto"), "Anna is from Porto."),
        ((USER, "based in", "Leeds"), "You are based in Leeds."),
    ],
)
def test_a_triple_without_a_sentence_reads_as_one(triple, said):
    assert said_to_user(triple) == said
    assert said_to_user(fact(*triple)) == said


def test_the_users_own_voice_is_kept_for_the_prompt():
    """Only what the user reads changes: the answer prompt and retrieval by meaning
    keep the triple as it was written."""
    assert in_users_voice(("Bruno", "owner", "Anna")) == "Bruno owner Anna."


def test_a_path_through_a_person_reads_as_one_phrase():
    vet = fact("Rex", "vet", "Dr. Moreau", "My dog Rex's vet is Dr. Moreau.")
    clinic = fact("Dr Moreau", "works at", "Vetcare Lyon", "Dr. Moreau works at Vetcare Lyon.")
    assert path_said_to_user([vet, clinic]) == (
        "your dog Rex's vet Dr. Moreau, who works at Vetcare Lyon"
    )
    owner = fact("Bruno", "owner", "Anna")
    home = fact("Anna", "lives in", "Lisbon")
    assert path_said_to_user([owner, home]) == "Bruno's owner Anna, who lives in Lisbon"


def test_a_path_through_anything_else_reads_as_one_phrase_too():
    employer = fact("Anna", "works at", "Google")
    office = fact("Google", "based in", "Zurich")
    assert path_said_to_user([employer, office]) == "Anna works at Google, which is based in Zurich"
    dog = fact("Anna", "is a dog", "Bruno", "The name of my sister Anna's dog is Bruno.")
    food = fact("Bruno", "eats", "vegetables", "My dog Bruno eats vegetables.")
    assert path_said_to_user([dog, food]) == (
        "the name of your sister Anna's dog Bruno, which eats vegetables"
    )


def test_a_path_that_does_not_read_as_one_phrase_is_its_two_sentences():
    lives = fact("Anna", "home", "Lisbon", "Lisbon is where my sister Anna lives.")
    weather = fact("Lisbon", "climate", "mild")
    assert path_said_to_user([lives, weather]) == (
        "Lisbon is where your sister Anna lives → Lisbon's climate is mild"
    )
