"""Which entity a question means when it names none, found by meaning.

"How late is the ice rink open on a Saturday?" names no entity or alias, yet "the ice
rink" is "my skating club". A question's referring phrases
(:mod:`assistant.language.references`) are compared, in WordLlama's embeddings, with every
entity's name and aliases (descriptions such as "my dog" are aliases or names), held
in memory and read again whenever ``meaning_version`` has moved (every change to a
name or alias moves it, in the same transaction). A large graph's names are first
compared by their vectors' first 128 dimensions (WordLlama's are Matryoshka
embeddings: a prefix is an embedding too, at half the cost), and the
:data:`PRESELECTED` closest exactly; with no more names than that, all are compared
exactly. A phrase
the user says is theirs ("my little boy", "my beagle") is also compared with the
valid facts of every entity the user has described as theirs (an alias "my ...":
Juniper, "my dog"), read from SQLite: what the user has may be known by what was said
about it ("My dog Juniper's breed is beagle."). An entity's score is its closest
text; the best is meant when it is at least :data:`REFERENCE_MIN_SIMILARITY` close.

"The X" is not compared with facts: "What does the wicketkeeper wear?" asks about
wicketkeepers, not about the son who keeps wicket (docs/METHOD.md §7 measures both).
"My X" is not compared with proper names either: a name's vector is its letters (a
phrase like "my tea" can come near a name that shares its letters, docs/METHOD.md
§13), and what the user has is known by how they described it.

A phrase whose last word says what someone is — a relative, a role, a pet ("my
brother", "the vet", "my cat": :mod:`assistant.language.roles`) — is never matched by
meaning: "brother" is close to "sister" because they differ in one respect, the one
that matters. It means the entity the user described as that kind of person or animal
(:func:`someone_described`), or, for "my X", someone the graph does not know yet.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from ..language.descriptions import is_users_own
from ..language.references import Reference
from ..language.roles import head_kinds, same_someone, word_kinds
from .embedder import DIMENSIONS, STORED_DTYPE, cosines, embed, from_blobs, unit

#: How close (cosine) a referring phrase must be to an entity's name, an alias or (for
#: "my X") a fact for the entity to be what the question means. docs/METHOD.md §7:
#: on the dev scenarios, the phrases of general questions reached at most 0.17, and
#: places named another way than the user described them well above.
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


@dataclass(frozen=True)
class Described:
    """Someone a question describes by what they are ("my brother"), and the entity
    the user described that way (None: nobody the graph knows)."""

    words: str
    mine: bool
    entity: str | None


class _Names:
    """Every entity name and alias vector of one database, as of one version."""

    def __init__(self) -> None:
        self.version: int | None = None
        self.owners = np.zeros(0, dtype=np.int64)
        self.proper = np.zeros(0, dtype=bool)  # rows that are a proper name, not a description
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
            "SELECT v.entity_id, v.vector, NOT (e.key >= 'my ' AND e.key < 'my!') "
            "FROM entity_vectors v JOIN entities e ON e.id = v.entity_id UNION ALL "
            "SELECT a.entity_id, v.vector, 0 FROM alias_vectors v "
            "JOIN aliases a ON a.id = v.alias_id"
        )
        owners, rows = [np.zeros(0, dtype=np.int64)], [np.zeros((0, DIMENSIONS), STORED_DTYPE)]
        proper = [np.zeros(0, dtype=bool)]
        while chunk := cursor.fetchmany(4096):
            owners.append(np.array([owner for owner, _, _ in chunk], dtype=np.int64))
            proper.append(np.array([bool(named) for _, _, named in chunk], dtype=bool))
            stored = np.frombuffer(b"".join(vector for _, vector, _ in chunk), dtype=STORED_DTYPE)
            rows.append(stored.reshape(len(chunk), DIMENSIONS))
        self.owners, self.rows = np.concatenate(owners), np.concatenate(rows)
        self.proper = np.concatenate(proper)
        self.prefixes = self.rows[:, :PREFIX_DIMENSIONS].astype(np.float32)
        self.prefixes /= np.maximum(np.linalg.norm(self.prefixes, axis=1, keepdims=True), 1e-12)

    def closest(self, asked: np.ndarray, names_too: bool = True) -> tuple[int, float] | None:
        """(entity, similarity) of the name or alias closest to any asked vector; with
        ``names_too`` False, of the descriptions only ("my dog", "my skating club")."""
        if not len(asked):
            return None
        owners, rows, prefixes = self.owners, self.rows, self.prefixes
        if not names_too:
            kept = ~self.proper
            owners, rows, prefixes = owners[kept], rows[kept], prefixes[kept]
        if len(owners) <= PRESELECTED:
            return _closest_row(owners, rows.astype(np.float32), asked)
        near = cosines(prefixes, unit(asked[:, :PREFIX_DIMENSIONS])).max(axis=1)
        chosen = np.argpartition(-near, PRESELECTED)[:PRESELECTED]
        return _closest_row(owners[chosen], rows[chosen].astype(np.float32), asked)


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
    or no entities). A reference to a kind of person or animal is left out (see
    :func:`someone_described`); "my X" is compared with descriptions and facts, "the
    X" with names too."""
    references = [r for r in references if not head_kinds(r.words)]
    if not references:
        return None
    asked = embed([r.words for r in references])
    mine = np.array([r.mine for r in references], dtype=bool)
    names = _names.setdefault(db, _Names()).current(db)
    best = _better(names.closest(asked[~mine]), names.closest(asked[mine], names_too=False))
    if mine.any():
        best = _better(best, _closest_row(*_facts_of(db, _described_as_mine(db)), asked[mine]))
    if best is None:
        return None
    entity_id, similarity = best
    name = db.execute("SELECT name FROM entities WHERE id = ?", [entity_id]).fetchone()[0]
    return Meant(name, similarity)


