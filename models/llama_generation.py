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


def greedy_tokens(cache: CachedContext, prompt: list[int], max_tokens: int,
                  is_end: Callable[[int], bool]) -> Iterator[int]:
    """Token ids generated greedily after ``prompt`` (ends at an end-of-generation
    token or after ``max_tokens``)."""
    seq = FIRST_WORK_SEQ
    if cache.cached_tokens() + len(prompt) + max_tokens > cache.context_tokens:
        cache.forget()  # make room: a long prompt outweighs the cached prefixes
    cache.begin(1)
    start = cache.reuse(seq, prompt, len(prompt) - 1)
    last = len(prompt) - 1
    cache.decode([(token, pos, (seq,), pos == last)
                  for pos, token in enumerate(prompt[start:], start=start)])
    cache.remember(prompt[:last], seq)
    for pos in range(len(prompt), len(prompt) + max_tokens):
        token = int(cache.logits()[-1].argmax())
        if is_end(token):
            return
        yield token
        if pos + 1 < len(prompt) + max_tokens:
            cache.decode([(token, pos, (seq,), True)])


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
            out, self._pending, self.stopped = self._pending[:min(cuts)], "", True
            return out
        held = self._held_back()
        out = self._pending[:len(self._pending) - held]
        self._pending = self._pending[len(self._pending) - held:]
        return out

    def flush(self) -> str:
        out, self._pending = self._pending, ""
        return out

    def _held_back(self) -> int:
        for n in range(min(len(self._pending), max((len(s) for s in self._stops), default=0)),
                       0, -1):
            tail = self._pending[-n:]
            if any(s.startswith(tail) for s in self._stops):
                return n
        return 0


def stream_text(tokens: Iterator[int], piece: Callable[[int], bytes],
                stops: Sequence[str]) -> Iterator[str]:
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
