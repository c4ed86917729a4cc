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
