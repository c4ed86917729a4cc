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


LONGEST_FIRST = ("tests/browser/test_accessibility", "tests/browser/", "tests/sharing/test_audit.py",
                 "tests/sharing/test_voice_snapshot.py", "tests/sharing/test_pack", "tests/ingest/test_guard.py",
                 "tests/sharing/test_store.py", "tests/app/test_chart_specs.py")
"""Modules that take longest (`pytest --durations`), by path prefix: each starts before the short ones."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the longest modules first (the order is otherwise kept).

    `make test` hands whole modules to its workers in this order (`--dist loadscope
    --no-loadscope-reorder`; without the flag xdist puts the modules with most tests first):
    starting the long ones first keeps the cores busy to the end instead of leaving one long
    module running alone at the finish.
    """
    def rank(item: pytest.Item) -> int:
        path = item.nodeid
        return next((i for i, prefix in enumerate(LONGEST_FIRST) if path.startswith(prefix)), len(LONGEST_FIRST))

    items.sort(key=rank)
