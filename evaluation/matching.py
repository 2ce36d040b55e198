"""Judging a generated reply by the words it says.

The rule of the chat scenarios (data/scenarios/README.md), also used for CounterFact
replies: a reply passes when it contains at least one expected phrase and none of the
rejected ones, case-insensitive, as whole words, with punctuation and extra spaces
ignored. "Pepper is a whippet." contains "whippet" but "whippets" does not, and
"Hillcrest Primary!" contains "hillcrest primary".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Anything that is not a letter or digit separates words; "_" too, since \w keeps it.
_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)


def word_text(text: str) -> str:
    """``text`` as its words only: case-folded, single-spaced, no punctuation."""
    return " ".join(_SEPARATORS.sub(" ", str(text).casefold()).split())


def contains_phrase(reply: str, phrase: str) -> bool:
    """Whether ``phrase`` occurs in ``reply`` as whole words (never inside a word)."""
    wanted = word_text(phrase)
    if not wanted:
        return False  # a phrase of punctuation only says nothing that could be found
    return f" {wanted} " in f" {word_text(reply)} "


def reply_passes(reply: str, expect: Iterable[str], reject: Iterable[str] = ()) -> bool:
    """At least one expected phrase (when any is named) and no rejected one."""
    expect = tuple(expect)
    said = not expect or any(contains_phrase(reply, p) for p in expect)
    return said and not any(contains_phrase(reply, p) for p in reject)


def same_words(first: str, second: str) -> bool:
    """Two replies that say the same words (case, punctuation and spacing aside)."""
    return word_text(first) == word_text(second)
