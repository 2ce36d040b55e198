"""Retrieval by name: the one relation of the subject that a question names in its words.

"What does Bruno eat?" names Bruno's relation "eats"; "Where does Anna work?" names
"works at". When a question's content words (the subject's own name left out) point at
exactly one of the subject's relations, that relation's facts are what the question
asks for, and the answer needs no ranking by the model: this is the "matching by name"
of DESIGN.md's related ideas, applied to relations. Anything less clear (no relation
named, two relations named equally, "What does Bruno like to eat?") is left to the
model's P(r|q) ranking. Measured in docs/METHOD.md §7.

Word forms are compared after a light suffix stripping ("eats", "eating" -> "eat";
"lives", "lived" -> "live"; "studies" -> "study"), enough for the inflections of a
question against a relation's third person, without a stemming library.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..facts import Fact
from .text import content_words, normalize, words


def word_forms(word: str) -> frozenset[str]:
    """The forms a word is compared by: itself and its stem(s), lower-cased."""
    w = word.lower().replace("’", "'")
    forms = {w}
    if len(w) > 4 and w.endswith("ies"):
        forms.add(w[:-3] + "y")
    elif len(w) > 3 and w.endswith("es") and (w[-3] in "sxz" or w[-4:-2] in ("ch", "sh")):
        forms.add(w[:-2])
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        forms.add(w[:-1])
    if len(w) > 5 and w.endswith("ing"):
        forms.update({w[:-3], w[:-3] + "e"})
    if len(w) > 4 and w.endswith("ied"):
        forms.add(w[:-3] + "y")
    elif len(w) > 4 and w.endswith("ed"):
        forms.update({w[:-2], w[:-1]})
    return frozenset(forms)


def _forms_of(text: str, leave_out: frozenset[str] = frozenset()) -> list[frozenset[str]]:
    return [word_forms(w) for w in content_words(text) if w.lower() not in leave_out]


def _hits(relation: str, asked: list[frozenset[str]]) -> int:
    """How many of the relation's content words the question uses."""
    return sum(1 for forms in _forms_of(relation) if any(forms & q for q in asked))


def named_relation(query: str, subject: str, relations: Iterable[str]) -> str | None:
    """The relation (as given) whose content words the query uses most, if exactly one
    relation text does; None when the query names none of them or several equally."""
    name_words = frozenset(w.lower() for w in words(subject))
    asked = _forms_of(query, name_words)
    if not asked:
        return None
    best, best_hits, tied = None, 0, False
    seen: set[str] = set()
    for relation in relations:
        key = normalize(relation)
        if key in seen:
            continue
        seen.add(key)
        hits = _hits(relation, asked)
        if hits > best_hits:
            best, best_hits, tied = relation, hits, False
        elif hits and hits == best_hits:
            tied = True
    return None if tied else best


def facts_named(query: str, subject: str, facts: Sequence[Fact]) -> list[Fact]:
    """The facts whose relation ``query`` names in its words, by any of a fact's
    phrasings ("works" and "work" of one fact name it once), in their order; empty
    when it names none, or the facts it names equally have no relation in common."""
    name_words = frozenset(w.lower() for w in words(subject))
    asked = _forms_of(query, name_words)
    if not asked or not facts:
        return []
    scores = [max(_hits(r, asked) for r in f.relations) for f in facts]
    best = max(scores)
    if best == 0:
        return []
    named = [f for f, score in zip(facts, scores) if score == best]
    # The phrasings that the question names, per fact: one relation for all of them
    # ("likes" of "likes tennis balls" and "likes the sofa"), or the question is unclear.
    shared = set.intersection(
        *({normalize(r) for r in f.relations if _hits(r, asked) == best} for f in named)
    )
    return named if shared else []
