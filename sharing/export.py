"""Downloads: tables as CSV/XLSX (spreadsheet formula injection neutralised), charts as PNG/SVG.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
would be run as a formula by a spreadsheet (CSV injection); such cells get a
leading apostrophe. Numbers stay numbers (a negative salary gap is a number,
not text, so it is written as-is). The committee pack PDF is in sharing.pack.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pandas as pd

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def neutralise(value: Any) -> Any:
    """A text value that a spreadsheet would treat as a formula, prefixed with an apostrophe; others unchanged."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` with every text cell and column name neutralised (numbers untouched)."""
    out = df.copy()
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue
        if series.map(lambda v: isinstance(v, str) and v.startswith(DANGEROUS_PREFIXES)).any():
            out[col] = series.map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV bytes (BOM for Excel; CRLF rows, RFC 4180, so a CR in a cell is quoted), neutralised."""
    return safe_frame(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def sheet_title(name: str) -> str:
    """A valid Excel sheet name: no []:*?/\\ characters, at most 31 characters, never empty."""
    cleaned = _SHEET_BAD.sub(" ", name or "").strip().strip("'")
    return (cleaned or "Sheet1")[:31]


def _excel_ready(df: pd.DataFrame) -> pd.DataFrame:
    """Timezone-aware datetimes made naive (Excel has no time zones)."""
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_localize(None)
    return out


def to_xlsx_bytes(df: pd.DataFrame, sheet_name: str = "Data", notes: list[str] | None = None) -> bytes:
    """A table as an .xlsx workbook (xlsxwriter): text never becomes a formula or a link.

    `notes` (e.g. the suppression note, definitions) go in rows below the table.
    """
    buffer = io.BytesIO()
    frame = _excel_ready(safe_frame(df))
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        title = sheet_title(sheet_name)
        frame.to_excel(writer, sheet_name=title, index=False)
        sheet = writer.sheets[title]
        for i, col in enumerate(frame.columns):
            width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200).tolist()]) + 2
            sheet.set_column(i, i, min(width, 60))
        for j, text in enumerate(notes or []):
            sheet.write_string(len(frame) + 2 + j, 0, str(neutralise(text)))
    return buffer.getvalue()


def _spec(chart: Any) -> dict:
    """A Vega-Lite spec (dict) from an Altair chart or a spec dict."""
    return chart if isinstance(chart, dict) else chart.to_dict()


def _vl_version() -> str | None:
    """The Vega-Lite version Altair writes, if vl-convert knows it (else vl-convert's default)."""
    try:
        import altair as alt
        import vl_convert as vlc

        major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
        return major_minor if major_minor in vlc.get_vegalite_versions() else None
    except Exception:  # pragma: no cover - defensive: fall back to vl-convert's default
        return None


def chart_png(chart: Any, scale: float = 2.0) -> bytes:
    """A chart as PNG bytes (vl-convert, no browser needed); scale 2 for print."""
    import vl_convert as vlc

    version = _vl_version()
    kwargs = {"vl_version": version} if version else {}
    return vlc.vegalite_to_png(_spec(chart), scale=scale, **kwargs)


def chart_svg(chart: Any) -> bytes:
    """A chart as SVG bytes (UTF-8)."""
    import vl_convert as vlc

    version = _vl_version()
    kwargs = {"vl_version": version} if version else {}
    return vlc.vegalite_to_svg(_spec(chart), **kwargs).encode("utf-8")


def committee_pack_pdf(source: Any, la_name: str, **kwargs: Any) -> bytes:
    """The committee pack (A4 PDF); see sharing.pack.committee_pack_pdf."""
    from sharing.pack import committee_pack_pdf as build

    return build(source, la_name, **kwargs)
