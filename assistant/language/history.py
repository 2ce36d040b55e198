"""Questions about what was true before: "Where did Rui live before Faro?".

A question asks about the past of a fact when it says "before" something ("before
Faro", "before Larchmont Bank") or ends with "before" ("Who was my dentist before?"),
"used to", or names the thing as "previous", "former", "earlier" or "old" ("my
previous hairdresser", "Anna's old address"); "last" is left alone ("the last book she
read" is the latest, not a replaced one). What it asks is then the
question without those words ("Where did Rui live?"), answered from the fact that
was replaced, not from the one that holds now. "Before" followed by a clause ("before
he retired") is part of what a fact says, not a question about an earlier fact.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .question_statement import word_classes
from .text import one_line

_BEFORE = re.compile(r"\s+before\s+(?P<value>[^?]+?)\s*(?P<end>\?*)$", re.IGNORECASE)
#: "Who was my dentist before?": "before" that ends the question names no later value.
_BEFORE_ALONE = re.compile(r",?\s+(?:before|previously|beforehand)\s*(?P<end>\?*)$", re.I)
_PRONOUNS = frozenset("i you he she it we they".split())
_USED_TO = re.compile(r"\b(?:use|used) to\s+", re.IGNORECASE)
_EARLIER = re.compile(r"\b(?:previous|former|old|earlier)\s+(?=[\w-])", re.IGNORECASE)
_NOT_EARLIER = re.compile(r"\bhow old\b|\bold enough\b", re.I)


@dataclass(frozen=True)
class PastAsk:
    """A question about an earlier fact: what it asks, and the value that came after
    ("Faro" of "before Faro"), when it names one."""

    question: str
    since: str | None = None


def about_the_past(question: str, held: Callable[[str], bool] | None = None) -> PastAsk | None:
    """The question without its "before X", "used to", "previous"..., or None when it
    does not ask about the past. ``held`` says whether memory holds a value: a bare
    word after "before" is a value when memory holds it ("before porridge"), a moment of
    the day otherwise ("before bed")."""
    text = one_line(question)
    before = _BEFORE.search(text)
    if before is not None:
        value = before.group("value")
        if _is_value(value) or (held is not None and not _is_clause(value) and held(value)):
            return PastAsk(f"{text[: before.start()]}?", value)
    alone = _BEFORE_ALONE.search(text)
    if alone is not None:
        return PastAsk(f"{text[: alone.start()]}?")
    if _USED_TO.search(text):
        return PastAsk(_USED_TO.sub("", text))
    if _EARLIER.search(text) and not _NOT_EARLIER.search(text):
        return PastAsk(_EARLIER.sub("", text))
    return None


def _is_clause(words: str) -> bool:
    tokens = [w.strip(",.;:!").lower() for w in words.split()]
    return bool(tokens) and (
        tokens[0] in _PRONOUNS or any(set(word_classes(w)) == {"VERB"} for w in tokens[1:])
    )


def _is_value(words: str) -> bool:
    """ "Larchmont Bank", "the florist's": a thing that came after, not a clause ("he
    retired", "my sister moved": a subject and a verb) nor a moment of the day written
    as a bare word ("before bed", "before work")."""
    raw = [w.strip(",.;:!") for w in words.split()]
    tokens = [w.lower() for w in raw]
    if not tokens or tokens[0] in _PRONOUNS:
        return False
    if any(set(word_classes(w)) == {"VERB"} for w in tokens[1:]):
        return False
    return len(tokens) > 1 or raw[0][:1].isupper() or any(c.isdigit() for c in raw[0])


_BE_PAST = {"is": "was", "are": "were", "am": "was", "'s": "was", "has": "had"}
_PERSONS = frozenset("i you we they".split())


def in_the_past(sentence: str) -> str | None:
    """The sentence with its verb in the past: "Your cousin Kwame lives in Cape Coast." ->
    "Your cousin Kwame lived in Cape Coast."; None when no verb is found to change."""
    words = sentence.split(" ")
    for i, word in enumerate(words[1:], start=1):
        bare = word.strip(",.;:!").lower()
        if bare in _BE_PAST:
            return _replaced(words, i, _BE_PAST[bare])
        lemmas = word_classes(bare).get("VERB", ())
        after_person = words[i - 1].lower() in _PERSONS and bare in lemmas
        third = any(bare == _inflected(lemma, "VBZ") and bare != lemma for lemma in lemmas)
        if after_person or third:
            return _replaced(words, i, _inflected(lemmas[0], "VBD"))
    return None


def _inflected(verb: str, tag: str) -> str:
    """The verb's form for a Penn tag ("VBD": "lived"), from lemminflect's lexicon."""
    from lemminflect import getInflection

    forms = getInflection(verb.lower(), tag=tag)
    return forms[0] if forms else verb


def _replaced(words: list[str], i: int, new: str) -> str:
    old = words[i]
    tail = old[len(old.rstrip(",.;:!")) :]
    return " ".join([*words[:i], new + tail, *words[i + 1 :]])


def said_before(sentence: str, since: str | None, until: str | None) -> str:
    """A replaced fact, said to the user as what was true before: "Your cousin Kwame
    lived in Cape Coast before Accra (until 6 March 2026)." ``sentence`` is the fact as
    said now ("Your cousin Kwame lives in Cape Coast."), ``until`` when it was replaced
    (ISO time)."""
    past = (in_the_past(sentence) or sentence).rstrip(" .")
    when = _day(until)
    if since:
        return f"{past} before {since}" + (f" (until {when})." if when else ".")
    return f"{past} until {when}." if when else f"{past} before."


def _day(moment: str | None) -> str | None:
    from datetime import datetime

    if not moment:
        return None
    try:
        day = datetime.fromisoformat(moment).astimezone()
    except ValueError:
        return None
    return f"{day.day} {day:%B %Y}"
