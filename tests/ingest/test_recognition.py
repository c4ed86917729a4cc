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
