"""Which entity a question means when it names none, found by meaning.

"How late is the climbing wall open on a Sunday?" names no entity or alias, yet "the
climbing wall" is "my climbing gym". A question's referring phrases
(:mod:`assistant.language.references`) are compared, in WordLlama's embeddings, with every
entity's name and aliases (descriptions such as "my dog" are aliases or names), held
in memory and read again whenever ``meaning_version`` has moved (every change to a
name or alias moves it, in the same transaction). A large graph's names are first
compared by their vectors' first 128 dimensions (WordLlama's are Matryoshka
embeddings: a prefix is an embedding too, at half the cost), and the
:data:`PRESELECTED` closest exactly; with no more names than that, all are compared
exactly. A phrase
the user says is theirs ("my little boy", "my whippet") is also compared with the
valid facts of every entity the user has described as theirs (an alias "my ...":
Pepper, "my dog"), read from SQLite: what the user has may be known by what was said
about it ("My dog Pepper's breed is whippet."). An entity's score is its closest
text; the best is meant when it is at least :data:`REFERENCE_MIN_SIMILARITY` close.

"The X" is not compared with facts: "What does the goalkeeper wear?" asks about
goalkeepers, not about the son who plays in goal (docs/METHOD.md §7 measures both).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from ..language.descriptions import is_users_own
from ..language.references import Reference
from .embedder import DIMENSIONS, STORED_DTYPE, cosines, embed, from_blobs, unit

#: How close (cosine) a referring phrase must be to an entity's name, an alias or (for
#: "my X") a fact for the entity to be what the question means. docs/METHOD.md §7:
#: on the dev scenarios, the phrases of general questions reached at most 0.17 and
#: "the climbing wall open" 0.48 to "my climbing gym".
REFERENCE_MIN_SIMILARITY = 0.35
#: Names compared exactly after the prefix comparison. On 50,000 names (the bench's
#: million-fact graph) the exact best was among them for 59 of 65 phrases and questions;
#: the other six were at most 0.26 close, below the threshold.
PRESELECTED = 256
PREFIX_DIMENSIONS = 128
#: Entities described as the user's whose facts a "my X" phrase is compared with, at
#: most: a person's relatives, pets and things, never a scan of a large graph.
MAX_DESCRIBED = 200


@dataclass(frozen=True)
class Meant:
    entity: str
    similarity: float


class _Names:
    """Every entity name and alias vector of one database, as of one version."""

    def __init__(self) -> None:
        self.version: int | None = None
        self.owners = np.zeros(0, dtype=np.int64)
        self.rows = from_blobs([]).astype(STORED_DTYPE)  # as stored: half the memory
        self.prefixes = from_blobs([])[:, :PREFIX_DIMENSIONS]

    def current(self, db: Database) -> _Names:
        version = db.execute("SELECT version FROM meaning_version WHERE id = 1").fetchone()[0]
        if version != self.version:
            self._read(db)
            self.version = version
        return self

    def _read(self, db: Database) -> None:
        # A fetch at a time: 50,000 names as Python rows would take ~30 MB more.
        cursor = db.execute(
            "SELECT entity_id, vector FROM entity_vectors UNION ALL "
            "SELECT a.entity_id, v.vector FROM alias_vectors v JOIN aliases a ON a.id = v.alias_id"
        )
        owners, rows = [np.zeros(0, dtype=np.int64)], [np.zeros((0, DIMENSIONS), STORED_DTYPE)]
        while chunk := cursor.fetchmany(4096):
            owners.append(np.array([owner for owner, _ in chunk], dtype=np.int64))
            stored = np.frombuffer(b"".join(vector for _, vector in chunk), dtype=STORED_DTYPE)
            rows.append(stored.reshape(len(chunk), DIMENSIONS))
        self.owners, self.rows = np.concatenate(owners), np.concatenate(rows)
        self.prefixes = self.rows[:, :PREFIX_DIMENSIONS].astype(np.float32)
        self.prefixes /= np.maximum(np.linalg.norm(self.prefixes, axis=1, keepdims=True), 1e-12)

    def closest(self, asked: np.ndarray) -> tuple[int, float] | None:
        """(entity, similarity) of the name or alias closest to any asked vector."""
        if len(self.owners) <= PRESELECTED:
            return _closest_row(self.owners, self.rows.astype(np.float32), asked)
        near = cosines(self.prefixes, unit(asked[:, :PREFIX_DIMENSIONS])).max(axis=1)
        chosen = np.argpartition(-near, PRESELECTED)[:PRESELECTED]
        return _closest_row(self.owners[chosen], self.rows[chosen].astype(np.float32), asked)


# One copy per open database, gone with it.
_names: weakref.WeakKeyDictionary[Database, _Names] = weakref.WeakKeyDictionary()


def entity_meant(
    db: Database, references: list[Reference], outside_users_world: bool = False
) -> Meant | None:
    """The entity the references mean, when one is close enough; ``outside_users_world``
    (for an "I / my" question, whose own world is searched apart): none when the
    closest is the user or one of their described things."""
    meant = closest_entity(db, references)
    if meant is None or meant.similarity < REFERENCE_MIN_SIMILARITY:
        return None
    return None if outside_users_world and is_users_own(meant.entity) else meant


def closest_entity(db: Database, references: list[Reference]) -> Meant | None:
    """The entity closest to any of the references, however far (None: no references
    or no entities)."""
    if not references:
        return None
    asked = embed([r.words for r in references])
    best = _names.setdefault(db, _Names()).current(db).closest(asked)
    mine = asked[[r.mine for r in references]]
    if len(mine):
        by_facts = _closest_row(*_facts_of(db, _described_as_mine(db)), mine)
        if best is None or (by_facts is not None and by_facts[1] > best[1]):
            best = by_facts
    if best is None:
        return None
    entity_id, similarity = best
    name = db.execute("SELECT name FROM entities WHERE id = ?", [entity_id]).fetchone()[0]
    return Meant(name, similarity)


def _closest_row(
    owners: np.ndarray, rows: np.ndarray, asked: np.ndarray
) -> tuple[int, float] | None:
    """(owner, similarity) of the row closest to any of the asked vectors: one
    matrix product, however many rows."""
    if not len(owners):
        return None
    closeness = cosines(rows, asked).max(axis=1)
    best = int(np.argmax(closeness))
    return int(owners[best]), float(closeness[best])


def _described_as_mine(db: Database) -> list[int]:
    """Entities with an alias "my ..." (an index range, not a scan)."""
    rows = db.execute(
        "SELECT DISTINCT entity_id FROM aliases WHERE key >= 'my ' AND key < 'my!' LIMIT ?",
        [MAX_DESCRIBED],
    )
    return [row[0] for row in rows]


def _facts_of(db: Database, entity_ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """(owners, vectors) of the entities' valid facts."""
    marks = ",".join("?" * len(entity_ids))
    rows = db.execute(
        "SELECT f.subject_id, v.vector FROM facts f JOIN fact_vectors v ON v.fact_id = f.id "
        f"WHERE f.subject_id IN ({marks}) AND f.invalid_at IS NULL",
        entity_ids,
    ).fetchall()
    owners = np.array([owner for owner, _ in rows], dtype=np.int64)
    return owners, from_blobs([vector for _, vector in rows])
