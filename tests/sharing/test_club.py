"""The benchmarking club on both back ends: three synthetic councils (tests/sharing/club_fixtures.py) with
medians, quartiles, ranks and cap-breach shares worked out by hand; keys and roles; withdrawing; what the store
holds; two councils submitting at once; a submission killed half-way."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys

import pandas as pd
import pytest
from club_fixtures import AREA, NAMES, Q3, Q4, A, B, C, club_views, council, pool
from sharing_fixtures import raw_tables, stored_frame_texts

from metrics.registry import Params
from sharing import club
from sharing import store as storage
from sharing.suppress import SYMBOL

C_ = SYMBOL


@pytest.fixture(autouse=True)
def whole_council_filters_only(monkeypatch):
    """Submissions here publish no per-filter tables (the club compares whole councils and service areas)."""
    monkeypatch.setenv("WORKFORCE_LENS_SHARING_FILTER_CUTS", "")


@pytest.fixture(scope="module", params=("duckdb", "postgresql"))
def pooled(request, tmp_path_factory):
    """A club store with the three councils' two quarters in it (built once per back end)."""
    os.environ["WORKFORCE_LENS_SHARING_FILTER_CUTS"] = ""
    try:
        if request.param == "duckdb":
            target = tmp_path_factory.mktemp("club") / "club.duckdb"
        else:
            cluster = request.getfixturevalue("pg_cluster")
            target = cluster.create_database()
        keys = pool(target)
        yield target, keys
    finally:
        os.environ.pop("WORKFORCE_LENS_SHARING_FILTER_CUTS", None)
    storage.forget(target)


def _values(comparison: club.Comparison, figure: str) -> dict[str, tuple]:
    rows = comparison.values[comparison.values["figure"] == figure]
    return {r.authority: (C_ if r.suppressed else r.value, r.rank if pd.notna(r.rank) else None)
            for r in rows.itertuples()}


def _stats(comparison: club.Comparison, figure: str) -> tuple:
    row = comparison.statistics.set_index("figure").loc[figure]
    return int(row["members"]), row["lower_quartile"], row["median"], row["upper_quartile"]


def test_medians_quartiles_and_ranks_by_hand(pooled):
    target, _ = pooled
    assert club.quarters(store=target) == ["2025Q3", "2025Q4"]
    assert club.service_areas("2025Q3", store=target) == ["All", AREA]
    q3 = club.compare("2025Q3", "All", store=target)
    # Agency rate = agency FTE ÷ all FTE in post: 5/25, 10/40, 6/20. Lower is better: the lowest ranks first.
    assert _values(q3, "agency_rate") == {A: (pytest.approx(0.20), 1), B: (pytest.approx(0.25), 2),
                                          C: (pytest.approx(0.30), 3)}
    # Quartiles interpolated between 0.20, 0.25, 0.30: 0.225, 0.25, 0.275.
    assert _stats(q3, "agency_rate") == (3, pytest.approx(0.225), pytest.approx(0.25), pytest.approx(0.275))
    # Employees in post 20, 30, 14 (agency workers are not in this count; no better direction: 1 = highest).
    assert _values(q3, "headcount_in_post") == {A: (20, 2), B: (30, 1), C: (14, 3)}
    assert _stats(q3, "headcount_in_post") == (3, pytest.approx(17), pytest.approx(20), pytest.approx(25))
    assert q3.rank_of(A, "agency_rate") == (1, 3)
    # The service area's own row gives the same figures (each council has one service area).
    area = club.compare("2025Q3", AREA, store=target)
    assert _values(area, "agency_rate") == _values(q3, "agency_rate")
    wide = q3.wide(["agency_rate", "headcount_in_post"])
    assert wide["name"].tolist() == [NAMES[A], NAMES[B], NAMES[C]]
    assert wide["headcount_in_post"].tolist() == [20, 30, 14]


def test_a_hidden_figure_stays_hidden_and_takes_no_part(pooled):
    target, _ = pooled
    q4 = club.compare("2025Q4", "All", store=target)
    # Carrow has 3 agency workers in Q4: its agency rate is `c`, unranked, and out of the quartiles.
    assert _values(q4, "agency_rate") == {A: (pytest.approx(0.20), 1), B: (pytest.approx(0.25), 2), C: (C_, None)}
    assert _stats(q4, "agency_rate") == (2, pytest.approx(0.2125), pytest.approx(0.225), pytest.approx(0.2375))
    assert q4.rank_of(C, "agency_rate") == (None, 2)
    assert q4.wide(["agency_rate"])["agency_rate"].tolist()[2] == C_


