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


# ── tokens, throttling, sticky shared sessions ────────────────────────────────


def test_viewer_token_is_signed_and_expires(monkeypatch):
    monkeypatch.setenv(gate.SECRET_ENV, "server-secret")
    token = gate.issue_token("viewer pw", now=1_000_000)
    hours = gate.token_hours()
    assert gate.token_valid(token, "viewer pw", now=1_000_000 + 60)
    assert not gate.token_valid(token, "viewer pw", now=1_000_000 + hours * 3600 + 1)  # expired
    assert not gate.token_valid(token, "a new password", now=1_000_000 + 60)  # password changed: token ends
    payload, signature = token.split(".")
    assert not gate.token_valid(f"{payload}x.{signature}", "viewer pw", now=1_000_000 + 60)  # tampered
    monkeypatch.setenv(gate.SECRET_ENV, "another server")
    assert not gate.token_valid(token, "viewer pw", now=1_000_000 + 60)  # signed with another key
    assert "viewer pw" not in token


def test_wrong_passwords_wait_longer_each_time_and_are_logged_without_the_password(caplog):
    throttle = gate.Throttle("viewer")
    assert [throttle.failed("client-a", now=0.0) for _ in range(2)] == [0.0, 0.0]  # three free tries
    assert throttle.failed("client-a", now=0.0) == gate.Throttle.FIRST_WAIT
    assert throttle.failed("client-a", now=10.0) == gate.Throttle.FIRST_WAIT * 2
    assert throttle.wait("client-a", now=11.0) == pytest.approx(3.0)
    assert throttle.wait("client-b", now=11.0) == 0.0  # per client
    throttle.succeeded("client-a")
    assert throttle.wait("client-a", now=11.0) == 0.0
    for n in range(30):
        wait = throttle.failed("client-c", now=float(n))
    assert wait == gate.Throttle.MAX_WAIT
    assert "viewer password: wrong try 4 from client" in caplog.text
    assert "client-a" not in caplog.text  # the address is hashed


def test_a_try_while_waiting_is_not_checked(monkeypatch):
    monkeypatch.setattr(gate, "client_key", lambda: "client-w")
    throttle = gate.Throttle("viewer")
    for _ in range(3):
        assert gate.check_password(throttle, "wrong", "right")[0] is False
    ok, message = gate.check_password(throttle, "right", "right")
    assert not ok and "Wait" in message


def _sticky_script():
    import streamlit as st

    from sharing.gate import shared_snapshot_id

    st.markdown(f"ID:{shared_snapshot_id()}")


def test_a_shared_session_keeps_its_snapshot_when_the_url_drops_it():
    at = AppTest.from_function(_sticky_script, default_timeout=30)
    at.query_params["snapshot"] = "abcdefgh1234"
    at.run()
    assert _texts(at) == ["ID:abcdefgh1234"]
    del at.query_params["snapshot"]  # a page link that forgot it
    at.run()
    assert _texts(at) == ["ID:abcdefgh1234"]
    assert at.query_params["snapshot"] in ("abcdefgh1234", ["abcdefgh1234"])  # put back in the URL
