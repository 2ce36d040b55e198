"""Reading facts: a subject's, the user's own world's, by id, the replaced ones, and
how many there are.

Each read is one query whatever the number of facts it returns; a subject is named by
any of its names (:mod:`assistant.store.entity_names`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from ..errors import NotFoundError
from ..facts import Fact
from ..language.descriptions import USER_KEY
from ..language.text import entity_key
from .entity_names import EntityNames
from .graph_rows import FACT_COLUMNS, FACT_FROM, LOOKUP_BATCH, fact_of_row


class FactReads(EntityNames):
    """Reads the facts of the graph."""

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
        sql = f"SELECT {FACT_COLUMNS} FROM {FACT_FROM} {clause} ORDER BY f.id"
        return [fact_of_row(row) for row in self.db.execute(sql, params)]

    def valid_facts_of(self, subject: str) -> list[Fact]:
        return self.facts(subject)

    def facts_of_entities(self, names: Sequence[str], limit: int = 200) -> dict[str, list[Fact]]:
        """Valid facts of the entities among ``names`` (names or aliases), by the
        ``entity_key`` of the name that found them: the second hop of a chain (what a
        fact's object knows). One query, no lookup per name."""
        keys = list(dict.fromkeys(entity_key(n) for n in names if n))[:LOOKUP_BATCH]
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        sql = (
            f"SELECT e.key, {FACT_COLUMNS} FROM {FACT_FROM} "
            f"WHERE f.invalid_at IS NULL AND e.key IN ({marks}) UNION ALL "
            f"SELECT a.key, {FACT_COLUMNS} FROM {FACT_FROM} "
            f"JOIN aliases a ON a.entity_id = e.id WHERE f.invalid_at IS NULL "
            f"AND a.key IN ({marks}) LIMIT ?"
        )
        found: dict[str, list[Fact]] = {}
        for key, *row in self.db.execute(sql, [*keys, *keys, limit]):
            found.setdefault(key, []).append(fact_of_row(row))
        return found

    def user_world_facts(self) -> list[Fact]:
        """The valid facts about the user and about what they describe as theirs
        ("my car", "my dentist"): what an "I / my" question may be about when it
        names nothing the graph knows. One query."""
        # A key range, not LIKE: an index search of the entities, never a scan of
        # every fact (a million-fact graph: a scan per "I / my" question).
        sql = (
            f"SELECT {FACT_COLUMNS} FROM {FACT_FROM} WHERE f.invalid_at IS NULL "
            "AND (e.key = ? OR (e.key >= 'my ' AND e.key < 'my!')) ORDER BY f.id"
        )
        return [fact_of_row(row) for row in self.db.execute(sql, [USER_KEY])]

    def facts_holding(self, value: str, limit: int = 20) -> list[Fact]:
        """Valid facts whose value is ``value`` (any case): someone memory knows only as
        the value of another's fact. An index search, not a scan."""
        sql = (
            f"SELECT {FACT_COLUMNS} FROM {FACT_FROM} WHERE f.object = ? COLLATE NOCASE "
            "AND f.invalid_at IS NULL ORDER BY f.id LIMIT ?"
        )
        return [fact_of_row(row) for row in self.db.execute(sql, [value.strip(), limit])]

    def fact(self, fact_id: int) -> Fact:
        row = self.db.execute(
            f"SELECT {FACT_COLUMNS} FROM {FACT_FROM} WHERE f.id = ?", [fact_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no fact with id {fact_id}")
        return fact_of_row(row)

    def facts_by_id(self, fact_ids: Iterable[int]) -> dict[int, Fact]:
        """The facts with these ids, valid or not, by id; unknown ids are left out.
        One query."""
        sql = (
            f"SELECT {FACT_COLUMNS} FROM {FACT_FROM} WHERE f.id IN (SELECT value FROM json_each(?))"
        )
        rows = self.db.execute(sql, [json.dumps(list(dict.fromkeys(fact_ids)))])
        return {fact.id: fact for fact in map(fact_of_row, rows)}

    def replaced_facts(self) -> list[Fact]:
        """Facts a correction invalidated (kept so the change can be seen), by id."""
        sql = f"SELECT {FACT_COLUMNS} FROM {FACT_FROM} WHERE f.invalid_at IS NOT NULL ORDER BY f.id"
        return [fact_of_row(row) for row in self.db.execute(sql)]

    def replaced_facts_of(self, subject: str) -> list[Fact]:
        """The subject's facts that a correction replaced, oldest first."""
        return [f for f in self.facts(subject, include_invalid=True) if f.invalid_at]

    def count_facts(self) -> int:
        return self.db.execute("SELECT count(*) FROM facts WHERE invalid_at IS NULL").fetchone()[0]
