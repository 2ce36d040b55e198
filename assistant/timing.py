"""Wall-clock measurements in milliseconds, the unit every report of this project uses."""

import time


def ms_since(start: float) -> float:
    """Milliseconds elapsed since ``start``, a :func:`time.perf_counter` reading."""
    return (time.perf_counter() - start) * 1000.0
