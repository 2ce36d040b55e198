"""What a message gets: the learned fact that answers it, an honest "I don't know yet",
or the model's own reply.

A learned fact is said only where it answers what is asked (:mod:`answers_asked`), not
wherever the question names someone the user taught about. A question about the
user's world that no fact answers gets one line that says so and invites teaching
(:func:`assistant.language.not_known.not_known_reply`), and states nothing else it
learned. Which questions are about the user's world, by their grammar:
- a question about someone or something memory knows (a name, a description, "he"
  for the one the conversation is about), or about someone of the user's it does not
  know yet ("my brother" with no brother taught);
- a question about what is the user's own ("What's my ring size?", "How do I take my
  coffee?": "my" says so, whatever else the question asks) or about their habits ("Which
  bus do I take?": a wh-word other than "how" with "do I"), not one asking for advice
  with nothing of theirs in it ("How do I poach a pear?", "What should I cook?");
- a question about someone memory knows only as the value of a fact, said to be a
  person ("What does Kuba do?" after "Tomasz shares a flat with his friend Kuba.");
- in every case a question, not a request ("Can you suggest a name for my goldfish?"),
  which the model answers as itself.
Everything else — general questions, chat, requests — is the model's own reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from ..language.asked_thing import name_asked_of
from ..language.descriptions import USER, first_person_to_second, is_users_own
from ..language.history import PastAsk, about_the_past
from ..language.not_known import not_known_reply
from ..language.roles import kinds_of_word
from ..learning.subject import correction_subject, proper_noun_phrases
from ..llm import LanguageModel
from ..store.graph_store import GraphStore
from .answers_asked import answering_facts
from .history import history_reply, holds
from .retrieval import Retrieved, SubjectBy, is_question, retrieve


class Say(StrEnum):
    """What the reply is made of; the values appear in reports as they are."""

    FACTS = "facts"  # the learned facts that answer the question
    HISTORY = "history"  # what a fact held before it was replaced
    NOT_KNOWN = "not known"  # an honest "I don't know ... yet"
    MODEL = "model"  # the model's own reply, no fact in it


@dataclass(frozen=True)
class ReplyPlan:
    say: Say
    #: The retrieval, its facts narrowed to those that answer (none unless FACTS).
    found: Retrieved
    #: The reply, when it is not the chosen fact's sentence: what held before, the
    #: name of someone described ("Your cat is called Biscuit."), or that memory does not
    #: know.
    text: str = ""


def answer_plan(
    model: LanguageModel,
    store: GraphStore,
    query: str,
    *,
    subject: str | None = None,
    top_n: int = 3,
    previous_subject: str | None = None,
) -> ReplyPlan:
    """Retrieve and decide: a question about the past answered from what was
    replaced (:mod:`history`), else :func:`plan_reply` on what ``query`` retrieves.
    A question about the past that nothing replaced is not answered by what holds
    now."""
    held = lambda value: bool(store.facts_holding(value))  # noqa: E731
    past = about_the_past(query, held) if subject is None and is_question(query) else None
    if past is not None:
        before = history_reply(model, store, query, top_n=top_n, previous_subject=previous_subject)
        if before is not None:
            return ReplyPlan(Say.HISTORY, *before)
    found = retrieve(model, store, query, subject, top_n, previous_subject=previous_subject)
    if past is not None:
        found = _nothing_held_since(store, past, found)
    return plan_reply(model, store, query, found)


def _nothing_held_since(store: GraphStore, past: PastAsk, found: Retrieved) -> Retrieved:
    """A question about the past that nothing replaced: what holds now answers it
    only when "before X" names no value of memory ("before the match": part of what
    is asked), or when the fact was itself learned as the past ("What was my old
    address?")."""
    if past.since is not None and not _holds_a_value(store, found, past.since):
        return found
    answered = store.questions_answered(f.id for f in found.facts)
    kept = [
        f for f in found.facts if any(about_the_past(q) is not None for q in answered.get(f.id, ()))
    ]
    return replace(found, facts=kept, probabilities=[], path=[])


def _holds_a_value(store: GraphStore, found: Retrieved, value: str) -> bool:
    """Whether the "before X" of a question names a value memory holds or held for
    its subject: otherwise it is part of what is asked ("before the match")."""
    if found.subject is None:
        return False
    pool = (
        store.user_world_facts()
        if found.subject == USER
        else store.facts(found.subject, include_invalid=True)
    )
    return any(holds(fact, value) for fact in pool)


_REQUEST = re.compile(
    r"^(?:please\s+)?(?:can|could|would|will)\s+you\b|^(?:please|tell me|give me|suggest|"
    r"recommend|write|show me|help me|let's|explain)\b",
    re.IGNORECASE,
)
_ADVICE = re.compile(r"\b(?:should|shall|could|can|might|must) (?:i|we)\b|^how (?:do|can) i\b")
_HABIT = re.compile(r"^(?:what|which|where|when|who|whom)\b.*\b(?:do|did|am|was) i\b")
_MINE = re.compile(r"\b(?:my|our|mine)\b")


def plan_reply(model: LanguageModel, store: GraphStore, query: str, found: Retrieved) -> ReplyPlan:
    """The facts that answer ``query`` if any; else "I don't know" for a question about
    the user's world; else the model. A request to make something ("Compose a limerick for my
    sister", "Can you suggest a name for my goldfish?") is the model's, whoever it names."""
    if asks_to_make_something(query):
        return ReplyPlan(
            Say.MODEL, replace(found, subject=None, facts=[], probabilities=[], path=[])
        )
    answering = answering_facts(model, store, query, found)
    if answering.facts:
        return ReplyPlan(Say.FACTS, answering)
    nothing = replace(found, facts=[], probabilities=[], path=[])
    named = _name_known(store, query, found)
    if named:
        return ReplyPlan(Say.FACTS, nothing, named)
    if asks_about_users_world(query, found) or (
        is_question(query) and not _REQUEST.search(query.lower()) and _someone_held(store, query)
    ):
        about = found.subject if found.about != SubjectBy.USER else None
        # Whom it is about, even someone memory has never heard of ("my dog Bruno"):
        # what a follow-up's "he" means, and what marks the reply as memory's.
        subject = found.subject or correction_subject(query, "", store) or USER
        return ReplyPlan(
            Say.NOT_KNOWN, replace(nothing, subject=subject), not_known_reply(query, about)
        )
    return ReplyPlan(Say.MODEL, replace(nothing, subject=None))


def _someone_held(store: GraphStore, query: str) -> bool:
    """The question names someone memory knows only as the value of a fact, said to
    be a person ("his friend Kuba", "Who is my dentist?" -> "Dr. Kaur"): someone of the
    user's world, not a general question for the model."""
    for name in proper_noun_phrases(query):
        facts = store.facts_holding(name)
        answered = store.questions_answered(f.id for f in facts)  # one query, not one a fact
        for fact in facts:
            before = fact.sentence.partition(fact.object)[0].split() if fact.sentence else []
            if before and kinds_of_word(before[-1].strip(",").lower()):
                return True
            questions = answered.get(fact.id, ())
            if any(q.lower().startswith(("who ", "who's", "whom ")) for q in questions):
                return True
    return False


def _name_known(store: GraphStore, query: str, found: Retrieved) -> str:
    """ "What's my cat's name?" when the user named their cat: its name is the answer
    ("Your cat is called Biscuit."), whatever facts it has."""
    described = name_asked_of(query)
    if described is None or found.subject in (None, USER) or found.subject == described:
        return ""
    if store.resolve_entity(described) != found.subject or is_users_own(found.subject):
        return ""
    return f"{first_person_to_second(described).capitalize()} is called {found.subject}."


_MAKE = re.compile(
    r"^(?:please\s+)?(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?)?"
    r"(?:write|compose|draw|suggest|recommend|give me|make|create|generate|help me|"
    r"translate|summari[sz]e|explain|describe|invent|plan|sing|list|tell me (?:a|an|some)\b)",
    re.IGNORECASE,
)


def asks_to_make_something(query: str) -> bool:
    """A request for the model to make or suggest something, not to recall a fact
    ("Remind me where Anna lives", "Tell me about Anna" are not)."""
    return bool(_MAKE.search(" ".join(query.split())))


def asks_about_users_world(query: str, found: Retrieved) -> bool:
    """Whether ``query`` asks something of the user's world (module docstring)."""
    text = " ".join(query.lower().replace("’", "'").split())
    if not is_question(query) or _REQUEST.search(text):
        return False
    if found.about == SubjectBy.UNKNOWN or (found.subject not in (None, USER)):
        return True
    if _MINE.search(text):
        return True
    return not _ADVICE.search(text) and bool(_HABIT.search(text))
