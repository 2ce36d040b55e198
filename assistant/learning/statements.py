"""Teaching by telling: a chat message that states a fact about the user's world.

"Tobias has moved to Munich for his new job." is learned like a correction: the
message becomes a (query, answer) pair — the statement up to the new value, and the
value ("Tobias has moved to" -> "Munich") — and goes through the same KGT path, with
the user's own sentence as the fact. What the statement updates is decided as for any
new fact, by what both answer (:mod:`assistant.learning.replacement`): the fact of the
same subject that answers the same question ("My cousin Tobias lives in Hamburg."); a
statement that says "also" adds and replaces nothing.

A question is not a statement, and small talk is not a fact: a message is taken as
one only when it is a declarative sentence about the user, a known entity or a name,
with a value that can be told apart (a name, a number, a time, or what follows a verb).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..facts import Fact
from ..language.descriptions import USER, description_in, mentions_user
from ..language.question_statement import PREPOSITIONS, WH_WORDS, is_base_verb
from ..store.graph_store import GraphStore
from .subject import find_known_entity, proper_noun_phrases

#: Openers that frame a statement without being part of it.
_FRAMING = re.compile(
    r"^\s*(?:(?:big |good |some )?news|heads up|fyi|update|by the way|btw|just so you know|"
    r"remember(?: that)?|note(?: that)?|please remember(?: that)?|for the record)\s*[:,!-]?\s*",
    re.IGNORECASE,
)
_AUXILIARIES = {"do", "does", "did", "is", "are", "was", "were", "am", "can", "could",
                "will", "would", "should", "have", "has", "had", "may", "shall"}  # fmt: skip
_SMALL_TALK = re.compile(
    r"^(?:hi|hello|hey|thanks|thank you|ok|okay|cool|great|nice|lol|sure|yes|no|bye)\b",
    re.IGNORECASE,
)
_TIME = re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm)\b|\b\d{1,2}[:.]\d{2}\b", re.IGNORECASE)
_QUANTITY = re.compile(
    r"\b\d+(?:[.,]\d+)?\s?(?:km|kilometres|kilometers|miles|mi|kg|kilos|lbs|pounds|years|"
    r"hours|minutes|metres|meters|m|cm|%)?(?!\w)",
    re.IGNORECASE,
)
_SWAP = re.compile(
    r"\b(?:swapped|switched|changed|traded|replaced|exchanged)\b.*?\b(?:for|to|with)\s+"
    r"(?:the\s+|a\s+|an\s+)?([\w'’ -]+?)(?=\s+(?:this|that|now|last|next|at|in|on)\b|[.,;!]|$)",
    re.IGNORECASE,
)
_IS_NOW = re.compile(
    r"\b(?:is|'s|’s|am|'m|’m|are|'re|’re)\s+(?:now\s+)?(?:a|an|the)\s+"
    r"([\w'’ -]+?)\s+now\b",
    re.IGNORECASE,
)
_I_FORMS = frozenset({"i", "i'm", "i've", "i'd", "i'll"})
_WEEKDAYS_MONTHS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday mondays tuesdays
    wednesdays thursdays fridays saturdays sundays january february march april may june
    july august september october november december christmas easter""".split()
)


@dataclass(frozen=True)
class StatedFact:
    """A statement made into KGT's (query, answer) pair."""

    query: str  # "Tobias has moved to": the statement up to its value
    answer: str  # "Munich"
    sentence: str  # "Tobias has moved to Munich for his new job."
    adds_only: bool  # "also": a new fact beside the others, never an update


def is_statement(message: str) -> bool:
    """A declarative sentence, not a question, a command or small talk."""
    text = _FRAMING.sub("", message).strip()
    words = text.split()
    if len(words) < 3 or text.rstrip().endswith("?") or _SMALL_TALK.match(text):
        return False
    first = words[0].lower().strip(",.:;!")
    return first not in WH_WORDS and first not in _AUXILIARIES and first not in {"please"}


def stated_fact(message: str, store: GraphStore) -> StatedFact | None:
    """The fact ``message`` states, or None when it states none (a question, small
    talk, or no value that can be told apart)."""
    if not is_statement(message):
        return None
    text = " ".join(_FRAMING.sub("", message).split()).rstrip(" .!")
    about = find_known_entity(text, store)
    value = _value_in(text, about)
    if value is None or not (about or mentions_user(text) or _names_in(text, value)):
        return None
    start = _value_start(text, value)
    query = text[:start].rstrip(" ,:;-")
    if not query:
        return None
    sentence = text[:1].upper() + text[1:] + "."
    adds_only = bool(re.search(r"\balso\b|\bas well\b|\btoo\b", text, re.IGNORECASE))
    return StatedFact(query, value, sentence, adds_only)


def _names_in(text: str, value: str) -> list[str]:
    """Names in the statement other than its value and calendar words."""
    return [
        p
        for p in proper_noun_phrases(text)
        if (not value or p.lower() not in value.lower())
        and p.split()[0].lower().replace("’", "'") not in _WEEKDAYS_MONTHS | _I_FORMS
    ]


