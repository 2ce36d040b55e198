"""The language-model interface the core talks to.

The llama.cpp backend and the deterministic fake (both in ``models/``) implement it.
Scoring follows the lm-evaluation-harness contract: a (context, continuation) pair
gives the summed log-probability of the continuation's tokens, how many there are,
and whether greedy decoding would have produced exactly them. The leading space
belongs to the continuation (" vegetables").
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class ScoreRequest:
    context: str
    continuation: str


@dataclass(frozen=True)
class Score:
    sum_logprob: float
    n_tokens: int
    is_greedy: bool

    @property
    def mean_logprob(self) -> float:
        """Mean per-token log-probability: the score ROME's metrics (and ours) compare."""
        return self.sum_logprob / max(self.n_tokens, 1)


class Role(StrEnum):
    """Who says a chat message; the values are the chat templates' and the database's."""

    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str


class LanguageModel(ABC):
    """A loaded model: tokenize, score continuations in batches, stream text."""

    #: A short display name (file name or catalog name).
    name: str = "model"
    #: Tokens the model can attend to at once.
    context_length: int = 2048

    @abstractmethod
    def tokenize(self, text: str) -> list[int]:
        """Token ids of ``text`` as the model sees it (no special tokens added)."""

    @abstractmethod
    def score(self, requests: Sequence[ScoreRequest]) -> list[Score]:
        """Score every request; requests sharing a context may share its computation."""

    @abstractmethod
    def complete(
        self,
        prompt: str,
        *,
        max_tokens: int,
        stop: Sequence[str] = (),
        temperature: float = 0.0,
    ) -> Iterator[str]:
        """Stream the continuation of a raw prompt, piece by piece.

        Closing the iterator early (``break``) cancels generation.
        """

    @abstractmethod
    def chat(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        temperature: float = 0.7,
    ) -> Iterator[str]:
        """Stream an assistant reply using the model's own chat template."""

    def count_tokens(self, text: str) -> int:
        return len(self.tokenize(text))

    def prefill(self, prompts: Sequence[str]) -> None:
        """Evaluate ``prompts`` ahead of time, so that later calls whose prompts start
        with them go faster (a correction's answer-independent prompts, while the user
        is still typing the answer). Only a speed-up: a backend may do nothing."""

    def forget_cache(self) -> None:
        """Drop every cached prompt. A backend may keep recent prompts (which quote
        the user's facts) to reuse their prefixes; after facts are deleted, call this
        so that no copy of them stays in memory."""

    def close(self) -> None:
        """Free native resources; the model is unusable afterwards."""
