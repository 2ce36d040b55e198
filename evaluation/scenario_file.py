"""Reading a chat-scenario file (schema: data/scenarios/README.md), checked strictly.

A mistyped key ("expected", "rejects") would silently turn a check into one that always
passes or always fails, so every step's keys are checked and every problem is reported
as one line naming the scenario and the step.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.api import InputError

from .matching import word_text

#: The kinds of ``ask`` step, in the README's order (the report and JSON keep it):
#: what memory must say, then what it must not (data/scenarios/README.md).
KINDS = (
    "recall",
    "paraphrase",
    "update",
    "retention",
    "neighbour",
    "multihop",
    "abstain",
    "history",
    "wording",
    "unrelated",
)
#: Kinds whose ask may leave ``expect`` out: a reply passes when it says none of the
#: ``reject`` phrases (general chat that must not repeat what was learned).
EXPECT_OPTIONAL = frozenset({"unrelated"})


@dataclass(frozen=True)
class Teach:
    question: str
    answer: str
    subject: str | None = None


@dataclass(frozen=True)
class Tell:
    message: str


@dataclass(frozen=True)
class Ask:
    question: str
    expect: tuple[str, ...]
    reject: tuple[str, ...]
    kind: str


Step = Teach | Tell | Ask

_STEP_KEYS = {
    "teach": ({"teach", "answer"}, {"subject"}),
    "tell": ({"tell"}, set()),
    "ask": ({"ask", "kind"}, {"expect", "reject"}),
}


@dataclass(frozen=True)
class Scenario:
    id: str
    about: str
    steps: tuple[Step, ...]


def load_scenarios(path: str | Path, limit: int | None = None) -> list[Scenario]:
    """The file's first ``limit`` scenarios (all when None), in file order."""
    if limit is not None and limit <= 0:
        raise InputError("--limit must be > 0")
    records = _read_list(Path(path))
    scenarios = [_scenario(record, index) for index, record in enumerate(records, start=1)]
    _check_unique_ids(scenarios)
    chosen = scenarios if limit is None else scenarios[:limit]
    if not any(isinstance(step, Ask) for s in chosen for step in s.steps):
        raise InputError(f"{path}: the scenarios chosen have no ask step: nothing to check")
    return chosen


def _read_list(path: Path) -> list:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"scenario file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read scenario file {path}: {error}") from None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise InputError(f"{path}: not JSON (line {error.lineno})") from None
    if not isinstance(data, list) or not data:
        raise InputError(f"{path}: expected a non-empty JSON list of scenarios")
    return data


def _scenario(record, index: int) -> Scenario:
    where = f"scenario {index}"
    if not isinstance(record, dict):
        raise InputError(f"{where} is not a JSON object")
    scenario_id = record.get("id")
    if not isinstance(scenario_id, str) or not scenario_id.strip():
        raise InputError(f'{where} has no "id" (a non-empty string)')
    where = f"scenario {index} ({scenario_id})"
    steps = record.get("steps")
    if not isinstance(steps, list) or not steps:
        raise InputError(f'{where} has no "steps" (a non-empty list)')
    about = record.get("about", "")
    parsed = tuple(_step(step, f"{where} step {n}") for n, step in enumerate(steps, start=1))
    return Scenario(scenario_id.strip(), about if isinstance(about, str) else "", parsed)


def _step(record, where: str) -> Step:
    if not isinstance(record, dict):
        raise InputError(f"{where} is not a JSON object")
    actions = [key for key in _STEP_KEYS if key in record]
    if len(actions) != 1:
        raise InputError(f'{where} needs exactly one of "teach", "tell" or "ask"')
    required, optional = _STEP_KEYS[actions[0]]
    if actions[0] == "ask" and record.get("kind") not in EXPECT_OPTIONAL:
        # Only general chat may leave it out: it passes by what it does not say.
        required = required | {"expect"}
    missing = sorted(required - set(record))
    unknown = sorted(set(record) - required - optional)
    if missing or unknown:
        problems = [f"lacks {', '.join(missing)}"] if missing else []
        problems += [f"has unknown key(s) {', '.join(unknown)}"] if unknown else []
        raise InputError(f"{where} ({actions[0]}) {' and '.join(problems)}")
    if actions[0] == "teach":
        subject = _text(record, "subject", where) if "subject" in record else None
        return Teach(_text(record, "teach", where), _text(record, "answer", where), subject)
    if actions[0] == "tell":
        return Tell(_text(record, "tell", where))
    return _ask(record, where)


def _ask(record: dict, where: str) -> Ask:
    kind = record["kind"]
    if kind not in KINDS:
        raise InputError(f"{where}: unknown kind {kind!r}; choose from {', '.join(KINDS)}")
    expect = _phrases(record, "expect", where) if "expect" in record else ()
    if not expect and kind not in EXPECT_OPTIONAL:
        raise InputError(f'{where}: "expect" is empty')
    reject = _phrases(record, "reject", where) if "reject" in record else ()
    return Ask(_text(record, "ask", where), expect, reject, kind)


def _text(record: dict, key: str, where: str) -> str:
    value = record[key]
    if not isinstance(value, str) or not value.strip():
        raise InputError(f'{where}: "{key}" must be a non-empty string')
    return " ".join(value.split())


def _phrases(record: dict, key: str, where: str) -> tuple[str, ...]:
    value = record[key]
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise InputError(f'{where}: "{key}" must be a list of strings')
    # A phrase without words would match nothing (or, rejected, never bite): a typo.
    if any(not word_text(p) for p in value):
        raise InputError(f'{where}: "{key}" holds a phrase without words')
    return tuple(value)


def _check_unique_ids(scenarios: list[Scenario]) -> None:
    seen: set[str] = set()
    for scenario in scenarios:
        if scenario.id in seen:
            raise InputError(f"scenario id {scenario.id!r} is used twice")
        seen.add(scenario.id)
