"""`python -m metrics` on a 100,000-row staff workbook against a bare fastexcel read of it (issue 14).

The workbook is the generator's staff table alone (`data.generate`, 100,000 rows, 17 columns,
one sheet), written once into --dir. Each round runs, in turn and each in a fresh process:

- **floor**: a bare Python process that only reads the same workbook with fastexcel
  (`import fastexcel`, read every sheet to Arrow: the least any tool reading it can do);
- **cli**: `python -m metrics FILE --format json` (the committee table as JSON), with
  WORKFORCE_LENS_CLI_TIMINGS set so it reports its parts (metrics/cli.py).

Floor and CLI alternate, so a busy moment on the machine hits both alike. Eleven rounds by default:
on the 2-core development machine one CLI run can take 1.3 s or 1.7 s within the same minute (the
floor varies far less: it uses one core, the CLI both), and medians of five rounds moved by 0.2×
from one run of the benchmark to the next. Printed: the medians,
their ratio against the target (≤ 1.5× the floor), and the CLI's parts against theirs: imports on
the critical path ≤ 0.3 s (before the file is handed to the worker, plus any import still running
when the worker has finished), printing ≤ 0.05 s.

    python -m benchmarks.cli_bench [--runs 11] [--rows 100000] [--dir /tmp/workforce-lens-bench]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RATIO_TARGET = 1.5
IMPORTS_TARGET = 0.3
PRINTING_TARGET = 0.05

FLOOR = """
import sys
import fastexcel
reader = fastexcel.read_excel(sys.argv[1])
for name in reader.sheet_names:
    reader.load_sheet(name).to_arrow()
"""


def staff_workbook(rows: int, directory: Path) -> Path:
    """The generator's staff table alone as a one-sheet workbook (written once, then reused)."""
    path = directory / f"staff_only_{rows}.xlsx"
    if not path.exists():
        from data.generate import generate, write_xlsx

        write_xlsx({"staff": generate(rows=rows)["staff"]}, path)
    return path


def compile_project() -> None:
    """Write the project's bytecode before measuring, as any Python's first run of it does.

    Where PYTHONDONTWRITEBYTECODE is set (this sandbox sets it), Python never writes the cache
    itself, and every run would compile the project's modules again from source (about 0.06 s
    that no installed copy pays). The libraries' own bytecode was written when pip installed them.
    """
    import compileall
    import re

    skip = re.compile(r"[/\\](\.venv|\.git|tests|node_modules|test-artifacts)[/\\]")
    compileall.compile_dir(ROOT, quiet=2, rx=skip)


def _floor(path: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", FLOOR, str(path)], check=True, cwd=ROOT)
    return time.perf_counter() - started


def _cli(path: Path) -> tuple[float, dict[str, float]]:
    """Wall seconds of one `python -m metrics` run and its reported marks (monotonic seconds)."""
    launch = time.monotonic()
    env = {**os.environ, "WORKFORCE_LENS_CLI_TIMINGS": repr(launch)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "metrics", str(path), "--format", "json"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"python -m metrics failed: {done.stderr.strip()[-500:]}")
    json.loads(done.stdout)  # the committee table, as JSON
    line = next(x for x in done.stderr.splitlines() if x.startswith("timings: "))
    return wall, json.loads(line.removeprefix("timings: "))


def parts(marks: dict[str, float]) -> dict[str, float]:
    """The CLI's parts in seconds, from its marks.

    - start: interpreter start and this package's light imports (launch → main)
    - imports: on the critical path: before the file is handed over (launch → read sent), plus any
      import still running after the worker's answer is in (imports end − worker done, if positive)
    - hidden imports: pandas, pyarrow, DuckDB imported while the worker reads (off the critical path)
    - read: from handing the file over to the worker's answer (spawn, parse, send back)
    - checking: matching, typing and validating the read sheet (worker done or imports end → loaded)
    - figures: the DuckDB store and the committee figures (loaded → figures)
    - printing: JSON written (figures → printed)
    """
    worker_done = marks.get("worker_done", marks["read"])
    imports_after = max(0.0, marks["imports"] - worker_done)
    return {
        "start": marks["main"] - marks["launch"],
        "imports": marks["read_sent"] - marks["launch"] + imports_after,
        "hidden imports": marks["imports"] - marks["read_sent"] - imports_after,
        "read": worker_done - marks["read_sent"],
        "checking": marks["loaded"] - max(worker_done, marks["imports"]),
        "figures": marks["figures"] - marks["loaded"],
        "printing": marks["printed"] - marks["figures"],
    }


def main(argv: list[str] | None = None) -> int:
    """Alternate floor and CLI runs; print medians, the ratio and the parts, each with its target."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cli_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "workforce-lens-bench"))
    args = parser.parse_args(argv)
    directory = Path(args.dir)
    directory.mkdir(parents=True, exist_ok=True)
    path = staff_workbook(args.rows, directory)
    compile_project()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; workbook {path.name}: "
          f"{args.rows:,} staff rows, {path.stat().st_size / 1e6:.1f} MB", flush=True)
    _floor(path)  # page cache and first-run costs, for both
    _cli(path)
    floors, walls, all_parts = [], [], []
    for _ in range(args.runs):
        floors.append(_floor(path))
        wall, marks = _cli(path)
        walls.append(wall)
        all_parts.append(parts(marks))
    floor, cli = statistics.median(floors), statistics.median(walls)
    ratio = cli / floor
    runs = ", ".join(f"{w:.2f}" for w in walls)
    print(f"floor: bare fastexcel read, fresh process      median {floor:5.2f} s  (runs: "
          f"{', '.join(f'{f:.2f}' for f in floors)})")
    print(f"python -m metrics FILE --format json          median {cli:5.2f} s  (runs: {runs})")
    print(f"ratio to the floor                            {ratio:5.2f}×  target ≤ {RATIO_TARGET}×: "
          f"{'met' if ratio <= RATIO_TARGET else 'NOT met'}")
    targets = {"imports": IMPORTS_TARGET, "printing": PRINTING_TARGET}
    missed = ratio > RATIO_TARGET
    for name in all_parts[0]:
        value = statistics.median(p[name] for p in all_parts)
        target = targets.get(name)
        verdict = "" if target is None else f"  target ≤ {target:.2f} s: {'met' if value <= target else 'NOT met'}"
        missed |= target is not None and value > target
        print(f"  {name:<16} median {value:5.2f} s{verdict}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    return int(missed)


if __name__ == "__main__":
    raise SystemExit(main())
