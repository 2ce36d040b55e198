"""The user and the things they describe: one entity for "I", descriptions by key."""

import pytest

from assistant.language.descriptions import (
    USER,
    description_in,
    first_person_to_second,
    mentions_user,
)
from assistant.language.text import entity_key


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("my mum's favourite flower", "my mum"),
        ("the hygienist at my dentist", "my dentist"),
        ("The code for my bike lock", "my bike lock"),
        ("my GP surgery", "my GP surgery"),
        ("my daughter Freya's teacher", "my daughter"),
        ("What's my usual cup before bed?", "my usual cup"),
        ("Anna lives in Lisbon", None),
    ],
)
def test_a_description_is_found_up_to_a_name_possessive_or_function_word(text, description):
    assert description_in(text) == description


def test_variants_of_a_relationship_word_share_one_key():
    assert entity_key("my mum") == entity_key("my Mom") == entity_key("my mother")
    assert entity_key("my grandad") == entity_key("my grandfather")
    assert entity_key("my boss") == entity_key("my manager")
    assert entity_key("my dentist") != entity_key("my doctor")


def test_the_users_key_cannot_be_typed():
    assert entity_key(USER) != entity_key("you") and entity_key(USER).startswith("@")


@pytest.mark.parametrize(
    ("message", "mine"),
    [("Which tea do I drink?", True), ("What's my star sign?", True),
     ("Tell me about Anna", True), ("What is the capital of Wales?", False),
     ("Is this mine?", True), ("Imagine a city", False)],
)  # fmt: skip
def test_mentions_of_the_user(message, mine):
    assert mentions_user(message) is mine


@pytest.mark.parametrize(
    ("mine", "yours"),
    [
        ("I drink rooibos in the evening.", "You drink rooibos in the evening."),
        ("My car's colour is burgundy.", "Your car's colour is burgundy."),
        ("I am allergic to penicillin.", "You are allergic to penicillin."),
        ("The code for my bike lock is 4927.", "The code for your bike lock is 4927."),
        ("My grandad Walter was born in Aberdeen.", "Your grandad Walter was born in Aberdeen."),
    ],
)
def test_a_fact_in_the_users_voice_is_said_back_to_them(mine, yours):
    assert first_person_to_second(mine) == yours
