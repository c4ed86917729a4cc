"""charts.compare: missing values are never plotted (as zero or otherwise), the chosen authority is named."""

from __future__ import annotations

import pandas as pd

import reference
from charts import compare as cc


def test_trend_data_drops_missing_years_and_breaks_the_line():
    s = reference.series("Kensington and Chelsea", "agency_rate")  # x from 2021 on
    data = cc.trend_data(s, "percent")
    mine = data[data["series"] == "Kensington and Chelsea"]
    assert sorted(mine["year"]) == [2017, 2018, 2019, 2020]
    assert data["value"].notna().all()
    text = cc.describe_benchmark_trend(s, "Agency rate", "percent")
    assert "Not plotted for 2021, 2022, 2023, 2024, 2025: x: unavailable" in text


def test_a_gap_in_the_middle_starts_a_new_segment():
    s = pd.DataFrame({"year": [2017, 2018, 2019, 2020], "series": "A", "role": "la",
                      "value": [0.1, None, 0.2, 0.3], "symbol": [None, "c", None, None], "note": ""})
    data = cc.trend_data(s, "percent")
    assert data["segment"].tolist() == ["A#0", "A#1", "A#1"]
    assert data["label"].tolist() == ["", "", "A: 30.0%"]


def test_hidden_roles_are_left_out_but_the_authority_stays():
    s = reference.series("Devon", "vacancy_rate")
    data = cc.trend_data(s, "percent", shown=["england"])
    assert set(data["role"]) == {"la", "england"}


def test_peer_bars_name_the_chosen_authority_and_show_symbols_in_words():
    p = reference.peers("Westminster", "agency_rate", 2025, "neighbours")
    spec = cc.peer_bars(p, "Agency rate", "percent", 0.13).to_dict()
    values = spec["datasets"][next(iter(spec["datasets"]))]
    chosen = [v for v in values if v.get("selected")]
    assert chosen and chosen[0]["label"] == "◆ Westminster (selected)" and chosen[0]["shown"] == "x: unavailable"
    assert chosen[0]["value"] is None
    assert "Westminster has no value (x: unavailable)" in cc.describe_peers(p, "Agency rate", "percent", "neighbours")


def test_tables_show_symbols_with_meaning():
    s = reference.series("Westminster", "vacancy_rate")
    table = cc.series_table(s, "percent")
    assert "x (unavailable)" in set(table["Value"])
    bench = cc.benchmarks_table(reference.latest_benchmarks("Devon", ["agency_rate"], 2023))
    assert bench["Devon"].iloc[0] == "31.6%" and bench["England"].iloc[0] == "17.9%" and bench["Band"].iloc[0] == "D"


def test_line_switches_name_the_roles_they_draw():
    from reference.url import LINES, line_roles

    assert line_roles(list(LINES)) == ["england", "region", "neighbours", "extra", "predecessor", "successor"]
    assert line_roles(["Region", "Predecessor / successor"]) == ["region", "predecessor", "successor"]
    assert line_roles(["No such line"]) == []


def test_england_of_reads_the_benchmark_table():
    bench = pd.DataFrame({"figure": ["vacancy_rate_fte", "agency_rate_fte"], "england": [0.17, None]})
    assert cc.england_of(bench, "vacancy_rate_fte") == 0.17
    assert cc.england_of(bench, "agency_rate_fte") is None  # no value: no rule drawn
    assert cc.england_of(bench, "turnover_rate_fte") is None
