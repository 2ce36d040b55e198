"""Greedy generation on the cached low-level context, and stop strings on its text.

Relation extraction and answers are greedy (temperature 0). Generating them on the
same context as scoring lets their prompts share its cached prefixes: the
relation-extraction instruction stays cached while an answer is generated in between,
and the answer's "instruction + question" is what the correction's scoring of that
same question starts with. Each step is one single-token decode and an argmax over
the last row; the generator stops as soon as its consumer stops asking.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator, Sequence

from .llama_context import FIRST_WORK_SEQ, CachedContext

#: Tokens guessed ahead per step (0: plain one-token steps). Three, measured on 42
#: relation extractions (`scripts/decode_profile.py --drafts`, docs/PERFORMANCE.md):
#: median 227 ms against 251 with four and 280 with six (a guess past the " <sep>"
#: that the n-gram predicts is rarely right, and each costs ~3 ms of batch width),
#: 228 with two (more steps).
DRAFT_TOKENS = 3
#: Longest recent n-gram looked up in the text so far to guess what comes next.
DRAFT_NGRAM = 3


def greedy_tokens(
    cache: CachedContext, prompt: list[int], max_tokens: int, is_end: Callable[[int], bool]
) -> Iterator[int]:
    """Token ids generated greedily after ``prompt`` (ends at an end-of-generation
    token or after ``max_tokens``).

    Prompt-lookup drafting: what the model writes here is mostly copied (the relation
    prompt's " <sep>" and example relations, a fact's object in an answer), so each
    step also decodes up to DRAFT_TOKENS tokens guessed from the last occurrence of
    the text's most recent n-gram, and keeps those the model would have chosen itself
    (its argmax on the row before each). The output is the greedy output; an accepted
    guess saves a whole decode step, a rejected one costs a little batch width.
    """
    draft_tokens = DRAFT_TOKENS  # read per call: tests compare with drafting off
    seq = FIRST_WORK_SEQ
    if cache.cached_tokens() + len(prompt) + max_tokens + draft_tokens > cache.context_tokens:
        cache.forget()  # make room: a long prompt outweighs the cached prefixes
    cache.begin(1)
    start = cache.reuse(seq, prompt, len(prompt) - 1)
    last = len(prompt) - 1
    cache.decode(
        [(token, pos, (seq,), pos == last) for pos, token in enumerate(prompt[start:], start=start)]
    )
    cache.remember(prompt[:last], seq)
    history = list(prompt)
    token = int(cache.logits()[-1].argmax())
    while True:
        if is_end(token):
            return
        yield token
        history.append(token)
        left = len(prompt) + max_tokens - len(history)
        if left <= 0:
            return
        draft = draft_after(history, min(draft_tokens, left - 1))
        pos = len(history) - 1
        cache.decode(
            [(token, pos, (seq,), True)]
            + [(d, pos + 1 + i, (seq,), True) for i, d in enumerate(draft)]
        )
        rows = cache.logits()
        token = int(rows[0].argmax())
        accepted = 0
        for i, guess in enumerate(draft):
            if token != guess or is_end(guess):
                break
            yield guess
            history.append(guess)
            accepted += 1
            token = int(rows[i + 1].argmax())
        if accepted < len(draft):
            cache.truncate(seq, pos + 1 + accepted)


def draft_after(history: Sequence[int], n_tokens: int) -> list[int]:
    """What followed the latest earlier occurrence of the text's last n-gram (the
    longest of DRAFT_NGRAM..1 tokens that occurred before), at most ``n_tokens``."""
    if n_tokens <= 0:
        return []
    for n in range(min(DRAFT_NGRAM, len(history) - 1), 0, -1):
        tail = list(history[-n:])
        for i in range(len(history) - n - 1, -1, -1):
            if history[i] == tail[0] and list(history[i : i + n]) == tail:
                return list(history[i + n : i + n + n_tokens])
    return []


class StopFilter:
    """Cuts streamed text at the first stop string, holding back only the tail that
    could still become one."""

    def __init__(self, stops: Sequence[str]):
        self._stops = [s for s in stops if s]
        self._pending = ""
        self.stopped = False

    def feed(self, text: str) -> str:
        """The text that is now safe to emit; sets ``stopped`` at a stop string."""
        self._pending += text
        cuts = [i for i in (self._pending.find(s) for s in self._stops) if i >= 0]
        if cuts:
            out, self._pending, self.stopped = self._pending[: min(cuts)], "", True
            return out
        held = self._held_back()
        out = self._pending[: len(self._pending) - held]
        self._pending = self._pending[len(self._pending) - held :]
        return out

    def flush(self) -> str:
        out, self._pending = self._pending, ""
        return out

    def _held_back(self) -> int:
        for n in range(
            min(len(self._pending), max((len(s) for s in self._stops), default=0)), 0, -1
        ):
            tail = self._pending[-n:]
            if any(s.startswith(tail) for s in self._stops):
                return n
        return 0


def stream_text(
    tokens: Iterator[int], piece: Callable[[int], bytes], stops: Sequence[str]
) -> Iterator[str]:
    """UTF-8 text of ``tokens`` (a character split across tokens waits for its end),
    cut at the first stop string. Closing this closes ``tokens``."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    stop = StopFilter(stops)
    try:
        for token in tokens:
            text = stop.feed(decoder.decode(piece(token)))
            if text:
                yield text
            if stop.stopped:
                return
        tail = stop.feed(decoder.decode(b"", final=True))
        if not stop.stopped:
            tail += stop.flush()
        if tail:
            yield tail
    finally:
        close = getattr(tokens, "close", None)
        if close:
            close()
