"""Header matching that survives real exports: normalised, fuzzy, checked against the values, each with its reason."""

from __future__ import annotations

import pyarrow as pa
import pytest

import ingest
from ingest.match import (
    HOW_CANONICAL,
    HOW_EXACT,
    HOW_FUZZY,
    HOW_IGNORED,
    HOW_NONE,
    HOW_NORMALISED,
    HOW_REFUSED,
    HOW_TAKEN,
    HOW_UNSET,
    HOW_USER,
    HOW_VALUES,
    Sample,
    candidates,
    check_values,
    header_words,
    match_sheet,
    sample_column,
)
from tests.ingest.conftest import csv_bytes


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("DateofHire", ("date", "of", "hire")),
        ("DateofTermination", ("date", "of", "termination")),
        ("EmpID", ("employee", "id")),
        ("TermReason", ("termination", "reason")),
        ("Annual Salary (FTE)", ("annual", "salary")),
        ("Salary £", ("salary",)),
        ("MonthlyIncome", ("monthly", "income")),
        ("YearsAtCompany", ("years", "at", "company")),
        ("JobRole", ("job", "role")),
        ("Employee_Name", ("employee", "name")),
        ("Dept No.", ("department", "number")),
    ],
)
def test_header_words_split_camel_case_joined_words_and_drop_units(header, words):
    assert header_words(header) == words


@pytest.mark.parametrize(
    ("header", "column", "how"),
    [
        ("start_date", "start_date", HOW_CANONICAL),
        ("Hire Date", "start_date", HOW_EXACT),
        ("DateofHire", "start_date", HOW_EXACT),  # 'date of hire' is a listed synonym
        ("Hire date of employee", None, None),  # extra words: no stage matches it
        ("Date Hired", None, None),
        ("TermReason", "leaving_reason", HOW_NORMALISED),  # term → termination, then 'termination reason'
        ("Annual Salary (FTE)", "annual_salary", HOW_NORMALISED),  # the bracket is dropped
        ("Salary £", "annual_salary", HOW_EXACT),
        ("Organisation name", "service_area", HOW_EXACT),
        ("Leaving Reasons", "leaving_reason", HOW_FUZZY),  # a plural: close enough
        ("JobRole", "role", HOW_EXACT),
        ("MonthlyIncome", "monthly_pay", HOW_EXACT),
        ("YearsAtCompany", "years_of_service", HOW_EXACT),
        ("Position ID", None, None),  # an identifier of a position is not the position
        ("DeptID", None, None),
    ],
)
def test_candidates_from_the_header_alone(header, column, how):
    found = candidates(header, "staff")
    if column is None:
        assert found == [] or found[0].column != "role" and found[0].column != "service_area"
        return
    assert (found[0].column, found[0].how) == (column, how)


def test_fuzzy_match_carries_its_score():
    [best, *_] = candidates("Leaving Reasons", "staff")
    assert best.how == HOW_FUZZY and 92 <= best.score < 100  # 'leaving reasons' vs 'leaving reason': 96.6
    assert "similarity 97%" in best.reason("Leaving Reasons")


def _sample(*values: str) -> Sample:
    return sample_column(pa.array(list(values), pa.string()))


def test_status_words_are_not_worker_types():
    verdict = check_values("worker_type", "staff", "EmploymentStatus",
                           _sample("Active", "Active", "Voluntarily Terminated", "Terminated for Cause"))
    assert not verdict.ok and verdict.better == "employment_status"
    assert "in post or have left" in verdict.reason


def test_small_numbers_are_not_dates():
    verdict = check_values("start_date", "staff", "YearsAtCompany", _sample("3", "12", "40", "1", "7"))
    assert not verdict.ok and "small numbers" in verdict.reason and verdict.better == "years_of_service"


def test_monthly_pay_is_not_an_annual_salary_and_hours_are_not_fte():
    monthly = check_values("annual_salary", "staff", "Salary", _sample("2500", "3100", "2875"))
    assert not monthly.ok and monthly.better == "monthly_pay"
    hours = check_values("fte", "staff", "FTE", _sample("37", "18.5", "37", "22.2"))
    assert not hours.ok and hours.better == "contracted_hours"
    percent = check_values("fte", "staff", "FTE", _sample("100", "100", "50", "100"))
    assert percent.ok  # FTE as a percentage of full time, not hours


