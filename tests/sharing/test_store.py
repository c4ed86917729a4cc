"""The storage layer on both back ends: one schema, its revision checked, transactions, a database that goes
away and comes back, copying the DuckDB file into PostgreSQL, and a file written before the store existed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import psycopg
import pytest
from sharing_fixtures import VIEWS, raw_tables

from metrics.registry import Params
from sharing import snapshots
from sharing import store as storage
from sharing.store import frames, schema
from sharing.store.cluster import Cluster
from sharing.store.duck import DuckDBStore
from sharing.store.postgres import PostgresStore
from sharing.suppress import SYMBOL

ROOT = Path(__file__).resolve().parents[2]


def _columns(target) -> dict[str, list[str]]:
    """Table → column names, read from the database's own catalogue."""
    if str(target).startswith("postgresql://"):
        with psycopg.connect(str(target)) as conn:
            rows = conn.execute("SELECT table_name, column_name FROM information_schema.columns "
                                "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position").fetchall()
    else:
        with duckdb.connect(str(target), read_only=True) as con:
            rows = con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal "
                               "ORDER BY table_name, column_index").fetchall()
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


def test_both_back_ends_hold_the_same_schema_at_the_same_revision(tmp_path, pg_url):
    path = tmp_path / "s.duckdb"
    for target in (path, pg_url):
        with storage.open_store(target).transaction() as tx:
            tx.execute("SELECT 1")
    duck, pg = _columns(path), _columns(pg_url)
    assert set(duck) == set(pg) == {*schema.TABLES, schema.VERSION_TABLE}
    assert duck == pg
    for target in (path, pg_url):
        assert raw_tables(target)[schema.VERSION_TABLE]["version_num"].tolist() == [schema.HEAD]
        assert storage.open_store(target).revision() == schema.HEAD


def test_a_transaction_is_all_or_nothing_and_bumps_the_stamp(store_target):
    store = storage.open_store(store_target)
    with store.transaction() as tx:
        tx.execute("INSERT INTO club_members VALUES (?, ?, ?)", ["E1", "First", "2026-01-01 00:00:00"])
    stamp = store.stamp()
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.execute("INSERT INTO club_members VALUES (?, ?, ?)", ["E2", "Second", "2026-01-01 00:00:00"])
        raise RuntimeError("stop half-way")
    assert store.rows("SELECT authority FROM club_members") == [("E1",)]
    assert store.stamp() == stamp
    with store.transaction() as tx:
        tx.execute("DELETE FROM club_members")
    assert store.stamp() != stamp


def test_a_second_process_sees_a_write_at_once(store_target):
    """Another replica (a fresh interpreter) reads what this one has just written, and its stamp changed."""
    store = storage.open_store(store_target)
    with store.transaction() as tx:
        tx.execute("INSERT INTO club_members VALUES (?, ?, ?)", ["E9", "Ninth", "2026-01-01 00:00:00"])
    code = ("import sys, json; from sharing import store; s = store.open_store(sys.argv[1]); "
            "print(json.dumps([s.rows('SELECT name FROM club_members')[0][0], str(s.stamp())]))")
    out = subprocess.run([sys.executable, "-c", code, str(store_target)], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, check=True)
    name, stamp = json.loads(out.stdout)
    assert name == "Ninth" and stamp == str(store.stamp())


def test_a_newer_schema_is_refused_with_a_clear_message(store_target):
    store = storage.open_store(store_target)
    store.check()
    with store.transaction() as tx:
        tx.execute(f"UPDATE {schema.VERSION_TABLE} SET version_num = ?", ["9999_future"])
    storage.forget(store_target)
    with pytest.raises(storage.SchemaMismatch, match="newer version"):
        storage.open_store(store_target).check()
    with pytest.raises(storage.SchemaMismatch):
        snapshots.list_snapshots(path=store_target)


