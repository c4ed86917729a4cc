"""Run every benchmark in turn and print their figures, then every target in one list (`make bench`).

Each benchmark is a separate module runnable on its own; this only sequences them, echoing each
one's output as it comes, and ends with the lines that judge a target (met or missed), so the
answer to "are the targets met?" is one short list rather than eight sections. Wall times grow
with whatever else the machine is doing, so the list says when the machine was busy.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterable

BENCHMARKS = ("benchmarks.cli_bench", "benchmarks.browser_bench", "benchmarks.ingest_bench",
              "benchmarks.metrics_bench", "benchmarks.dashboard_bench", "benchmarks.voice_bench",
              "benchmarks.club_bench", "benchmarks.mapping_bench")

VERDICT = re.compile(r"(?:\bNOT met|\bmet|\bMISSED|\bok|\bOK|\bOVER \(best OK\))(?: \(rows missing!\))?\s*$")
"""A benchmark line that judges a target ends with its verdict: met / NOT met, ok / MISSED, OK / OVER."""
MISSED_WORDS = ("NOT met", "MISSED", "OVER", "rows missing")

BUSY_PER_CORE = 0.5
"""A load average above half the cores at the start: other work is taking CPU time the figures need.

(Other work's CPU time during the run cannot be told apart from the benchmarks' own with what the
system counts: the CLI's worker outlives its parent, so its CPU time is charged to no one here.)"""


def verdicts(lines: Iterable[str]) -> list[tuple[str, bool]]:
    """(line, missed) for each line of a benchmark's output that judges a target.

    An indented line is a part of the case above it ("  drop to every tile and chart drawn" under
    "upload 10,000 rows (…)"), so it is named after that case; runs of spaces are closed up.
    """
    judged, case = [], ""
    for line in lines:
        if not VERDICT.search(line):
            if line.strip() and not line[:1].isspace():
                case = re.split(r"\s{2,}| \(|;", line.strip())[0]
            continue
        text = re.sub(r"\s{2,}", "  ", line.strip())
        if line[:1].isspace() and case:
            text = f"{case}: {text}"
        judged.append((text, any(word in line for word in MISSED_WORDS)))
    return judged


def busy(load_average: float, cores: int) -> bool:
    """True when the load average says other work was competing for the cores."""
    return load_average > BUSY_PER_CORE * cores


def _run(module: str) -> tuple[int, list[str]]:
    """Run one benchmark in a fresh interpreter, echoing its output; its exit code and output lines."""
    lines = []
    with subprocess.Popen([sys.executable, "-m", module], stdout=subprocess.PIPE, text=True, bufsize=1) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            lines.append(line)
    return proc.returncode, lines


def summary(results: dict[str, list[tuple[str, bool]]], load_start: float, load_end: float, cores: int) -> str:
    """Every target judged, by benchmark, with how many were missed and whether the machine was busy."""
    out = ["", "=== every target ==="]
    for module, judged in results.items():
        for line, missed in judged:
            out.append(f"{'MISSED' if missed else 'met   '}  {module.removeprefix('benchmarks.')}: {line.strip()}")
    total = sum(len(j) for j in results.values())
    missed = sum(m for j in results.values() for _, m in j)
    out.append(f"{total - missed} of {total} targets met; load average {load_start:.2f} at the start and "
               f"{load_end:.2f} at the end on {cores} cores.")
    if busy(load_start, cores):  # at the end it counts the benchmarks' own work, so only the start says
        out.append("The machine was busy when the benchmarks started: wall times include waiting for a core. "
                   "Re-run `make bench` when it is quiet before recording or judging the figures.")
    return "\n".join(out)


def main() -> int:
    """Run each benchmark module in a fresh interpreter; list every target; non-zero if any failed or missed."""
    cores = os.cpu_count() or 1
    load_start = os.getloadavg()[0]
    failed = 0
    results: dict[str, list[tuple[str, bool]]] = {}
    for module in BENCHMARKS:
        print(f"\n=== {module} ===", flush=True)
        code, lines = _run(module)
        failed |= code != 0
        results[module] = verdicts(lines)
    print(summary(results, load_start, os.getloadavg()[0], cores))
    missed = any(m for judged in results.values() for _, m in judged)
    return int(bool(failed) or missed)


if __name__ == "__main__":
    raise SystemExit(main())
