"""Opening the SQLite database: private file, WAL, foreign keys, migrations, backups."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from ..errors import AssistantError
from ..timeutil import utc_now
from .migrations import migrations

# Long enough that a second process (the CLI beside the app) waits instead of failing.
BUSY_TIMEOUT_MS = 30_000
# How long a delete waits to empty the write-ahead log while another process writes.
ERASE_WAIT_MS = 200


def open_database(path: Path | str | None) -> Database:
    """Open (creating and migrating) the database at ``path``; ``None`` means in memory."""
    if path is None:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        return _prepare(conn, None)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists()
    _create_private(path)
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        return _prepare(conn, path if existed else None)
    except sqlite3.DatabaseError as error:
        raise AssistantError(f"cannot open the knowledge database {path}: {error}") from None


def _create_private(path: Path) -> None:
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    os.chmod(path, 0o600)


def _prepare(conn: sqlite3.Connection, existing_path: Path | None) -> Database:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _use_wal(conn)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    # Deleted rows are overwritten with zeros, so a forgotten fact leaves no copy
    # in free pages of the file (privacy: "delete" must really delete).
    conn.execute("PRAGMA secure_delete = ON")
    db = Database(conn)
    if migrations.pending(db):
        _migrate(db, existing_path)
    return db


def _use_wal(conn: sqlite3.Connection) -> None:
    # Switching a new file to WAL needs it alone for a moment and SQLite answers
    # "locked" at once instead of waiting (busy_timeout does not apply), so a second
    # process opening the same new home at the same instant tries again.
    # An in-memory database answers "memory".
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _migrate(db: Database, existing_path: Path | None) -> None:
    # The app and the CLI may open a new home at the same moment: the write lock,
    # taken before looking again, makes one migrate while the other waits and then
    # finds nothing left to do (without it one failed with "database is locked" or
    # "table already exists").
    # The backup is taken before the lock (SQLite cannot back up a connection from
    # inside its own write transaction); a second process may make a redundant one.
    if existing_path is not None and migrations.applied(db):
        backup_before_migration(db.conn, existing_path)
    with write_transaction(db):
        if migrations.pending(db):
            migrations.apply(db)


def backup_before_migration(conn: sqlite3.Connection, path: Path) -> Path:
    """Copy the whole database next to itself before its schema changes."""
    stamp = utc_now().replace(":", "").replace("+", "Z")[:22]
    target = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")
    _create_private(target)  # private from its first byte, not chmod-ed afterwards
    dest = sqlite3.connect(str(target))
    try:
        conn.backup(dest)
    finally:
        dest.close()
    os.chmod(target, 0o600)
    return target


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One atomic write: BEGIN IMMEDIATE takes the write lock up front, so a second
    process waits (busy_timeout) instead of failing half-way with "database is locked"."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def erase_deleted_text(db: Database) -> bool:
    """Run after every delete: copy the write-ahead log into the file and empty it,
    so the old page images that still hold deleted text are gone too
    (``secure_delete`` already zeroes them in the file). False when another
    connection's open read kept part of the log; the next checkpoint finishes."""
    # Wait briefly only: another process busy writing must not stall a delete for
    # seconds (measured: up to 2.3 s); the next checkpoint left alone empties the log.
    db.execute(f"PRAGMA busy_timeout = {ERASE_WAIT_MS}")
    try:
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return busy == 0
