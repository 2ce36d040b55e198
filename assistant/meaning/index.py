"""The graph's vectors, stored beside it: every fact, entity name and alias, embedded.

A fact's vector is its sentence in the user's voice, an entity's its name, an alias's
its words (:mod:`assistant.meaning.embedder`: unit vectors, float16 blobs): what
:mod:`assistant.meaning.search` compares a question's referring phrases with. They
are written in the graph's own write transactions (:class:`PendingVectors`, used by
:class:`assistant.store.graph_store.GraphStore`), so a correction, an undo, a delete or a
forget leaves them exact, or, rolled back, as they were: deleting a row deletes its
vector (``ON DELETE CASCADE``). Any change to the names and aliases (a vector added or
deleted, an alias moved to another entity) moves ``meaning_version`` (triggers), which
the in-memory copy that :mod:`assistant.meaning.search` searches is keyed on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import itemgetter

from sqlite_utils import Database

from ..facts import Fact
from ..language.fact_wording import in_users_voice
from .embedder import as_blob, embed

#: Rows per statement (SQLite's floor limit on bound variables is 999).
_BATCH = 400
#: Texts embedded and written per step when filling a whole graph: ~10 MB at a time
#: (20,000 took ~50 MB more for no speed).
FILL_CHUNK = 4096

_FACT_VECTOR = "INSERT OR REPLACE INTO fact_vectors (fact_id, vector) VALUES (?, ?)"
_ALIAS_VECTOR = "INSERT OR REPLACE INTO alias_vectors (alias_id, vector) VALUES (?, ?)"
_ENTITY_VECTOR = "INSERT OR REPLACE INTO entity_vectors (entity_id, vector) VALUES (?, ?)"
# The texts of rows by id: the statement ends with "IN", the ids follow.
_FACT_TEXTS = """
    SELECT f.id, e.name, f.relation, f.object, f.sentence
    FROM facts f JOIN entities e ON e.id = f.subject_id WHERE f.id IN
"""
_ALIAS_TEXTS = "SELECT id, alias FROM aliases WHERE id IN"
_ENTITY_TEXTS = "SELECT id, name FROM entities WHERE id IN"


def _marks(values: Sequence) -> str:
    return ",".join("?" * len(values))


def _batches(values: Iterable[int]) -> Iterable[list[int]]:
    values = list(values)
    for start in range(0, len(values), _BATCH):
        yield values[start : start + _BATCH]


def _fact_text(row: Sequence) -> str:
    fact_id, subject, relation, obj, sentence = row
    return in_users_voice(Fact(fact_id, subject, relation, obj, "", sentence=sentence))


# Rows without a vector, after an id, a chunk at a time: (id, what its text is made of).
_MISSING = (
    (
        _FACT_VECTOR,
        "SELECT f.id, e.name, f.relation, f.object, f.sentence FROM facts f "
        "JOIN entities e ON e.id = f.subject_id WHERE f.id > ? AND NOT EXISTS "
        "(SELECT 1 FROM fact_vectors v WHERE v.fact_id = f.id) ORDER BY f.id LIMIT ?",
        _fact_text,
    ),
    (
        _ALIAS_VECTOR,
        "SELECT a.id, a.alias FROM aliases a WHERE a.id > ? AND NOT EXISTS "
        "(SELECT 1 FROM alias_vectors v WHERE v.alias_id = a.id) ORDER BY a.id LIMIT ?",
        itemgetter(1),
    ),
    (
        _ENTITY_VECTOR,
        "SELECT e.id, e.name FROM entities e WHERE e.id > ? AND NOT EXISTS "
        "(SELECT 1 FROM entity_vectors v WHERE v.entity_id = e.id) ORDER BY e.id LIMIT ?",
        itemgetter(1),
    ),
)


class PendingVectors:
    """The vectors one write transaction owes: rows named as they are written, then
    embedded in one call and stored by :meth:`flush`, before the transaction commits."""

    def __init__(self, db: Database):
        self.db = db
        self._facts: set[int] = set()
        self._aliases: set[int] = set()
        self._entities: set[int] = set()

    def fact(self, fact_id: int) -> None:
        """A new fact, or one whose words changed (it moved to a named subject)."""
        self._facts.add(fact_id)

    def alias(self, alias_id: int) -> None:
        self._aliases.add(alias_id)

    def entity(self, entity_id: int) -> None:
        self._entities.add(entity_id)

    def flush(self) -> None:
        """Embed the named rows in one call and store their vectors."""
        named = [
            (_FACT_VECTOR, row[0], _fact_text(row)) for row in self._rows(_FACT_TEXTS, self._facts)
        ]
        named += [(_ALIAS_VECTOR, *row) for row in self._rows(_ALIAS_TEXTS, self._aliases)]
        named += [(_ENTITY_VECTOR, *row) for row in self._rows(_ENTITY_TEXTS, self._entities)]
        vectors = embed([text for *_, text in named])
        for (sql, row_id, _), vector in zip(named, vectors):
            self.db.execute(sql, [row_id, as_blob(vector)])
        self._facts, self._aliases, self._entities = set(), set(), set()

    def _rows(self, sql: str, ids: set[int]) -> list[tuple]:
        found = []
        for batch in _batches(ids):
            found += self.db.execute(f"{sql} ({_marks(batch)})", batch).fetchall()
        return found


def fill_missing(db: Database) -> int:
    """Embed every fact, entity and alias that has no vector yet, a chunk at a time
    (one query, one embedding call and one insert each); returns how many. Used by the
    migration that adds the vectors (existing graphs) and by the benchmark's synthetic
    graphs, which are written straight into SQLite."""
    done = 0
    for insert, select, text_of in _MISSING:
        last = 0
        while rows := db.execute(select, [last, FILL_CHUNK]).fetchall():
            vectors = embed([text_of(row) for row in rows])
            db.conn.executemany(insert, [(row[0], as_blob(v)) for row, v in zip(rows, vectors)])
            done, last = done + len(rows), rows[-1][0]
    return done
