"""Stopping a generated reply where it starts to repeat itself.

A small model, left to run, often says a sentence and then says it again and again
until the token budget runs out. A stream of pieces is passed through unchanged until
a sentence (or line) repeats one already said, word for word (case, spacing and
punctuation aside): there the reply stops, without the repeat. While the sentence
being written could still turn out to be a repeat (it starts like an earlier one),
its pieces are held back, so the person never sees the repeated words; any other text
streams as it comes. A loop inside one sentence ("and the sea and the sea and the
sea") stops at its third turn.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: Where a sentence ends: a full stop, question or exclamation mark before a space,
#: or a line break.
_END = re.compile(r"(?<=[.!?])\s+|\n+")
#: A repeated sentence this short ("Yes.", "1.") is no loop.
MIN_WORDS = 3
#: Inside a sentence: the longest run of words checked for turning three times.
MAX_PERIOD = 12


def _key(sentence: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", sentence.casefold()).split())


def until_repetition(pieces: Iterator[str]) -> Iterator[str]:
    """``pieces`` until a sentence repeats an earlier one (module docstring). Closing
    the returned stream closes ``pieces``."""
    said: set[str] = set()
    held = ""  # streamed text not yet passed on: the start of a possible repeat
    current = ""  # the sentence being written, as far as it goes
    try:
        for piece in pieces:
            current += piece
            held += piece
            while (match := _END.search(current)) is not None:
                sentence, current = current[: match.start()], current[match.end() :]
                key = _key(sentence)
                if _is_repeat(key, said):
                    return  # the repeat is what was held back: it is never shown
                if key:
                    said.add(key)
            partial = _key(current)
            if _turns(partial.split()):
                return
            if not _could_repeat(partial, said):
                yield held
                held = ""
        if held and not _is_repeat(_key(current), said):
            yield held
    finally:
        close = getattr(pieces, "close", None)
        if close is not None:
            close()


def _is_repeat(key: str, said: set[str]) -> bool:
    return key in said and len(key.split()) >= MIN_WORDS


def _turns(words: list[str]) -> bool:
    """The last few words said three times over, back to back."""
    for period in range(1, MAX_PERIOD + 1):
        if len(words) < 3 * period:
            break
        last = words[-period:]
        if words[-2 * period : -period] == last and words[-3 * period : -2 * period] == last:
            return True
    return False


def _could_repeat(partial: str, said: set[str]) -> bool:
    """Whether the sentence being written starts like one already said."""
    return bool(partial) and any(s.startswith(partial) for s in said)
