"""The Staff voice page (/voice) under AppTest: on the demo, on an upload with only a survey table (where every
other page says what is off), on a staff extract alone, and on a shared snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import ingest
from sharing import gate, snapshots
from tests.app.session import html_tables as _tables
from tests.app.session import start as _start
from tests.app.session import texts as _texts
from tests.metrics.voice_fixtures import make_workforce

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("overview", "recruitment", "retention", "agency", "pay", "workload", "voice", "compare", "methodology")

SURVEY_ONLY = """Survey,Date,Theme,Group type,Group,Respondents,% agree,Benchmark,Benchmark source
Staff survey 2024,15/11/2024,Would recommend as an employer,whole council,,40,50%,,
Staff survey 2025,15/06/2025,Would recommend as an employer,whole council,,44,55%,60%,Benchmark X
Staff survey 2024,15/11/2024,Would recommend as an employer,team,Duty,10,30%,,
Staff survey 2025,15/06/2025,Would recommend as an employer,team,Duty,3,33.3%,,
Staff survey 2025,15/06/2025,Would recommend as an employer,team,Court,8,50%,,
Staff survey 2025,15/06/2025,Manageable workload,whole council,,44,35%,,
"""


def _voice(at: AppTest) -> AppTest:
    at.switch_page("pages/voice.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Staff voice"
    return at


@pytest.fixture(scope="module")
def survey_only():
    result = ingest.load([("staff survey.csv", SURVEY_ONLY.encode())])
    assert list(result.tables) == ["survey"]
    return _start(result.to_workforce(label="Survey only (test)"))


def test_demo_voice_page_has_every_block(tmp_path):
    at = _voice(_start(ingest.load_demo()))
    assert [m.label for m in at.metric] == [
        "Would recommend as an employer", "Case supervision held", "Wellbeing supervision held",
        "Induction completed within the agreed weeks", "Newly qualified above their protected caseload"]
    recommend = at.metric[0]
    assert "since 15 Nov 2024" in recommend.delta  # against the survey before (Staff survey 2024, November 2024)
    text = _texts(at)
    assert "against Staff survey 2024" in text
    for question in ("How do staff answer, theme by theme?", "Is it getting better?",
                     "Is case (practice) supervision happening as agreed, team by team?",
                     "Do new starters finish induction within 12 weeks?",
                     "beside turnover and agency use, team by team"):
        assert question in text, question
    assert "Association, not cause." in text
    table = _tables(at)[-1]  # the association table (the committee table is not on this page)
    assert list(table.columns) == ["Team", "Respondents", "Agreeing", "Mean score", "Turnover rate", "Agency rate"]
    assert table["Team"].iloc[-1] == "All"


def test_survey_only_voice_page_shows_the_survey_and_says_what_is_off(survey_only):
    at = _voice(survey_only)
    tiles = {m.label: (m.value, m.delta) for m in at.metric}
    # the latest survey (15 June 2025) is the as-of date: 55% of 44 against November 2024's 50%
    assert tiles["Would recommend as an employer"] == ("55.0%", "+5.0 pts since 15 Nov 2024 (better)")
    assert tiles["Case supervision held"][0] == "–"
    text = _texts(at)
    assert "Staff survey 2025 (44 respondents), against Staff survey 2024." in text
    assert "add a 'supervision' sheet" in text and "add an 'induction' sheet" in text
    assert "Turnover and agency use are blank here: Needs a staff extract" in text
    # the team chart's words: Duty 33.3% (3 respondents: live figures are exact), up 3.3 pts; Court 50.0%
    assert "highest Court (50.0%), lowest Duty (33.3%); since the previous survey 1 of 2 rose and 0 fell" in text


@pytest.mark.parametrize("page", [p for p in PAGES if p != "voice"])
def test_survey_only_every_other_page_runs_and_says_what_is_off(survey_only, page):
    at = survey_only
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    if page in ("overview", "retention", "workload"):
        assert "Needs a staff extract" in _texts(at)


def test_staff_only_voice_page_says_which_sheets_switch_it_on():
    data = (ROOT / "data" / "demo" / "csv" / "staff.csv").read_bytes()
    at = _voice(_start(ingest.load([("staff.csv", data)]).to_workforce({}, "Staff only (test)")))
    text = _texts(at)
    assert "add a 'survey' sheet" in text and "add a 'supervision' sheet" in text
    assert "add an 'induction' sheet" in text
    assert [m.value for m in at.metric] == ["–"] * 5


def test_voice_page_on_a_shared_link_shows_c_for_a_small_group(tmp_path, monkeypatch):
    path = tmp_path / "snapshots.duckdb"
    monkeypatch.setenv("WORKFORCE_LENS_SNAPSHOT_PATH", str(path))
    monkeypatch.setenv("WORKFORCE_LENS_SHARING_FILTER_CUTS", "service_area")
    monkeypatch.delenv(gate.VIEWER_ENV, raising=False)
    workforce = make_workforce()
    sid = snapshots.publish(workforce, "Spotlight review", path=path)
    workforce.close()
    at = _voice(_start(None, {"snapshot": sid}))
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Would recommend as an employer"] == "55.0%"
    assert tiles["Case supervision held"] == "84.6%"  # 11 of 13 sessions, resting on six workers
    text = _texts(at)
    assert "A published snapshot" in text
    # team T1's 3 respondents are hidden, in the words as well as the chart and table
    assert "1 team with too few respondents shown as c" in text
    assert "T1 33.3%" not in text and "33.3%" not in text
    # the team block's 'Show data' table (and so its downloads) shows T1 as c too
    from ui.layout import data_key

    at.session_state[data_key("voice.groups.team")] = True
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    table = [t for t in _tables(at) if "Respondents" in t.columns and "Change in words" in t.columns][0]
    table = table.set_index("Team")
    assert table.loc["T1", "Respondents"] == "c" and table.loc["T1", "Agreeing"] == "c"
    assert table.loc["T1", "Change since the previous survey"] == "c" and table.loc["T1", "Change in words"] == "c"
    assert table.loc["T2", "Agreeing"] == "50.0%"