def _value_in(text: str, about: str | None) -> str | None:
    """The new value the statement gives: a time, a quantity, what something was
    swapped for, what someone "is now", a name (the last one, "I gave up Welsh, I'm
    learning Korean"), else the words after the statement's main verb."""
    for pattern in (_TIME, _SWAP, _IS_NOW):
        found = pattern.search(text)
        if found:
            return found.group(1 if pattern.groups else 0).strip()
    quantity = [m.group(0).strip() for m in _QUANTITY.finditer(text)]
    if quantity:
        return quantity[-1]
    names = [
        p
        for p in proper_noun_phrases(text)[1 if _starts_with_plain_word(text) else 0 :]
        if not _is_subject(p, about)
        and p.split()[0].lower().replace("’", "'") not in _WEEKDAYS_MONTHS | _I_FORMS
    ]
    if names:
        return names[-1]
    # Words after a verb are a value only in a statement about someone or something
    # named: "I'm tired today" is small talk, "Jonah plays bass guitar" a fact.
    return _after_main_verb(text) if about or _names_in(text, "") else None


def _starts_with_plain_word(text: str) -> bool:
    """ "Since the move ...": a capital that only starts the sentence."""
    first = text.split()[0].strip(",.:;!")
    return first[:1].isupper() and not first[1:2].isupper() and first.lower() not in {"i"}


def _is_subject(phrase: str, about: str | None) -> bool:
    return bool(about) and (phrase.lower() in about.lower() or about.lower() in phrase.lower())


def _after_main_verb(text: str) -> str | None:
    """ "Jonah also plays bass guitar in a covers band" -> "bass guitar"."""
    words = text.split()
    for i, word in enumerate(words):
        bare = word.strip(",.;:!").lower()
        if bare.endswith("s") and is_base_verb(bare[:-1]) or bare.endswith("ed"):
            kept = []
            for nxt in words[i + 1 :]:
                token = nxt.strip(",.;:!")
                if token.lower() in PREPOSITIONS or token.lower() in {"now", "this", "and"}:
                    break
                if token.lower() not in {"a", "an", "the", "my", "his", "her", "their"}:
                    kept.append(token)
                if nxt != token:
                    break
            if kept:
                return " ".join(kept)
    return None


def _value_start(text: str, value: str) -> int:
    index = text.lower().rfind(value.lower())
    return max(index, 0)


def statement_subject(stated: StatedFact, store: GraphStore) -> str | None:
    """What the statement is about: a known entity, alias or description it uses; a
    name other than its value; a description of the user's; the user."""
    text = stated.sentence
    found = find_known_entity(text, store)
    if found:
        return found
    if text.split()[0].lower().replace("’", "'") in _I_FORMS:
        return USER  # "I gave up Welsh, I'm learning Korean now."
    names = _names_in(text[1:] if _starts_with_plain_word(text) else text, stated.answer)
    if names:
        return names[0]
    description = description_in(text)
    if description:
        return description
    return USER if mentions_user(text) else None


_CLAUSE_BREAK = re.compile(r"\s*[,;:]\s+|\s+(?:so|and then|but)\s+", re.IGNORECASE)
_LEADING_PRONOUN = re.compile(r"^(?:she|he)(?:'s|’s)?\b", re.IGNORECASE)


def sentence_for(stated: StatedFact, subject: str, facts: list[Fact], updated: set[int]) -> str:
    """The fact a statement teaches, as one sentence. An update keeps the sentence of
    the fact it replaces with the new value in place of the old ("My nephew Oskar plays
    trombone." -> "My nephew Oskar plays drums.", not "Oskar swapped the trombone for
    drums", which still names the old value); anything else is the statement's clause
    that holds the value ("I've switched hairdressers: Marek does my hair now." ->
    "Marek does my hair now.")."""
    old = next((f for f in facts if f.id in updated and f.sentence), None)
    if old is not None and old.object in old.sentence:
        return _with_value(old.sentence, old.object, stated.answer)
    clause = next(
        (c for c in _CLAUSE_BREAK.split(stated.sentence) if stated.answer in c), stated.sentence
    )
    clause = re.sub(r"^(?:so|and|but|then)\s+", "", clause.strip(), flags=re.IGNORECASE)
    if _LEADING_PRONOUN.match(clause) and subject != USER:
        pronoun = _LEADING_PRONOUN.match(clause).group(0)
        name = subject + (" is" if pronoun.lower().endswith(("'s", "’s")) else "")
        clause = name + clause[len(pronoun) :]
    clause = clause.strip().rstrip(".")
    return clause[:1].upper() + clause[1:] + "."


def _with_value(sentence: str, old: str, new: str) -> str:
    head, _, tail = sentence.rpartition(old)
    words = head.split()
    if words and words[-1].lower() in {"a", "an"}:
        article = "an" if new[:1].lower() in "aeiou" else "a"
        words[-1] = article if not new[:1].isupper() else ""
        head = " ".join(w for w in words if w) + " "
    return f"{head}{new}{tail}"