def test_without_migrating_an_empty_database_must_be_upgraded_first(pg_url, monkeypatch):
    monkeypatch.setenv("WORKFORCE_LENS_STORE_MIGRATE", "check")
    with pytest.raises(storage.SchemaMismatch, match="python -m sharing.store upgrade"):
        storage.open_store(pg_url).check(migrate=False)
    assert raw_tables(pg_url) == {}
    result = subprocess.run([sys.executable, "-m", "sharing.store", "--url", pg_url, "upgrade"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "schema revision 0001_initial" in result.stdout
    assert storage.open_store(pg_url).check(migrate=False) == schema.HEAD


def test_replicas_starting_together_create_the_schema_once(pg_url):
    """Three processes check (and create) the schema at the same moment: Alembic runs once, under its lock."""
    code = "import sys; from sharing import store; print(store.open_store(sys.argv[1]).check())"
    procs = [subprocess.Popen([sys.executable, "-c", code, pg_url], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [e for _, e in outs]
    assert all(o.strip() == schema.HEAD for o, _ in outs)
    assert raw_tables(pg_url)[schema.VERSION_TABLE]["version_num"].tolist() == [schema.HEAD]


@pytest.fixture
def own_cluster():
    """A server of this test's own, to stop and start again."""
    cluster = Cluster().start()
    yield cluster
    storage.close_all()
    cluster.remove()


def test_the_database_going_away_gives_a_clear_message_and_loses_nothing(own_cluster, workforce, monkeypatch):
    monkeypatch.setenv("WORKFORCE_LENS_STORE_TIMEOUT", "2")
    url = own_cluster.create_database()
    first = snapshots.publish(workforce, "Before the outage", path=url, views=VIEWS)
    own_cluster.stop("fast")
    with pytest.raises(storage.StoreUnavailable) as down:
        snapshots.list_snapshots(path=url)
    message = str(down.value)
    assert "cannot be reached" in message and "127.0.0.1" in message and "kept" in message
    assert "Traceback" not in message and "psycopg" not in message
    with pytest.raises(storage.StoreUnavailable):
        snapshots.publish(workforce, "During the outage", path=url, views=VIEWS)
    with pytest.raises(storage.StoreUnavailable):
        snapshots.open_snapshot(first, path=url)
    own_cluster.start()
    # Back: the pool reconnects by itself; what was published is there, and publishing works again.
    assert [s.name for s in snapshots.list_snapshots(path=url)] == ["Before the outage"]
    src = snapshots.open_snapshot(first, path=url)
    assert src.get("table", Params(by=("service_area",)))["headcount"].tolist() == [11, 12, 23]
    second = snapshots.publish(workforce, "After the outage", path=url, views=VIEWS)
    assert {s.id for s in snapshots.list_snapshots(path=url)} == {first, second}


def test_copying_the_duckdb_file_into_postgresql_keeps_every_snapshot(workforce, tmp_path, pg_url):
    path = tmp_path / "snapshots.duckdb"
    sid = snapshots.publish(workforce, "Moving house", "officer", path=path, views=VIEWS)
    result = subprocess.run([sys.executable, "-m", "sharing.store", "copy", str(path), pg_url], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "1 publications" in result.stdout
    moved = snapshots.open_snapshot(sid, path=pg_url)
    assert moved is not None and moved.info.name == "Moving house" and moved.info.published_by == "officer"
    by_team = moved.get("table", Params(by=("team",)))
    assert by_team["headcount"].tolist() == [SYMBOL, SYMBOL, 12, 23]
    original = snapshots.open_snapshot(sid, path=path)
    assert moved.info.as_of == original.info.as_of and moved.filter_options() == original.filter_options()


def test_a_snapshot_file_from_before_the_store_is_converted(tmp_path):
    """The old layout (snapshots, snapshot_tables, one v_ table per view) opens, converted on first use."""
    path = tmp_path / "old.duckdb"
    meta = {"columns": ["team", "headcount"], "dtypes": {"team": "object", "headcount": "object"},
            "symbol_columns": ["headcount"]}
    key = json.dumps({"by": ["team"], "filters": []})
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE snapshots (id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, published_at TIMESTAMP "
                    "NOT NULL, published_by VARCHAR, as_of DATE, source_label VARCHAR, threshold INTEGER, "
                    "meta VARCHAR)")
        con.execute("CREATE TABLE snapshot_tables (snapshot_id VARCHAR, view VARCHAR, key VARCHAR, "
                    "table_name VARCHAR, meta VARCHAR)")
        con.execute("INSERT INTO snapshots VALUES ('old-snapshot-1', 'Last year', '2025-03-01 10:00:00', 'officer', "
                    "'2025-02-28', 'Demo', 5, '{\"filter_options\": {}, \"notes\": [\"n\"]}')")
        con.execute("INSERT INTO snapshot_tables VALUES ('old-snapshot-1', 'table', ?, 'v_old_snapshot_1_table', ?)",
                    [key, json.dumps(meta)])
        con.execute("CREATE TABLE v_old_snapshot_1_table AS SELECT * FROM (VALUES (?, 'T1', NULL, 'headcount'), "
                    "(?, 'T3', 12.0, ''), (?, 'All', 15.0, '')) AS t(_key, team, headcount, _suppressed)",
                    [key, key, key])
    src = snapshots.open_snapshot("old-snapshot-1", path=path)
    assert src is not None and src.info.name == "Last year"
    assert src.get("table", Params(by=("team",)))["headcount"].tolist() == [SYMBOL, 12.0, 15.0]
    assert storage.open_store(path).revision() == schema.HEAD
    assert set(raw_tables(path)) == {*schema.TABLES, schema.VERSION_TABLE}


def test_frames_round_trip_exactly():
    """Stored and read back, a frame keeps its columns, dtypes, missing values, dates and `c` cells."""
    import datetime as dt

    import pandas as pd

    df = pd.DataFrame({
        "team": pd.Series(["A", "B", "All"], dtype="str"), "headcount": [SYMBOL, 12, 15],
        "rate": [0.25, float("nan"), 0.5], "month": pd.to_datetime(["2025-01-31", "2025-02-28", None]),
        "day": [dt.date(2025, 1, 1), None, dt.date(2025, 3, 1)], "n": pd.Series([1, 2, 3], dtype="int64")})
    meta, blob = frames.pack(df)
    back = frames.unpack(meta, blob)
    pd.testing.assert_frame_equal(back, df)
    stored = json.loads(__import__("zlib").decompress(blob))
    assert stored["values"][1] == [None, 12.0, 15.0]  # the hidden cell is stored as NULL, not as "c"
    assert stored["values"][-1] == ["headcount", "", ""]


def test_store_urls_and_paths():
    assert isinstance(storage.open_store("duckdb:////tmp/wl-test-a.duckdb"), DuckDBStore)
    assert storage.open_store("duckdb:////tmp/wl-test-a.duckdb") is storage.open_store(Path("/tmp/wl-test-a.duckdb"))
    pg = storage.open_store("postgres://u:secret@db.example:5433/wl")
    assert isinstance(pg, PostgresStore)
    assert "secret" not in pg.describe() and "db.example:5433" in pg.describe()
    storage.forget("postgres://u:secret@db.example:5433/wl")


def test_serve_refuses_a_newer_schema_at_start_and_reports_an_unreachable_database(tmp_path):
    path = tmp_path / "newer.duckdb"
    store = storage.open_store(path)
    with store.transaction() as tx:
        tx.execute(f"UPDATE {schema.VERSION_TABLE} SET version_num = ?", ["9999_future"])
    code = "import serve; serve.check_store()"
    env = {**__import__("os").environ, "WORKFORCE_LENS_STORE_URL": f"duckdb:///{path}"}
    refused = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                             env=env)
    assert refused.returncode != 0
    assert "will not start" in refused.stderr and "newer version" in refused.stderr
    assert "Traceback" not in refused.stderr
    env["WORKFORCE_LENS_STORE_URL"] = "postgresql://nobody@127.0.0.1:9/none"  # nothing listens on port 9
    env["WORKFORCE_LENS_STORE_TIMEOUT"] = "1"
    down = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env=env)
    assert down.returncode == 0, down.stderr
    assert "not reachable yet" in down.stdout
