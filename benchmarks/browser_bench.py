"""Browser benchmark: what a user waits for in Debian's Chromium, measured end to end.

Three cases, each the median of several runs, each printing its figure and target:

- **first visit**: a freshly started server (`serve.py`, as `make run` starts it) and a
  new browser context; from `page.goto` until every overview tile and chart is drawn.
  Target < 2.5 s.
- **upload 10k / 100k**: a generated workbook (staff plus the four other tables) dropped
  on /data; from the drop until the user's own overview has every tile and chart drawn.
  Targets < 2 s (10,000 staff rows) and < 5 s (100,000). When the app stops on the load
  report instead of going to the overview, the benchmark clicks "Overview" and reports the
  two parts separately (the click counts against the target).

The floor printed beside them is a two-line Streamlit page opened in the same browser
(`benchmarks/calibration_app.py`): what any Streamlit page costs on this machine.

    .venv/bin/python -m benchmarks.browser_bench [--runs 3] [--cases first,10000,100000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGETS = {"first": 2.5, "10000": 2.0, "100000": 5.0}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CALIBRATION_PAGE = ROOT / "benchmarks" / "calibration_app.py"

OVERVIEW_DRAWN = """(charts) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
    if (!document.querySelector('[data-testid="stMetricValue"]')) return false;
    const drawn = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
        .filter(c => c.querySelector('canvas, svg.marks'));
    return drawn.length >= charts;
}"""
"""True when a script run is over and every tile and `charts` Vega charts are on screen."""


def _chromium():
    """Playwright (started) and a launched Debian Chromium (the browser tests' settings)."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    playwright = sync_playwright().start()
    return playwright, playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def _workbook(rows: int, directory: Path) -> Path:
    """A generated council workbook with `rows` staff rows and the other tables (data.generate)."""
    path = directory / f"council_{rows}.xlsx"
    if not path.exists():
        from data.generate import main as generate

        generate(["--rows", str(rows), "--format", "xlsx", "--out", str(path)])
    return path


def _new_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    return context, page


def first_visit(browser, runs: int) -> list[float]:
    """Seconds from goto to a drawn overview, each on a freshly started server (serve.py)."""
    from tests.browser.conftest import start_app, stop_app

    times = []
    for _ in range(runs):
        proc, url = start_app()
        try:
            context, page = _new_page(browser)
            started = time.perf_counter()
            page.goto(url)
            page.wait_for_function(OVERVIEW_DRAWN, arg=4, timeout=120_000)
            times.append(time.perf_counter() - started)
            context.close()
        finally:
            stop_app(proc)
    return times


def _drop(page, path: Path) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": path.name, "mimeType": XLSX_MIME, "buffer": path.read_bytes()}])


def upload(browser, url: str, path: Path, runs: int) -> list[tuple[float, float]]:
    """(seconds from drop to the app's answer, seconds from the drop to a drawn own overview), per run."""
    from tests.browser.conftest import wait_for_app

    results = []
    for _ in range(runs):
        context, page = _new_page(browser)
        page.goto(f"{url}/data")
        wait_for_app(page, timeout_ms=120_000)
        page.locator('[data-testid="stFileUploaderDropzone"]').wait_for()
        started = time.perf_counter()
        _drop(page, path)
        page.wait_for_function(
            """() => { const p = location.pathname; const a = document.querySelector('[data-testid="stApp"]');
                       return a && a.getAttribute('data-test-script-state') === 'notRunning'
                              && (!p.endsWith('/data') || document.body.innerText.includes('rows loaded')
                                  || document.body.innerText.includes('Upload read')); }""",
            timeout=300_000)
        answered = time.perf_counter() - started
        if location_is_data(page):
            page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Overview").click()
        page.wait_for_function(OVERVIEW_DRAWN, arg=4, timeout=300_000)
        results.append((answered, time.perf_counter() - started))
        context.close()
    return results


def location_is_data(page) -> bool:
    """True while the browser is still on the Data page (the app did not go on to the overview)."""
    return page.evaluate("() => location.pathname.endsWith('/data')")


def calibration(browser, runs: int) -> list[float]:
    """Seconds to a two-line Streamlit page on a fresh server: the floor of any page here."""
    from tests.browser.conftest import start_app, stop_app

    times = []
    for _ in range(runs):
        proc, url = start_app(script=str(CALIBRATION_PAGE))
        try:
            context, page = _new_page(browser)
            started = time.perf_counter()
            page.goto(url)
            page.locator('[data-testid="stMarkdownContainer"]').first.wait_for()
            times.append(time.perf_counter() - started)
            context.close()
        finally:
            stop_app(proc)
    return times


def _line(label: str, values: list[float], target: float | None) -> str:
    median = statistics.median(values)
    verdict = "" if target is None else f"  target < {target:.1f} s: {'met' if median < target else 'NOT met'}"
    runs = ", ".join(f"{v:.2f}" for v in values)
    return f"{label:<44} median {median:5.2f} s  (runs: {runs}){verdict}"


def main(argv: list[str] | None = None) -> int:
    """Run the chosen cases and print each median with its target and the floor."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.browser_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", default="first,10000,100000")
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "workforce-lens-bench"))
    args = parser.parse_args(argv)
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    directory = Path(args.dir)
    directory.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}", flush=True)

    from tests.browser.conftest import start_app, stop_app

    playwright, browser = _chromium()
    try:
        print(_line("floor: two-line Streamlit page, fresh server", calibration(browser, args.runs), None), flush=True)
        if "first" in cases:
            print(_line("first visit to a fresh `make run` server", first_visit(browser, args.runs),
                        TARGETS["first"]), flush=True)
        sizes = [c for c in cases if c.isdigit()]
        if sizes:
            proc, url = start_app()
            try:
                for size in sizes:
                    path = _workbook(int(size), directory)
                    runs = upload(browser, url, path, args.runs)
                    print(_line(f"upload {int(size):,} rows: drop to the app's answer", [a for a, _ in runs], None))
                    print(_line(f"upload {int(size):,} rows: drop to own overview drawn", [t for _, t in runs],
                                TARGETS.get(size)), flush=True)
            finally:
                stop_app(proc)
    finally:
        browser.close()
        playwright.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
