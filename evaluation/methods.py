"""What every evaluated method does: learn one correction, and build its answer prompt.

A method is scored through its own answer pipeline: the runner asks it for the exact
prompt it would answer a query with, then scores the candidate answers after that
prompt (:meth:`LanguageModel.score`, one call per prompt and its targets, so each
prompt is decoded once and shared starts stay in the backend's prefix cache). With
``--generate`` its greedy reply (:meth:`Method.reply`) is judged as well.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from assistant.answering.answer import ANSWER_STOPS
from assistant.api import LanguageModel

#: Tokens a generated reply may take: one short line, like the chat's answers with facts.
REPLY_TOKENS = 64


class Method(ABC):
    """One way of personalising the model, learning cases online."""

    name: str = "method"

    @abstractmethod
    def learn(self, query: str, answer: str, subject: str | None) -> None:
        """Take in the user's correction ``answer`` to ``query`` (subject hidden if None)."""

    @abstractmethod
    def answer_prompt(self, query: str, subject: str | None) -> str:
        """The prompt the method would answer ``query`` with, right now."""

    def reply(self, model: LanguageModel, query: str, subject: str | None) -> str:
        """The method's greedy reply to ``query``: its answer prompt completed, one line."""
        pieces = model.complete(
            self.answer_prompt(query, subject),
            max_tokens=REPLY_TOKENS,
            stop=ANSWER_STOPS,
            temperature=0.0,
        )
        return "".join(pieces)

    def notes(self) -> list[str]:
        """Caveats worth reporting (e.g. facts that did not fit the context)."""
        return []

    def close(self) -> None:
        """Release what the method holds (temporary stores)."""
