"""Real HR extracts with none of our column names become figures in one pass, with the figures checked by hand.

Fixtures are in the shapes real systems export:

- `fixtures/hris_extract.csv`: an HRIS export (Employee_Name, EmpID, Salary, Position, DateofHire,
  DateofTermination, TermReason, EmploymentStatus, Department, ...), US month-first dates, 12 people;
- an attrition-style export written here (Attrition Yes/No, MonthlyIncome, YearsAtCompany, JobRole), no dates.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import ingest
import metrics
from ingest import Mapping
from metrics.dates import default_as_of
from metrics.registry import Params
from tests.ingest.conftest import csv_bytes

HRIS = Path(__file__).parent / "fixtures" / "hris_extract.csv"
ASSUME = {"worker_type": "permanent", "fte": "1.0"}


def figures(result: ingest.LoadResult, *ids: str, as_of: str | None = None) -> pd.DataFrame:
    workforce = result.to_workforce(label="test")
    return metrics.compute(workforce, Params(as_of=as_of, figures=ids)).set_index("service_area")


def test_hris_headers_are_matched_and_status_is_not_a_worker_type():
    result = ingest.load([HRIS])
    matched = {m.header: m.column for m in result.plans[0].matches}
    assert matched["EmpID"] == "worker_id" and matched["Department"] == "service_area"
    assert matched["Position"] == "role" and matched["Salary"] == "annual_salary"
    assert matched["DateofHire"] == "start_date" and matched["DateofTermination"] == "end_date"
    assert matched["TermReason"] == "leaving_reason"
    assert matched["EmploymentStatus"] == "employment_status"  # never worker_type: 'Active' is not a worker type
    assert matched["Employee_Name"] is None and matched["DOB"] is None  # personal data never loaded
    assert [a.column for a in result.assumptions_needed] == ["worker_type", "fte"]
    assert result.rows_set_aside == {"staff": 0} and len(result.tables["staff"]) == 12
    assert result.needs_user  # two assumptions to answer: the page stays on the mapping step


def test_hris_extract_gives_the_hand_computed_figures():
    """In post at 12 Sep 2018 (the latest date): the 5 'Active' rows. Leavers in the 12 months to then:
    Athwal (12 Sep 2018) and Bachiochi (30 Aug 2018), both Children's Social Work. Turnover = 2 / 5."""
    result = ingest.load([HRIS], Mapping(assume=ASSUME))
    assert not result.needs_user
    workforce = result.to_workforce(label="HRIS")
    assert default_as_of(workforce) == dt.date(2018, 9, 12)  # the as-of date follows the data
    table = figures(result, "fte_in_post", "leavers_fte", "turnover_rate")
    assert table.loc["All", "fte_in_post"] == 5.0
    assert table.loc["All", "leavers_fte"] == 2.0
    assert table.loc["All", "turnover_rate"] == pytest.approx(0.4)
    assert table.loc["Children's Social Work", "fte_in_post"] == 2.0
    assert table.loc["Children's Social Work", "turnover_rate"] == pytest.approx(1.0)
    assert table.loc["Education Psychology", "fte_in_post"] == 2.0
    assert table.loc["SEND 0-25", "fte_in_post"] == 1.0
    notes = workforce.assumption_notes()
    assert any("permanent employee" in n for n in notes) and any("full time" in n for n in notes)


def test_hris_dates_are_read_month_first_and_said_so():
    result = ingest.load([HRIS], Mapping(assume=ASSUME))
    staff = result.tables["staff"].set_index("worker_id")
    assert staff.loc["10026", "start_date"] == pd.Timestamp(2011, 7, 5)  # 7/5/2011 is 5 July
    assert staff.loc["10084", "end_date"] == pd.Timestamp(2016, 6, 16)
    notes = [p for p in result.problems if "month-first" in p.message]
    assert {p.column for p in notes} == {"DateofHire (start_date)", "DateofTermination (end_date)"}


