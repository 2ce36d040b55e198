"""The honest reply to a question about the user's world that memory cannot answer.

"What is Ilse's phone number?" -> "I don't know Ilse's phone number yet. If you tell
me, I'll remember it." The question is turned into what it asks for, said to the user:
the thing itself when it asks what something is ("your ring size", "Toffee's
colour"), else the question as a clause ("where your brother lives", "how old Biscuit
is", "which vet your dog goes to"), made from the statement the question and an
answer would make (:func:`statement_of`) with the answer left out. "He" and "she" are
the person the conversation is about ("And what does he drive?" -> "what Bogdan drives").
A question of no shape the statement rules know gets "that", with whom it is about.
"""

from __future__ import annotations

import re

from .descriptions import USER, first_person_to_second
from .question_statement import WH_WORDS, statement_of
from .text import STOPWORDS, one_line

INVITATION = "If you tell me, I'll remember it."
_SLOT = "\u2063answer\u2063"  # an invisible mark no question contains
_LEAD = re.compile(r"^(?:and|so|ok|okay|also|then|but|hey|remind me|tell me)[,:]?\s+", re.I)
_PRONOUNS = re.compile(r"\b(he|she|him|his|her|hers)\b(?=(\s+[\w'-]+)?)", re.I)
_AUXILIARIES = frozenset(
    "do does did is are was were am has have had can could will would should".split()
)


def not_known_reply(question: str, about: str | None = None) -> str:
    """One line: what the question asks, not known yet, and an invitation to teach it.
    ``about`` is who "he" or "she" means (the conversation's subject), if anyone."""
    return f"I don't know {asked_for(question, about)} yet. {INVITATION}"


def asked_for(question: str, about: str | None = None) -> str:
    """What ``question`` asks for, said to the user: "your ring size", "where your
    brother lives"; "that" (with whom it is about, when known) otherwise."""
    text = _LEAD.sub("", one_line(question)).rstrip(" ?!.")
    if about and about != USER:
        text = _PRONOUNS.sub(lambda m: _pronoun_as_name(m.group(1), m.group(2), about), text)
    wh = _wh_phrase(text)
    statement = statement_of(f"{text}?", _SLOT) if wh else None
    if statement is None or _SLOT not in statement.text:
        return f"that about {_said(about)}" if about else "that"
    clause = statement.text.rstrip(".")
    before, _, after = clause.partition(_SLOT)
    thing = re.fullmatch(r"(.+?) (?:is|are)(?: an?| the)?\s*", before)
    if thing and not after.strip() and wh.split()[0] in {"what", "which"}:
        return _said(thing.group(1))
    if not before.strip():  # the subject is asked: "Who looks after her?"
        return _said(f"{wh.split()[0]}{after}")
    before = re.sub(r" (?:an?|the)\s*$", " ", before)
    if wh.split()[0] in {"where", "when"}:
        before = re.sub(r" (?:in|on|at|from)\s*$", " ", before)
    return _said(f"{wh} {_lower_first(before.strip())}{after}".strip())


def _wh_phrase(text: str) -> str:
    """The question's opening words up to its first auxiliary ("which vet", "how
    old", "where"); empty when it does not open with a wh-word."""
    words = text.split()
    if not words or words[0].lower().replace("'s", "") not in WH_WORDS:
        return ""
    phrase = []
    for word in words:
        if word.lower() in _AUXILIARIES or "'" in word:
            break
        phrase.append(word.lower())
    return " ".join(phrase) or words[0].lower().split("'")[0]


def _pronoun_as_name(pronoun: str, following: str | None, name: str) -> str:
    """ "his", and "her" before a noun ("her form tutor"), are the name's; "her" at
    the end ("Who looks after her?") and "he", "him" the name itself."""
    pronoun = pronoun.lower()
    before_noun = bool(following) and following.strip().lower() not in STOPWORDS
    if pronoun in {"his", "hers"} or (pronoun == "her" and before_noun):
        return f"{name}'s"
    return name


def _lower_first(text: str) -> str:
    first, _, rest = text.partition(" ")
    return f"{first.lower()} {rest}".strip() if first.lower() in STOPWORDS else text


def _said(text: str) -> str:
    """In the second person, as a reply says it: "my tea" -> "your tea"."""
    said = first_person_to_second(text)
    return _lower_first(said)
