"""Refresh the shipped DfE indicator file from a newer release, reporting what changed.

    python -m reference.refresh NEW_FILE.csv [--dir data/reference] [--dry-run]

The new file may use the current column names or the older ones
(csww_headline_measures_2017_to_2022.csv: `social_worker_fte`, `turnover_rate_fte_%`, ...).
It is read exactly as the app reads it (reference.store.load_long), so a file
the app could not use is refused before anything is replaced. The report
lists cells revised (same area, year and measure, different value or symbol),
the area-years they fall in, and years, areas and measures added or removed.
The shipped file (data/reference/csww_indicators.csv) is then replaced
atomically: written to a temporary file in the same folder and renamed over it,
so a running app never sees half a file.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from reference.columns import ID_COLUMNS, MEASURES, canonical_header
from reference.store import INDICATORS_FILE, load_long, reference_dir, reset

TOLERANCE = 1e-9
"""Values closer than this are the same (both files are read the same way, so this only absorbs float noise)."""


@dataclass
class ReleaseDiff:
    """What differs between the shipped release (old) and a new one."""

    revisions: pd.DataFrame
    """One row per revised cell: year, geographic_level, area, measure, old_value, old_symbol, new_value, new_symbol."""
    years_added: list[int] = field(default_factory=list)
    years_removed: list[int] = field(default_factory=list)
    areas_added: list[str] = field(default_factory=list)
    areas_removed: list[str] = field(default_factory=list)
    measures_added: list[str] = field(default_factory=list)
    measures_removed: list[str] = field(default_factory=list)

    @property
    def cells_revised(self) -> int:
        """Number of cells (area × year × measure present in both) whose value or symbol differs."""
        return len(self.revisions)

    @property
    def area_years_revised(self) -> int:
        """Number of distinct area-years with at least one revised cell."""
        if self.revisions.empty:
            return 0
        return len(self.revisions[["geographic_level", "area", "year"]].drop_duplicates())

    def summary(self, limit: int = 20) -> str:
        """The report in plain text."""
        lines = [f"{self.cells_revised} cells revised in {self.area_years_revised} area-years."]
        for label, items in (
            ("Years added", self.years_added), ("Years removed", self.years_removed),
            ("Areas added", self.areas_added), ("Areas removed", self.areas_removed),
            ("Measures added", self.measures_added), ("Measures removed", self.measures_removed),
        ):
            if items:
                lines.append(f"{label}: {', '.join(str(i) for i in items)}")
        if not self.revisions.empty:
            lines.append("Revised cells (year, area, measure: old → new):")
            for row in self.revisions.head(limit).itertuples():
                lines.append(f"  {row.year}, {row.area}, {row.measure}: {_cell(row.old_value, row.old_symbol)} → "
                             f"{_cell(row.new_value, row.new_symbol)}")
            if self.cells_revised > limit:
                lines.append(f"  ... and {self.cells_revised - limit} more")
        return "\n".join(lines)


def _cell(value: object, symbol: object) -> str:
    if isinstance(symbol, str) and symbol:
        return symbol
    if value is None or pd.isna(value):
        return "(blank)"
    return f"{value:g}"


def measures_in(path: Path) -> list[str]:
    """The current names of the DfE measures a release file has columns for."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = {canonical_header(h) for h in next(csv.reader(handle))}
    return [m for m in MEASURES if m in header]


