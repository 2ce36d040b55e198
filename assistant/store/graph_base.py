"""What every part of the graph store stands on: the database it is handed, and the
write transaction its writes share.

A write stores the vectors of the rows it touched (:mod:`assistant.meaning.index`)
before it commits, so the vectors are always those of the graph as it is; the parts
that add or move rows note them on ``self._pending`` while a write is open.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database

from ..language.text import entity_key
from ..meaning.index import PendingVectors
from .database import write_transaction


class GraphBase:
    """The database and the one write transaction of the graph store."""

    def __init__(self, db: Database):
        self.db = db
        # Object text has no stored key: the neighbourhood's SQL calls entity_key.
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
