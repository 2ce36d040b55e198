"""The knowledge graph on real SQLite: corrections, undo, delete, aliases, migrations."""

import os
import sqlite3

import pytest

from assistant.database import open_database
from assistant.errors import InputError, NotFoundError
from assistant.facts import AddFact, CorrectionInput, RemoveFact


def teach(store, answer, relations=("eats",), removes=(), query="What does my dog Bruno eat?"):
    edits = [AddFact(r, answer, -0.5, -1.0) for r in relations]
    edits += [RemoveFact(fid, -3.0, -1.0) for fid in removes]
    return store.apply_correction(
        CorrectionInput(query, answer, "Bruno", "meat", aliases=("my dog",)), edits
    )


def snapshot(store):
    rows = store.db.execute(
        "SELECT id, subject_id, relation, object, created_at, invalid_at, correction_id "
        "FROM facts ORDER BY id"
    ).fetchall()
    entities = store.db.execute("SELECT name FROM entities ORDER BY id").fetchall()
    aliases = store.db.execute("SELECT alias FROM aliases ORDER BY id").fetchall()
    return rows, entities, aliases


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


def test_delete_really_deletes_the_fact_its_log_and_the_correction_text(store):
    applied = teach(store, "vegetables")
    store.delete_fact(applied.added[0].id)
    assert store.facts(include_invalid=True) == []
    assert store.db.execute("SELECT count(*) FROM edit_log").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM corrections").fetchone()[0] == 0
    with pytest.raises(NotFoundError):
        store.delete_fact(applied.added[0].id)


def test_forget_entity_removes_everything_about_it(store):
    teach(store, "vegetables")
    assert store.forget_entity("my dog") == 1
    assert store.entity_names() == [] and store.corrections() == []


def test_entities_resolve_case_and_punctuation_insensitively(store):
    teach(store, "vegetables")
    assert store.resolve_entity("bruno") == "Bruno"
    assert store.find_entity_in("what does MY DOG like?") == "Bruno"
    assert store.find_entity_in("Tell me about Paris") is None
    store.add_alias("Bruno", "the good boy")
    assert store.find_entity_in("is the good boy hungry") == "Bruno"


def test_unicode_and_sql_metacharacters_are_stored_verbatim(store):
    weird = "Robert'); DROP TABLE facts;-- 🐶 مرحبا"
    store.apply_correction(CorrectionInput("q?", weird, weird), [AddFact("likes", weird, 0, 0)])
    (fact,) = store.facts(weird)
    assert fact.subject == weird and fact.object == weird


def test_database_is_private_and_in_wal_mode(tmp_path):
    path = tmp_path / "graph.db"
    db = open_database(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_a_pending_migration_backs_the_database_up_first(tmp_path, monkeypatch):
    from assistant import migrations as module

    path = tmp_path / "graph.db"
    open_database(path).conn.close()

    @module.migrations(name="9999_test_only")
    def extra(db):
        db.execute("CREATE TABLE extra (x)")

    try:
        open_database(path)
    finally:
        module.migrations._migrations.pop()
    backups = list(tmp_path.glob("graph.backup-*.db"))
    assert len(backups) == 1
    conn = sqlite3.connect(backups[0])
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name='extra'").fetchone()[0] == 0


def test_ids_of_deleted_facts_and_corrections_are_never_reused(store):
    first = teach(store, "vegetables")
    store.delete_fact(first.added[0].id)  # the newest fact and, orphaned, its correction
    second = teach(store, "fish")
    assert second.correction_id > first.correction_id
    assert second.added[0].id > first.added[0].id
    with pytest.raises(NotFoundError):
        store.correction(first.correction_id)  # a stale Undo finds nothing, not "fish"
