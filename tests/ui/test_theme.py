"""Light and dark themes follow the colour scheme (the system's, or --theme's)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from ui.theme import DARK, LIGHT, apply_theme, force_scheme


def window_colour() -> str:
    return QApplication.instance().palette().color(QPalette.ColorRole.Window).name()


def test_the_dark_scheme_gives_the_dark_palette_and_back(qapp):
    try:
        force_scheme(Qt.ColorScheme.Dark)
        assert window_colour() == DARK.window
        assert DARK.card in qapp.styleSheet()
        force_scheme(Qt.ColorScheme.Light)
        assert window_colour() == LIGHT.window
        assert DARK.card not in qapp.styleSheet()
    finally:
        force_scheme(None)
        qapp.setStyleSheet("")
        qapp.setPalette(QPalette())


def test_apply_theme_returns_the_colours_it_used(qapp):
    try:
        force_scheme(Qt.ColorScheme.Dark)
        assert apply_theme(qapp) is DARK
    finally:
        force_scheme(None)
        qapp.setStyleSheet("")
        qapp.setPalette(QPalette())
