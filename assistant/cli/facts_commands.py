"""``assistant facts list|delete|undo``: browse and edit what was learned."""

from __future__ import annotations

from ..errors import InputError
from .output import emit_json, fact_line


def register(subparsers, common) -> None:
    facts = subparsers.add_parser("facts", parents=[common], help="browse and edit learned facts")
    actions = facts.add_subparsers(dest="facts_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="list facts")
    listing.add_argument("--subject", help="only facts about this entity")
    listing.add_argument("--all", action="store_true", help="include replaced (invalidated) facts")
    listing.set_defaults(func=run_list)
    delete = actions.add_parser("delete", parents=[common], help="delete facts for good")
    delete.add_argument("ids", nargs="+", metavar="ID")
    delete.set_defaults(func=run_delete)
    undo = actions.add_parser("undo", parents=[common], help="undo a correction (default: the last)")
    undo.add_argument("correction_id", nargs="?", metavar="CORRECTION_ID")
    undo.set_defaults(func=run_undo)


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
    deleted = args.context.store.delete_facts(ids)
    if args.json:
        emit_json({"deleted": [f.to_json() for f in deleted]})
    else:
        for fact in deleted:
            print(f"Deleted {fact_line(fact)}")
    return 0


def run_undo(args) -> int:
    correction_id = None if args.correction_id is None else _parse_id(args.correction_id, "correction id")
    undone = args.context.store.undo(correction_id)
    if args.json:
        emit_json({"correction_id": undone.correction_id,
                   "removed": [f.to_json() for f in undone.removed],
                   "restored": [f.to_json() for f in undone.added]})
    else:
        print(f"Undid correction {undone.correction_id} about {undone.subject}:")
        for fact in undone.removed:
            print(f"  - {fact_line(fact)}")
        for fact in undone.added:
            print(f"  + {fact_line(fact)} (restored)")
    return 0
