"""Answers that chain two facts: the rationale path of KALE, at answer time.

"Which clinic should I call when my dog is sick?" needs (Ziggy, vet, Dr. Lindqvist) and
(Dr. Lindqvist, works at, Vetpoint Ghent): the first fact's object is itself an entity of
the graph, so its facts are candidates too. A chain is taken when the question names
a relation of each link (:func:`named_chain`), or else by the meaning of its whole
path: the two links' texts joined, compared with the question once the subject and the
middle entity are left out (:func:`best_chain`), since a person asks for the end of a
chain in their own words, naming neither the middle entity nor either relation. It
must be close enough to answer (the bar a single fact clears), its last link must
answer the kind of thing asked, and it must not fall behind the closest single fact by
more than a path's dilution. The reply states both links, so the user sees how the
answer was reached. A correction of such an answer corrects the link that gave the
answer, the last one (:func:`link_to_correct`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..facts import Fact
from ..language.answer_kind import kind_allows
from ..language.relation_match import facts_named
from ..language.text import entity_key
from ..learning.subject import correction_subject
from ..store.graph_store import GraphStore
from .fact_meaning import names_words, path_closeness

#: How much closer (cosine) a chain's path must be to the question than the closest
#: single fact; negative, because a path is two sentences embedded as one, which
#: dilutes each: on the dev sets a question about a chain's first link alone sat
#: 0.13-0.32 closer to that link than to the path, a question asking for the chain's
#: end at most 0.07 closer to the best single fact (docs/METHOD.md §11). A tie goes
#: to the single fact.
CHAIN_MARGIN = -0.1
#: A chain whose path is less close than this to the question is no answer to it: the
#: bar a single fact found by meaning must clear (answers_asked.ANSWERS_MIN_SIMILARITY);
#: on the dev sets' curve any floor from 0.15 to 0.25 answers the same chained asks
#: (docs/METHOD.md §11).
CHAIN_MIN_SIMILARITY = 0.22
#: First hops whose chains are compared in the user's world (their closest facts):
#: the user's facts are many, and a path starts at one of them.
MAX_FIRST_HOPS = 50
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


@dataclass(frozen=True)
class ChainFound:
    """A chain of two facts that answers a question, and how close in meaning its
    whole path is to the question (None: found by the relations the question names)."""

    path: list[Fact]
    closeness: float | None = None


def best_chain(
    store: GraphStore,
    query: str,
    best_single: float | None,
    chains: list[tuple[Fact, Fact]],
    leave_out: frozenset[str] = frozenset(),
) -> ChainFound | None:
    """The chain whose whole path is closest to what the question asks, when it is at
    least CHAIN_MIN_SIMILARITY close and closer than the closest single fact
    (``best_single``, its closeness; None when there is none) by CHAIN_MARGIN.

    Only chains whose last link answers the kind of thing asked are compared
    (:func:`answer_kind.kind_allows`: a place does not answer "When ...?"). A chain is
    judged by its two links together (:func:`fact_meaning.path_closeness`), without
    the words of the subject (``leave_out``) and of the entity in the middle, which the
    question need not say: "Which village do I go to on poker nights?" is closer to
    "Dev hosts my poker night." than to "Dev lives in Kirkby.", and closer still to the
    two together (docs/METHOD.md §11)."""
    answered = store.questions_answered({second.id for _, second in chains})
    chains = [c for c in chains if kind_allows(query, answered.get(c[1].id, ()), c[1].object)]
    if not chains:
        return None
    middles: dict[str, frozenset[str]] = {}
    for first, _ in chains:
        if first.object not in middles:
            middles[first.object] = leave_out | names_words(store, first.object)
    close = path_closeness(store, query, chains, [middles[f.object] for f, _ in chains])
    best = max(range(len(chains)), key=close.__getitem__)
    if close[best] < CHAIN_MIN_SIMILARITY:
        return None
    if best_single is not None and close[best] <= best_single + CHAIN_MARGIN:
        return None
    return ChainFound(list(chains[best]), close[best])


def named_chain(store: GraphStore, query: str, firsts: list[Fact]) -> ChainFound | None:
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
            return ChainFound([first, seconds[0]])
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
    (``path``) the link that gave it (:func:`link_to_correct`), when the question asks
    for that link (:func:`asks_for_link`) or the user named the link's subject;
    otherwise the question asked and the subject given."""
    if not path:
        return question, subject
    link_question, link_subject = link_to_correct(store, question, path)
    if subject:
        if store.resolve_entity(subject) == store.resolve_entity(link_subject):
            return link_question, link_subject
        return question, subject
    if asks_for_link(store, question, path):
        return link_question, link_subject
    return question, subject


def asks_for_link(store: GraphStore, question: str, path: list[Fact]) -> bool:
    """Whether ``question`` asks for the chain's last link, so that a correction of its
    answer changes that link: it is about where the chain starts or the entity in its
    middle (as a correction finds its subject) and names the last link's relation
    ("At which clinic does my dog's vet work?": Ziggy, and "works"). A chain found by
    meaning for a question about someone else, or about another attribute, is not what
    the user corrects: "What's my cousin Ilario's wife called?", answered through the
    user's plumber and his firm, would have had the firm's name replaced."""
    asked = correction_subject(question, "", store)
    known = store.resolve_entity(asked) if asked else None
    if known is None or known not in {path[0].subject, path[-1].subject}:
        return False
    return bool(facts_named(question, path[-1].subject, path[-1:]))


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
