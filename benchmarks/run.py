"""Run every benchmark in turn and print their figures (`make bench`).

Each benchmark is a separate module runnable on its own; this only sequences them.
"""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = ("benchmarks.cli_bench", "benchmarks.browser_bench", "benchmarks.ingest_bench",
              "benchmarks.metrics_bench", "benchmarks.dashboard_bench", "benchmarks.voice_bench",
              "benchmarks.club_bench", "benchmarks.mapping_bench")


def main() -> int:
    """Run each benchmark module in a fresh interpreter; return non-zero if any failed."""
    failed = 0
    for module in BENCHMARKS:
        print(f"\n=== {module} ===", flush=True)
        failed |= subprocess.call([sys.executable, "-m", module]) != 0
    return int(failed)


if __name__ == "__main__":
    raise SystemExit(main())
