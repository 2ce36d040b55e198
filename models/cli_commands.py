"""``assistant models list|download|use|remove``: the argparse face of models.management.

``register`` is a CLI extension (the core's CLI cannot import models/ itself); every
handler takes the parsed args (``.home``, ``.json``) and returns an exit code. With
--json only JSON reaches stdout; progress and notes go to stderr.
"""

from __future__ import annotations

import sys

from assistant.cli.output import emit_json, info
from assistant.cli.progress import RedrawnLine, bar

from . import catalog, management
from .download import format_bytes


def register(subparsers, common) -> None:
    models = subparsers.add_parser(
        "models", parents=[common], help="list, download and choose models"
    )
    models.set_defaults(func=run_list)  # plain `assistant models` lists them
    actions = models.add_subparsers(dest="models_command", metavar="ACTION")
    listing = actions.add_parser(
        "list", parents=[common], help="the catalog, and what is installed"
    )
    listing.set_defaults(func=run_list)
    download = actions.add_parser(
        "download", parents=[common], help="download (resumes a partial one)"
    )
    download.add_argument("name", metavar="NAME", choices=catalog.model_names())
    download.set_defaults(func=run_download)
    use = actions.add_parser("use", parents=[common], help="use a catalog model or a GGUF file")
    use.add_argument("target", metavar="NAME|PATH")
    use.set_defaults(func=run_use)
    remove = actions.add_parser("remove", parents=[common], help="delete a downloaded model")
    remove.add_argument("name", metavar="NAME", choices=catalog.model_names())
    remove.set_defaults(func=run_remove)


def run_list(args) -> int:
    rows = management.list_models(args.home)
    if args.json:
        emit_json(rows)
        return 0
    for row in rows:
        print(_list_line(row))
    print(
        "\n* in use   + recommended   "
        "(run `assistant models download NAME`, then `models use NAME`)"
    )
    return 0


def run_download(args) -> int:
    progress = StderrProgress(args.name)
    try:
        path = management.download_model(args.home, args.name, on_progress=progress)
    except KeyboardInterrupt:
        progress.finish()
        info("Download interrupted; the partial file is kept: run the same command to resume.")
        raise
    progress.finish()
    model = catalog.get_model(args.name)
    if args.json:
        emit_json(
            {
                "name": model.name,
                "path": str(path),
                "size_bytes": path.stat().st_size,
                "sha256": model.sha256,
            }
        )
    else:
        print(f"{model.name} is installed at {path}")
        print(f"Use it with: assistant models use {model.name}")
    return 0


def run_use(args) -> int:
    result = management.use_model(args.home, args.target)
    if args.json:
        emit_json(result)
    elif result["model_path"] is None:
        print(f"Using {result['name']} (the embedded default model).")
    else:
        print(f"Using {result['name'] or 'the model file'} at {result['model_path']}.")
    return 0


def run_remove(args) -> int:
    result = management.remove_model(args.home, args.name)
    if args.json:
        emit_json(result)
        return 0
    for path in result["removed"]:
        print(f"Removed {path}")
    if result["model_path_reset"]:
        print("It was the model in use: the app now uses the embedded default model.")
    return 0


def _list_line(row: dict) -> str:
    marks = ("*" if row["default"] else " ") + ("+" if row["recommended"] else " ")
    if row["installed"]:
        state = "installed"
    elif row["partial_bytes"]:
        state = f"partial {format_bytes(row['partial_bytes'])}"
    else:
        state = "-"
    fits = {True: "fits", False: "too big", None: "fit ?"}[row["fits"]]
    size = ("" if catalog.get_model(row["name"]).size_is_exact else "~") + format_bytes(
        row["size_bytes"]
    )
    source = row["repo_id"] or "(embedded package)"
    return f"{marks} {row['name']:<24} {size:>10}  {state:<18} {fits:<8} {source}"


class StderrProgress:
    """A progress bar on stderr: redrawn in place on a terminal, a line per 10% otherwise."""

    def __init__(self, label: str, stream=None, min_interval_s: float = 0.1):
        self.label = label
        self.stream = stream or sys.stderr
        self._line = RedrawnLine(self.stream, min_interval_s)
        self._last_decile = -1

    def __call__(self, done: int, total: int | None) -> None:
        if self.stream.isatty():
            self._redraw(done, total)
        elif total:
            self._log_decile(done, total)

    def finish(self) -> None:
        if self._line.drawn:
            self.stream.write("\n")
            self._line.drawn = False

    def _redraw(self, done: int, total: int | None) -> None:
        self._line.draw(self.line(done, total), last=done == total)

    def _log_decile(self, done: int, total: int) -> None:
        decile = min(10, done * 10 // total)
        if decile != self._last_decile:
            self._last_decile = decile
            self.stream.write(self.line(done, total) + "\n")

    def line(self, done: int, total: int | None) -> str:
        if not total:
            return f"{self.label}: {format_bytes(done)}"
        percent = 100 * done / total
        return (
            f"{self.label} {bar(done, total)} {percent:5.1f}% "
            f"{format_bytes(done)} / {format_bytes(total)}"
        )
