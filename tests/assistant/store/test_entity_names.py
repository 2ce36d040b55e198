"""Entities found by any of their names, case and punctuation insensitively."""

from .graph_teaching import teach


def test_entities_resolve_case_and_punctuation_insensitively(store):
    teach(store, "vegetables")
    assert store.resolve_entity("bruno") == "Bruno"
    assert store.find_entity_in("what does MY DOG like?") == "Bruno"
    assert store.find_entity_in("Tell me about Paris") is None
    store.add_alias("Bruno", "the good boy")
    assert store.find_entity_in("is the good boy hungry") == "Bruno"


def test_an_entity_is_known_by_its_own_name_first_then_its_aliases(store):
    teach(store, "vegetables")
    store.add_alias("Bruno", "the good boy")
    assert store.names_of("THE GOOD BOY") == ["Bruno", "my dog", "the good boy"]
    assert store.alias_map() == {"Bruno": "Bruno", "my dog": "Bruno", "the good boy": "Bruno"}
    assert store.names_of("Rex") == []
