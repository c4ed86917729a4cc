"""Plausibility checks: each named with its sheet, row and column, and counted; nothing dropped silently."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import numpy as np
import pytest
import xlsxwriter

import ingest
from tests.ingest.conftest import GOOD, csv_bytes, staff_rows, xlsx_bytes

HEAD = ["worker_id", "service_area", "role", "worker_type", "fte", "start_date"]


def problems(result, text: str):
    return [p for p in result.problems if text in p.message]


def test_numbers_and_pre_1950_values_in_a_date_column_are_refused_row_by_row():
    rows = [HEAD, ["W1", "CSW", "SW", "P", 1, 12], ["W2", "CSW", "SW", "P", 1, dt.date(1949, 12, 31)],
            ["W3", "CSW", "SW", "P", 1, dt.date(2020, 1, 6)]]
    result = ingest.load([("staff.xlsx", xlsx_bytes({"Staff": rows}))])
    early = problems(result, "before 1950")
    assert [(p.sheet, p.row, p.column, p.severity) for p in early] == [("Staff", 2, "start_date", "error"),
                                                                         ("Staff", 3, "start_date", "error")]
    assert result.tables["staff"]["worker_id"].tolist() == ["W3"]


def test_dates_far_ahead_refused_and_a_far_planned_end_read_as_in_post():
    ahead = dt.date.today() + dt.timedelta(days=400)
    rows = [[*HEAD, "end_date"], ["W1", "CSW", "SW", "P", 1, ahead, None],
            ["W2", "CSW", "SW", "P", 1, dt.date(2020, 1, 6), ahead]]
    result = ingest.load([("staff.xlsx", xlsx_bytes({"Staff": rows}))])
    [start] = problems(result, "more than a year in the future")
    assert (start.row, start.severity) == (2, "error")
    [end] = problems(result, "Leaving date more than a year ahead")
    assert (end.row, end.severity) == (3, "warning")
    staff = result.tables["staff"]
    assert staff["worker_id"].tolist() == ["W2"] and staff["end_date"].isna().all()


@pytest.mark.parametrize("text", ["2023-02-29", "2024-04-31", "29/02/2023", "31/04/2024"])
def test_impossible_calendar_dates_are_refused_not_rolled_on(text):
    rows = [HEAD, ["W1", "CSW", "SW", "P", "1", text], ["W2", "CSW", "SW", "P", "1", "2024-02-29"]]
    result = ingest.load([("staff.csv", csv_bytes(rows))])
    [problem] = problems(result, "Date not recognised")
    assert (problem.row, problem.value) == (2, text)
    assert result.tables["staff"]["start_date"].tolist() == [np.datetime64("2024-02-29")]


def test_pay_outside_5000_to_500000_a_year_and_absurd_numbers_are_blanked_and_named():
    rows = [[*HEAD, "annual_salary"], ["W1", "CSW", "SW", "P", "1", "2020-01-06", "2,450"],
            ["W2", "CSW", "SW", "P", "1", "2020-01-06", "1e300"], ["W3", "CSW", "SW", "P", "1", "2020-01-06", "41000"]]
    result = ingest.load([("staff.csv", csv_bytes(rows))])
    staff = result.tables["staff"].set_index("worker_id")
    assert np.isnan(staff.loc["W1", "annual_salary"]) and np.isnan(staff.loc["W2", "annual_salary"])
    assert staff.loc["W3", "annual_salary"] == 41000
    [low] = problems(result, "Not a plausible full-time annual salary")
    [absurd] = problems(result, "far too large")
    assert (low.row, low.column, low.severity) == (2, "annual_salary", "warning")
    assert (absurd.row, absurd.severity) == (3, "warning")
    assert result.rows_set_aside == {"staff": 0}  # optional column: the rows still load


def test_absurd_fte_is_refused():
    result = ingest.load([("staff.xlsx", xlsx_bytes({"Staff": staff_rows(GOOD, ["W2", *GOOD[1:4], 1e300, *GOOD[5:]])}))])
    assert [p.row for p in result.problems if p.severity == "error"] == [3]
    assert result.tables["staff"]["worker_id"].tolist() == ["W1"]


def test_decimal_comma_is_read_as_a_decimal_and_said_so():
    text = "worker_id;service_area;role;worker_type;fte;start_date\nW1;CSW;SW;P;1,0;2020-01-06\nW2;CSW;SW;P;0,5;2020-01-06\n"
    result = ingest.load([("staff.csv", text.encode())])
    assert result.tables["staff"]["fte"].tolist() == [1.0, 0.5]  # not 10 and 5
    [note] = problems(result, "decimal comma")
    assert note.column == "fte" and note.severity == "info" and "2 value(s)" in note.message


def test_summary_rates_outside_0_to_100_percent_and_turnover_over_100_are_flagged():
    rows = [["Service area", "FTE", "Leavers FTE", "Vacancy rate"], ["CSW", 20, 25, "140%"], ["SEND", 10, 2, "12%"]]
    result = ingest.load([("summary.csv", csv_bytes(rows))])
    summary = result.tables["summary"].set_index("service_area")
    assert np.isnan(summary.loc["CSW", "vacancy_rate"]) and summary.loc["SEND", "vacancy_rate"] == pytest.approx(0.12)
    [rate] = problems(result, "rate above 100%")
    [turnover] = problems(result, "turnover works out above 100%")
    assert (rate.row, rate.column) == (2, "Vacancy rate")
    assert (turnover.row, turnover.severity) == (2, "warning")


@pytest.mark.parametrize(
    ("name", "header", "row"),
    [
        ("establishment.csv", "service_area,funded_fte", lambda i: f"Area {i},{i}"),
        ("summary.csv", "service_area,period,fte", lambda i: f"Area {i},2024,{i}"),
        ("staff.csv", "worker_id,service_area,role,worker_type,fte,start_date", lambda i: f"W{i},CSW,SW,P,1,2020-01-06"),
    ],
)
def test_an_unbalanced_quote_is_named_and_no_line_is_lost(name, header, row):
    lines = [header] + [row(i) for i in range(1, 401)]
    first, rest = lines[5].split(",", 1)
    lines[5] = f'{first},"{rest}'  # an opening quote that never closes, on line 6
    result = ingest.load([(name, ("\n".join(lines) + "\n").encode())])
    [problem] = problems(result, "never closed")
    assert (problem.file, problem.row, problem.severity) == (name, 6, "warning")
    assert "395 line(s)" in problem.message
    [table] = result.tables.values()
    [count] = result.counts
    assert count.rows == 400 and count.loaded + count.set_aside == 400 and len(table) == count.loaded


def _workbook_with_unsaved_formulas() -> bytes:
    """An xlsx whose formula cells in fte and team have no saved value (as a program writes them, not Excel)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Staff")
    sheet.write_row(0, 0, ["worker_id", "service_area", "role", "worker_type", "fte", "start_date", "team"])
    sheet.write_row(1, 0, ["W1", "CSW", "SW", "Permanent", 1, "2020-01-06", "North"])
    sheet.write_row(2, 0, ["W2", "CSW", "SW", "Permanent"])
    sheet.write_formula(2, 4, "=18.5/37")
    sheet.write(2, 5, "2020-01-06")
    sheet.write_formula(2, 6, '="So"&"uth"')
    book.close()
    raw = io.BytesIO(buffer.getvalue())
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</f><v>0</v></c>", b"</f></c>")  # no saved value at all, as openpyxl writes
            dst.writestr(item, data)
    return out.getvalue()


