"""Answering with the graph: retrieve the facts the question is about, then reply.

With facts that answer the question, the reply states the one KGT's own scores prefer
(:mod:`grounded_reply`); a question about the user's world that none answers gets an
honest "I don't know ... yet" (:mod:`reply_choice`); anything else the model answers
alone, with the paper's reasoning prompt (``ask``) or its chat template
(:mod:`assistant.chat`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..errors import ContextOverflowError, InputError
from ..facts import Fact
from ..language.prompts import reasoning_prompt
from ..language.text import one_line
from ..llm import LanguageModel
from ..store.graph_store import GraphStore
from ..timing import ms_since
from .grounded_reply import stream_reply, word_pieces
from .reply_choice import Say, answer_plan
from .retrieval import Retrieved

ANSWER_STOPS = ["\n", "<question>", "<facts>", "<answer>"]


@dataclass
class Answer:
    text: str
    subject: str | None
    facts: list[Fact]
    latency_ms: float
    #: The chain of facts the answer followed (empty for one hop).
    path: list[Fact] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "answer": self.text,
            "subject": self.subject,
            "facts": [f.to_json() for f in self.facts],
            "latency_ms": self.latency_ms,
            "path": [f.to_json() for f in self.path],
        }


def check_fits(model: LanguageModel, prompt: str, max_tokens: int) -> None:
    """Refuse a prompt that cannot fit with room for the answer, before any decode."""
    needed = model.count_tokens(prompt) + max_tokens
    if needed > model.context_length:
        raise ContextOverflowError(
            f"the message is too long for the model's context ({needed} tokens needed, "
            f"{model.context_length} available); shorten it"
        )


def stream_answer(
    model: LanguageModel, store: GraphStore, query: str, **options
) -> tuple[str | None, list[Fact], Iterator[str]]:
    """(subject, facts used, stream of answer pieces); ``options`` as for
    :func:`stream_retrieved_answer`."""
    found, pieces = stream_retrieved_answer(model, store, query, **options)
    return found.subject, found.facts, pieces


def stream_retrieved_answer(
    model: LanguageModel,
    store: GraphStore,
    query: str,
    *,
    subject: str | None = None,
    top_n: int = 3,
    max_tokens: int = 64,
) -> tuple[Retrieved, Iterator[str]]:
    """The retrieval (its facts and how they were chosen) and the stream of the answer
    to ``query`` made with them."""
    query = one_line(query)
    if not query:
        raise InputError("the question is empty")
    check_fits(model, query, max_tokens)  # a pasted essay is refused before anything
    plan = answer_plan(model, store, query, subject=subject, top_n=top_n)
    if plan.text:  # what held before, or that memory does not know
        return plan.found, word_pieces(plan.text)
    if plan.say == Say.FACTS:
        return plan.found, stream_reply(model, store, query, plan.found)
    return plan.found, complete_with_facts(model, query, [], max_tokens)


def complete_with_facts(
    model: LanguageModel, query: str, facts: list[Fact], max_tokens: int
) -> Iterator[str]:
    """Stream the answer to ``query`` from the reasoning prompt with ``facts``."""
    prompt = reasoning_prompt(query, facts)
    check_fits(model, prompt, max_tokens)
    return model.complete(prompt, max_tokens=max_tokens, stop=ANSWER_STOPS)


def answer_question(model: LanguageModel, store: GraphStore, query: str, **options) -> Answer:
    start = time.perf_counter()
    found, pieces = stream_retrieved_answer(model, store, query, **options)
    text = "".join(pieces).strip()
    return Answer(text, found.subject, found.facts, ms_since(start), found.path)
