"""The personal knowledge graph in SQLite: entities, aliases, facts, corrections, edit log.

Handed a :class:`sqlite_utils.Database` (see :mod:`assistant.store.database`). Every write is
one transaction, so a correction is wholly applied or not at all, even if the process
is killed mid-way. Removing a fact through tuning *invalidates* it (kept with
``invalid_at`` so history can be shown); deleting a fact really deletes it. The
vectors of facts, names and aliases (:mod:`assistant.meaning.index`) are written in
the same transactions, so they are always those of the graph as it is.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from sqlite_utils import Database

from ..errors import InputError, NotFoundError
from ..facts import (
    AddFact,
    AppliedCorrection,
    CorrectionHistory,
    CorrectionInput,
    CorrectionRecord,
    Edge,
    Edit,
    EditOp,
    Fact,
    FactSource,
)
from ..language.descriptions import USER_KEY, described_as_mine
from ..language.text import WORD, entity_key, one_line
from ..meaning.index import PendingVectors
from ..timeutil import utc_now
from .database import erase_deleted_text, write_transaction

_FACT_COLUMNS = """
    f.id, e.name AS subject, f.relation, f.object, f.created_at, f.invalid_at, f.correction_id,
    f.sentence, f.phrasings
"""
_FACT_FROM = "facts f JOIN entities e ON e.id = f.subject_id"
_CORRECTION_COLUMNS = """
    id, query, model_answer, user_answer, subject, created_at, undone_at, message_id,
    loss_before, loss_after
"""
_EDIT_ROWS = f"""
    SELECT l.correction_id, l.op, {_FACT_COLUMNS}
    FROM edit_log l JOIN facts f ON f.id = l.fact_id JOIN entities e ON e.id = f.subject_id
"""
# An entity's neighbours: its own valid facts point out to their objects (is the object
# an entity itself?), other entities' valid facts whose object names it point in. Object
# text has no stored key, so the app's entity_key is registered as an SQL function.
# A fact and, recursively, the facts its correction removed: every question it answers.
_QUESTIONS_ANSWERED = """
    WITH RECURSIVE answered(fact_id, via) AS (
        SELECT f.id, f.id FROM facts f WHERE f.id IN (SELECT value FROM json_each(?))
        UNION
        SELECT a.fact_id, l.fact_id FROM answered a
        JOIN facts f ON f.id = a.via
        JOIN edit_log l ON l.correction_id = f.correction_id AND l.op = 'remove'
    )
    SELECT a.fact_id, c.query FROM answered a
    JOIN facts f ON f.id = a.via JOIN corrections c ON c.id = f.correction_id
"""
_NEIGHBOURHOOD = """
    SELECT other, relation, outgoing, other_is_entity, id FROM (
        SELECT f.id, f.object AS other, f.relation, 1 AS outgoing,
            EXISTS (SELECT 1 FROM entities o WHERE o.key = entity_key(f.object))
                AS other_is_entity
        FROM facts f JOIN entities e ON e.id = f.subject_id
        WHERE e.key = :key AND f.invalid_at IS NULL
        UNION ALL
        SELECT f.id, e.name, f.relation, 0, 1
        FROM facts f JOIN entities e ON e.id = f.subject_id
        WHERE e.key != :key AND f.invalid_at IS NULL AND entity_key(f.object) = :key
    ) ORDER BY outgoing DESC, id
