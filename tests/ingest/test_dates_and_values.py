"""Dates (real Excel dates, serials, ISO, UK, ambiguous, US) and value normalisation, through `load`."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pytest

import ingest
from ingest import normalise
from tests.ingest.conftest import csv_bytes, xlsx_bytes

HEAD = ["worker_id", "service_area", "role", "worker_type", "fte", "start_date"]


def starts(values: list, kind: str = "csv") -> tuple[list, ingest.LoadResult]:
    """Load a staff table whose start_date column holds `values`; the dates loaded and the result."""
    rows = [HEAD] + [[f"W{i}", "CSW", "SW", "Permanent", 1, v] for i, v in enumerate(values)]
    data = csv_bytes(rows) if kind == "csv" else xlsx_bytes({"Staff": rows})
    result = ingest.load([(f"staff.{kind}", data)])
    return [d.date() for d in pd.to_datetime(result.tables["staff"]["start_date"])], result


def test_real_excel_dates():
    loaded, _ = starts([dt.date(2024, 9, 30), dt.datetime(2023, 1, 2, 13, 5)], kind="xlsx")
    assert loaded == [dt.date(2024, 9, 30), dt.date(2023, 1, 2)]


def test_excel_serial_numbers():
    loaded, _ = starts([45565, 45000], kind="xlsx")
    assert loaded == [dt.date(2024, 9, 30), dt.date(2023, 3, 15)]


def test_iso_dates():
    loaded, result = starts(["2024-09-30", "2021-02-03"])
    assert loaded == [dt.date(2024, 9, 30), dt.date(2021, 2, 3)]
    assert not [p for p in result.problems if p.severity != "info"]


def test_uk_day_first_dates_disambiguated_by_other_rows_are_not_flagged():
    loaded, result = starts(["30/09/2024", "01/02/2024"])
    assert loaded == [dt.date(2024, 9, 30), dt.date(2024, 2, 1)]
    assert not [p for p in result.problems if "day-first" in p.message]


def test_ambiguous_dates_are_read_day_first_and_reported_naming_the_column():
    loaded, result = starts(["01/02/2024", "03/04/2024"])
    assert loaded == [dt.date(2024, 2, 1), dt.date(2024, 4, 3)]
    [problem] = [p for p in result.problems if "read day-first" in p.message]
    assert (problem.severity, problem.column, problem.file) == ("warning", "start_date", "staff.csv")
    assert problem.value == "01/02/2024"


def test_month_first_dates_are_read_month_first_only_when_the_values_prove_it():
    loaded, result = starts(["09/30/2024", "01/02/2024"])
    assert loaded == [dt.date(2024, 9, 30), dt.date(2024, 1, 2)]
    assert [p.column for p in result.problems if "month-first" in p.message] == ["start_date"]


def test_text_month_dates():
    loaded, _ = starts(["30 Sep 2024", "01-MAR-21"])
    assert loaded == [dt.date(2024, 9, 30), dt.date(2021, 3, 1)]


def test_impossible_date_is_an_error_naming_the_row():
    _, result = starts(["31/02/2024", "30/09/2024"])
    [problem] = [p for p in result.problems if "Date not recognised" in p.message]
    assert (problem.row, problem.column, problem.value) == (2, "start_date", "31/02/2024")
    assert result.rows_set_aside == {"staff": 1}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Permanent", "permanent"),
        ("Perm", "permanent"),
        ("P", "permanent"),
        ("  PERMANENT ", "permanent"),
        ("Agency", "agency"),
        ("Locum", "agency"),
        ("Interim", "agency"),
        ("Self-employed", "agency"),
        ("Contractor", "agency"),
        ("Fixed Term", "fixed_term"),
        ("FTC", "fixed_term"),
        ("Temporary", "fixed_term"),
        ("fixed-term", "fixed_term"),
        ("Apprentice", "apprentice"),
        ("Casual", "casual"),
        ("Bank", "casual"),
        ("Relief", "casual"),
    ],
)
def test_worker_type_spellings(text, expected):
    assert normalise.enum(pa.array([text]), "worker_type").values.to_pylist() == [expected]


@pytest.mark.parametrize(
    ("column", "text", "expected"),
    [
        ("gender", "M", "male"),
        ("gender", "Man", "male"),
        ("gender", "F", "female"),
        ("gender", "Woman", "female"),
        ("gender", "Prefer not to say", "not known"),
        ("gender", "Non-binary", "other"),
        ("leaving_reason", "Resigned", "resignation"),
        ("leaving_reason", "Voluntary Resignation", "resignation"),
        ("leaving_reason", "Retired", "retirement"),
        ("leaving_reason", "End of Fixed Term Contract", "end of contract"),
        ("leaving_reason", "Voluntary Redundancy", "redundancy"),
        ("leaving_reason", "Dismissed", "dismissal"),
        ("leaving_reason", "Left to work for an agency", "moved to agency work"),
        ("leaving_reason", "Internal transfer", "internal transfer"),
        ("leaving_reason", "Unknown", "not known"),
    ],
)
def test_gender_and_leaving_reason_spellings(column, text, expected):
    assert normalise.enum(pa.array([text]), column).values.to_pylist() == [expected]


def test_unknown_leaving_reason_loads_as_other_with_a_warning():
    rows = [
        HEAD + ["end_date", "leaving_reason"],
        ["W1", "CSW", "SW", "P", 1, "2020-01-01", "2024-01-01", "Won the lottery"],
    ]
    result = ingest.load([("staff.csv", csv_bytes(rows))])
    assert result.tables["staff"]["leaving_reason"].tolist() == ["other"]
    [problem] = [p for p in result.problems if "Leaving reason not recognised" in p.message]
    assert (problem.severity, problem.row, problem.value) == ("warning", 2, "Won the lottery")


def test_numbers_with_currency_and_thousands_separators():
    rows = [HEAD + ["annual_salary"], ["W1", "CSW", "SW", "P", "0.5", "2020-01-01", "£45,500"]]
    staff = ingest.load([("staff.csv", csv_bytes(rows))]).tables["staff"]
    assert staff["annual_salary"].tolist() == [45500.0] and staff["fte"].tolist() == [0.5]


def test_fte_percentages_are_read_as_fractions():
    rows = [HEAD, ["W1", "CSW", "SW", "P", "50%", "2020-01-01"], ["W2", "CSW", "SW", "P", "1", "2020-01-01"]]
    result = ingest.load([("staff.csv", csv_bytes(rows))])
    assert result.tables["staff"]["fte"].tolist() == [0.5, 1.0]
