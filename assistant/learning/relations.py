"""Relation extraction: the model names K relations between the subject and the answer.

The model's text is parsed leniently ("r1 <sep> r2", or commas, or one per line),
cleaned, deduplicated, and topped up from the query's own words when the model gives
fewer than K usable relations (small models often do), so a correction never fails
because of what the model printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from ..language.prompts import SEP, relation_prompt
from ..language.text import content_words, normalize, words
from ..llm import LanguageModel

MAX_RELATION_WORDS = 6
MAX_RELATION_CHARS = 48
GENERIC_RELATION = "is associated with"

_SPLIT = re.compile(r"<\s*sep\s*>|\||;|,|\n|\[?\bsep\b\]?", re.IGNORECASE)
_MARKUP = re.compile(r"<[^>]*>|^\W*\d+[.)]\s*")


def parse_relations(text: str, subject: str = "", answer: str = "") -> list[str]:
    """Usable relation phrases from the model's raw text, in order, without duplicates.

    Never raises: arbitrary text yields a (possibly empty) list.
    """
    # Anything after a new "<query>:" is the model inventing another example.
    text = re.split(r"<\s*query\s*>", str(text), maxsplit=1, flags=re.IGNORECASE)[0]
    seen: set[str] = set()
    relations = []
    for piece in _SPLIT.split(text):
        relation = clean_relation(piece or "", subject, answer)
        if relation and relation not in seen:
            seen.add(relation)
            relations.append(relation)
    return relations


#: Words of SQL statements: a relation made of them is text pasted into a question
#: ("drop table facts"), never a relation between a subject and an answer.
_SQL_WORDS = frozenset("select insert update delete drop table union where alter".split())


def clean_relation(piece: str, subject: str, answer: str) -> str | None:
    """A model's or question's relation phrase made fit to show, or None."""
    piece = _MARKUP.sub(" ", piece)
    relation = " ".join(words(piece.lower()))
    if not relation or len(relation) > MAX_RELATION_CHARS:
        return None
    if len(relation.split()) > MAX_RELATION_WORDS:
        return None
    if relation in {"relation", "subject", "object"} or _names_entity(relation, subject, answer):
        return None
    if set(relation.split()) & _SQL_WORDS or not content_words(relation):
        return None  # SQL pasted into a question; "is", "what": no relation at all
    return relation


def _names_entity(relation: str, subject: str, answer: str) -> bool:
    """A relation that repeats the subject or the answer ("created by ferrari") is a
    half-copied sentence, not a relation: written into a fact it names a second object."""
    padded = f" {relation} "
    if any(name and f" {name} " in padded for name in (normalize(subject), normalize(answer))):
        return True
    # A description's own words ("sister" of "my sister", "dentist" of "my dentist")
    # or the answer's ("Lisbon" of "Lisbon, Portugal") name the entities again.
    named = {w.lower() for w in content_words(subject)} | {w.lower() for w in content_words(answer)}
    return bool(named & set(relation.split()))


def fallback_relations(query: str, subject: str) -> list[str]:
    """Relations made from the query's content words (minus the subject), then a generic
    one: used when the model's output is empty or garbage."""
    subject_words = {w.lower() for w in words(subject)}
    # "Anna's" is the subject too: a relation made of it would name the subject.
    kept = [
        w.lower()
        for w in content_words(query)
        if re.sub(r"['’]s$", "", w.lower()) not in subject_words
    ]
    candidates = []
    if kept:
        candidates.append(" ".join(kept[:MAX_RELATION_WORDS]))
        candidates.extend(kept[:3])
    candidates.append(GENERIC_RELATION)
    return list(dict.fromkeys(c for c in candidates if c))


def complete_relations(parsed: list[str], query: str, subject: str, k: int) -> list[str]:
    """Exactly ``k`` distinct relations (fewer only if even the fallbacks run out)."""
    relations = list(dict.fromkeys(parsed))[:k]
    for extra in fallback_relations(query, subject):
        if len(relations) >= k:
            break
        if extra not in relations:
            relations.append(extra)
    return relations


class ExtractedRelations(NamedTuple):
    #: Exactly K relations: the model's, topped up with fallbacks.
    relations: list[str]
    #: How many tokens the model generated.
    generated: int
    #: The ones the model itself named (never the generic fallback). Only these say what
    #: the question is about: a query word such as "sister" in "my sister Anna's dog"
    #: must not make the tuner treat Anna's other "sister" facts as conflicts.
    named: frozenset[str]


def extract_relations(
    model: LanguageModel, query: str, answer: str, subject: str, k: int
) -> ExtractedRelations:
    """Ask the model for ``k`` relations."""
    prompt = relation_prompt(query, answer, subject, k)
    text, generated = _generate_until_k(model, prompt, k)
    parsed = parse_relations(text, subject, answer)
    relations = complete_relations(parsed, query, subject, k)
    named = frozenset(r for r in parsed[:k] if r != GENERIC_RELATION)
    return ExtractedRelations(relations, generated, named)


def _generate_until_k(model: LanguageModel, prompt: str, k: int) -> tuple[str, int]:
    # Stop as soon as K relations are out: every generated token costs time.
    text, generated = "", 0
    pieces: Iterator[str] = model.complete(prompt, max_tokens=6 * k + 8, stop=["\n", "<query>"])
    try:
        for piece in pieces:
            text += piece
            generated += 1
            if text.count(SEP) >= k:
                break
    finally:
        close = getattr(pieces, "close", None)
        if close:
            close()
    return text, generated
