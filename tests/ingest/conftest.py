"""Fixtures for ingest tests: small xlsx/csv files written in memory, and a private mapping store."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import xlsxwriter

STAFF_HEADERS = ["worker_id", "service_area", "role", "worker_type", "fte", "start_date", "end_date"]
TODAY = dt.date(2025, 3, 31)


@pytest.fixture(autouse=True)
def private_mappings(tmp_path, monkeypatch):
    """Every test gets its own remembered-mappings file (never the user's home directory)."""
    path = tmp_path / "mappings.json"
    monkeypatch.setenv("WORKFORCE_LENS_MAPPINGS", str(path))
    return path


def xlsx_bytes(sheets: dict[str, list[list]], merges: dict[str, list[tuple]] | None = None) -> bytes:
    """A workbook with one sheet per entry; rows are lists (None = empty cell, datetime/date = real Excel date).

    `merges` maps a sheet to (first_row, first_col, last_row, last_col, value) ranges (0-based, as xlsxwriter).
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
                    sheet.write_datetime(r, c, moment, date_format)
                elif isinstance(value, str) and value.startswith("="):
                    sheet.write_formula(r, c, value, None, "cached")
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write(r, c, value)
        for first_row, first_col, last_row, last_col, value in (merges or {}).get(name, []):
            sheet.merge_range(first_row, first_col, last_row, last_col, value)
    book.close()
    return buffer.getvalue()


def csv_bytes(rows: list[list], delimiter: str = ",", encoding: str = "utf-8", newline: str = "\n") -> bytes:
    """CSV text of `rows` (None = empty cell) in the given encoding."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue().encode(encoding)


def staff_rows(*rows: list) -> list[list]:
    """A header row of the canonical staff columns followed by `rows`."""
    return [STAFF_HEADERS, *[list(r) for r in rows]]


GOOD = ["W1", "Children's Social Work", "Social Worker", "Permanent", 1, dt.date(2020, 1, 6), None]
"""One valid staff row."""
