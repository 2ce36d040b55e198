"""The process's peak memory, as the benchmark and the evaluation report it."""

from __future__ import annotations

import sys


def peak_rss_mb() -> float:
    """The process's peak resident memory in MB (0.0 where the OS does not say)."""
    try:
        import resource  # Unix only
    except ImportError:
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / 1024.0 / 1024.0 if sys.platform == "darwin" else peak / 1024.0
