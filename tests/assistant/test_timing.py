"""The measurements every report gives: elapsed milliseconds, medians, percentiles."""

import time

from assistant.timing import median, ms_since, percentile


def test_percentiles_interpolate_between_the_nearest_ranks():
    assert percentile([30.0, 10.0, 20.0, 40.0], 50) == 25.0
    assert percentile([10.0, 20.0, 30.0, 40.0, 50.0], 95) == 48.0
    assert percentile([5.0], 95) == 5.0
    assert percentile([], 50) == 0.0


def test_the_median_of_an_odd_and_an_even_count():
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4, 1, 3, 2]) == 2.5
    assert median([]) == 0.0


def test_milliseconds_since_a_perf_counter_reading():
    start = time.perf_counter() - 0.25
    assert 250.0 <= ms_since(start) < 250.0 + 60_000
