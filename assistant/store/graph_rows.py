"""The graph's rows as the store's SQL reads and writes them: the columns a fact is
read from, a fact built from its row, the next id a new row gets, and text cleaned
to the form the graph keeps."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from ..errors import InputError
from ..facts import Fact
from ..language.text import one_line

FACT_COLUMNS = """
    f.id, e.name AS subject, f.relation, f.object, f.created_at, f.invalid_at, f.correction_id,
    f.sentence, f.phrasings
"""
FACT_FROM = "facts f JOIN entities e ON e.id = f.subject_id"
# The next never-used id of a table (migration 0004): a deleted row's id is never
# handed out again, so a stale Undo or panel row cannot reach a newer row.
NEXT_ID = "(SELECT last_id + 1 FROM id_high_water WHERE name = ?)"
# Keys looked up per statement (each is bound twice; SQLite's floor limit is 999).
LOOKUP_BATCH = 400


def fact_of_row(row: Sequence) -> Fact:
    """The fact a row of :data:`FACT_COLUMNS` holds."""
    *fields, phrasings = row
    return Fact(*fields, tuple(p for p in (phrasings or "").split("\n") if p))


def clean_text(text: str, what: str) -> str:
    """Text as the graph stores it: one line, whitespace collapsed; empty text and
    control characters (a stray NUL, a terminal escape sequence) are refused."""
    cleaned = one_line(text)
    if not cleaned:
        raise InputError(f"{what} is empty")
    control = next((c for c in cleaned if unicodedata.category(c) == "Cc"), None)
    if control is not None:
        raise InputError(f"{what} contains the control character U+{ord(control):04X}")
    return cleaned
