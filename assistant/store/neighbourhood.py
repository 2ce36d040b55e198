"""An entity's neighbourhood: the nodes its valid facts connect it to, each with the
facts between them, for the knowledge panel's graph."""

from __future__ import annotations

from ..facts import Edge
from ..language.text import entity_key
from .entity_names import EntityNames

# An entity's neighbours: its own valid facts point out to their objects (is the object
# an entity itself?), other entities' valid facts whose object names it point in. Object
# text has no stored key, so the app's entity_key is registered as an SQL function
# (:class:`assistant.store.graph_base.GraphBase`).
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


class Neighbourhood(EntityNames):
    """Reads the graph around one entity."""

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
