"""What the graph store's tests share: a correction about Bruno taught straight to the
store, a snapshot of the graph's rows, and the SELECT statements a block runs."""

from contextlib import contextmanager

from assistant.facts import AddFact, CorrectionInput, RemoveFact

LEARNED = "2026-01-01T00:00:00+00:00"


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
