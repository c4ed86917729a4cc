"""Browser benchmark: what a user waits for in Debian's Chromium, measured end to end (issue 14).

Three cases, each the median of several runs, each printing its figure and target:

- **first visit**: a freshly started server (`serve.py`, as `make run` starts it) and a
  new browser context; from `page.goto` until every overview tile and chart is drawn.
  Target < 2.5 s.
- **upload 10k / 100k**: a generated workbook (`data.generate --rows N`: staff plus the four
  other tables) dropped on /data as a user drops it (the browser reads the file from disk and
  uploads it); from the drop until the user's own overview has every tile and chart drawn.
  Targets < 2 s (10,000 staff rows) and < 5 s (100,000). If the app stopped on the Data page
  instead of going on to the overview, the run clicks "Overview" and the click counts against
  the target. Each run also reports when the file had been sent and when the overview was
  open, so the parts can be told apart.

"Every tile and chart drawn" means: the script run is over, the tiles are on screen, and as many
charts as the page has once it is settled are drawn (counted per case on a run that is not
timed, which waits until the page stops changing; that first upload on a fresh server is
printed too). A page that drew its charts in a second script run is therefore timed to the end
of that run, not to the first.

The floor printed beside them is a two-line Streamlit page opened in the same browser
(`benchmarks/calibration_app.py`): what any Streamlit page costs on this machine.

    .venv/bin/python -m benchmarks.browser_bench [--runs 5] [--cases first,10000,100000]
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
CALIBRATION_PAGE = ROOT / "benchmarks" / "calibration_app.py"

CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
    .filter(c => c.querySelector('canvas, svg.marks')).length"""
"""How many Vega charts have drawn their marks."""

OVERVIEW_DRAWN = """(charts) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (!location.pathname.endsWith('/overview') && location.pathname !== '/') return false;
    if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
    if (!document.querySelector('[data-testid="stMetricValue"]')) return false;
    const drawn = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
        .filter(c => c.querySelector('canvas, svg.marks'));
    return drawn.length >= charts;
}"""
"""True when a script run on the overview is over and every tile and `charts` Vega charts are on screen."""

SCRIPT_DONE = """() => { const a = document.querySelector('[data-testid="stApp"]');
                         return a && a.getAttribute('data-test-script-state') === 'notRunning'; }"""


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


def settled_charts(page, timeout_s: float = 120) -> tuple[int, float]:
    """Wait until the script has run and the number of drawn charts has not changed for 1.5 s.

    Returns that number and the perf_counter time it was first seen (to within a quarter second).
    """
    page.wait_for_function(SCRIPT_DONE, timeout=timeout_s * 1000)
    last, stable, since = -1, 0, time.perf_counter()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and stable < 6:
        page.wait_for_timeout(250)
        now = page.evaluate(CHARTS_DRAWN) if page.evaluate(SCRIPT_DONE) else -1
        if now == last and now >= 0:
            stable += 1
        else:
            stable, since = 0, time.perf_counter()
        last = now
    return last, since


def first_visit(browser, runs: int) -> tuple[list[float], int]:
    """Seconds from goto to a drawn overview, each on a freshly started server (serve.py); and the chart count."""
    from tests.browser.conftest import start_app, stop_app

    proc, url = start_app()
    try:  # how many charts the demo overview has, once settled (not timed)
        context, page = _new_page(browser)
        page.goto(url)
        charts, _ = settled_charts(page)
        context.close()
    finally:
        stop_app(proc)
    times = []
    for _ in range(runs):
        proc, url = start_app()
        try:
            context, page = _new_page(browser)
            started = time.perf_counter()
            page.goto(url)
            page.wait_for_function(OVERVIEW_DRAWN, arg=charts, timeout=120_000)
            times.append(time.perf_counter() - started)
            context.close()
        finally:
            stop_app(proc)
    return times, charts


