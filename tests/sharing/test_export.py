"""Exports: CSV/XLSX with formula injection neutralised (read back), charts as PNG/SVG."""

from __future__ import annotations

import csv
import io

import altair as alt
import fastexcel
import pandas as pd

from sharing import export


def _evil() -> pd.DataFrame:
    return pd.DataFrame({
        "team": ["=HYPERLINK(\"http://x\")", "+SUM(A1)", "-2+3", "@cmd", "\tTab", "\rCR", "Plain", "c"],
        "salary_gap": [-0.05, 0.1, -12.5, 0.0, 1.0, 2.0, 3.0, 4.0],
        "note": ["ok", "=1+1", "fine", "x", "y", "z", "w", "v"],
    })


def test_csv_neutralises_formulas_but_not_negative_numbers():
    text = export.to_csv_bytes(_evil()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["team", "salary_gap", "note"]
    teams = [r[0] for r in rows[1:]]
    assert teams == ["'=HYPERLINK(\"http://x\")", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tTab", "'\rCR", "Plain", "c"]
    assert [r[1] for r in rows[1:]][:3] == ["-0.05", "0.1", "-12.5"]  # numbers stay numbers
    assert rows[2][2] == "'=1+1"


def test_csv_header_neutralised_and_bom():
    raw = export.to_csv_bytes(pd.DataFrame({"=cmd": [1]}))
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines()[0] == "'=cmd"


def test_xlsx_neutralises_and_reads_back_with_fastexcel():
    data = export.to_xlsx_bytes(_evil(), sheet_name="Teams: [all]/2025?", notes=["=not a formula"])
    reader = fastexcel.read_excel(data)
    assert reader.sheet_names == ["Teams   all  2025"]
    df = reader.load_sheet(0, n_rows=8).to_pandas()
    assert df["team"].tolist()[:4] == ["'=HYPERLINK(\"http://x\")", "'+SUM(A1)", "'-2+3", "'@cmd"]
    assert df["note"].tolist()[1] == "'=1+1"
    assert df["salary_gap"].tolist()[:3] == [-0.05, 0.1, -12.5]
    # No cell is stored as a formula: the sheet XML has no <f> element.
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet


def test_mixed_suppressed_columns_keep_numbers():
    df = pd.DataFrame({"team": ["A", "B"], "headcount": pd.Series(["c", 12], dtype=object)})
    rows = list(csv.reader(io.StringIO(export.to_csv_bytes(df).decode("utf-8-sig"))))
    assert rows[1:] == [["A", "c"], ["B", "12"]]


def test_chart_png_and_svg():
    chart = alt.Chart(pd.DataFrame({"a": ["x", "y"], "b": [1, 2]})).mark_bar().encode(x="a", y="b")
    png = export.chart_png(chart)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000
    svg = export.chart_svg(chart)
    assert svg.lstrip().startswith(b"<svg") and b"</svg>" in svg
