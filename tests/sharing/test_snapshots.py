"""Publishing snapshots, on both store back ends (DuckDB file and PostgreSQL): contents, reopening in a new
process, concurrent and killed publishers, and what the database itself holds."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sharing_fixtures import VIEWS, raw_tables, staff_frame, stored_frame_texts

from metrics.registry import Params
from sharing import snapshots
from sharing.suppress import SYMBOL

ROOT = Path(__file__).resolve().parents[2]
WORKERS = Path(__file__).with_name("snapshot_workers.py")
C = SYMBOL


def test_published_figures_are_suppressed_by_hand(workforce, store_target):
    sid = snapshots.publish(workforce, "Scrutiny March", "officer", path=store_target, views=VIEWS)
    src = snapshots.open_snapshot(sid, path=store_target)
    assert src.is_shared is True and src.label.startswith("Scrutiny March")
    by_team = src.get("table", Params(by=("team",)))
    # T1 = 3 people (under 5): hidden; T2 = 8 is the next smallest, hidden so All − T3 cannot reveal T1.
    assert by_team["team"].tolist() == ["T1", "T2", "T3", "All"]
    assert by_team["headcount"].tolist() == [C, C, 12, 23]
    assert by_team["fte"].tolist() == [C, C, 12.0, 23.0]
    # Median of workers 12..23 (salary 40000 + 137.25 n): the middle is n = 17.5, £42,401.875, published to
    # the nearest £100 so it is no one's salary.
    assert by_team["median_salary"].tolist()[:3] == [C, C, 42400.0]
    by_area = src.get("table", Params(by=("service_area",)))
    assert by_area["headcount"].tolist() == [11, 12, 23]
    # Filtered to area X, the same hidden teams stay hidden.
    x_teams = src.get("table", Params(by=("team",), filters=(("service_area", "X"),)))
    assert x_teams["headcount"].tolist() == [C, C, 11]
    assert src.filter_options()["team"] == ["T1", "T2", "T3"]
    assert any("fewer than 5 people" in n for n in src.notes())


def test_reopened_in_a_new_process_gives_identical_figures(workforce, store_target):
    built = snapshots.build(workforce, views=VIEWS)
    sid = snapshots.publish(workforce, "Reopen", path=store_target, views=VIEWS)
    result = subprocess.run([sys.executable, str(WORKERS), str(store_target), sid], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    dumped = json.loads(result.stdout)
    assert dumped["label"].startswith("Reopen")
    expected = {json.dumps([list(p.by), [list(f) for f in p.filters]]): df for p, df in built.frames["table"]}
    assert len(dumped["tables"]) == len(expected) > 10
    for key, payload in dumped["tables"].items():
        k = json.loads(key)
        want = json.loads(expected[json.dumps([k[0], k[1]])].to_json(orient="split"))
        got = json.loads(payload)
        assert (got["columns"], got["data"]) == (want["columns"], want["data"]), key


def test_unknown_and_deleted_snapshots(workforce, store_target):
    assert snapshots.open_snapshot("nope-not-there", path=store_target) is None  # no file yet
    sid = snapshots.publish(workforce, "To delete", path=store_target, views=VIEWS)
    assert snapshots.open_snapshot("' OR 1=1 --", path=store_target) is None
    snapshots.rename(sid, "Renamed", path=store_target)
    assert [s.name for s in snapshots.list_snapshots(path=store_target)] == ["Renamed"]
    snapshots.delete(sid, path=store_target)
    assert snapshots.open_snapshot(sid, path=store_target) is None
    assert snapshots.list_snapshots(path=store_target) == []
    stored = raw_tables(store_target)
    assert stored["publications"].empty and stored["publication_frames"].empty
    with pytest.raises(snapshots.SnapshotError):
        snapshots.delete(sid, path=store_target)


@pytest.fixture
def spawn(monkeypatch):
    """A spawn context whose children do not re-run __main__ (AppTest may have left a temporary script there)."""
    main = sys.modules["__main__"]
    monkeypatch.delattr(main, "__file__", raising=False)
    monkeypatch.setattr(main, "__spec__", None, raising=False)
    return mp.get_context("spawn")


def test_two_publishers_at_once_both_land(store_target, spawn):
    ctx = spawn
    barrier, out = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_worker("publish_at"), args=(str(store_target), name, barrier, out))
             for name in ("First", "Second")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    ids = {out.get(timeout=5), out.get(timeout=5)}
    listed = snapshots.list_snapshots(path=store_target)
    assert {s.id for s in listed} == ids and {s.name for s in listed} == {"First", "Second"}
    for sid in ids:
        src = snapshots.open_snapshot(sid, path=store_target)
        assert src.get("table", Params(by=("service_area",)))["headcount"].tolist() == [11, 12, 23]


def _is_postgres(target) -> bool:
    return str(target).startswith("postgresql://")


def test_killed_publish_leaves_no_partial_snapshot(workforce, store_target, spawn):
    """SIGKILL while the publisher is inside its write: the store is as it was, and the next publish works."""
    first = snapshots.publish(workforce, "Before", path=store_target, views=VIEWS)
    before = {name: len(df) for name, df in raw_tables(store_target).items()}
    file_before = None if _is_postgres(store_target) else store_target.read_bytes()
    ctx = spawn
    started = ctx.Event()
    proc = ctx.Process(target=_worker("publish_then_hang"), args=(str(store_target), started))
    proc.start()
    assert started.wait(60), "the publisher never reached the write"
    if _is_postgres(store_target):
        # The tables are written but not committed: the publisher's transaction is open on the server.
        activity = raw_tables(store_target)  # another connection sees none of it
        assert len(activity["publications"]) == before["publications"]
    else:
        assert list(store_target.parent.glob(".*.tmp*")), "the kill should land while a temporary file is written"
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(10)
    if file_before is not None:
        assert store_target.read_bytes() == file_before
    assert {name: len(df) for name, df in raw_tables(store_target).items()} == before
    assert [s.id for s in snapshots.list_snapshots(path=store_target)] == [first]
    # The lock (file lock, or the server's row lock) died with the process: the next publisher proceeds.
    second = snapshots.publish(workforce, "After", path=store_target, views=VIEWS)
    assert {s.id for s in snapshots.list_snapshots(path=store_target)} == {first, second}
    if not _is_postgres(store_target):
        assert not list(store_target.parent.glob(".*.tmp*"))


def test_published_store_has_no_worker_level_data(workforce, store_target):
    """Read every table of the database directly (not through the app) and decompress every stored table."""
    snapshots.publish(workforce, "Inspect", path=store_target, views=VIEWS)
    staff = staff_frame()
    worker_ids = set(staff["worker_id"])
    salaries = set(staff["annual_salary"].round(2))
    tables = raw_tables(store_target)
    assert "staff" not in tables
    for name, df in tables.items():
        columns = {c.lower() for c in df.columns}
        assert not columns & {"worker_id", "annual_salary", "manager_id", "source_row", "start_date"}
        text = " ".join(str(v) for v in df.to_numpy().ravel())
        assert not any(w in text for w in worker_ids), name
    texts = stored_frame_texts(store_target)
    assert len(texts) == len(tables["publication_frames"]) > 10
    for text in texts:
        assert not any(w in text for w in worker_ids)
        payload = json.loads(text)
        frame = pd.DataFrame(dict(zip(payload["columns"], payload["values"], strict=True)))
        assert not {c.lower() for c in frame.columns} & {"worker_id", "annual_salary", "start_date"}
        # Aggregate only: each stored table has at most one row per group (3 teams + All).
        assert len(frame) <= 4
        # A median can equal one person's salary only for groups of 5 or more (odd sizes).
        for _, row in frame.iterrows():
            value = row.get("median_salary")
            if value is not None and pd.notna(value) and round(float(value), 2) in salaries:
                assert float(row["headcount"]) >= 5


def test_snapshot_source_meets_the_source_protocol(workforce, store_target):
    sid = snapshots.publish(workforce, "Protocol", path=store_target, views=VIEWS)
    src = snapshots.open_snapshot(sid, path=store_target)
    assert src.default_as_of() is not None
    assert isinstance(src.availability(), dict)
    # Asking for another date or an unpublished cut gives no rows rather than wrong figures.
    assert src.get("table", Params(as_of="1999-01-01", by=("team",))).empty
    assert src.get("table", Params(by=("grade",))).empty
    assert src.get("no-such-view", Params()).empty


def test_progress_is_reported(workforce, store_target):
    seen = []
    snapshots.publish(workforce, "Progress", path=store_target, views=VIEWS, progress=lambda f, m: seen.append(f))
    assert seen[-1] == 1.0 and all(0 <= f <= 1 for f in seen)


def _worker(name: str):
    import snapshot_workers

    return getattr(snapshot_workers, name)


def test_figures_twelve_months_earlier_are_published_for_the_tiles(workforce, store_target):
    views = {"figures": VIEWS["table"]}
    sid = snapshots.publish(workforce, "Prior", path=store_target, views=views)
    src = snapshots.open_snapshot(sid, path=store_target)
    own = src.default_as_of()
    prior = own.replace(year=own.year - 1).isoformat()
    earlier = src.get("figures", Params(as_of=prior, by=("service_area",)))
    assert earlier["headcount"].tolist() == [11, 12, 23]
    assert src.get("figures", Params(as_of=own.isoformat(), by=("team",)))["headcount"].tolist() == [C, C, 12, 23]
    assert src.get("figures", Params(as_of=prior, by=("team",))).empty  # only the tiles' grouping is kept


def test_default_settings_publish_service_area_filters_only(workforce, store_target, monkeypatch):
    """workforce_lens.toml's filter_cuts = ["service_area"]: the shared sidebar offers only what was published."""
    monkeypatch.delenv("WORKFORCE_LENS_SHARING_FILTER_CUTS")
    assert snapshots.filter_cuts() == ("service_area",)
    sid = snapshots.publish(workforce, "Default cuts", "officer", path=store_target, views=VIEWS)
    src = snapshots.open_snapshot(sid, path=store_target)
    assert list(src.filter_options()) == ["service_area"]
    # Breakdowns by team are still published; a team filter is not.
    assert src.get("table", Params(by=("team",)))["team"].tolist() == ["T1", "T2", "T3", "All"]
    assert src.get("table", Params(by=("service_area",), filters=(("team", "T3"),))).empty


def test_snapshot_ids_never_start_like_an_option():
    """An id is typed on the command line too (python -m sharing.audit ID): never a leading - (or _)."""
    ids = [snapshots.new_id() for _ in range(3000)]  # about 1 in 32 token_urlsafe strings starts with - or _
    assert not [i for i in ids if i[0] in "-_"]
    assert len(set(ids)) == len(ids) and all(snapshots._ID_RE.match(i) for i in ids)


def test_the_audit_command_takes_an_old_id_that_starts_with_a_dash_after_double_dash(tmp_path, capsys):
    from sharing import audit

    assert audit.main(["--path", str(tmp_path / "none.duckdb"), "--", "-no-such-id"]) == 2  # read, not found
    said = capsys.readouterr()
    assert "-no-such-id" in said.out + said.err
