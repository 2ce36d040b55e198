"""The llama.cpp backend of :class:`assistant.llm.LanguageModel`.

Scoring and greedy completion run on one low-level context over the loaded weights
(:mod:`models.llama_context`), which keeps the prompts' shared beginnings cached
between calls; scoring puts every request of a call in one prefix tree and one decode
(:mod:`models.llama_scoring`). Chat and sampled completions go through
``llama_cpp.Llama`` (its chat template comes from the GGUF's metadata).

Each scored (context, continuation) is tokenised once as a whole and sliced where the
context's own tokens end (a separately tokenised prefix is not always a prefix); a
token that straddles the boundary belongs to the continuation.

Threads: one per physical core by default (llama.cpp's own choice), or
ASSISTANT_THREADS. Desktop CPUs often report two logical cores per physical core,
which llama.cpp cannot use twice, and its worker threads spin at every layer: with
hyper-threads counted, a decode measured here ran 3-5 times slower. On this 2-core
machine (one thread per core) two threads evaluate prompts 1.8x faster than one.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterator, Sequence

from assistant.errors import ContextOverflowError, ModelError
from assistant.llm import ChatMessage, LanguageModel, Score, ScoreRequest

from .llama_context import CachedContext, common_prefix
from .llama_generation import greedy_tokens, stream_text
from .llama_scoring import Prepared, prefill_tokens, score_prepared

#: Tokens the scoring context holds: cached prefixes plus one decode's prefix tree.
SCORE_CONTEXT_TOKENS = 8192
#: Scores remembered by request. An answer ranks the subject's relations after its
#: question; a correction of that answer needs the same retrieval scores again (the
#: question, subject and relations are the same), and a repeated question costs
#: nothing. A few thousand small entries; the oldest go first.
SCORE_MEMO_ENTRIES = 4096


def default_threads() -> int:
    """ASSISTANT_THREADS, else the number of physical cores this process may use."""
    override = os.environ.get("ASSISTANT_THREADS", "").strip()
    if override.isdigit() and int(override) > 0:
        return int(override)
    return physical_cores()


def physical_cores() -> int:
    """Physical cores among the CPUs this process may run on (Linux: from the CPU
    topology; elsewhere, or when it cannot be read: half the logical cores)."""
    try:
        usable = os.sched_getaffinity(0)
    except AttributeError:  # macOS, Windows
        return max(1, (os.cpu_count() or 2) // 2)
    cores = set()
    for cpu in usable:
        try:
            with open(f"/sys/devices/system/cpu/cpu{cpu}/topology/thread_siblings_list") as f:
                cores.add(f.read().strip())
        except OSError:
            return max(1, len(usable) // 2)
    return max(1, len(cores))


class LlamaLanguageModel(LanguageModel):
    """A GGUF model loaded with llama.cpp."""

    def __init__(
        self,
        path: str,
        *,
        context_length: int = 4096,
        n_gpu_layers: int = 0,
        n_threads: int | None = None,
        score_context_tokens: int = SCORE_CONTEXT_TOKENS,
        name: str | None = None,
        kv_overrides: dict[str, bool | int | float | str] | None = None,
    ):
        """``kv_overrides`` replace GGUF metadata values at load, as the
        llama-cpp-python server's --kv_overrides does (e.g. to give a model without
        one a BOS token, so both evaluate the same tokens)."""
        import llama_cpp

        self._lib = llama_cpp
        self.name = name or os.path.basename(path)
        threads = self._threads = n_threads or default_threads()
        try:
            self._llm = llama_cpp.Llama(
                model_path=str(path),
                n_ctx=context_length,
                n_gpu_layers=n_gpu_layers,
                n_threads=threads,
                n_threads_batch=threads,
                logits_all=False,
                kv_overrides=kv_overrides,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as error:
            raise ModelError(f"cannot load model {path}: {error}") from None
        self.context_length = self._llm.n_ctx()
        self._vocab = llama_cpp.llama_model_get_vocab(self._llm.model)
        self._add_bos = bool(llama_cpp.llama_vocab_get_add_bos(self._vocab))
        self._pieces: dict[int, bytes] = {}
        self._cache = CachedContext(
            llama_cpp,
            self._llm.model,
            llama_cpp.llama_vocab_n_tokens(self._vocab),
            threads,
            max(score_context_tokens, self.context_length),
        )
        self._memo: dict[ScoreRequest, Score] = {}
        self._contexts: list[CachedContext] = []
        #: Tokens produced by greedy completion so far, for benchmarks.
        self.tokens_generated = 0

    # ----- tokens ----------------------------------------------------------------

    def tokenize(self, text: str) -> list[int]:
        return self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)

    def tokenize_scored(self, text: str) -> list[int]:
        """Tokens of a prompt as this backend evaluates it (with BOS if the model
        wants one)."""
        return self._llm.tokenize(text.encode("utf-8"), add_bos=self._add_bos, special=False)

    def _piece(self, token: int) -> bytes:
        piece = self._pieces.get(token)
        if piece is None:
            buffer = ctypes.create_string_buffer(64)
            n = self._lib.llama_token_to_piece(self._vocab, token, buffer, 64, 0, False)
            piece = self._pieces[token] = buffer.raw[: max(n, 0)]
        return piece

    @property
    def tokens_decoded(self) -> int:
        """Tokens evaluated on the scoring/generation context so far, for benchmarks."""
        return self._cache.tokens_decoded

    # ----- scoring ---------------------------------------------------------------

    def score(self, requests: Sequence[ScoreRequest]) -> list[Score]:
        """Scores of ``requests``; those scored before come from the memo (the score
        of the same text, up to llama.cpp's batch-split arithmetic noise)."""
        missing = [r for r in dict.fromkeys(requests) if r not in self._memo]
        if missing:
            for request, score in zip(missing, self._score(missing, use_cache=True)):
                self._memo[request] = score
            while len(self._memo) > SCORE_MEMO_ENTRIES:
                del self._memo[next(iter(self._memo))]
        return [self._memo[r] for r in requests]

    def prefill(self, prompts: Sequence[str]) -> None:
        """Decode ``prompts`` into the prefix cache now (a correction's, while the user
        types its answer), so that later calls starting with them skip those tokens."""
        tokens = [self.tokenize_scored(p) for p in dict.fromkeys(prompts)]
        limit = self._cache.context_tokens // 4
        prefill_tokens(self._cache, [t for t in tokens if len(t) <= limit])

    def score_separately(self, requests: Sequence[ScoreRequest]) -> list[Score]:
        """The naive way, for comparison: each request's whole prompt decoded on its
        own (no shared prefix, no cache), still reading only the needed rows."""
        return [self._score([r], use_cache=False)[0] for r in requests]

    def _score(self, requests: Sequence[ScoreRequest], use_cache: bool) -> list[Score]:
        context_tokens: dict[str, list[int]] = {}  # requests often share a context
        prepared = [self._prepare(i, r, context_tokens) for i, r in enumerate(requests)]
        scorable = [p for p in prepared if p.boundary < len(p.tokens)]
        scores = score_prepared(self._cache, scorable, use_cache) if scorable else []
        scored = dict(zip((p.index for p in scorable), scores))
        return [scored.get(p.index, Score(0.0, 0, True)) for p in prepared]

    def _prepare(
        self, index: int, request: ScoreRequest, context_tokens: dict[str, list[int]]
    ) -> Prepared:
        whole = self.tokenize_scored(request.context + request.continuation)
        limit = self._cache.context_tokens // 4
        if len(whole) > limit:
            raise ContextOverflowError(
                f"a prompt of {len(whole)} tokens is too long to score (limit {limit})"
            )
        context = context_tokens.get(request.context)
        if context is None:
            context = context_tokens[request.context] = self.tokenize_scored(request.context)
        boundary = max(common_prefix(context, whole), 1)
        if len(whole) - boundary > self._cache.max_rows:
            raise ContextOverflowError(
                f"a continuation of {len(whole) - boundary} tokens is too long to score"
            )
        return Prepared(index, whole, boundary)

    # ----- more contexts ---------------------------------------------------------

    def new_context(self, context_tokens: int, max_rows: int) -> CachedContext:
        """A second context over the same weights (its own KV cells and caches): work
        on it leaves the scoring context's cached prefixes as they were."""
        context = CachedContext(
            self._lib,
            self._llm.model,
            self._cache.n_vocab,
            self._threads,
            context_tokens,
            max_rows=max_rows,
        )
        self._contexts.append(context)  # freed by close(), before the weights
        return context

    def forget_cache(self) -> None:
        """Drop the cached prompt prefixes: the next call starts cold. Also wipes the
        chat path's state (``llama_cpp.Llama`` keeps the last prompt's tokens and KV
        cells), so that after a delete no copy of a fact stays in memory."""
        self._cache.forget()
        self._memo.clear()  # its keys quote facts too
        if self._llm is not None:
            self._llm.reset()
            self._llm._input_ids[:] = 0
            self._llm._ctx.kv_cache_clear()

    # ----- generation ------------------------------------------------------------

    def complete(
        self, prompt: str, *, max_tokens: int, stop: Sequence[str] = (), temperature: float = 0.0
    ) -> Iterator[str]:
        tokens = self.tokenize_scored(prompt)
        self._check_room(len(tokens) + max_tokens)
        if temperature > 0 or not tokens:
            return self._sampled(prompt, max_tokens, stop, temperature)
        return stream_text(
            self._counted(greedy_tokens(self._cache, tokens, max(1, max_tokens), self._is_end)),
            self._piece,
            stop,
        )

    def _counted(self, tokens: Iterator[int]) -> Iterator[int]:
        try:
            for token in tokens:
                self.tokens_generated += 1
                yield token
        finally:
            tokens.close()

    def _is_end(self, token: int) -> bool:
        return bool(self._lib.llama_vocab_is_eog(self._vocab, token))

    def _sampled(
        self, prompt: str, max_tokens: int, stop: Sequence[str], temperature: float
    ) -> Iterator[str]:
        stream = self._llm.create_completion(
            prompt,
            max_tokens=max(1, max_tokens),
            stop=list(stop) or None,
            temperature=temperature,
            stream=True,
        )
        return self._texts(stream, lambda chunk: chunk["choices"][0].get("text", ""))

    def chat(
        self, messages: Sequence[ChatMessage], *, max_tokens: int, temperature: float = 0.7
    ) -> Iterator[str]:
        stream = self._llm.create_chat_completion(
            [{"role": str(m.role), "content": m.content} for m in messages],
            max_tokens=max(1, max_tokens),
            temperature=temperature,
            stream=True,
        )
        return self._texts(stream, lambda chunk: chunk["choices"][0]["delta"].get("content") or "")

    @staticmethod
    def _texts(stream, text_of) -> Iterator[str]:
        try:
            for chunk in stream:
                text = text_of(chunk)
                if text:
                    yield text
        finally:
            stream.close()

    def _check_room(self, needed: int) -> None:
        if needed > self.context_length:
            raise ContextOverflowError(
                f"the prompt needs {needed} tokens but the model's context holds "
                f"{self.context_length}; shorten the message"
            )

    def close(self) -> None:
        for context in getattr(self, "_contexts", ()):
            context.close()  # before the weights they run on
        self._contexts = []
        if getattr(self, "_cache", None) is not None:
            self._cache.close()
            self._cache = None
        if getattr(self, "_llm", None) is not None:
            self._llm.close()
            self._llm = None
