"""The reference database: values read from the DfE file by eye, rates as fractions, symbols never zero, read-only."""

from __future__ import annotations

import duckdb
import pytest

import reference
from reference.store import REFERENCE_DIR, load_long, open_reference, query


def cell(area: str, year: int, measure: str, level: str = "Local authority") -> tuple[float | None, str | None]:
    row = query(
        "SELECT value, symbol FROM indicators WHERE area = ? AND year = ? AND measure = ? AND geographic_level = ?",
        [area, year, measure, level],
    )
    assert len(row) == 1, f"expected one cell for {area} {year} {measure}"
    value = row["value"].iloc[0]
    symbol = row["symbol"].iloc[0]
    return (None if value != value else float(value)), (symbol if isinstance(symbol, str) else None)


def test_hand_checked_agency_rates_2023_devon_south_west_england():
    # csww_indicators_2017_to_2025.csv, agency_rate_fte, 2023 rows read by eye:
    #   Devon 31.6, South West (Regional) 19.8, England (National) 17.9  -> fractions
    assert cell("Devon", 2023, "agency_rate_fte") == (pytest.approx(0.316), None)
    assert cell("South West", 2023, "agency_rate_fte", "Regional") == (pytest.approx(0.198), None)
    assert cell("England", 2023, "agency_rate_fte", "National") == (pytest.approx(0.179), None)
    bench = reference.latest_benchmarks("Devon", ["agency_rate"], year=2023).iloc[0]
    assert (bench["la_value"], bench["england"], bench["region"]) == pytest.approx((0.316, 0.179, 0.198))
    assert bench["region_name"] == "South West" and bench["year"] == 2023


def test_counts_are_not_scaled_but_rates_are():
    # Devon 2023 by eye: inpost_fte 313, vacancy_rate_fte 21.7, caseload_fte 16.7, absence_rate_fte 3
    assert cell("Devon", 2023, "inpost_fte")[0] == pytest.approx(313.0)
    assert cell("Devon", 2023, "vacancy_rate_fte")[0] == pytest.approx(0.217)
    assert cell("Devon", 2023, "caseload_fte")[0] == pytest.approx(16.7)
    assert cell("Devon", 2023, "absence_rate_fte")[0] == pytest.approx(0.03)


@pytest.mark.parametrize(
    ("area", "year", "measure", "symbol", "meaning"),
    [
        ("North Somerset", 2017, "absence_rate_fte", "c", "confidential"),
        ("Westminster", 2025, "vacancy_rate_fte", "x", "unavailable"),
        ("Isles of Scilly", 2023, "turnover_rate_fte", "z", "not applicable"),
        ("Cambridgeshire", 2023, "absence_rate_fte", "u", "low reliability"),
        ("Sunderland", 2023, "agency_rate_fte", "low", "rounds to zero"),
    ],
)
def test_every_symbol_is_null_with_its_meaning_never_zero(area, year, measure, symbol, meaning):
    value, found = cell(area, year, measure)
    assert value is None and found == symbol
    figure_id = {"absence_rate_fte": "absence_rate", "vacancy_rate_fte": "vacancy_rate",
                 "turnover_rate_fte": "turnover_rate", "agency_rate_fte": "agency_rate"}[measure]
    s = reference.series(area, figure_id)
    row = s[(s["role"] == "la") & (s["year"] == year)].iloc[0]
    assert row["value"] != row["value"]  # NaN, not 0
    assert row["symbol"] == symbol and meaning in row["note"]


def test_isles_of_scilly_zero_fte_is_a_real_zero():
    # 2023 by eye: inpost_fte 0 (a number, not a symbol) and agency_rate_fte 100
    assert cell("Isles of Scilly", 2023, "inpost_fte") == (0.0, None)
    assert cell("Isles of Scilly", 2023, "agency_rate_fte") == (pytest.approx(1.0), None)


def test_database_is_read_only():
    con = open_reference()
    with pytest.raises(duckdb.Error):
        con.cursor().execute("CREATE TABLE sneaky (a INTEGER)")
    assert open_reference() is con  # built once per process


def test_older_column_names_load_as_current_measures():
    # csww_headline_measures_2017_to_2022.csv, 2022 National row by eye: social_worker_fte 31634.1,
    # turnover_rate_fte_% 17.1, agency_worker_rate_fte_% 17.6
    con = duckdb.connect()
    load_long(con, REFERENCE_DIR / "csww_headline_measures_2017_to_2022.csv")
    got = dict(con.execute(
        "SELECT measure, value FROM indicators WHERE year = 2022 AND geographic_level = 'National' "
        "AND measure IN ('inpost_fte', 'turnover_rate_fte', 'agency_rate_fte')").fetchall())
    assert got == pytest.approx({"inpost_fte": 31634.1, "turnover_rate_fte": 0.171, "agency_rate_fte": 0.176})
    # the old file has no starters columns: blank, not zero
    starters = con.execute("SELECT count(value) FROM indicators WHERE measure = 'starters_fte'").fetchall()[0][0]
    assert starters == 0
