"""`python -m ingest check FILE [FILE ...]`: what a file contains, in plain words.

Prints, as the Data page shows them: each file's rows (read, loaded, set aside), how every
column was read (its match and why), the problems grouped and counted (every row counted, so
"… and N more" is the true N), the assumptions accepted and those on offer, and the headers
left unmatched. The same choices the page offers are flags here:

    --map "HEADER=column"               (an empty column: do not load that header)
    --map-value "column:VALUE=meaning"  (e.g. "worker_type:Agency/Locum/Interim=agency")
    --assume key=value                  (e.g. worker_type=permanent, fte=hours, start_date=years)
    --mapping FILE                      (a mapping saved from the Data page, TOML or JSON)
    --write-mapping FILE                (save the mapping these flags make, to use next month)

Exit status 0 when something loaded, 1 when nothing could be loaded, 2 for a usage mistake.
Never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.mappings import ASSUME_KEYS, Mapping, MappingError, from_flags
from ingest.schema import TABLES

if TYPE_CHECKING:  # pragma: no cover
    from ingest.loader import LoadResult

SHOW_GROUPS = 40


def _rows(n: int) -> str:
    """'1 row', '1,204 rows'."""
    return f"{n:,} row" + ("" if n == 1 else "s")


def describe(result: LoadResult, columns: bool = True) -> str:
    """The whole report as text."""
    lines: list[str] = []
    if result.tables:
        lines.append("Tables found:")
        for name, frame in result.tables.items():
            aside = result.rows_set_aside.get(name, 0)
            lines.append(f"  {name} ({TABLES[name].label}): {_rows(len(frame))} loaded, {_rows(aside)} set aside")
    else:
        lines.append("No table could be loaded.")
    if result.counts:
        lines.append("")
        lines.append("Files:")
        for count in result.counts:
            what = count.table or "not loaded"
            text = (f"  {count.label} ({what}): {_rows(count.rows)} read, {count.loaded:,} loaded, "
                    f"{count.set_aside:,} set aside")
            if count.combined_into is not None:
                text += f" (added up into {_rows(count.combined_into)})"
            lines.append(text)
    if columns and result.plans:
        lines.append("")
        lines.append("How each column was read:")
        for plan in result.plans:
            table = f"{plan.table} table, recognised by {plan.recognised}" if plan.table else plan.status
            lines.append(f"  {plan.label} ({table}):")
            if plan.kind is not None or not plan.matches:
                lines.append(f"    {plan.message}")
            for match in plan.matches:
                lines.append(f"    {match.describe()}")
    from ingest.report import problem_report  # pandas: imported when a report is written, not for the flags

    report = problem_report(result.problems)
    if len(report):
        lines.append("")
        lines.append("Problems (grouped, with how many rows each hit):")
        for row in report.head(SHOW_GROUPS).itertuples(index=False):
            where = row.file + (f" › {row.sheet}" if row.sheet else "")
            if row.column:
                where += f", column {row.column}"
            rows = f" (rows {row.example_rows})" if row.example_rows else ""
            lines.append(f"  [{row.severity}] {where}: {row.message} ×{row.count:,}{rows}")
        if len(report) > SHOW_GROUPS:
            rest = report.iloc[SHOW_GROUPS:]
            lines.append(f"  … and {len(rest):,} more kinds of problem ({int(rest['count'].sum()):,} more rows)")
    if result.derivations or result.assumptions:
        lines.append("")
        lines.append("Assumptions in force:")
        for needed in result.assumptions_needed:
            option = result.assumptions.get(needed.column)
            if option in needed.options:
                lines.append(f"  {needed.options[option]}")
        for sentence in result.derivations.values():
            lines.append(f"  {sentence}")
    open_offers = [a for a in result.assumptions_needed if a.column not in result.mapping.assume]
    if open_offers:
        lines.append("")
        lines.append("Assumptions needed (choose one in the app, or pass --assume):")
        for needed in open_offers:
            flags = " or ".join(f"--assume {needed.column}={key}" for key in needed.options)
            lines.append(f"  {needed.table}.{needed.column}: {needed.question} ({flags})")
    if result.unmatched:
        lines.append("")
        lines.append("Headers not matched: (map one with --map \"HEADER=column\")")
        for sheet in result.unmatched:
            what = sheet.table or "no table recognised"
            lines.append(f"  {sheet.label} ({what}): {', '.join(sheet.unmatched_headers) or '—'}")
            if sheet.missing_columns:
                lines.append(f"    still missing: {', '.join(sheet.missing_columns)}")
    return "\n".join(lines)


def add_mapping_flags(parser: argparse.ArgumentParser) -> None:
    """The mapping flags shared by `python -m ingest check` and `python -m metrics`."""
    parser.add_argument("--map", action="append", default=[], metavar='"HEADER=column"',
                        help="read HEADER as this column (an empty column: do not load HEADER)")
    parser.add_argument("--map-value", dest="map_value", action="append", default=[],
                        metavar='"column:VALUE=meaning"',
                        help='read VALUE of a column as this value, e.g. "worker_type:Agency/Locum/Interim=agency"')
    parser.add_argument("--assume", action="append", default=[], metavar="KEY=VALUE",
                        help="accept an assumption: " + "; ".join(f"{k} ({v})" for k, v in ASSUME_KEYS.items()))
    parser.add_argument("--mapping", metavar="FILE", help="a mapping file saved from the Data page (TOML or JSON)")


def mapping_from_args(args: argparse.Namespace) -> Mapping:
    """The Mapping the shared flags describe (MappingError when one cannot be used)."""
    return from_flags(args.map, args.map_value, args.assume, args.mapping)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m ingest", description="Check workforce files before uploading.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="read files and report what loads and what does not")
    check.add_argument("files", nargs="+", help=".xlsx or .csv files")
    add_mapping_flags(check)
    check.add_argument("--write-mapping", dest="write_mapping", metavar="FILE",
                       help="save the mapping (the flags and --mapping together) as TOML, or JSON for a .json name")
    check.add_argument("--quiet-columns", dest="columns", action="store_false",
                       help="leave out how each column was read")
    args = parser.parse_args(argv)
    try:
        mapping = mapping_from_args(args)
    except MappingError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    try:
        from ingest.loader import load

        result = load(args.files, mapping)
        print(describe(result, columns=args.columns))
        if args.write_mapping:
            path = Path(args.write_mapping)
            path.write_text(mapping.to_json() if path.suffix.lower() == ".json" else mapping.to_toml(), encoding="utf-8")
            print(f"\nMapping written to {path} (headers and choices only, no data).")
        return 0 if result.loaded_anything else 1
    except Exception as exc:  # noqa: BLE001 - the CLI promises a plain message, never a traceback
        print(f"Could not check the files: {type(exc).__name__}. Nothing was changed.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
