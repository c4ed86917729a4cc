"""Series that end on the as-of date, team keys (service area + team), per-group standards, summary sub-services.

Expected values are worked out by hand on the fixture council (tests/metrics/metrics_fixtures.py) in the comments.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest

import metrics
from metrics import Params, Settings
from metrics.compute import is_partial_month, series_dates
from metrics.dates import period_date
from metrics.settings import Standard
from tests.metrics.metrics_fixtures import CSW, EP, ESTABLISHMENT_ROWS, STAFF_ROWS, _row, make_workforce, staff_frame

D = dt.date
BASE = dict(standard_weekly_hours=37, on_cost_factor=1.3, working_days_per_fte=253, protected_caseload_share=0.9)


# ── series: the last point is the as-of date ──────────────────────────────────


@pytest.mark.parametrize(("as_of", "last_three"), [
    (D(2024, 9, 30), [D(2024, 7, 31), D(2024, 8, 31), D(2024, 9, 30)]),   # a month-end (the census day)
    (D(2024, 9, 15), [D(2024, 7, 31), D(2024, 8, 31), D(2024, 9, 15)]),   # mid-month: a partial month at the end
    (D(2024, 3, 1), [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 1)]),     # leap year
])
def test_series_dates_end_on_the_as_of_date(as_of, last_three):
    dates = series_dates(as_of)
    assert len(dates) == 24 and dates[-3:] == last_three
    assert dates == sorted(dates) and len(set(dates)) == 24
    assert is_partial_month(dates[-1]) == (as_of.day not in (29, 30, 31) or as_of == D(2024, 9, 15))
    assert not any(is_partial_month(d) for d in dates[:-1])


# Agency rate = agency FTE ÷ (agency FTE + employed FTE in post). Agency in post: s4 1.0 + s5 0.6 = 1.6 throughout
# Aug–Sep 2024. Employed: s1 1.0, s2 0.5, s3 1.0 (until her end date, 2024-09-30), m1 1.0, m2 1.0, e1 0.8, e3 1.0
# = 6.3 on 31 Aug and 15 Sep; on 30 Sep s3 has left (an end date is the last day) → 5.3.
HAND = {"2024-08-31": 1.6 / (1.6 + 6.3), "2024-09-15": 1.6 / (1.6 + 6.3), "2024-09-30": 1.6 / (1.6 + 5.3)}


@pytest.mark.parametrize("as_of", list(HAND))
def test_last_series_point_is_the_figure_table_value(as_of):
    wf = make_workforce()
    table = metrics.compute(wf, Params(as_of=as_of, by=("service_area",), figures=("agency_rate", "fte_in_post")))
    tile = table.loc[table["service_area"] == "All", "agency_rate"].iloc[0]
    series = metrics.series(wf, Params(as_of=as_of, by=(), figures=("agency_rate", "fte_in_post")))
    agency = series[series["figure"] == "agency_rate"]
    assert agency["month"].iloc[-1] == dt.date.fromisoformat(as_of)
    assert agency["value"].iloc[-1] == pytest.approx(tile) == pytest.approx(HAND[as_of])
    fte = series[series["figure"] == "fte_in_post"]["value"].iloc[-1]
    assert fte == pytest.approx(5.3 if as_of == "2024-09-30" else 6.3)
    # by group: every service area's line ends on its own figure table value too
    by_area = metrics.series(wf, Params(as_of=as_of, by=("service_area",), figures=("agency_rate",)))
    last = by_area[by_area["month"] == dt.date.fromisoformat(as_of)].set_index("service_area")["value"]
    assert last[CSW] == pytest.approx(1.6 / (1.6 + (4.5 if as_of != "2024-09-30" else 3.5)))
    assert last[EP] == pytest.approx(0.0)


def test_starters_and_leavers_label_the_partial_last_month_with_the_as_of_date():
    wf = make_workforce()
    df = metrics.VIEWS["starters_leavers_by_month"].compute(wf, Params(as_of="2024-09-15", by=()))
    assert df["month"].iloc[-1] == D(2024, 9, 15) and df["month"].iloc[-2] == D(2024, 8, 31)
    # s3 leaves on 30 September, after 15 September: not yet a leaver in the partial month
    assert int(df["leavers_headcount"].iloc[-1]) == 0


# ── team keys: service area + team ─────────────────────────────────────────────


def _two_service_management_teams():
    """The fixture with a 'Service Management' team in both services, each with one manager."""
    rows = [*STAFF_ROWS,
            _row("x1", CSW, "Service Management", "Service Manager", "L7", "permanent", 1.0, D(2015, 1, 1)),
            _row("x2", EP, "Service Management", "Principal Educational Psychologist", "L7", "permanent", 0.6,
                 D(2016, 1, 1)),
            _row("x3", EP, "Service Management", "Business Support", "L2", "agency", 0.4, D(2024, 6, 1))]
    wf = make_workforce(staff_frame(rows), establishment=False)
    wf.add_table("establishment", pd.DataFrame([*ESTABLISHMENT_ROWS,
                                                dict(service_area=CSW, team="Service Management", funded_fte=2.0),
                                                dict(service_area=EP, team="Service Management", funded_fte=1.0)]))
    return wf


CSW_SM, EP_SM = f"Service Management ({CSW})", f"Service Management ({EP})"


def test_teams_of_the_same_name_in_two_services_stay_apart_in_figures_filters_and_vacancies():
    wf = _two_service_management_teams()
    table = metrics.compute(wf, Params(as_of="2024-09-30", by=("team",),
                                       figures=("fte_in_post", "agency_fte", "vacancy_rate"))).set_index("team")
    assert table.loc[CSW_SM, "fte_in_post"] == pytest.approx(1.0)
    assert table.loc[EP_SM, "fte_in_post"] == pytest.approx(0.6)
    assert table.loc[EP_SM, "agency_fte"] == pytest.approx(0.4)
    # vacancy per keyed team, matched to its own establishment line: CSW (2.0 − 1.0) ÷ 2.0; EP (1.0 − 0.6) ÷ 1.0
    assert table.loc[CSW_SM, "vacancy_rate"] == pytest.approx(0.5)
    assert table.loc[EP_SM, "vacancy_rate"] == pytest.approx(0.4)
    assert "Service Management" not in table.index
    assert {"A", "B", "EP"} <= set(table.index)  # names used once keep their own name
    options = metrics.filter_options(wf)["team"]
    assert CSW_SM in options and EP_SM in options and "Service Management" not in options
    only = metrics.compute(wf, Params(as_of="2024-09-30", by=("service_area",), filters=(("team", EP_SM),),
                                      figures=("fte_in_post",)))
    assert list(only["service_area"]) == [EP, "All"] and only["fte_in_post"].iloc[-1] == pytest.approx(0.6)


def test_teams_stay_apart_in_series_views_and_exports():
    from metrics.cli import run as cli_run
    from sharing.export import to_csv_bytes

    wf = _two_service_management_teams()
    series = metrics.series(wf, Params(as_of="2024-09-30", by=("team",), figures=("fte_in_post",)))
    last = series[series["month"] == D(2024, 9, 30)].set_index("team")["value"]
    assert last[CSW_SM] == pytest.approx(1.0) and last[EP_SM] == pytest.approx(0.6)
    for name in ("agency_placements", "vacancies", "figures"):
        view = metrics.VIEWS[name].compute(wf, Params(as_of="2024-09-30", by=("team",)))
        assert {CSW_SM, EP_SM} <= set(view["team"]), name
    csv = to_csv_bytes(metrics.VIEWS["figures"].compute(wf, Params(as_of="2024-09-30", by=("team",),
                                                                     figures=("fte_in_post",)))).decode()
    assert f'"{CSW_SM}"' in csv or CSW_SM in csv
    assert EP_SM in csv
    # the command line's export keys teams the same way
    data = io.BytesIO()
    staff = staff_frame([*STAFF_ROWS,
                         _row("x1", CSW, "Service Management", "Service Manager", "L7", "permanent", 1.0,
                              D(2015, 1, 1)),
                         _row("x2", EP, "Service Management", "Principal Educational Psychologist", "L7",
                              "permanent", 0.6, D(2016, 1, 1))])
    staff.to_csv(data, index=False)
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "staff.csv"
        path.write_bytes(data.getvalue())
        out, err = io.StringIO(), io.StringIO()
        assert cli_run([str(path), "--as-of", "2024-09-30", "--by", "team", "--format", "json"], out, err) == 0
    rows = {r["team"]: r for r in json.loads(out.getvalue())["rows"]}
    assert rows[CSW_SM]["fte_in_post"] == pytest.approx(1.0) and rows[EP_SM]["fte_in_post"] == pytest.approx(0.6)


def test_snapshot_suppression_knows_each_keyed_team_sits_in_one_service_area():
    from sharing.snapshots import implied_groups

    implied = implied_groups(_two_service_management_teams())
    assert implied[("team", CSW_SM)] == [("service_area", CSW)]
    assert implied[("team", EP_SM)] == [("service_area", EP)]
    assert implied[("team", "A")] == [("service_area", CSW)]


# ── standards per service area and role family ────────────────────────────────


def test_caseload_standard_is_the_dfe_england_average_of_the_census_year_for_childrens_social_work():
    settings = Settings(**BASE, standards=(Standard("caseload", "Children's social work", None,
                                                    "England average (DfE)", "DfE"),))
    # England caseload_fte by eye: 2024 15.4, 2023 16.0 (data/reference/csww_indicators.csv, National rows)
    found = settings.standard("caseload", CSW, "Social Worker", 2024)
    assert (found.value, found.label) == (15.4, "England average 2024 (DfE)")
    assert found.is_average
    assert settings.standard("caseload", CSW, "Social Worker", 2023).value == 16.0
    later = settings.standard("caseload", CSW, "Social Worker", 2031)
    assert later.label == "England average 2025 (DfE, the latest published)" and later.value == 15.2
    # a school nurse is not a children's social worker: no caseload standard, so no verdict
    assert settings.standard("caseload", "Public Health Nursing", "School Nurse", 2024) is None
    # the DfE standard is never labelled as a "threshold"
    assert "threshold" not in found.label.lower()


def test_share_above_the_caseload_standard_uses_each_case_holders_own_group():
    wf = make_workforce()
    params = Params(as_of="2024-09-30", by=("service_area",), figures=("share_above_caseload_threshold",))
    # case holders (caseload ÷ fte): s1 16 (team A), s2 10 ÷ 0.5 = 20 (A), s4 20 (B), s5 9 ÷ 0.6 = 15 (B)
    csw_dfe = Settings(**BASE, standards=(Standard("caseload", "Children's social work", None, "England average",
                                                   "DfE"),))
    # England average 2024: 15.4 → s1, s2, s4 above; s5 not: 3 of 4
    df = metrics.compute(wf, params, csw_dfe).set_index("service_area")
    assert df.loc[CSW, "share_above_caseload_threshold"] == pytest.approx(0.75)
    # team B holds a local standard of 25 (s4 20, s5 15: neither above); team A keeps 15.4: 2 of 4
    local_b = Settings(**BASE, standards=(*csw_dfe.standards, Standard("caseload", "B", 25.0, "Local standard",
                                                                       "Team B caseload agreement")))
    df = metrics.compute(wf, params, local_b).set_index("service_area")
    assert df.loc[CSW, "share_above_caseload_threshold"] == pytest.approx(0.5)
    # a standard only for educational psychology (who hold no cases): nobody is measured, no value (not 0)
    ep_only = Settings(**BASE, standards=(Standard("caseload", "Educational psychology", 10.0),))
    df = metrics.compute(wf, params, ep_only).set_index("service_area")
    assert pd.isna(df.loc[CSW, "share_above_caseload_threshold"])


def test_groups_whose_names_run_together_still_get_a_standard():
    """Standards are matched on service area, team and role joined by a separator; a cell holding the separator
    itself makes two groups share a key, and the figure is still worked out (the first group's standard)."""
    rows = [_row("a", "A\x1fB", "C", "Social Worker", "L3", "permanent", 1.0, D(2020, 1, 1), caseload=30),
            _row("b", "A", "B\x1fC", "Social Worker", "L3", "permanent", 1.0, D(2020, 1, 1), caseload=5)]
    wf = make_workforce(staff_frame(rows), establishment=False, market=False, caps=False, recruitment=False)
    params = Params(as_of="2024-09-30", by=(), figures=("share_above_caseload_threshold",))
    one_standard = Settings(**BASE, standards=(Standard("caseload", None, 20.0),))
    # both groups are held to 20: a (30) is above, b (5) is not
    assert metrics.compute(wf, params, one_standard)["share_above_caseload_threshold"].iloc[0] == pytest.approx(0.5)


def test_span_of_control_standard_per_group():
    wf = make_workforce()
    params = Params(as_of="2024-09-30", by=("service_area",), figures=("managers_above_span",))
    # reports in post on 2024-09-30: m1 → s1, s2 (s3 left that day) = 2; m2 → s4, s5 (s8 left, s9 not started) = 2;
    # e1 → e3 = 1. Default standard 1.5: m1 and m2 above.
    default = Settings(**BASE, span_of_control_threshold=1.5, standards=())
    assert metrics.compute(wf, params, default).set_index("service_area").loc[CSW, "managers_above_span"] == 2
    # team B's standard is 3 reports: m2 (2) is within it
    team_b = Settings(**BASE, span_of_control_threshold=1.5, standards=(Standard("span_of_control", "B", 3.0),))
    assert metrics.compute(wf, params, team_b).set_index("service_area").loc[CSW, "managers_above_span"] == 1


# ── summary rows with sub-services and their own dates ───────────────────────


@pytest.mark.parametrize(("text", "expected"), [
    ("October 2023", D(2023, 10, 31)), ("Oct-23", D(2023, 10, 31)), ("31/10/2023", D(2023, 10, 31)),
    ("2023-10", D(2023, 10, 31)), ("2023-10-31", D(2023, 10, 31)), ("2023", D(2023, 9, 30)),
    ("2023/24", D(2024, 9, 30)), ("Sept 2023", D(2023, 9, 30)), ("1 Oct 2023", D(2023, 10, 1)),
    ("Q3", None), ("31/02/2023", None),
])
def test_summary_periods_as_committee_papers_write_them(text, expected):
    assert period_date(text) == expected


def test_summary_rows_carry_their_sub_service():
    from ingest.workforce import Workforce

    wf = Workforce()
    wf.add_table("summary", pd.DataFrame({
        "service_area": ["Public Health Nursing", "Public Health Nursing", "Public Health Nursing"],
        "team": [None, "Health visitors", "School nurses"],
        "period": ["October 2023"] * 3,
        "fte": [172.2, 98.4, 31.0],
        "vacancy_rate": [0.127, 0.19, 0.30],
    }))
    df = metrics.compute(wf, Params(by=("service_area",), figures=("fte_in_post", "vacancy_rate")))
    assert list(df["team"].fillna("")) == ["", "Health visitors", "School nurses"]
    assert list(df["vacancy_rate"]) == pytest.approx([0.127, 0.19, 0.30])
    assert metrics.default_as_of(wf) == D(2023, 10, 31)


def test_a_shared_link_carries_the_councils_comparators_unsuppressed(tmp_path):
    """The comparators view is published like any other, so a shared link judges figures as the officer's own view.

    Its values are published figures about other organisations, not people: nothing in it is suppressed."""
    from reference.comparators import uploaded
    from sharing import snapshots

    wf = make_workforce()
    wf.add_table("comparators", pd.DataFrame({
        "group": ["Health visiting"], "figure": ["vacancy_rate"], "value": [0.125], "year": [2024],
        "geography": ["South West"], "source": ["Regional survey 2024"], "licence": [None]}))
    path = tmp_path / "snapshots.duckdb"
    sid = snapshots.publish(wf, "With comparators", "officer", path=path,
                            views={"comparators": metrics.VIEWS["comparators"]})
    shared = snapshots.open_snapshot(sid, path=path).get("comparators", Params(by=()))
    [comparator] = uploaded(shared)
    assert (comparator.group, comparator.figure, comparator.value, comparator.year) == (
        "Health visiting", "vacancy_rate", pytest.approx(0.125), 2024)
    assert comparator.source == "Regional survey 2024"
