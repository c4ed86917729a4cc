"""The /club page in AppTest on a club store holding the three synthetic councils (tests/sharing/club_fixtures.py):
signing in with a key, the hand-computed figures on screen, a viewer who cannot submit, submitting and withdrawing."""

from __future__ import annotations

from pathlib import Path

import pytest
from club_fixtures import NAMES, Q4, A, C, council, pool
from streamlit.testing.v1 import AppTest

from sharing import club
from sharing import store as storage

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "club.py")


@pytest.fixture(scope="module")
def club_file(tmp_path_factory):
    """A DuckDB club store with both quarters of the three councils."""
    import os

    os.environ["WORKFORCE_LENS_SHARING_FILTER_CUTS"] = ""
    try:
        path = tmp_path_factory.mktemp("club") / "club.duckdb"
        keys = pool(path)
    finally:
        os.environ.pop("WORKFORCE_LENS_SHARING_FILTER_CUTS", None)
    yield path, keys
    storage.forget(path)


@pytest.fixture
def env(club_file, monkeypatch):
    path, keys = club_file
    monkeypatch.setenv("WORKFORCE_LENS_STORE_URL", f"duckdb:///{path}")
    monkeypatch.setenv("WORKFORCE_LENS_SHARING_FILTER_CUTS", "")
    return path, keys


def _start(workforce=None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    if workforce is not None:
        at.session_state["workforce"] = workforce
    return at.run()


def _sign_in(at: AppTest, key: str) -> AppTest:
    next(t for t in at.text_input if t.label == "Club key").input(key)
    next(b for b in at.button if b.label == "Sign in to the club").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _table(at: AppTest, first_header: str, contains: str | None = None):
    """A data table of the page (an HTML table in the page text, ui.tables) as a DataFrame of its text."""
    from ui import tables

    for html in at.html:
        if not tables.is_table(html.value):
            continue
        df = tables.to_frame(html.value)
        if len(df.columns) and df.columns[0] == first_header and (contains is None or contains in df.columns):
            return df
    raise AssertionError(f"no table starting with {first_header!r}")


def test_a_wrong_key_is_refused_and_a_viewer_sees_the_club(env):
    path, _ = env
    at = _start()
    assert not at.exception
    assert any(t.label == "Club key" for t in at.text_input)
    _sign_in(at, "wlc_nope_nope")
    assert any("not right" in e.value for e in at.error)
    viewer = club.issue_key(C, "viewer", store=path)
    _sign_in(at, viewer)
    assert any(NAMES[C] in i.value and "can look" in i.value for i in at.info)
    # Latest quarter first: Oct–Dec 2025, where Carrow's agency rate is hidden.
    summary = _table(at, "Figure", "Your rank")
    agency = summary[summary["Figure"] == "Agency rate"].iloc[0]
    assert agency["Yours"] == "c" and agency["Your rank"] == "–"
    assert agency["Club median"] == "22.5%" and agency["Lower quartile"] == "21.3%"
    side = _table(at, "Member", "Agency rate")
    assert side["Member"].tolist() == [NAMES[A], "Brookford Council", NAMES[C]]
    assert side["Agency rate"].tolist() == ["20.0%", "25.0%", "c"]
    # The share above the agreed cap, by quarter: Brookford 60% in Jul–Sep (6 of 10 above £40), 0% after.
    shares = _table(at, "Member", "Jul–Sep 2025")
    assert shares.set_index("Member").loc["Brookford Council"].tolist() == ["60.0%", "0.0%"]
    assert shares.set_index("Member").loc[NAMES[C]].tolist() == ["83.3%", "c"]
    # A viewer cannot submit or record caps.
    assert any("publisher key" in i.value for i in at.info)
    assert not [b for b in at.button if b.label == "Submit to the club"]
    assert not [b for b in at.button if b.label == "Record the cap"]


def test_earlier_quarter_and_rank(env):
    _, keys = env
    at = _sign_in(_start(), keys[A])
    at.selectbox(key="club.quarter").set_value("2025Q3").run()
    summary = _table(at, "Figure", "Your rank")
    agency = summary[summary["Figure"] == "Agency rate"].iloc[0]
    assert (agency["Yours"], agency["Your rank"], agency["Club median"]) == ("20.0%", "1 of 3", "25.0%")
    at.selectbox(key="club.chart_figure").set_value("agency_rate").run()
    words = [m.value for m in at.markdown if m.value.startswith("**In words:** Agency rate")]
    assert words and "club median is 25.0%" in words[0] and "Yours is 20.0%, 1st of 3 (1 = best)" in words[0]


def test_a_publisher_submits_and_withdraws(env, tmp_path, monkeypatch):
    path, _ = env
    # A fourth council in a store of its own, so the shared fixture stays as it is.
    own = tmp_path / "own.duckdb"
    monkeypatch.setenv("WORKFORCE_LENS_STORE_URL", f"duckdb:///{own}")
    club.add_member(A, NAMES[A], store=own)
    key = club.issue_key(A, store=own)
    at = _sign_in(_start(council(A, Q4)), key)
    assert any("submitted for" in m.value and "Oct–Dec 2025" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Submit to the club").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("Submitted for Oct–Dec 2025" in s.value for s in at.success)
    assert club.quarters(store=own) == ["2025Q4"]
    next(b for b in at.button if b.label == "Withdraw our figures").click().run()
    assert any("Withdrawn: Oct–Dec 2025" in s.value for s in at.success)
    assert club.quarters(store=own) == []


def test_the_demo_council_cannot_be_submitted(env):
    _, keys = env
    import ingest

    at = _sign_in(_start(ingest.load_demo()), keys[A])
    assert any("demo council" in w.value for w in at.warning)
    assert not [b for b in at.button if b.label == "Submit to the club"]
