"""The DfE children's social work workforce files load unchanged as `summary`, symbols kept, never zero."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ingest
from ingest.schema import SUMMARY_NUMBERS
from tests.ingest.conftest import csv_bytes, xlsx_bytes

FILES = {
    "csww_indicators_2017_to_2025.csv": 1463,
    "csww_indicators_2017_to_2023_vintage2024.csv": 1137,
    "csww_headline_measures_2017_to_2022.csv": 978,
}
COPY = Path(__file__).resolve().parents[2] / "data" / "reference"


def reference_file(name: str) -> Path:
    """The DfE file as the project ships it (data/reference/, copied unchanged from the DfE release)."""
    return COPY / name


@pytest.fixture(scope="module")
def loaded() -> dict[str, ingest.LoadResult]:
    return {name: ingest.load([reference_file(name)]) for name in FILES}


@pytest.mark.parametrize("name", list(FILES))
def test_every_row_loads_as_summary(loaded, name):
    result = loaded[name]
    summary = result.tables["summary"]
    assert len(summary) == FILES[name] and result.rows_set_aside == {"summary": 0}
    assert [p for p in result.problems if p.severity != "info"] == []
    assert result.unmatched == []
    assert summary["service_area"].notna().all()
    assert not summary.duplicated(["service_area", "period", "geographic_level"]).any()


@pytest.mark.parametrize("name", list(FILES))
def test_region_and_england_rows_are_named(loaded, name):
    summary = loaded[name].tables["summary"]
    national = summary[summary["geographic_level"] == "National"]
    assert set(national["service_area"]) == {"England"}
    regional = summary[summary["geographic_level"] == "Regional"]
    assert (regional["service_area"] == regional["region"]).all() and "North East" in set(regional["service_area"])


def test_2025_values_and_rates_as_fractions(loaded):
    summary = loaded["csww_indicators_2017_to_2025.csv"].tables["summary"]
    england = summary[(summary["service_area"] == "England") & (summary["period"] == "2025")].iloc[0]
    assert england["fte"] == pytest.approx(36186.3)
    assert england["agency_rate"] == pytest.approx(0.13)
    assert england["vacancy_rate"] == pytest.approx(0.142)
    assert england["turnover_rate"] == pytest.approx(0.118)
    assert england["caseload"] == pytest.approx(15.2)
    assert england["cases"] == pytest.approx(321661)
    assert pd.isna(england["area_code"]) and england["geographic_level"] == "National"


def test_symbols_are_null_with_the_symbol_beside_them(loaded):
    summary = loaded["csww_indicators_2017_to_2025.csv"].tables["summary"]
    kc = summary[(summary["service_area"] == "Kensington and Chelsea") & (summary["period"] == "2025")].iloc[0]
    assert np.isnan(kc["fte"]) and kc["fte_symbol"] == "x"
    sunderland = summary[(summary["service_area"] == "Sunderland") & (summary["period"] == "2025")].iloc[0]
    assert np.isnan(sunderland["agency_rate"]) and sunderland["agency_rate_symbol"] == "low"
    for column in ("working_days_lost", "absence_rate"):
        assert set(summary[f"{column}_symbol"].dropna()) >= {"c", "x", "z"}
        flagged = summary[f"{column}_symbol"].notna()
        assert summary.loc[flagged, column].isna().all()  # never zero


def test_older_release_names_and_percent_columns(loaded):
    summary = loaded["csww_headline_measures_2017_to_2022.csv"].tables["summary"]
    england = summary[(summary["service_area"] == "England") & (summary["period"] == "2022")].iloc[0]
    assert england["fte"] == pytest.approx(31634.1)  # social_worker_fte
    assert england["leavers_fte"] == pytest.approx(5422)  # leaver_fte
    assert england["turnover_rate"] == pytest.approx(0.171)  # turnover_rate_fte_%
    assert england["agency_rate"] == pytest.approx(0.176)  # agency_worker_rate_fte_%
    assert england["headcount"] == pytest.approx(33689)  # social_worker_headcount
    assert summary["fte_symbol"].dropna().eq("z").all()


def test_summary_loads_into_duckdb_with_symbol_columns(loaded):
    workforce = loaded["csww_indicators_2017_to_2025.csv"].to_workforce(label="DfE")
    columns = {
        r[0]
        for r in workforce.con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name='summary'").fetchall()
    }
    assert {f"{c}_symbol" for c in SUMMARY_NUMBERS} <= columns
    n = workforce.df("SELECT count(*) AS n FROM summary WHERE fte_symbol = 'x' AND fte IS NULL")["n"].item()
    assert n == 2


def test_committee_paper_summary_with_percentages_and_symbols():
    rows = [["Service area", "FTE", "Vacancy rate", "Agency rate"], ["CSW", 245, "12%", 30], ["EP", 24, "c", 0]]
    result = ingest.load([("committee.xlsx", xlsx_bytes({"Summary": rows}))])
    summary = result.tables["summary"]
    assert summary["vacancy_rate"].tolist()[0] == pytest.approx(0.12)
    assert np.isnan(summary["vacancy_rate"].tolist()[1])
    assert (
        summary["vacancy_rate_symbol"].isna().tolist() == [True, False]
        and summary["vacancy_rate_symbol"].iloc[1] == "c"
    )
    assert summary["agency_rate"].tolist() == pytest.approx([0.30, 0.0])
    notes = [p for p in result.problems if "percentage" in p.message]
    assert {p.column for p in notes} == {"Vacancy rate", "Agency rate"}
    assert {p.severity for p in notes} == {"info"}


def test_fractions_stay_fractions():
    rows = [["service_area", "fte", "agency_rate"], ["CSW", 10, 0.25], ["EP", 5, 1]]
    summary = ingest.load([("summary.csv", csv_bytes(rows))]).tables["summary"]
    assert summary["agency_rate"].tolist() == [0.25, 1.0]


def test_two_releases_together_keep_one_row_per_area_and_period():
    result = ingest.load(
        [
            reference_file("csww_indicators_2017_to_2025.csv"),
            reference_file("csww_indicators_2017_to_2023_vintage2024.csv"),
        ]
    )
    summary = result.tables["summary"]
    assert len(summary) == FILES["csww_indicators_2017_to_2025.csv"]  # every 2017-2023 row of the older release repeats
    assert result.rows_set_aside["summary"] == FILES["csww_indicators_2017_to_2023_vintage2024.csv"]
    problem = next(p for p in result.problems if "Same area and period" in p.message)
    assert problem.file == "csww_indicators_2017_to_2023_vintage2024.csv" and problem.row == 2
