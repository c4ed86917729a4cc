"""Staff voice benchmark: the /voice page's views on the demo and on a 5,000-row council, and publishing them.

`python -m benchmarks.voice_bench` prints, for each View and grouping the page asks for, the wall and CPU time
of a first call (working tables built) and the median of later calls, then the time to build the staff voice
part of a snapshot. No target is set for these (the page's views are cached per data and filter once drawn);
the figures are for the README and for spotting a regression.
"""

from __future__ import annotations

import os
import statistics
import time

from data.generate import generate
from ingest.workforce import Workforce
from metrics import Params, voice
from sharing import snapshots

PAGE_VIEWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("voice_figures", ()), ("voice_figures", ("team",)), ("survey_results", ()), ("survey_results", ("team",)),
    ("survey_history", ()), ("voice_by_month", ("team",)),
)
"""What /voice asks for on opening (besides the staff figures by team)."""


def council(rows: int | None) -> Workforce:
    """A generated council with its staff voice tables, loaded straight into a Workforce."""
    workforce = Workforce(label=f"voice benchmark {rows or 'demo'}")
    for name, frame in generate(rows=rows, voice=True).items():
        workforce.add_table(name, frame)
    return workforce


def timed(fn, repeat: int = 5) -> tuple[float, float, float]:
    """(first wall s, median wall s of the rest, median CPU s of the rest)."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls[0], statistics.median(walls[1:]), statistics.median(cpus[1:])


def main() -> None:
    """Print the timings."""
    for rows in (None, 5_000):
        workforce = council(rows)
        sizes = ", ".join(f"{t} {workforce.df(f'SELECT count(*) AS n FROM {t}')['n'][0]:,}"
                          for t in ("staff", "survey", "supervision", "induction"))
        print(f"\n{'demo council' if rows is None else f'{rows:,} staff rows'} ({sizes})", flush=True)
        total = 0.0
        for name, by in PAGE_VIEWS:
            first, median, cpu = timed(lambda name=name, by=by, wf=workforce: voice.VIEWS[name].compute(wf, Params(by=by)))
            total += median
            print(f"  {name:15} by {','.join(by) or '(none)':6}  first {first * 1000:5.0f} ms  "
                  f"then {median * 1000:5.0f} ms (cpu {cpu * 1000:4.0f} ms)", flush=True)
        print(f"  every view the page opens on: {total * 1000:.0f} ms", flush=True)
        os.environ.setdefault("WORKFORCE_LENS_SHARING_FILTER_CUTS", "service_area")
        start = time.perf_counter()
        snapshots.build(workforce, views=voice.VIEWS)
        print(f"  snapshot tables of the staff voice views (by service area filters): "
              f"{time.perf_counter() - start:.1f} s", flush=True)
        print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        workforce.close()


if __name__ == "__main__":
    main()