def test_hris_leaving_reasons_are_read_and_not_applicable_is_blank():
    result = ingest.load([HRIS], Mapping(assume=ASSUME))
    staff = result.tables["staff"].set_index("worker_id")
    assert staff.loc["10084", "leaving_reason"] == "resignation"  # 'career change'
    assert staff.loc["10252", "leaving_reason"] == "dismissal"  # 'performance'
    assert pd.isna(staff.loc["10026", "leaving_reason"])  # 'N/A-StillEmployed' is no reason at all
    assert not [p for p in result.problems if "Leaving reason not recognised" in p.message]


def test_years_at_company_mapped_as_start_date_is_refused_row_by_row_not_a_1900_crash():
    """The user maps a column of small numbers to start_date: each row is refused (pre-1950), named."""
    rows = [["EmpID", "Department", "JobRole", "YearsAtCompany"], ["1", "CSW", "SW", "3"], ["2", "CSW", "SW", "12"]]
    result = ingest.load([("people.csv", csv_bytes(rows))], {"YearsAtCompany": "start_date"})
    problems = [p for p in result.problems if "before 1950" in p.message]
    assert [p.row for p in problems] == [2, 3] and all(p.severity == "error" for p in problems)
    assert not result.loaded_anything


ATTRITION = [
    ["Age", "Attrition", "Department", "EmployeeNumber", "Gender", "JobRole", "MonthlyIncome", "StandardHours",
     "YearsAtCompany"],
    [41, "Yes", "Children's Social Work", 1, "Female", "Social Worker", 3000, 80, 6],
    [49, "No", "Children's Social Work", 2, "Male", "Social Worker", 3500, 80, 10],
    [37, "Yes", "SEND 0-25", 4, "Male", "Caseworker", 2000, 80, 0],
    [33, "No", "SEND 0-25", 5, "Female", "Caseworker", 2500, 80, 8],
    [27, "No", "Children's Social Work", 7, "Male", "Team Manager", 4000, 80, 2],
]
DERIVE = {**ASSUME, "start_date": "years", "annual_salary": "monthly", "leavers": "status+date",
          "extract_date": "2025-03-31"}


def test_attrition_export_needs_start_dates_and_offers_every_derivation():
    result = ingest.load([("attrition.csv", csv_bytes(ATTRITION))])
    [plan] = result.plans
    assert plan.missing == ["start_date"] and "staff" not in result.tables
    offers = {a.column: list(a.options) for a in result.assumptions_needed}
    assert offers == {"worker_type": ["permanent"], "fte": ["1.0"], "start_date": ["years"],
                      "annual_salary": ["monthly"], "leavers": ["status+date"]}


def test_attrition_export_with_derivations_gives_hand_computed_figures():
    """Extract date 31 March 2025. In post then: the three 'No' rows (3 FTE); leavers: the two 'Yes' rows,
    taken to have left on 31 March 2025. Turnover = 2 / 3. Annual salary = monthly × 12: the in-post
    employees' median is £42,000 (3,500 × 12; of 30,000, 42,000, 48,000)."""
    result = ingest.load([("attrition.csv", csv_bytes(ATTRITION))], Mapping(assume=DERIVE))
    staff = result.tables["staff"].set_index("worker_id")
    assert staff.loc["2", "start_date"] == pd.Timestamp(2015, 3, 31)  # 10 × 365.25 days back
    assert staff.loc["1", "end_date"] == pd.Timestamp(2025, 3, 31) and pd.isna(staff.loc["2", "end_date"])
    assert staff.loc["1", "annual_salary"] == 36000.0
    table = figures(result, "fte_in_post", "leavers_fte", "turnover_rate", "median_salary", as_of="2025-03-31")
    assert table.loc["All", "fte_in_post"] == 3.0 and table.loc["All", "leavers_fte"] == 2.0
    assert table.loc["All", "turnover_rate"] == pytest.approx(2 / 3)
    assert table.loc["All", "median_salary"] == 42000.0
    workforce = result.to_workforce(label="attrition")
    notes = " ".join(workforce.assumption_notes())
    assert "monthly pay × 12" in notes and "approximate" in notes and "31 March 2025" in notes


