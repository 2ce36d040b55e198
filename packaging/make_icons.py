"""Draw the app icon: a speech bubble holding a small knowledge graph.

Writes ``icons/assistant.svg`` (the source) and ``icons/assistant.png`` (256 px, for
desktop files and window icons). The PNG is rendered from the SVG with QtSvg when
PySide6 has it, else drawn again with QPainter; both need no display (offscreen).
Run: python packaging/make_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent / "icons"
SIZE = 256
TOP, BOTTOM = "#2563eb", "#0f766e"  # blue to teal, the gradient of the tile
NODES = [(88, 104), (168, 104), (128, 152)]  # a three-fact graph inside the bubble
# The bubble: a rounded rectangle (36..220 x 60..180) with a tail at the lower left.
BUBBLE = (
    "M64 60 H192 A28 28 0 0 1 220 88 V152 A28 28 0 0 1 192 180 H124 "
    "L88 210 V180 H64 A28 28 0 0 1 36 152 V88 A28 28 0 0 1 64 60 Z"
)


def svg() -> str:
    edges = "".join(
        f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}"/>'
        for a, b in [(NODES[0], NODES[1]), (NODES[1], NODES[2]), (NODES[2], NODES[0])]
    )
    nodes = "".join(f'<circle cx="{x}" cy="{y}" r="14"/>' for x, y in NODES)
    size = f'width="{SIZE}" height="{SIZE}"'
    return f"""<svg xmlns="http://www.w3.org/2000/svg" {size} viewBox="0 0 256 256">
  <defs>
    <linearGradient id="tile" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="{TOP}"/>
      <stop offset="1" stop-color="{BOTTOM}"/>
    </linearGradient>
  </defs>
  <rect x="8" y="8" width="240" height="240" rx="52" fill="url(#tile)"/>
  <path d="{BUBBLE}" fill="#ffffff"/>
  <g stroke="{BOTTOM}" stroke-width="8" stroke-linecap="round">{edges}</g>
  <g fill="{TOP}">{nodes}</g>
</svg>
"""


def render_png(svg_path: Path, png_path: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QImage, QPainter

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (keeps Qt alive)
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    try:
        from PySide6.QtSvg import QSvgRenderer

        QSvgRenderer(str(svg_path)).render(painter)
    except ImportError:
        _paint_by_hand(painter)
    painter.end()
    if not image.save(str(png_path)):
        raise OSError(f"could not write {png_path}")


def _paint_by_hand(painter) -> None:
    """The same drawing with QPainter, for a PySide6 without QtSvg."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QLinearGradient, QPainterPath, QPen

    gradient = QLinearGradient(0, 0, SIZE, SIZE)
    gradient.setColorAt(0, QColor(TOP))
    gradient.setColorAt(1, QColor(BOTTOM))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(gradient)
    painter.drawRoundedRect(QRectF(8, 8, 240, 240), 52, 52)
    bubble = QPainterPath()
    bubble.addRoundedRect(QRectF(36, 60, 184, 120), 28, 28)
    tail = QPainterPath()
    tail.moveTo(124, 179)
    tail.lineTo(88, 210)
    tail.lineTo(88, 179)
    tail.closeSubpath()
    painter.setBrush(QColor("#ffffff"))
    painter.drawPath(bubble.united(tail))
    painter.setPen(QPen(QColor(BOTTOM), 8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    for a, b in [(NODES[0], NODES[1]), (NODES[1], NODES[2]), (NODES[2], NODES[0])]:
        painter.drawLine(QPointF(*a), QPointF(*b))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(TOP))
    for x, y in NODES:
        painter.drawEllipse(QPointF(x, y), 14, 14)


def main() -> int:
    ICONS.mkdir(parents=True, exist_ok=True)
    svg_path, png_path = ICONS / "assistant.svg", ICONS / "assistant.png"
    svg_path.write_text(svg(), encoding="utf-8")
    render_png(svg_path, png_path)
    print(f"wrote {svg_path} and {png_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
