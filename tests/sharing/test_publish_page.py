"""The Share page (/publish) in AppTest: publishing is off without a publisher password, and a wrong one is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sharing import gate

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "publish.py")


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKFORCE_LENS_SNAPSHOT_PATH", str(tmp_path / "snapshots.duckdb"))
    monkeypatch.delenv(gate.VIEWER_ENV, raising=False)
    monkeypatch.delenv(gate.PUBLISHER_ENV, raising=False)


def _run() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=120).run()


def test_publishing_is_off_without_a_publisher_password(env):
    at = _run()
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "Publishing shared links is not switched on" in warning
    assert "WORKFORCE_LENS" not in warning and "secrets.toml" not in warning  # administrator settings: the guide
    assert not [t for t in at.text_input if t.label == "Snapshot name"]


def test_wrong_publisher_password_is_refused(env, monkeypatch):
    monkeypatch.setenv(gate.PUBLISHER_ENV, "s3cret-publisher")
    at = _run()
    box = next(t for t in at.text_input if t.label == "Publisher password")
    box.input("nope")
    next(b for b in at.button if b.label == "Unlock publishing").click().run()
    assert any("not right" in e.value for e in at.error)
    assert not [t for t in at.text_input if t.label == "Snapshot name"]
    box = next(t for t in at.text_input if t.label == "Publisher password")
    box.input("s3cret-publisher")
    next(b for b in at.button if b.label == "Unlock publishing").click().run()
    assert [t for t in at.text_input if t.label == "Snapshot name"]
    assert any("Nothing published yet" in m.value for m in at.markdown)
