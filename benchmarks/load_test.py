"""Load test: N concurrent sessions open one shared link; time to a rendered overview.

Loopback only and bounded: at most 50 sessions, each with a time limit, and a
limit on the whole run. Starts the app on a free 127.0.0.1 port (or uses --url,
which must be on 127.0.0.1/localhost), publishes the demo council as a snapshot,
then opens `?snapshot=<id>` in N sessions at once, two ways:

- **server**: N Streamlit sessions over the app's own websocket protocol, as a
  browser opens them (the same first message), timed until the server has sent
  the whole overview (every tile and chart) and finished the run. This is the
  server's capacity: what 20 councillors on their own computers would wait for.
- **browser**: N Playwright contexts of one Debian Chromium, timed until the
  first tile, the five charts and an idle app are on screen. On one 2-core
  machine the 20 Chromium renderers compete with the server for the same two
  cores, so this measures the machine, not the server: `--calibrate` runs the
  same browsers against a two-line Streamlit page to show that floor.

Reports median and worst, and every error.

    .venv/bin/python -m benchmarks.load_test                 # 20 sessions, server then browser
    .venv/bin/python -m benchmarks.load_test --mode server   # target: no errors, median < 3 s
    .venv/bin/python -m benchmarks.load_test --sessions 5 --url http://127.0.0.1:8501 --calibrate
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MAX_SESSIONS = 50
TARGET_MEDIAN_S = 3.0
OVERVIEW_CHARTS = 5
"""Charts on the shared overview (one per core figure): a session has rendered when all are drawn."""
CALIBRATION_PAGE = ROOT / "benchmarks" / "calibration_app.py"


@dataclass(frozen=True)
class Outcome:
    """One session: seconds to the rendered overview (None on failure), the error, seconds to the first tile."""

    seconds: float | None
    error: str | None = None
    first_tile: float | None = None


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


def _failure(exc: BaseException) -> Outcome:
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return Outcome(None, f"{type(exc).__name__}: {text}")


# ── server: Streamlit's websocket protocol ───────────────────────────────────


def first_message(base: str, query: str) -> bytes:
    """The message a browser sends when it opens `base/?query`: run the app's script for that address."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.context_info.timezone = "Europe/London"
    msg.rerun_script.context_info.locale = "en-GB"
    msg.rerun_script.context_info.url = f"{base}/"
    return msg.SerializeToString()


def read_run(messages: list[bytes]) -> tuple[dict[str, int], bool, str | None]:
    """(count of each element type sent, whether the run finished, what went wrong) from a session's messages."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    elements: dict[str, int] = {}
    finished, error = False, None
    for raw in messages:
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element.WhichOneof("type")
            elements[element] = elements.get(element, 0) + 1
            if element == "exception":
                error = "the page shows an exception"
        elif kind == "script_finished":
            status = msg.script_finished
            if status == ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR:
                error = "the app's script did not compile"
            if status != ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
                finished = True
    return elements, finished, error


async def _server_session(base: str, query: str, limit_s: float) -> Outcome:
    """One session over the websocket: seconds until the overview's last element is sent and the run has finished."""
    import websockets

    start = time.perf_counter()
    first_tile = None
    messages: list[bytes] = []
    try:
        async with asyncio.timeout(limit_s):
            async with websockets.connect(base.replace("http", "ws", 1) + "/_stcore/stream",
                                          subprotocols=["streamlit"], max_size=None) as ws:
                await ws.send(first_message(base, query))
                while True:
                    raw = await ws.recv()
                    messages.append(raw)
                    elements, finished, _ = read_run(messages[-1:])
                    if first_tile is None and elements.get("metric"):
                        first_tile = time.perf_counter() - start
                    if finished:
                        break
    except Exception as exc:  # noqa: BLE001 - every failure is reported, not raised
        return _failure(exc)
    elapsed = time.perf_counter() - start
    elements, _, error = read_run(messages)
    if error is None and elements.get("vega_lite_chart", 0) < OVERVIEW_CHARTS:
        error = f"the overview sent {elements.get('vega_lite_chart', 0)} charts, not {OVERVIEW_CHARTS}"
    return Outcome(elapsed, error, first_tile)


async def run_server(base: str, query: str, sessions: int, limit_s: float) -> list[Outcome]:
    """N concurrent websocket sessions (after one to warm the server, as a running server would be)."""
    await _server_session(base, query, limit_s)
    tasks = [_server_session(base, query, limit_s) for _ in range(sessions)]
    return await asyncio.wait_for(asyncio.gather(*tasks), timeout=limit_s * 2 + 30)


# ── browser: Debian Chromium via Playwright ──────────────────────────────────


