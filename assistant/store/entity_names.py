"""Entities and the names they are known by: their own name and their aliases ("my
dog" for Bruno), looked up case and punctuation insensitively by their stored key.

Names are found by index lookups of keys, never by a scan of all entities, so a
message is matched against a graph of any size in a few statements.
"""

from __future__ import annotations

from collections.abc import Callable

from ..language.descriptions import described_as_mine
from ..language.text import WORD, entity_key
from ..timeutil import utc_now
from .graph_base import GraphBase
from .graph_rows import LOOKUP_BATCH, clean_text


class EntityNames(GraphBase):
    """Reads and writes the entities and their aliases."""

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
        for start in range(0, len(keys), LOOKUP_BATCH):
            batch = keys[start : start + LOOKUP_BATCH]
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
