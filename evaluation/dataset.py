"""Reading CounterFact's flattened schema (the EasyEdit / KGT form of the data).

A file is a JSON array of records (or JSON lines, one record a line). Queries may be
cloze prompts ("The profession of Arun Nehru is") or questions in chat form ("What is
the profession of Arun Nehru?"): nothing here depends on the form.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.api import InputError, one_line

REQUIRED_FIELDS = (
    "prompt",
    "subject",
    "target_new",
    "ground_truth",
    "rephrase_prompt",
    "locality_prompt",
    "locality_ground_truth",
)


@dataclass(frozen=True)
class EvalCase:
    case_id: str
    prompt: str
    subject: str
    target_new: str
    ground_truth: str
    rephrase_prompt: str
    locality_prompt: str
    locality_ground_truth: str


def load_cases(path: str | Path, offset: int = 0, limit: int | None = None) -> list[EvalCase]:
    """Records ``offset .. offset+limit`` of the file, checked field by field."""
    if offset < 0 or (limit is not None and limit <= 0):
        raise InputError("--offset must be >= 0 and --limit > 0")
    records = _read_records(Path(path))
    chosen = records[offset:] if limit is None else records[offset : offset + limit]
    cases = [_case(record, offset + i) for i, record in enumerate(chosen)]
    if not cases:
        raise InputError(f"{path}: no records from offset {offset} (the file has {len(records)})")
    return cases


def _read_records(path: Path) -> list:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"data file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read data file {path}: {error}") from None
    try:
        data = json.loads(text)
    except ValueError:
        data = _json_lines(path, text)
    if isinstance(data, dict):
        data = data.get("data", data.get("records", [data]))
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON array of CounterFact records")
    return data


def _json_lines(path: Path, text: str) -> list:
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except ValueError:
                raise InputError(f"{path}: not JSON (line {number})") from None
    return records


def _case(record, index: int) -> EvalCase:
    if not isinstance(record, dict):
        raise InputError(f"record {index} is not a JSON object")
    missing = [f for f in REQUIRED_FIELDS if not _text(record.get(f))]
    if missing:
        raise InputError(f"record {index} lacks the field(s) {', '.join(missing)}")
    values = {f: _text(record[f]) for f in REQUIRED_FIELDS}
    return EvalCase(case_id=str(record.get("case_id", index)), **values)


def _text(value) -> str:
    if isinstance(value, list):  # some exports keep one-element lists
        value = value[0] if value else ""
    return one_line(value)
