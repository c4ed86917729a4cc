"""Every chart on every page is a spec the browser can read: strict JSON (no NaN or Infinity), live and shared.

A browser's JSON.parse refuses NaN, and Streamlit then shows an error box where the
chart should be (a suppressed salary gap once drew a scale of [NaN, NaN]). This runs
each page through app.py on the demo council and on a published snapshot of it, and
parses every Vega-Lite spec as strictly as the browser does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = ("overview", "recruitment", "retention", "agency", "pay", "workload", "voice", "compare")


def _refuse(constant: str) -> None:
    raise ValueError(f"{constant} in a chart spec")


def _specs(at: AppTest) -> list[str]:
    """The Vega-Lite specs of every chart on the page, in page order."""
    found: list[str] = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", "") == "vega_lite_chart":
                found.append(child.proto.spec)
            walk(child)

    walk(at.main)
    return found


def _check(at: AppTest, where: str) -> int:
    assert not at.exception, (where, [e.message for e in at.exception])
    specs = _specs(at)
    for spec in specs:
        json.loads(spec, parse_constant=_refuse)
    return len(specs)


@pytest.fixture(scope="module")
def snapshot_id(tmp_path_factory):
    """The demo council published (whole-council tables only, to keep it quick) to a store of this module's own."""
    import ingest
    from sharing import snapshots

    path = tmp_path_factory.mktemp("specs") / "snapshots.duckdb"
    mp = pytest.MonkeyPatch()
    mp.setenv("WORKFORCE_LENS_SHARING_FILTER_CUTS", "")
    workforce = ingest.load_demo()
    try:
        yield snapshots.publish(workforce, "Chart specs", path=path), path
    finally:
        workforce.close()
        mp.undo()


def test_every_chart_on_the_demo_is_strict_json():
    at = AppTest.from_file(APP, default_timeout=300).run()
    total = _check(at, "overview")
    for page in PAGES[1:]:
        at.switch_page(f"pages/{page}.py").run()
        total += _check(at, page)
    assert total >= 30  # the pages do draw their charts


def test_every_chart_of_a_shared_snapshot_is_strict_json(snapshot_id, monkeypatch):
    sid, path = snapshot_id
    monkeypatch.setenv("WORKFORCE_LENS_SNAPSHOT_PATH", str(path))
    monkeypatch.setenv("WORKFORCE_LENS_VIEWER_PASSWORD", "")
    total = 0
    for page in PAGES:
        at = AppTest.from_file(APP, default_timeout=300)
        at.query_params["snapshot"] = sid
        at.run()
        at.switch_page(f"pages/{page}.py").run()
        total += _check(at, f"shared {page}")
    assert total >= 30
