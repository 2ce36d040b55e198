"""The graph store is one object assembled from its parts, and no part's method hides
another's."""

from assistant.store.graph_base import GraphBase
from assistant.store.graph_store import GraphStore


def test_no_method_is_defined_by_two_parts_of_the_store():
    parts = [c for c in GraphStore.__mro__ if c.__module__.startswith("assistant.store.")]
    assert GraphBase in parts
    owners: dict[str, list[str]] = {}
    for part in parts:
        for name in vars(part):
            if not name.startswith("__"):
                owners.setdefault(name, []).append(part.__name__)
    assert {name: where for name, where in owners.items() if len(where) > 1} == {}


def test_the_store_answers_for_every_part(store):
    assert isinstance(store, GraphStore)
    assert store.facts() == [] and store.corrections() == [] and store.entity_names() == []
    assert store.neighbourhood("Bruno") == [] and store.sources_of([1]) == {}
    assert store.import_facts([]) == (0, 0, 0)