def test_trend_by_quarter(pooled):
    target, _ = pooled
    trend = club.trend("agency_rate", A, "All", store=target)
    assert trend["period"].tolist() == ["Jul–Sep 2025", "Oct–Dec 2025"]
    assert trend["own"].tolist() == [pytest.approx(0.20), pytest.approx(0.20)]
    assert trend["median"].tolist() == [pytest.approx(0.25), pytest.approx(0.225)]
    assert trend["members"].tolist() == [3, 2]
    assert club.trend("agency_rate", C, "All", store=target)["own"].tolist() == [pytest.approx(0.30), C_]


def test_cap_breach_shares_by_hand(pooled):
    target, _ = pooled
    # The cap in force: £40 from 2025 Q1, £42 from 2025 Q4 (recorded as "social worker": matched in any case).
    assert club.caps_in_force("2025Q3", store=target)["max_hourly_rate"].tolist() == [40.0]
    assert club.caps_in_force("2025Q4", store=target)["max_hourly_rate"].tolist() == [42.0]
    shares = club.cap_breach_shares(store=target)
    got = {(r.authority, r.quarter): (r.agency_headcount, r.cap_breaches, r.share_above_cap)
           for r in shares.itertuples()}
    # Q3, above £40: Aldershire 0 of 5, Brookford 6 of 10 (rates of £41), Carrow 5 of 6 (£45).
    assert got[(A, "2025Q3")] == (5, 0, 0.0)
    assert got[(B, "2025Q3")] == (10, 6, pytest.approx(0.6))
    assert got[(C, "2025Q3")] == (6, 5, pytest.approx(5 / 6))
    # Q4, above £42: Brookford's £41 is now within the cap; Carrow's 2 of 3 are hidden.
    assert got[(A, "2025Q4")] == (5, 0, 0.0)
    assert got[(B, "2025Q4")] == (10, 0, 0.0)
    assert got[(C, "2025Q4")] == (C_, C_, C_)
    stats = club.share_statistics(shares).set_index("quarter")
    assert stats.loc["2025Q3", "median"] == pytest.approx(0.6)
    assert stats.loc["2025Q3", "lower_quartile"] == pytest.approx(0.3)
    assert stats.loc["2025Q4", "members"] == 2 and stats.loc["2025Q4", "median"] == 0.0
    roles = club.cap_breach_roles("2025Q3", store=target)
    assert set(roles["role"]) == {"Social Worker"}
    assert roles.set_index("authority").loc[B, "max_hourly_rate"] == 40.0


def test_a_member_can_open_another_members_full_submission(pooled):
    target, _ = pooled
    src = club.member_source(B, "2025Q3", store=target)
    assert src is not None and src.is_shared
    caps = src.get("agency_cap_breaches", Params(by=("role",)))
    assert caps["cap_breaches"].tolist() == [6, 6] and caps["role"].tolist() == ["Social Worker", "All"]
    assert club.member_source(B, "2024Q1", store=target) is None


def test_the_sessions_own_caps_and_data_are_untouched(store_target):
    club.add_member(A, NAMES[A], store=store_target)
    member = club.sign_in(club.issue_key(A, store=store_target), store=store_target)
    club.record_cap(member, "Social Worker", 40, "2025Q1", store=store_target)
    wf = council(A, Q3)
    club.publish(wf, member, store=store_target, views=club_views())
    assert wf.df("SELECT max_hourly_rate FROM agency_caps")["max_hourly_rate"].tolist() == [30.0]
    assert wf.has("staff") and len(wf.df("SELECT * FROM staff")) == 25


