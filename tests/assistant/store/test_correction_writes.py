"""Corrections applied in one transaction with their edit log, and undone exactly."""

import pytest

from assistant.errors import InputError, NotFoundError
from assistant.facts import AddFact, CorrectionInput, EditOp

from .graph_teaching import snapshot, teach


def test_a_correction_adds_facts_with_their_source(store):
    applied = teach(store, "vegetables", relations=("eats", "diet"))
    facts = store.facts("Bruno")
    assert [(f.relation, f.object) for f in facts] == [
        ("eats", "vegetables"),
        ("diet", "vegetables"),
    ]
    assert {f.correction_id for f in facts} == {applied.correction_id}
    record = store.correction(applied.correction_id)
    assert (record.query, record.model_answer, record.user_answer, record.subject) == (
        "What does my dog Bruno eat?",
        "meat",
        "vegetables",
        "Bruno",
    )
    log = store.db.execute("SELECT op, reasoning_logprob FROM edit_log").fetchall()
    assert log == [("add", -0.5), ("add", -0.5)]


def test_removal_invalidates_and_undo_restores_the_graph_exactly(store):
    first = teach(store, "meat")
    before = snapshot(store)
    second = teach(store, "vegetables", removes=[first.added[0].id])
    assert store.facts("Bruno")[0].object == "vegetables"
    assert store.facts("Bruno", include_invalid=True)[0].invalid_at is not None
    store.undo(second.correction_id)
    assert snapshot(store) == before
    assert store.correction(second.correction_id).undone_at is not None


def test_undoing_the_only_correction_forgets_the_entity_and_its_alias(store):
    teach(store, "vegetables")
    assert store.resolve_entity("my dog") == "Bruno"
    store.undo()
    assert store.facts() == []
    assert store.entity_names() == []
    assert store.resolve_entity("my dog") is None


def test_undo_twice_and_undo_of_nothing_are_clear_errors(store):
    applied = teach(store, "vegetables")
    store.undo(applied.correction_id)
    with pytest.raises(InputError):
        store.undo(applied.correction_id)
    with pytest.raises(NotFoundError):
        store.undo()


def test_a_failing_edit_rolls_back_the_whole_correction(store):
    with pytest.raises(NotFoundError):
        teach(store, "vegetables", removes=[999])
    assert store.facts(include_invalid=True) == []
    assert store.corrections() == []


def test_unicode_and_sql_metacharacters_are_stored_verbatim(store):
    weird = "Robert'); DROP TABLE facts;-- 🐶 مرحبا"
    store.apply_correction(CorrectionInput("q?", weird, weird), [AddFact("likes", weird, 0, 0)])
    (fact,) = store.facts(weird)
    assert fact.subject == weird and fact.object == weird


def test_edit_ops_keep_their_database_text(store):
    first = teach(store, "meat")
    teach(store, "fish", removes=[first.added[0].id])
    log = [row[0] for row in store.db.execute("SELECT op FROM edit_log ORDER BY id")]
    assert log == ["add", "add", "remove"] == [EditOp.ADD, EditOp.ADD, EditOp.REMOVE]
