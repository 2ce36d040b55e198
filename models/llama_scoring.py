"""Exact continuation log-probabilities from llama.cpp, many requests in ONE decode.

For a batch of requests (see shared/LLAMA_CPP_NOTES.md for why not the high-level API):

- the requests' token lists become one prefix tree (:mod:`models.prefix_tree`): a
  shared beginning is decoded once, as tokens that belong to every sequence through
  them, and all requests go in ONE ``llama_decode``; logits are flagged only on rows
  that predict continuation tokens, and each request's last token is never decoded
  (nothing reads its row);
- what a cached prefix already holds is copied, not decoded
  (:class:`models.llama_context.CachedContext`), and the biggest groups' shared
  beginnings are cached for the next call;
- log-softmax is exact and vectorised over just the needed rows, read in place from
  ``llama_get_logits``.

Scores depend slightly (up to ~0.35 nats per continuation on CPU) on how tokens are
split across decode calls: floating-point summation order, not leakage between
sequences (each token attends only to cells of its own sequence).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.llm import Score

from .llama_context import FIRST_WORK_SEQ, MIN_CACHED_TOKENS, CachedContext, common_prefix
from .prefix_tree import PrefixTree


@dataclass
class Prepared:
    """One request as tokens: ``tokens[boundary:]`` is the scored continuation."""

    index: int
    tokens: list[int]
    boundary: int


def score_prepared(
    cache: CachedContext, prepared: list[Prepared], use_cache: bool = True
) -> list[Score]:
    """Scores of ``prepared`` (each with a non-empty continuation), in order."""
    results: dict[int, Score] = {}
    for chunk in _chunks(cache, sorted(prepared, key=lambda p: p.tokens)):
        for p, score in zip(chunk, _score_chunk(cache, chunk, use_cache)):
            results[p.index] = score
    return [results[p.index] for p in prepared]


def prefill_tokens(cache: CachedContext, prompts: list[list[int]]) -> None:
    """Decode each prompt (all but its last token, which a later request decodes for
    the row predicting its continuation) and cache it in a slot of its own, so that a
    later call starting with it decodes only what follows."""
    prepared = [
        Prepared(i, tokens, len(tokens) - 1)
        for i, tokens in enumerate(prompts)
        if len(tokens) > MIN_CACHED_TOKENS
    ]
    for chunk in _chunks(cache, sorted(prepared, key=lambda p: p.tokens)):
        _score_chunk(cache, chunk, use_cache=True, keep_each=True)


def _chunks(cache: CachedContext, ordered: list[Prepared]) -> list[list[Prepared]]:
    """Consecutive runs of (token-sorted) requests that fit one decode."""
    budget = cache.context_tokens - cache.cached_tokens()
    chunks: list[list[Prepared]] = []
    current: list[Prepared] = []
    tokens = rows = 0
    for p in ordered:
        new_tokens = len(p.tokens) - (common_prefix(current[-1].tokens, p.tokens) if current else 0)
        new_rows = len(p.tokens) - p.boundary
        full = (
            len(current) >= cache.max_work_seqs
            or tokens + new_tokens > budget
            or rows + new_rows > cache.max_rows
        )
        if current and full:
            chunks.append(current)
            current, tokens, rows = [], 0, 0
            new_tokens = len(p.tokens)
        current.append(p)
        tokens += new_tokens
        rows += new_rows
    if current:
        chunks.append(current)
    return chunks


def _score_chunk(
    cache: CachedContext, chunk: list[Prepared], use_cache: bool, keep_each: bool = False
) -> list[Score]:
    if not use_cache:
        cache.forget()
    cache.begin(len(chunk))
    # The row predicting the first continuation token must be decoded now.
    links = adjacent_shared(chunk)
    starts = shared_starts(
        chunk,
        [min(cache.cached_length(p.tokens), p.boundary - 1) if use_cache else 0 for p in chunk],
        links,
    )
    tree = PrefixTree()
    rows_of = []
    for k, (p, start) in enumerate(zip(chunk, starts)):
        seq = FIRST_WORK_SEQ + k
        if start:
            cache.reuse(seq, p.tokens, start)
        rows_of.append(tree.add(seq, p.tokens, start, p.boundary - 1))
    nodes = tree.batch_nodes()
    cache.decode([(n.token, n.pos, n.seqs, n.output) for n in nodes])
    row_of_node = {id(n): row for row, n in enumerate(n for n in nodes if n.output)}
    scores = _scores_from_logits(
        cache.logits(), chunk, [[row_of_node[id(n)] for n in rows] for rows in rows_of]
    )
    if keep_each:  # a prefill: every prompt, longest first (the most tokens saved)
        for k in sorted(range(len(chunk)), key=lambda k: -len(chunk[k].tokens)):
            cache.remember(chunk[k].tokens[:-1], FIRST_WORK_SEQ + k)
    elif use_cache:
        for prefix, member in group_prefixes(chunk, links=links):
            cache.remember(prefix, FIRST_WORK_SEQ + member)
    return scores


def adjacent_shared(chunk: list[Prepared]) -> list[int]:
    """Tokens each (token-sorted) request shares with the next one that both decode
    (a request's last token never is); in sorted order a run's shared length is the
    minimum of these."""
    return [
        min(common_prefix(a.tokens, b.tokens), len(a.tokens) - 1, len(b.tokens) - 1)
        for a, b in zip(chunk, chunk[1:])
    ]


def shared_starts(
    chunk: list[Prepared], starts: list[int], links: list[int] | None = None
) -> list[int]:
    """Where each (token-sorted) request starts decoding, so that requests sharing a
    decoded token start at the same position.

    A shared token belongs to several sequences in the batch, and llama.cpp refuses
    ("sequence X is coupled to Y ... but have diverged") unless those sequences hold
    the same cells before it. A request that may reuse fewer cached tokens than its
    neighbour (its continuation starts earlier: a relation scored right after the
    subject, a fact's sentence going on) pulls the neighbour's start down to its own.
    In sorted order, requests sharing a prefix are contiguous, so comparing
    neighbours until nothing changes covers every pair.
    """
    links = adjacent_shared(chunk) if links is None else links
    starts = list(starts)
    changed = True
    while changed:
        changed = False
        for k, shared in enumerate(links):
            low = min(starts[k], starts[k + 1])
            if starts[k] != starts[k + 1] and shared > low:
                starts[k] = starts[k + 1] = low
                changed = True
    return starts


def group_prefixes(
    chunk: list[Prepared], most: int = 2, links: list[int] | None = None
) -> list[tuple[list[int], int]]:
    """(shared beginning, index of a member) of at most ``most`` runs of token-sorted
    requests, chosen to save the most tokens next time (shared length x members, at
    least MIN_CACHED_TOKENS long). Scoring by tokens saved, not by run size, keeps one
    request that shares only the instruction from shrinking a big group's prefix (the
    question and subject every candidate shares) to the instruction. A beginning stops
    before its members' last tokens (never decoded)."""
    links = adjacent_shared(chunk) if links is None else links
    runs: list[tuple[int, int, int, int]] = []  # (tokens saved, first, last, length)
    for first in range(len(chunk)):
        shared = len(chunk[first].tokens) - 1
        for last in range(first, len(chunk)):
            if last > first:
                shared = min(shared, links[last - 1])
            if shared < MIN_CACHED_TOKENS:
                break
            runs.append((shared * (last - first + 1), first, last, shared))
    chosen: list[tuple[int, int, int, int]] = []
    for run in sorted(runs, reverse=True):
        if len(chosen) == most:
            break
        if all(run[2] < other[1] or run[1] > other[2] for other in chosen):
            chosen.append(run)
    return [(chunk[first].tokens[:length], first) for _, first, _, length in chosen]


def _scores_from_logits(
    logits: np.ndarray, chunk: list[Prepared], rows_of: list[list[int]]
) -> list[Score]:
    """Exact log-softmax on the needed rows only, vectorised over all of them."""
    top = logits.max(axis=1)
    best = logits.argmax(axis=1)
    shifted = logits - top[:, None]
    np.exp(shifted, out=shifted)  # in place: rows x vocabulary floats, one buffer
    log_norm = top.astype(np.float64) + np.log(shifted.sum(axis=1, dtype=np.float64))
    scores = []
    for p, rows in zip(chunk, rows_of):
        targets = np.asarray(p.tokens[p.boundary :])
        picked = logits[rows, targets].astype(np.float64) - log_norm[rows]
        scores.append(Score(float(picked.sum()), len(targets), bool(np.all(best[rows] == targets))))
    return scores
