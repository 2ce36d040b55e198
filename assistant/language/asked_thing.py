"""The thing a question asks for, when it names one: "phone number" of "What is Ilse's
phone number?", "vet" of "Which vet does Biscuit go to?".

A question that names what it asks for does so in a noun phrase: after its wh-word
("which vet", "what team sport") or after "is" ("What's my favourite season?", "Who
is Matthias's piano teacher?": the words after the owner). The phrase's last word is the
thing itself (its head: "number", "colour", "teacher"); the words before it say which
one ("phone", "favourite", "piano"). A phrase stops at "of" ("kind of dog": what kind)
and at a preposition, participle or the end. Questions of any other shape ("Where does
Ilse live?", "How old is he?") name no thing, and nothing is read from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .question_statement import PREPOSITIONS, is_participle_or_adjective, word_classes

_WORD = re.compile(r"[\w-]+(?:['’]s)?")
_WH = frozenset({"what", "which", "whose", "who"})
_COPULA = frozenset({"is", "are", "was", "were", "'s"})
_AUXILIARIES = frozenset(
    """do does did is are was were am has have had can could will would should must may
    might shall""".split()
)
_OWNERS = frozenset({"my", "our", "your", "his", "her", "their", "the", "a", "an"})
_STOPS = frozenset({"of", "now", "these", "this", "today", "then", "called", "named"})
#: Words that say only what kind of answer is wanted ("what time", "what kind of"):
#: no thing of the subject's (assistant/language/answer_kind.py reads the kind).
_GENERIC = frozenset("time kind type sort name day date place thing one".split())
_LEAD = re.compile(r"^(?:and|so|ok|okay|also|then|but|hey|remind me)[,:]?\s+", re.I)


@dataclass(frozen=True)
class AskedThing:
    head: str  # "number"
    modifiers: tuple[str, ...] = ()  # ("phone",)


def asked_thing(question: str, leave_out: frozenset[str] = frozenset()) -> AskedThing | None:
    """The thing ``question`` names as what it asks for, or None. ``leave_out``: words
    that name the subject ("Nuno" of "Nuno's swimming coach")."""
    text = _LEAD.sub("", question.strip())
    tokens = [t.lower().replace("’", "'") for t in _WORD.findall(text)]
    tokens = [piece for t in tokens for piece in _split_possessive(t)]
    if not tokens or tokens[0] not in _WH:
        return None
    if len(tokens) > 1 and tokens[1] in _COPULA:
        phrase = _after_owner(tokens[2:], leave_out)
    elif tokens[0] in {"what", "which", "whose"}:
        phrase = tokens[1:]
    else:
        return None
    words = _noun_phrase(phrase)
    if not words or (words[-1] in _GENERIC and len(words) == 1):
        return None
    return AskedThing(words[-1], tuple(words[:-1]))


def _split_possessive(token: str) -> list[str]:
    return [token[:-2], "'s"] if token.endswith("'s") and len(token) > 2 else [token]


def _after_owner(tokens: list[str], leave_out: frozenset[str]) -> list[str]:
    """The words after "my", "the", a name's "'s" ("Nuno 's swimming coach" ->
    "swimming coach"); the phrase itself when no owner is said."""
    owner_end = 0
    for i, token in enumerate(tokens):
        if token == "'s":
            owner_end = i + 1
    if owner_end:
        return tokens[owner_end:]
    start = 1 if tokens and tokens[0] in _OWNERS else 0
    return [t for t in tokens[start:] if t not in leave_out]


def _ends_phrase(token: str) -> bool:
    """A participle, adjective or verb after the phrase's first word: "called", "open"
    of "Which numbers open my lock?"."""
    classes = word_classes(token)
    verb_only = "VERB" in classes and "NOUN" not in classes
    return is_participle_or_adjective(token) or verb_only


def _noun_phrase(tokens: list[str]) -> list[str]:
    words = []
    for token in tokens:
        if token in _AUXILIARIES or token in _OWNERS or token in _STOPS or token == "'s":
            break
        if token in PREPOSITIONS or (words and _ends_phrase(token)):
            break
        words.append(token)
    return words


_NAME_OF = re.compile(
    r"^(?:and |so )?(?:what|what's|what is|who is|who's)\s+(?:the name of\s+)?"
    r"(?P<who>(?:my|our)\s+[\w-]+(?:\s+(?!called\b)[\w-]+)?)(?:['’]s\s+name|\s+called)?\s*\??$",
    re.IGNORECASE,
)


def name_asked_of(question: str) -> str | None:
    """The description whose name the question asks ("my cat" of "What's my cat's
    name?", "What is my cat called?", "What's the name of my cat?"), or None."""
    match = _NAME_OF.match(" ".join(question.split()))
    if match is None:
        return None
    text = question.lower()
    if "name" not in text and "called" not in text:
        return None
    return " ".join(match.group("who").lower().split())
