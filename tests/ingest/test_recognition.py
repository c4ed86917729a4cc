"""Which table a sheet is taken for when its name gives no hint."""

from __future__ import annotations

import ingest


def test_staff_export_missing_one_column_is_offered_as_staff_not_summary() -> None:
    """Three staff columns matched beat a one-column summary match: the user is asked to map the rest."""
    data = b"Employee Number,Directorate,Job Title,Date Joined Council\nE1,Childrens,Social Worker,01/02/2020\n"
    result = ingest.load([("hr_export.csv", data)])
    assert "summary" not in result.tables
    [sheet] = result.unmatched
    assert sheet.table == "staff"
    assert "start_date" in sheet.missing_columns
    assert sheet.unmatched_headers == ["Date Joined Council"]


def test_establishment_sheet_without_a_name_hint_is_establishment() -> None:
    """Columns that fit establishment completely are not mistaken for a partial staff table."""
    data = b"Service Area,Team,Role,Funded FTE\nSEND 0-25,North,Caseworker,4\n"
    result = ingest.load([("posts.csv", data)])
    assert list(result.tables) == ["establishment"]
    assert result.tables["establishment"]["funded_fte"].tolist() == [4.0]


def test_the_header_row_is_the_one_with_the_most_known_headers():
    from ingest.header import find_header_row

    known = ["worker_id", "service_area", "role", "fte"]
    data = ["W1", "Children's Social Work", "Social Worker", "1"]
    assert find_header_row([known, data, data]) == 0  # every cell of the first row is a known header
    assert find_header_row([[], known, data]) == 1  # a blank row above it
    # a title row with a known word, then a header row with more: the header row, even when the title is wide
    title = ["Staff extract", "role", "", ""]
    assert find_header_row([title, known, data]) == 1
    # a first row of known headers that is narrower than a later one with more known headers
    assert find_header_row([["role", "fte"], known + ["grade"], data]) == 1
    # two rows equally good: the earlier
    assert find_header_row([known, known, data]) == 0
