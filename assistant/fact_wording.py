"""How a learned fact reads to the person: one sentence, said to them.

Facts are kept in the user's own voice ("I drink rooibos in the evening.", "My car's
colour is burgundy."), the words their questions use, which is what the answer prompt
shows the model. Said back to the user, in the notice, the knowledge panel and a
reply, they read "You drink rooibos in the evening.", "Your car's colour is burgundy."
A fact with no sentence of its own is written from its triple.
"""

from __future__ import annotations

from .descriptions import USER, first_person_to_second
from .facts import Fact
from .prompts import fact_sentence


def in_users_voice(fact: Fact | tuple[str, str, str]) -> str:
    """The fact as the user would say it (and as the answer prompt shows it)."""
    if isinstance(fact, Fact) and fact.sentence:
        return fact.sentence
    subject, relation, obj = fact.triple if isinstance(fact, Fact) else fact
    return fact_sentence("I" if subject == USER else subject, relation, obj)


def said_to_user(fact: Fact | tuple[str, str, str]) -> str:
    """The fact as the assistant says it to the user."""
    text = first_person_to_second(in_users_voice(fact))
    return text[:1].upper() + text[1:]
