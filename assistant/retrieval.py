"""Answer-time retrieval: the facts of what the question is about, the ones it asks for.

What the question is about: a known name, alias or description it uses ("my boss" is
"my manager"); else, for "he", "she", "it"..., what the conversation was about; else,
for an "I / my" question, the user's own facts and those of what they described as
theirs. Which of its facts: the relation the question names in its words; else the
facts closest to the question in meaning (:mod:`assistant.meaning`); the model's own
P(r|q) ranking is kept for comparison (``ranking="model"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .descriptions import USER, mentions_user
from .fact_wording import in_users_voice
from .facts import Fact
from .graph_store import GraphStore
from .llm import LanguageModel
from .meaning import similarities
from .relation_match import facts_named
from .scoring import retrieval_logprobs
from .subject import find_known_entity
from .tuning import retrieval_distribution


class ChosenBy(StrEnum):
    """How an answer's facts were chosen; the values appear in reports as they are."""

    ALL = "all"  # the subject has no more than top_n facts
    BY_NAME = "by name"  # the question names one of the subject's relations
    BY_MEANING = "by meaning"  # closest to the question in meaning (assistant.meaning)
    BY_MODEL = "by model"  # ranked by P(r|q)
    NONE = "none"  # no known subject, or one without facts


@dataclass(frozen=True)
class Retrieved:
    subject: str | None
    facts: list[Fact]
    probabilities: list[float]
    chosen_by: ChosenBy = ChosenBy.NONE


#: Words that point back at what the conversation was about.
_REFERS_BACK = frozenset("he him his she her hers they them their it its".split())
#: How close in meaning a fact of the user's must be to an "I / my" question to be
#: used: below it the question is small talk or about something never taught, and
#: the model answers alone (docs/METHOD.md, measured on the dev scenarios).
USER_WORLD_MIN_SIMILARITY = 0.3


def graph_candidates(
    store: GraphStore,
    query: str,
    subject: str | None = None,
    previous_subject: str | None = None,
) -> tuple[str | None, list[Fact]]:
    """The graph's side of retrieval, no model: the query's subject (an explicit one,
    else a known name, alias or description in the query, by index lookups; else the
    conversation's last subject when the query points back at it; else the user) and
    its valid facts."""
    if subject:
        subject = store.resolve_entity(subject) or subject
    else:
        subject = find_known_entity(query, store)
    if subject is None and previous_subject and _refers_back(query):
        subject = previous_subject
    if subject is None and mentions_user(query):
        subject = USER
    if subject is None:
        return None, []
    if subject == USER:
        return USER, store.user_world_facts()
    return subject, store.valid_facts_of(subject)


def _refers_back(query: str) -> bool:
    return bool(_REFERS_BACK & {w.lower() for w in query.replace("?", " ").split()})


def retrieve(
    model: LanguageModel,
    store: GraphStore,
    query: str,
    subject: str | None = None,
    top_n: int = 3,
    *,
    by_name: bool = True,
    ranking: str = "meaning",
    previous_subject: str | None = None,
) -> Retrieved:
    """Find the query's subject among known entities and return its best ``top_n`` facts.

    An entity the graph does not know has no facts, so only known names and aliases are
    matched here (no model call). Ranking needs the model only when the subject has more
    than ``top_n`` facts (otherwise all of them go into the prompt anyway) and the query
    does not name one of its relations in so many words: then that relation's facts are
    the ones asked for (:mod:`assistant.relation_match`), and the answer is one decode.
    ``by_name=False`` always ranks (to compare the two, scripts/answer_choice.py).
    """
    subject, facts = graph_candidates(store, query, subject, previous_subject)
    if subject is None:
        return Retrieved(None, [], [])
    if subject == USER:
        return _from_users_world(query, facts, top_n)
    if len(facts) <= top_n:
        return Retrieved(
            subject,
            facts,
            [1.0 / len(facts)] * len(facts) if facts else [],
            ChosenBy.ALL if facts else ChosenBy.NONE,
        )
    chosen = facts_named(query, subject, facts)[:top_n] if by_name else []
    if chosen:
        return Retrieved(subject, chosen, [1.0 / len(chosen)] * len(chosen), ChosenBy.BY_NAME)
    if ranking == "meaning":
        return _closest_in_meaning(subject, query, facts, top_n)
    scores = retrieval_logprobs(model, query, subject, [f.relation for f in facts])
    shares = retrieval_distribution([scores[f.relation] for f in facts])
    ranked = sorted(zip(facts, shares), key=lambda pair: pair[1], reverse=True)[:top_n]
    return Retrieved(subject, [f for f, _ in ranked], [p for _, p in ranked], ChosenBy.BY_MODEL)


def _closest_in_meaning(subject: str, query: str, facts: list[Fact], top_n: int) -> Retrieved:
    close = similarities(query, [in_users_voice(f) for f in facts])
    ranked = sorted(zip(facts, close), key=lambda pair: pair[1], reverse=True)[:top_n]
    return Retrieved(subject, [f for f, _ in ranked], [s for _, s in ranked], ChosenBy.BY_MEANING)


def _from_users_world(query: str, facts: list[Fact], top_n: int) -> Retrieved:
    """An "I / my" question: the user's facts it names, else those close to it in
    meaning; none when nothing is close (small talk, or never taught)."""
    named = facts_named(query, USER, facts)[:top_n]
    if named:
        return Retrieved(USER, named, [1.0 / len(named)] * len(named), ChosenBy.BY_NAME)
    found = _closest_in_meaning(USER, query, facts, top_n)
    kept = [(f, s) for f, s in zip(found.facts, found.probabilities)
            if s >= USER_WORLD_MIN_SIMILARITY]  # fmt: skip
    if not kept:
        return Retrieved(None, [], [], ChosenBy.NONE)
    return Retrieved(USER, [f for f, _ in kept], [s for _, s in kept], ChosenBy.BY_MEANING)
