"""The knowledge graph's invariants, checked on a raw SQLite connection.

Shared by the property tests, the crash test and the concurrency test: after any
sequence of corrections, undos, deletes, imports and kills, a database must pass
SQLite's own checks and every one of these, or the edit log and the facts disagree (or
a row lacks its vector). A vector without its row is a dangling foreign key, which
``foreign_key_check`` reports.
"""

from __future__ import annotations

import sqlite3

# (what is wrong, a query returning the offending rows)
VIOLATIONS: list[tuple[str, str]] = [
    (
        "a fact added by a correction has no matching 'add' row in the edit log",
        """SELECT f.id FROM facts f WHERE f.correction_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM edit_log l WHERE l.fact_id = f.id AND l.op = 'add'
            AND l.correction_id = f.correction_id)""",
    ),
    (
        "an 'add' row of the edit log names another correction than its fact does",
        """SELECT l.id FROM edit_log l JOIN facts f ON f.id = l.fact_id
        WHERE l.op = 'add' AND f.correction_id IS NOT l.correction_id""",
    ),
    (
        "a fact was added more than once",
        "SELECT fact_id FROM edit_log WHERE op = 'add' GROUP BY fact_id HAVING count(*) > 1",
    ),
    (
        "one correction touched the same fact twice (added and removed it, or removed it twice)",
        """SELECT correction_id, fact_id FROM edit_log GROUP BY correction_id, fact_id
        HAVING count(*) > 1""",
    ),
    (
        "an undone correction still has facts it added",
        """SELECT f.id FROM facts f JOIN corrections c ON c.id = f.correction_id
        WHERE c.undone_at IS NOT NULL""",
    ),
    (
        "a fact is invalidated by more than one active correction",
        """SELECT l.fact_id FROM edit_log l JOIN corrections c ON c.id = l.correction_id
        WHERE l.op = 'remove' AND c.undone_at IS NULL GROUP BY l.fact_id HAVING count(*) > 1""",
    ),
    (
        "an active correction removed a fact that is still valid",
        """SELECT l.fact_id FROM edit_log l JOIN corrections c ON c.id = l.correction_id
        JOIN facts f ON f.id = l.fact_id
        WHERE l.op = 'remove' AND c.undone_at IS NULL AND f.invalid_at IS NULL""",
    ),
    (
        "a learned fact is invalid although no active correction removed it",
        """SELECT f.id FROM facts f WHERE f.invalid_at IS NOT NULL AND f.correction_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM edit_log l JOIN corrections c ON c.id = l.correction_id
            WHERE l.fact_id = f.id AND l.op = 'remove' AND c.undone_at IS NULL)""",
    ),
    (
        "a fact was invalidated before it was created",
        "SELECT id FROM facts WHERE invalid_at IS NOT NULL AND invalid_at < created_at",
    ),
    (
        "an alias has the same key as an entity name",
        "SELECT a.key FROM aliases a JOIN entities e ON e.key = a.key",
    ),
    # The vectors are written in the transaction that writes their rows (meaning_index).
    (
        "a fact has no vector",
        "SELECT f.id FROM facts f WHERE NOT EXISTS "
        "(SELECT 1 FROM fact_vectors v WHERE v.fact_id = f.id)",
    ),
    (
        "an entity has no vector",
        "SELECT e.id FROM entities e WHERE NOT EXISTS "
        "(SELECT 1 FROM entity_vectors v WHERE v.entity_id = e.id)",
    ),
    (
        "an alias has no vector",
        "SELECT a.id FROM aliases a WHERE NOT EXISTS "
        "(SELECT 1 FROM alias_vectors v WHERE v.alias_id = a.id)",
    ),
]


def graph_problems(conn: sqlite3.Connection) -> list[str]:
    """Every broken invariant, as readable lines; empty when the graph is sound."""
    problems = []
    integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        problems.append(f"integrity_check: {integrity[:5]}")
    dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
    if dangling:
        problems.append(f"foreign keys point nowhere: {dangling[:5]}")
    for message, sql in VIOLATIONS:
        rows = conn.execute(sql).fetchall()
        if rows:
            problems.append(f"{message}: {rows[:5]}")
    return problems
