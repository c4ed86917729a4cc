"""Load test: N concurrent browser sessions open one shared link; time to a rendered overview.

Loopback only and bounded: at most 50 sessions, each with a time limit, and a
limit on the whole run. Starts the app on a free 127.0.0.1 port (or uses --url,
which must be on 127.0.0.1/localhost), publishes the demo council as a snapshot,
then opens `?snapshot=<id>` in N Playwright contexts of one Debian Chromium at
once. Reports the median and worst time to the overview's figures being drawn
(first metric tile visible and the app idle), and every error.

    .venv/bin/python -m benchmarks.load_test            # 20 sessions, target: no errors, median < 3 s
    .venv/bin/python -m benchmarks.load_test --sessions 5 --url http://127.0.0.1:8501
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MAX_SESSIONS = 50
TARGET_MEDIAN_S = 3.0


def _loopback(url: str) -> str:
    host = urlparse(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"Refusing to load-test {host!r}: this script only talks to this machine (127.0.0.1).")
    return url.rstrip("/")


def _publish_demo() -> str:
    """Publish the demo council to the snapshot path in force (the server reads the same file)."""
    import ingest
    from sharing import snapshots

    workforce = ingest.load_demo()
    try:
        return snapshots.publish(workforce, "Load test", published_by="benchmarks.load_test")
    finally:
        workforce.close()


async def _one(browser, url: str, limit_s: float) -> tuple[float | None, str | None, float | None]:
    """Open the link in a fresh context: (seconds to the whole overview drawn, error, seconds to the first tile)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    start = time.perf_counter()
    try:
        await page.goto(url, timeout=limit_s * 1000)
        await page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=limit_s * 1000)
        first_tile = time.perf_counter() - start
        await page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=limit_s * 1000)
        await page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                     timeout=limit_s * 1000)
        elapsed = time.perf_counter() - start
        if await page.locator('[data-testid="stException"]').count():
            errors.append("the page shows an exception")
        return (elapsed, "; ".join(errors) or None, first_tile)
    except Exception as exc:  # noqa: BLE001 - every failure is reported, not raised
        return (None, f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}", None)
    finally:
        await context.close()


async def _run(url: str, sessions: int, limit_s: float) -> list[tuple[float | None, str | None]]:
    from playwright.async_api import async_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            # Warm the server once (first script run imports everything), as a real server would be warm.
            await _one(browser, url, limit_s)
            tasks = [_one(browser, url, limit_s) for _ in range(sessions)]
            return await asyncio.wait_for(asyncio.gather(*tasks), timeout=limit_s * 2 + 30)
        finally:
            await browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions (max 50)")
    parser.add_argument("--url", help="a running app on 127.0.0.1 (default: start one)")
    parser.add_argument("--snapshot", help="an existing snapshot id (default: publish the demo)")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds allowed per session")
    args = parser.parse_args(argv)
    sessions = max(1, min(args.sessions, MAX_SESSIONS))

    proc = None
    tmp = None
    if args.url is None:
        tmp = tempfile.TemporaryDirectory(prefix="wl-load-")
        os.environ["WORKFORCE_LENS_SNAPSHOT_PATH"] = str(Path(tmp.name) / "snapshots.duckdb")
        os.environ.setdefault("WORKFORCE_LENS_SHARING_FILTER_CUTS", "")  # whole-council tables: a quick publish
    try:
        started = time.perf_counter()
        snapshot = args.snapshot or _publish_demo()
        print(f"published demo snapshot {snapshot} in {time.perf_counter() - started:.1f} s")
        if args.url is None:
            from tests.browser.conftest import start_app

            proc, base = start_app({"WORKFORCE_LENS_SNAPSHOT_PATH": os.environ["WORKFORCE_LENS_SNAPSHOT_PATH"]})
        else:
            base = _loopback(args.url)
        link = f"{base}/?snapshot={snapshot}"
        print(f"opening {link} in {sessions} concurrent browser sessions")
        results = asyncio.run(_run(link, sessions, args.timeout))
    finally:
        if proc is not None:
            from tests.browser.conftest import stop_app

            stop_app(proc)
        if tmp is not None:
            tmp.cleanup()

    times = sorted(t for t, err, _ in results if t is not None and err is None)
    tiles = sorted(f for _, err, f in results if f is not None and err is None)
    errors = [err for _, err, _ in results if err]
    print(f"sessions: {len(results)}  rendered: {len(times)}  errors: {len(errors)}")
    if times:
        median = statistics.median(times)
        print(f"time to rendered overview (charts drawn, script finished): median {median:.2f} s, "
              f"worst {times[-1]:.2f} s, best {times[0]:.2f} s")
        print(f"time to first figure tile: median {statistics.median(tiles):.2f} s, worst {tiles[-1]:.2f} s")
    for err in errors[:10]:
        print(f"  error: {err}")
    ok = not errors and times and statistics.median(times) < TARGET_MEDIAN_S
    print(f"target (no errors, median < {TARGET_MEDIAN_S:.0f} s): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
