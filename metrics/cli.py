"""`python -m metrics FILE [FILE ...]`: the committee table (or every figure as CSV/JSON) from uploaded files.

Uses the same path as the app: ingest.load(...).to_workforce() then metrics.compute.
Never prints a traceback: problems are reported in plain English on stderr.

Every format gives the committee table's figures (the core five, and average caseload when the
data has caseloads); `--all` gives every figure the data allows, as CSV or JSON.

Start-up is arranged for speed (issue 14): this module imports only the standard library and the
light registry modules, hands each file to a file-reading worker (ingest.guard, forked by
`metrics/__main__.py` before anything else) as soon as the arguments are checked, and imports
pandas, pyarrow and DuckDB while the worker parses (two cores, both busy); then, still waiting,
builds the header matcher's spellings, rehearses every step on three made-up rows (so no first
call's set-up is left for after the read) and opens DuckDB. The figures are worked out once, so the
Workforce is not materialised: its tables are views of the loaded Arrow data (Workforce.materialise).

With WORKFORCE_LENS_CLI_TIMINGS set (to the time.monotonic() at launch, or to 1), one
line `timings: {...}` on stderr gives each part's seconds (benchmarks/cli_bench.py reads it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from metrics.dates import as_of_warning, default_as_of, parse_as_of
from metrics.figures import CORE, FIGURES
from metrics.registry import CUTS, Params

if TYPE_CHECKING:  # pragma: no cover
    import duckdb
    import pandas as pd

DESCRIPTION = "Workforce figures (FTE, vacancy, agency, turnover, salary gap and more) from workforce files."
TIMINGS_ENV = "WORKFORCE_LENS_CLI_TIMINGS"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m metrics", description=DESCRIPTION)
    parser.add_argument("files", nargs="+", metavar="FILE", help="workbook (.xlsx) or .csv files")
    parser.add_argument("--as-of", dest="as_of", help="as-of date YYYY-MM-DD (default: latest date in the data)")
    parser.add_argument("--by", default="service_area",
                        help=f"cut(s), comma-separated, from {', '.join(CUTS)} (default service_area)")
    parser.add_argument("--format", dest="fmt", choices=("table", "csv", "json"), default="table")
    parser.add_argument("--all", dest="every", action="store_true",
                        help="every figure the data allows (csv or json), not only the committee table's")
    from ingest.__main__ import add_mapping_flags

    add_mapping_flags(parser)  # --map, --map-value, --assume, --mapping: the same choices as the Data page
    return parser


class _Clock:
    """Marks on the way through a run, written as one stderr line when TIMINGS_ENV is set (else nothing)."""

    def __init__(self) -> None:
        given = os.environ.get(TIMINGS_ENV, "")
        self.on = bool(given)
        self.marks: dict[str, float] = {}
        if self.on:
            try:
                self.marks["launch"] = float(given)
            except ValueError:
                pass
            self.mark("main")

    def mark(self, name: str) -> None:
        if self.on and name not in self.marks:
            self.marks[name] = time.monotonic()

    def progress(self, message: str) -> None:
        """ingest.load's progress callback: "Checking …" comes once the files are read."""
        if message.startswith("Checking"):
            self.mark("read")

    def write(self, err: TextIO, extra: dict[str, float]) -> None:
        if self.on:
            self.marks.update(extra)
            err.write("timings: " + json.dumps(self.marks) + "\n")


def _start_reading(files: list[str]) -> list:
    """Hand every file to a file-reading worker now (the same checks `ingest.load` makes first); the handles."""
    from ingest import config, guard

    paths = [Path(f) for f in files]
    sizes = [p.stat().st_size for p in paths]
    if guard.total_upload_problem(sizes) or any(size > config.MAX_UPLOAD_MB * 1024 * 1024 for size in sizes):
        return []  # ingest.load refuses them with its own sentence
    early = []
    for path in paths:
        data = path.read_bytes()
        if data:
            handle = guard.start_reading(path.name, data)
            if handle is not None:
                early.append(handle)
    return early


