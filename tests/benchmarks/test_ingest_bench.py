"""The ingest benchmark judges a case by the median of several loads, and its memory by the largest."""

from benchmarks.ingest_bench import combined


def test_several_loads_give_the_median_time_and_the_largest_peak():
    loads = [{"seconds": 3.03, "cpu": 2.58, "peak_mb": 854.0, "rows": 1000, "aside": 0},
             {"seconds": 2.64, "cpu": 2.30, "peak_mb": 856.0, "rows": 1000, "aside": 0},
             {"seconds": 2.75, "cpu": 2.43, "peak_mb": 842.0, "rows": 1000, "aside": 0}]
    got = combined(loads)
    assert got["seconds"] == 2.75
    assert got["cpu"] == 2.43
    assert got["peak_mb"] == 856.0
    assert got["runs"] == [3.03, 2.64, 2.75]
