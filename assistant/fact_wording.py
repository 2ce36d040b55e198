"""How a learned fact reads to the person: one sentence, said to them.

Facts are kept in the user's own voice ("I drink rooibos in the evening.", "My car's
colour is burgundy."), the words their questions use, which is what the answer prompt
shows the model. Said back to the user, in the notice, the knowledge panel and a
reply, they read "You drink rooibos in the evening.", "Your car's colour is burgundy."
A fact with no sentence of its own is written from its triple; said to the user, a
relation that names something the subject has ("owner", "diet", "breed is") reads as
that, "Bruno's owner is Anna.", not "Bruno owner Anna.", and one that needs "is" gets
it: "Anna is from Porto.".
"""

from __future__ import annotations

from .descriptions import USER, first_person_to_second
from .facts import Fact
from .prompts import fact_sentence
from .question_statement import (
    BE_FORMS,
    HAVE_FORMS,
    PREPOSITIONS,
    is_base_verb,
    is_participle_or_adjective,
    word_classes,
)


def in_users_voice(fact: Fact | tuple[str, str, str]) -> str:
    """The fact as the user would say it (and as the answer prompt shows it)."""
    if isinstance(fact, Fact) and fact.sentence:
        return fact.sentence
    subject, relation, obj = fact.triple if isinstance(fact, Fact) else fact
    return fact_sentence("I" if subject == USER else subject, relation, obj)


def said_to_user(fact: Fact | tuple[str, str, str]) -> str:
    """The fact as the assistant says it to the user."""
    text = first_person_to_second(_readable(fact))
    return text[:1].upper() + text[1:]


def _readable(fact: Fact | tuple[str, str, str]) -> str:
    if isinstance(fact, Fact) and fact.sentence:
        return fact.sentence
    subject, relation, obj = fact.triple if isinstance(fact, Fact) else fact
    attribute = attribute_named(relation)
    if attribute is not None:
        owner = "my" if subject == USER else possessive(subject)
        return fact_sentence(f"{owner} {attribute}", "is", obj)
    first = relation.split()[0] if relation.split() else ""
    if first.lower() in PREPOSITIONS or is_participle_or_adjective(first):
        # "from", "located in": "Anna is from Porto.", "I am based in Leeds."
        be = "am" if subject == USER else "is"
        return fact_sentence("I" if subject == USER else subject, f"{be} {relation}", obj)
    return in_users_voice(fact)


def attribute_named(relation: str) -> str | None:
    """The thing a relation names ("owner", "favourite colour", "breed" of "breed is"),
    or None when it is a verb phrase ("works at", "lives", "drink in the evening")."""
    words = relation.split()
    if len(words) > 1 and words[-1].lower() in BE_FORMS:
        words = words[:-1]
    if not words:
        return None
    first = words[0].lower()
    classes = word_classes(first)
    verb_forms = classes.get("VERB", ())
    if first in BE_FORMS | HAVE_FORMS | PREPOSITIONS or (verb_forms and first not in verb_forms):
        return None  # "is", "has", "from", "works", "lives", "born"
    if len(words) > 1 and words[1].lower() in PREPOSITIONS:
        return None  # "live in", "drink in the evening"
    if is_base_verb(first) and "NOUN" not in classes:
        return None  # "live"
    return " ".join(words)


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"
