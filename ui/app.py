"""Starting the desktop app: ``assistant`` with no arguments lands here.

``run_app(argv)`` builds the QApplication, themes it after the system (or after
``--theme``), opens the main window with the llama.cpp loader (or ``--model``'s file)
and runs the event loop. ``create_window`` is the same without the event loop, with
the model factory injectable, which is how tests and the screenshot script drive it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from assistant.api import Settings, default_home

from .main_window import MainWindow
from .theme import follow_system, force_scheme
from .worker import ModelFactory

SCHEMES = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}


def llama_factory(override_path: str | None = None) -> ModelFactory:
    """Loads the model the settings name (or ``override_path``) with llama.cpp."""

    def load(settings: Settings):
        from models.loader import load_model

        return load_model(settings, override_path)

    return load


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="assistant", description="The desktop assistant.")
    parser.add_argument(
        "--home", help="data directory (default: the platform's, or $ASSISTANT_HOME)"
    )
    parser.add_argument("--model", help="a GGUF file to use instead of the configured model")
    parser.add_argument(
        "--theme",
        choices=["system", "light", "dark"],
        default="system",
        help="colour scheme (default: follow the system)",
    )
    return parser.parse_args(list(argv))


def application(theme: str = "system") -> QApplication:
    """The running QApplication (created once), themed."""
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "assistant"])
    app.setApplicationName("Assistant")
    app.setApplicationDisplayName("Assistant")
    follow_system(app)
    if theme in SCHEMES:
        force_scheme(SCHEMES[theme])
    return app


def create_window(
    home: Path | str | None = None, model_factory: ModelFactory | None = None
) -> MainWindow:
    home = Path(home) if home else default_home()
    return MainWindow(home, model_factory or llama_factory())


def run_app(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    app = application(args.theme)
    window = create_window(args.home, llama_factory(args.model))
    window.show()
    return app.exec()
