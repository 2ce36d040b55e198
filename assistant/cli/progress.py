"""Progress bars for the CLI's long commands (a download, an evaluation): one line on
stderr, redrawn in place, no more often than a person can read it."""

from __future__ import annotations

import time
from typing import TextIO

BAR_WIDTH = 30


def bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """``[#########.....]``, filled in proportion to done/total (full when total is 0)."""
    filled = min(width, done * width // total) if total else width
    return f"[{'#' * filled}{'.' * (width - filled)}]"


class RedrawnLine:
    """Draws lines over each other on ``stream``; one that comes sooner than
    ``min_interval_s`` after the last drawn is skipped (redrawing faster than the eye
    is wasted work on a 5 GB download), unless it is the last."""

    def __init__(self, stream: TextIO, min_interval_s: float):
        self.stream = stream
        self.min_interval_s = min_interval_s
        self.drawn = False
        self._last_draw = float("-inf")  # the first line is always drawn

    def draw(self, line: str, last: bool = False) -> None:
        now = time.monotonic()
        if not last and now - self._last_draw < self.min_interval_s:
            return
        self._last_draw = now
        self.stream.write("\r" + line)
        self.stream.flush()
        self.drawn = True
