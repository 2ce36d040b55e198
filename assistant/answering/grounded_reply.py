"""The reply to a question about something the user taught: the learned fact, said.

A small model handed numbered facts answers with list numbers ("3", "[2] Miami.")
or bare triples as often as with the fact. So the reply is chosen, not free-written:
among the facts retrieval found, the one KGT's own quantity prefers — the mean
log-probability of its object after the reasoning prompt that shows it (the prompt
KGT scored when it learned the fact, so what is learned is what is used), plus the
log of its retrieval share, a fact that answers another kind of question than the
one asked (a name for "Where ...?") counting a tenth (assistant/answer_kind.py) — and
the reply states that fact as a sentence to the
user ("Anna lives in Lisbon.", "You drink chamomile in the evening."). A question that
asks for everything about someone ("Tell me about Anna") gets every fact found.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from ..facts import Fact
from ..language.answer_kind import answered_kinds, asked_kind
from ..language.fact_wording import said_to_user
from ..learning.scoring import reasoning_request
from ..llm import LanguageModel
from ..store.graph_store import GraphStore
from .retrieval import ChosenBy, Retrieved

_EVERYTHING = re.compile(
    r"\b(tell me (?:all )?about|what do you know about|who is|who's|remind me about)\b",
    re.IGNORECASE,
)


#: A fact whose questions ask for another kind of answer than the question does counts
#: this much less (log of a tenth): a strong preference of the model and of meaning
#: together still wins, for questions whose wh-word does not settle it ("Who does
#: Anna work for?" is answered by "Where does Anna work?").
OTHER_KIND_PENALTY = math.log(0.1)


def choose_fact(model: LanguageModel, store: GraphStore, query: str, found: Retrieved) -> Fact:
    """The fact whose object the model, shown that fact, most expects as the answer,
    weighed by how strongly retrieval found it and by whether it answers the kind of
    thing asked."""
    facts = found.facts
    if len(facts) == 1:
        return facts[0]
    scores = model.score([reasoning_request(query, f, f.object) for f in facts])
    shares = _shares(found.probabilities, len(facts))
    fits = _kind_fits(store, query, facts)
    weighed = [
        s.mean_logprob + math.log(max(p, 1e-9)) + (0.0 if fit else OTHER_KIND_PENALTY)
        for s, p, fit in zip(scores, shares, fits)
    ]
    return facts[max(range(len(facts)), key=weighed.__getitem__)]


def _kind_fits(store: GraphStore, query: str, facts: list[Fact]) -> list[bool]:
    """Per fact: False only when the question asks for a kind of answer and every
    question the fact answers asks for other kinds."""
    asked = asked_kind(query)
    if asked is None:
        return [True] * len(facts)
    answered = store.questions_answered(f.id for f in facts)
    fits = []
    for fact in facts:
        kinds = answered_kinds(answered.get(fact.id, ()))
        fits.append(not kinds or asked in kinds)
    return fits


def _shares(weights: list[float], n: int) -> list[float]:
    if len(weights) != n or not any(w > 0 for w in weights):
        return [1.0 / n] * n
    positive = [max(w, 0.0) for w in weights]
    total = sum(positive)
    return [w / total for w in positive]


def reply_text(model: LanguageModel, store: GraphStore, query: str, found: Retrieved) -> str:
    if found.path:  # a chain: both links, so the user sees how the answer was reached
        return " ".join(said_to_user(f) for f in found.path)
    if len(found.facts) > 1 and _EVERYTHING.search(query) and found.chosen_by == ChosenBy.ALL:
        return " ".join(said_to_user(f) for f in found.facts)
    return said_to_user(choose_fact(model, store, query, found))


def stream_reply(
    model: LanguageModel, store: GraphStore, query: str, found: Retrieved
) -> Iterator[str]:
    """The reply in word-sized pieces, as a generated reply streams."""
    yield from word_pieces(reply_text(model, store, query, found))


def word_pieces(text: str) -> Iterator[str]:
    """``text`` in word-sized pieces, as a generated reply streams."""
    yield from re.findall(r"\S+\s*", text)
