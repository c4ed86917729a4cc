"""The shared-link gate (AppTest with query params): no password, wrong password, right password, unknown snapshot."""

from __future__ import annotations

import pytest
from sharing_fixtures import VIEWS, make_workforce
from streamlit.testing.v1 import AppTest

from sharing import gate, snapshots


def _script():
    import streamlit as st

    from sharing.gate import shared_source

    src = shared_source()
    st.markdown("LIVE" if src is None else f"SHARED:{src.label}")


@pytest.fixture
def published(tmp_path, monkeypatch):
    path = tmp_path / "snapshots.duckdb"
    monkeypatch.setenv("WORKFORCE_LENS_SNAPSHOT_PATH", str(path))
    monkeypatch.delenv(gate.VIEWER_ENV, raising=False)
    wf = make_workforce()
    sid = snapshots.publish(wf, "Committee", path=path, views=VIEWS)
    wf.close()
    return sid


def _app(snapshot: str | None) -> AppTest:
    at = AppTest.from_function(_script, default_timeout=30)
    if snapshot is not None:
        at.query_params["snapshot"] = snapshot
    return at.run()


def _texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_no_snapshot_is_a_live_session(published):
    at = _app(None)
    assert _texts(at) == ["LIVE"]


def test_open_link_without_a_configured_password(published):
    at = _app(published)
    assert not at.exception
    assert _texts(at)[-1].startswith("SHARED:Committee")


def test_unknown_snapshot_gets_a_friendly_page(published):
    at = _app("does-not-exist-123")
    assert at.title[0].value == "This shared link is not available"
    assert not any(t.startswith("SHARED") for t in _texts(at)) and not at.exception


def test_deleted_snapshot_gets_a_friendly_page(published, tmp_path):
    snapshots.delete(published, path=tmp_path / "snapshots.duckdb")
    at = _app(published)
    assert at.title[0].value == "This shared link is not available"


def test_viewer_password_required_wrong_and_right(published, monkeypatch):
    monkeypatch.setenv(gate.VIEWER_ENV, "correct horse")
    at = _app(published)
    assert at.title[0].value == "This shared view needs a password"
    assert not any(t.startswith("SHARED") for t in _texts(at))  # no password given: nothing shown
    at.text_input[0].input("wrong")
    at.button[0].click().run()
    assert any("not right" in e.value for e in at.error)
    assert not any(t.startswith("SHARED") for t in _texts(at))
    at.text_input[0].input("correct horse")
    at.button[0].click().run()
    assert _texts(at)[-1].startswith("SHARED:Committee")


def test_password_comparison():
    assert gate.password_matches("abc", "abc")
    assert not gate.password_matches("abd", "abc")
    assert not gate.password_matches("", "abc") and not gate.password_matches("abc", None)
