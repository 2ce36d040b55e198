"""Where facts came from and what they replaced: the question and message that taught
each one, every question it answers, and the facts its correction replaced.

A fact learned from a correction carries that correction's id; the correction's
edit log names the facts it removed, so one fact's lineage runs back along every
update. Each read is one query, its ids passed as one JSON parameter (no cap on how
many).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..facts import Fact, FactSource
from .graph_base import GraphBase
from .graph_rows import FACT_COLUMNS, fact_of_row

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


class FactLineage(GraphBase):
    """Reads where facts were learned and what they replaced."""

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
        attribute, whatever words its statement used: "I dropped Hungarian, I'm taking
        Portuguese lessons now" answers "Which language am I picking up?"). One query."""
        answered: dict[int, list[str]] = {}
        for fact_id, question in self.db.execute(_QUESTIONS_ANSWERED, [json.dumps(list(fact_ids))]):
            answered.setdefault(fact_id, []).append(question)
        return answered

    def replaced_by(self, fact_ids: Iterable[int]) -> dict[int, list[Fact]]:
        """The facts each fact's correction replaced (invalidated), oldest first: what
        was true before it. One query."""
        sql = (
            f"SELECT n.id, {FACT_COLUMNS} FROM facts n "
            "JOIN edit_log l ON l.correction_id = n.correction_id AND l.op = 'remove' "
            "JOIN facts f ON f.id = l.fact_id JOIN entities e ON e.id = f.subject_id "
            "WHERE n.id IN (SELECT value FROM json_each(?)) ORDER BY f.id"
        )
        replaced: dict[int, list[Fact]] = {}
        for new_id, *row in self.db.execute(sql, [json.dumps(list(fact_ids))]):
            replaced.setdefault(new_id, []).append(fact_of_row(row))
        return replaced