def _better(
    first: tuple[int, float] | None, second: tuple[int, float] | None
) -> tuple[int, float] | None:
    if first is None or (second is not None and second[1] > first[1]):
        return second
    return first


def someone_described(db: Database, references: list[Reference]) -> Described | None:
    """The first reference to a kind of person or animal ("my brother", "the vet"),
    with the entity the user described as one (by an alias or a description, "my
    sister" for Marisol; by its last word first, so "my GP" finds "my GP" before "my
    GP surgery"; of several, the closest in meaning); None when no reference says what
    someone is."""
    for reference in references:
        asked = head_kinds(reference.words)
        if not asked:
            continue
        described = _descriptions(db)
        for kinds_of in (head_kinds, word_kinds):
            alike = [(e, d) for e, d in described if same_someone(asked, kinds_of(d))]
            if alike:
                return Described(reference.words, reference.mine, _closest(reference, alike))
        return Described(reference.words, reference.mine, None)
    return None


def _closest(reference: Reference, alike: list[tuple[str, str]]) -> str:
    """Of several people of the asked kind, the one whose description is closest to
    the reference ("my yoga instructor": "my yoga teacher", not "my piano teacher")."""
    if len({entity for entity, _ in alike}) == 1:
        return alike[0][0]
    vectors = embed([reference.words, *(d for _, d in alike)])
    best = int(np.argmax(vectors[1:] @ vectors[0]))
    return alike[best][0]


def _descriptions(db: Database) -> list[tuple[str, str]]:
    """(entity, description) for every "my ..." name and alias: an index range."""
    rows = db.execute(
        "SELECT name, name FROM entities WHERE key >= 'my ' AND key < 'my!' UNION ALL "
        "SELECT e.name, a.alias FROM aliases a JOIN entities e ON e.id = a.entity_id "
        "WHERE a.key >= 'my ' AND a.key < 'my!' LIMIT ?",
        [MAX_DESCRIBED],
    )
    return [(entity, description) for entity, description in rows]


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
