"""Writing an evaluation's output files, with errors the user can act on."""

from __future__ import annotations

from pathlib import Path

from assistant.api import AssistantError, InputError


def check_writable(path: str | None) -> None:
    """Fail before hours of work, not after, when an output cannot be written."""
    if path and not Path(path).expanduser().resolve().parent.is_dir():
        raise InputError(f"cannot write {path}: its folder does not exist")


def write_text(path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as error:
        raise AssistantError(f"cannot write {path}: {error.strerror}") from None
