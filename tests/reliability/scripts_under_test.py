"""Running the reliability scripts of ``scripts/`` from tests: as a program, the way
docs/RELIABILITY.md runs them, or imported for their checking functions."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def import_script(name: str):
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    return importlib.import_module(name)


def run_script(name: str, *argv: str, timeout: int = 180) -> tuple[dict, int]:
    """(the summary it printed with --json, its exit code)."""
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / f"{name}.py"), *argv, "--json"],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.stdout, result.stderr
    return json.loads(result.stdout), result.returncode
