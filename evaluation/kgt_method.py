"""KGT as evaluated: corrections through the app's own correction path, answers through
its own retrieval and reasoning prompt (the prompt :func:`answer_question` sends).

The graph lives in a temporary SQLite database, one per run, grown online.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from assistant.answering.answer import stream_retrieved_answer
from assistant.answering.retrieval import ChosenBy, retrieve
from assistant.api import (
    GraphStore,
    LanguageModel,
    Learner,
    Settings,
    Teaching,
    open_database,
)
from assistant.language.prompts import reasoning_prompt
from assistant.learning.tuning import StopReason

from .methods import REPLY_TOKENS, Method


class KGTMethod(Method):
    name = "kgt"

    def __init__(self, model: LanguageModel, settings: Settings):
        self.model = model
        self._directory = tempfile.TemporaryDirectory(prefix="kgt-eval-")
        self.store = GraphStore(open_database(Path(self._directory.name) / "graph.db"))
        # The app's own way to learn, so the evaluation measures what the window does.
        self.learner = Learner(model, self.store, settings)
        self.config = self.learner.config
        self.stops: Counter[StopReason] = Counter()  # why each correction's loop stopped
        self.edits = Counter()  # facts added and removed, over all corrections
        self.chosen_by: Counter[ChosenBy] = Counter()  # how each answer's facts were chosen

    def learn(self, query: str, answer: str, subject: str | None) -> None:
        result = self.learner.learn_now(Teaching(query, answer, subject=subject))
        self.stops[result.proposal.plan.stopped_because] += 1
        self.edits.update(added=len(result.applied.added), removed=len(result.applied.removed))

    def answer_prompt(self, query: str, subject: str | None) -> str:
        found = retrieve(self.model, self.store, query, subject=subject, top_n=self.config.top_n)
        self.chosen_by[found.chosen_by] += 1
        return reasoning_prompt(query, found.facts)

    def reply(self, model: LanguageModel, query: str, subject: str | None) -> str:
        """The app's own answer: retrieval, then the reasoning prompt completed. (Not
        through :meth:`answer_prompt`: its count of how facts were chosen describes
        the scored prompts.)"""
        _, pieces = stream_retrieved_answer(
            model,
            self.store,
            query,
            subject=subject,
            top_n=self.config.top_n,
            max_tokens=REPLY_TOKENS,
        )
        return "".join(pieces)

    def notes(self) -> list[str]:
        total = sum(self.stops.values())
        if not total:
            return []
        chosen = ", ".join(f"{how} {count}" for how, count in sorted(self.chosen_by.items()))
        return [
            f"kgt: {self.stops[StopReason.THRESHOLD]} of {total} corrections stopped at eps, "
            f"{self.stops[StopReason.EXHAUSTED]} added every candidate; per correction "
            f"{self.edits['added'] / total:.2f} facts added, "
            f"{self.edits['removed'] / total:.2f} removed on average",
            f'kgt: how the answer prompts\' facts were chosen: {chosen} ("none": no '
            "known subject or no facts, the model alone's prompt; docs/METHOD.md §7)",
        ]

    def close(self) -> None:
        self.store.db.close()
        self._directory.cleanup()