def _open_data_page(browser, url: str):
    from tests.browser.conftest import wait_for_app

    context, page = _new_page(browser)
    page.goto(f"{url}/data")
    wait_for_app(page, timeout_ms=120_000)
    page.locator('[data-testid="stFileUploaderDropzone"]').first.wait_for()
    return context, page


def _drop(page, path: Path) -> None:
    """Drop the workbook on the Data page's first uploader (the second takes a saved mapping), as a user does:
    the browser reads the file from disk and uploads it."""
    page.get_by_role("region", name="Upload your workforce spreadsheet(s)", exact=True).locator(
        'input[type="file"]').set_input_files(str(path))


def upload_once(browser, url: str, path: Path, charts: int | None) -> dict[str, float]:
    """One drop: seconds to the file sent, to the overview open, to every tile and chart drawn (and the count)."""
    context, page = _open_data_page(browser, url)
    marks: dict[str, float] = {}

    def finished(request) -> None:
        if "/_stcore/upload_file" in request.url and "sent" not in marks:
            marks["sent"] = time.perf_counter()

    page.on("requestfinished", finished)
    try:
        started = time.perf_counter()
        _drop(page, path)
        page.wait_for_function("() => !location.pathname.endsWith('/data') || "
                               "document.body.innerText.includes('Some columns need you')", timeout=300_000)
        if page.evaluate("() => location.pathname.endsWith('/data')"):  # stopped for the mapping step
            page.wait_for_function(SCRIPT_DONE, timeout=300_000)
            page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Overview").click()
        marks["overview"] = time.perf_counter()
        if charts is None:  # the first upload: let the page settle and count its charts (drawn: when last changed)
            charts, marks["drawn"] = settled_charts(page, 300)
        else:
            page.wait_for_function(OVERVIEW_DRAWN, arg=charts, timeout=300_000)
            marks["drawn"] = time.perf_counter()
    finally:
        context.close()
    return {"sent": marks.get("sent", started) - started, "overview": marks["overview"] - started,
            "drawn": marks["drawn"] - started, "charts": charts}


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
    return f"{label:<48} median {median:5.2f} s  (runs: {runs}){verdict}"


def main(argv: list[str] | None = None) -> int:
    """Run the chosen cases and print each median with its target and the floor; non-zero if a target is missed."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.browser_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cases", default="first,10000,100000")
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "workforce-lens-bench"))
    args = parser.parse_args(argv)
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    directory = Path(args.dir)
    directory.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}", flush=True)

    from tests.browser.conftest import start_app, stop_app

    missed = False
    playwright, browser = _chromium()
    try:
        print(_line("floor: two-line Streamlit page, fresh server", calibration(browser, args.runs), None), flush=True)
        if "first" in cases:
            times, charts = first_visit(browser, args.runs)
            print(_line(f"first visit to a fresh `make run` server ({charts} charts)", times, TARGETS["first"]),
                  flush=True)
            missed |= statistics.median(times) >= TARGETS["first"]
        sizes = [c for c in cases if c.isdigit()]
        for size in sizes:
            path = _workbook(int(size), directory)
            proc, url = start_app()
            try:
                first = upload_once(browser, url, path, None)
                runs = [upload_once(browser, url, path, first["charts"]) for _ in range(args.runs)]
            finally:
                stop_app(proc)
            n = int(size)
            print(f"upload {n:,} rows ({path.stat().st_size / 1e6:.1f} MB, {first['charts']} charts on its overview); "
                  f"first upload on a fresh server: about {first['drawn']:.1f} s (it counts the charts)")
            print(_line("  drop to the file sent", [r["sent"] for r in runs], None))
            print(_line("  drop to the own overview open", [r["overview"] for r in runs], None))
            print(_line("  drop to every tile and chart drawn", [r["drawn"] for r in runs], TARGETS.get(size)),
                  flush=True)
            if size in TARGETS:
                missed |= statistics.median(r["drawn"] for r in runs) >= TARGETS[size]
    finally:
        browser.close()
        playwright.stop()
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    return int(missed)


if __name__ == "__main__":
    raise SystemExit(main())
