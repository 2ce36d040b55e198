"""Starting the desktop app: ``assistant`` with no arguments lands here.

``run_app(argv)`` builds the QApplication, themes it after the system (or after
``--theme``), opens the main window with the llama.cpp loader (or ``--model``'s file)
and runs the event loop. ``create_window`` is the same without the event loop, with
the model factory injectable, which is how tests and the screenshot script drive it.
``--server URL`` runs the window's model on an inference server for that run, as it
does for the CLI's commands.
``--exit-when-ready`` opens the window and closes it once the model has loaded (exit
status 0) or failed to (1, the problem on stderr): a smoke test of an installed app's
window, its Qt plugins and its model, that needs no one to click.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from assistant.api import Settings, default_home, with_server

from .errors import Problem
from .main_window import MainWindow
from .theme import follow_system, force_scheme
from .window_options import window_parser
from .worker import ModelFactory

SCHEMES = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}


def llama_factory(
    override_path: str | None = None,
    server_url: str | None = None,
    server_model: str | None = None,
    api_key_env: str | None = None,
) -> ModelFactory:
    """Loads ``override_path``'s file with llama.cpp, else the model on the inference
    server ``server_url`` names (for this run: the settings file is not changed), else
    the model the settings choose."""

    def load(settings: Settings):
        from models.loader import load_model

        chosen = with_server(settings, server_url, server_model, api_key_env)
        return load_model(chosen, override_path)

    return load


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    return window_parser().parse_args(list(argv))


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


def exit_when_ready(window: MainWindow, exit_: Callable[[int], None]) -> None:
    """Close the window once its model is loaded and call ``exit_(0)``; if the model
    fails to load, write the problem on stderr, close and call ``exit_(1)``. The
    window's own signals, not the model thread's: they come after the window has
    shown the result, and cannot have passed before this connects (they are sent
    from the event loop, which has not run yet)."""

    def ready(_name: str) -> None:
        window.close()
        exit_(0)

    def failed(problem: Problem) -> None:
        sys.stderr.write(f"assistant: error: {problem.message}\n")
        window.close()
        exit_(1)

    window.model_loaded.connect(ready)
    window.model_load_failed.connect(failed)


def run_app(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    app = application(args.theme)
    factory = llama_factory(args.model, args.server, args.server_model, args.api_key_env)
    window = create_window(args.home, factory)
    if args.exit_when_ready:
        exit_when_ready(window, app.exit)
    window.show()
    return app.exec()
