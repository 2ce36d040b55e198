"""A small picture of one entity and its neighbours, drawn with QGraphicsView.

The entity sits in the middle; every fact about it points out to its object, every
fact whose object is this entity points in; facts sharing an endpoint share one edge,
labelled with what their sentences say links the two ("lives in" of "My sister Anna
lives in Lisbon.", whatever the relation is named; the relation for a fact without a
sentence); pointing at an edge shows its facts as sentences ("Rex's vet is Dr.
Moreau."). Neighbours that are entities themselves can be clicked to move to them.
**Forget…** deletes the entity shown and everything learned about it, after asking
(and, when the user ticks it, the messages that state it). A two-hop answer's path is
drawn from its first entity: both links and their nodes in the accent colour, the
second hop beyond the node it goes through.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assistant.api import (
    Edge,
    Fact,
    Forgotten,
    GraphStore,
    NotFoundError,
    counted,
    forget_entity,
    messages_stating_entity,
    path_said_to_user,
)

from .fact_text import edge_label, sentence
from .forget_dialog import ask_and_forget
from .theme import current_colors

RADIUS = 190.0
MAX_NEIGHBOURS = 16
LABEL_CHARS = 28
MAX_ZOOM = 1.3
PATH_PEN_WIDTH = 2.4
HINT = "Click a blue node to move to that entity."


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


class _Node(QGraphicsRectItem):
    def __init__(self, name: str, fill: str, border: str, text: str, bold: bool = False):
        label = QGraphicsSimpleTextItem(_short(name))
        font = QFont(label.font())
        font.setBold(bold)
        label.setFont(font)
        label.setBrush(QColor(text))
        bounds = label.boundingRect()
        width, height = bounds.width() + 22, bounds.height() + 12
        super().__init__(-width / 2, -height / 2, width, height)
        self.name = name
        self.setBrush(QBrush(QColor(fill)))
        self.setPen(QPen(QColor(border), 1.4))
        label.setParentItem(self)
        label.setPos(-bounds.width() / 2, -bounds.height() / 2)
        self.setToolTip(name)
        self.setZValue(2)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(self.brush())
        painter.setPen(self.pen())
        painter.drawRoundedRect(self.rect(), 9, 9)


class GraphView(QWidget):
    entity_chosen = Signal(str)
    forgotten = Signal(object)  # a Forgotten: the entity's facts, and messages deleted

    def __init__(self, store: GraphStore, parent=None):
        super().__init__(parent)
        self.store = store
        self.entity: str | None = None
        self.path: list[Fact] = []  # the two-hop path shown highlighted, if any
        self.highlighted: list[str] = []  # the path's nodes, in its order
        self._facts: dict[int, Fact] = {}  # the facts of the edges drawn, by id
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        self.chooser = QComboBox()
        self.chooser.currentTextChanged.connect(self._on_chosen)
        layout.addWidget(self.chooser)
        self.scene = QGraphicsScene(self)
        self.view = _Canvas(self.scene)
        self.view.node_clicked.connect(self._on_node_clicked)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.hint = QLabel(HINT, objectName="Muted", wordWrap=True)
        row.addWidget(self.hint, 1)
        self.forget_button = QPushButton("Forget…", enabled=False)
        self.forget_button.clicked.connect(self.forget_shown)
        row.addWidget(self.forget_button)
        layout.addLayout(row)

    def refresh(self) -> None:
        names = self.store.entity_names()
        current = self.entity if self.entity in names else (names[0] if names else None)
        self.chooser.blockSignals(True)
        self.chooser.clear()
        self.chooser.addItems(names)
        if current:
            self.chooser.setCurrentText(current)
        self.chooser.blockSignals(False)
        self.show_entity(current, self._kept_path(current))

    def _kept_path(self, entity: str | None) -> list[Fact] | None:
        """The path shown, while it starts at the entity shown and its facts are valid."""
        if not self.path or entity != self.path[0].subject:
            return None
        try:
            fresh = [self.store.fact(fact.id) for fact in self.path]
        except NotFoundError:
            return None
        return fresh if all(fact.invalid_at is None for fact in fresh) else None

    def _on_chosen(self, name: str) -> None:
        if name:
            self.show_entity(name)

    def show_entity(self, entity: str | None, path: list[Fact] | None = None) -> None:
        self.entity, self.path, self.highlighted = entity, list(path or []), []
        self.scene.clear()
        self.hint.setText(f"The answer's path: {path_said_to_user(self.path)}" if path else HINT)
        self.forget_button.setEnabled(entity is not None)
        self.forget_button.setToolTip(
            f"Delete {entity} and everything learned about it, for good" if entity else ""
        )
        if entity is None:
            self.scene.addText("No facts learned yet.")
            return
        if self.chooser.currentText() != entity:
            self.chooser.blockSignals(True)
            self.chooser.setCurrentText(entity)
            self.chooser.blockSignals(False)
        self._draw(entity, self._edges_to_draw(entity))
        self.view.setSceneRect(self.scene.itemsBoundingRect().adjusted(-20, -20, 20, 20))
        self._fit()

    def show_path(self, path: list[Fact]) -> None:
        """A two-hop answer's path, highlighted, from the entity it starts at."""
        self.show_entity(path[0].subject, path)

    def _edges_to_draw(self, entity: str) -> list[Edge]:
        """The first neighbours, and the path's first link even when it is not one."""
        edges = self.store.neighbourhood(entity)
        on_path = {fact.id for fact in self.path}
        return edges[:MAX_NEIGHBOURS] + [
            edge for edge in edges[MAX_NEIGHBOURS:] if on_path & set(edge.fact_ids)
        ]

    def forget_shown(self) -> Forgotten | None:
        """Forget the entity shown, after asking; None when the user declined."""
        entity = self.entity
        if entity is None:
            return None
        facts = counted(len(self.store.facts(entity, include_invalid=True)), "fact")
        forgotten = ask_and_forget(
            self,
            self.store,
            "Forget",
            f"Forget {entity} for good? Its {facts}, names and corrections are deleted; "
            "the assistant will no longer know anything about it, and no copy is kept.",
            messages_stating_entity(self.store, entity),
            lambda with_messages: forget_entity(self.store, entity, with_messages=with_messages),
        )
        if forgotten is not None:
            self.entity = None
            self.forgotten.emit(forgotten)
        return forgotten

    def _fit(self) -> None:
        """Fill the view with the drawing, but never blow a small one up past MAX_ZOOM."""
        self.view.resetTransform()
        self.view.fitInView(self.view.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        zoom = self.view.transform().m11()
        if zoom > MAX_ZOOM:
            self.view.resetTransform()
            self.view.scale(MAX_ZOOM, MAX_ZOOM)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.entity is not None:
            self._fit()

    def node_names(self) -> list[str]:
        return [item.name for item in self.scene.items() if isinstance(item, _Node)]

    def _draw(self, entity: str, edges: list[Edge]) -> None:
        # Every fact an edge's tooltip says, read in one query.
        drawn = [fact_id for edge in edges for fact_id in edge.fact_ids]
        self._facts = self.store.facts_by_id([*drawn, *(f.id for f in self.path)])
        c = current_colors()
        self.scene.setBackgroundBrush(QColor(c.window))
        centre = _Node(entity, c.accent, c.accent, c.accent_text, bold=True)
        self.scene.addItem(centre)
        first_hop = self.path[0].id if self.path else None
        for index, edge in enumerate(edges):
            angle = 2 * math.pi * index / max(len(edges), 1) - math.pi / 2
            position = QPointF(RADIUS * 1.25 * math.cos(angle), RADIUS * math.sin(angle))
            node = self._neighbour(edge.other, edge.other_is_entity, position, c)
            on_path = first_hop in edge.fact_ids
            self._edge(centre, node, edge, c, on_path)
            if on_path:
                self.highlighted = [entity, edge.other]
                self._second_hop(node, c)

    def _neighbour(self, name: str, is_entity: bool, position: QPointF, c) -> _Node:
        fill = c.selection if is_entity else c.card
        node = _Node(name, fill, c.accent if is_entity else c.border, c.text)
        node.setPos(position)
        if is_entity:
            node.setCursor(Qt.CursorShape.PointingHandCursor)
        self.scene.addItem(node)
        return node

    def _second_hop(self, through: _Node, c) -> None:
        """The path's second link, drawn on outward from the node it goes through."""
        second = self.path[1]
        where = through.pos()
        outward = where * (1 + RADIUS * 0.9 / max(math.hypot(where.x(), where.y()), 1.0))
        is_entity = self.store.resolve_entity(second.object) is not None
        node = self._neighbour(second.object, is_entity, outward, c)
        edge = Edge(second.object, (second.relation,), True, is_entity, (second.id,))
        self._edge(through, node, edge, c, on_path=True)
        self.highlighted.append(second.object)

    def _edge(self, centre: _Node, node: _Node, edge: Edge, c, on_path: bool = False) -> None:
        start, end = (centre, node) if edge.outgoing else (node, centre)
        a, b = _border_point(start, end.pos()), _border_point(end, start.pos())
        colour = QColor(c.accent if on_path else c.muted)
        pen = QPen(colour, PATH_PEN_WIDTH if on_path else 1.3)
        if on_path:
            node.setPen(QPen(QColor(c.accent), PATH_PEN_WIDTH))
        line = self.scene.addLine(a.x(), a.y(), b.x(), b.y(), pen)
        line.setZValue(0)
        arrow = self.scene.addPolygon(_arrow_head(a, b), pen, QBrush(colour))
        arrow.setZValue(1)
        label = QGraphicsSimpleTextItem(_short(self.label(edge)))
        label.setBrush(colour)
        font = QFont(label.font())
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        label.setFont(font)
        middle = (a + b) / 2
        bounds = label.boundingRect()
        backdrop = self.scene.addRect(
            QRectF(0, 0, bounds.width() + 8, bounds.height() + 2),
            QPen(Qt.PenStyle.NoPen),
            QBrush(QColor(c.window)),
        )
        backdrop.setPos(middle.x() - bounds.width() / 2 - 4, middle.y() - bounds.height() / 2 - 1)
        backdrop.setZValue(1)
        label.setParentItem(backdrop)
        label.setPos(4, 1)
        said = self.sentences(edge)
        for item in (line, arrow, backdrop, label):
            item.setToolTip(said)

    def label(self, edge: Edge) -> str:
        """The edge's facts as their sentences link them ("lives in"), each once."""
        if not edge.fact_ids:
            return ", ".join(edge.relations)
        labels = (edge_label(self._fact(fact_id)) for fact_id in edge.fact_ids)
        return ", ".join(dict.fromkeys(labels))

    def sentences(self, edge: Edge) -> str:
        """The edge's facts, one sentence a line, as said to the user."""
        return "\n".join(sentence(self._fact(fact_id)) for fact_id in edge.fact_ids)

    def _fact(self, fact_id: int) -> Fact:
        """A fact of the drawing, as read for it (the store's, for one it did not read)."""
        return self._facts.get(fact_id) or self.store.fact(fact_id)

    def _on_node_clicked(self, name: str) -> None:
        entity = self.store.resolve_entity(name)
        if entity and entity != self.entity:
            self.show_entity(entity)
            self.entity_chosen.emit(entity)


class _Canvas(QGraphicsView):
    """The drawing area; says which node was clicked."""

    node_clicked = Signal(str)

    def __init__(self, scene: QGraphicsScene):
        super().__init__(scene)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)

    def mousePressEvent(self, event) -> None:
        item = self.itemAt(event.position().toPoint())
        while item is not None and not isinstance(item, _Node):
            item = item.parentItem()
        if isinstance(item, _Node):
            self.node_clicked.emit(item.name)
        super().mousePressEvent(event)


def _border_point(node: QGraphicsItem, toward: QPointF) -> QPointF:
    """Where the line from the node's centre toward ``toward`` leaves its rectangle."""
    centre = node.pos()
    rect = node.rect()
    dx, dy = toward.x() - centre.x(), toward.y() - centre.y()
    if dx == 0 and dy == 0:
        return centre
    scale = min(
        rect.width() / 2 / abs(dx) if dx else math.inf,
        rect.height() / 2 / abs(dy) if dy else math.inf,
    )
    return QPointF(centre.x() + dx * scale, centre.y() + dy * scale)


def _arrow_head(start: QPointF, tip: QPointF, size: float = 9.0) -> QPolygonF:
    angle = math.atan2(tip.y() - start.y(), tip.x() - start.x())
    left = QPointF(tip.x() - size * math.cos(angle - 0.4), tip.y() - size * math.sin(angle - 0.4))
    right = QPointF(tip.x() - size * math.cos(angle + 0.4), tip.y() - size * math.sin(angle + 0.4))
    return QPolygonF([tip, left, right])
