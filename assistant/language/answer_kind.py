"""What kind of thing a question asks for: a place, a time, or a name.

The reply states one of the facts retrieval found, and neither the model's copying
score nor closeness in meaning hears a question's wh-word: static embeddings weigh
"where" next to nothing, and a small model copies a name as happily as a street. So
"Where is my dentist's office?" was answered "Your dentist's name is Dr. Achterberg." from
facts that also held "My dentist is on Wexley Road." A fact's kind is read from
the questions it answers (the one it was learned from, and those of the facts it
replaced): "What road is my dentist's office on?" answers a place. Only these three kinds,
which a question's opening words say plainly; "how old", "what" and the rest ask for
no kind, and then nothing is narrowed.

What a new fact may replace (:mod:`assistant.learning.replacement`) also reads the kind
of a fact as a whole: the kinds its questions ask for, "how many", "how old", "how
often" asking for a quantity, or, for a fact with no question of its own (a stated
one), the shape of its value: a clock time, a weekday or a month is a time, a number
with its unit a quantity, a name written with capitals a name, a street a place. A
time never replaces a name: two facts whose kinds are both known and never meet answer
different questions. A place and a name meet (an employer is both: "Where does Anna
work?", "Who does Anna work for?").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from .wordlists import WH_WORDS


class AnswerKind(StrEnum):
    PLACE = "place"
    TIME = "time"
    NAME = "name"
    #: Only in a fact's kinds (:func:`fact_kinds`): a reply's choice reads the three above.
    QUANTITY = "quantity"


_PLACE_NOUNS = (
    r"street|road|avenue|city|town|village|country|county|state|address|place|"
    r"area|neighbou?rhood|district|island|region|venue|building"
)
_TIME_NOUNS = r"time|day|days|date|month|year|hour|hours|season|weekday|night|evening|morning"

_KINDS: tuple[tuple[AnswerKind, re.Pattern[str]], ...] = (
    (
        AnswerKind.PLACE,
        re.compile(rf"^where\b|^(?:in |on |at )?(?:which|what) (?:{_PLACE_NOUNS})\b"),
    ),
    (
        AnswerKind.TIME,
        re.compile(
            rf"^when\b|^(?:at |on |in |until |till )?(?:which|what) (?:{_TIME_NOUNS})\b"
            r"|^how (?:late|early)\b"
        ),
    ),
    (
        AnswerKind.NAME,
        re.compile(
            r"^who\b|^whose\b|^(?:what|what's|what is|what are)\b.*\b(?:name|names|called)\b"
        ),
    ),
)


def asked_kind(question: str) -> AnswerKind | None:
    """The kind of answer ``question`` asks for, or None when its words do not say."""
    text = " ".join(question.lower().replace("’", "'").split())
    text = re.sub(r"^(?:and|so|ok|okay|remind me|tell me|do you know|hey)[,:]?\s+", "", text)
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return None


def answered_kinds(questions: Iterable[str]) -> frozenset[AnswerKind]:
    """Every kind that one of ``questions`` asks for."""
    return frozenset(k for k in map(asked_kind, questions) if k is not None)


_QUANTITY_QUESTION = re.compile(
    r"^how (?:many|much|far|old|long|often|tall|big|heavy|high|deep|wide)\b"
)
_WEEKDAYS_MONTHS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|"
    r"april|may|june|july|august|september|october|november|december"
)
_TIME_VALUE = re.compile(
    r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s?(?:a\.?m\b\.?|p\.?m\b\.?)|\b(?:noon|midday|midnight)\b"
    r"|\bo'clock\b|\b(?:half|quarter) (?:past|to)\b"
    rf"|^(?:on |in |every )?(?:{_WEEKDAYS_MONTHS})s?\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|a hundred|a dozen|once|twice|half"
)
#: A number with what it counts ("21 km", "nineteen weeks", "three times a week"); a bare
#: number could be a time, a code or an age, and says no kind.
_QUANTITY_VALUE = re.compile(
    rf"^(?:about |around |over |under |nearly |almost )?(?:\d+(?:[.,]\d+)?|{_NUMBER_WORDS})"
    r"(?:[\s-]+\w+)+$",
    re.IGNORECASE,
)
_STREET_VALUE = re.compile(
    r"\b(?:road|street|lane|avenue|drive|close|crescent|terrace|square|rd|st|ave)\.?$",
    re.IGNORECASE,
)


def question_kinds(question: str) -> frozenset[AnswerKind]:
    """What ``question`` asks for: :func:`asked_kind`, or a quantity for "how many",
    "how old", "how often" and the like; empty when its words do not say."""
    kind = asked_kind(question)
    if kind is not None:
        return frozenset({kind})
    text = " ".join(question.lower().split())
    return frozenset({AnswerKind.QUANTITY}) if _QUANTITY_QUESTION.search(text) else frozenset()


def value_kind(value: str) -> AnswerKind | None:
    """The kind a value's shape shows: a clock time, weekday or month; a number with
    its unit; a street; a name written with capitals; else None ("risotto", "52")."""
    text = " ".join(value.split())
    if _TIME_VALUE.search(text):
        return AnswerKind.TIME
    if _QUANTITY_VALUE.match(text):
        return AnswerKind.QUANTITY
    if _STREET_VALUE.search(text):
        return AnswerKind.PLACE
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if w.lower() not in {"the", "a"}]
    if words and all(w[:1].isupper() for w in words) and not all(w.isupper() for w in words):
        return AnswerKind.NAME
    return None


def fact_kinds(questions: Iterable[str], value: str) -> frozenset[AnswerKind]:
    """The kinds a fact answers: those its questions ask for; for a fact whose
    questions ask none (or that has none: a stated fact), its value's shape."""
    asked = frozenset(k for q in questions for k in question_kinds(q))
    if asked:
        return asked
    shown = value_kind(value)
    return frozenset({shown}) if shown else frozenset()


_MEET = {frozenset({AnswerKind.PLACE, AnswerKind.NAME})}


def kinds_meet(first: frozenset[AnswerKind], second: frozenset[AnswerKind]) -> bool:
    """Whether two facts of these kinds can answer one question: yes when either kind
    is unknown, when they share a kind, or for a place and a name; never a time and a
    name, a quantity and a place."""
    if not first or not second:
        return True
    return any(a == b or frozenset({a, b}) in _MEET for a in first for b in second)


#: Kinds of answer that a fact's questions can settle: where, and when.
_NARROW_KINDS = frozenset({AnswerKind.PLACE, AnswerKind.TIME})


def kind_allows(query: str, questions: Iterable[str], value: str) -> bool:
    """Whether a fact that answers ``questions`` with ``value`` can answer the kind of
    thing ``query`` asks: when both kinds are known they must meet (a time never
    answers "Who...?" nor a quantity "Where...?"); a fact that answers only where, or
    only when, does not answer a wh-question that asks for no kind ("What does Bao do
    for a living?" of where he lives)."""
    asked, held = question_kinds(query), fact_kinds(questions, value)
    if asked and held:
        return kinds_meet(asked, held)
    if asked or len(held) != 1 or not held <= _NARROW_KINDS:
        return True
    first = query.split()[0].lower().strip(",") if query.split() else ""
    return not (first in WH_WORDS or first in {"and", "so"})
