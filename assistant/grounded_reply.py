"""The reply to a question about something the user taught: the learned fact, said.

A small model handed numbered facts answers with list numbers ("3", "[2] Miami.")
or bare triples as often as with the fact. So the reply is chosen, not free-written:
among the facts retrieval found, the one KGT's own quantity prefers — the mean
log-probability of its object after the reasoning prompt that shows it (the prompt
KGT scored when it learned the fact, so what is learned is what is used), plus the
log of its retrieval share — and the reply states that fact as a sentence to the
user ("Anna lives in Lisbon.", "You drink rooibos in the evening."). A question that
asks for everything about someone ("Tell me about Anna") gets every fact found.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from .fact_wording import said_to_user
from .facts import Fact
from .llm import LanguageModel
from .retrieval import ChosenBy, Retrieved
from .scoring import reasoning_request

_EVERYTHING = re.compile(
    r"\b(tell me (?:all )?about|what do you know about|who is|who's|remind me about)\b",
    re.IGNORECASE,
)


def choose_fact(model: LanguageModel, query: str, found: Retrieved) -> Fact:
    """The fact whose object the model, shown that fact, most expects as the answer,
    weighed by how strongly retrieval found it."""
    facts = found.facts
    if len(facts) == 1:
        return facts[0]
    scores = model.score([reasoning_request(query, f, f.object) for f in facts])
    shares = _shares(found.probabilities, len(facts))
    weighed = [s.mean_logprob + math.log(max(p, 1e-9)) for s, p in zip(scores, shares)]
    return facts[max(range(len(facts)), key=weighed.__getitem__)]


def _shares(weights: list[float], n: int) -> list[float]:
    if len(weights) != n or not any(w > 0 for w in weights):
        return [1.0 / n] * n
    positive = [max(w, 0.0) for w in weights]
    total = sum(positive)
    return [w / total for w in positive]


def reply_text(model: LanguageModel, query: str, found: Retrieved) -> str:
    if found.path:  # a chain: both links, so the user sees how the answer was reached
        return " ".join(said_to_user(f) for f in found.path)
    if len(found.facts) > 1 and _EVERYTHING.search(query) and found.chosen_by == ChosenBy.ALL:
        return " ".join(said_to_user(f) for f in found.facts)
    return said_to_user(choose_fact(model, query, found))


def stream_reply(model: LanguageModel, query: str, found: Retrieved) -> Iterator[str]:
    """The reply in word-sized pieces, as a generated reply streams."""
    text = reply_text(model, query, found)
    yield from re.findall(r"\S+\s*", text)
