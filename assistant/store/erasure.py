"""Deleting from the graph for good (privacy): facts, or an entity with everything
about it.

Unlike a correction's removal, which invalidates a fact and keeps it as history,
deleting removes the rows, their edit-log rows, the corrections left with nothing to
show and any wrong answer that quoted a deleted fact, then empties the write-ahead
log, so no copy of the text remains in the database's files. The vectors go with
their rows (ON DELETE CASCADE). The chat messages that state a fact are
:mod:`assistant.store.forgetting`'s.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import NotFoundError
from ..facts import Fact
from .database import erase_deleted_text, write_transaction
from .fact_reads import FactReads


class Erasure(FactReads):
    """Deletes facts and entities for good."""

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

    def erase_deleted_text(self) -> bool:
        """Empty the write-ahead log after a delete (see
        :func:`assistant.store.database.erase_deleted_text`)."""
        return erase_deleted_text(self.db)

    def _delete_orphaned_corrections(self, correction_ids: Iterable[int]) -> None:
        for correction_id in correction_ids:
            left = self.db.execute(
                "SELECT count(*) FROM edit_log WHERE correction_id = ?", [correction_id]
            ).fetchone()[0]
            if left == 0:
                self.db.execute("DELETE FROM corrections WHERE id = ?", [correction_id])

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
