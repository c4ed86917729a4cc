"""Every dashboard page under Streamlit's AppTest, on three kinds of data, and URL filters.

- the full demo council (ingest.load_demo),
- a staff extract alone (the demo's staff.csv through ingest.load),
- a summary table alone (a few hand-written rows, one with a DfE symbol).

Each page must run without an exception and, where a figure cannot be computed,
say why instead of erroring. One AppTest session per kind of data visits every
page in turn (views are cached per data, so revisits are quick).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ingest
from ingest.workforce import Workforce
from tests.app.session import html_tables as _tables
from tests.app.session import start as _start
from tests.app.session import texts as _texts
from ui import tables

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("overview", "recruitment", "retention", "agency", "pay", "workload", "methodology")


def _summary_only() -> Workforce:
    wf = Workforce(label="Summary only (test)")
    wf.add_table("summary", pd.DataFrame({
        "service_area": ["Children's Social Work", "Children's Social Work", "SEND 0-25"],
        "period": ["2024", "2025", "2025"],
        "fte": [100.0, 110.0, 40.0],
        "vacancy_rate": [0.20, 0.18, None],
        "vacancy_rate_symbol": [None, None, "c"],
        "agency_rate": [0.15, 0.12, 0.05],
        "turnover_rate": [0.16, 0.14, 0.10],
    }))
    return wf


def _staff_only() -> Workforce:
    data = (ROOT / "data" / "demo" / "csv" / "staff.csv").read_bytes()
    return ingest.load([("staff.csv", data)]).to_workforce({}, "Staff extract only (test)")


@pytest.fixture(scope="module")
def workforces() -> dict[str, Workforce]:
    """One Workforce per kind of data, shared by every test in the module."""
    return {"demo": ingest.load_demo(), "staff": _staff_only(), "summary": _summary_only()}


@pytest.fixture(scope="module")
def sessions(workforces) -> dict[str, AppTest]:
    """One app session per kind of data (started on the overview)."""
    return {kind: _start(wf) for kind, wf in workforces.items()}


@pytest.mark.parametrize("kind", ["demo", "staff", "summary"])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(sessions, kind, page):
    at = sessions[kind]
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value.lower().startswith(page[:5])
    assert at.session_state["workforce"].label == sessions[kind].session_state["workforce"].label


def test_demo_overview_has_tiles_committee_table_and_banner(sessions):
    at = sessions["demo"]
    at.switch_page("pages/overview.py").run()
    labels = [m.label for m in at.metric]
    assert labels == ["FTE in post", "Vacancy rate", "Agency rate", "Turnover rate", "Salary gap to market"]
    deltas = [m.delta for m in at.metric]
    assert all(d and ("since" in d) for d in deltas), deltas
    table = _tables(at)[0]
    assert list(table.columns) == ["Service area", "FTE in post", "Vacancy rate", "Agency rate", "Turnover rate",
                                   "Salary gap to market"]
    assert table["Service area"].iloc[-1] == "All"
    assert "demo data for a fictional council" in _texts(at)
    assert "England" in _texts(at)


def test_staff_only_explains_what_is_missing(sessions):
    at = sessions["staff"]
    at.switch_page("pages/recruitment.py").run()
    text = _texts(at)
    assert "establishment" in text.lower()  # vacancy figures need an establishment table
    assert "recruitment" in text.lower()


def test_summary_only_overview_shows_latest_period_with_symbol(sessions):
    at = sessions["summary"]
    at.switch_page("pages/overview.py").run()
    table = _tables(at)[0]
    rows = {r["Service area"]: r for r in table.to_dict("records")}
    assert rows["Children's Social Work"]["Period"] == "2025"
    assert rows["Children's Social Work"]["Agency rate"] == "12.0%"
    assert rows["SEND 0-25"]["Vacancy rate"] == "c"  # the DfE symbol, never 0
    # no whole-council row in a summary: the tiles show the DfE service area, against its previous period
    tiles = {m.label: (m.value, m.delta) for m in at.metric}
    # the change names the real comparison: the 2024 row (a census year), not "12 months before the sidebar date"
    assert tiles["FTE in post"] == ("110.0", "+10.0 FTE since the 2024 census")
    assert tiles["Agency rate"] == ("12.0%", "-3.0 pts since the 2024 census (better)")
    at.switch_page("pages/pay.py").run()
    assert "market pay" in _texts(at).lower() or "salary" in _texts(at).lower()


def test_url_filters_are_applied(workforces):
    at = _start(workforces["demo"], {"service": "SEND 0-25", "as_of": "2025-09-30"})
    assert at.selectbox(key="service").value == "SEND 0-25"
    assert "SEND 0-25 · as of 30 September 2025" in _texts(at)
    table = _tables(at)[0]
    assert list(table["Service area"]) == ["SEND 0-25", "All"]
    assert table["FTE in post"].iloc[0] == table["FTE in post"].iloc[1]


def test_invalid_url_values_are_ignored_with_a_notice(workforces):
    at = _start(workforces["demo"], {"service": "Nowhere", "team": "No such team", "as_of": "yesterday"})
    warnings = " ".join(w.value for w in at.warning)
    assert "“Nowhere” is not in this data" in warnings
    assert "“No such team” is not in this data" in warnings
    assert "“yesterday” is not a date" in warnings
    assert at.selectbox(key="service").value == "All"


def test_census_button_sets_30_september(workforces):
    at = _start(workforces["demo"])
    at.button(key="as_of_census").click().run()
    assert not at.exception
    chosen = at.date_input(key="as_of").value
    assert (chosen.month, chosen.day) == (9, 30)
    assert f"as of 30 September {chosen.year}" in _texts(at)


def test_show_data_is_drawn_when_opened(workforces):
    """A figure block's table and downloads are drawn only once its 'Show data' is opened (quicker pages)."""
    from ui.layout import data_key

    at = _start(workforces["demo"])
    key = "overview.vacancy_rate"

    def chart_tables() -> list[pd.DataFrame]:
        """Tables of figure blocks ("The numbers behind the chart"), not the page's own tables."""
        return [tables.to_frame(h.value) for h in at.html
                if tables.is_table(h.value) and "The numbers behind the chart" in h.value]

    assert len(_tables(at)) >= 1 and chart_tables() == []  # every block closed: no chart's data table yet
    assert not [b for b in at.get("download_button") if b.key == f"{key}.csv"]
    at.session_state[data_key(key)] = True  # what clicking the expander does
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(chart_tables()) == 1  # that block's table: the others stay closed
    table = chart_tables()[0]
    assert list(table.columns) == ["Service area", "Vacancy rate"]
    assert table["Service area"].tolist()[-1] == "All"
    assert [b.label for b in at.get("download_button") if b.key.startswith(f"{key}.")] == ["CSV", "Excel", "PNG", "SVG"]
