"""The upload template, downloaded and filled in as HR would (rows typed under its headers), uploads to the same
staff voice figures as the hand-computed ones (tests/metrics/test_voice_figures.py)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from xml.sax.saxutils import escape

import pandas as pd
import pytest

import ingest
from data.templates import build_template
from ingest.readers import excel_letters
from ingest.schema import GROUP_TYPES, SURVEY_THEMES, TABLES
from metrics import Params
from metrics.views import VIEWS
from tests.metrics import voice_fixtures
from tests.metrics.test_voice_figures import WHOLE_COUNCIL

EXCEL_EPOCH = dt.date(1899, 12, 30)


def _sheet_paths(workbook: zipfile.ZipFile) -> dict[str, str]:
    book = workbook.read("xl/workbook.xml").decode()
    rels = workbook.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'<Relationship Id="(rId\d+)" Type="[^"]*/worksheet" Target="([^"]+)"', rels))
    return {name: "xl/" + targets[rid] for name, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"',
                                                                   book)}


def _cell(ref: str, value: object, date_style: str) -> str:
    """One typed cell: text inline, numbers as numbers, dates as Excel dates in the template's date format."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{date_style}"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def fill(template: bytes, rows_by_sheet: dict[str, list[dict]]) -> bytes:
    """The template with rows typed under the headers of the named sheets (everything else left as it was)."""
    source = zipfile.ZipFile(io.BytesIO(template))
    paths = _sheet_paths(source)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            sheet = next((name for name, path in paths.items() if path == info.filename and name in rows_by_sheet),
                         None)
            if sheet is not None:
                xml = data.decode()
                date_style = re.search(r'<col [^>]*style="(\d+)"', xml).group(1)  # the date columns' format
                columns = TABLES[sheet].column_names
                rows = []
                for i, values in enumerate(rows_by_sheet[sheet], start=2):
                    cells = "".join(_cell(f"{excel_letters(j)}{i}", values.get(c), date_style)
                                    for j, c in enumerate(columns))
                    rows.append(f'<row r="{i}">{cells}</row>')
                xml = xml.replace("</sheetData>", "".join(rows) + "</sheetData>", 1)
                data = xml.encode()
            target.writestr(info, data)
    return out.getvalue()


def _records(frame: pd.DataFrame) -> list[dict]:
    out = []
    for record in frame.to_dict("records"):
        clean = {}
        for key, value in record.items():
            if isinstance(value, pd.Timestamp):
                value = value.date()
            elif hasattr(value, "item") and not isinstance(value, str):
                value = value.item()
            clean[key] = value
        out.append(clean)
    return out


@pytest.fixture(scope="module")
def uploaded():
    """The fixture council typed into the downloaded template (percentages typed as 55, not 0.55), uploaded."""
    survey = voice_fixtures.survey_frame()
    for column in ("percent_agree", "comparator_percent"):
        if column in survey:
            survey[column] = survey[column] * 100
    filled = fill(build_template(), {
        "staff": _records(voice_fixtures.staff_frame()),
        "survey": _records(survey),
        "supervision": _records(voice_fixtures.supervision_frame()),
        "induction": _records(voice_fixtures.induction_frame()),
    })
    result = ingest.load([("workforce_lens_template.xlsx", filled)])
    return result


def test_the_filled_template_loads_every_row(uploaded):
    assert [p for p in uploaded.problems if p.severity == "error"] == []
    assert {name: len(frame) for name, frame in uploaded.tables.items() if len(frame)} == {
        "staff": 8, "survey": 12, "supervision": 8, "induction": 5}  # the sheets left blank load no rows


@pytest.mark.parametrize("column", list(WHOLE_COUNCIL))
def test_the_filled_template_gives_the_hand_computed_figures(uploaded, column):
    workforce = uploaded.to_workforce(label="Filled template")
    df = VIEWS["voice_figures"].compute(workforce, Params(as_of=voice_fixtures.AS_OF, by=()))
    assert df[column].iloc[0] == pytest.approx(WHOLE_COUNCIL[column], abs=1e-9), column
    workforce.close()


def test_the_template_offers_the_lists_hr_pick_from():
    xml = {name: zipfile.ZipFile(io.BytesIO(build_template())).read(path).decode()
           for name, path in _sheet_paths(zipfile.ZipFile(io.BytesIO(build_template()))).items()}

    def listed(table: str, column: str) -> list[str]:
        letter = excel_letters(TABLES[table].column_names.index(column))
        found = re.search(rf'<dataValidation type="list"[^>]*sqref="{letter}2:{letter}1048576"><formula1>"([^"]*)"',
                          xml[table])
        assert found, (table, column)
        return found.group(1).split(",")

    assert listed("survey", "theme") == list(SURVEY_THEMES)
    assert listed("survey", "group_type") == list(GROUP_TYPES)
    assert listed("induction", "mentor_assigned") == ["yes", "no"]
    assert listed("induction", "newly_qualified") == ["yes", "no"]
    # a theme outside the list is allowed (a warning, not a stop): other questions keep their own wording
    theme = TABLES["survey"].column_names.index("theme")
    rule = re.search(rf'<dataValidation type="list" errorStyle="(\w+)"[^>]*sqref="{excel_letters(theme)}2:',
                     xml["survey"])
    assert rule and rule.group(1) == "warning"
