"""Fixtures for the sharing tests (the small council itself is in sharing_fixtures.py, importable by workers)."""

from __future__ import annotations

import pytest
from sharing_fixtures import make_workforce


@pytest.fixture
def workforce():
    wf = make_workforce()
    yield wf
    wf.close()


@pytest.fixture
def snap_path(tmp_path):
    return tmp_path / "snaps" / "snapshots.duckdb"


@pytest.fixture(autouse=True)
def publish_every_filter_cut(monkeypatch):
    """These tests exercise filtering a shared view by team and role too, not only the default service area."""
    monkeypatch.setenv("WORKFORCE_LENS_SHARING_FILTER_CUTS", "service_area,team,role")
