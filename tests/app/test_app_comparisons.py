"""The app draws verdicts only against comparators of the same group and year, and tiles, trends and tables agree.

Runs the app under Streamlit's AppTest on small councils whose figures are worked out by hand in the comments
(the fixture council of tests/metrics/metrics_fixtures.py: Children's Social Work and Education Psychology),
a committee paper's spotlight table, and the demo council. DfE values by eye from data/reference/
csww_indicators.csv (National 2023: vacancy 18.9, agency 17.9; 2024: vacancy 17.3, agency 16.2).
"""

from __future__ import annotations

import re

import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

import ingest
from tests.app.session import start as _start
from tests.app.session import texts as _texts
from tests.metrics.metrics_fixtures import make_workforce
from ui import tables

SPOTLIGHT = b"""Service,Sub-service,As at,FTE,Vacancy %,Agency %
Children's Social Work,,October 2023,245.5,19.2%,13.9%
Education Psychology,,October 2023,22.2,34.7%,2.6%
Public Health Nursing,,October 2023,172.2,12.7%,1.7%
Public Health Nursing,Health visitors,October 2023,98.4,19%,2.1%
Public Health Nursing,School nurses,October 2023,31.0,30%,0.8%
SEND 0-25,,October 2023,73.9,20.5%,3.9%
"""
"""A spotlight review's own table: four services, public health nursing split into its two professions."""


def _tables(at: AppTest) -> list:
    """The page's data tables (HTML tables in the page text, ui.tables) as DataFrames of their text, in order."""
    return [tables.to_frame(h.value) for h in at.html if tables.is_table(h.value)]


def _tile(at: AppTest, label: str):
    return next(m for m in at.metric if m.label == label)


def _words(at: AppTest, start: str) -> str:
    """The 'In words' description that starts with `start`."""
    return next(m.value for m in at.markdown if m.value.startswith(f"**In words:** {start}"))


@pytest.fixture(scope="module")
def fixture_council():
    return make_workforce()


def test_one_service_gets_a_verdict_the_other_none(fixture_council):
    at = _start(fixture_council, {"as_of": "2024-09-30"})
    text = _texts(at)
    # agency rate: CSW 1.6 ÷ (1.6 + 3.5) = 31.4% against England 2024 16.2%: 15.2 pts higher, worse
    assert ("England 2024 (DfE): 16.2% — Children's Social Work 31.4%: 15.2 pts higher than England 2024 (DfE) "
            "(worse)") in text
    assert "No England comparator for Education Psychology." in text
    words = _words(at, "Agency rate")
    assert "Against England 2024 (DfE), 16.2%: worse — Children's Social Work." in words
    assert "No comparator of the same group and year for Education Psychology, so no verdict." in words
    assert "Education Psychology is worse" not in words and "better — Education Psychology" not in words
    # vacancy rate: CSW 1.5 ÷ 5.0 = 30.0% against England 2024 17.3%; Education Psychology's 0.0% (over its
    # establishment) has its own comparator that year: the LGA's 17.2% for England and Wales, shipped with the app
    vacancy = _words(at, "Vacancy rate")
    assert "Against England 2024 (DfE), 17.3%: worse — Children's Social Work." in vacancy
    assert "Against England and Wales 2024 (LGA), 17.2%: better — Education Psychology." in vacancy
    assert "England 2024 (DfE): 16.2%" not in vacancy  # another figure's, or another group's, comparator


def test_a_role_filter_changes_the_comparator(fixture_council):
    social_workers = _texts(_start(fixture_council, {"as_of": "2024-09-30", "role": "Social Worker"}))
    # Social Workers in post: s1 1.0, s2 0.5 employed; s4 1.0, s5 0.6 agency → 1.6 ÷ 3.1 = 51.6%
    assert "England 2024 (DfE): 16.2% — Social Worker 51.6%: 35.4 pts higher than England 2024 (DfE) (worse)" \
        in social_workers
    psychologists = _texts(_start(fixture_council, {"as_of": "2024-09-30", "role": "Educational Psychologist"}))
    assert "No England comparator for Educational Psychologist (educational psychology) in 2024" not in psychologists
    assert "No England comparator for Educational Psychologist (educational psychology)." in psychologists
    assert "England 2024 (DfE)" not in psychologists


@pytest.mark.parametrize(("as_of", "shown", "when"), [
    # agency 1.6 FTE throughout; employed 6.3 FTE on 31 August and 15 September (s3 leaves on 30 September) → 20.3%;
    # 5.3 on 30 September → 1.6 ÷ 6.9 = 23.2%
    ("2024-08-31", "20.3%", "in August 2024"),                                   # a month-end
    ("2024-09-15", "20.3%", "on 15 September 2024 (part of the month)"),         # mid-month
    ("2024-09-30", "23.2%", "in September 2024"),                                # census day
])
def test_tile_last_trend_point_and_committee_table_agree(fixture_council, as_of, shown, when):
    at = _start(fixture_council, {"as_of": as_of})
    tile = _tile(at, "Agency rate").value
    table = _tables(at)[0]
    committee = table.loc[table["Service area"] == "All", "Agency rate"].iloc[0]
    at.switch_page("pages/agency.py").run()
    assert not at.exception
    assert _tile(at, "Agency rate").value == tile
    trend = _words(at, "Agency rate went from")
    last = re.search(r"to (\d+\.\d%) (in|on) ", trend).group(1)
    assert tile == committee == last == shown
    assert f"to {shown} {when}" in trend


