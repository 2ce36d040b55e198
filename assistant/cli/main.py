"""Argument parsing and the error boundary of the CLI.

Global options work before and after the subcommand (``assistant --json facts list`` is
``assistant facts list --json``): the top parser defines them with defaults, and every
subcommand repeats them with SUPPRESS defaults so they override only when given.
Every :class:`AssistantError` becomes one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from .. import __version__
from ..errors import AssistantError
from ..settings import with_server
from . import chat_command, facts_commands, knowledge_commands
from .context import CommandContext, ModelLoader, resolve_home

#: A command group: register(subparsers, common_options_parent).
Registrar = Callable[[argparse._SubParsersAction, argparse.ArgumentParser], None]

CORE_COMMANDS: list[Registrar] = [
    knowledge_commands.register,
    facts_commands.register,
    chat_command.register,
]


def _add_global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--home",
        default=default,
        help="data directory (default: $ASSISTANT_HOME or the user data dir)",
    )
    parser.add_argument(
        "--model",
        default=default,
        metavar="PATH",
        help="GGUF model file to use instead of the configured one",
    )
    parser.add_argument(
        "--server",
        default=default,
        metavar="URL",
        help="run the model on this OpenAI-compatible inference server "
        "(e.g. http://gpu-box:8000/v1) instead of this machine",
    )
    parser.add_argument(
        "--server-model",
        default=default,
        metavar="NAME",
        help="the server's model to use (default: its first)",
    )
    parser.add_argument(
        "--api-key-env",
        default=default,
        metavar="NAME",
        help="environment variable holding the server's API key (default: ASSISTANT_API_KEY)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="machine-readable output on stdout",
    )


def build_parser(extensions: Sequence[Registrar] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="A private assistant that learns your facts by Knowledge Graph Tuning.",
    )
    parser.add_argument("--version", action="version", version=f"assistant {__version__}")
    _add_global_options(parser, suppress=False)
    common = argparse.ArgumentParser(add_help=False)
    _add_global_options(common, suppress=True)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in [*CORE_COMMANDS, *extensions]:
        register(subparsers, common)
    return parser


def main(
    argv: Sequence[str] | None = None,
    model_loader: ModelLoader | None = None,
    extensions: Sequence[Registrar] = (),
) -> int:
    parser = build_parser(extensions)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    context = None
    try:
        args.home = resolve_home(args.home)
        context = CommandContext(args.home, args.json, args.model, model_loader)
        context.settings = with_server(
            context.settings, args.server, args.server_model, args.api_key_env
        )
        args.context = context
        return int(args.func(args) or 0)
    except AssistantError as error:
        sys.stderr.write(f"assistant: error: {error}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("assistant: interrupted\n")
        return 130
    finally:
        if context is not None:
            context.close()
