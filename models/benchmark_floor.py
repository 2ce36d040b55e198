"""What a correction asks of the model, in tokens, and the physical floor of that work.

:class:`RecordingModel` wraps the real backend and notes every prompt a correction
generates from and every scoring request it makes. From those:

- the correction's unique prompt tokens: every prompt as tokens, laid out as one
  prefix tree (a shared beginning counts once), minus the template text that every
  correction has in common (found by comparing with a different correction: a warm
  process keeps it cached, so no correction has to evaluate it);
- the floor: llama.cpp evaluating that many tokens once, in ONE batch, with the
  logits rows that scoring must read, plus one single-token decode per generated
  token after the first. Nothing can be faster without processing fewer tokens.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from assistant.llm import ChatMessage, LanguageModel, Score, ScoreRequest

from .llama_backend import LlamaLanguageModel
from .prefix_tree import PrefixTree, count_shared_tokens, count_unique_tokens


@dataclass
class Workload:
    """The prompts one correction evaluated, as token lists."""

    sequences: list[list[int]] = field(default_factory=list)  # what must be evaluated
    scoring: list[tuple[list[int], int]] = field(default_factory=list)  # (tokens, boundary)
    generated: int = 0
    decoded: int = 0  # tokens the backend actually decoded (caches make it fewer)


class RecordingModel(LanguageModel):
    """The backend, unchanged, noting what it is asked (cheap: no model work)."""

    def __init__(self, model: LlamaLanguageModel):
        self.model = model
        self.name = model.name
        self.context_length = model.context_length
        self.prompts: list[str] = []
        self.requests: list[ScoreRequest] = []

    def reset(self) -> None:
        self.prompts, self.requests = [], []

    def tokenize(self, text: str) -> list[int]:
        return self.model.tokenize(text)

    def score(self, requests: Sequence[ScoreRequest]) -> list[Score]:
        self.requests.extend(requests)
        return self.model.score(requests)

    def complete(
        self, prompt: str, *, max_tokens: int, stop: Sequence[str] = (), temperature: float = 0.0
    ) -> Iterator[str]:
        self.prompts.append(prompt)
        return self.model.complete(
            prompt, max_tokens=max_tokens, stop=stop, temperature=temperature
        )

    def chat(
        self, messages: Sequence[ChatMessage], *, max_tokens: int, temperature: float = 0.7
    ) -> Iterator[str]:
        return self.model.chat(messages, max_tokens=max_tokens, temperature=temperature)

    def close(self) -> None:
        self.model.close()


def workload_of(recorder: RecordingModel, generated: int, decoded: int) -> Workload:
    """The recorded prompts as tokens (each scoring request without its last token,
    which nothing needs: its row would predict past the continuation)."""
    model = recorder.model
    work = Workload(generated=generated, decoded=decoded)
    for prompt in recorder.prompts:
        work.sequences.append(model.tokenize_scored(prompt))
    for request in recorder.requests:
        whole = model.tokenize_scored(request.context + request.continuation)
        context = model.tokenize_scored(request.context)
        boundary = max(_common(context, whole), 1)
        if boundary < len(whole):
            work.scoring.append((whole, boundary))
            work.sequences.append(whole[:-1])
    return work


def _common(a: list[int], b: list[int]) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def unique_tokens(work: Workload, other: Workload) -> int:
    """Prompt tokens this correction must evaluate: its prefix tree minus the
    template text it shares with a different correction ``other``."""
    return count_unique_tokens(work.sequences) - count_shared_tokens(
        work.sequences, other.sequences
    )


def output_rows(work: Workload) -> int:
    """Distinct logits rows scoring reads (one row can serve several requests), plus
    the row that gives generation its first token."""
    tree = PrefixTree()
    for seq, (tokens, boundary) in enumerate(work.scoring):
        tree.add(seq, tokens, 0, boundary - 1)
    return sum(1 for node in tree.batch_nodes() if node.output) + (1 if work.generated else 0)


def measure_floor_ms(model: LlamaLanguageModel, work: Workload, other: Workload) -> float:
    """Time of the floor of ``work``: its unique tokens in one batch, then one
    single-token decode per generated token after the first."""
    n_tokens = unique_tokens(work, other)
    pool = [t for tokens in work.sequences for t in tokens]
    tokens = (pool * (n_tokens // max(len(pool), 1) + 1))[:n_tokens]
    rows = min(output_rows(work), n_tokens, model.max_output_rows)
    start = time.perf_counter()
    model.evaluate_once(tokens, rows)
    for step in range(max(work.generated - 1, 0)):
        model.evaluate_next(tokens[step % len(tokens)], n_tokens + step)
    return (time.perf_counter() - start) * 1000.0
