"""Printing results: JSON alone on stdout with --json, readable text otherwise."""

from __future__ import annotations

import json
import sys

from ..facts import AppliedCorrection, Fact
from ..language.fact_wording import replacement_said_to_user
from ..language.prompts import fact_sentence


def emit_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def fact_line(fact: Fact) -> str:
    state = f"  (replaced {fact.invalid_at[:19]})" if fact.invalid_at else ""
    source = f"correction {fact.correction_id}" if fact.correction_id else "manual"
    return (
        f"#{fact.id:<5} ({fact.subject}, {fact.relation}, {fact.object})  "
        f"{fact.created_at[:19]}  {source}{state}"
    )


def fact_sentence_of(fact: Fact) -> str:
    return fact_sentence(*fact.triple)


def replacement_lines(applied: AppliedCorrection, indent: str = "    ") -> dict[int, str]:
    """Why each removed fact went, by its id: "Replaced “...” by “...”: both answer “...”"."""
    new = applied.added[0] if applied.added else None
    return {
        fact.id: indent + replacement_said_to_user(fact, new, applied.because.get(fact.id, ""))
        for fact in applied.removed
    }


def info(message: str) -> None:
    """Human-oriented notes go to stderr so stdout stays clean."""
    sys.stderr.write(message + "\n")
