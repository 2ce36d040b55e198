"""Wall-clock measurements in milliseconds, the unit every report of this project uses,
and the medians and percentiles the reports give of them."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence


def ms_since(start: float) -> float:
    """Milliseconds elapsed since ``start``, a :func:`time.perf_counter` reading."""
    return (time.perf_counter() - start) * 1000.0


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) with linear interpolation between the nearest
    ranks (numpy's default); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(position), math.ceil(position)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (position - low))


def median(values: Sequence[float]) -> float:
    """The median; 0.0 for no values."""
    return percentile(values, 50)