def test_keys_roles_and_sign_in(store_target):
    club.add_member(A, NAMES[A], store=store_target)
    publisher = club.issue_key(A, "publisher", store=store_target)
    viewer_key = club.issue_key(A, "viewer", "Scrutiny chair", store=store_target)
    assert club.sign_in(publisher, store=store_target) == club.Member(A, NAMES[A], "publisher")
    viewer = club.sign_in(viewer_key, store=store_target)
    assert viewer == club.Member(A, NAMES[A], "viewer") and not viewer.can_publish
    assert club.sign_in(publisher[:-1] + ("x" if publisher[-1] != "x" else "y"), store=store_target) is None
    assert club.sign_in("not a key", store=store_target) is None
    assert club.sign_in("", store=store_target) is None
    for attempt in (lambda: club.publish(council(A, Q3), viewer, store=store_target, views=club_views()),
                    lambda: club.withdraw(viewer, store=store_target),
                    lambda: club.record_cap(viewer, "Social Worker", 40, "2025Q1", store=store_target)):
        with pytest.raises(club.ClubError, match="look, not change"):
            attempt()
    # The store keeps a salted hash, never the key.
    stored = raw_tables(store_target)["club_keys"]
    text = " ".join(str(v) for v in stored.to_numpy().ravel())
    assert publisher.split("_", 2)[2] not in text and viewer_key.split("_", 2)[2] not in text
    assert club.revoke_keys(A, "viewer", store=store_target) == 1
    assert club.sign_in(viewer_key, store=store_target) is None
    assert club.sign_in(publisher, store=store_target) is not None
    with pytest.raises(club.ClubError, match="not a local authority code"):
        club.add_member("Devon", "Devon", store=store_target)
    with pytest.raises(club.ClubError, match="not a member"):
        club.issue_key(B, store=store_target)


def test_oidc_groups_stand_for_keys(store_target):
    club.add_member(A, NAMES[A], store=store_target)
    mapping = {"wl-club-aldershire-hr": f"{A}:publisher", "wl-club-aldershire": f"{A}:viewer"}
    assert club.member_from_groups(["staff", "wl-club-aldershire"], mapping, store=store_target).role == "viewer"
    both = club.member_from_groups(["wl-club-aldershire", "wl-club-aldershire-hr"], mapping, store=store_target)
    assert both == club.Member(A, NAMES[A], "publisher")
    assert club.member_from_groups(["staff"], mapping, store=store_target) is None
    assert club.member_from_groups([f"{B}:publisher"], {"g": f"{B}:publisher"}, store=store_target) is None


def test_withdrawing_removes_only_the_members_own_data(store_target):
    keys = {}
    for code in (A, B):
        club.add_member(code, NAMES[code], store=store_target)
        keys[code] = club.sign_in(club.issue_key(code, store=store_target), store=store_target)
    club.record_cap(keys[B], "Social Worker", 40, "2025Q1", store=store_target)
    for code, when in ((A, Q3), (A, Q4), (B, Q3)):
        club.publish(council(code, when), keys[code], store=store_target, views=club_views())
    # Submitting the same quarter again replaces it (one submission per member and quarter).
    club.publish(council(A, Q3), keys[A], store=store_target, views=club_views())
    assert len(club.submissions(A, store=store_target)) == 2
    assert club.withdraw(keys[A], "2025Q3", store=store_target) == ["2025Q3"]
    q3 = club.compare("2025Q3", "All", store=store_target)
    assert set(q3.values["authority"]) == {B}
    assert club.submissions(A, store=store_target)["quarter"].tolist() == ["2025Q4"]
    assert club.withdraw(keys[A], store=store_target) == ["2025Q4"]
    assert club.quarters(store=store_target) == ["2025Q3"]
    tables = raw_tables(store_target)
    assert set(tables["club_figures"]["authority"]) == {B}
    assert set(tables["club_cap_breaches"]["authority"]) == {B}
    assert set(tables["publications"]["published_by"]) == {B}
    assert set(tables["publication_frames"]["publication_id"]) == set(tables["publications"]["id"])
    assert club.withdraw(keys[A], store=store_target) == []


def test_the_club_store_never_receives_a_worker_row(store_target, monkeypatch):
    """A full submission (every view, the default filters): read the database directly; no worker appears."""
    monkeypatch.setenv("WORKFORCE_LENS_SHARING_FILTER_CUTS", "service_area")
    club.add_member(A, NAMES[A], store=store_target)
    member = club.sign_in(club.issue_key(A, store=store_target), store=store_target)
    club.record_cap(member, "Social Worker", 40, "2025Q1", store=store_target)
    wf = council(A, Q3)
    club.publish(wf, member, store=store_target)
    staff = wf.df("SELECT worker_id, annual_salary, hourly_rate FROM staff")
    worker_ids = set(staff["worker_id"])
    tables = raw_tables(store_target)
    assert "staff" not in tables
    for name, df in tables.items():
        text = " ".join(str(v) for v in df.to_numpy().ravel())
        assert not any(w in text for w in worker_ids), name
        assert not {c.lower() for c in df.columns} & {"worker_id", "annual_salary", "hourly_rate", "start_date"}
    texts = stored_frame_texts(store_target)
    assert len(texts) > 20
    for text in texts:
        assert not any(w in text for w in worker_ids)
        assert '"worker_id"' not in text and '"annual_salary"' not in text and '"hourly_rate"' not in text


