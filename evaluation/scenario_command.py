"""``assistant eval scenarios``: what a person sees in the chat after teaching it.

Options follow ``eval counterfact``: ``--json OUT`` takes a path (``dest="json_out"``),
and the CLI's global ``--json`` prints the same summary on stdout.
"""

from __future__ import annotations

import argparse
import json
import shlex
from dataclasses import replace

from assistant.cli.output import emit_json

from .output_files import check_writable, write_text
from .progress import ProgressBar
from .scenario_file import load_scenarios
from .scenario_report import kind_table, markdown_report
from .scenario_runner import run_scenarios
from .scenario_summary import summary_json


def register(datasets) -> None:
    """Add ``scenarios`` to the ``eval`` command's datasets."""
    parser = datasets.add_parser(
        "scenarios", help="chat scenarios: replies after teaching, against the model alone"
    )
    parser.add_argument(
        "--home", default=argparse.SUPPRESS, help="data directory (settings are read from it)"
    )
    parser.add_argument(
        "--model", default=argparse.SUPPRESS, metavar="PATH", help="GGUF model file to evaluate"
    )
    parser.add_argument(
        "--data", required=True, metavar="FILE", help="scenario file (data/scenarios schema)"
    )
    parser.add_argument("--limit", type=int, metavar="N", help="play the first N scenarios")
    parser.add_argument(
        "--json", dest="json_out", metavar="OUT", help="write the JSON summary to OUT"
    )
    parser.add_argument("--report", metavar="OUT.md", help="write a Markdown report")
    parser.set_defaults(func=run_scenarios_command)


def command_line(args) -> str:
    """The command that reproduces this run, from the parsed options."""
    parts = ["assistant", "eval", "scenarios", "--data", args.data]
    if args.limit is not None:
        parts += ["--limit", str(args.limit)]
    for flag, value in (
        ("--model", args.model),
        ("--json", args.json_out),
        ("--report", args.report),
    ):
        if value:
            parts += [flag, value]
    return shlex.join(parts)


def run_scenarios_command(args) -> int:
    scenarios = load_scenarios(args.data, args.limit)
    for path in (args.json_out, args.report):
        check_writable(path)
    ctx = args.context
    model = ctx.model
    # Greedy replies, so that a run repeats; and the user's incognito switch or
    # approval prompt must not stop the scenario's person from teaching.
    settings = replace(ctx.settings, temperature=0.0, incognito=False, ask_before_saving=False)
    results = run_scenarios(model, scenarios, settings, on_progress=ProgressBar())
    summary = summary_json(results, model.name)
    if args.json_out:
        write_text(args.json_out, json.dumps(summary, indent=2) + "\n")
    if args.report:
        write_text(args.report, markdown_report(results, model.name, command_line(args)))
    if args.json:
        emit_json(summary)
    else:
        print("\n".join(kind_table(summary)).rstrip())
    return 0