def test_formula_cells_without_a_saved_value_are_named_in_every_column():
    result = ingest.load([("staff.xlsx", _workbook_with_unsaved_formulas())])
    found = problems(result, "formula that Excel has never worked out")
    assert sorted((p.row, p.column) for p in found) == [(3, "fte"), (3, "team")]
    [blank_fte] = problems(result, "fte is blank")
    assert blank_fte.row == 3  # the FTE cell had no value: the row is set aside, and said why above
    assert result.tables["staff"]["worker_id"].tolist() == ["W1"]


def test_xlsxwriter_placeholder_zero_counts_as_no_value():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Staff")
    sheet.write_row(0, 0, ["worker_id", "service_area", "role", "worker_type", "fte", "start_date"])
    sheet.write_row(1, 0, ["W1", "CSW", "SW", "Permanent"])
    sheet.write_formula(1, 4, "=37/37")  # XlsxWriter saves 0 and asks Excel to recalculate on opening
    sheet.write(1, 5, "2020-01-06")
    book.close()
    result = ingest.load([("staff.xlsx", buffer.getvalue())])
    [problem] = problems(result, "never worked out")
    assert (problem.row, problem.column) == (2, "fte")
    assert not problems(result, "FTE must be more than 0")  # not misreported as a zero FTE
