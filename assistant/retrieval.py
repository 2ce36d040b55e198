"""Answer-time retrieval: the subject's facts the question names, else ranked by P(z|q)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .facts import Fact
from .graph_store import GraphStore
from .llm import LanguageModel
from .relation_match import facts_named
from .scoring import retrieval_logprobs
from .subject import find_known_entity
from .tuning import retrieval_distribution


class ChosenBy(StrEnum):
    """How an answer's facts were chosen; the values appear in reports as they are."""

    ALL = "all"  # the subject has no more than top_n facts
    BY_NAME = "by name"  # the question names one of the subject's relations
    BY_MODEL = "by model"  # ranked by P(r|q)
    NONE = "none"  # no known subject, or one without facts


@dataclass(frozen=True)
class Retrieved:
    subject: str | None
    facts: list[Fact]
    probabilities: list[float]
    chosen_by: ChosenBy = ChosenBy.NONE


def graph_candidates(
    store: GraphStore, query: str, subject: str | None = None
) -> tuple[str | None, list[Fact]]:
    """The graph's side of retrieval, no model: the query's subject (an explicit one,
    else a known name or alias in the query, by index lookups) and its valid facts."""
    if subject:
        subject = store.resolve_entity(subject) or subject
    else:
        subject = find_known_entity(query, store)
    if subject is None:
        return None, []
    return subject, store.valid_facts_of(subject)


def retrieve(
    model: LanguageModel,
    store: GraphStore,
    query: str,
    subject: str | None = None,
    top_n: int = 3,
    *,
    by_name: bool = True,
) -> Retrieved:
    """Find the query's subject among known entities and return its best ``top_n`` facts.

    An entity the graph does not know has no facts, so only known names and aliases are
    matched here (no model call). Ranking needs the model only when the subject has more
    than ``top_n`` facts (otherwise all of them go into the prompt anyway) and the query
    does not name one of its relations in so many words: then that relation's facts are
    the ones asked for (:mod:`assistant.relation_match`), and the answer is one decode.
    ``by_name=False`` always ranks (to compare the two, scripts/answer_choice.py).
    """
    subject, facts = graph_candidates(store, query, subject)
    if subject is None:
        return Retrieved(None, [], [])
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
    scores = retrieval_logprobs(model, query, subject, [f.relation for f in facts])
    shares = retrieval_distribution([scores[f.relation] for f in facts])
    ranked = sorted(zip(facts, shares), key=lambda pair: pair[1], reverse=True)[:top_n]
    return Retrieved(subject, [f for f, _ in ranked], [p for _, p in ranked], ChosenBy.BY_MODEL)
