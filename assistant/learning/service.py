"""The one way a correction or a statement is learned.

The window, the CLI, the terminal chat and the evaluation all learn through
:class:`Learner`: it builds the tuning settings once from :class:`Settings`, reads a
statement once, and hands back the same progress generator KGT yields, to be run step by
step (the window's worker, which can stop it) or drained (the CLI).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

from ..errors import InputError
from ..llm import LanguageModel
from ..settings import Settings
from ..store.graph_store import GraphStore
from .correction import (
    CorrectionResult,
    Progress,
    ProposedCorrection,
    correct,
    drain,
    propose_correction,
)
from .statements import StatedFact, stated_fact
from .tuning import TuningConfig


def tuning_config(settings: Settings) -> TuningConfig:
    """KGT's stop threshold and answer-time fact count, as the user set them."""
    return TuningConfig(eps=settings.eps, top_n=settings.top_n_facts)


@dataclass(frozen=True)
class Teaching:
    """What the user taught: an answer to a question, or a fact their message stated."""

    question: str
    answer: str = ""
    subject: str | None = None
    model_answer: str = ""
    message_id: str | None = None
    #: The fact a chat message stated (:func:`Learner.statement_in`); the question is
    #: then the message and the answer is unused.
    stated: StatedFact | None = None


class Learner:
    """KGT for one model, one graph and one set of settings."""

    def __init__(self, model: LanguageModel, store: GraphStore, settings: Settings):
        self.model = model
        self.store = store
        self.settings = settings
        self.config = tuning_config(settings)

    def statement_in(self, message: str) -> StatedFact | None:
        """The fact a chat message states ("My sister Anna moved to Porto."), or None
        for a question or small talk."""
        return stated_fact(message, self.store)

    def learn(
        self, teaching: Teaching, *, ask_first: bool = False
    ) -> Generator[Progress, None, CorrectionResult | ProposedCorrection]:
        """KGT's steps for ``teaching``; with ``ask_first`` they stop at the proposal
        (nothing written) for the user to approve with :func:`apply_proposal`."""
        if self.settings.incognito:
            raise InputError("incognito is on: nothing is learned (turn it off in settings)")
        run = propose_correction if ask_first else correct
        options = dict(
            model_answer=teaching.model_answer.strip(),
            message_id=teaching.message_id,
            k=self.settings.k_relations,
            config=self.config,
        )
        stated = teaching.stated
        if stated is not None:
            query, answer = stated.query, stated.answer
            return run(self.model, self.store, query, answer, stated=stated, **options)
        return run(
            self.model,
            self.store,
            teaching.question,
            teaching.answer,
            subject=teaching.subject or None,
            **options,
        )

    def learn_now(self, teaching: Teaching) -> CorrectionResult:
        """Learn ``teaching`` to the end (no stopping, no review)."""
        return drain(self.learn(teaching))
