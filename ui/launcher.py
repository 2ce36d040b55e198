"""The ``assistant`` program: the composition root that wires the layers together.

With no arguments, or with only the window's options (``assistant --home DIR``, which
include every global option of the CLI: ``assistant --server URL``), it opens the
desktop window; with a subcommand it runs the CLI of the core, handing it the
llama.cpp model loader, the model-management commands and the benchmark and evaluation
commands (the core cannot import them itself: imports only go down). Qt is imported only
when the window is opened, so the CLI starts fast and works without a display.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ui.window_options import window_parser

#: The subcommands that open the window (with the window's options after them).
WINDOW_COMMANDS = ("gui", "window")


def _cli_extensions():
    from benchmarks import command as bench_command
    from evaluation import command as eval_command
    from models import cli_commands

    return [cli_commands.register, eval_command.register, bench_command.register]


def run_cli(argv: Sequence[str]) -> int:
    from assistant.cli import main as cli_main
    from models.loader import load_model

    return cli_main(argv, model_loader=load_model, extensions=_cli_extensions())


def run_window(argv: Sequence[str]) -> int:
    from ui.platform_check import missing_window_library

    window_parser().parse_args(list(argv))  # --help and mistakes: said before Qt loads
    # Before Qt is imported: without its system libraries, Qt's import fails or its
    # platform plugin aborts the process, and neither says what to install.
    problem = missing_window_library()
    if problem:
        sys.stderr.write(f"assistant: error: {problem}\n")
        return 1
    from ui.app import run_app

    return run_app(argv)


def opens_window(argv: Sequence[str]) -> bool:
    """Whether ``argv`` asks for the window: nothing, a window command, or only the
    window's options (``--home DIR``, ``--theme dark``, and every global option of the
    CLI: ``--server URL``, ``--json``). Anything else -- a subcommand, ``--help``,
    ``--version``, an unknown option -- is the CLI's."""
    if not argv or argv[0] in WINDOW_COMMANDS:
        return True
    try:
        _options, rest = window_parser(add_help=False).parse_known_args(list(argv))
    except argparse.ArgumentError:
        return True  # a window option written wrong ("--theme purple"): its parser says so
    return not rest


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if opens_window(argv):
        return run_window(argv[1:] if argv and argv[0] in WINDOW_COMMANDS else argv)
    return run_cli(argv)


if __name__ == "__main__":
    sys.exit(main())
