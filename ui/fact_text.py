"""How facts and times read in the window: sentences, triples, local dates."""

from __future__ import annotations

from datetime import datetime

from assistant.api import Fact, said_to_user


def triple_of(fact: Fact | tuple[str, str, str]) -> tuple[str, str, str]:
    return fact.triple if isinstance(fact, Fact) else tuple(fact)


def sentence(fact: Fact | tuple[str, str, str]) -> str:
    """ "Your sister Anna lives in Lisbon." -- the fact as said to the user (the
    answer prompt has it in their own voice: "My sister Anna lives in Lisbon.")."""
    return said_to_user(fact)


#: The most words an edge's label takes from a sentence; a longer link is the relation.
LABEL_WORDS = 4
_FIRST_PERSON = ("i", "my")
_BE = ("is", "are", "am", "was")


def edge_label(fact: Fact) -> str:
    """What links the fact's subject to its object in its sentence, for the graph's
    edge: "lives in" of "My sister Anna lives in Lisbon." even when the relation was
    named "moved to"; "vet" of "Rex's vet is Dr. Moreau."; "drink" of "I drink rooibos
    in the evening.". The relation when the fact has no sentence, or its sentence does
    not name the subject and then the object with a few words between them."""
    if not fact.sentence:
        return fact.relation
    text = fact.sentence.strip().rstrip(".!?")
    at = text.lower().rfind(fact.object.lower())
    if at <= 0:
        return fact.relation
    before = text[:at]
    start = before.lower().rfind(fact.subject.lower())
    if start >= 0:
        between = before[start + len(fact.subject) :]
    elif before.split() and before.split()[0].lower() in _FIRST_PERSON:
        between = before.split(maxsplit=1)[1] if len(before.split()) > 1 else ""
    else:
        return fact.relation
    words = between.split()
    if words and words[0] in ("'s", "’s", "'", "’"):  # "Rex's vet is Dr. Moreau."
        words = words[1:]
    if len(words) > 1 and words[-1].lower() in _BE:  # what the subject has: "vet"
        words = words[:-1]
    return " ".join(words) if 1 <= len(words) <= LABEL_WORDS else fact.relation


def triple_text(fact: Fact | tuple[str, str, str]) -> str:
    subject, relation, obj = triple_of(fact)
    return f"({subject}, {relation}, {obj})"


def local_time(iso: str | None, short: bool = False) -> str:
    """A stored UTC timestamp in the user's time zone, to the minute ("Nov 21 10:46"
    when ``short``)."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return moment.astimezone().strftime("%b %d %H:%M" if short else "%Y-%m-%d %H:%M")