def _meanwhile(by: tuple[str, ...]) -> duckdb.DuckDBPyConnection:
    """What needs no data, done while the worker reads: the header matcher's spellings, a rehearsal, a DuckDB
    connection for the figures."""
    from ingest import match
    from ingest.workforce import connect

    match.warm()
    _rehearse(by)
    return connect()


REHEARSAL = (
    ("worker_id", "service_area", "team", "role", "grade", "worker_type", "fte", "start_date", "end_date",
     "leaving_reason", "annual_salary", "hourly_rate", "caseload", "qualified_date", "manager_id", "gender",
     "absence_days"),
    ("R1", "Children's Social Work", "Assessment", "Social Worker", "Level 3", "permanent", "1",
     "2019-04-01 00:00:00", None, None, "38000", None, "16", "2018-06-30 00:00:00", "R3", "female", "4.5"),
    ("R2", "Children's Social Work", "Assessment", "Social Worker", "Level 3", "agency", "0.5",
     "2024-01-15 00:00:00", None, None, None, "45", "12", None, "R3", "male", None),
    ("R3", "Children's Social Work", "Assessment", "Team Manager", "Level 5", "permanent", "1",
     "2015-09-01 00:00:00", "2025-03-31 00:00:00", "Resignation", "52000", None, None, "2010-07-01 00:00:00",
     None, "female", "2"),
)
"""Three made-up people, written as a workbook's cells are read (text, Excel dates as ISO date-times)."""


def _rehearse(by: tuple[str, ...]) -> None:
    """Take three made-up rows through every step a file takes (check, store, work out the committee table).

    The first call of each step pays once per process for what it sets up (kernels looked up,
    modules loaded on first use, DuckDB binding its functions): about 0.07 s on two cores, paid
    here while the worker is still reading instead of after. The answer is thrown away, and a
    failure here changes nothing: the real run does the same steps again.
    """
    try:
        import numpy as np
        import pyarrow as pa

        from ingest.loader import Upload, load_upload, read_sheet
        from ingest.readers import RawSheet
        from metrics.compute import compute

        columns = list(zip(*REHEARSAL, strict=True))
        cells = pa.table({f"c{i}": pa.array(values, pa.string()) for i, values in enumerate(columns)})
        raw = RawSheet("rehearsal.xlsx", "staff", cells, np.arange(1, len(REHEARSAL) + 1, dtype=np.int64),
                       [f"C{i}" for i in range(len(columns))])
        result = load_upload(Upload(sheets=[read_sheet(raw)]))
        workforce = result.to_workforce(materialise=False)
        try:
            compute(workforce, Params(as_of="2025-09-30", by=by, figures=tuple(CORE)))
        finally:
            workforce.close()
    except Exception:  # noqa: BLE001 - a rehearsal only saves time; the run itself reports any problem
        return


def _fail(message: str, err: TextIO, code: int = 2) -> int:
    err.write(f"Error: {message}\n")
    return code


