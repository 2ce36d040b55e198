"""Turning exceptions from the model thread into messages the window can show.

Environmental problems (a missing or corrupt model file, a prompt too long for the
context, memory running out) are expected and get a plain explanation with what to
do; anything else is a bug and says so, while its traceback goes to the log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from assistant.api import AssistantError, ContextOverflowError, ModelError

log = logging.getLogger(__name__)

_MEMORY_WORDS = ("out of memory", "failed to allocate", "cannot allocate", "oom")


class ProblemKind(StrEnum):
    MODEL = "model"  # the model file is missing, corrupt or cannot load
    CONTEXT = "context"  # a prompt too long for the model's context
    MEMORY = "memory"
    INPUT = "input"  # the user's input or request cannot be done as asked
    BUG = "bug"


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    message: str

    @property
    def suggests_settings(self) -> bool:
        """Whether choosing another model or a smaller context could fix it."""
        return self.kind in (ProblemKind.MODEL, ProblemKind.MEMORY)


def describe(error: BaseException) -> Problem:
    """The kind of a failure and one clear message for the user."""
    text = str(error).strip() or type(error).__name__
    if isinstance(error, MemoryError) or any(w in text.lower() for w in _MEMORY_WORDS):
        return Problem(
            ProblemKind.MEMORY,
            "Out of memory: the model does not fit. Choose a smaller model, "
            "fewer GPU layers or a smaller context in Settings.",
        )
    if isinstance(error, ContextOverflowError):
        return Problem(ProblemKind.CONTEXT, f"Too long for the model: {text}.")
    if isinstance(error, ModelError):
        return Problem(
            ProblemKind.MODEL, f"Model problem: {text}. Choose another model in Settings."
        )
    if isinstance(error, AssistantError):
        return Problem(ProblemKind.INPUT, _sentence(text))
    log.error("unexpected error in the model thread", exc_info=error)
    return Problem(
        ProblemKind.BUG,
        f"Something went wrong ({type(error).__name__}: {text}). "
        "Your conversation and knowledge are safe; please report this.",
    )


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
