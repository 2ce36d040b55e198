"""The knowledge graph on real SQLite: corrections, undo, delete, aliases, migrations,
and the knowledge panel's queries."""

import os
import sqlite3
from contextlib import contextmanager
from dataclasses import replace

import pytest

from assistant.errors import InputError, NotFoundError
from assistant.facts import AddFact, CorrectionInput, Edge, EditOp, FactSource, RemoveFact
from assistant.store.database import open_database


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
    from assistant.store import migrations as module

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


LEARNED = "2026-01-01T00:00:00+00:00"


@contextmanager
def reads(store):
    """The SELECT statements the store runs inside the block, as SQLite traces them."""
    statements = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        yield statements
    finally:
        store.db.conn.set_trace_callback(None)
    statements[:] = [s for s in statements if s.lstrip().upper().startswith("SELECT")]


def neighbours_pointing_at(store, count):
    rows = [(f"Friend {i}", "walks", "bruno!", LEARNED, None) for i in range(count)]
    store.import_facts(rows + [("Bruno", "owner", "Friend 0", LEARNED, None)])


def test_the_neighbourhood_groups_facts_by_the_node_at_their_other_end(store):
    first = teach(store, "meat", relations=("eats", "diet"))
    teach(store, "fish", relations=("eats",), removes=[first.added[0].id])
    neighbours_pointing_at(store, 2)
    edges = store.neighbourhood("my dog")
    assert [replace(edge, fact_ids=()) for edge in edges] == [
        Edge("meat", ("diet",), outgoing=True, other_is_entity=False),
        Edge("fish", ("eats",), outgoing=True, other_is_entity=False),
        Edge("Friend 0", ("owner",), outgoing=True, other_is_entity=True),
        Edge("Friend 0", ("walks",), outgoing=False, other_is_entity=True),
        Edge("Friend 1", ("walks",), outgoing=False, other_is_entity=True),
    ]
    # Each edge names its facts, so the panel can say them as sentences.
    facts = [[store.fact(i).triple for i in edge.fact_ids] for edge in edges]
    assert facts == [
        [("Bruno", "diet", "meat")],
        [("Bruno", "eats", "fish")],
        [("Bruno", "owner", "Friend 0")],
        [("Friend 0", "walks", "bruno!")],
        [("Friend 1", "walks", "bruno!")],
    ]
    assert store.neighbourhood("Nobody") == []


def test_the_neighbourhood_is_one_query_however_many_facts(store):
    neighbours_pointing_at(store, 2)
    with reads(store) as few:
        store.neighbourhood("Bruno")
    neighbours_pointing_at(store, 40)
    with reads(store) as many:
        assert len(store.neighbourhood("Bruno")) == 41
    assert len(many) == len(few) <= 2  # resolving the name, then the neighbourhood


def test_facts_are_read_by_id_in_one_query_replaced_ones_too(store):
    first = teach(store, "meat", relations=("eats",))
    second = teach(store, "fish", relations=("eats",), removes=[first.added[0].id])
    meat, fish = first.added[0].id, second.added[0].id
    with reads(store) as queries:
        found = store.facts_by_id([fish, meat, fish, 999])
    assert len(queries) == 1
    assert {i: f.object for i, f in found.items()} == {meat: "meat", fish: "fish"}
    assert found[meat].invalid_at is not None and found[fish].invalid_at is None


def test_sources_say_which_question_and_message_taught_each_fact(store):
    applied = store.apply_correction(
        CorrectionInput("What does Bruno eat?", "fish", "Bruno", message_id="12"),
        [AddFact("eats", "fish", 0, 0)],
    )
    tagged = store.apply_correction(
        CorrectionInput("Where does Anna live?", "Lisbon", "Anna", message_id="cli-run"),
        [AddFact("lives in", "Lisbon", 0, 0)],
    )
    store.import_facts([("Bruno", "colour", "brown", LEARNED, None)])
    fish, lisbon, imported = (applied.added[0].id, tagged.added[0].id, store.facts()[-1].id)
    with reads(store) as queries:
        sources = store.sources_of([fish, lisbon, imported])
    assert len(queries) == 1
    assert sources == {
        fish: FactSource("What does Bruno eat?", "12"),
        lisbon: FactSource("Where does Anna live?", "cli-run"),
    }
    assert sources[fish].conversation_message == 12
    assert sources[lisbon].conversation_message is None


def test_history_lists_each_correction_with_its_edits_in_two_queries(store):
    first = teach(store, "meat")
    second = teach(store, "fish", removes=[first.added[0].id])
    third = teach(store, "rice", query="What is Bruno's favourite food?")
    store.undo(third.correction_id)
    with reads(store) as queries:
        history = store.history()
    assert len(queries) == 2
    assert [h.record.id for h in history] == [
        first.correction_id,
        second.correction_id,
        third.correction_id,
    ]
    assert [(op, f.object) for op, f in history[1].edits] == [
        (EditOp.ADD, "fish"),
        (EditOp.REMOVE, "meat"),
    ]
    assert history[2].edits == ()  # undo deleted the fact it had added
    assert [h.record.id for h in store.history(include_undone=False)] == [
        first.correction_id,
        second.correction_id,
    ]
    assert [list(h.edits) for h in history] == [store.edits_of(h.record.id) for h in history]


def test_replaced_facts_are_the_invalidated_ones(store):
    first = teach(store, "meat")
    teach(store, "fish", removes=[first.added[0].id])
    assert [f.object for f in store.replaced_facts()] == ["meat"]
    assert store.replaced_facts()[0].invalid_at is not None


def test_edit_ops_keep_their_database_text(store):
    first = teach(store, "meat")
    teach(store, "fish", removes=[first.added[0].id])
    log = [row[0] for row in store.db.execute("SELECT op FROM edit_log ORDER BY id")]
    assert log == ["add", "add", "remove"] == [EditOp.ADD, EditOp.ADD, EditOp.REMOVE]
