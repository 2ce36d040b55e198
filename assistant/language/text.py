"""Small text helpers: one-lining user text, and the word and name keys that subject
finding, relation parsing and the graph's lookups compare."""

import re

from .descriptions import USER, USER_KEY, fold_variants

WORD = re.compile(r"[\w'’-]+", re.UNICODE)

STOPWORDS = frozenset(
    """a an the of to in on at for from by with about as into over under and or but
    is are was were be been being am do does did done has have had having will would
    shall should can could may might must what which who whom whose when where why how
    i me my mine we us our ours you your yours he him his she her hers it its they them
    their theirs this that these those there here not no yes please tell know
    what's who's where's when's how's which's that's it's there's""".split()
)


def one_line(text: object) -> str:
    """``text`` on one line: runs of whitespace (newlines, tabs) become one space and the
    ends are trimmed; None is the empty string."""
    return " ".join(str(text).split()) if text is not None else ""


def counted(count: int, noun: str) -> str:
    """ "1 message", "3 messages": a count with its noun, plural when not one."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def words(text: str) -> list[str]:
    return WORD.findall(text)


def without_words(text: str, leave_out: frozenset[str]) -> str:
    """``text``'s words minus ``leave_out`` (lower-case; "Alfred's" counts as "alfred")."""
    return " ".join(w for w in words(text) if re.sub(r"['’]s$", "", w.lower()) not in leave_out)


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w.lower() not in STOPWORDS]


def normalize(text: str) -> str:
    """Lower-case, single-spaced, without surrounding punctuation: for comparing names."""
    return " ".join(words(text.lower()))


def entity_key(name: str) -> str:
    """The lookup key of an entity name or alias: lower-case words, variants of a
    relationship word folded ("my mum" and "my mom" -> "my mother"); names without
    word characters (an emoji) keep their own lower-cased text so they stay distinct.
    The user's own entity has a key no typed name can produce."""
    if name == USER:
        return USER_KEY
    folded = " ".join(fold_variants(normalize(name).split()))
    return folded or one_line(name.lower())
