"""A low-level llama.cpp context that keeps a few prompt prefixes cached between calls.

One context over the already-loaded weights serves scoring and greedy generation.
Sequence ids 0 .. CACHE_SLOTS-1 hold cached prefixes (the relation-extraction
instruction, the reasoning prompt's instruction and question, the prompts a correction
prepares while the user types, see ``LlamaLanguageModel.prefill``);
the work of one call uses the ids after them and is released at the next call. A new
request that starts like a cached prefix gets those tokens by ``llama_memory_seq_cp``
(a cell-level copy: the unified KV cache stores them once) instead of decoding them.

The validations here matter: llama.cpp crashes the process, with no Python exception,
on more output rows than ``n_outputs_max`` or a sequence id past ``n_seq_max``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.errors import ModelError

#: Sequences reserved for cached prefixes: the relation template and the question
#: of the last answer, plus the ~10 prompts a correction prepares at thumbs-down (the
#: relation prompt's head, the model alone's prompt, the best facts' prompts). A slot
#: costs nothing until filled, and a filled one shares its cells with the others.
CACHE_SLOTS = 12
#: The first sequence id a call's own work may use.
FIRST_WORK_SEQ = CACHE_SLOTS
#: Sequences in the context: cached prefixes plus the requests decoded together.
MAX_SEQUENCES = 64
#: Logits rows one decode may return, and the memory their buffer (rows x vocabulary
#: floats, allocated up front) may take.
MAX_OUTPUT_ROWS = 512
OUTPUT_BUFFER_BYTES = 256 * 1024 * 1024
#: A prefix shorter than this is not worth a cache slot.
MIN_CACHED_TOKENS = 4


def common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


class CachedContext:
    """The scoring/generation context and its cached prefixes."""

    def __init__(
        self,
        lib,
        model,
        n_vocab: int,
        threads: int,
        context_tokens: int,
        max_rows: int = MAX_OUTPUT_ROWS,
    ):
        self.lib = lib
        self._model = model
        self.n_vocab = n_vocab
        self._threads = threads
        self.context_tokens = context_tokens
        self.max_rows = max(32, min(max_rows, OUTPUT_BUFFER_BYTES // (4 * n_vocab)))
        self.max_work_seqs = MAX_SEQUENCES - FIRST_WORK_SEQ
        self._ctx = None
        self._cached: list[list[int]] = [[] for _ in range(CACHE_SLOTS)]
        self._last_used = [0] * CACHE_SLOTS
        self._written = [0] * CACHE_SLOTS  # the call (clock) that last filled each slot
        self._clock = 0
        self._work_seqs = 0
        #: Tokens decoded so far (all calls), for benchmarks.
        self.tokens_decoded = 0
        self.decode_calls = 0  # llama_decode calls: one per generation step
        self._last_outputs = 0

    # ----- the context ----------------------------------------------------------

    @property
    def ctx(self):
        if self._ctx is None:
            self._ctx = self._create()
        return self._ctx

    def _create(self):
        params = self.lib.llama_context_default_params()
        params.n_ctx = self.context_tokens
        params.n_batch = self.context_tokens
        params.n_ubatch = min(512, self.context_tokens)
        params.n_seq_max = MAX_SEQUENCES
        params.n_outputs_max = self.max_rows
        params.n_threads = self._threads
        params.n_threads_batch = self._threads
        params.kv_unified = True  # a shared prefix is stored once for all sequences
        ctx = self.lib.llama_init_from_model(self._model, params)
        if not ctx:
            raise ModelError("llama.cpp could not create a scoring context (out of memory?)")
        return ctx

    @property
    def memory(self):
        return self.lib.llama_get_memory(self.ctx)

    def cached_tokens(self) -> int:
        return sum(len(prefix) for prefix in self._cached)

    def close(self) -> None:
        if self._ctx is not None:
            self.lib.llama_free(self._ctx)
            self._ctx = None

    # ----- one call's work ------------------------------------------------------

    def begin(self, n_seqs: int) -> None:
        """Release the previous call's sequences; this call uses ``n_seqs`` of them."""
        if n_seqs > self.max_work_seqs:
            raise ValueError(f"{n_seqs} sequences in one call (at most {self.max_work_seqs})")
        mem = self.memory
        for seq in range(FIRST_WORK_SEQ, FIRST_WORK_SEQ + self._work_seqs):
            self.lib.llama_memory_seq_rm(mem, seq, -1, -1)
        self._work_seqs = n_seqs
        self._clock += 1

    def cached_length(self, tokens: Sequence[int]) -> int:
        """How many tokens of ``tokens`` the cache holds (its longest cached prefix)."""
        return self._best_slot(tokens)[1]

    def _best_slot(self, tokens: Sequence[int]) -> tuple[int, int]:
        best_slot, best = 0, 0
        for slot, cached in enumerate(self._cached):
            shared = common_prefix(cached, tokens)
            if shared > best:
                best_slot, best = slot, shared
        return best_slot, best

    def reuse(self, seq: int, tokens: Sequence[int], limit: int) -> int:
        """Give ``seq`` the longest cached prefix of ``tokens``, at most ``limit``
        tokens; returns how many it got (the caller decodes from there)."""
        best_slot, best = self._best_slot(tokens)
        start = min(best, limit)
        if start > 0:
            self.lib.llama_memory_seq_cp(self.memory, best_slot, seq, 0, start)
            self._last_used[best_slot] = self._clock
        return start

    def remember(self, prefix: list[int], seq: int) -> None:
        """Cache ``prefix`` (which ``seq`` holds) for later calls: in a slot whose
        prefix it extends (an empty slot, or a shorter version of itself), else in
        the least recently used slot. A prefix some slot already holds is not stored
        twice.

        Never in a slot this same call filled: a call remembers its biggest group
        first (a correction's question and subject, which its next call starts with),
        and a smaller group that shares only the instruction with it (the model
        alone's prompt) must not push it out. Measured on bench corrections: the
        second scoring call decoded the question again, ~22 tokens (~45 ms). Nor in
        a slot holding a different prefix that merely shares a beginning with this
        one, while an older slot could go: that slot's own continuation is likely
        wanted again (the question of the answer being corrected)."""
        if len(prefix) < MIN_CACHED_TOKENS:
            return
        for slot, cached in enumerate(self._cached):
            if common_prefix(cached, prefix) == len(prefix):
                self._last_used[slot] = self._clock  # already held
                return
        free = [s for s in range(CACHE_SLOTS) if self._written[s] != self._clock]
        if not free:
            return
        superseded = [
            s for s in free if common_prefix(self._cached[s], prefix) == len(self._cached[s])
        ]
        slot = (
            max(superseded, key=lambda s: len(self._cached[s]))
            if superseded
            else min(free, key=lambda s: self._last_used[s])
        )
        mem = self.memory
        self.lib.llama_memory_seq_rm(mem, slot, -1, -1)
        self.lib.llama_memory_seq_cp(mem, seq, slot, 0, len(prefix))
        self._cached[slot] = list(prefix)
        self._last_used[slot] = self._written[slot] = self._clock

    def truncate(self, seq: int, from_pos: int) -> None:
        """Drop ``seq``'s tokens at positions ``from_pos`` and after (rejected drafts)."""
        self.lib.llama_memory_seq_rm(self.memory, seq, from_pos, -1)

    def forget(self) -> None:
        """Drop every cached prefix: the next call decodes everything."""
        if self._ctx is not None:
            self.lib.llama_memory_clear(self.memory, True)
        self._cached = [[] for _ in range(CACHE_SLOTS)]
        self._work_seqs = 0

    # ----- decoding -------------------------------------------------------------

    def decode(self, entries: Sequence[tuple[int, int, Sequence[int], bool]]) -> None:
        """Decode (token, position, sequence ids, wants logits) entries in one batch."""
        lib = self.lib
        outputs = sum(1 for entry in entries if entry[3])
        if outputs > self.max_rows:
            raise ValueError(f"{outputs} logits rows in one decode (at most {self.max_rows})")
        batch = lib.llama_batch_init(len(entries), 0, MAX_SEQUENCES)
        try:
            for slot, (token, pos, seqs, output) in enumerate(entries):
                batch.token[slot] = token
                batch.pos[slot] = pos
                batch.n_seq_id[slot] = len(seqs)
                for k, seq in enumerate(seqs):
                    batch.seq_id[slot][k] = seq
                batch.logits[slot] = output
            batch.n_tokens = len(entries)
            status = lib.llama_decode(self.ctx, batch)
        finally:
            lib.llama_batch_free(batch)
        if status != 0:
            raise ModelError(
                f"llama.cpp failed to evaluate a prompt (llama_decode returned {status})"
            )
        self.tokens_decoded += len(entries)
        self.decode_calls += 1
        self._last_outputs = outputs

    def logits(self) -> np.ndarray:
        """The last decode's logits rows (in batch order), as a numpy view: no copy."""
        return np.ctypeslib.as_array(
            self.lib.llama_get_logits(self.ctx), shape=(self._last_outputs, self.n_vocab)
        )