@pytest.fixture
def spawn(monkeypatch):
    """A spawn context whose children do not re-run __main__."""
    main = sys.modules["__main__"]
    monkeypatch.delattr(main, "__file__", raising=False)
    monkeypatch.setattr(main, "__spec__", None, raising=False)
    return mp.get_context("spawn")


def _worker(name: str):
    import snapshot_workers

    return getattr(snapshot_workers, name)


def test_two_councils_submitting_at_once_both_land(store_target, spawn):
    keys = {}
    for code in (A, B):
        club.add_member(code, NAMES[code], store=store_target)
        keys[code] = club.issue_key(code, store=store_target)
    barrier, out = spawn.Barrier(2), spawn.Queue()
    procs = [spawn.Process(target=_worker("club_publish_at"), args=(str(store_target), code, keys[code], barrier, out))
             for code in (A, B)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    assert [out.get(timeout=5), out.get(timeout=5)] == ["2025Q3", "2025Q3"]
    q3 = club.compare("2025Q3", "All", store=store_target)
    assert _values(q3, "agency_rate") == {A: (pytest.approx(0.20), 1), B: (pytest.approx(0.25), 2)}


def test_a_killed_submission_leaves_nothing(store_target, spawn):
    club.add_member(C, NAMES[C], store=store_target)
    key = club.issue_key(C, store=store_target)
    member = club.sign_in(key, store=store_target)
    club.publish(council(C, Q3), member, store=store_target, views=club_views())
    before = {name: df.drop(columns=[c for c in df.columns if c in ("generation",)]).shape
              for name, df in raw_tables(store_target).items()}
    started = spawn.Event()
    proc = spawn.Process(target=_worker("club_publish_then_hang"), args=(str(store_target), C, key, started))
    proc.start()
    assert started.wait(120), "the submission never reached its write"
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(10)
    after = {name: df.drop(columns=[c for c in df.columns if c in ("generation",)]).shape
             for name, df in raw_tables(store_target).items()}
    assert after == before
    assert club.quarters(store=store_target) == ["2025Q3"]
    # The next submission goes ahead (the killed one's lock went with it).
    club.publish(council(C, Q4), member, store=store_target, views=club_views())
    assert club.quarters(store=store_target) == ["2025Q3", "2025Q4"]


def test_quarters():
    import datetime as dt

    assert club.quarter_of(dt.date(2025, 9, 30)) == "2025Q3" and club.quarter_of(dt.date(2026, 1, 1)) == "2026Q1"
    assert club.quarter_label("2025Q4") == "Oct–Dec 2025"
    assert club.quarter_end("2025Q4") == dt.date(2025, 12, 31) and club.quarter_end("2024Q1") == dt.date(2024, 3, 31)
    with pytest.raises(club.ClubError):
        club.check_quarter("2025-Q3")


def test_the_administrators_command_line(tmp_path):
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    path = tmp_path / "club.duckdb"

    def admin(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "sharing.club_admin", "--url", str(path), *args], cwd=root,
                              capture_output=True, text=True, timeout=120)

    assert admin("add-member", "e10000008", "Devon County Council").returncode == 0
    issued = admin("issue-key", "E10000008", "--role", "viewer", "--label", "Scrutiny chair")
    assert issued.returncode == 0
    key = issued.stdout.strip().splitlines()[-1]
    assert club.sign_in(key, store=path) == club.Member("E10000008", "Devon County Council", "viewer")
    listed = admin("members")
    assert "Devon County Council" in listed.stdout and key not in listed.stdout
    bad = admin("issue-key", "E99999999")
    assert bad.returncode == 1 and "not a member" in bad.stderr and "Traceback" not in bad.stderr
    assert admin("revoke-keys", "E10000008").returncode == 0
    assert club.sign_in(key, store=path) is None
