"""Whether a known entity's name, found in a message, names that entity there.

Names are looked up by their lower-cased words, so "life" in "Mabel lost their life at"
finds a series called "Life", and "Arthur" in "Arthur Erickson's life" finds another
Arthur. Retrieval would then hand that entity's facts to the reply, which states one
("Life was originally aired on HBO."). Two readings of the message's own text say it
is not the name:

- the name is written with capitals, the message writes it in lower case, and its
  words are everyday English words ("life", "apple");
- another capitalised word follows it directly, so it is the start of a longer name
  ("Berlin Stadtbahn", "United Nations General Assembly", "Arthur Erickson").

Capitals say something only where the writer uses them as English does: a message typed
all in lower case, or in title case ("Where Does Anna Live?"), is taken at its word.

A name not found as written (a folded variant, "my mum" for "my mother", or a
description the lookup adds, "the choir" for "my choir") is taken as named.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .question_statement import word_classes
from .text import words

#: A name's words, separated by anything that is not a letter or digit.
_BETWEEN_WORDS = r"[\W_]+"
_WORD_CHAR = re.compile(r"[\w-]")
#: What may follow a name directly and continue it: a space, then a capitalised word.
_NEXT_NAME_WORD = re.compile(r" +([A-Z][a-z][\w'’-]*)")


def names_entity(
    message: str, names: Iterable[str], is_known: Callable[[str], bool] | None = None
) -> bool:
    """True unless every place ``message`` writes one of ``names`` reads as an everyday
    word or as the start of a longer name. ``names`` is read lazily, in order: the
    first place written as a name settles it. ``is_known`` says whether a word is a
    known name of its own: two names side by side ("Is Oskar Freya's cousin?") are two."""
    seen_any = False
    for name in names:
        if _written_as_is(message, name, is_known):
            return True
        for match in _occurrences(message, name):
            seen_any = True
            everyday = _everyday_word(name, match.group(0))
            if not everyday and not _continues(message, match.end(), is_known):
                return True
    # Every place reads otherwise, unless the message's capitals say nothing.
    return not seen_any or not _capitals_tell(message)


def _written_as_is(message: str, name: str, is_known: Callable[[str], bool] | None) -> bool:
    """The name written with its own capitals, as a whole word, and not continued: the
    common case, read without compiling a pattern for each name."""
    start = message.find(name)
    while start >= 0:
        end = start + len(name)
        whole = (start == 0 or not _WORD_CHAR.match(message[start - 1])) and (
            end == len(message) or not _WORD_CHAR.match(message[end])
        )
        if whole and not _continues(message, end, is_known):
            return True
        start = message.find(name, start + 1)
    return False


def _occurrences(message: str, name: str) -> Iterable[re.Match[str]]:
    parts = words(name)
    if not parts:
        return []
    pattern = _BETWEEN_WORDS.join(re.escape(p) for p in parts)
    return re.finditer(rf"(?<![\w'’-]){pattern}(?![\w-])", message, re.IGNORECASE)


#: Share of a message's longer words (3+ letters, after the first) capitalised from which
#: it is a title.
TITLE_CASE_SHARE = 0.8


def _capitals_tell(message: str) -> bool:
    if message == message.lower():
        return False
    # The first word is capitalised in any sentence.
    longer = [w for w in words(message)[1:] if len(w) >= 3]
    capitalised = sum(1 for w in longer if w[:1].isupper())
    return not longer or capitalised < TITLE_CASE_SHARE * len(longer)


def _everyday_word(name: str, written: str) -> bool:
    if written != written.lower() or name == name.lower():
        return False
    return all(word_classes(word) for word in words(written))


def _continues(message: str, end: int, is_known: Callable[[str], bool] | None) -> bool:
    """A capitalised word right after the name makes it part of a longer one, unless
    it is a known name itself; a possessive or punctuation between them does not
    ("Anna's Toyota", "Anna, Tom")."""
    following = _NEXT_NAME_WORD.match(message, end)
    if following is None:
        return False
    word = re.sub(r"['’]s?$", "", following.group(1))
    return not (is_known and is_known(word))