def _load(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> None:
    """Read a release file into `table` (long form), refusing a file the app could not use."""
    if not path.exists():
        raise ValueError(f"{path}: no such file")
    if not measures_in(path):
        raise ValueError(f"{path.name}: none of the DfE measure columns (e.g. inpost_fte, vacancy_rate_fte) found")
    try:
        load_long(con, path, table)
    except duckdb.Error as exc:
        raise ValueError(f"{path.name}: could not be read as a DfE indicator file ({exc})") from exc
    levels = con.execute(f"SELECT count(*) FILTER (WHERE geographic_level = 'National'), "
                         f"count(*) FILTER (WHERE year IS NULL) FROM {table}").fetchall()[0]
    if not levels[0]:
        raise ValueError(f"{path.name}: has no National (England) rows")
    if levels[1]:
        raise ValueError(f"{path.name}: some rows have a time_period that is not a year")


def compare_releases(old_path: Path, new_path: Path) -> ReleaseDiff:
    """What changed from the release at `old_path` to the one at `new_path`."""
    con = duckdb.connect()
    try:
        _load(con, Path(old_path), "old")
        _load(con, Path(new_path), "new")
        old_measures, new_measures = measures_in(Path(old_path)), measures_in(Path(new_path))
        shared = [m for m in new_measures if m in old_measures]
        revisions = con.execute(
            """
            SELECT o.year, o.geographic_level, o.area, o.measure, o.value AS old_value, o.symbol AS old_symbol,
                   n.value AS new_value, n.symbol AS new_symbol
            FROM old o JOIN new n USING (year, geographic_level, area, measure)
            WHERE list_contains(?, o.measure)
              AND (o.symbol IS DISTINCT FROM n.symbol
                   OR (o.value IS NULL) <> (n.value IS NULL)
                   OR abs(o.value - n.value) > ?)
            ORDER BY o.year, o.geographic_level, o.area, o.measure
            """,
            [shared, TOLERANCE],
        ).df()

        def distinct(sql: str, table: str) -> set:
            return {r[0] for r in con.execute(sql.format(t=table)).fetchall()}

        years_sql = "SELECT DISTINCT year FROM {t}"
        areas_sql = "SELECT DISTINCT area FROM {t}"
        old_years, new_years = distinct(years_sql, "old"), distinct(years_sql, "new")
        old_areas, new_areas = distinct(areas_sql, "old"), distinct(areas_sql, "new")
    finally:
        con.close()
    return ReleaseDiff(
        revisions=revisions,
        years_added=sorted(new_years - old_years),
        years_removed=sorted(old_years - new_years),
        areas_added=sorted(new_areas - old_areas),
        areas_removed=sorted(old_areas - new_areas),
        measures_added=[m for m in new_measures if m not in old_measures],
        measures_removed=[m for m in old_measures if m not in new_measures],
    )


def _write_canonical(source: Path, target: Path) -> None:
    """Write `source` to `target` with current column names (older names mapped), in the current column order."""
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [canonical_header(h) for h in next(reader)]
        index = {name: i for i, name in enumerate(header)}
        columns = [c for c in (*ID_COLUMNS, *MEASURES) if c in index]
        with target.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(columns)
            for row in reader:
                writer.writerow([row[index[c]] if index[c] < len(row) else "" for c in columns])


def refresh(new_file: Path | str, folder: Path | str | None = None, dry_run: bool = False) -> ReleaseDiff:
    """Compare `new_file` with the shipped release in `folder`, then (unless dry_run) replace it atomically."""
    target_dir = Path(folder) if folder is not None else reference_dir()
    target = target_dir / INDICATORS_FILE
    new_path = Path(new_file)
    diff = compare_releases(target, new_path)
    if dry_run:
        return diff
    handle, tmp_name = tempfile.mkstemp(prefix=".csww_indicators_", suffix=".csv", dir=target_dir)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        _write_canonical(new_path, tmp)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    reset(target_dir)
    return diff


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: print the report, return 0 on success, 2 when the file is refused."""
    parser = argparse.ArgumentParser(prog="python -m reference.refresh", description=__doc__.splitlines()[0])
    parser.add_argument("new_file", help="the newer DfE indicator CSV (current or older column names)")
    parser.add_argument("--dir", default=None, help="reference folder (default: data/reference)")
    parser.add_argument("--dry-run", action="store_true", help="report what would change; replace nothing")
    args = parser.parse_args(argv)
    try:
        diff = refresh(args.new_file, args.dir, args.dry_run)
    except ValueError as exc:
        print(f"Not refreshed: {exc}", file=sys.stderr)
        return 2
    print(diff.summary())
    print("Dry run: nothing replaced." if args.dry_run else f"Replaced {INDICATORS_FILE}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
