"""Answers that chain two facts: the rationale path of KALE, at answer time.

"Which clinic should I call when my dog is sick?" needs (Rex, vet, Dr. Moreau) and
(Dr. Moreau, works at, Vetcare Lyon): the first fact's object is itself an entity of
the graph, so its facts are candidates too. A chain is read as its two sentences
together and ranked by meaning against the question beside the single facts; it is
used when it is closer than any single fact by a margin, and the reply states both
links, so the user sees how the answer was reached. A correction of such an answer
corrects the link that gave the answer, the last one (:func:`link_to_correct`).
"""

from __future__ import annotations

from .fact_wording import in_users_voice
from .facts import Fact
from .graph_store import GraphStore
from .meaning import similarities
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


def chain_text(chain: tuple[Fact, Fact]) -> str:
    return f"{in_users_voice(chain[0])} {in_users_voice(chain[1])}"


def best_chain(
    query: str, singles: list[Fact], chains: list[tuple[Fact, Fact]]
) -> tuple[Fact, Fact] | None:
    """The chain closest to the question, when it is closer than every single fact."""
    if not chains:
        return None
    one = similarities(query, [in_users_voice(f) for f in singles]) if singles else []
    two = similarities(query, [chain_text(c) for c in chains])
    best = max(range(len(chains)), key=two.__getitem__)
    if one and two[best] < max(one) + CHAIN_MARGIN:
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


def link_to_correct(store: GraphStore, question: str, path: list[Fact]) -> tuple[str, str]:
    """(question, subject) that a correction of a chained answer teaches.

    The user's answer replaces what the chain answered: the last link's object ("Where
    does my dog's vet work?" corrected to "PetCare Paris" is about where Dr. Moreau
    works, not about the dog). The correction asks the question that link was learned
    from, so it replaces that very fact and is written like it ("Dr. Moreau works at
    PetCare Paris."); a link with no question of its own (imported) keeps the user's."""
    last = path[-1]
    source = store.sources_of([last.id]).get(last.id)
    return (source.question if source else question), last.subject
