"""A one-line progress bar on stderr (redrawn in place), with a rough time left."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from assistant.cli.progress import RedrawnLine, bar


class ProgressBar:
    def __init__(self, stream: TextIO | None = None, min_interval_s: float = 0.2):
        self.stream = stream or sys.stderr
        self._line = RedrawnLine(self.stream, min_interval_s)
        self._started = time.monotonic()

    def __call__(self, done: int, total: int, label: str) -> None:
        finished = done >= total
        self._line.draw(render(done, total, label, time.monotonic() - self._started), finished)
        if finished:
            self.stream.write("\n")
            self.stream.flush()


def render(done: int, total: int, label: str, elapsed_s: float) -> str:
    fraction = done / total if total else 1.0
    left = elapsed_s / fraction - elapsed_s if fraction > 0 else 0.0
    return (
        f"{bar(done, total)} {fraction:4.0%} "
        f"{_clock(elapsed_s)} elapsed, ~{_clock(left)} left  {label[:40]:<40}"
    )


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}"