def test_a_committee_papers_table_reads_as_of_its_own_date_against_that_years_benchmark():
    workforce = ingest.load([("spotlight_review.csv", SPOTLIGHT)]).to_workforce({}, "Spotlight review")
    for query in ({}, {"as_of": "2026-01-15"}):  # the sidebar's date does not move a dated paper's figures
        at = _start(workforce, query)
        text = _texts(at)
        assert "as of 31 October 2023" in text and "As of 31 October 2023." in text
        assert "29 September 2026" not in text and "15 January 2026" not in text.replace("as of 15 January", "")
        # Children's Social Work 19.2% against England 2023 (18.9%), never a later year's
        assert "England 2023 (DfE): 18.9% — Children's Social Work 19.2%: 0.3 pts higher than England 2023 (DfE) " \
               "(worse)" in text
        assert "2025 (DfE)" not in text and "2024 (DfE)" not in text
        table = _tables(at)[0]
        rows = {r["Service area"]: r for r in table.to_dict("records")}
        assert rows["Health visitors (Public Health Nursing)"]["Vacancy rate"] == "19.0%"
        assert rows["School nurses (Public Health Nursing)"]["Vacancy rate"] == "30.0%"
        assert rows["Public Health Nursing"]["Vacancy rate"] == "12.7%"
        assert rows["Health visitors (Public Health Nursing)"]["Period"] == "October 2023"
        vacancy = _words(at, "Vacancy rate")
        assert "worse — Children's Social Work" in vacancy
        for name in ("Health visitors (Public Health Nursing)", "School nurses (Public Health Nursing)",
                     "Education Psychology"):
            assert name in vacancy.split("No comparator of the same group and year for")[1]


@pytest.fixture(scope="module")
def demo():
    return ingest.load_demo()


def test_teams_of_the_same_name_stay_apart_in_filters_and_charts(demo):
    at = _start(demo)
    options = at.selectbox(key="team").options
    keyed = [o for o in options if o.startswith("Service Management")]
    assert keyed == ["Service Management (Children's Social Work)", "Service Management (Public Health Nursing)",
                     "Service Management (SEND 0-25)"]
    at = _start(demo, {"team": "Service Management (SEND 0-25)"})
    assert at.selectbox(key="team").value == "Service Management (SEND 0-25)"
    assert "Showing: Service Management (SEND 0-25)" in _texts(at)
    assert list(_tables(at)[0]["Service area"]) == ["SEND 0-25", "All"]
    at = _start(demo, page="agency")
    words = _words(at, "Agency rate is highest")
    assert "Service Management (SEND 0-25)" in words


def test_no_change_is_grey_without_an_arrow(fixture_council):
    # Education Psychology FTE: 30 Sep 2023 e1 0.8 + e3 1.0 (started that day) = 1.8; 30 Sep 2024 the same 1.8
    at = _start(fixture_council, {"as_of": "2024-09-30", "service": "Education Psychology"})
    fte = _tile(at, "FTE in post")
    assert fte.value == "1.8" and fte.delta == "No change since 30 Sep 2023"
    assert fte.proto.color == MetricProto.MetricColor.GRAY
    assert fte.proto.direction == MetricProto.MetricDirection.NONE
    # turnover: e2 (1.0 FTE) left in June 2023, inside the earlier 12 months only: 1.0 ÷ 1.8 = 55.6% → 0.0%
    changed = _tile(at, "Turnover rate")
    assert changed.delta == "-55.6 pts since 30 Sep 2023 (better)"
    assert changed.proto.color == MetricProto.MetricColor.GREEN


def test_a_service_without_caseloads_says_so_and_draws_no_chart_of_zeros(demo):
    at = _start(demo, {"service": "Public Health Nursing"}, page="workload")
    tile = _tile(at, "Average caseload")
    assert tile.value == "No value"
    text = _texts(at)
    assert "No value: no caseloads are recorded for this selection" in text
    assert "No value 12 months earlier" not in text
    assert "Nothing to chart: no caseloads are recorded for this selection" in text
    assert _tile(at, "Newly qualified above protected caseload").value == "No value"  # not a count of 0


def test_caseload_line_is_labelled_for_what_it_is(demo):
    at = _start(demo, page="workload")
    words = _words(at, "Average caseload: highest")
    # the children's social work teams against the England average of the census year (2025), named as such
    assert "are above England average 2025 (DfE) (15.2)" in words
    assert "threshold" not in words.lower()
    assert "DfE: Children's social work workforce, average caseload" in _texts(at)


def test_comparators_the_council_uploads_judge_their_own_group_only():
    sheet = (b"Role family,Measure,Value,Year,Geography,Source\n"
             b"Health visiting,Agency rate,10%,2025,England,"
             b"\"NHS England: community health services workforce, 2025 (a test figure)\"\n")
    loaded = ingest.load([("comparators.csv", sheet)])
    assert list(loaded.tables) == ["comparators"]
    workforce = ingest.load_demo()
    workforce.add_table("comparators", loaded.tables["comparators"])
    workforce.is_demo = False  # no longer the demo every session shares (its figures are cached as the demo's)
    text = _texts(_start(workforce, {"role": "Health Visitor"}))
    # Health Visitors' agency rate, 4.6% at the demo's date (year to September 2025), against the uploaded 10.0%
    assert ("England 2025 (NHS England): 10.0% — Health Visitor 4.6%: 5.4 pts lower than England 2025 "
            "(NHS England) (better)") in text
    school_nurses = _texts(_start(workforce, {"role": "School Nurse"}))
    assert "NHS England" not in school_nurses  # health visiting's comparator is not school nursing's
    assert "No England comparator for School Nurse (school nursing)." in school_nurses
