"""Export and import of the learned facts, as JSON or CSV: the user's own copy.

Export writes every fact (valid and replaced, with ``created_at`` and ``invalid_at``)
and, in JSON, the aliases; the file is created readable by the user only (0600) and
appears whole or not at all (written beside the target, then renamed over it).

Import reads and validates the whole file before touching the database: on the first
problem it raises :class:`InputError` naming the row, and nothing is written. The rows
then go in through :meth:`GraphStore.import_facts`, one transaction. A fact already in
the graph (same subject, relation, object and creation time) is skipped, so importing
the same file twice adds nothing the second time.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..errors import InputError
from ..timeutil import utc_now
from .graph_rows import clean_text
from .graph_store import GraphStore

FORMAT_NAME = "kgt-assistant-facts"
FORMAT_VERSION = 1
FORMATS = ("json", "csv")
CSV_FIELDS = ("subject", "relation", "object", "created_at", "invalid_at")
#: Longest text accepted in one field: far beyond any real fact, short of a pasted file.
MAX_FIELD_CHARS = 2000


@dataclass(frozen=True)
class ImportRow:
    subject: str
    relation: str
    object: str
    created_at: str
    invalid_at: str | None


@dataclass(frozen=True)
class TransferSummary:
    facts: int
    aliases: int
    skipped: int = 0


def format_of(path: Path, requested: str | None) -> str:
    """The format asked for, else the one the file name says (``.csv``), else JSON."""
    if requested:
        if requested not in FORMATS:
            raise InputError(f"unknown format {requested!r}: use one of {', '.join(FORMATS)}")
        return requested
    return "csv" if path.suffix.lower() == ".csv" else "json"


# ----- export --------------------------------------------------------------------------


def export_facts(store: GraphStore, path: Path, fmt: str | None = None) -> TransferSummary:
    fmt = format_of(path, fmt)
    facts = store.facts(include_invalid=True)
    rows = [
        dict(zip(CSV_FIELDS, (f.subject, f.relation, f.object, f.created_at, f.invalid_at)))
        for f in facts
    ]
    aliases = [
        {"entity": entity, "alias": alias}
        for alias, entity in sorted(store.alias_map().items())
        if alias != entity
    ]
    if fmt == "csv":
        text = _csv_text(rows)
        aliases = []  # a CSV holds one kind of row: the facts
    else:
        text = (
            json.dumps(
                {
                    "format": FORMAT_NAME,
                    "version": FORMAT_VERSION,
                    "exported_at": utc_now(),
                    "facts": rows,
                    "aliases": aliases,
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    write_private(path, text)
    return TransferSummary(len(rows), len(aliases))


def _csv_text(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({**r, "invalid_at": r["invalid_at"] or ""} for r in rows)
    return buffer.getvalue()


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by the user only; never half a file."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)  # mkstemp created it 0600
        os.replace(temp, path)
    except OSError as error:
        Path(temp).unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {error.strerror}") from None


# ----- import --------------------------------------------------------------------------


def import_facts(store: GraphStore, path: Path, fmt: str | None = None) -> TransferSummary:
    """Validate the whole file, then add its facts and aliases in one transaction."""
    rows, aliases = read_export(path, fmt)
    added, skipped, new_aliases = store.import_facts(
        [(r.subject, r.relation, r.object, r.created_at, r.invalid_at) for r in rows], aliases
    )
    return TransferSummary(added, new_aliases, skipped)


Aliases = list[tuple[str, str]]


def read_export(path: Path, fmt: str | None = None) -> tuple[list[ImportRow], Aliases]:
    """(fact rows, (entity, alias) pairs) from an export file, all checked."""
    fmt = format_of(path, fmt)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text: not an export of facts") from None
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    if fmt == "csv":
        return _csv_rows(text, path), []
    return _json_rows(text, path)


def _json_rows(text: str, path: Path) -> tuple[list[ImportRow], Aliases]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{path} is not valid JSON (line {error.lineno}: {error.msg})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise InputError(f'{path} is not an export of facts (no "format": "{FORMAT_NAME}")')
    if data.get("version") != FORMAT_VERSION:
        raise InputError(
            f"{path} has export version {data.get('version')!r}; "
            f"this version reads {FORMAT_VERSION}"
        )
    facts, aliases = data.get("facts", []), data.get("aliases", [])
    if not isinstance(facts, list) or not isinstance(aliases, list):
        raise InputError(f'{path}: "facts" and "aliases" must be lists')
    rows = [_fact_row(raw, f"fact {n}") for n, raw in enumerate(facts, start=1)]
    return rows, [_alias_row(raw, f"alias {n}") for n, raw in enumerate(aliases, start=1)]


def _csv_rows(text: str, path: Path) -> list[ImportRow]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [f for f in CSV_FIELDS[:4] if f not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{path} is not a CSV export of facts: no column {', '.join(missing)}")
    try:
        # Line 1 is the header, so the first fact is on line 2, as a spreadsheet shows it.
        return [_fact_row(raw, f"line {reader.line_num}") for raw in reader]
    except csv.Error as error:
        raise InputError(f"{path} line {reader.line_num}: {error}") from None


def _fact_row(raw, where: str) -> ImportRow:
    if not isinstance(raw, dict):
        raise InputError(f"{where}: expected an object with subject, relation, object")
    if None in raw:  # csv puts cells beyond the header under the key None
        raise InputError(f"{where}: more cells than columns")
    created = _timestamp(raw.get("created_at"), f"{where}: created_at")
    invalid = raw.get("invalid_at")
    invalid = None if invalid in (None, "") else _timestamp(invalid, f"{where}: invalid_at")
    if invalid is not None and invalid < created:
        raise InputError(f"{where}: invalid_at {invalid} is before created_at {created}")
    return ImportRow(
        _text(raw.get("subject"), f"{where}: subject"),
        _text(raw.get("relation"), f"{where}: relation"),
        _text(raw.get("object"), f"{where}: object"),
        created,
        invalid,
    )


def _alias_row(raw, where: str) -> tuple[str, str]:
    if not isinstance(raw, dict):
        raise InputError(f"{where}: expected an object with entity and alias")
    return _text(raw.get("entity"), f"{where}: entity"), _text(raw.get("alias"), f"{where}: alias")


def _text(value, what: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{what} is missing or not text")
    cleaned = clean_text(value, what)  # the store's own rules, checked before writing
    if len(cleaned) > MAX_FIELD_CHARS:
        raise InputError(f"{what} is longer than {MAX_FIELD_CHARS} characters")
    return cleaned


def _timestamp(value, what: str) -> str:
    """An ISO-8601 time as the store writes it (UTC, microseconds); naive means UTC."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{what} is missing")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{what} {value!r} is not an ISO-8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
