"""Opening the database: a private file in WAL mode, backed up before a migration."""

import os
import sqlite3

from assistant.store.database import open_database


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
