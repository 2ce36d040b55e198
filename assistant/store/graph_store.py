"""The personal knowledge graph in SQLite: entities, aliases, facts, corrections, edit log.

Handed a :class:`sqlite_utils.Database` (see :mod:`assistant.store.database`). Every write is
one transaction, so a correction is wholly applied or not at all, even if the process
is killed mid-way. Removing a fact through tuning *invalidates* it (kept with
``invalid_at`` so history can be shown); deleting a fact really deletes it. The
vectors of facts, names and aliases (:mod:`assistant.meaning.index`) are written in
the same transactions, so they are always those of the graph as it is.

:class:`GraphStore` is the one object callers use. Its methods live in one module per
concern, each a class that builds on the ones it needs:

- :mod:`~assistant.store.graph_base`: the database and the shared write transaction;
- :mod:`~assistant.store.entity_names`: entities and their names and aliases;
- :mod:`~assistant.store.fact_reads`: facts by subject, by id, replaced, counted;
- :mod:`~assistant.store.neighbourhood`: the graph around one entity;
- :mod:`~assistant.store.fact_lineage`: where a fact was learned, what it replaced;
- :mod:`~assistant.store.correction_log`: the corrections and their edits, read back;
- :mod:`~assistant.store.correction_writes`: applying a correction, and undo;
- :mod:`~assistant.store.fact_import`: imported facts and aliases;
- :mod:`~assistant.store.erasure`: deleting facts and entities for good.

They are combined by inheritance rather than held as parts the store delegates to:
the concerns share one database, one transaction and one another's lookups (undo
reads the edit log and facts; erasure resolves names), so each class says what it
builds on by its bases, every method is written once, and callers keep calling
``store.facts(...)`` with no forwarding layer of some forty methods in between. No
method is defined by two of them (tests/assistant/store/test_graph_store.py checks),
so the order of the bases never decides which one runs.
"""

from __future__ import annotations

from .correction_writes import CorrectionWrites
from .erasure import Erasure
from .fact_import import FactImport
from .fact_lineage import FactLineage
from .neighbourhood import Neighbourhood


class GraphStore(CorrectionWrites, Erasure, FactImport, Neighbourhood, FactLineage):
    """Reads and writes the user's knowledge graph."""
