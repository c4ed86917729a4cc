"""CSV encodings and delimiters, header synonyms from HR systems, table recognition, mapping."""

from __future__ import annotations

import json

import pytest

import ingest
from ingest import mappings
from ingest.synonyms import column_lookup, norm_header
from tests.ingest.conftest import csv_bytes, xlsx_bytes

ROWS = [
    ["worker_id", "service_area", "role", "worker_type", "fte", "start_date"],
    ["W1", "Children’s Social Work", "Social Worker", "Permanent", "1", "2020-01-06"],
    ["W2", "Café Services £", "Team Manager", "Agency", "0.5", "2021-03-04"],
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings(encoding):
    result = ingest.load([("staff.csv", csv_bytes(ROWS, encoding=encoding))])
    assert result.tables["staff"]["service_area"].tolist() == ["Children’s Social Work", "Café Services £"]
    assert result.tables["staff"].columns[0] == "worker_id"  # the BOM is not part of the first header
    notes = [p.message for p in result.problems if "not UTF-8" in p.message]
    assert bool(notes) == (encoding == "cp1252")


def test_non_utf8_byte_far_into_a_large_file_is_still_detected():
    rows = [ROWS[0]] + [[f"W{i}", "CSW", "SW", "P", "1", "2020-01-06"] for i in range(40_000)] + [ROWS[2][:]]
    rows[-1][0] = "W-last"
    result = ingest.load([("staff.csv", csv_bytes(rows, encoding="cp1252"))])
    staff = result.tables["staff"]
    assert len(staff) == 40_001 and staff["service_area"].iloc[-1] == "Café Services £"


def test_semicolons_and_crlf():
    result = ingest.load([("staff.csv", csv_bytes(ROWS, delimiter=";", newline="\r\n"))])
    assert result.tables["staff"]["fte"].tolist() == [1.0, 0.5]
    assert any("semicolons" in p.message for p in result.problems)


def test_csv_title_block_blank_lines_and_short_rows_keep_line_numbers():
    text = (
        "Staff extract for committee\n\n"
        "worker_id,service_area,role,worker_type,fte,start_date,team\n"
        "W1,CSW,SW,P,1,2020-01-06,A\n\n"
        "W2,CSW,SW,P,37,2020-01-06\n"
    )
    result = ingest.load([("staff.csv", text.encode())])
    [problem] = [p for p in result.problems if "looks like hours" in p.message]
    assert (problem.file, problem.sheet, problem.row) == ("staff.csv", None, 6)
    assert result.tables["staff"]["source_row"].tolist() == ["staff.csv row 4"]


def test_blank_lines_in_a_regular_csv_are_counted_in_row_numbers():
    text = "worker_id,service_area,role,worker_type,fte,start_date\nW1,CSW,SW,P,1,2020-01-06\n\n\nW2,CSW,SW,P,0,2020-01-06\n"
    result = ingest.load([("staff.csv", text.encode())])
    assert [p.row for p in result.problems if "more than 0" in p.message] == [5]


ITRENT = [
    "Employee Number",
    "Directorate",
    "Job Title",
    "Contract Type",
    "FTE",
    "Start Date",
    "Leaving Date",
    "Reason for Leaving",
    "Basic Salary",
]
ORACLE = [
    "Person Number",
    "Service",
    "Position Title",
    "Employment Type",
    "WTE",
    "Hire Date",
    "Termination Date",
    "Annual Salary",
    "Sex",
]
ESR = [
    "Assignment Number",
    "Business Unit",
    "Position Title",
    "Assignment Category",
    "FTE",
    "Latest Hire Date",
    "Termination Date",
    "Leaving Reason",
    "Line Manager ID",
    "Sickness Days",
    "Cases",
    "Pay Rate",
]


@pytest.mark.parametrize("headers", [ITRENT, ORACLE, ESR], ids=["itrent", "oracle", "esr"])
def test_hr_system_headers_are_recognised(headers):
    values = {
        "worker_id": "E1",
        "service_area": "CSW",
        "role": "SW",
        "worker_type": "Perm",
        "fte": "1",
        "start_date": "2020-01-06",
        "end_date": "2024-02-01",
        "leaving_reason": "Resigned",
        "annual_salary": "40000",
        "gender": "F",
        "manager_id": "E9",
        "absence_days": "3",
        "caseload": "12",
        "hourly_rate": "40",
    }
    canon = [column_lookup("staff")[norm_header(h)][0] for h in headers]
    rows = [headers, [values[c] for c in canon]]
    result = ingest.load([("export.csv", csv_bytes(rows))])
    staff = result.tables["staff"]
    assert set(canon) <= set(staff.columns)
    assert result.unmatched == []
    assert staff["worker_type"].tolist() == ["permanent"]


def test_headers_match_case_and_punctuation_insensitively():
    rows = [
        ["EMPLOYEE-NO.", "directorate", "JOB_TITLE", "contract type", "f.t.e.", "Start date"],
        ["E1", "CSW", "SW", "P", "1", "2020-01-06"],
    ]
    result = ingest.load([("x.csv", csv_bytes(rows))])
    assert result.present_columns["staff"] == ["worker_id", "service_area", "role", "worker_type", "fte", "start_date"]


def test_table_recognised_by_sheet_name_and_by_columns():
    book = xlsx_bytes(
        {
            "Establishment": [["Service area", "Funded FTE"], ["CSW", 30]],
            "Sheet2": [["Role", "Market median salary", "Source"], ["Social Worker", 42000, "Survey"]],
            "Sheet3": [["Role", "Max hourly rate"], ["Social Worker", 41.5]],
        }
    )
    result = ingest.load([("book.xlsx", book)])
    assert set(result.tables) == {"establishment", "market_pay", "agency_caps"}
    assert result.tables["establishment"]["funded_fte"].tolist() == [30.0]


def test_establishment_needs_funded_or_vacancy_fte():
    book = xlsx_bytes({"Establishment": [["Service area", "Team"], ["CSW", "A"]]})
    result = ingest.load([("book.xlsx", book)])
    assert "funded_fte or vacancy_fte" in result.unmatched[0].missing_columns


def test_staff_without_worker_type_or_fte_needs_assumptions():
    rows = [["worker_id", "service_area", "role", "start_date"], ["W1", "CSW", "SW", "2020-01-06"]]
    result = ingest.load([("staff.csv", csv_bytes(rows))])
    assert [(a.column, list(a.options)) for a in result.assumptions_needed] == [
        ("worker_type", ["permanent"]),
        ("fte", ["1.0"]),
    ]
    plain = result.to_workforce()
    assert plain.df("SELECT worker_type, fte FROM staff").isna().all(axis=None)
    assert plain.assumptions == {} and not plain.has_column("staff", "fte")
    assumed = result.to_workforce({"worker_type": "permanent", "fte": "1.0"}, label="Mine")
    assert assumed.df("SELECT worker_type, fte FROM staff").iloc[0].tolist() == ["permanent", 1.0]
    assert assumed.assumptions == {"worker_type": "permanent", "fte": "1.0"}
    assert assumed.has_column("staff", "fte") and assumed.label == "Mine"
    assert len(assumed.assumption_notes()) == 2


def test_to_workforce_writes_typed_duckdb_tables():
    result = ingest.load([("staff.csv", csv_bytes(ROWS))])
    workforce = result.to_workforce()
    types = dict(
        workforce.con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name='staff'").fetchall()
    )
    assert (types["start_date"], types["fte"], types["caseload"], types["source_row"]) == (
        "DATE",
        "DOUBLE",
        "BIGINT",
        "VARCHAR",
    )
    assert workforce.rows_set_aside == {"staff": 0}
    assert "caseload" in workforce.missing_columns["staff"]


def test_user_mapping_is_applied_before_synonyms_and_nothing_is_written_to_disk(private_mappings):
    rows = [
        ["Ref", "Cost centre X", "Post", "Kind", "Hours ratio", "Began"],
        ["W1", "CSW", "SW", "P", "1", "2020-01-06"],
    ]
    first = ingest.load([("s.csv", csv_bytes(rows))])
    assert "staff" not in first.tables
    [sheet] = first.unmatched
    assert {"Cost centre X", "Kind", "Hours ratio", "Began"} <= set(sheet.unmatched_headers)
    mapping = {"Cost centre X": "service_area", "Kind": "worker_type", "Hours ratio": "fte", "Began": "start_date"}
    second = ingest.load([("s.csv", csv_bytes(rows))], mapping=mapping, remember=True)
    assert second.tables["staff"]["service_area"].tolist() == ["CSW"]
    assert not private_mappings.exists()  # mappings belong to the user: no server-side library unless turned on
    assert mappings.recall(rows[0]) == {}
    third = ingest.load([("s.csv", csv_bytes(rows))])  # nothing remembered: asks again
    assert "staff" not in third.tables


def test_server_library_only_when_an_administrator_turns_it_on(private_mappings, monkeypatch):
    rows = [["Ref", "Cost centre X", "Post", "Kind", "Hours ratio", "Began"], ["W1", "CSW", "SW", "P", "1", "2020-01-06"]]
    mapping = {"Cost centre X": "service_area", "Kind": "worker_type", "Hours ratio": "fte", "Began": "start_date"}
    monkeypatch.setattr(mappings, "library_enabled", lambda: True)
    ingest.load([("s.csv", csv_bytes(rows))], mapping=mapping, remember=True)
    stored = json.loads(private_mappings.read_text())
    assert "CSW" not in json.dumps(stored)  # headers and choices only, never data
    assert mappings.recall(rows[0]) == mapping
    again = ingest.load([("s.csv", csv_bytes(rows))])  # recalled automatically
    assert again.tables["staff"]["start_date"].notna().all()
    assert mappings.recall(["b-C", "a"]) == {}
    mappings.remember(["A", "B c"], {"A": "worker_id"})
    assert mappings.recall(["b-C", "a"]) == {"A": "worker_id"}  # order, case and punctuation do not matter


def test_user_can_ignore_a_header():
    rows = [["worker_id", "service_area", "role", "start_date", "Mystery"], ["W1", "CSW", "SW", "2020-01-06", "x"]]
    result = ingest.load([("s.csv", csv_bytes(rows))], mapping={"Mystery": ""})
    assert result.unmatched == []


def test_assumption_fills_only_the_sheets_without_the_column():
    with_type = [
        ["worker_id", "service_area", "role", "start_date", "worker_type"],
        ["W1", "CSW", "SW", "2020-01-06", "Agency"],
    ]
    without = [["worker_id", "service_area", "role", "start_date"], ["W2", "CSW", "SW", "2020-01-06"]]
    result = ingest.load([("a.csv", csv_bytes(with_type)), ("b.csv", csv_bytes(without))])
    assert [a.column for a in result.assumptions_needed] == ["worker_type", "fte"]
    workforce = result.to_workforce({"worker_type": "permanent"})
    got = workforce.df("SELECT worker_id, worker_type FROM staff ORDER BY worker_id")["worker_type"].tolist()
    assert got == ["agency", "permanent"]


def test_quoted_line_breaks_keep_exact_line_numbers():
    text = 'worker_id,service_area,role,worker_type,fte,start_date,team\nW1,CSW,SW,P,1,2020-01-06,"two\nlines"\nW2,CSW,SW,P,37,2020-01-06,x\n'
    result = ingest.load([("staff.csv", text.encode())])
    assert result.tables["staff"]["team"].tolist() == ["two\nlines"]
    assert [p.row for p in result.problems if "looks like hours" in p.message] == [4]
