"""Metrics speed: `python -m benchmarks.metrics_bench [--rows 1000000] [--small 100000]`.

Targets (issue 3): all core figures for every service area plus the 24-month
series on a 1,000,000-row staff table already in DuckDB in under 1 s; a change
of filter or as-of date recomputing a page's figures on 100,000 rows in under
200 ms. Prints, for each case, the best and median wall-clock and CPU time of
several runs after a warm-up, the verdict (on the median), and the 1-minute load
average at the time, since other work on the machine slows wall-clock time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import pandas as pd

import metrics
from ingest.workforce import Workforce
from metrics import CORE, Params


def _synthetic_staff(con, rows: int) -> pd.DataFrame:
    """A realistic-enough staff table generated in DuckDB (fallback when data.generate is unavailable)."""
    return con.execute(
        """
        SELECT 'w' || i AS worker_id,
               ['Children''s Social Work', 'Education Psychology', 'Public Health Nursing', 'SEND 0-25'][1 + i % 4]
                   AS service_area,
               'Team ' || (i % 40) AS team,
               ['Social Worker', 'Senior Practitioner', 'Team Manager', 'Educational Psychologist',
                'Health Visitor'][1 + (i // 7) % 5] AS role,
               'Level ' || (1 + i % 6) AS grade,
               ['permanent', 'permanent', 'permanent', 'fixed_term', 'agency', 'apprentice', 'casual'][1 + (i // 3) % 7]
                   AS worker_type,
               [1.0, 1.0, 0.8, 0.6, 0.5][1 + (i // 11) % 5] AS fte,
               DATE '2026-09-30' - CAST(hash(i) % 7300 AS INTEGER) AS start_date,
               CASE WHEN hash(i, 1) % 4 = 0 THEN DATE '2026-09-30' - CAST(hash(i, 2) % 900 AS INTEGER) END
                   AS end_date,
               28000 + CAST(hash(i, 3) % 30000 AS DOUBLE) AS annual_salary,
               35 + CAST(hash(i, 4) % 30 AS DOUBLE) AS hourly_rate,
               CAST(hash(i, 5) % 25 AS BIGINT) AS caseload
        FROM range(?) t(i)
        """,
        [rows],
    ).df()


def build(rows: int) -> tuple[Workforce, str]:
    """A Workforce holding `rows` staff rows (from data.generate when it can, else synthetic) plus lookups."""
    wf = Workforce(label=f"benchmark {rows:,} rows")
    how = "data.generate"
    try:
        from data.generate import generate

        frames = generate(rows=rows)
        for name, frame in frames.items():
            if name in ("staff", "establishment", "market_pay", "agency_caps", "recruitment"):
                wf.add_table(name, frame)
    except Exception:  # noqa: BLE001 - the benchmark still runs without the generator
        how = "synthetic SQL"
        staff = _synthetic_staff(wf.con, rows)
        staff = staff[staff["end_date"].isna() | (staff["end_date"] > staff["start_date"])]
        wf.add_table("staff", staff)
        wf.add_table("market_pay", pd.DataFrame(
            [dict(role=r, market_median_salary=42000.0) for r in ("Social Worker", "Senior Practitioner")]))
        wf.add_table("establishment", pd.DataFrame(
            [dict(service_area=a, funded_fte=rows / 5) for a in
             ("Children's Social Work", "Education Psychology", "Public Health Nursing", "SEND 0-25")]))
    return wf, how


CPU: list[float] = []
"""Process CPU seconds of each timed run (all DuckDB threads): a fairer figure than wall time on a busy machine."""


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(best, median) wall-clock seconds over `repeat` runs after one warm-up; CPU seconds kept in CPU."""
    fn()
    times = []
    CPU.clear()
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        CPU.append(time.process_time() - cpu)
    return min(times), statistics.median(times)


def report(label: str, best: float, median: float, target: float | None = None) -> None:
    """One line: wall best and median, CPU best and median, verdict on the median, and the load average now."""
    verdict = "" if target is None else ("  OK" if median < target else ("  OVER (best OK)" if best < target else
                                                                          "  OVER"))
    print(f"{label:<58} wall best {best * 1000:6.0f} ms  median {median * 1000:6.0f} ms | "
          f"cpu best {min(CPU) * 1000:6.0f} ms  median {statistics.median(CPU) * 1000:6.0f} ms | "
          f"load {os.getloadavg()[0]:.1f}/{os.cpu_count()} cores{verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    wf, how = build(args.rows)
    count = wf.con.execute("SELECT count(*) FROM staff").fetchone()[0]
    as_of = metrics.default_as_of(wf)
    print(f"staff rows: {count:,} ({how}); as of {as_of}")
    core = Params(as_of=as_of.isoformat(), by=("service_area",), figures=CORE)

    def core_and_series() -> None:
        metrics.compute(wf, core)
        metrics.series(wf, core)

    best, median = timed(lambda: metrics.compute(wf, core), args.repeat)
    report("core figures by service area", best, median)
    best, median = timed(lambda: metrics.series(wf, core), args.repeat)
    report("24-month series of core figures", best, median)
    best, median = timed(core_and_series, args.repeat)
    report(f"core + series, {count:,} rows (target < 1000 ms)", best, median, 1.0)
    best, median = timed(lambda: metrics.compute(wf, Params(as_of=as_of.isoformat())), max(2, args.repeat // 2))
    report("every figure by service area (no target)", best, median)
    wf.close()

    small, _ = build(args.small)
    as_of = metrics.default_as_of(small)
    team = metrics.filter_options(small)["team"][0]
    states = [
        Params(as_of=as_of.isoformat(), by=("team",), filters=(("service_area", "Children's Social Work"),),
               figures=CORE),
        Params(as_of=metrics.census_date(as_of).isoformat(), by=("team",), figures=CORE),
        Params(as_of=as_of.isoformat(), by=("role",), filters=(("team", team),), figures=CORE),
    ]
    index = iter(range(10**9))

    def page_change() -> None:
        params = states[next(index) % len(states)]
        metrics.compute(small, params)
        metrics.series(small, params)

    best, median = timed(page_change, args.repeat * 3)
    report(f"filter / as-of change, {args.small:,} rows (target < 200 ms)", best, median, 0.2)
    small.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
