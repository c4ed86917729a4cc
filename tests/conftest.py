"""Fixtures every test package may use: a throwaway PostgreSQL server and stores on both back ends.

The server (sharing.store.cluster) is started the first time a test in this
worker asks for it and stopped when the session ends; each test gets a database
of its own. Nothing is mocked: the PostgreSQL tests talk to a real server.
"""

from __future__ import annotations

import pytest

from sharing import store as storage
from sharing.store.cluster import Cluster, ClusterError

BACK_ENDS = ("duckdb", "postgresql")


@pytest.fixture(scope="session")
def pg_cluster():
    """One private PostgreSQL server for this test worker (initdb + pg_ctl in a temporary directory)."""
    try:
        cluster = Cluster().start()
    except ClusterError as exc:
        pytest.fail(str(exc))
    try:
        yield cluster
    finally:
        storage.close_all()
        cluster.remove()


@pytest.fixture
def pg_url(pg_cluster):
    """The URL of a new, empty database on the test server (dropped afterwards)."""
    url = pg_cluster.create_database()
    yield url
    storage.forget(url)
    pg_cluster.drop_database(url)


@pytest.fixture(params=BACK_ENDS)
def store_target(request, tmp_path):
    """Where a test's store is: a DuckDB file path, or a PostgreSQL database URL (the test runs on each)."""
    if request.param == "duckdb":
        path = tmp_path / "snaps" / "snapshots.duckdb"
        yield path
        storage.forget(path)
    else:
        yield request.getfixturevalue("pg_url")
