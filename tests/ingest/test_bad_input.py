"""Every bad input of issue 2 / DATA.md: a clear message naming file, sheet, row and column; the rest still loads."""

from __future__ import annotations

import datetime as dt
import io
import os

import msoffcrypto.format.ooxml
import numpy as np
import xlsxwriter

import ingest
from ingest.model import Problem
from tests.ingest.conftest import GOOD, staff_rows, xlsx_bytes


def errors(result, severity: str = "error") -> list[Problem]:
    """Problems of one severity."""
    return [p for p in result.problems if p.severity == severity]


def one(result, text: str, severity: str | None = None) -> Problem:
    """The single problem whose message contains `text`."""
    found = [p for p in result.problems if text in p.message and (severity is None or p.severity == severity)]
    assert len(found) == 1, [p.message for p in result.problems]
    return found[0]


def load_staff(*rows: list, sheet: str = "Staff") -> ingest.LoadResult:
    """Load a one-sheet workbook of canonical staff headers plus `rows`."""
    return ingest.load([("staff.xlsx", xlsx_bytes({sheet: staff_rows(*rows)}))])


def test_random_bytes_named_xlsx():
    result = ingest.load([("staff.xlsx", np.random.default_rng(1).bytes(4000))])
    problem = one(result, "not a spreadsheet")
    assert problem.file == "staff.xlsx" and problem.severity == "error"
    assert not result.loaded_anything and result.tables == {}


