"""Judging what each method says, not only what it prefers (``--generate``).

Log-probabilities say which of two answers a method prefers; a user sees the reply.
Each method's greedy reply through its own answer pipeline is judged by the words it
says, with the chat scenarios' rule (:mod:`evaluation.matching`):
- efficacy / paraphrase: the reply to the prompt / its rephrasing contains the new target;
- neighbourhood: the reply to the locality prompt says the same words as the model
  alone's reply (the ``noedit`` pipeline's), generated in the same run whether or not
  ``noedit`` is among the methods: a method must leave other entities' answers alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.api import AssistantError, LanguageModel

from .baselines import NoEditMethod
from .dataset import EvalCase
from .matching import reply_passes, same_words
from .methods import Method
from .metrics import percent

#: (query, subject shown to the method) for the prompt, its rephrasing and the locality
#: prompt, in that order.
CaseQueries = Sequence[tuple[str, str | None]]


@dataclass(frozen=True)
class GeneratedScores:
    efficacy: float
    paraphrase: float
    neighborhood: float


def model_alone_replies(
    model: LanguageModel, cases: Sequence[EvalCase], tick: Callable[[int, str], None]
) -> list[str]:
    """The model alone's reply to each case's locality prompt."""
    alone = NoEditMethod()
    replies = []
    for case in cases:
        replies.append(_reply(model, alone, (case.locality_prompt, None)))
        tick(1, "generating: the model alone")
    return replies


def generated_scores(
    model: LanguageModel,
    method: Method,
    cases: Sequence[EvalCase],
    queries: Sequence[CaseQueries],
    alone: Sequence[str],
    tick: Callable[[int, str], None],
) -> GeneratedScores:
    efficacy, paraphrase, neighborhood = [], [], []
    for case, (prompt, rephrase, locality), alone_reply in zip(cases, queries, alone):
        efficacy.append(reply_passes(_reply(model, method, prompt), [case.target_new]))
        paraphrase.append(reply_passes(_reply(model, method, rephrase), [case.target_new]))
        neighborhood.append(same_words(_reply(model, method, locality), alone_reply))
        tick(1, f"generating {method.name}")
    return GeneratedScores(percent(efficacy), percent(paraphrase), percent(neighborhood))


def _reply(model: LanguageModel, method: Method, query: tuple[str, str | None]) -> str:
    # Every reply starts cold: a backend that reuses a cached prompt prefix computes the
    # rest in other batch shapes, and greedy decoding can then pick another token for
    # the same prompt (noedit against the model alone: 95% "the same", 20 dev cases).
    # Cold, the same prompt gives the same reply, so neighbourhood measures the method.
    model.forget_cache()
    try:
        return method.reply(model, *query)
    except AssistantError:
        # A reply the method cannot make (a prompt over the context) says nothing: the
        # case counts, as a failure, like a correction that failed.
        return ""
