"""reference.england: England's DfE values for figures, with no authority needed.

Expected values read by eye from data/reference/csww_indicators.csv (National rows).
"""

from __future__ import annotations

import pytest

import reference


def test_england_latest_year_values_by_eye():
    table = reference.england(["vacancy_rate", "agency_rate", "average_caseload"]).set_index("figure")
    # 2025 National row: vacancy_rate_fte 14.2, agency_rate_fte 13, caseload_fte 15.2
    assert set(table["year"]) == {2025} == {reference.latest_year()}
    assert table.loc["vacancy_rate", "england"] == pytest.approx(0.142)
    assert table.loc["agency_rate", "england"] == pytest.approx(0.130)
    assert table.loc["average_caseload", "england"] == pytest.approx(15.2)


def test_england_for_an_earlier_year_and_figures_the_dfe_does_not_publish_left_out():
    table = reference.england(["vacancy_rate", "salary_gap", "absence_rate"], year=2019).set_index("figure")
    assert list(table.index) == ["vacancy_rate", "absence_rate"]
    # 2019 National row by eye: vacancy_rate_fte 16.4, absence_rate_fte 3.1
    assert table.loc["vacancy_rate", "england"] == pytest.approx(0.164)
    assert table.loc["absence_rate", "england"] == pytest.approx(0.031)
    assert table.loc["vacancy_rate", "england_symbol"] is None


def test_england_agrees_with_the_authority_benchmarks():
    mine = reference.england(["turnover_rate"]).iloc[0]
    theirs = reference.latest_benchmarks("Leeds", ["turnover_rate"], year=reference.latest_year()).iloc[0]
    assert mine["england"] == pytest.approx(theirs["england"])