async def _browser_session(browser, url: str, limit_s: float, charts: int) -> Outcome:
    """Open the link in a fresh context: seconds until `charts` charts are drawn and the app is idle."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    start = time.perf_counter()
    try:
        await page.goto(url, timeout=limit_s * 1000)
        await page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=limit_s * 1000)
        first_tile = time.perf_counter() - start
        if charts:
            await page.locator('[data-testid="stVegaLiteChart"]').nth(charts - 1).wait_for(timeout=limit_s * 1000)
        await page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                     timeout=limit_s * 1000)
        elapsed = time.perf_counter() - start
        if await page.locator('[data-testid="stException"]').count():
            errors.append("the page shows an exception")
        return Outcome(elapsed, "; ".join(errors) or None, first_tile)
    except Exception as exc:  # noqa: BLE001 - every failure is reported, not raised
        return _failure(exc)
    finally:
        await context.close()


async def run_browser(url: str, sessions: int, limit_s: float, charts: int = OVERVIEW_CHARTS) -> list[Outcome]:
    """N concurrent Chromium contexts (after one to warm the server)."""
    from playwright.async_api import async_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            await _browser_session(browser, url, limit_s, charts)
            tasks = [_browser_session(browser, url, limit_s, charts) for _ in range(sessions)]
            return await asyncio.wait_for(asyncio.gather(*tasks), timeout=limit_s * 2 + 30)
        finally:
            await browser.close()


# ── report ───────────────────────────────────────────────────────────────────


def summarise(title: str, results: list[Outcome], target: bool = True) -> bool:
    """Print median, worst and errors for one kind of session; True when the target is met."""
    times = sorted(r.seconds for r in results if r.seconds is not None and r.error is None)
    tiles = sorted(r.first_tile for r in results if r.first_tile is not None and r.error is None)
    errors = [r.error for r in results if r.error]
    print(f"\n{title}\n  sessions: {len(results)}  rendered: {len(times)}  errors: {len(errors)}")
    if times:
        print(f"  time to rendered overview: median {statistics.median(times):.2f} s, worst {times[-1]:.2f} s, "
              f"best {times[0]:.2f} s")
    if tiles:
        print(f"  time to first figure tile: median {statistics.median(tiles):.2f} s, worst {tiles[-1]:.2f} s")
    for err in errors[:10]:
        print(f"  error: {err}")
    ok = bool(not errors and times and statistics.median(times) < TARGET_MEDIAN_S)
    if target:
        print(f"  target (no errors, median < {TARGET_MEDIAN_S:.0f} s): {'met' if ok else 'NOT met'}")
    return ok


def _calibrate(sessions: int, limit_s: float) -> None:
    """The same browser load on a two-line Streamlit page: the floor this machine sets for any Streamlit app."""
    from tests.browser.conftest import start_app, stop_app

    proc, base = start_app(script=str(CALIBRATION_PAGE))
    try:
        results = asyncio.run(run_browser(f"{base}/", sessions, limit_s, charts=0))
    finally:
        stop_app(proc)
    summarise(f"calibration: {sessions} Chromium sessions on a two-line Streamlit page (one tile, no charts)",
              results, target=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions (max 50)")
    parser.add_argument("--mode", choices=["server", "browser", "both"], default="both",
                        help="websocket sessions, Chromium sessions, or both (default)")
    parser.add_argument("--calibrate", action="store_true",
                        help="also time the browser sessions on a two-line Streamlit page")
    parser.add_argument("--url", help="a running app on 127.0.0.1 (default: start one)")
    parser.add_argument("--snapshot", help="an existing snapshot id (default: publish the demo)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per session")
    args = parser.parse_args(argv)
    sessions = max(1, min(args.sessions, MAX_SESSIONS))

    proc = None
    tmp = None
    if args.url is None:
        tmp = tempfile.TemporaryDirectory(prefix="wl-load-")
        os.environ["WORKFORCE_LENS_SNAPSHOT_PATH"] = str(Path(tmp.name) / "snapshots.duckdb")
        os.environ.setdefault("WORKFORCE_LENS_SHARING_FILTER_CUTS", "")  # whole-council tables: a quick publish
    verdicts: list[bool] = []
    try:
        started = time.perf_counter()
        snapshot = args.snapshot or _publish_demo()
        print(f"published demo snapshot {snapshot} in {time.perf_counter() - started:.1f} s")
        if args.url is None:
            from tests.browser.conftest import start_app

            proc, base = start_app({"WORKFORCE_LENS_SNAPSHOT_PATH": os.environ["WORKFORCE_LENS_SNAPSHOT_PATH"]})
        else:
            base = _loopback(args.url)
        query = f"snapshot={snapshot}"
        print(f"opening {base}/?{query} in {sessions} concurrent sessions on {os.cpu_count()} cores")
        if args.mode in ("server", "both"):
            results = asyncio.run(run_server(base, query, sessions, args.timeout))
            verdicts.append(summarise(f"server: {sessions} websocket sessions (the server's time to send the "
                                      "whole overview)", results))
        if args.mode in ("browser", "both"):
            results = asyncio.run(run_browser(f"{base}/?{query}", sessions, args.timeout))
            verdicts.append(summarise(f"browser: {sessions} Chromium sessions on this machine (server and "
                                      "browsers share its cores)", results))
    finally:
        if proc is not None:
            from tests.browser.conftest import stop_app

            stop_app(proc)
        if tmp is not None:
            tmp.cleanup()
    if args.calibrate:
        _calibrate(sessions, args.timeout)
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    raise SystemExit(main())
