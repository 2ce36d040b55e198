"""Teaching by telling: a chat message that states a fact about the user's world.

"Anselm has moved to Graz to be nearer his parents." is learned like a correction: the
message's parse (:mod:`assistant.language.told`) gives a (query, answer) pair — the
clause up to the new value, and the value ("Anselm has moved to" -> "Graz") — and
it goes through the same KGT path, with the user's own words as the fact. What the
statement updates is decided as for any new fact, by what both answer
(:mod:`assistant.learning.replacement`): the fact of the same subject that answers the
same question ("My cousin Anselm lives in Linz."); a statement that says "also"
adds and replaces nothing.

A question is not a statement, and small talk is not a fact: a message is taken as
one only when it is a declarative sentence with a subject, about the user, a known
entity or a name, whose verb gives a value.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..facts import Fact
from ..language.descriptions import (
    KIN_WORDS,
    USER,
    description_in,
    fold_variants,
    is_name_word,
    mentions_user,
)
from ..language.parse import parse
from ..language.told import Told, told_all, without_framing
from ..language.told import is_statement as _is_declarative
from ..store.graph_store import GraphStore
from .subject import find_known_entity, proper_noun_phrases

_I_FORMS = frozenset({"i", "i'm", "i've", "i'd", "i'll", "we", "we're", "we've"})


@dataclass(frozen=True)
class StatedFact:
    """A statement made into KGT's (query, answer) pair."""

    query: str  # "Anselm has moved to": the clause up to its value
    answer: str  # "Graz"
    sentence: str  # "Anselm has moved to Graz to be nearer his parents.": the message
    adds_only: bool  # "also": a new fact beside the others, never an update
    #: Who or what the clause is about, as written ("Anselm", "our broadband").
    about: str = ""
    #: The clause that holds the value, as a sentence ("Florin cuts my hair now.").
    clause: str = ""
    #: The states a change leads to ("Anselm lives in Graz."), where it has them.
    states: tuple[str, ...] = ()
    #: The message says something changed ("now", "moved", "no longer").
    says_change: bool = True


def is_statement(message: str) -> bool:
    """A declarative sentence, not a question, a command or small talk."""
    text = without_framing(message)
    return bool(text.strip()) and _is_declarative(parse(text))


def stated_fact(message: str, store: GraphStore) -> StatedFact | None:
    """The fact ``message`` states, or None when it states none (a question, small
    talk, or nothing said about the user, someone named or something known)."""
    text = without_framing(message).rstrip(" .!")
    # The last clause about someone or something the user's world holds ("Juniper is on
    # a raw diet now, the vet said the kibble was too fatty." is about Juniper).
    found = next((t for t in reversed(told_all(message)) if _about_someone(t, store)), None)
    if found is None:
        return None
    sentence = text[:1].upper() + text[1:] + "."
    return StatedFact(
        found.query, found.value, sentence, found.adds_only, found.subject, found.sentence,
        found.states, found.says_change,
    )  # fmt: skip


def _about_someone(found: Told, store: GraphStore) -> bool:
    """The clause speaks of the user, a name, or something memory knows."""
    return bool(
        mentions_user(found.subject)
        or _names_in(found.subject, found.value)
        or _kin_description(found.subject)
        or find_known_entity(found.subject, store)
    )


def _kin_description(about: str) -> str | None:
    """ "my gran" of "Gran", "my mum" of "Mum's birthday": a relative named by kinship
    alone is the user's."""
    for word in about.replace("’", "'").split():
        bare = word.lower().removesuffix("'s").strip(",.;:!")
        if set(fold_variants([bare])) <= KIN_WORDS:
            return f"my {bare}"
    return None


def _names_in(text: str, value: str) -> list[str]:
    """Names in ``text`` other than its value; a kinship word written with a capital
    ("Grandad loves ...") says who, it is not a name."""
    return [
        p
        for p in proper_noun_phrases(text)
        if (not value or p.lower() not in value.lower())
        and p.split()[0].lower().replace("’", "'") not in _I_FORMS
        and not set(fold_variants(p.lower().split())) <= KIN_WORDS
        and any(is_name_word(w) for w in p.split())  # "GP", "TV" are not names
    ]


def _overlap(entity: str, name: str) -> bool:
    return entity.lower() in name.lower() or name.lower() in entity.lower()


def statement_subject(stated: StatedFact, store: GraphStore) -> str | None:
    """What the statement is about: a known entity, alias or description its subject
    uses (or, failing that, the message); the user ("I", "we"); a name in its subject;
    a description of the user's ("my landlord", "our broadband")."""
    about = stated.about or stated.sentence
    # A name in the subject says who it is, before a description it shares with
    # someone else ("My neighbour Ferris" when another neighbour is known).
    named = _names_in(about, stated.answer)
    for name in reversed(named):
        known = store.resolve_entity(name)
        if known:
            return known
    found = find_known_entity(about, store) or find_known_entity(stated.sentence, store)
    if found and (not named or any(_overlap(found, n) for n in named)):
        return found
    if about.split()[0].lower().replace("’", "'") in _I_FORMS:
        return USER
    names = _names_in(about[1:] if about[:1].isupper() and " " in about else about, "")
    names = names or _names_in(about, stated.answer)
    if names:
        return names[-1]
    description = description_in(about.replace("our ", "my ").replace("Our ", "my "))
    if description:
        return description
    kin = _kin_description(about)
    if kin:
        return find_known_entity(kin, store) or kin
    return USER if mentions_user(about) else None


def sentence_for(stated: StatedFact, subject: str, facts: list[Fact], updated: set[int]) -> str:
    """The fact a statement teaches, as one sentence. An update keeps the sentence of
    the fact it replaces with the new value in place of the old ("My nephew Jory plays
    cello." -> "My nephew Jory plays clarinet.", not "Jory traded the cello for a
    clarinet", which still names the old value); a change that leads to a state says the
    state ("Anselm lives in Graz."); anything else is the statement's clause that holds
    the value ("I've changed salons: Florin cuts my hair now." -> "Florin cuts my hair
    now.")."""
    old = next((f for f in facts if f.id in updated and f.sentence), None)
    if old is not None and old.object in old.sentence:
        return _with_value(old.sentence, old.object, stated.answer)
    one_state = stated.states[0] if len(stated.states) == 1 else None
    return one_state or stated.clause or stated.sentence


def _with_value(sentence: str, old: str, new: str) -> str:
    head, _, tail = sentence.rpartition(old)
    words = head.split()
    if words and words[-1].lower() in {"a", "an"}:
        article = "an" if new[:1].lower() in "aeiou" else "a"
        words[-1] = article if not new[:1].isupper() else ""
        head = " ".join(w for w in words if w) + " "
    return f"{head}{new}{tail}"