def _table(df: pd.DataFrame, keys: list[str], figures: list[str], symbols: bool) -> str:
    """A plain-text table, right-aligned numbers; a DfE symbol replaces n/a when the data gave one."""
    import pandas as pd

    from metrics.format import format_value

    header = [*keys, *(FIGURES[f].label for f in figures)]
    rows = []
    for _, row in df.iterrows():
        cells = [str(row[k]) if pd.notna(row[k]) else "" for k in keys]
        for f in figures:
            cell = format_value(row.get(f), FIGURES[f].unit, missing="n/a", plain=True)
            if symbols and cell == "n/a" and isinstance(row.get(f"{f}_symbol"), str):
                cell = row[f"{f}_symbol"]
            cells.append(cell)
        rows.append(cells)
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    align = [str.ljust] * len(keys) + [str.rjust] * len(figures)
    lines = ["  ".join(a(h, w) for a, h, w in zip(align, header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(a(c, w) for a, c, w in zip(align, r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def _json_value(value: object, column: str = "") -> object:
    """NaN and NA → None; numpy scalars → Python; dates → ISO; counts of people as integers."""
    if value is None or value.__class__.__name__ in ("NAType", "NaTType"):  # pandas' missing markers
        return None
    if isinstance(value, dt.date):  # also datetime and pandas' Timestamp
        return value.isoformat()[:10]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if column in FIGURES and FIGURES[column].unit == "count" and value.is_integer():
            return int(value)
    return value


def run(argv: list[str] | None = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Parse arguments, load the files, print the figures. Returns the exit code."""
    clock = _Clock()
    args = _parser().parse_args(argv)
    by = tuple(c.strip() for c in args.by.split(",") if c.strip())
    bad = [c for c in by if c not in CUTS]
    if bad:
        return _fail(f"cannot cut by {', '.join(bad)}: choose from {', '.join(CUTS)}.", err)
    if args.every and args.fmt == "table":
        return _fail("--all gives every figure as data: add --format csv or --format json (the table is the "
                     "committee table).", err)
    try:
        as_of = parse_as_of(args.as_of)
    except ValueError:
        return _fail(f"--as-of '{args.as_of}' is not a date: write it as YYYY-MM-DD, e.g. 2025-09-30.", err)
    missing = [f for f in args.files if not Path(f).exists()]
    if missing:
        return _fail(f"file not found: {', '.join(missing)}.", err)
    from ingest.__main__ import mapping_from_args
    from ingest.mappings import MappingError

    try:
        mapping = mapping_from_args(args)
    except MappingError as exc:
        return _fail(str(exc), err)
    from ingest import guard

    early = _start_reading(args.files)  # the worker parses while the libraries below are imported
    clock.mark("read_sent")
    try:
        import ingest.loader  # pandas, pyarrow, DuckDB
        import metrics.availability
        import metrics.compute  # noqa: F401

        clock.mark("imports")
        connection = _meanwhile(by)
        result = ingest.loader.load([Path(f) for f in args.files], mapping, progress=clock.progress)
    finally:
        guard.forget_early_reads()
    clock.mark("read")
    clock.mark("loaded")
    _report_problems(result, err)
    if not result.loaded_anything:
        return _fail("nothing could be loaded from the file(s); see the problems above.", err)
    for needed in result.assumptions_needed:
        if needed.column not in mapping.assume:
            options = " or ".join(f"--assume {needed.column}={key}" for key in needed.options)
            err.write(f"Note: {needed.question} Figures needing it are off; pass {options} to assume.\n")
    if "staff" not in result.tables and "summary" not in result.tables:
        found = ", ".join(sorted(result.tables)) or "nothing"
        return _fail(f"the files have no staff table and no summary table, and the committee table needs one of them "
                     f"(found: {found}). Add the staff extract (one row per person per post) or a summary of the "
                     "figures (e.g. the DfE indicator file).", err, 1)
    workforce = result.to_workforce(label=", ".join(Path(f).name for f in args.files), materialise=args.every,
                                    connection=connection)
    clock.mark("workforce")
    try:
        code = _print(workforce, by, as_of, args.fmt, args.every, out, err, clock)
    finally:
        workforce.close()
    finished = [e.finished_at for e in early if e.finished_at is not None]
    clock.write(err, {"worker_done": max(finished)} if finished else {})
    return code


SHOW_PROBLEMS = 20
"""Kinds of error written out on stderr; the rest are counted."""


def _report_problems(result, err: TextIO) -> None:
    """The errors (rows or sheets set aside), grouped; "… and N more" counts every row not shown."""
    from ingest.report import problem_report

    report = problem_report([p for p in result.problems if p.severity == "error"])
    for row in report.head(SHOW_PROBLEMS).itertuples(index=False):
        where = row.file + (f" › {row.sheet}" if row.sheet else "") + (f", column {row.column}" if row.column else "")
        rows = f" (rows {row.example_rows})" if row.example_rows else ""
        err.write(f"Problem: {where}: {row.message} ×{row.count:,}{rows}\n")
    if len(report) > SHOW_PROBLEMS:
        rest = report.iloc[SHOW_PROBLEMS:]
        err.write(f"... and {int(rest['count'].sum()):,} more problem rows ({len(rest):,} more kinds); "
                  "`python -m ingest check` lists them all.\n")
    aside = sum(result.rows_set_aside.values())
    if aside:
        err.write(f"{aside:,} row(s) set aside in all, not in these figures.\n")


def committee_figures(workforce, avail: dict[str, str | None]) -> list[str]:
    """The committee table's figures: the core five, and average caseload when a staff table records caseloads."""
    figures = list(CORE)
    if workforce.has("staff") and avail.get("average_caseload") is None:
        figures.append("average_caseload")
    return figures


def _print(workforce, by: tuple[str, ...], as_of: dt.date | None, fmt: str, every: bool, out: TextIO, err: TextIO,
           clock: _Clock | None = None) -> int:
    """Compute and write the figures in the chosen format."""
    from metrics.availability import availability
    from metrics.compute import compute

    if as_of is None:
        as_of = default_as_of(workforce)
        stale = as_of_warning(as_of)
        if stale:
            err.write(f"Note: {stale}\n")
    summary = not workforce.has("staff")
    avail = availability(workforce)
    figures = list(FIGURES) if every else committee_figures(workforce, avail)
    df = compute(workforce, Params(as_of=as_of.isoformat(), by=by, figures=tuple(figures)))
    if clock is not None:
        clock.mark("figures")
    keys = ["service_area", "period"] if summary else list(by)
    if summary:
        keys += [c for c in ("geographic_level",) if c in df.columns]
    for note in workforce.assumption_notes():
        err.write(f"{note}\n")
    if fmt == "table":
        out.write(f"Workforce figures as at {as_of:%d %B %Y}" + (" (summary upload)\n" if summary else "\n\n"))
        out.write(_table(df, keys, figures, symbols=summary) + "\n")
        off = [f for f in figures if avail.get(f)]
        if off:
            out.write("\n")
        for f in off:
            out.write(f"{FIGURES[f].label}: not available. {avail[f]}\n")
        if clock is not None:
            clock.mark("printed")
        return 0
    symbol_cols = [c for c in df.columns if c.endswith("_symbol") and df[c].notna().any()]
    df = df[[*keys, *[c for c in df.columns if c not in keys and (c in FIGURES or c in symbol_cols)
                      or c in ("region", "area_code", "old_la_code")]]]
    if fmt == "csv":
        from sharing.export import safe_frame

        safe_frame(df).to_csv(out, index=False, lineterminator="\n")  # a cell starting = + - @ is not a formula
    else:
        columns = list(df.columns)
        rows = [{c: _json_value(v, c) for c, v in zip(columns, values, strict=True)}
                for values in zip(*(df[c].tolist() for c in columns), strict=True)]
        out.write(json.dumps({"as_of": as_of.isoformat(), "rows": rows}, ensure_ascii=False, indent=1))
        out.write("\n")
    if clock is not None:
        clock.mark("printed")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point: run, turning any unexpected failure into one plain sentence (never a traceback)."""
    try:
        return run(argv)
    except SystemExit as exit_:  # argparse's own messages
        return int(exit_.code or 0)
    except BrokenPipeError:  # output piped into `head`: not an error
        return 0
    except Exception as exc:  # noqa: BLE001 - the user sees a sentence, not a traceback
        sys.stderr.write(f"Error: the figures could not be computed ({type(exc).__name__}). "
                         "Check the files load in the app or with `python -m ingest`.\n")
        return 1
