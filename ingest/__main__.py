"""`python -m ingest check FILE [FILE ...]`: what a file contains, in plain words.

Prints the tables found, rows loaded, rows set aside with reasons (grouped and
counted), assumptions needed and unmatched headers. Exit status 0 when something
loaded, 1 when nothing could be loaded, 2 for a usage mistake. Never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ingest.loader import LoadResult, load
from ingest.report import problem_report
from ingest.schema import TABLES

SHOW_GROUPS = 40


def _rows(n: int) -> str:
    """'1 row', '1,204 rows'."""
    return f"{n:,} row" + ("" if n == 1 else "s")


def describe(result: LoadResult) -> str:
    """The whole report as text."""
    lines: list[str] = []
    if result.tables:
        lines.append("Tables found:")
        for name, frame in result.tables.items():
            aside = result.rows_set_aside.get(name, 0)
            lines.append(f"  {name} ({TABLES[name].label}): {_rows(len(frame))} loaded, {_rows(aside)} set aside")
    else:
        lines.append("No table could be loaded.")
    report = problem_report(result.problems)
    if len(report):
        lines.append("")
        lines.append("Problems (grouped, with how many rows each hit):")
        for row in report.head(SHOW_GROUPS).itertuples(index=False):
            where = row.file + (f" › {row.sheet}" if row.sheet else "")
            if row.column:
                where += f", column {row.column}"
            rows = f" (rows {row.example_rows})" if row.example_rows else ""
            lines.append(f"  [{row.severity}] {where}: {row.message} ×{row.count}{rows}")
        if len(report) > SHOW_GROUPS:
            lines.append(f"  … and {len(report) - SHOW_GROUPS} more kinds of problem")
    if result.assumptions_needed:
        lines.append("")
        lines.append("Assumptions needed (choose one in the app, or add the column):")
        for needed in result.assumptions_needed:
            lines.append(f"  {needed.table}.{needed.column}: {needed.question}")
    if result.unmatched:
        lines.append("")
        lines.append("Headers not matched:")
        for sheet in result.unmatched:
            what = sheet.table or "no table recognised"
            lines.append(f"  {sheet.label} ({what}): {', '.join(sheet.unmatched_headers) or '—'}")
            if sheet.missing_columns:
                lines.append(f"    still missing: {', '.join(sheet.missing_columns)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m ingest", description="Check workforce files before uploading.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="read files and report what loads and what does not")
    check.add_argument("files", nargs="+", help=".xlsx or .csv files")
    args = parser.parse_args(argv)
    try:
        result = load(args.files)
        print(describe(result))
        return 0 if result.loaded_anything else 1
    except Exception as exc:  # noqa: BLE001 - the CLI promises a plain message, never a traceback
        print(f"Could not check the files: {type(exc).__name__}. Nothing was changed.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
