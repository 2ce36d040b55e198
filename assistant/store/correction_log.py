"""The corrections and their edit log, read back: one correction, all of them, those
about a subject, each one's edits in the order they were applied, and the history the
knowledge panel shows."""

from __future__ import annotations

from ..errors import NotFoundError
from ..facts import CorrectionHistory, CorrectionRecord, EditOp, Fact
from .graph_base import GraphBase
from .graph_rows import FACT_COLUMNS, fact_of_row

_CORRECTION_COLUMNS = """
    id, query, model_answer, user_answer, subject, created_at, undone_at, message_id,
    loss_before, loss_after
"""
_EDIT_ROWS = f"""
    SELECT l.correction_id, l.op, {FACT_COLUMNS}
    FROM edit_log l JOIN facts f ON f.id = l.fact_id JOIN entities e ON e.id = f.subject_id
"""


class CorrectionLog(GraphBase):
    """Reads the corrections and the edits they made."""

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
        return [(EditOp(op), fact_of_row(fact)) for _, op, *fact in rows]

    def history(self, include_undone: bool = True) -> list[CorrectionHistory]:
        """Every correction, oldest first, with its edits: two queries however many."""
        records = self.corrections(include_undone)
        edits: dict[int, list[tuple[EditOp, Fact]]] = {r.id: [] for r in records}
        for correction_id, op, *fact in self.db.execute(f"{_EDIT_ROWS} ORDER BY l.id"):
            if correction_id in edits:
                edits[correction_id].append((EditOp(op), fact_of_row(fact)))
        return [CorrectionHistory(r, tuple(edits[r.id])) for r in records]

    def last_active_correction_id(self) -> int:
        row = self.db.execute("SELECT max(id) FROM corrections WHERE undone_at IS NULL").fetchone()
        if row[0] is None:
            raise NotFoundError("there is no correction to undo")
        return row[0]
