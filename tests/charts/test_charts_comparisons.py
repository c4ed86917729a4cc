"""Charts judge each group only against its own comparator, axes stop at the data or 100%, and the last point of
a trend at the as-of date is named by its day when it is mid-month."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import charts
from charts.format import axis_max, nice_ceiling
from metrics.compute import series_dates
from tests.charts.test_charts import AGENCY, BY_AREA, data_of, layers, mark

PER_ROW = {"Children's Social Work": ("England 2025 (DfE)", 0.13), "Early Help": None, "SEND 0-25": None}


def test_each_bar_is_judged_only_against_its_own_groups_comparator():
    spec = charts.bar_by_group(BY_AREA, AGENCY, per_row=PER_ROW).to_dict()
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    rows = {r["group"]: r for r in data_of(spec, bars)}
    assert rows["Children's Social Work"]["status"] == "worse"                  # 31.2% against 13.0%
    assert rows["Children's Social Work"]["label"] == "31.2% (worse)"
    assert rows["Children's Social Work"]["status_text"] == "worse than England 2025 (DfE)"
    for area in ("Early Help", "SEND 0-25"):                                     # no comparator: no verdict
        assert rows[area]["status"] == "no comparison"
        assert rows[area]["label"].endswith("(no comparator)") and "worse" not in rows[area]["label"]
    ticks = [v for v in layers(spec) if mark(v) == "tick"]
    assert len(ticks) == 1 and ticks[0]["encoding"]["x"]["field"] == "reference"  # the comparator on its own row
    assert not any(mark(v) == "rule" for v in layers(spec))  # no one line that every bar would be read against


def test_describe_names_each_comparison_and_the_groups_without_one():
    text = charts.describe_bars(BY_AREA, AGENCY, per_row=PER_ROW)
    assert "Against England 2025 (DfE), 13.0%: worse — Children's Social Work." in text
    assert "No comparator of the same group and year for Early Help or SEND 0-25, so no verdict." in text
    assert "Early Help is worse" not in text


@pytest.mark.parametrize(("values", "unit", "top"), [
    ([0.312, 0.05], "percent", 0.4), ([0.97, 0.2], "percent", 1.0), ([0.999], "percent", 1.0),
    ([1.3], "percent", 1.5),  # turnover above 100% is shown as it is
    ([372, 149, 52], "count", 400), ([17.5, 15.2], "cases", 20), ([], "count", 1.0), ([0, 0], "count", 1.0),
])
def test_axes_stop_just_above_the_data_and_never_past_100_percent_for_rates_below_it(values, unit, top):
    assert axis_max(values, unit) == pytest.approx(top)
    assert nice_ceiling(0.271) == pytest.approx(0.3)


def test_percentage_bar_axis_stops_at_100_percent():
    df = pd.DataFrame({"service_area": ["A", "B", "All"], "agency_rate": [0.97, 0.4, 0.8]})
    spec = charts.bar_by_group(df, AGENCY, reference=0.13).to_dict()
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    assert bars["encoding"]["x"]["axis"]["values"] == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1.0])  # ticks stop at 100%
    assert bars["encoding"]["x"]["axis"]["domain"] is False  # no axis line running on past them
    assert bars["encoding"]["x"]["scale"]["domain"][0] == 0
    # the scale itself runs on past 100% only as far as the "97.0% (worse)" label needs (see test_chart_fit)
    assert bars["encoding"]["x"]["scale"]["domain"][1]["expr"].count("max(1.0,") == 2


def test_funnel_axis_stops_at_a_round_number_above_the_largest_stage():
    df = pd.DataFrame({"stage": ["Applications", "Shortlisted", "Appointed"], "count": [372, 149, 44]})
    spec = charts.funnel(df).to_dict()
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    assert bars["encoding"]["x"]["axis"]["values"] == [0, 100, 200, 300, 400]  # the axis stops at 400
    assert bars["encoding"]["x"]["scale"]["domain"][1]["expr"].startswith("max(400.0,")  # the scale: room for labels
    assert bars["encoding"]["x"]["axis"]["format"] == ",.0f"


def test_histogram_count_axis_is_formatted_as_whole_numbers():
    df = pd.DataFrame({"band": ["1–5", "6–10"], "case_holders": [3, 12]})
    spec = charts.histogram(df, band="band", count="case_holders").to_dict()
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    assert bars["encoding"]["y"]["axis"]["format"] == ",.0f" and bars["encoding"]["y"]["axis"]["tickMinStep"] == 1
    assert bars["encoding"]["y"]["scale"]["domain"] == [0, 12]  # the largest band, a round number already


def test_threshold_bars_name_each_teams_standard_and_the_teams_without_one():
    df = pd.DataFrame({"team": ["Assessment", "Early Years", "Fostering"], "average_caseload": [18.0, 9.0, 14.0]})
    per_row = {"Assessment": ("England average 2025 (DfE)", 15.2), "Early Years": None,
               "Fostering": ("Local standard", 12.0)}
    spec = charts.threshold_bars(df, group="team", value="average_caseload", threshold=None, threshold_label="",
                                 value_title="Average caseload", per_row=per_row).to_dict()
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    rows = {r["team"]: r for r in data_of(spec, bars)}
    assert rows["Assessment"]["status"] == "above" and rows["Fostering"]["status"] == "above"
    assert rows["Early Years"]["status"] == "no standard" and rows["Early Years"]["label"] == "9.0 (no standard)"
    assert rows["Assessment"]["limit_text"] == "England average 2025 (DfE): 15.2"
    text = charts.describe_threshold(df, group="team", value="average_caseload", threshold=None, threshold_label="",
                                     label="Average caseload", per_row=per_row)
    assert "2 of 2 are above their standard" in text and "No standard for 1 of 3" in text
    # one standard for every team is one labelled line, never called "Threshold" when it is an average
    spec = charts.threshold_bars(df, group="team", value="average_caseload", threshold=15.2,
                                 threshold_label="England average 2025 (DfE)", value_title="Average caseload").to_dict()
    rules = [v for v in layers(spec) if mark(v) == "rule"]
    assert [r["text"] for r in data_of(spec, rules[0])] == ["England average 2025 (DfE): 15.2"]
    assert rules[0]["encoding"]["strokeDash"]["title"] == "Standard"
    rows = {r["team"]: r for r in data_of(spec, next(v for v in layers(spec) if mark(v) == "bar"))}
    assert rows["Early Years"]["label_at"] == 15.2 and rows["Assessment"]["label_at"] == 18.0  # labels past the line


def test_trend_ends_on_the_as_of_date_named_by_its_day_when_mid_month():
    dates = series_dates(dt.date(2026, 9, 29))
    df = pd.DataFrame({"month": dates, "value": [0.10 + 0.003 * i for i in range(24)]})
    spec = charts.trend(df, AGENCY, x="month", value="value").to_dict()
    line = next(v for v in layers(spec) if mark(v) == "line")
    rows = data_of(spec, line)
    assert rows[-1]["date"] == "2026-09-29" and rows[-2]["date"] == "2026-08-31"
    assert rows[-1]["when"] == "29 Sep 2026 (part of the month, to the as-of date)" and rows[-2]["when"] == "Aug 2026"
    assert rows[-1]["label"] == "16.9%"  # 0.10 + 0.003 × 23
    # drawn at their own months: 31 August at "Aug 2026" (not under "Sep"), the partial last point at Sep 2026
    assert line["encoding"]["x"]["timeUnit"] == "utcyearmonth"
    assert line["encoding"]["y"]["scale"]["domain"] == [0, 0.2]
    text = charts.describe_trend(df, AGENCY, x="month", value="value")
    assert text.endswith("to 16.9% on 29 September 2026 (part of the month) (+6.9 pts, worse).")
    month_end = charts.trend(pd.DataFrame({"month": series_dates(dt.date(2026, 8, 31)), "value": [0.1] * 24}),
                             AGENCY, x="month", value="value").to_dict()
    assert data_of(month_end, next(v for v in layers(month_end) if mark(v) == "line"))[-1]["when"] == "Aug 2026"