def test_real_dates_and_real_types_pass():
    assert check_values("start_date", "staff", "Hire date", _sample("2020-01-06", "30/09/2024", "45565")).ok
    assert check_values("worker_type", "staff", "Contract", _sample("Permanent", "Agency", "Fixed term")).ok


HEADERS = ["EmpID", "Department", "Position", "EmploymentStatus", "DateofHire", "YearsAtCompany", "Favourite colour"]
VALUES = [
    ["1", "2", "3", "4"],
    ["CSW", "CSW", "SEND", "SEND"],
    ["SW", "SW", "TM", "SW"],
    ["Active", "Voluntarily Terminated", "Active", "Active"],
    ["7/5/2011", "3/30/2015", "1/7/2008", "9/30/2013"],
    ["3", "12", "40", "1"],
    ["red", "blue", "red", "green"],
]
SAMPLES = [_sample(*v) for v in VALUES]


def test_match_sheet_gives_every_header_a_match_and_a_reason():
    matches = {m.header: m for m in match_sheet(HEADERS, SAMPLES, "staff", {})}
    assert list(matches) == HEADERS
    assert matches["EmpID"].column == "worker_id"
    assert matches["EmploymentStatus"].column == "employment_status"  # not worker_type: its values say so
    assert matches["DateofHire"].column == "start_date"
    assert matches["YearsAtCompany"].column == "years_of_service"
    assert matches["Favourite colour"].how == HOW_NONE and matches["Favourite colour"].column is None
    assert all(m.reason for m in matches.values())
    assert matches["Department"].examples[:2] == ("CSW", "SEND")


def test_user_choice_wins_and_an_empty_choice_unsets():
    user = {"yearsatcompany": "start_date", "department": ""}
    matches = {m.header: m for m in match_sheet(HEADERS, SAMPLES, "staff", user)}
    assert (matches["YearsAtCompany"].column, matches["YearsAtCompany"].how) == ("start_date", HOW_USER)
    assert (matches["Department"].column, matches["Department"].how) == (None, HOW_UNSET)


def test_a_refused_match_is_offered_with_its_reason():
    headers = ["Hire Date", "worker_id"]
    samples = [_sample("3", "12", "40"), _sample("a", "b", "c")]
    [start, _] = match_sheet(headers, samples, "staff", {})
    assert start.column is None and start.how == HOW_REFUSED  # "Hire Date" is a synonym; its values are not dates
    assert start.offered == "years_of_service" and "small numbers" in start.reason


def test_canonical_name_is_taken_whatever_the_values():
    [fte] = match_sheet(["fte"], [_sample("37", "37", "18.5")], "staff", {})
    assert fte.column == "fte" and fte.how == HOW_CANONICAL  # the rows are then checked one by one


def test_second_header_for_a_taken_column_is_left_with_the_reason():
    matches = match_sheet(["Employee Number", "Person Number"], [_sample("1"), _sample("2")], "staff", {})
    assert matches[0].column == "worker_id"
    assert (matches[1].column, matches[1].how, matches[1].offered) == (None, HOW_TAKEN, "worker_id")


def test_personal_data_is_never_loaded():
    [name] = match_sheet(["Employee_Name"], [_sample("Smith, Ann")], "staff", {})
    assert name.column is None and name.how == HOW_IGNORED and "never loaded" in name.reason


def test_value_check_finds_an_unnamed_worker_type_column():
    headers = ["worker_id", "Kind"]
    samples = [_sample("1", "2", "3"), _sample("Permanent", "Agency", "Permanent")]
    kind = match_sheet(headers, samples, "staff", {})[1]
    assert (kind.column, kind.how) == ("worker_type", HOW_VALUES) and "Permanent" in kind.reason


def test_unrecognised_headers_from_real_exports_load():
    rows = [
        ["EmpID", "Organisation name", "JobRole", "Contract", "WTE", "DateofHire", "Annual Salary (FTE)"],
        ["E1", "Children's Social Work", "Social Worker", "Permanent", "1", "2020-01-06", "£41,000"],
    ]
    result = ingest.load([("export.csv", csv_bytes(rows))])
    staff = result.tables["staff"]
    assert staff["annual_salary"].tolist() == [41000.0]  # the salary gap is no longer blank
    assert staff["role"].tolist() == ["Social Worker"] and staff["service_area"].tolist() == ["Children's Social Work"]
    assert result.unmatched == []
