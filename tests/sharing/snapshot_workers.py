"""Functions run in child processes by the snapshot tests (spawned, so they must be importable)."""

from __future__ import annotations

import json
import sys
import time

from sharing_fixtures import VIEWS, make_workforce

from metrics.registry import Params
from sharing import snapshots


def publish_at(path: str, name: str, barrier, out) -> None:
    """Publish the test council once the other publisher is ready too; report the id."""
    wf = make_workforce()
    barrier.wait(30)
    out.put(snapshots.publish(wf, name, "tester", path=path, views=VIEWS))


def publish_then_hang(path: str, started) -> None:
    """Publish, but stop for good half-way through writing the temporary database (the test kills us)."""
    original = snapshots._write_built

    def slow(con, *args, **kwargs):
        original(con, *args, **kwargs)
        started.set()
        time.sleep(120)

    snapshots._write_built = slow
    snapshots.publish(make_workforce(), "never lands", path=path, views=VIEWS)


def dump(path: str, snapshot_id: str) -> str:
    """Every stored table of a snapshot as JSON (run in a fresh interpreter)."""
    src = snapshots.open_snapshot(snapshot_id, path=path)
    out = {}
    for by in VIEWS["table"].by_options:
        for filters in snapshots.filter_states(src.filter_options()):
            if any(c in by for c, _ in filters):
                continue
            df = src.get("table", Params(by=by, filters=filters))
            out[json.dumps([by, filters])] = df.to_json(orient="split")
    return json.dumps({"label": src.label, "tables": out, "notes": src.notes()})


if __name__ == "__main__":
    print(dump(sys.argv[1], sys.argv[2]))


def _club_views():
    """The club tests' views: the figures and cap tables, by service area and role only (quick to build)."""
    import dataclasses

    import metrics

    return {name: dataclasses.replace(metrics.VIEWS[name], by_options=(metrics.VIEWS[name].by_options[0],))
            for name in ("figures", "agency_cap_breaches")}


def club_publish_at(target: str, code: str, key: str, barrier, out) -> None:
    """Submit one synthetic council to the club once the other submitter is ready too."""
    import os

    from club_fixtures import Q3, council

    from sharing import club

    os.environ["WORKFORCE_LENS_SHARING_FILTER_CUTS"] = ""
    member = club.sign_in(key, store=target)
    wf = council(code, Q3)
    barrier.wait(60)
    out.put(club.publish(wf, member, store=target, views=_club_views()).quarter)


def club_publish_then_hang(target: str, code: str, key: str, started) -> None:
    """Submit, but stop for good inside the write transaction (the test kills us)."""
    import os

    from club_fixtures import Q4, council

    from sharing import club

    os.environ["WORKFORCE_LENS_SHARING_FILTER_CUTS"] = ""
    original = snapshots._write_built

    def slow(tx, *args, **kwargs):
        original(tx, *args, **kwargs)
        started.set()
        time.sleep(120)

    snapshots._write_built = slow
    club.publish(council(code, Q4), club.sign_in(key, store=target), store=target, views=_club_views())
