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
