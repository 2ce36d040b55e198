"""``assistant facts list|delete|undo|forget|export|import``: browse and edit what was
learned, and take it elsewhere."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..language.text import counted
from ..store.forgetting import Forgotten, forget_entity, forget_facts
from ..store.transfer import FORMATS, export_facts, import_facts
from .output import emit_json, fact_line

FORMAT_HELP = "default: from the file name (.csv), else json"
WITH_MESSAGES_HELP = "also delete the chat messages that state it (and their answers)"


def register(subparsers, common) -> None:
    facts = subparsers.add_parser("facts", parents=[common], help="browse and edit learned facts")
    actions = facts.add_subparsers(dest="facts_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="list facts")
    listing.add_argument("--subject", help="only facts about this entity")
    listing.add_argument("--all", action="store_true", help="include replaced (invalidated) facts")
    listing.set_defaults(func=run_list)
    delete = actions.add_parser("delete", parents=[common], help="delete facts for good")
    delete.add_argument("ids", nargs="+", metavar="ID")
    delete.add_argument("--with-messages", action="store_true", help=WITH_MESSAGES_HELP)
    delete.set_defaults(func=run_delete)
    undo = actions.add_parser(
        "undo", parents=[common], help="undo a correction (default: the last)"
    )
    undo.add_argument("correction_id", nargs="?", metavar="CORRECTION_ID")
    undo.set_defaults(func=run_undo)
    forget = actions.add_parser(
        "forget", parents=[common], help="delete an entity and everything learned about it"
    )
    forget.add_argument("entity")
    forget.add_argument("--with-messages", action="store_true", help=WITH_MESSAGES_HELP)
    forget.set_defaults(func=run_forget)
    export = actions.add_parser("export", parents=[common], help="write all facts to a file")
    export.add_argument("file")
    export.add_argument("--format", choices=FORMATS, help=FORMAT_HELP)
    export.set_defaults(func=run_export)
    load = actions.add_parser("import", parents=[common], help="add the facts of an exported file")
    load.add_argument("file")
    load.add_argument("--format", choices=FORMATS, help=FORMAT_HELP)
    load.set_defaults(func=run_import)


def _parse_id(text: str, what: str) -> int:
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise InputError(f"{what} must be a number, not {text!r}") from None
    if value <= 0:
        raise InputError(f"{what} must be positive, not {value}")
    return value


def run_list(args) -> int:
    facts = args.context.store.facts(args.subject, include_invalid=args.all)
    if args.json:
        emit_json([f.to_json(include_invalid_at=args.all) for f in facts])
    else:
        for fact in facts:
            print(fact_line(fact))
        if not facts:
            print("No facts learned yet.")
    return 0


def run_delete(args) -> int:
    ids = [_parse_id(i, "fact id") for i in args.ids]
    forgotten = forget_facts(args.context.store, ids, with_messages=args.with_messages)
    if args.json:
        emit_json(
            {"deleted": [f.to_json() for f in forgotten.facts], **_messages_json(args, forgotten)}
        )
    else:
        for fact in forgotten.facts:
            print(f"Deleted {fact_line(fact)}")
        _print_messages(args, forgotten)
    return 0


def _messages_json(args, forgotten: Forgotten) -> dict:
    """The JSON key the option adds; none without it, so the output stays as it was."""
    return {"messages_deleted": forgotten.messages.count} if args.with_messages else {}


def _print_messages(args, forgotten: Forgotten) -> None:
    if not args.with_messages:
        return
    deleted = forgotten.messages
    line = f"Deleted {counted(deleted.count, 'message')} that stated it"
    if deleted.removed:
        line += f"; {counted(len(deleted.removed), 'conversation')} left empty, removed"
    print(line + ".")


def run_undo(args) -> int:
    correction_id = (
        None if args.correction_id is None else _parse_id(args.correction_id, "correction id")
    )
    undone = args.context.store.undo(correction_id)
    if args.json:
        emit_json(
            {
                "correction_id": undone.correction_id,
                "removed": [f.to_json() for f in undone.removed],
                "restored": [f.to_json() for f in undone.added],
            }
        )
    else:
        print(f"Undid correction {undone.correction_id} about {undone.subject}:")
        for fact in undone.removed:
            print(f"  - {fact_line(fact)}")
        for fact in undone.added:
            print(f"  + {fact_line(fact)} (restored)")
    return 0


def run_forget(args) -> int:
    forgotten = forget_entity(args.context.store, args.entity, with_messages=args.with_messages)
    count = len(forgotten.facts)
    if args.json:
        emit_json(
            {"forgotten": args.entity, "facts_deleted": count, **_messages_json(args, forgotten)}
        )
    else:
        print(f"Forgot {args.entity}: {count} facts deleted.")
        _print_messages(args, forgotten)
    return 0


def run_export(args) -> int:
    summary = export_facts(args.context.store, Path(args.file), args.format)
    if args.json:
        emit_json({"file": args.file, "facts": summary.facts, "aliases": summary.aliases})
    else:
        print(f"Exported {summary.facts} facts and {summary.aliases} aliases to {args.file}")
    return 0


def run_import(args) -> int:
    summary = import_facts(args.context.store, Path(args.file), args.format)
    if args.json:
        emit_json(
            {
                "file": args.file,
                "facts": summary.facts,
                "aliases": summary.aliases,
                "already_present": summary.skipped,
            }
        )
    else:
        print(
            f"Imported {summary.facts} facts and {summary.aliases} aliases from {args.file}"
            + (f" ({summary.skipped} already present)" if summary.skipped else "")
        )
    return 0