def test_corrupt_workbook():
    good = xlsx_bytes({"Staff": staff_rows(GOOD)})
    result = ingest.load([("broken.xlsx", good[: len(good) // 2])])
    assert "damaged" in one(result, "cannot be read").message
    assert not result.loaded_anything


def test_password_protected_workbook():
    plain = io.BytesIO(xlsx_bytes({"Staff": staff_rows(GOOD)}))
    locked = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("secret", locked)
    result = ingest.load([("locked.xlsx", locked.getvalue())])
    problem = one(result, "password-protected")
    assert problem.file == "locked.xlsx" and problem.severity == "error"
    assert not result.loaded_anything


def test_minimal_ole_header_without_encryption_marker_is_not_a_traceback():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    result = ingest.load([("old.xlsx", data)])
    assert errors(result) and not result.loaded_anything


def test_empty_file():
    result = ingest.load([("staff.csv", b""), ("blank.csv", b"\n\n  \n")])
    assert [p.file for p in result.problems if "empty" in p.message] == ["staff.csv", "blank.csv"]
    assert not result.loaded_anything


def test_empty_sheet_is_reported_and_the_other_sheet_loads():
    data = xlsx_bytes({"Staff": staff_rows(GOOD), "Notes": []})
    result = ingest.load([("book.xlsx", data)])
    problem = one(result, "sheet is empty")
    assert problem.sheet == "Notes"
    assert len(result.tables["staff"]) == 1


def test_headers_on_row_3_under_a_title_block():
    rows = [["Shireford County Council: staff extract"], ["As at 31/03/2025"], *staff_rows(GOOD, ["W2", *GOOD[1:]])]
    result = ingest.load([("staff.xlsx", xlsx_bytes({"Staff": rows}))])
    staff = result.tables["staff"]
    assert list(staff["worker_id"]) == ["W1", "W2"]
    assert list(staff["source_row"]) == ["staff.xlsx › Staff row 4", "staff.xlsx › Staff row 5"]
    assert one(result, "Headers found on row 3").row == 3


def test_no_recognisable_columns():
    data = xlsx_bytes({"Sheet1": [["Colour", "Animal"], ["red", "cat"], ["blue", "dog"]]})
    result = ingest.load([("things.xlsx", data)])
    problem = one(result, "No recognisable columns")
    assert problem.sheet == "Sheet1"
    assert not result.loaded_anything
    [sheet] = result.unmatched
    assert sheet.table is None and sheet.unmatched_headers == ["Colour", "Animal"]
    assert list(sheet.preview.columns) == ["Colour", "Animal"] and len(sheet.preview) == 2


def test_staff_sheet_missing_required_columns_is_a_whole_table_problem():
    data = xlsx_bytes({"Staff": [["worker_id", "Team", "Mystery"], ["W1", "A", "x"]]})
    result = ingest.load([("staff.xlsx", data)])
    problem = one(result, "has no column for")
    assert problem.sheet == "Staff" and problem.row == 1
    assert "service_area" in problem.message and "role" in problem.message and "start_date" in problem.message
    [sheet] = result.unmatched
    assert sheet.table == "staff" and not sheet.loaded
    assert sheet.missing_columns == ["service_area", "role", "start_date"]
    assert sheet.unmatched_headers == ["Mystery"]
    assert "staff" not in result.tables


def test_text_in_fte():
    result = load_staff(GOOD, ["W2", *GOOD[1:4], "full time", *GOOD[5:]])
    problem = one(result, "FTE is not a number")
    assert (problem.sheet, problem.row, problem.column, problem.value) == ("Staff", 3, "fte", "full time")
    assert list(result.tables["staff"]["worker_id"]) == ["W1"]
    assert result.rows_set_aside == {"staff": 1}


def test_fte_zero_and_hours():
    result = load_staff(GOOD, ["W2", *GOOD[1:4], 0, *GOOD[5:]], ["W3", *GOOD[1:4], 37, *GOOD[5:]])
    zero = one(result, "more than 0")
    hours = one(result, "looks like hours, not FTE")
    assert (zero.row, zero.column, zero.value) == (3, "fte", "0")
    assert (hours.row, hours.column, hours.value) == (4, "fte", "37")
    assert result.rows_set_aside["staff"] == 2 and len(result.tables["staff"]) == 1


def test_end_date_before_start_date():
    row = ["W2", *GOOD[1:5], dt.date(2021, 5, 1), dt.date(2021, 4, 30)]
    result = load_staff(GOOD, row)
    problem = one(result, "End date is before the start date")
    assert (problem.sheet, problem.row, problem.column) == ("Staff", 3, "end_date")
    assert result.rows_set_aside["staff"] == 1


def test_unparseable_date_is_an_error_for_that_row():
    row = ["W2", *GOOD[1:5], "sometime in May", None]
    result = load_staff(GOOD, row)
    problem = one(result, "Date not recognised")
    assert (problem.row, problem.column, problem.value, problem.severity) == (
        3,
        "start_date",
        "sometime in May",
        "error",
    )
    assert list(result.tables["staff"]["worker_id"]) == ["W1"]


def test_start_date_in_the_future_is_loaded_with_a_warning():
    row = ["W2", *GOOD[1:5], dt.date.today() + dt.timedelta(days=60), None]  # an accepted offer: a real record
    result = load_staff(GOOD, row)
    problem = one(result, "Start date is in the future")
    assert (problem.severity, problem.row, problem.column) == ("warning", 3, "start_date")
    assert list(result.tables["staff"]["worker_id"]) == ["W1", "W2"]


def test_start_date_more_than_a_year_ahead_is_refused_naming_the_row():
    row = ["W2", *GOOD[1:5], dt.date(2099, 1, 4), None]
    result = load_staff(GOOD, row)
    problem = one(result, "more than a year in the future")
    assert (problem.severity, problem.row, problem.column) == ("error", 3, "start_date")
    assert list(result.tables["staff"]["worker_id"]) == ["W1"]


def test_duplicate_worker_id_and_start_date():
    result = load_staff(GOOD, ["W2", *GOOD[1:]], GOOD)
    problem = one(result, "Same worker_id and start_date")
    assert (problem.sheet, problem.row, problem.column) == ("Staff", 4, "worker_id + start_date")
    assert "first at row 2" in problem.value
    assert list(result.tables["staff"]["worker_id"]) == ["W1", "W2"]
    assert result.rows_set_aside["staff"] == 1


def test_duplicates_across_two_files_name_the_first_file():
    a = xlsx_bytes({"Staff": staff_rows(GOOD)})
    b = xlsx_bytes({"Staff": staff_rows(GOOD)})
    result = ingest.load([("a.xlsx", a), ("b.xlsx", b)])
    problem = one(result, "Same worker_id and start_date")
    assert problem.file == "b.xlsx" and "a.xlsx › Staff" in problem.value
    assert len(result.tables["staff"]) == 1


def test_unknown_worker_type():
    result = load_staff(GOOD, ["W2", *GOOD[1:3], "Volunteer-ish", *GOOD[4:]])
    problem = one(result, "Worker type not recognised")
    assert (problem.row, problem.column, problem.value) == (3, "worker_type", "Volunteer-ish")
    assert result.rows_set_aside["staff"] == 1


def test_formula_and_script_are_inert_text():
    rows = [
        ["worker_id", "service_area", "team", "role", "worker_type", "fte", "start_date"],
        ["W1", "CSW", '=HYPERLINK("http://evil.example","click")', "SW", "P", 1, dt.date(2020, 1, 6)],
        ["W2", "CSW", "<script>alert(1)</script>", "SW", "P", 1, dt.date(2020, 1, 6)],
        ["W3", "CSW", "'=1+1", "SW", "P", 1, dt.date(2020, 1, 6)],
    ]
    result = ingest.load([("staff.xlsx", xlsx_bytes({"Staff": rows}))])
    teams = list(result.tables["staff"]["team"])
    assert teams[0] == "cached"  # calamine gives the value Excel saved, never evaluates the formula
    assert teams[1] == "<script>alert(1)</script>"  # kept as text, exactly as typed
    assert teams[2] == "'=1+1"
    workforce = result.to_workforce()
    assert workforce.df("SELECT team FROM staff ORDER BY worker_id")["team"].tolist() == teams


def test_file_over_the_size_limit():
    result = ingest.load([("big.csv", b"worker_id\n" + b"x\n" * 600_000)], max_upload_mb=1)
    problem = one(result, "over the 1 MB upload limit")
    assert problem.file == "big.csv"
    assert not result.loaded_anything


def test_size_limit_comes_from_streamlit_config_and_applies_to_paths(tmp_path):
    assert ingest.MAX_UPLOAD_MB == 200
    huge = tmp_path / "huge.xlsx"
    with huge.open("wb") as handle:  # a sparse 201 MB file: nothing is read, the size alone refuses it
        handle.truncate(201 * 1024 * 1024)
    result = ingest.load([huge])
    assert "201.0 MB, over the 200 MB upload limit" in one(result, "upload limit").message
    assert os.path.getsize(huge) == 201 * 1024 * 1024


def test_merged_cells_are_filled_and_reported():
    rows = staff_rows(GOOD, ["W2", None, *GOOD[2:]], ["W3", None, *GOOD[2:]])
    merges = {"Staff": [(1, 1, 3, 1, "Children's Social Work")]}
    result = ingest.load([("staff.xlsx", xlsx_bytes({"Staff": rows}, merges))])
    assert list(result.tables["staff"]["service_area"]) == ["Children's Social Work"] * 3
    problem = one(result, "Merged cells")
    assert (problem.sheet, problem.row, problem.column, problem.value) == ("Staff", 2, "service_area", "B2:B4")


def test_optional_column_problems_blank_the_cell_and_keep_the_row():
    rows = [
        ["worker_id", "service_area", "role", "worker_type", "fte", "start_date", "annual_salary", "caseload"],
        ["W1", "CSW", "SW", "P", 1, dt.date(2020, 1, 6), -5, 12],
        ["W2", "CSW", "SW", "P", 1, dt.date(2020, 1, 6), "lots", 12.5],
    ]
    result = ingest.load([("staff.xlsx", xlsx_bytes({"Staff": rows}))])
    staff = result.tables["staff"]
    assert len(staff) == 2 and staff["annual_salary"].isna().all()
    assert one(result, "Negative number").row == 2
    assert one(result, "Not a number").row == 3
    assert one(result, "Not a whole number").column == "caseload"
    assert result.rows_set_aside["staff"] == 0


def test_blank_required_value_sets_the_row_aside():
    result = load_staff(GOOD, ["W2", None, *GOOD[2:]])
    problem = one(result, "service_area is blank")
    assert (problem.row, problem.column) == (3, "service_area")


def test_many_bad_rows_are_all_counted_but_listed_up_to_the_limit():
    rows = staff_rows(*[[f"W{i}", *GOOD[1:4], 37, *GOOD[5:]] for i in range(1203)])
    result = ingest.load([("staff.xlsx", xlsx_bytes({"Staff": rows}))])
    hours = [p for p in result.problems if "looks like hours" in p.message]
    assert len([p for p in hours if p.row is not None]) == 1000
    assert sum(p.count for p in hours) == 1203
    report = ingest.problem_report(result.problems)
    assert report.loc[report["message"].str.contains("looks like hours"), "count"].item() == 1203
    assert result.rows_set_aside["staff"] == 1203 and not result.loaded_anything


def test_a_tuple_of_bytes_and_the_rest_of_the_upload_still_load():
    good = xlsx_bytes({"Staff": staff_rows(GOOD)})
    result = ingest.load([("junk.xlsx", b"not a workbook at all"), ("staff.xlsx", good)])
    assert one(result, "not a spreadsheet").file == "junk.xlsx"
    assert len(result.tables["staff"]) == 1


def test_row_numbers_count_empty_rows_and_columns_above_and_left_of_the_table():
    rows = [[], [], [None, *staff_rows(GOOD)[0]], [None, *GOOD], [None, "W2", *GOOD[1:4], "NA", *GOOD[5:]]]
    result = ingest.load([("staff.xlsx", xlsx_bytes({"Staff": rows}))])
    assert result.tables["staff"]["source_row"].tolist() == ["staff.xlsx › Staff row 4"]
    problem = one(result, "FTE is not a number")
    assert (problem.row, problem.column, problem.value) == (5, "fte", "NA")


def test_csv_na_text_is_kept_as_text_not_blank():
    text = "worker_id,service_area,role,worker_type,fte,start_date,team\nW1,CSW,SW,P,1,2020-01-06,NA\n"
    result = ingest.load([("staff.csv", text.encode())])
    assert result.tables["staff"]["team"].tolist() == ["NA"]


def test_a_notes_sheet_is_skipped_not_offered_for_mapping():
    data = xlsx_bytes({"Read me": [["How to fill this in"], ["Put one row per worker."]], "Staff": staff_rows(GOOD)})
    result = ingest.load([("book.xlsx", data)])
    assert one(result, "does not look like a table").sheet == "Read me"
    assert result.unmatched == [] and len(result.tables["staff"]) == 1


def test_fte_just_above_the_limit_is_not_called_hours():
    result = load_staff(GOOD, ["W2", *GOOD[1:4], 1.6, *GOOD[5:]], ["W3", *GOOD[1:4], 150, *GOOD[5:]])
    assert [p.row for p in result.problems if "above 1.5" in p.message] == [3, 4]
    assert not [p for p in result.problems if "hours" in p.message]


def test_hidden_sheets_are_not_read():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    visible = book.add_worksheet("Staff")
    for r, row in enumerate(staff_rows(["W1", "CSW", "SW", "P", 1, "2020-01-06", None])):
        visible.write_row(r, 0, row)
    hidden = book.add_worksheet("Lookups")
    hidden.write_row(0, 0, ["Colour", "Animal"])
    hidden.hide()
    book.close()
    result = ingest.load([("book.xlsx", buffer.getvalue())])
    assert one(result, "Hidden sheet").sheet == "Lookups"
    assert result.unmatched == [] and len(result.tables["staff"]) == 1


def test_merged_cells_after_megabytes_of_rows_are_still_found():
    """Sheets are looked through for merges and formulas a megabyte at a time; merged cells at the end of a sheet
    far larger than a megabyte (Excel lists merges after all the rows) are found, filled and reported."""
    import zipfile

    filler = [[f"F{i}", *GOOD[1:]] for i in range(30_000)]
    rows = staff_rows(*filler, ["W2", None, *GOOD[2:]], ["W3", None, *GOOD[2:]])
    last = len(rows) - 1  # 0-based row of W3
    data = xlsx_bytes({"Staff": rows}, {"Staff": [(last - 2, 1, last, 1, "Children's Social Work")]})
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert len(sheet) > 3 << 20 and sheet.rindex(b"mergeCell") > len(sheet) - 2000
    result = ingest.load([("staff.xlsx", data)])
    assert list(result.tables["staff"]["service_area"].tail(3)) == ["Children's Social Work"] * 3
    assert one(result, "Merged cells").row == last - 1  # 1-based Excel row of the merge's first cell


def test_a_needle_split_between_two_pieces_is_found():
    import zipfile

    from ingest.readers import _mentions

    for method in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", method) as archive:
            archive.writestr("part.xml", b"x" * ((1 << 20) - 4) + b"mergeCell" + b"y" * 100)
        data = buffer.getvalue()
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert _mentions(archive, data, "part.xml", (b"<f", b"mergeCell"))
        assert not _mentions(archive, data, "part.xml", (b"<f", b"merged"))
