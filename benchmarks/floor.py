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
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from assistant.api import ChatMessage, LanguageModel, Score, ScoreRequest
from assistant.timing import ms_since
from models.llama_backend import LlamaLanguageModel
from models.prefix_tree import PrefixTree, count_shared_tokens, count_unique_tokens


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


#: The floor context: one correction's unique tokens and the rows scoring reads.
FLOOR_CONTEXT_TOKENS = 2048
FLOOR_OUTPUT_ROWS = 256


class FloorContext:
    """A small second context over the model's weights, so that measuring a floor
    between two corrections leaves the scoring context's caches as they were."""

    def __init__(self, model: LlamaLanguageModel):
        self._context = model.new_context(FLOOR_CONTEXT_TOKENS, FLOOR_OUTPUT_ROWS)

    @property
    def max_rows(self) -> int:
        return self._context.max_rows

    def evaluate_once(self, tokens: list[int], n_outputs: int = 1) -> None:
        """Decode ``tokens`` as one fresh sequence in one batch, reading the last
        ``n_outputs`` rows: the floor of a workload."""
        if len(tokens) > self._context.context_tokens:
            raise ValueError(f"{len(tokens)} tokens exceed the floor context")
        self._context.forget()
        first_output = len(tokens) - n_outputs
        self._context.decode([(t, pos, (0,), pos >= first_output) for pos, t in enumerate(tokens)])

    def evaluate_next(self, token: int, pos: int) -> None:
        """One more token after :meth:`evaluate_once`: a generation step's decode."""
        self._context.decode([(token, pos, (0,), True)])


_floors: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def floor_context(model: LlamaLanguageModel) -> FloorContext:
    """The model's floor context, made on first use and kept while the model lives."""
    if model not in _floors:
        _floors[model] = FloorContext(model)
    return _floors[model]


def measure_floor_ms(model: LlamaLanguageModel, work: Workload, other: Workload) -> float:
    """Time of the floor of ``work``: its unique tokens in one batch, then one
    single-token decode per generated token after the first."""
    n_tokens = unique_tokens(work, other)
    pool = [t for tokens in work.sequences for t in tokens]
    tokens = (pool * (n_tokens // max(len(pool), 1) + 1))[:n_tokens]
    floor = floor_context(model)
    rows = min(output_rows(work), n_tokens, floor.max_rows)
    start = time.perf_counter()
    floor.evaluate_once(tokens, rows)
    for step in range(max(work.generated - 1, 0)):
        floor.evaluate_next(tokens[step % len(tokens)], n_tokens + step)
    return ms_since(start)
