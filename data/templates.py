"""The blank upload template: one sheet per canonical table, ready for HR to paste into.

Built from ingest.schema.TABLES, so the template always matches what the app
reads: the header row holds the canonical column names, each header carries a
note (what the column means and whether it is required), enumerated columns
get drop-down lists, dates and numbers get simple validation, and a "Read me"
sheet explains the rest. The app offers it for download; the committed copy
lives in data/templates/.

Usage::

    python -m data.templates --out data/templates/workforce_lens_template.xlsx
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path

import xlsxwriter

from ingest.schema import REQUIRED_ANY_OF, SUGGESTED_VALUES, TABLES, VOICE_TABLES, Column, Table

README_SHEET = "Read me"
TEMPLATE_FILENAME = "workforce_lens_template.xlsx"
LAST_ROW = 1_048_575
"""Validation covers every data row of the sheet (0-based index of Excel's last row)."""

_INTRO = (
    "Workforce Lens upload template",
    "",
    "Fill in the sheets you have and upload the workbook. Each sheet is one table; keep the sheet names "
    "and the header row as they are (the app also recognises the column names most HR systems export).",
    f"You need at least one of: {' or '.join(REQUIRED_ANY_OF)}. Every other sheet switches on more figures; "
    "delete the sheets you don't use.",
    f"Staff voice ({', '.join(VOICE_TABLES)}): each of these sheets works on its own too, for the Staff voice page. "
    "Fill 'survey' from your survey provider's results (one row per survey, theme and group), 'supervision' from "
    "the supervision log you keep (one row per worker and month), 'induction' from the new starters' or ASYE "
    "tracker.",
    "Hover over a column header to see what it means and whether it is required (required headers are shaded darker).",
    "Dates: real Excel dates, or text as 2026-09-30 or 30/09/2026 (day first). FTE is a fraction of full time "
    "(1.0 = full time, 0.6 = three days a week), not hours.",
    "Never put names in the workbook: worker_id is a payroll or assignment number. Uploaded data stays in your "
    "browser session only.",
    "",
)


def _note(table: Table, column: Column) -> str:
    """The header note: meaning, required or not, allowed values and range."""
    parts = [column.description or column.name.replace("_", " ").capitalize() + "."]
    group = next((g for g in table.one_of if column.name in g), None)
    if column.required:
        parts.append("Required.")
    elif group:
        parts.append(f"Required: at least one of {' or '.join(group)}.")
    else:
        parts.append("Optional.")
    kind = {"text": "Text", "number": "Number", "integer": "Whole number", "date": "Date"}[column.type]
    if column.minimum is not None and column.maximum is not None:
        kind += f" from {column.minimum:g} to {column.maximum:g}"
    elif column.minimum is not None:
        kind += f", at least {column.minimum:g}"
    parts.append(kind + ".")
    if column.allowed:
        parts.append("One of: " + ", ".join(column.allowed) + ".")
    suggested = SUGGESTED_VALUES.get((table.name, column.name))
    if suggested:
        parts.append("Standard themes are in the drop-down list; any other theme is kept as typed.")
    return " ".join(parts)


def _validation(table: Table, column: Column) -> dict | None:
    """The xlsxwriter data-validation options for a column (None if nothing simple applies)."""
    common = {
        "error_type": "warning",
        "error_title": column.name[:32],
        "input_title": column.name[:32],
        "input_message": _note(table, column)[:255],
    }
    if column.allowed:
        return {
            **common,
            "validate": "list",
            "source": list(column.allowed),
            "error_message": ("Use one of: " + ", ".join(column.allowed))[:255],
        }
    suggested = SUGGESTED_VALUES.get((table.name, column.name))
    if suggested:  # a list to pick from that still takes other values (the warning lets them through)
        return {
            **common,
            "validate": "list",
            "source": list(suggested),
            "error_title": "Not a standard theme",
            "error_message": "Not one of the standard themes: it will load under its own wording. Keep it?",
        }
    if column.type == "date":
        return {
            **common,
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(1940, 1, 1),
            "maximum": dt.date(2100, 12, 31),
            "error_message": "Enter a date, e.g. 30/09/2026.",
        }
    if column.type in ("number", "integer"):
        validate = "integer" if column.type == "integer" else "decimal"
        low = column.minimum if column.minimum is not None else -1e12
        if column.name == "fte":
            low = 0.01  # fte must be above 0
        if column.maximum is not None:
            options = {"criteria": "between", "minimum": low, "maximum": column.maximum}
            message = f"Enter a number from {low:g} to {column.maximum:g}."
        else:
            options = {"criteria": ">=", "value": low}
            message = f"Enter a number of at least {low:g}."
        if column.name == "fte":
            message = "FTE is a fraction of full time (0.01 to 1.5), not hours."
        return {**common, "validate": validate, **options, "error_message": message}
    return None


def _readme(workbook: xlsxwriter.Workbook) -> None:
    """The "Read me" sheet: how to fill the template, then every table and its columns (all in column A)."""
    sheet = workbook.add_worksheet(README_SHEET)
    title = workbook.add_format({"bold": True, "font_size": 14})
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    sheet.set_column(0, 0, 140, wrap)
    row = 0
    for i, line in enumerate(_INTRO):
        sheet.write_string(row, 0, line, title if i == 0 else None) if line else None
        row += 1
    for table in TABLES.values():
        sheet.write_string(row, 0, f"Sheet '{table.name}': {table.label}", bold)
        row += 1
        sheet.write_string(row, 0, table.description)
        row += 1
        for column in table.columns:
            # One cell per column, so that the app never mistakes this sheet for a table's header row.
            sheet.write_string(row, 0, f"• {column.name}: {_note(table, column)}", wrap)
            row += 1
        row += 1


def _table_sheet(workbook: xlsxwriter.Workbook, table: Table, formats: dict) -> None:
    """One table's sheet: header row with notes, column formats and validation for the data rows."""
    sheet = workbook.add_worksheet(table.name)
    sheet.freeze_panes(1, 0)
    for j, column in enumerate(table.columns):
        required = column.required or any(column.name in g for g in table.one_of)
        sheet.write_string(0, j, column.name, formats["required" if required else "optional"])
        sheet.write_comment(0, j, _note(table, column), {"x_scale": 2.2, "y_scale": 1.6})
        body = formats["date"] if column.type == "date" else None
        sheet.set_column(j, j, max(12, len(column.name) + 4), body)
        options = _validation(table, column)
        if options:
            sheet.data_validation(1, j, LAST_ROW, j, options)


def build_template() -> bytes:
    """The blank upload workbook as .xlsx bytes (deterministic: the same schema gives the same bytes)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties(
        {"title": "Workforce Lens upload template", "author": "Workforce Lens", "created": dt.datetime(2026, 1, 1)}
    )
    formats = {
        "required": workbook.add_format({"bold": True, "bg_color": "#9DC3E6", "border": 1}),
        "optional": workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "date": workbook.add_format({"num_format": "dd/mm/yyyy"}),
    }
    _readme(workbook)
    for table in TABLES.values():
        _table_sheet(workbook, table, formats)
    workbook.close()
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Command line: write the template to --out."""
    parser = argparse.ArgumentParser(prog="python -m data.templates", description="Write the blank upload template.")
    parser.add_argument("--out", default=str(Path(__file__).parent / "templates" / TEMPLATE_FILENAME))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(build_template())
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
