"""Views worked out ahead of the page (ui.source.compute_ahead / ahead_view) and the summary begun early.

What the overview's speed rests on (issue 14), checked as behaviour: work begun in the background is
found by the page, not done twice; a job never waits for one that cannot start; a failure is tried
again; and two sessions' data never share a result. The figures themselves are the metrics tests'.
"""

from __future__ import annotations

import threading
import time

import pandas as pd
import pytest

from metrics.registry import Params
from ui import source as src


class Counting:
    """A Source whose views are one-row tables saying which data and view they are, counting each computation."""

    is_shared = False
    label = "test"

    def __init__(self, key: str, fail_first: bool = False, delay: float = 0.0) -> None:
        self.fingerprint = key  # source_key() reads it: "shared:<key>" (no Workforce)
        self.calls: list[str] = []
        self.fail_first = fail_first
        self.delay = delay
        self.lock = threading.Lock()

    def get(self, view: str, params: Params) -> pd.DataFrame:
        with self.lock:
            self.calls.append(view)
            failing = self.fail_first and len(self.calls) == 1
        time.sleep(self.delay)
        if failing:
            raise RuntimeError("the first try fails")
        return pd.DataFrame({"data": [self.fingerprint], "view": [view], "as_of": [params.as_of]})


@pytest.fixture(autouse=True)
def _empty():
    with src._ahead_lock:
        src._ahead.clear()
    yield
    with src._ahead_lock:
        src._ahead.clear()


P = Params("2026-09-30", ("service_area",), ())


def test_work_begun_ahead_is_found_not_done_again():
    data = Counting("a", delay=0.2)
    src.compute_ahead([("forecast", P), ("forecast_backtest", P)], data)
    src.compute_ahead([("forecast", P)], data)  # asked again while under way: not begun twice
    got = src.ahead_view("forecast", P, data)
    assert got.loc[0, "view"] == "forecast"
    assert src.ahead_view("forecast_backtest", P, data).loc[0, "view"] == "forecast_backtest"
    assert sorted(data.calls) == ["forecast", "forecast_backtest"]


def test_a_view_worked_out_by_the_page_is_shared_with_a_job_asking_at_the_same_time():
    data = Counting("b", delay=0.3)
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(src.ahead_view("figures", P, data))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert data.calls == ["figures"] and len(answers) == 3


def test_a_job_never_waits_for_one_that_cannot_start():
    """Both background threads busy: a view still queued is taken back and worked out by whoever asks."""
    slow = Counting("slow", delay=0.5)
    src.compute_ahead([("v1", P), ("v2", P)], slow)  # the two threads are busy for half a second
    quick = Counting("quick")
    src.compute_ahead([("figures", P)], quick)  # queued behind them
    started = time.perf_counter()
    assert src.ahead_view("figures", P, quick).loc[0, "data"] == "quick"
    assert time.perf_counter() - started < 0.4  # not behind the slow ones
    assert quick.calls == ["figures"]
    time.sleep(0.6)
    assert quick.calls == ["figures"]  # the queued job was cancelled, not run as well


def test_a_failed_view_is_tried_again():
    data = Counting("c", fail_first=True)
    src.compute_ahead([("figures", P)], data)
    time.sleep(0.1)
    assert src.ahead_view("figures", P, data).loc[0, "view"] == "figures"
    assert data.calls == ["figures", "figures"]


def test_two_sessions_data_never_share_a_result():
    mine, theirs = Counting("mine"), Counting("theirs")
    src.compute_ahead([("figures", P)], mine)
    assert src.ahead_view("figures", P, theirs).loc[0, "data"] == "theirs"
    assert src.ahead_view("figures", P, mine).loc[0, "data"] == "mine"
    assert src.ahead_view("figures", Params("2025-09-30", ("service_area",), ()), mine).loc[0, "as_of"] == "2025-09-30"


def test_the_overview_draws_the_summary_it_began_in_the_background(monkeypatch):
    """The summary begun by forward.start is the one drawn (taken from the background, none left behind), and it
    is the summary the page writes on its own thread."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    import ingest
    from ui import forward, memo

    def overview_summary() -> str:
        memo.clear()
        at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=180)
        at.session_state["workforce"] = ingest.load_demo()
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return next(str(m.value) for m in at.markdown if str(m.value).startswith("1. As at"))

    begun: list = []
    original = src.submit_ahead
    monkeypatch.setattr(src, "submit_ahead", lambda job: begun.append(job) or original(job))
    in_background = overview_summary()
    assert begun and forward._SUMMARIES == {}
    monkeypatch.setattr(forward, "start", lambda state: None)  # nothing begun: the page writes it itself
    assert overview_summary() == in_background
