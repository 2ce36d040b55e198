"""The graph's vectors on real SQLite: written in the transaction that writes their row,
gone with it, exact after a correction, an undo, a delete, a forget, an import and a
merge; filled in for a database from before they existed."""

import sqlite3

import numpy as np
import pytest
from sqlite_utils import Database

from assistant.errors import NotFoundError
from assistant.facts import AddFact, CorrectionInput, RemoveFact
from assistant.language.fact_wording import in_users_voice
from assistant.meaning.embedder import embed, from_blobs
from assistant.store.database import open_database
from assistant.store.graph_store import GraphStore
from assistant.store.migrations import migrations

NOW = "2026-01-01T00:00:00+00:00"


def teach(store, answer="vegetables", removes=(), aliases=("my dog",)):
    edits = [AddFact("eats", answer, -0.5, -1.0, sentence=f"My dog Bruno eats {answer}.")]
    edits += [RemoveFact(fact_id, -3.0, -1.0) for fact_id in removes]
    return store.apply_correction(
        CorrectionInput("What does my dog Bruno eat?", answer, "Bruno", aliases=aliases), edits
    )


def stored(store, table, key, row_id):
    row = store.db.execute(f"SELECT vector FROM {table} WHERE {key} = ?", [row_id]).fetchone()
    return None if row is None else from_blobs([row[0]])[0]


def version(store):
    return store.db.execute("SELECT version FROM meaning_version").fetchone()[0]


def assert_exact(store):
    """Every fact, entity and alias has its vector, of its own text, and no vector
    outlives its row."""
    for fact in store.facts(include_invalid=True):
        vector = stored(store, "fact_vectors", "fact_id", fact.id)
        assert vector is not None and float(vector @ embed([in_users_voice(fact)])[0]) > 0.999
    for table, key, rows in (
        ("entity_vectors", "entity_id", "SELECT id, name FROM entities"),
        ("alias_vectors", "alias_id", "SELECT id, alias FROM aliases"),
    ):
        for row_id, text in store.db.execute(rows).fetchall():
            vector = stored(store, table, key, row_id)
            assert vector is not None and float(vector @ embed([text])[0]) > 0.999
    for table, parent, key in (
        ("fact_vectors", "facts", "fact_id"),
        ("entity_vectors", "entities", "entity_id"),
        ("alias_vectors", "aliases", "alias_id"),
    ):
        orphans = store.db.execute(
            f"SELECT count(*) FROM {table} WHERE {key} NOT IN (SELECT id FROM {parent})"
        ).fetchone()[0]
        assert orphans == 0, table


def test_a_correction_writes_the_vectors_of_its_fact_entity_and_alias(store):
    before = version(store)
    applied = teach(store)
    [fact] = applied.added
    vector = stored(store, "fact_vectors", "fact_id", fact.id)
    assert float(vector @ embed(["My dog Bruno eats vegetables."])[0]) > 0.999
    assert_exact(store)
    assert version(store) > before  # a new name and alias: the in-memory copy is stale


def test_undo_takes_the_vectors_of_what_the_correction_added(store):
    applied = teach(store)
    [fact] = applied.added
    before = version(store)
    store.undo(applied.correction_id)
    assert stored(store, "fact_vectors", "fact_id", fact.id) is None
    assert store.db.execute("SELECT count(*) FROM alias_vectors").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM entity_vectors").fetchone()[0] == 0
    assert version(store) > before
    assert_exact(store)


def test_an_undone_replacement_keeps_the_replaced_facts_vector(store):
    first = teach(store, "meat").added[0]
    second = teach(store, "vegetables", removes=[first.id])
    assert stored(store, "fact_vectors", "fact_id", first.id) is not None  # kept, invalid
    store.undo(second.correction_id)
    assert store.facts("Bruno")[0].id == first.id
    assert_exact(store)


def test_delete_and_forget_take_their_vectors(store):
    teach(store, "meat")
    [fact] = teach(store, "rice").added
    store.delete_facts([fact.id])
    assert stored(store, "fact_vectors", "fact_id", fact.id) is None
    assert_exact(store)
    store.forget_entity("Bruno")
    for table in ("fact_vectors", "entity_vectors", "alias_vectors"):
        assert store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_a_failed_correction_writes_no_vector(store):
    with pytest.raises(NotFoundError):
        teach(store, removes=[999])
    for table in ("fact_vectors", "entity_vectors", "alias_vectors"):
        assert store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_a_description_named_later_keeps_exact_vectors(store):
    store.import_facts([("my father", "was born in", "Porto", NOW, None)])
    described = store.facts("my father")[0]
    store.apply_correction(
        CorrectionInput(
            "Where does my father Jorge live?", "Lyon", "Jorge", aliases=("my father",)
        ),
        [AddFact("lives in", "Lyon", -0.5, -1.0)],
    )
    moved = store.fact(described.id)
    assert moved.subject == "Jorge"  # its sentence is written with his name now
    assert_exact(store)


def test_import_writes_vectors(store):
    added, _, _ = store.import_facts(
        [("Anna", "lives in", "Lisbon", NOW, None), ("Anna", "works at", "the port", NOW, None)],
        [("Anna", "my sister")],
    )
    assert added == 2
    assert_exact(store)


def test_stored_vectors_are_as_close_as_freshly_embedded_ones(store):
    teach(store, "meat")
    store.import_facts([("Bruno", "sleeps in", "the kitchen", NOW, None)])
    facts = store.facts("Bruno")
    fresh = embed([in_users_voice(f) for f in facts])
    kept = np.stack([stored(store, "fact_vectors", "fact_id", f.id) for f in facts])
    assert np.allclose(kept, fresh, atol=2e-3)


def test_an_existing_database_gets_its_vectors_when_migrated(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    old = Database(conn)
    migrations.apply(old, stop_before="0006_meaning_vectors")
    conn.execute(
        "INSERT INTO entities (id, name, key, created_at) VALUES (1, 'Rex', 'rex', ?)", [NOW]
    )
    conn.execute("INSERT INTO aliases (entity_id, alias, key) VALUES (1, 'my dog', 'my dog')")
    conn.execute(
        "INSERT INTO facts (subject_id, relation, object, created_at, sentence) "
        "VALUES (1, 'eats', 'kibble', ?, 'My dog Rex eats kibble.')",
        [NOW],
    )
    conn.close()
    store = GraphStore(open_database(path))
    assert [f.object for f in store.facts("Rex")] == ["kibble"]  # rows kept
    assert_exact(store)
    assert list(tmp_path.glob("old.backup-*.db"))  # backed up first, as for any migration
