"""How a learned fact reads to the person: one sentence, said to them.

Facts are kept in the user's own voice ("I drink chamomile in the evening.", "My car's
colour is teal."), the words their questions use, which is what the answer prompt
shows the model. Said back to the user, in the notice, the knowledge panel and a
reply, they read "You drink chamomile in the evening.", "Your car's colour is teal."
A fact with no sentence of its own is written from its triple; said to the user, a
relation that names something the subject has ("owner", "diet", "breed is") reads as
that, "Bruno's owner is Anna.", not "Bruno owner Anna.", and one that needs "is" gets
it: "Anna is from Porto.".
"""

from __future__ import annotations

from ..facts import Fact
from .descriptions import KIN_WORDS, USER, first_person_to_second
from .prompts import fact_sentence
from .question_statement import (
    BE_FORMS,
    HAVE_FORMS,
    PREPOSITIONS,
    is_base_verb,
    is_participle_or_adjective,
    word_classes,
)

#: Words that say the one a path goes through is a person ("Ziggy's vet Dr. Lindqvist, who
#: works at Vetpoint Ghent"); for anyone else the path reads as its two sentences.
PERSON_ROLES = KIN_WORDS | frozenset(
    """vet doctor dentist gp teacher coach manager boss friend neighbour neighbor colleague
    therapist lawyer accountant trainer tutor mechanic hairdresser barber babysitter nanny
    physio physiotherapist landlord landlady plumber pharmacist optician nurse surgeon
    midwife priest vicar pastor rabbi imam mentor owner""".split()
)
PERSON_TITLES = frozenset("dr dr. mr mr. mrs mrs. ms ms. miss prof prof. sir dame".split())


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
        # "from", "located in": "Anna is from Porto.", "I am based in Norwich."
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


def path_said_to_user(path: list[Fact]) -> str:
    """A two-fact chain as one phrase under the reply: the first fact, ending on the
    one the path goes through, then what the second says of them: "Ziggy's vet Dr.
    Lindqvist, who works at Vetpoint Ghent", "Anna works at Google, which is based in
    Zurich". A chain that does not read so is its two sentences: "A → B"."""
    first, second = path
    lead, rest = _clause(said_to_user(first)), _clause(said_to_user(second))
    bridge = first.object
    clause = _said_of(rest, (bridge, second.subject))
    if not lead.endswith(bridge) or clause is None:
        return f"{_lower_first(lead)} → {rest}"
    named = lead.removesuffix(f" is {bridge}")  # "Ziggy's vet is Dr. Lindqvist"
    head = f"{named} {bridge}" if named != lead else lead
    pronoun = "who" if _is_person(named.removesuffix(bridge), bridge) else "which"
    return f"{_lower_first(head)}, {pronoun} {clause}"


#: How many words may name the second fact's subject before its name ("Your dog Bruno").
_SUBJECT_WORDS = 3


def _said_of(sentence: str, names: tuple[str, ...]) -> str | None:
    """What ``sentence`` says of the one ``names`` name, when it opens by naming them:
    "works at Vetpoint Ghent" of "Dr. Lindqvist works at Vetpoint Ghent"."""
    for name in dict.fromkeys(names):
        at = sentence.find(f"{name} ")
        if at >= 0 and len(sentence[:at].split()) <= _SUBJECT_WORDS:
            return sentence[at + len(name) + 1 :]
    return None


def _clause(sentence: str) -> str:
    return sentence.rstrip().removesuffix(".")


def _lower_first(text: str) -> str:
    """ "Your dog Ziggy's vet" reads "your dog Ziggy's vet" after "via"; names keep theirs."""
    first, _, rest = text.partition(" ")
    return f"{first.lower()} {rest}" if first in ("Your", "You", "The", "My") else text


def _is_person(named: str, bridge: str) -> bool:
    role = named.split()[-1].lower() if named.split() else ""
    title = bridge.split()[0].lower() if bridge.split() else ""
    return role in PERSON_ROLES or title in PERSON_TITLES


def replacement_said_to_user(old: Fact, new: Fact | None, question: str) -> str:
    """Why a fact was replaced, for the notice and the command line: "Replaced “Your
    cousin Anselm lives in Linz.” by “Your cousin Anselm lives in Graz.”: both
    answer “In which city does my cousin Anselm live?”"; without a question (an undo)
    or a new fact, what there is of it."""
    text = f"Replaced “{said_to_user(old)}”"
    if new is not None:
        text += f" by “{said_to_user(new)}”"
    return text + (f": both answer “{question}”" if question else "")
