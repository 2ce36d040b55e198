"""``assistant eval counterfact``: KGT against baselines on CounterFact, in one run.

The eval's ``--json OUT`` takes a path, unlike the CLI's global boolean ``--json``:
this subcommand therefore does not inherit the common options parent and defines
``--home`` and ``--model`` itself (with the same suppressed defaults) and ``--json``
with ``dest="json_out"``. ``assistant --json eval counterfact ...`` still prints the
summary as JSON on stdout.
"""

from __future__ import annotations

import argparse
import json
import shlex
from pathlib import Path

from assistant.api import InputError
from assistant.cli.output import emit_json, info

from . import scenario_command
from .baselines import InContextMethod, NoEditMethod
from .dataset import load_cases
from .kgt_method import KGTMethod
from .methods import Method
from .output_files import check_writable, write_text
from .plot import save_plot
from .progress import ProgressBar
from .rag import NoteMemoryMethod
from .report import RunSettings, markdown_report, summary_json
from .runner import run_evaluation

METHOD_NAMES = ("kgt", "noedit", "icl", "rag")


def register(subparsers, common) -> None:
    evaluate = subparsers.add_parser("eval", help="evaluate KGT against baselines")
    datasets = evaluate.add_subparsers(dest="eval_dataset", metavar="DATASET", required=True)
    counterfact = datasets.add_parser(
        "counterfact", help="efficacy, paraphrase and neighbourhood on CounterFact records"
    )
    counterfact.add_argument(
        "--home", default=argparse.SUPPRESS, help="data directory (settings are read from it)"
    )
    counterfact.add_argument(
        "--model", default=argparse.SUPPRESS, metavar="PATH", help="GGUF model file to evaluate"
    )
    counterfact.add_argument(
        "--data",
        required=True,
        metavar="FILE",
        help="CounterFact records in the flattened schema (JSON)",
    )
    counterfact.add_argument("--limit", type=int, metavar="N", help="evaluate N records")
    counterfact.add_argument(
        "--offset", type=int, default=0, metavar="N", help="skip the first N records"
    )
    counterfact.add_argument(
        "--methods", default=",".join(METHOD_NAMES), help="comma-separated, from kgt,noedit,icl,rag"
    )
    counterfact.add_argument(
        "--no-subject",
        action="store_true",
        help="hide the subject field: methods must find the entity",
    )
    counterfact.add_argument(
        "--generate",
        action="store_true",
        help="also judge each method's greedy replies (gen_efficacy, gen_paraphrase, "
        "gen_neighborhood)",
    )
    counterfact.add_argument(
        "--json", dest="json_out", metavar="OUT", help="write the JSON summary to OUT"
    )
    counterfact.add_argument("--report", metavar="OUT.md", help="write a Markdown report")
    counterfact.add_argument(
        "--plot", metavar="OUT.png", help="plot scores against accumulated facts (needs matplotlib)"
    )
    counterfact.set_defaults(func=run_counterfact)
    scenario_command.register(datasets)


def parse_methods(text: str) -> list[str]:
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in METHOD_NAMES]
    if unknown or not names:
        raise InputError(
            f"unknown method(s) {', '.join(unknown) or '(none)'}; "
            f"choose from {','.join(METHOD_NAMES)}"
        )
    return list(dict.fromkeys(names))


def build_methods(names: list[str], model, settings) -> list[Method]:
    makers = {
        "kgt": lambda: KGTMethod(model, settings),
        "noedit": NoEditMethod,
        "icl": lambda: InContextMethod(model),
        "rag": lambda: NoteMemoryMethod(top_k=settings.top_n_facts),
    }
    return [makers[name]() for name in names]


def command_line(args) -> str:
    """The command that reproduces this run, from the parsed options."""
    parts = ["assistant", "eval", "counterfact", "--data", args.data]
    if args.offset:
        parts += ["--offset", str(args.offset)]
    if args.limit is not None:
        parts += ["--limit", str(args.limit)]
    parts += ["--methods", args.methods]
    if args.no_subject:
        parts.append("--no-subject")
    if args.generate:
        parts.append("--generate")
    for flag, value in (
        ("--model", args.model),
        ("--json", args.json_out),
        ("--report", args.report),
        ("--plot", args.plot),
    ):
        if value:
            parts += [flag, value]
    return shlex.join(parts)


def run_counterfact(args) -> int:
    names = parse_methods(args.methods)
    cases = load_cases(args.data, args.offset, args.limit)
    for path in (args.json_out, args.report, args.plot):
        check_writable(path)
    ctx = args.context
    model = ctx.model
    settings = RunSettings(
        model=model.name,
        data=args.data,
        offset=args.offset,
        limit=args.limit,
        hide_subject=args.no_subject,
        k_relations=ctx.settings.k_relations,
        eps=ctx.settings.eps,
        top_n=ctx.settings.top_n_facts,
        context_length=model.context_length,
        command=command_line(args),
    )
    methods = build_methods(names, model, ctx.settings)
    try:
        result = run_evaluation(
            model,
            cases,
            methods,
            hide_subject=args.no_subject,
            generate=args.generate,
            on_progress=ProgressBar(),
            on_checkpoint=lambda partial: _write_files(args, partial, settings),
        )
    finally:
        for method in methods:
            method.close()
    _write_files(args, result, settings)
    _print_summary(args, result, settings)
    return 0


def _write_files(args, result, settings: RunSettings) -> None:
    """The JSON, report and plot: after every checkpoint, then at the end."""
    summary = summary_json(result, settings)
    if args.json_out:
        write_text(args.json_out, json.dumps(summary, indent=2) + "\n")
    if args.plot:
        save_plot(result, args.plot, f"{settings.model}: CounterFact, online")
    plot_link = None
    if args.plot and args.report:
        plot_link = _relative(Path(args.plot), Path(args.report).parent)
    if args.report:
        write_text(args.report, markdown_report(result, settings, plot_link))


def _print_summary(args, result, settings: RunSettings) -> None:
    if args.json:
        emit_json(summary_json(result, settings))
    else:
        print(markdown_report(result, settings, None).split("\n## ")[0].rstrip())
    for note in result.notes():
        info(f"note: {note}")


def _relative(path: Path, base: Path) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path.resolve())
