"""Answers that chain two facts: the rationale path of KALE, at answer time.

"Which clinic should I call when my dog is sick?" needs (Ziggy, vet, Dr. Lindqvist) and
(Dr. Lindqvist, works at, Vetpoint Ghent): the first fact's object is itself an entity of
the graph, so its facts are candidates too. A chain is judged by its last link,
compared by meaning with what the question asks once the subject and the middle entity
are known, beside the single facts; it is used when it is closer than any single fact
by a margin, and the reply states both links, so the user sees how the answer was
reached. A correction of such an answer
corrects the link that gave the answer, the last one (:func:`link_to_correct`).
"""

from __future__ import annotations

from ..facts import Fact
from ..language.relation_match import facts_named
from ..language.text import entity_key
from ..store.graph_store import GraphStore
from .fact_meaning import closeness, names_words

#: A chain must beat the best single fact by this much cosine similarity: a one-hop
#: answer needs no second fact, so a near tie goes to the single fact.
CHAIN_MARGIN = 0.05
#: Second hops read per question: a person's few contacts, never a scan.
MAX_SECOND_HOPS = 200


def chains_from(store: GraphStore, facts: list[Fact]) -> list[tuple[Fact, Fact]]:
    """(first hop, second hop) for every fact whose object is an entity the graph knows,
    with that entity's valid facts (one query)."""
    names = {f.object: _without_article(f.object) for f in facts}
    reachable = store.facts_of_entities([*names, *names.values()], limit=MAX_SECOND_HOPS)
    return [
        (first, second)
        for first in facts
        for second in reachable.get(entity_key(first.object))
        or reachable.get(entity_key(names[first.object]), [])
        if second.id != first.id and second.object != first.subject
    ]


def _without_article(name: str) -> str:
    """ "The Barn Swallows" is the entity "Barn Swallows": a subject is named without its
    article, an object keeps the words the user typed."""
    first, _, rest = name.partition(" ")
    return rest if rest and first.lower() in {"the", "a", "an"} else name


def best_chain(
    store: GraphStore,
    query: str,
    best_single: float | None,
    chains: list[tuple[Fact, Fact]],
    leave_out: frozenset[str] = frozenset(),
) -> tuple[Fact, Fact] | None:
    """The chain whose last link is closest to what the question asks, when it is
    closer than the closest single fact (``best_single``, its closeness; None when
    there is none) by CHAIN_MARGIN.

    A chain is judged by its second hop, compared without the words of the subject
    (``leave_out``) and of the entity in the middle: "Which club does my
    manager support?" is "Which club does support?" once the manager and
    Halima are known, and "Halima supports Stockport County." answers exactly that,
    where the manager's own fact, "My manager's name is Halima.", does not (docs/METHOD.md
    §11 measures it)."""
    if not chains:
        return None
    middles: dict[str, frozenset[str]] = {}
    for first, _ in chains:
        if first.object not in middles:
            middles[first.object] = leave_out | names_words(store, first.object)
    two = closeness(store, query, [s for _, s in chains], [middles[f.object] for f, _ in chains])
    best = max(range(len(chains)), key=two.__getitem__)
    if best_single is not None and two[best] < best_single + CHAIN_MARGIN:
        return None
    return chains[best]


def named_chain(store: GraphStore, query: str, firsts: list[Fact]) -> tuple[Fact, Fact] | None:
    """ "At which clinic does my dog's vet work?": the question names the first hop's relation
    ("vet") and a relation of its object's ("works"): that chain, found by name."""
    for first in firsts:
        entity = store.resolve_entity(first.object) or store.resolve_entity(
            _without_article(first.object)
        )
        if entity is None:
            continue
        seconds = facts_named(query, entity, store.valid_facts_of(entity))
        seconds = [s for s in seconds if s.id != first.id and s.object != first.subject]
        if seconds:
            return first, seconds[0]
    return None


def link_to_correct(store: GraphStore, question: str, path: list[Fact]) -> tuple[str, str]:
    """(question, subject) that a correction of a chained answer teaches.

    The user's answer replaces what the chain answered: the last link's object ("At which
    clinic does my dog's vet work?" corrected to "PetCare Paris" is about where Dr. Lindqvist
    works, not about the dog). The correction asks the question that link was learned
    from, so it replaces that very fact and is written like it ("Dr. Lindqvist works at
    PetCare Paris."); a link with no question of its own (imported) keeps the user's."""
    last = path[-1]
    source = store.sources_of([last.id]).get(last.id)
    return (source.question if source else question), last.subject


def correction_target(
    store: GraphStore, question: str, path: list[Fact], subject: str | None
) -> tuple[str, str | None]:
    """(question, subject) that a correction of an answer teaches: for a chained answer
    (``path``) the link that gave it (:func:`link_to_correct`), unless the user named
    another subject; otherwise the question asked and the subject given."""
    if not path:
        return question, subject
    link_question, link_subject = link_to_correct(store, question, path)
    if not subject or store.resolve_entity(subject) == store.resolve_entity(link_subject):
        return link_question, link_subject
    return question, subject


def stored_path(store: GraphStore, facts: list[Fact]) -> list[Fact]:
    """The chain a stored answer followed, from the facts it kept in order (a two-hop
    answer's facts are its path): two facts, the first's object naming the entity the
    second is about; empty for anything else."""
    if len(facts) != 2:
        return []
    first, second = facts
    if first.subject == second.subject or store.resolve_entity(first.object) != second.subject:
        return []
    return list(facts)
