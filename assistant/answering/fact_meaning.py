"""How close a fact is to a question in meaning: the comparison retrieval ranks by.

A fact is as close as the nearest of its sentence and the questions it answers
(:meth:`GraphStore.questions_answered`): "Which language should I revise this evening?"
is far from "I am learning Portuguese." but near "Which language am I picking up?";
questions about one attribute share their words for it. Words that name what is
already known (the subject, a chain's middle entity) are left out of both sides: they
say nothing about which fact is asked, and left in they pull every text that repeats
them closer ("What did my grandpa work as?" is nearer "In which town was my grandpa
Alfred born?" than "What was Alfred's trade before he retired?", and the other way
round without them; docs/METHOD.md §7 has the measurements).

A chain of two facts is as close as the nearest pairing of its first link's texts with
its second's, joined (:func:`path_closeness`): "Which village do I go to on poker
nights?" asks what neither "Dev hosts my poker night." nor "Dev lives in Kirkby." says
alone, and the two together say it (docs/METHOD.md §11).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..facts import Fact
from ..language.fact_wording import in_users_voice
from ..language.text import without_words, words
from ..meaning.embedder import embed
from ..store.graph_store import GraphStore


def names_words(store: GraphStore, entity: str) -> frozenset[str]:
    """The words of every name ``entity`` is known by (name, aliases, descriptions)."""
    names = store.names_of(entity) or [entity]
    return frozenset(w.lower() for name in names for w in words(name))


def subject_words(store: GraphStore, subject: str) -> frozenset[str]:
    """The words that name one subject, and "my": left out once the subject is known."""
    return names_words(store, subject) | {"my"}


def closeness(
    store: GraphStore, query: str, facts: Sequence[Fact], leave_out: Sequence[frozenset[str]]
) -> list[float]:
    """Cosine closeness of each fact to ``query``, the i-th compared without the words
    ``leave_out[i]``; one embedding call for all of them."""
    answered = store.questions_answered(f.id for f in facts)
    queries: dict[str, int] = {}
    pairs: list[tuple[int, int, str]] = []  # (fact index, query index, text)
    for i, (fact, left) in enumerate(zip(facts, leave_out)):
        asked = without_words(query, left) if left else query
        q = queries.setdefault(asked, len(queries))
        for text in (in_users_voice(fact), *answered.get(fact.id, ())):
            pairs.append((i, q, without_words(text, left) if left else text))
    if not pairs:
        return []
    vectors = embed([*queries, *(text for _, _, text in pairs)])
    best = [-1.0] * len(facts)
    for row, (i, q, _) in enumerate(pairs, start=len(queries)):
        best[i] = max(best[i], float(vectors[row] @ vectors[q]))
    return best


def ranked_by_meaning(
    store: GraphStore, query: str, facts: list[Fact], leave_out: frozenset[str] = frozenset()
) -> list[tuple[Fact, float]]:
    """Facts by closeness to the question, closest first."""
    close = closeness(store, query, facts, [leave_out] * len(facts))
    return sorted(zip(facts, close), key=lambda pair: pair[1], reverse=True)


def path_closeness(
    store: GraphStore,
    query: str,
    chains: Sequence[tuple[Fact, Fact]],
    leave_out: Sequence[frozenset[str]],
) -> list[float]:
    """Cosine closeness of each chain (first link, second link) to ``query``: the
    nearest of every text of the first link (sentence, questions answered) joined with
    every text of the second, both sides without the words ``leave_out[i]`` (the
    subject's and the middle entity's names); one embedding call for all of them."""
    answered = store.questions_answered({f.id for chain in chains for f in chain})
    texts: dict[str, int] = {}
    asked: list[int] = []  # per chain, the index of the question as it compares it
    pairs: list[tuple[int, int]] = []  # (chain index, index of a joined text)
    for i, ((first, second), left) in enumerate(zip(chains, leave_out)):
        asked.append(texts.setdefault(without_words(query, left), len(texts)))
        for a in (in_users_voice(first), *answered.get(first.id, ())):
            for b in (in_users_voice(second), *answered.get(second.id, ())):
                pairs.append((i, texts.setdefault(without_words(f"{a} {b}", left), len(texts))))
    if not pairs:
        return []
    vectors = embed(list(texts))
    best = [-1.0] * len(chains)
    for i, t in pairs:
        best[i] = max(best[i], float(vectors[t] @ vectors[asked[i]]))
    return best
