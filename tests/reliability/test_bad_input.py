"""Bad input gets one clear error and changes nothing: empty and whitespace messages,
messages longer than the model's context, control characters, emoji, right-to-left
text and SQL metacharacters, garbage relation output."""

from __future__ import annotations

import pytest

from assistant.answering import answer_question
from assistant.correction import run_correction
from assistant.errors import ContextOverflowError

QUESTION = "What does my dog Bruno eat?"


def snapshot(store):
    """Everything a bad input must leave untouched."""
    tables = ("entities", "aliases", "facts", "corrections", "edit_log")
    return {t: store.db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def test_a_pasted_essay_is_refused_not_crashed_on(store, fake_model):
    # 50,000 distinct words: their n-grams once overflowed SQLite's bound-variable limit
    # in the entity lookup (sqlite3.OperationalError: too many SQL variables).
    run_correction(fake_model, store, QUESTION, "vegetables", subject="Bruno")
    before = snapshot(store)
    essay = QUESTION + " " + " ".join(f"w{i}" for i in range(50_000))
    with pytest.raises(ContextOverflowError, match="too long"):
        answer_question(fake_model, store, essay)
    assert store.find_entity_in(essay) == "Bruno"
    assert snapshot(store) == before
