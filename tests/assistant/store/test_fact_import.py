"""Imported rows added in one transaction, each fact once."""

import pytest

from assistant.errors import InputError

from .graph_teaching import LEARNED, teach

ROWS = [
    ("Anna", "lives in", "Porto", LEARNED, None),
    ("Anna", "lived in", "Lisbon", LEARNED, LEARNED),
]


def test_an_import_adds_each_fact_once_and_counts_what_it_did(store):
    assert store.import_facts(ROWS, [("Anna", "my sister")]) == (2, 0, 1)
    assert store.import_facts(ROWS, [("Anna", "my sister")]) == (0, 2, 0)
    assert [f.object for f in store.facts("my sister")] == ["Porto"]
    assert [f.object for f in store.replaced_facts()] == ["Lisbon"]
    assert all(f.correction_id is None for f in store.facts(include_invalid=True))


def test_an_alias_that_names_another_entity_stops_the_whole_import(store):
    teach(store, "vegetables")
    with pytest.raises(InputError, match="already names 'Bruno'"):
        store.import_facts(ROWS, [("Anna", "my dog")])
    assert store.resolve_entity("Anna") is None and store.facts("Bruno")[0].object == "vegetables"
