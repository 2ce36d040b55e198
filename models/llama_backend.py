"""The llama.cpp backend of :class:`assistant.llm.LanguageModel`.

Generation and chat go through ``llama_cpp.Llama`` (its chat template comes from the
GGUF's metadata). Scoring uses the low-level API on a second context over the same
loaded weights, because the high-level paths are slow or wrong for this job (see
shared/LLAMA_CPP_NOTES.md): no ``logits_all`` (a full-vocabulary copy per token), no
``create_completion(echo=True)``. Instead:

- each (context, continuation) is tokenised once as a whole and sliced where the
  context's own tokens end (a separately tokenised prefix is not always a prefix);
- requests whose token lists share a prefix are decoded together: the prefix once as
  sequence 0, copied to one sequence per request, then every request's remaining
  tokens in ONE batch, logits requested only on the rows that predict continuation
  tokens;
- log-softmax is computed exactly, in numpy, over just those rows;
- the last decoded prefix stays in the cache, so the next call that starts the same
  way (the same instruction, the same question) decodes only what is new.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.errors import ContextOverflowError, ModelError
from assistant.llm import ChatMessage, LanguageModel, Score, ScoreRequest

#: Sequences (requests) decoded together at most; sequence 0 holds the shared prefix.
MAX_SEQUENCES = 64
#: Tokens the scoring context holds: the shared prefix plus every request's suffix.
SCORE_CONTEXT_TOKENS = 8192
#: A request joins a group when it shares at least this many prefix tokens with it.
MIN_SHARED_TOKENS = 4


@dataclass
class _Prepared:
    index: int
    tokens: list[int]
    boundary: int  # first continuation token


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


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
    ):
        import llama_cpp

        self._lib = llama_cpp
        self.name = name or os.path.basename(path)
        threads = n_threads or max(1, os.cpu_count() or 1)
        try:
            self._llm = llama_cpp.Llama(
                model_path=str(path), n_ctx=context_length, n_gpu_layers=n_gpu_layers,
                n_threads=threads, n_threads_batch=threads, logits_all=False, verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as error:
            raise ModelError(f"cannot load model {path}: {error}") from None
        self.context_length = self._llm.n_ctx()
        self._threads = threads
        self._score_tokens = score_context_tokens
        self._vocab = llama_cpp.llama_model_get_vocab(self._llm.model)
        self._n_vocab = llama_cpp.llama_vocab_n_tokens(self._vocab)
        self._add_bos = bool(llama_cpp.llama_vocab_get_add_bos(self._vocab))
        self._score_ctx = None
        self._cached_prefix: list[int] = []

    # ----- tokens ----------------------------------------------------------------

    def tokenize(self, text: str) -> list[int]:
        return self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)

    def _tokenize_scored(self, text: str) -> list[int]:
        return self._llm.tokenize(text.encode("utf-8"), add_bos=self._add_bos, special=False)

    # ----- scoring ---------------------------------------------------------------

    def score(self, requests: Sequence[ScoreRequest]) -> list[Score]:
        prepared = [self._prepare(i, r) for i, r in enumerate(requests)]
        results: list[Score | None] = [None] * len(prepared)
        scorable = [p for p in prepared if p.boundary < len(p.tokens)]
        for p in prepared:
            if p.boundary >= len(p.tokens):
                results[p.index] = Score(0.0, 0, True)
        for group in self._groups(scorable):
            for p, score in zip(group, self._score_group(group)):
                results[p.index] = score
        return results  # type: ignore[return-value]

    def _prepare(self, index: int, request: ScoreRequest) -> _Prepared:
        whole = self._tokenize_scored(request.context + request.continuation)
        context = self._tokenize_scored(request.context)
        boundary = max(_common_prefix(context, whole), 1)
        if len(whole) > self._score_tokens // 2:
            raise ContextOverflowError(
                f"a prompt of {len(whole)} tokens is too long to score "
                f"(limit {self._score_tokens // 2})"
            )
        return _Prepared(index, whole, boundary)

    def _groups(self, prepared: list[_Prepared]) -> list[list[_Prepared]]:
        """Requests sorted by tokens, split into groups that share a prefix and fit."""
        ordered = sorted(prepared, key=lambda p: p.tokens)
        groups: list[list[_Prepared]] = []
        current: list[_Prepared] = []
        shared = 0
        for p in ordered:
            if current:
                common = min(shared, _common_prefix(current[0].tokens, p.tokens))
                fits = (len(current) + 1 < MAX_SEQUENCES
                        and self._group_tokens(current + [p], common) <= self._score_tokens)
                if common >= MIN_SHARED_TOKENS and fits:
                    current.append(p)
                    shared = common
                    continue
                groups.append(current)
            current, shared = [p], len(p.tokens)
        if current:
            groups.append(current)
        return groups

    @staticmethod
    def _group_tokens(group: list[_Prepared], shared: int) -> int:
        prefix = min([shared] + [p.boundary - 1 for p in group])
        return prefix + sum(len(p.tokens) - prefix for p in group)

    def _score_group(self, group: list[_Prepared]) -> list[Score]:
        lib = self._lib
        ctx = self._scoring_context()
        mem = lib.llama_get_memory(ctx)
        shared = min(_common_prefix(group[0].tokens, p.tokens) for p in group)
        # The prefix must stop before the first row whose logits are needed.
        prefix_len = min([shared] + [p.boundary - 1 for p in group])
        prefix = group[0].tokens[:prefix_len]
        self._decode_prefix(ctx, mem, prefix)
        for seq in range(1, len(group) + 1):
            lib.llama_memory_seq_rm(mem, seq, -1, -1)
            if prefix_len:
                lib.llama_memory_seq_cp(mem, 0, seq, -1, -1)
        return self._decode_suffixes(ctx, group, prefix_len)

    def _decode_prefix(self, ctx, mem, prefix: list[int]) -> None:
        """Keep sequence 0 equal to ``prefix``, decoding only what the cache lacks."""
        lib = self._lib
        keep = _common_prefix(self._cached_prefix, prefix)
        lib.llama_memory_seq_rm(mem, 0, keep, -1)
        self._cached_prefix = self._cached_prefix[:keep]
        todo = prefix[keep:]
        if not todo:
            return
        batch = lib.llama_batch_init(len(todo), 0, 1)
        try:
            for j, token in enumerate(todo):
                self._put(batch, j, token, keep + j, (0,), False)
            batch.n_tokens = len(todo)
            self._check(lib.llama_decode(ctx, batch))
        finally:
            lib.llama_batch_free(batch)
        self._cached_prefix = list(prefix)

    def _decode_suffixes(self, ctx, group: list[_Prepared], prefix_len: int) -> list[Score]:
        lib = self._lib
        total = sum(len(p.tokens) - prefix_len for p in group)
        batch = lib.llama_batch_init(total, 0, 1)
        rows: list[list[int]] = []
        try:
            slot = 0
            for seq, p in enumerate(group, start=1):
                wanted = []
                for pos in range(prefix_len, len(p.tokens)):
                    output = p.boundary - 1 <= pos < len(p.tokens) - 1
                    self._put(batch, slot, p.tokens[pos], pos, (seq,), output)
                    if output:
                        wanted.append(slot)
                    slot += 1
                rows.append(wanted)
            batch.n_tokens = total
            self._check(lib.llama_decode(ctx, batch))
            return [self._score_rows(ctx, wanted, p.tokens[p.boundary:])
                    for wanted, p in zip(rows, group)]
        finally:
            lib.llama_batch_free(batch)

    def _score_rows(self, ctx, slots: list[int], targets: list[int]) -> Score:
        logits = np.stack([
            np.ctypeslib.as_array(self._lib.llama_get_logits_ith(ctx, slot), shape=(self._n_vocab,))
            for slot in slots
        ]).astype(np.float64)
        top = logits.max(axis=1, keepdims=True)
        log_norm = top[:, 0] + np.log(np.exp(logits - top).sum(axis=1))
        target_ids = np.asarray(targets)
        picked = logits[np.arange(len(targets)), target_ids] - log_norm
        greedy = bool(np.all(logits.argmax(axis=1) == target_ids))
        return Score(float(picked.sum()), len(targets), greedy)

    @staticmethod
    def _put(batch, slot: int, token: int, pos: int, seqs: tuple[int, ...], output: bool) -> None:
        batch.token[slot] = token
        batch.pos[slot] = pos
        batch.n_seq_id[slot] = len(seqs)
        for k, seq in enumerate(seqs):
            batch.seq_id[slot][k] = seq
        batch.logits[slot] = output

    @staticmethod
    def _check(status: int) -> None:
        if status != 0:
            raise ModelError(f"llama.cpp failed to evaluate a prompt (llama_decode returned {status})")

    def _scoring_context(self):
        if self._score_ctx is None:
            lib = self._lib
            params = lib.llama_context_default_params()
            params.n_ctx = self._score_tokens
            params.n_batch = self._score_tokens
            params.n_ubatch = min(512, self._score_tokens)
            params.n_seq_max = MAX_SEQUENCES
            params.n_threads = self._threads
            params.n_threads_batch = self._threads
            params.kv_unified = True  # the shared prefix is stored once
            ctx = lib.llama_init_from_model(self._llm.model, params)
            if not ctx:
                raise ModelError("llama.cpp could not create a scoring context (out of memory?)")
            self._score_ctx = ctx
        return self._score_ctx

    # ----- generation ------------------------------------------------------------

    def complete(self, prompt: str, *, max_tokens: int, stop: Sequence[str] = (),
                 temperature: float = 0.0) -> Iterator[str]:
        self._check_room(self.count_tokens(prompt) + max_tokens)
        stream = self._llm.create_completion(
            prompt, max_tokens=max(1, max_tokens), stop=list(stop) or None,
            temperature=temperature, stream=True,
        )
        return self._texts(stream, lambda chunk: chunk["choices"][0].get("text", ""))

    def chat(self, messages: Sequence[ChatMessage], *, max_tokens: int,
             temperature: float = 0.7) -> Iterator[str]:
        stream = self._llm.create_chat_completion(
            [{"role": m.role, "content": m.content} for m in messages],
            max_tokens=max(1, max_tokens), temperature=temperature, stream=True,
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
        if self._score_ctx is not None:
            self._lib.llama_free(self._score_ctx)
            self._score_ctx = None
        if getattr(self, "_llm", None) is not None:
            self._llm.close()
            self._llm = None

