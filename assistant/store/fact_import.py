"""Facts and aliases imported from the user's own export, added to the graph in one
transaction (the file's format is :mod:`assistant.store.transfer`'s).

Imported facts belong to no correction, so there is nothing to undo; a fact already
in the graph (same subject, relation, object and creation time) is skipped, so
importing the same rows twice adds nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import InputError
from .entity_names import EntityNames
from .graph_rows import NEXT_ID, clean_text


class FactImport(EntityNames):
    """Adds imported facts and aliases to the graph."""

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
