"""Answers that chain two facts: the rationale path of KALE, at answer time.

"Which clinic should I call when my dog is sick?" needs (Rex, vet, Dr. Moreau) and
(Dr. Moreau, works at, Vetcare Lyon): the first fact's object is itself an entity of
the graph, so its facts are candidates too. A chain is read as its two sentences
together (the unit sum of their stored vectors, :mod:`assistant.meaning_index`) and
ranked by meaning against the question beside the single facts; it is used when it
is closer than any single fact by a margin, and the reply states both links, so the
user sees how the answer was reached.
"""

from __future__ import annotations

import numpy as np

from .facts import Fact
from .graph_store import GraphStore
from .meaning import cosines, unit
from .meaning_index import vectors_of
from .relation_match import facts_named
from .text import entity_key

#: A chain must beat the best single fact by this much cosine similarity: its text is
#: longer and shares more words with anything, so a tie goes to the single fact.
CHAIN_MARGIN = 0.05
#: Second hops read per question: a person's few contacts, never a scan.
MAX_SECOND_HOPS = 200


def chains_from(store: GraphStore, facts: list[Fact]) -> list[tuple[Fact, Fact]]:
    """(first hop, second hop) for every fact whose object is an entity the graph knows,
    with that entity's valid facts (one query)."""
    reachable = store.facts_of_entities([f.object for f in facts], limit=MAX_SECOND_HOPS)
    return [
        (first, second)
        for first in facts
        for second in reachable.get(entity_key(first.object), [])
        if second.id != first.id and second.object != first.subject
    ]


def best_chain(
    store: GraphStore,
    asked: np.ndarray,
    singles: list[Fact],
    chains: list[tuple[Fact, Fact]],
) -> tuple[Fact, Fact] | None:
    """The chain closest to the question (its vector ``asked``), when it is closer
    than every single fact."""
    if not chains:
        return None
    firsts = [first for first, _ in chains]
    vectors = vectors_of(store.db, [*singles, *firsts, *(second for _, second in chains)])
    one = cosines(vectors[: len(singles)], asked)
    two = cosines(unit(vectors[len(singles) : -len(chains)] + vectors[-len(chains) :]), asked)
    best = int(np.argmax(two))
    if singles and two[best] < float(one.max()) + CHAIN_MARGIN:
        return None
    return chains[best]


def named_chain(store: GraphStore, query: str, firsts: list[Fact]) -> tuple[Fact, Fact] | None:
    """ "Where does my dog's vet work?": the question names the first hop's relation
    ("vet") and a relation of its object's ("works"): that chain, found by name."""
    for first in firsts:
        entity = store.resolve_entity(first.object)
        if entity is None:
            continue
        seconds = facts_named(query, entity, store.valid_facts_of(entity))
        seconds = [s for s in seconds if s.id != first.id and s.object != first.subject]
        if seconds:
            return first, seconds[0]
    return None
