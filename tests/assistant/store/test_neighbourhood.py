"""The graph around an entity, grouped by the node at each fact's other end."""

from dataclasses import replace

from assistant.facts import Edge

from .graph_teaching import LEARNED, reads, teach


def neighbours_pointing_at(store, count):
    rows = [(f"Friend {i}", "walks", "bruno!", LEARNED, None) for i in range(count)]
    store.import_facts(rows + [("Bruno", "owner", "Friend 0", LEARNED, None)])


def test_the_neighbourhood_groups_facts_by_the_node_at_their_other_end(store):
    first = teach(store, "meat", relations=("eats", "diet"))
    teach(store, "fish", relations=("eats",), removes=[first.added[0].id])
    neighbours_pointing_at(store, 2)
    edges = store.neighbourhood("my dog")
    assert [replace(edge, fact_ids=()) for edge in edges] == [
        Edge("meat", ("diet",), outgoing=True, other_is_entity=False),
        Edge("fish", ("eats",), outgoing=True, other_is_entity=False),
        Edge("Friend 0", ("owner",), outgoing=True, other_is_entity=True),
        Edge("Friend 0", ("walks",), outgoing=False, other_is_entity=True),
        Edge("Friend 1", ("walks",), outgoing=False, other_is_entity=True),
    ]
    # Each edge names its facts, so the panel can say them as sentences.
    facts = [[store.fact(i).triple for i in edge.fact_ids] for edge in edges]
    assert facts == [
        [("Bruno", "diet", "meat")],
        [("Bruno", "eats", "fish")],
        [("Bruno", "owner", "Friend 0")],
        [("Friend 0", "walks", "bruno!")],
        [("Friend 1", "walks", "bruno!")],
    ]
    assert store.neighbourhood("Nobody") == []


def test_the_neighbourhood_is_one_query_however_many_facts(store):
    neighbours_pointing_at(store, 2)
    with reads(store) as few:
        store.neighbourhood("Bruno")
    neighbours_pointing_at(store, 40)
    with reads(store) as many:
        assert len(store.neighbourhood("Bruno")) == 41
    assert len(many) == len(few) <= 2  # resolving the name, then the neighbourhood
