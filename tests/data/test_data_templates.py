"""The blank upload template: one sheet per canonical table, headers, notes and validation."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import fastexcel
import pytest

from data.templates import README_SHEET, build_template
from ingest.schema import TABLES

COMMITTED = Path(__file__).resolve().parents[2] / "data" / "templates" / "workforce_lens_template.xlsx"


@pytest.fixture(scope="module")
def template() -> bytes:
    return build_template()


def sheet_xml(workbook: bytes) -> dict[str, str]:
    """Each sheet's XML by sheet name, following workbook.xml and its relationships."""
    z = zipfile.ZipFile(io.BytesIO(workbook))
    book = z.read("xl/workbook.xml").decode()
    rels = z.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'<Relationship Id="(rId\d+)" Type="[^"]*/worksheet" Target="([^"]+)"', rels))
    sheets = re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"', book)
    return {name: z.read("xl/" + targets[rid]).decode() for name, rid in sheets}


def test_one_sheet_per_table_after_the_read_me(template):
    reader = fastexcel.read_excel(template)
    assert reader.sheet_names == [README_SHEET, *TABLES]


def test_header_rows_are_the_canonical_columns_and_nothing_else(template):
    reader = fastexcel.read_excel(template)
    for name, table in TABLES.items():
        sheet = reader.load_sheet(name)
        assert [c.name for c in sheet.available_columns()] == table.column_names, name
        assert sheet.height == 0, name  # blank below the header


def test_every_header_has_a_note_saying_whether_it_is_required(template):
    z = zipfile.ZipFile(io.BytesIO(template))
    notes = "".join(z.read(n).decode() for n in z.namelist() if re.fullmatch(r"xl/comments\d+\.xml", n))
    assert notes.count("<comment ") == sum(len(t.columns) for t in TABLES.values())
    assert notes.count("Required.") >= sum(len(t.required) for t in TABLES.values())
    assert "Required: at least one of funded_fte or vacancy_fte." in notes
    assert "Pseudonymised identifier" in notes  # the schema's description is the note


@pytest.mark.parametrize(("table", "column"), [("staff", "worker_type"), ("staff", "leaving_reason"), ("staff", "gender")])
def test_enumerated_columns_have_drop_down_lists_of_the_allowed_values(template, table, column):
    xml = sheet_xml(template)[table]
    letter = chr(ord("A") + TABLES[table].column_names.index(column))
    found = re.search(rf'<dataValidation type="list"[^>]*sqref="{letter}2:{letter}1048576"><formula1>"([^"]*)"', xml)
    assert found, column
    assert found.group(1).split(",") == list(TABLES[table].column(column).allowed)


def test_dates_and_numbers_have_simple_validation(template):
    xml = sheet_xml(template)["staff"]
    names = TABLES["staff"].column_names

    def rule(column: str) -> str:
        letter = chr(ord("A") + names.index(column))
        found = re.search(rf'<dataValidation type="(\w+)"[^>]*sqref="{letter}2:{letter}1048576"', xml)
        assert found, column
        return found.group(1)

    assert rule("start_date") == "date"
    assert rule("fte") == "decimal"
    assert rule("caseload") == "whole"
    assert re.search(r'error="FTE is a fraction of full time[^"]*"[^>]*><formula1>0.01</formula1><formula2>1.5<', xml)
    assert "<dataValidation" not in sheet_xml(template)[README_SHEET]


def test_read_me_explains_every_table(template):
    readme = fastexcel.read_excel(template).load_sheet(README_SHEET, header_row=None).to_pandas()
    text = " ".join(str(v) for v in readme.to_numpy().ravel())
    for name in TABLES:
        assert f"Sheet '{name}'" in text
    assert "Never put names" in text
    assert "• fte: " in text
    # everything sits in column A, so no row of the read-me looks like a table's header row to the uploader
    assert readme.shape[1] == 1


def test_committed_template_is_current(template):
    assert COMMITTED.read_bytes() == template, (
        "data/templates/workforce_lens_template.xlsx is out of date with ingest/schema.py: "
        "run python -m data.templates --out data/templates/workforce_lens_template.xlsx"
    )
