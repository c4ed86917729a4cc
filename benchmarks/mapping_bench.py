"""Mapping-step benchmark: how long the Data page's live preview takes to update on a 100,000-row file.

The page reads an upload once (`ingest.read_upload`); every change the user makes in the
mapping step (override a match, map a value, accept an assumption) runs steps 2–4 again on what
was read (`ingest.load_upload`): matching with value checks, derivations, validation, stacking.
This times that call for a generated HRIS-style extract (camelCase headers, status column, US
dates, no FTE or worker type), for a sequence of typical changes, after one warm-up.

Target: the preview updates in under 1 s on a 100,000-row file.

    python -m benchmarks.mapping_bench [--rows 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_S = 1.0
HEADERS = ["Employee_Name", "EmpID", "Department", "Team", "Position", "Contract", "EmploymentStatus", "DateofHire",
           "DateofTermination", "TermReason", "Salary", "Sex", "Absences", "RaceDesc", "ManagerID"]


def hris_csv(rows: int, seed: int = 7) -> bytes:
    """A seeded HRIS-style extract: names (never loaded), US month-first dates, statuses, a few odd values."""
    rng = np.random.default_rng(seed)
    services = np.array(["Children's Social Work", "Education Psychology", "Public Health Nursing", "SEND 0-25"])
    teams = np.array(["Assessment", "Child Protection", "Looked After", "Court", "Early Help", "North", "South"])
    roles = np.array(["Social Worker", "Senior Practitioner", "Team Manager", "Caseworker", "Health Visitor"])
    contracts = np.array(["Permanent", "Permanent", "Permanent", "Fixed Term", "Agency/Locum/Interim"])
    start = np.datetime64("2008-01-01") + rng.integers(0, 6000, rows).astype("timedelta64[D]")
    left = rng.random(rows) < 0.25
    end = start + rng.integers(30, 2500, rows).astype("timedelta64[D]")
    end = np.where(left & (end < np.datetime64("2025-06-30")), end, np.datetime64("NaT"))
    lines = [",".join(HEADERS)]
    us = lambda d: "" if np.isnat(d) else f"{d.astype(object).month}/{d.astype(object).day}/{d.astype(object).year}"  # noqa: E731
    service = rng.integers(0, len(services), rows)
    for i in range(rows):
        gone = not np.isnat(end[i])
        lines.append(",".join([
            f"\"Person, Number{i}\"", str(10000 + i), services[service[i]], teams[rng.integers(0, len(teams))],
            roles[rng.integers(0, len(roles))], contracts[rng.integers(0, len(contracts))],
            "Voluntarily Terminated" if gone else "Active", us(start[i]), us(end[i]),
            "career change" if gone else "N/A-StillEmployed", str(int(rng.integers(24000, 60000))),
            "F" if rng.random() < 0.8 else "M", str(int(rng.integers(0, 20))), "White", str(int(rng.integers(1, 40))),
        ]))
    return ("\n".join(lines) + "\n").encode()


def main(argv: list[str] | None = None) -> int:
    """Build the file, read it once, then time each preview update."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.mapping_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    import ingest
    from ingest import Mapping

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}", flush=True)
    data = hris_csv(args.rows)
    started = time.perf_counter()
    upload = ingest.read_upload([("hris_export.csv", data)])
    print(f"{args.rows:,}-row HRIS-style CSV ({len(data) / 1e6:.1f} MB): read once in "
          f"{time.perf_counter() - started:.2f} s", flush=True)
    changes = [
        ("automatic matches only", Mapping()),
        ("assume worker type and FTE", Mapping(assume={"worker_type": "permanent", "fte": "1.0"})),
        ("map a value (Agency/Locum/Interim → agency)",
         Mapping(values={"worker_type": {"Agency/Locum/Interim": "agency"}}, assume={"fte": "1.0"})),
        ("override a match (Team not loaded)",
         Mapping(columns={"Team": ""}, values={"worker_type": {"Agency/Locum/Interim": "agency"}},
                 assume={"fte": "1.0"})),
        ("unset it again", Mapping(values={"worker_type": {"Agency/Locum/Interim": "agency"}}, assume={"fte": "1.0"})),
    ]
    t0, c0 = time.perf_counter(), time.process_time()
    ingest.load_upload(upload, Mapping())  # the first match and load after reading (warms the parse cache)
    print(f"first match and load after reading: {time.perf_counter() - t0:.3f} s wall, "
          f"{time.process_time() - c0:.3f} s CPU", flush=True)
    worst = 0.0
    for label, mapping in changes:
        times, cpu = [], []
        for _ in range(args.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            result = ingest.load_upload(upload, mapping)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        loaded = sum(c.loaded for c in result.counts)
        aside = sum(c.set_aside for c in result.counts)
        median = statistics.median(times)
        worst = max(worst, median)
        print(f"preview: {label:<46} wall median {median:.3f} s (runs: {', '.join(f'{t:.2f}' for t in times)}), "
              f"CPU median {statistics.median(cpu):.3f} s; {loaded:,} rows load, {aside:,} set aside", flush=True)
    verdict = "met" if worst < TARGET_S else "NOT met"
    print(f"slowest preview update {worst:.3f} s; target < {TARGET_S:.1f} s: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
