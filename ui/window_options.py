"""The window's command-line options, without Qt: the launcher reads them to tell the
window's arguments from the CLI's before Qt is imported, and ``ui.app`` parses them.

Every global option of the CLI is one of them, so that global options with no
subcommand open the window: ``--home``, ``--model`` and the inference server's
options choose what the window uses, and ``--json`` is accepted and changes nothing
(the window writes nothing on stdout)."""

from __future__ import annotations

import argparse


def window_parser(add_help: bool = True) -> argparse.ArgumentParser:
    """The window's options (``assistant [gui] --home DIR --theme dark ...``); built
    here, without Qt, so that the launcher can tell them from the CLI's."""
    parser = argparse.ArgumentParser(
        prog="assistant gui",
        description="The desktop assistant.",
        add_help=add_help,
        allow_abbrev=False,
        exit_on_error=add_help,
    )
    parser.add_argument(
        "--home", help="data directory (default: the platform's, or $ASSISTANT_HOME)"
    )
    parser.add_argument("--model", help="a GGUF file to use instead of the configured model")
    parser.add_argument(
        "--server",
        metavar="URL",
        help="run the model on this OpenAI-compatible inference server for this run (not saved)",
    )
    parser.add_argument(
        "--server-model", metavar="NAME", help="the server's model (default: its first)"
    )
    parser.add_argument(
        "--api-key-env",
        metavar="NAME",
        help="environment variable holding the server's API key (default: ASSISTANT_API_KEY)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="accepted for the command line's sake; the window writes nothing on stdout",
    )
    parser.add_argument(
        "--theme",
        choices=["system", "light", "dark"],
        default="system",
        help="colour scheme (default: follow the system)",
    )
    parser.add_argument(
        "--exit-when-ready",
        action="store_true",
        help="open the window, wait until the model is loaded, then close it and exit "
        "(0: loaded, 1: the model failed to load); for smoke tests of an installed app",
    )
    return parser
