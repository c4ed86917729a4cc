"""Dashboard speed on the demo council: first overview, a cached rerun, filter changes, every page.

Runs the real app under Streamlit's AppTest (no browser) and prints seconds per
step. Targets (issue 4): the demo overview in under 5 s for a newcomer, and a
filter change redrawn in well under a second once its figures are cached.
Run: `python -m benchmarks.dashboard_bench`.
"""

from __future__ import annotations

import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ("recruitment", "retention", "agency", "pay", "workload")


def timed(label: str, step) -> float:
    """Run one step and print how long it took."""
    start = time.perf_counter()
    at = step()
    seconds = time.perf_counter() - start
    assert not at.exception, [e.message for e in at.exception]
    print(f"{label:<48} {seconds:6.2f} s", flush=True)
    return seconds


def main() -> None:
    """Print the timings."""
    at = AppTest.from_file(APP, default_timeout=180)
    timed("overview, first run (loads the demo)", at.run)
    timed("overview, rerun (cached)", at.run)
    for area in ("SEND 0-25", "Children's Social Work"):
        timed(f"filter service = {area} (not cached yet)", lambda a=area: at.selectbox(key="service").set_value(a).run())
    timed("filter back to All (cached)", lambda: at.selectbox(key="service").set_value("All").run())
    timed("filter service = SEND 0-25 again (cached)", lambda: at.selectbox(key="service").set_value("SEND 0-25").run())
    at.selectbox(key="service").set_value("All").run()
    for page in PAGES:
        timed(f"{page}, first visit", lambda p=page: at.switch_page(f"pages/{p}.py").run())
        timed(f"{page}, revisit", lambda p=page: at.switch_page(f"pages/{p}.py").run())


if __name__ == "__main__":
    main()