def test_fte_from_contracted_hours_with_a_configurable_week():
    rows = [["Person Number", "Service", "Job Title", "Contract", "Contracted Hours", "Start Date"],
            ["1", "CSW", "SW", "Permanent", "37", "2020-01-06"], ["2", "CSW", "SW", "Permanent", "18.5", "2020-01-06"],
            ["3", "CSW", "SW", "Permanent", "60", "2020-01-06"]]
    result = ingest.load([("hours.csv", csv_bytes(rows))], Mapping(assume={"fte": "hours"}))
    staff = result.tables["staff"].set_index("worker_id")
    assert staff.loc["1", "fte"] == 1.0 and staff.loc["2", "fte"] == 0.5
    [above] = [p for p in result.problems if "above 1.5" in p.message]  # 60 ÷ 37 = 1.62: still checked
    assert above.row == 4 and "Contracted Hours (fte" in above.column
    thirty_six = ingest.load([("hours.csv", csv_bytes(rows))], Mapping(assume={"fte": "hours", "standard_hours": "36"}))
    assert thirty_six.tables["staff"].set_index("worker_id").loc["2", "fte"] == pytest.approx(18.5 / 36)


def test_annual_salary_from_employees_hourly_pay_leaves_agency_rates_alone():
    rows = [["worker_id", "service_area", "role", "worker_type", "fte", "start_date", "hourly_rate"],
            ["1", "CSW", "SW", "permanent", "1", "2020-01-06", "20"],
            ["2", "CSW", "SW", "agency", "1", "2020-01-06", "45"]]
    result = ingest.load([("staff.csv", csv_bytes(rows))], Mapping(assume={"annual_salary": "hourly"}))
    staff = result.tables["staff"].set_index("worker_id")
    assert staff.loc["1", "annual_salary"] == 20 * 37 * 52 and pd.isna(staff.loc["2", "annual_salary"])
    assert staff.loc["2", "hourly_rate"] == 45.0


def test_status_without_leaving_date_is_set_aside_naming_the_row():
    rows = [["worker_id", "service_area", "role", "worker_type", "fte", "start_date", "end_date", "Status"],
            ["1", "CSW", "SW", "permanent", "1", "2020-01-06", "", "Resigned"],
            ["2", "CSW", "SW", "permanent", "1", "2020-01-06", "", "Active"]]
    result = ingest.load([("staff.csv", csv_bytes(rows))], Mapping(assume={"leavers": "status"}))
    [problem] = [p for p in result.problems if "no leaving date" in p.message]
    assert (problem.row, problem.severity) == (2, "error")
    assert result.tables["staff"]["worker_id"].tolist() == ["2"]


def test_an_unknown_status_can_be_mapped_to_a_meaning():
    rows = [["worker_id", "service_area", "role", "worker_type", "fte", "start_date", "Status"],
            ["1", "CSW", "SW", "permanent", "1", "2020-01-06", "Gone fishing"],
            ["2", "CSW", "SW", "permanent", "1", "2020-01-06", "Active"]]
    data = [("staff.csv", csv_bytes(rows))]
    first = ingest.load(data, Mapping(assume={"leavers": "status+date", "extract_date": "2024-03-31"}))
    assert [p.row for p in first.problems if "status not recognised" in p.message] == [2]
    assert first.needs_user
    mapped = Mapping(values={"employment_status": {"Gone fishing": "left (resignation)"}},
                     assume={"leavers": "status+date", "extract_date": "2024-03-31"})
    second = ingest.load(data, mapped).tables["staff"].set_index("worker_id")
    assert second.loc["1", "leaving_reason"] == "resignation" and second.loc["1", "end_date"] == pd.Timestamp(2024, 3, 31)


def test_which_figures_are_off_and_why_names_the_way_to_switch_them_on():
    """Without leaving dates (and without accepting leavers from the status), turnover is off, and the reason says
    how to switch it on; the figures the file can give are computed."""
    from metrics.availability import availability

    assume = {k: v for k, v in DERIVE.items() if k != "leavers"}
    result = ingest.load([("attrition.csv", csv_bytes(ATTRITION))], Mapping(assume=assume))
    workforce = result.to_workforce(label="attrition")
    reasons = availability(workforce)
    assert "status column" in reasons["turnover_rate"] and "leaving dates" in reasons["turnover_rate"]
    assert reasons["fte_in_post"] is None and reasons["median_salary"] is None
