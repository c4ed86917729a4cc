"""Nothing typed in a URL, a spreadsheet or a snapshot's name becomes a link, an image or formatting.

A corpus of injection strings is put everywhere a page echoes outside text —
the URL's `la`, filters, as-of date and `compare`, team and service names in
the data, an uploaded file's name, a snapshot's name — and every page is run
(AppTest). Every Markdown element (text, captions, notices, titles, table
cells) must hold the string escaped (ui.text.md_escape): never the raw string,
which Streamlit would render as a live link, an image, bold text or a colour.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ingest.workforce import Workforce
from ui.text import md_escape

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = ("overview", "recruitment", "retention", "agency", "pay", "workload", "compare", "data", "publish")

PAYLOADS = (
    "**Session expired.** [Sign in again](https://evil.example/login)",
    "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "![logo](https://evil.example/x.png)",
    "$$\\frac{a}{b}$$ and :red[urgent] :material/warning: :smile:",
    "# Heading www.evil.example a@evil.example",
)
"""Each is also a distinctive string, so where it is echoed it can be found."""


def _sources(at: AppTest) -> list[str]:
    """The Markdown source of every element that renders Markdown (and the cells of st.table)."""
    out = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader"):
        out += [str(e.value) for e in getattr(at, kind)]
        out += [str(e.value) for e in getattr(at.sidebar, kind)]
    for table in at.table:
        frame = table.value
        out += [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel().tolist()]
    return out


def _assert_inert(at: AppTest, where: str) -> int:
    """No element holds a payload raw; returns how many hold one escaped (so a test can check it was echoed)."""
    assert not at.exception, (where, [e.message for e in at.exception])
    echoed = 0
    for text in _sources(at):
        for payload in PAYLOADS:
            assert payload not in text, f"{where}: the raw string {payload!r} is rendered as Markdown in {text!r}"
            assert "](https://evil" not in text.replace("\\]", "").replace("\\(", "("), (where, text)
            echoed += md_escape(payload) in text
    return echoed


def _staff() -> pd.DataFrame:
    """Twelve people in two teams named with the payloads, in a service area named with one too."""
    rows = []
    for n in range(24):
        rows.append({"worker_id": f"W{n:03d}", "service_area": PAYLOADS[n % 2], "team": PAYLOADS[2 + n % 3],
                     "role": PAYLOADS[n % 5], "grade": "Level 3", "worker_type": "permanent", "fte": 1.0,
                     "start_date": dt.date(2019, 1, 1), "end_date": dt.date(2025, 6, 30) if n % 6 == 0 else None,
                     "leaving_reason": "resignation" if n % 6 == 0 else None, "gender": "female",
                     "annual_salary": 30000.0 + 1000 * n})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def hostile_workforce():
    workforce = Workforce(label=f"Your upload: {PAYLOADS[0]}.xlsx")
    workforce.add_table("staff", _staff())
    yield workforce
    workforce.close()


def _start(query: dict[str, str] | None = None, workforce: Workforce | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    if workforce is not None:
        at.session_state["workforce"] = workforce
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def test_data_derived_strings_render_as_text_on_every_page(hostile_workforce):
    at = _start(workforce=hostile_workforce)
    echoed = _assert_inert(at, "overview")
    for page in PAGES[1:]:
        at.switch_page(f"pages/{page}.py").run()
        echoed += _assert_inert(at, page)
    assert echoed >= 3  # the upload's name, team names in words and tables were echoed — escaped


@pytest.mark.parametrize("payload", PAYLOADS)
def test_url_strings_render_as_text(payload):
    query = {"la": payload, "service": payload, "team": payload, "role": payload, "as_of": payload,
             "compare": payload}
    at = _start(query)
    echoed = _assert_inert(at, "overview")
    at.switch_page("pages/compare.py").run()
    echoed += _assert_inert(at, "compare")
    assert echoed >= 2  # the sidebar says the link's values were ignored, quoting them escaped


def test_uploaded_file_name_renders_as_text(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKFORCE_LENS_MAPPINGS", str(tmp_path / "mappings.json"))
    at = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=120).run()
    name = f"{PAYLOADS[0]}.csv"
    data = b"worker_id,service_area,role,worker_type,fte,start_date,Mystery " + PAYLOADS[2].encode() + b"\n" \
           b"W1,Children's Social Work,Social Worker,permanent,1,2020-01-01,x\nW2,,Social Worker,permanent,1,bad,y\n"
    at.file_uploader[0].set_value([(name, data, "text/csv")])
    at.run()
    assert _assert_inert(at, "data page") >= 1
    labels = [s.label for s in at.selectbox]
    assert not any(PAYLOADS[2] in label for label in labels)  # a header offered for mapping is escaped too


def test_snapshot_name_renders_as_text(tmp_path, monkeypatch):
    import sys

    from sharing import gate, snapshots

    sys.path.insert(0, str(ROOT / "tests" / "sharing"))
    from sharing_fixtures import VIEWS, make_workforce

    path = tmp_path / "snapshots.duckdb"
    monkeypatch.setenv("WORKFORCE_LENS_SNAPSHOT_PATH", str(path))
    monkeypatch.delenv(gate.VIEWER_ENV, raising=False)
    monkeypatch.setenv(gate.PUBLISHER_ENV, "pw")
    workforce = make_workforce()
    sid = snapshots.publish(workforce, PAYLOADS[0], path=path, views=VIEWS)
    workforce.close()
    at = _start({"snapshot": sid})
    assert _assert_inert(at, "shared overview") >= 1  # the banner and the sidebar name the snapshot, escaped
    at = AppTest.from_file(str(ROOT / "pages" / "publish.py"), default_timeout=120).run()
    next(t for t in at.text_input if t.label == "Publisher password").input("pw")
    next(b for b in at.button if b.label == "Unlock publishing").click().run()
    assert _assert_inert(at, "publish page") >= 1  # the list of snapshots
