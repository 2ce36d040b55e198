"""A backup of the database is taken before any schema migration: complete (the
write-ahead log's latest commits included), private, and kept when a migration fails."""

from __future__ import annotations

import sqlite3
import stat
from contextlib import contextmanager

import pytest

from assistant.errors import AssistantError
from assistant.facts import AddFact, CorrectionInput
from assistant.store import migrations as schema
from assistant.store.database import open_database
from assistant.store.graph_store import GraphStore


@contextmanager
def extra_migration(sql: str, name: str = "9999_test_only"):
    """A migration registered for the duration of a test only."""

    @schema.migrations(name=name)
    def extra(db):
        db.execute(sql)

    try:
        yield
    finally:
        schema.migrations._migrations.pop()


def backups(directory):
    return sorted(directory.glob("assistant.backup-*.db"))


def teach(store):
    store.apply_correction(
        CorrectionInput("Where does Anna work?", "Google", "Anna"),
        [AddFact("works at", "Google", -1, -1)],
    )


def test_the_backup_holds_everything_committed_and_is_private(tmp_path):
    path = tmp_path / "assistant.db"
    store = GraphStore(open_database(path))
    teach(store)  # still in the write-ahead log: the connection stays open
    with extra_migration("CREATE TABLE extra (x)"):
        open_database(path)
    (backup,) = backups(tmp_path)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT object FROM facts").fetchall() == [("Google",)]
    assert copy.execute("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").fetchone() == (
        0,
    )
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()


def test_no_backup_for_a_new_database_or_when_nothing_is_pending(tmp_path):
    path = tmp_path / "assistant.db"
    teach(GraphStore(open_database(path)))
    open_database(path)
    assert backups(tmp_path) == []


def test_a_failed_migration_leaves_the_database_as_it_was_and_the_backup_in_place(tmp_path):
    path = tmp_path / "assistant.db"
    teach(GraphStore(open_database(path)))
    with (
        extra_migration("CREATE TABLE facts (x)"),
        pytest.raises(AssistantError, match="already exists"),
    ):
        open_database(path)
    assert len(backups(tmp_path)) == 1
    store = GraphStore(open_database(path))
    assert [f.object for f in store.facts()] == ["Google"]
    assert "9999_test_only" not in {m.name for m in schema.migrations.applied(store.db)}
