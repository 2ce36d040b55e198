"""Whether a known entity's name, found in a message, names that entity there.

Names are looked up by their lower-cased words, so "life" in "Mabel lost their life at"
finds a series called "Life", and "Arthur" in "Arthur Erickson's life" finds another
Arthur. Retrieval would then hand that entity's facts to the reply, which states one
("Life was originally aired on HBO."). Two readings of the message's own text say it
is not the name:

- the name is written with capitals, the message writes it in lower case, and its
  words are everyday English words ("life", "apple");
- another capitalised word follows it directly, so it is the start of a longer name
  ("Vienna Stadtbahn", "United Nations General Assembly", "Arthur Erickson").

Capitals say something only where the writer uses them as English does: a message typed
all in lower case, or in title case ("Where Does Anna Live?"), is taken at its word.

Only the words the lookup matched are read, where they stand: no pattern per name and
no query, so the check costs microseconds. A description the lookup adds ("the choir"
for "my choir") is taken as named, and an alias matched is read as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .question_statement import word_classes
from .text import words

#: What may follow a name directly and continue it: a space, then a capitalised word.
_NEXT_NAME_WORD = re.compile(r" +([A-Z][a-z][\w'’-]*)")


def names_entity(
    message: str,
    name: str,
    span: tuple[int, int],
    is_known: Callable[[str], bool] | None = None,
) -> bool:
    """Whether ``message[span]``, where the lookup found the known name ``name``, names
    it there: not when it reads as an everyday word or as the start of a longer name,
    unless the message's capitals say nothing. ``is_known`` says whether a word is a
    known name of its own: two names side by side ("Is Jory Ottilie's cousin?") are two."""
    start, end = span
    if not _everyday_word(name, message[start:end]) and not _continues(message, end, is_known):
        return True
    return not _capitals_tell(message)


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
