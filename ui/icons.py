"""The app's few icons: small SVGs in ``ui/resources``, tinted for the current theme.

Drawn from our own SVG files rather than emoji, which many systems (and Xvfb) lack.
The files write their stroke colour as ``COLOR``; it is replaced before rendering, so
one file serves the light and the dark theme.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

RESOURCES = Path(__file__).with_name("resources")
#: Rendered at twice the shown size so icons stay sharp on high-density screens.
_PIXELS = 48


@lru_cache(maxsize=64)
def icon(name: str, color: str) -> QIcon:
    svg = (RESOURCES / f"{name}.svg").read_text(encoding="utf-8").replace("COLOR", color)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    pixmap = QPixmap(_PIXELS, _PIXELS)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, _PIXELS, _PIXELS))
    painter.end()
    return QIcon(pixmap)
