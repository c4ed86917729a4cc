"""The forward look under AppTest: /scenarios, and the overview's summary, targets and forecast blocks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ingest
from ingest.workforce import Workforce
from tests.app.session import html_tables as _html_tables
from tests.app.session import start as _start
from tests.app.session import texts as _texts

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo() -> Workforce:
    return ingest.load_demo()


def _table(at: AppTest, subheader_start: str) -> pd.DataFrame:
    """The st.table under the bordered block whose subheader starts with the text."""
    names = [s.value for s in at.subheader]
    tables = _html_tables(at)
    wanted = [n for n in names if n.startswith(subheader_start)]
    assert wanted, names
    index = [n for n in names if "today and with the scenario" in n].index(wanted[0])
    return tables[index]


def test_scenario_converting_every_agency_worker(demo):
    at = _start(demo, {"sc_convert": "1000"}, "pages/scenarios.py")
    assert at.title[0].value == "Scenarios"
    table = _table(at, "The whole view")
    rows = {r["Figure"]: r for r in table.to_dict("records")}
    assert rows["Agency rate"]["Today"] == "17.1%" and rows["Agency rate"]["Scenario"] == "0.0%"
    assert rows["Estimated annual agency cost"]["Scenario"] == "£0"
    assert rows["FTE in post"]["Scenario"] == "620.2 FTE"  # 514.4 employed + 105.8 agency FTE converted
    text = _texts(at)
    assert "Only 105.8 agency FTE are in post in the whole council" in text
    assert "The uploaded data is not changed" in text


def test_scenario_of_twenty_posts_in_one_service_is_shown_for_that_service_too(demo):
    at = _start(demo, {"sc_convert": "20", "sc_convert_in": "Children's Social Work"}, "pages/scenarios.py")
    assert at.number_input(key="sc_convert").value == 20
    assert at.selectbox(key="sc_convert_in").value == "Children's Social Work"
    csw = {r["Figure"]: r for r in _table(at, "Children's Social Work").to_dict("records")}
    assert csw["Agency FTE"]["Today"] == "91.0 FTE" and csw["Agency FTE"]["Scenario"] == "71.0 FTE"
    assert csw["Estimated annual workforce cost"]["Change"].startswith("-£")  # cheaper: the agency premium goes
    assert "The recruitment it needs" in _texts(at)
    # the pack choice keeps the scenario for the committee pack
    at.checkbox(key="forward.pack_choice").check().run()
    assert not at.exception
    assert at.session_state["forward.pack_scenario"].convert_fte == 20


def test_scenario_page_on_a_summary_upload_says_why_not():
    wf = Workforce(label="Summary only (test)")
    wf.add_table("summary", pd.DataFrame({"service_area": ["Children's Social Work"], "period": ["2025"],
                                          "fte": [100.0], "agency_rate": [0.1]}))
    at = _start(wf, {"sc_award": "3"}, "pages/scenarios.py")
    assert "Scenarios need a staff extract" in _texts(at)


def test_overview_has_the_summary_targets_and_forecast(demo):
    at = _start(demo, {"targets": "agency_rate|0.15|2027-09-30|"})
    names = [s.value for s in at.subheader]
    assert names[0] == "In brief"
    summary = at.markdown[[i for i, m in enumerate(at.markdown) if m.value.startswith("1. ")][0]].value
    lines = summary.splitlines()
    assert 5 <= len(lines) <= 8 and lines[0].startswith("1. As at 29 September 2026, the council had 514.4 FTE")
    assert "Are we on track for our targets?" in names
    text = _texts(at)
    assert "Agency rate, the whole council: off track" in text
    # the agency rate's tile carries its target and how it stands; the other tiles have none
    captions = [c.value for c in at.caption]
    assert "Target 15.0% by 30 Sep 2027: off track." in captions
    assert sum(c.startswith("Target ") for c in captions) == 1
    assert "Where are the numbers heading? (a projection)" in names
    backtest = _html_tables(at)[-1]
    assert list(backtest.columns) == ["Measure", "Forecast made as at", "Forecast", "Range", "What happened",
                                      "Error (happened − forecast)", "Within the range"]
    assert backtest["Measure"].tolist() == ["Leavers", "Starters", "Vacancies (FTE)"]
    # the core tiles and the committee table are where they were
    assert [m.label for m in at.metric] == ["FTE in post", "Vacancy rate", "Agency rate", "Turnover rate",
                                            "Salary gap to market"]
    assert _html_tables(at)[0].columns[0] == "Service area"


def test_a_target_set_on_the_page_goes_into_the_link(demo):
    at = _start(demo)
    at.selectbox(key="forward.target_figure").set_value("vacancy_rate")
    at.number_input(key="forward.target_value").set_value(12.0)
    at.button(key="FormSubmitter:forward.add_target-Add the target").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.query_params["targets"] == "vacancy_rate|0.12|2027-09-30|"
    assert "Vacancy rate, the whole council" in _texts(at)


def test_overview_without_enough_history_explains_the_forecast(demo):
    data = (ROOT / "data" / "demo" / "csv" / "staff.csv").read_text().splitlines()
    keep = [data[0]] + [line for line in data[1:] if ",2023-" not in line and ",2024-0" not in line]
    wf = ingest.load([("staff.csv", "\n".join(keep).encode())]).to_workforce({}, "Short history (test)")
    at = _start(wf)
    text = _texts(at)
    assert "needs 24 months of starters and leavers" in text or "needs 36 months" in text