"""
# The next never-used id of a table (migration 0004): a deleted row's id is never
# handed out again, so a stale Undo or panel row cannot reach a newer row.
NEXT_ID = "(SELECT last_id + 1 FROM id_high_water WHERE name = ?)"
# Keys looked up per statement (each is bound twice; SQLite's floor limit is 999).
_LOOKUP_BATCH = 400


def _fact(row: Sequence) -> Fact:
    *fields, phrasings = row
    return Fact(*fields, tuple(p for p in (phrasings or "").split("\n") if p))


def clean_text(text: str, what: str) -> str:
    """Text as the graph stores it: one line, whitespace collapsed; empty text and
    control characters (a stray NUL, a terminal escape sequence) are refused."""
    cleaned = one_line(text)
    if not cleaned:
        raise InputError(f"{what} is empty")
    control = next((c for c in cleaned if unicodedata.category(c) == "Cc"), None)
    if control is not None:
        raise InputError(f"{what} contains the control character U+{ord(control):04X}")
    return cleaned


class GraphStore:
    """Reads and writes the user's knowledge graph."""

    def __init__(self, db: Database):
        self.db = db
        db.register_function(entity_key, deterministic=True)
        self._pending: PendingVectors | None = None

    @contextmanager
    def _writing(self) -> Iterator[PendingVectors]:
        """One write transaction, whose rows' vectors are stored before it commits."""
        with write_transaction(self.db):
            self._pending = PendingVectors(self.db)
            try:
                yield self._pending
                self._pending.flush()
            finally:
                self._pending = None

    # ----- entities and aliases -------------------------------------------------

    def entity_names(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT name FROM entities ORDER BY name")]

    def alias_map(self) -> dict[str, str]:
        """Every name the user's entities are known by (names and aliases) -> entity name."""
        names = {name: name for name in self.entity_names()}
        rows = self.db.execute(
            "SELECT a.alias, e.name FROM aliases a JOIN entities e ON e.id = a.entity_id"
        )
        names.update({alias: name for alias, name in rows})
        return names

    def resolve_entity(self, name: str) -> str | None:
        """The canonical entity name for a name or alias (case and punctuation
        insensitive), if known."""
        found = self._lookup_keys([entity_key(name)])
        return found.get(entity_key(name))

    def _lookup_keys(self, keys: list[str]) -> dict[str, str]:
        """Normalised names/aliases among ``keys`` -> entity name, by index lookups."""
        keys = [k for k in dict.fromkeys(keys) if k]
        found: dict[str, str] = {}
        # SQLite caps bound variables per statement: a pasted essay has more n-grams.
        for start in range(0, len(keys), _LOOKUP_BATCH):
            batch = keys[start : start + _LOOKUP_BATCH]
            marks = ",".join("?" * len(batch))
            rows = self.db.execute(
                f"SELECT key, name FROM entities WHERE key IN ({marks}) UNION ALL "
                "SELECT a.key, e.name FROM aliases a JOIN entities e ON e.id = a.entity_id "
                f"WHERE a.key IN ({marks})",
                batch + batch,
            )
            found.update(rows.fetchall())
        return found

    def find_entity_in(
        self,
        message: str,
        max_words: int = 8,
        *,
        accept: Callable[[str, str, tuple[int, int] | None], bool] | None = None,
    ) -> str | None:
        """The known entity named in ``message`` (longest name or alias wins), found
        with index lookups of the message's word n-grams: no scan of all entities.
        ``accept(entity, key, span)`` may turn down a found entity, given the matched
        key and where its words stand in ``message`` (None for a description the lookup
        added, "my choir" for "the choir"); the next longest is tried then."""
        tokens = entity_key(message).split()
        spans = [m.span() for m in WORD.finditer(message)]
        if len(spans) != len(tokens):  # a key that lower-casing re-split: no positions
            spans = []
        positioned = [
            (" ".join(tokens[i : i + n]), (spans[i][0], spans[i + n - 1][1]) if spans else None)
            for n in range(min(max_words, len(tokens)), 0, -1)
            for i in range(len(tokens) - n + 1)
        ]
        grams = [gram for gram, _ in positioned]
        described = described_as_mine(grams)
        found = self._lookup_keys([*grams, *described])
        for gram, span in [*positioned, *((gram, None) for gram in described)]:  # longest first
            if gram in found and (accept is None or accept(found[gram], gram, span)):
                return found[gram]
        return None

    def _entity_id(self, name: str) -> int | None:
        row = self.db.execute(
            "SELECT id FROM entities WHERE key = ?", [entity_key(name)]
        ).fetchone()
        return row[0] if row else None

    def names_of(self, entity: str) -> list[str]:
        """Every name ``entity`` is known by: its own first, then its aliases; empty
        for an unknown entity."""
        canonical = self.resolve_entity(entity)
        if canonical is None:
            return []
        rows = self.db.execute(
            "SELECT a.alias FROM aliases a JOIN entities e ON e.id = a.entity_id "
            "WHERE e.key = ? ORDER BY a.id",
            [entity_key(canonical)],
        )
        return [canonical, *(row[0] for row in rows)]

    def _ensure_entity(self, name: str, correction_id: int | None) -> int:
        canonical = self.resolve_entity(name)
        if canonical is not None:
            return self._entity_id(canonical)
        cursor = self.db.execute(
            "INSERT INTO entities (name, key, created_at, correction_id) VALUES (?, ?, ?, ?)",
            [name, entity_key(name), utc_now(), correction_id],
        )
        self._pending.entity(cursor.lastrowid)
        return cursor.lastrowid

    def _add_alias(self, entity_id: int, alias: str, correction_id: int | None) -> None:
        if self.resolve_entity(alias) is None:
            cursor = self.db.execute(
                "INSERT INTO aliases (entity_id, alias, key, correction_id) VALUES (?, ?, ?, ?)",
                [entity_id, alias, entity_key(alias), correction_id],
            )
            self._pending.alias(cursor.lastrowid)

    def _merge_description(self, description: str, entity_id: int) -> None:
        """ "my father" was an entity of its own until the user named him ("my father
        Jorge"): its facts and aliases move to Jorge, and the description becomes one
        of his aliases. (Undo does not split them again.)"""
        known = self.resolve_entity(description)
        described_id = self._entity_id(known) if known else None
        if described_id is None or described_id == entity_id or not known.startswith("my "):
            return
        # A fact with no sentence of its own reads with its subject's name: embed anew.
        for (fact_id,) in self.db.execute(
            "SELECT id FROM facts WHERE subject_id = ?", [described_id]
        ).fetchall():
            self._pending.fact(fact_id)
        self.db.execute(
            "UPDATE facts SET subject_id = ? WHERE subject_id = ?", [entity_id, described_id]
        )
        self.db.execute(
            "UPDATE aliases SET entity_id = ? WHERE entity_id = ?", [entity_id, described_id]
        )
        self.db.execute("DELETE FROM entities WHERE id = ?", [described_id])

    def add_alias(self, entity: str, alias: str) -> None:
        """Let ``alias`` ("my dog") name ``entity`` ("Bruno") from now on."""
        entity, alias = clean_text(entity, "entity"), clean_text(alias, "alias")
        with self._writing():
            entity_id = self._ensure_entity(entity, None)
            self._add_alias(entity_id, alias, None)

    # ----- facts ---------------------------------------------------------------

    def facts(self, subject: str | None = None, include_invalid: bool = False) -> list[Fact]:
        """Facts ordered by id; valid ones only unless ``include_invalid``."""
        where, params = [], []
        if subject is not None:
            canonical = self.resolve_entity(subject)
            if canonical is None:
                return []
            where.append("e.key = ?")
            params.append(entity_key(canonical))
        if not include_invalid:
            where.append("f.invalid_at IS NULL")
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        sql = f"SELECT {_FACT_COLUMNS} FROM {_FACT_FROM} {clause} ORDER BY f.id"
        return [_fact(row) for row in self.db.execute(sql, params)]

    def valid_facts_of(self, subject: str) -> list[Fact]:
        return self.facts(subject)

    def facts_of_entities(self, names: Sequence[str], limit: int = 200) -> dict[str, list[Fact]]:
        """Valid facts of the entities among ``names`` (names or aliases), by the
        ``entity_key`` of the name that found them: the second hop of a chain (what a
        fact's object knows). One query, no lookup per name."""
        keys = list(dict.fromkeys(entity_key(n) for n in names if n))[:_LOOKUP_BATCH]
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        sql = (
            f"SELECT e.key, {_FACT_COLUMNS} FROM {_FACT_FROM} "
            f"WHERE f.invalid_at IS NULL AND e.key IN ({marks}) UNION ALL "
            f"SELECT a.key, {_FACT_COLUMNS} FROM {_FACT_FROM} "
            f"JOIN aliases a ON a.entity_id = e.id WHERE f.invalid_at IS NULL "
            f"AND a.key IN ({marks}) LIMIT ?"
        )
        found: dict[str, list[Fact]] = {}
        for key, *row in self.db.execute(sql, [*keys, *keys, limit]):
            found.setdefault(key, []).append(_fact(row))
        return found

    def user_world_facts(self) -> list[Fact]:
        """The valid facts about the user and about what they describe as theirs
        ("my car", "my dentist"): what an "I / my" question may be about when it
        names nothing the graph knows. One query."""
        # A key range, not LIKE: an index search of the entities, never a scan of
        # every fact (a million-fact graph: a scan per "I / my" question).
        sql = (
            f"SELECT {_FACT_COLUMNS} FROM {_FACT_FROM} WHERE f.invalid_at IS NULL "
            "AND (e.key = ? OR (e.key >= 'my ' AND e.key < 'my!')) ORDER BY f.id"
        )
        return [_fact(row) for row in self.db.execute(sql, [USER_KEY])]

    def fact(self, fact_id: int) -> Fact:
        row = self.db.execute(
            f"SELECT {_FACT_COLUMNS} FROM {_FACT_FROM} WHERE f.id = ?", [fact_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no fact with id {fact_id}")
        return _fact(row)

    def facts_by_id(self, fact_ids: Iterable[int]) -> dict[int, Fact]:
        """The facts with these ids, valid or not, by id; unknown ids are left out.
        One query."""
        sql = (
            f"SELECT {_FACT_COLUMNS} FROM {_FACT_FROM} "
            "WHERE f.id IN (SELECT value FROM json_each(?))"
        )
        rows = self.db.execute(sql, [json.dumps(list(dict.fromkeys(fact_ids)))])
        return {fact.id: fact for fact in map(_fact, rows)}

    def replaced_facts(self) -> list[Fact]:
        """Facts a correction invalidated (kept so the change can be seen), by id."""
        sql = (
            f"SELECT {_FACT_COLUMNS} FROM {_FACT_FROM} WHERE f.invalid_at IS NOT NULL ORDER BY f.id"
        )
        return [_fact(row) for row in self.db.execute(sql)]

    def neighbourhood(self, entity: str) -> list[Edge]:
        """The entity's valid facts grouped by the node at their other end (with the
        facts' ids), outgoing first, each group in the order its first fact was
        learned; one query."""
        key = entity_key(self.resolve_entity(entity) or entity)
        groups: dict[tuple[str, bool], tuple[list[str], bool, list[int]]] = {}
        rows = self.db.execute(_NEIGHBOURHOOD, {"key": key})
        for other, relation, outgoing, is_entity, fact_id in rows:
            group = groups.setdefault((other, bool(outgoing)), ([], bool(is_entity), []))
            relations, _, ids = group
            ids.append(fact_id)
            if relation not in relations:
                relations.append(relation)
        return [
            Edge(other, tuple(relations), outgoing, is_entity, tuple(ids))
            for (other, outgoing), (relations, is_entity, ids) in groups.items()
        ]

    def sources_of(self, fact_ids: Iterable[int]) -> dict[int, FactSource]:
        """Where each fact was learned, for those learned from a correction; one query
        (the ids travel as one JSON parameter, so there is no cap on how many)."""
        rows = self.db.execute(
            "SELECT f.id, c.query, c.message_id FROM facts f "
            "JOIN corrections c ON c.id = f.correction_id "
            "WHERE f.id IN (SELECT value FROM json_each(?))",
            [json.dumps(list(fact_ids))],
        )
        return {fact_id: FactSource(query, message_id) for fact_id, query, message_id in rows}

    def questions_answered(self, fact_ids: Iterable[int]) -> dict[int, list[str]]:
        """The questions each fact answers: the one it was learned from and those of
        the facts it replaced, back along every update (an update answers the same
        attribute, whatever words its statement used: "I gave up Welsh, I'm learning
        Korean now" answers "Which language am I learning?"). One query."""
        answered: dict[int, list[str]] = {}
        for fact_id, question in self.db.execute(_QUESTIONS_ANSWERED, [json.dumps(list(fact_ids))]):
            answered.setdefault(fact_id, []).append(question)
        return answered

    def replaced_by(self, fact_ids: Iterable[int]) -> dict[int, list[Fact]]:
        """The facts each fact's correction replaced (invalidated), oldest first: what
        was true before it. One query."""
        sql = (
            f"SELECT n.id, {_FACT_COLUMNS} FROM facts n "
            "JOIN edit_log l ON l.correction_id = n.correction_id AND l.op = 'remove' "
            "JOIN facts f ON f.id = l.fact_id JOIN entities e ON e.id = f.subject_id "
            "WHERE n.id IN (SELECT value FROM json_each(?)) ORDER BY f.id"
        )
        replaced: dict[int, list[Fact]] = {}
        for new_id, *row in self.db.execute(sql, [json.dumps(list(fact_ids))]):
            replaced.setdefault(new_id, []).append(_fact(row))
        return replaced

    def replaced_facts_of(self, subject: str) -> list[Fact]:
        """The subject's facts that a correction replaced, oldest first."""
        return [f for f in self.facts(subject, include_invalid=True) if f.invalid_at]

    def count_facts(self) -> int:
        return self.db.execute("SELECT count(*) FROM facts WHERE invalid_at IS NULL").fetchone()[0]

    def delete_facts(self, fact_ids: Iterable[int]) -> list[Fact]:
        """Really delete facts (privacy): the rows, their edit-log rows, and corrections
        left with nothing to show, so no copy of the text remains."""
        with write_transaction(self.db):
            deleted = self.remove_facts(fact_ids)
        self.erase_deleted_text()
        return deleted

    def remove_facts(self, fact_ids: Iterable[int]) -> list[Fact]:
        """:meth:`delete_facts` inside the caller's write transaction; the caller
        erases the deleted text (:meth:`erase_deleted_text`) once it has committed.
        Their vectors go with their rows (ON DELETE CASCADE)."""
        fact_ids = list(dict.fromkeys(fact_ids))
        deleted = [self.fact(fact_id) for fact_id in fact_ids]
        touched = self._corrections_touching(fact_ids)
        for fact in deleted:
            self.db.execute("DELETE FROM facts WHERE id = ?", [fact.id])
        self._delete_orphaned_corrections({f.correction_id for f in deleted} - {None})
        self._blank_answers_quoting(touched, deleted)
        return deleted

    def delete_fact(self, fact_id: int) -> Fact:
        return self.delete_facts([fact_id])[0]

    def forget_entity(self, name: str) -> int:
        """Delete an entity with all its facts, aliases and corrections; returns facts deleted."""
        with write_transaction(self.db):
            count = self.remove_entity(name)
        self.erase_deleted_text()
        return count

    def remove_entity(self, name: str) -> int:
        """:meth:`forget_entity` inside the caller's write transaction; the caller
        erases the deleted text once it has committed. Its vectors go with its rows
        (ON DELETE CASCADE)."""
        canonical = self.resolve_entity(name)
        if canonical is None:
            raise NotFoundError(f"no entity named {name!r}")
        entity_id = self._entity_id(canonical)
        count = self.db.execute(
            "SELECT count(*) FROM facts WHERE subject_id = ?", [entity_id]
        ).fetchone()[0]
        self.db.execute("DELETE FROM facts WHERE subject_id = ?", [entity_id])
        self.db.execute("DELETE FROM corrections WHERE subject = ? COLLATE NOCASE", [canonical])
        self.db.execute("DELETE FROM entities WHERE id = ?", [entity_id])
        return count

    def _delete_orphaned_corrections(self, correction_ids: Iterable[int]) -> None:
        for correction_id in correction_ids:
            left = self.db.execute(
                "SELECT count(*) FROM edit_log WHERE correction_id = ?", [correction_id]
            ).fetchone()[0]
            if left == 0:
                self.db.execute("DELETE FROM corrections WHERE id = ?", [correction_id])

    # ----- corrections ---------------------------------------------------------

    def apply_correction(
        self,
        correction: CorrectionInput,
        edits: Sequence[Edit],
        loss_before: float | None = None,
        loss_after: float | None = None,
    ) -> AppliedCorrection:
        """Record a correction and apply its edits, all in one transaction."""
        query = clean_text(correction.query, "question")
        answer = clean_text(correction.user_answer, "answer")
        subject = clean_text(correction.subject, "subject")
        now = utc_now()
        with self._writing():
            canonical = self.resolve_entity(subject) or subject
            correction_id = self.db.execute(
                "INSERT INTO corrections (id, query, model_answer, user_answer, subject, "
                f"message_id, created_at, loss_before, loss_after) VALUES ({NEXT_ID}, "
                "?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    "corrections",
                    query,
                    correction.model_answer,
                    answer,
                    canonical,
                    correction.message_id,
                    now,
                    loss_before,
                    loss_after,
                ],
            ).lastrowid
            entity_id = self._ensure_entity(canonical, correction_id)
            for alias in correction.aliases:
                alias = clean_text(alias, "alias")
                self._merge_description(alias, entity_id)
                self._add_alias(entity_id, alias, correction_id)
            applied = AppliedCorrection(correction_id, canonical)
            for edit in edits:
                self._apply_edit(edit, entity_id, correction_id, now, applied)
        return applied

    def _apply_edit(
        self, edit: Edit, entity_id: int, correction_id: int, now: str, applied: AppliedCorrection
    ) -> None:
        if isinstance(edit, AddFact):
            fact_id = self.db.execute(
                "INSERT INTO facts (id, subject_id, relation, object, created_at, correction_id, "
                f"sentence, phrasings) VALUES ({NEXT_ID}, ?, ?, ?, ?, ?, ?, ?)",
                [
                    "facts",
                    entity_id,
                    clean_text(edit.relation, "relation"),
                    clean_text(edit.object, "object"),
                    now,
                    correction_id,
                    clean_text(edit.sentence, "sentence") if edit.sentence else None,
                    "\n".join(clean_text(p, "relation") for p in edit.phrasings),
                ],
            ).lastrowid
            self._pending.fact(fact_id)
            op = EditOp.ADD
        else:
            fact_id = edit.fact_id
            changed = self.db.execute(
                "UPDATE facts SET invalid_at = ? WHERE id = ? AND invalid_at IS NULL",
                [now, fact_id],
            ).rowcount
            if changed != 1:
                raise NotFoundError(f"fact {fact_id} is not a valid fact to remove")
            op = EditOp.REMOVE
            if edit.question:
                applied.because[fact_id] = edit.question
        self.db.execute(
            "INSERT INTO edit_log (correction_id, fact_id, op, reasoning_logprob, "
            "retrieval_logprob, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [correction_id, fact_id, op, edit.reasoning_logprob, edit.retrieval_logprob, now],
        )
        (applied.added if op is EditOp.ADD else applied.removed).append(self.fact(fact_id))

    def correction(self, correction_id: int) -> CorrectionRecord:
        row = self.db.execute(
            f"SELECT {_CORRECTION_COLUMNS} FROM corrections WHERE id = ?", [correction_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no correction with id {correction_id}")
        return CorrectionRecord(*row)

    def corrections(self, include_undone: bool = True) -> list[CorrectionRecord]:
        clause = "" if include_undone else "WHERE undone_at IS NULL"
        sql = f"SELECT {_CORRECTION_COLUMNS} FROM corrections {clause} ORDER BY id"
        return [CorrectionRecord(*row) for row in self.db.execute(sql)]

    def corrections_about(self, subject: str) -> list[CorrectionRecord]:
        """The corrections (undone ones too) whose subject is ``subject``, by id."""
        sql = (
            f"SELECT {_CORRECTION_COLUMNS} FROM corrections "
            "WHERE subject = ? COLLATE NOCASE ORDER BY id"
        )
        return [CorrectionRecord(*row) for row in self.db.execute(sql, [subject])]

    def edits_of(self, correction_id: int) -> list[tuple[EditOp, Fact]]:
        """The correction's edits in the order they were applied: (op, fact)."""
        rows = self.db.execute(
            f"{_EDIT_ROWS} WHERE l.correction_id = ? ORDER BY l.id", [correction_id]
        )
        return [(EditOp(op), _fact(fact)) for _, op, *fact in rows]

    def history(self, include_undone: bool = True) -> list[CorrectionHistory]:
        """Every correction, oldest first, with its edits: two queries however many."""
        records = self.corrections(include_undone)
        edits: dict[int, list[tuple[EditOp, Fact]]] = {r.id: [] for r in records}
        for correction_id, op, *fact in self.db.execute(f"{_EDIT_ROWS} ORDER BY l.id"):
            if correction_id in edits:
                edits[correction_id].append((EditOp(op), _fact(fact)))
        return [CorrectionHistory(r, tuple(edits[r.id])) for r in records]

    def last_active_correction_id(self) -> int:
        row = self.db.execute("SELECT max(id) FROM corrections WHERE undone_at IS NULL").fetchone()
        if row[0] is None:
            raise NotFoundError("there is no correction to undo")
        return row[0]

    def undo(self, correction_id: int | None = None) -> AppliedCorrection:
        """Undo a correction, replaying its edit log backwards: added facts are deleted,
        invalidated facts become valid again, entities and aliases it created go away."""
        with self._writing():
            if correction_id is None:
                correction_id = self.last_active_correction_id()
            record = self.correction(correction_id)
            if record.undone_at is not None:
                raise InputError(f"correction {correction_id} was already undone")
            undone = AppliedCorrection(correction_id, record.subject)
            for op, fact in reversed(self.edits_of(correction_id)):
                self._reverse_edit(op, fact, undone)
            self.db.execute("DELETE FROM aliases WHERE correction_id = ?", [correction_id])
            self.db.execute(
                "UPDATE corrections SET undone_at = ? WHERE id = ?", [utc_now(), correction_id]
            )
            self._drop_entity_if_created_by(correction_id)
        return undone

    def _reverse_edit(self, op: EditOp, fact: Fact, undone: AppliedCorrection) -> None:
        if op is EditOp.ADD:
            # Delete rather than invalidate: the graph must be exactly as before.
            self.db.execute("DELETE FROM facts WHERE id = ?", [fact.id])
            undone.removed.append(fact)
        else:
            self.db.execute("UPDATE facts SET invalid_at = NULL WHERE id = ?", [fact.id])
            undone.added.append(self.fact(fact.id))

    def _drop_entity_if_created_by(self, correction_id: int) -> None:
        # The correction row keeps its text (history shows it as undone); only the
        # entity it created goes, once nothing else refers to it.
        row = self.db.execute(
            "SELECT id FROM entities WHERE correction_id = ?", [correction_id]
        ).fetchone()
        if row is None:
            return
        in_use = self.db.execute(
            "SELECT (SELECT count(*) FROM facts WHERE subject_id = :e) + "
            "(SELECT count(*) FROM aliases WHERE entity_id = :e)",
            {"e": row[0]},
        ).fetchone()[0]
        if not in_use:
            self.db.execute("DELETE FROM entities WHERE id = ?", [row[0]])

    # ----- import and erasure --------------------------------------------------

    def import_facts(
        self,
        facts: Iterable[tuple[str, str, str, str, str | None]],
        aliases: Iterable[tuple[str, str]] = (),
    ) -> tuple[int, int, int]:
        """Add (subject, relation, object, created_at, invalid_at) rows and (entity,
        alias) pairs in ONE transaction; returns (facts added, facts already present,
        aliases added).

        Imported facts belong to no correction (there is nothing to undo); an alias that
        already names another entity stops the import, and nothing is written."""
        added = skipped = new_aliases = 0
        with self._writing() as vectors:
            for subject, relation, obj, created_at, invalid_at in facts:
                entity_id = self._ensure_entity(clean_text(subject, "subject"), None)
                relation, obj = clean_text(relation, "relation"), clean_text(obj, "object")
                if self.db.execute(
                    "SELECT 1 FROM facts WHERE subject_id = ? AND relation = ? AND object = ? "
                    "AND created_at = ?",
                    [entity_id, relation, obj, created_at],
                ).fetchone():
                    skipped += 1
                    continue
                cursor = self.db.execute(
                    "INSERT INTO facts (id, subject_id, relation, object, created_at, invalid_at) "
                    f"VALUES ({NEXT_ID}, ?, ?, ?, ?, ?)",
                    ["facts", entity_id, relation, obj, created_at, invalid_at],
                )
                vectors.fact(cursor.lastrowid)
                added += 1
            for entity, alias in aliases:
                new_aliases += self._import_alias(
                    clean_text(entity, "entity"), clean_text(alias, "alias")
                )
        return added, skipped, new_aliases

    def _import_alias(self, entity: str, alias: str) -> bool:
        entity_id = self._ensure_entity(entity, None)
        owner = self.resolve_entity(alias)
        if owner is None:
            self._add_alias(entity_id, alias, None)
            return True
        if self._entity_id(owner) != entity_id:
            raise InputError(f"the alias {alias!r} already names {owner!r}, not {entity!r}")
        return False

    def erase_deleted_text(self) -> bool:
        """Empty the write-ahead log after a delete (see
        :func:`assistant.store.database.erase_deleted_text`)."""
        return erase_deleted_text(self.db)

    def _corrections_touching(self, fact_ids: list[int]) -> set[int]:
        return {
            row[0]
            for fact_id in fact_ids
            for row in self.db.execute(
                "SELECT correction_id FROM edit_log WHERE fact_id = ?", [fact_id]
            )
        }

    def _blank_answers_quoting(self, correction_ids: set[int], deleted: list[Fact]) -> None:
        # The wrong answer a correction replaced usually quotes the fact it removed
        # ("Bruno eats meat"): once that fact is deleted, the quote must go too.
        for correction_id in correction_ids:
            row = self.db.execute(
                "SELECT model_answer FROM corrections WHERE id = ?", [correction_id]
            ).fetchone()
            if row and any(f.object.casefold() in row[0].casefold() for f in deleted):
                self.db.execute(
                    "UPDATE corrections SET model_answer = '' WHERE id = ?", [correction_id]
                )
