"""What kind of thing a question asks for: a place, a time, or a name.

The reply states one of the facts retrieval found, and neither the model's copying
score nor closeness in meaning hears a question's wh-word: static embeddings weigh
"where" next to nothing, and a small model copies a name as happily as a street. So
"Where is my dental practice?" was answered "Your dentist's name is Dr. Mensah." from
facts that also held "My dentist is on Harcourt Road." A fact's kind is read from
the questions it answers (the one it was learned from, and those of the facts it
replaced): "Which street is my dentist on?" answers a place. Only these three kinds,
which a question's opening words say plainly; "how old", "what" and the rest ask for
no kind, and then nothing is narrowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum


class AnswerKind(StrEnum):
    PLACE = "place"
    TIME = "time"
    NAME = "name"


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
