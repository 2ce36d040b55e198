"""Applying a correction and undoing it.

A correction is recorded and its edits applied in one transaction, each edit written
to the edit log with its scores; a removed fact is invalidated (kept with
``invalid_at`` so history can be shown), not deleted. Undo replays the log backwards,
so the graph is exactly as it was before the correction.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import InputError, NotFoundError
from ..facts import AddFact, AppliedCorrection, CorrectionInput, Edit, EditOp, Fact
from ..timeutil import utc_now
from .correction_log import CorrectionLog
from .fact_reads import FactReads
from .graph_rows import NEXT_ID, clean_text


class CorrectionWrites(FactReads, CorrectionLog):
    """Applies corrections and undoes them through the edit log."""

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
