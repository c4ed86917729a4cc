"""From uploaded files to canonical tables, in steps the user can see and undo.

1. **read** (`read_upload`): bytes → raw sheets (`ingest.readers.read_file`, the one place raw
   bytes are parsed), the header row found, merged cells filled, formula cells with no saved
   value blanked, blank rows dropped, and a sample of each column's values kept.
2. **match** (`plan_upload`): each sheet's table recognised (by its name or its columns, unless
   the user says), files of another kind named, and every header matched with its reason
   (ingest.match), the user's mapping first.
3. **map**: the user's `ingest.mappings.Mapping` (column choices, value maps, assumptions, tables)
   changes the plan; nothing here remembers it.
4. **preview** and **load** (`load_upload`): types, derivations the user accepted, validation;
   sheets of one table stacked; breakdown rows added up; repeated rows set aside and counted
   against the file they are in.

`load(files, mapping)` does all four in one call (the CLI, the demo, tests). The Data page keeps
the `Upload` of step 1 in the session, so changing a choice re-runs steps 2–4 without reading
the file again. Nothing here raises for bad input: every failure is a Problem.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ingest import breakdown, config, derive, guard, kinds, mappings
from ingest.header import find_header_row, header_names
from ingest.mappings import Mapping
from ingest.match import (
    HOW_BREAKDOWN,
    HOW_NONE,
    HOW_REFUSED,
    HOW_TAKEN,
    ColumnMatch,
    Sample,
    match_sheet,
    quick_match,
    sample_column,
)
from ingest.model import ASSUMPTIONS, AssumptionNeeded, Problem
from ingest.readers import RawSheet, excel_letters
from ingest.schema import TABLES
from ingest.synonyms import derived_columns, norm_header, table_from_name
from ingest.validate import SheetData, validate
from ingest.workforce import Workforce, table_columns_sql

ASSUMABLE = ("worker_type", "fte")
"""Staff columns whose absence asks the user for an assumption instead of stopping the table."""
PREVIEW_ROWS = 5
IGNORE_TARGETS = mappings.NOT_LOADED_WORDS
UNMATCHED_HOWS = (HOW_NONE, HOW_REFUSED, HOW_TAKEN)
"""Match outcomes that leave a header for the user to decide."""
VALUE_PROBLEMS = ("Worker type not recognised", "Employment status not recognised")
"""Errors a value map on the Data page mends."""
STATUS_LOADS = "loads"
STATUS_NEEDS = "needs mapping"
STATUS_NOT_TABLE = "not a table"
STATUS_OTHER_KIND = "other kind"
STATUS_EMPTY = "empty"
STATUS_SKIPPED = "skipped"


# ---------------------------------------------------------------------------------------------
# What a load gives
# ---------------------------------------------------------------------------------------------


@dataclass
class UnmatchedSheet:
    """A sheet that needs the user: headers not matched and canonical columns still missing."""

    file: str
    sheet: str | None
    table: str | None
    """The table it most likely is (None when nothing matched)."""
    headers: list[str]
    """Every header of the sheet, in order."""
    unmatched_headers: list[str]
    """Headers matched to no canonical column (the mapping step offers these)."""
    missing_columns: list[str]
    """Required canonical columns still missing (the table does not load until they are mapped)."""
    preview: pd.DataFrame
    """The first rows, with the user's own headers."""
    loaded: bool = False
    """True when the table loaded anyway (only optional columns are unmatched)."""

    @property
    def label(self) -> str:
        """'file › sheet' (or the file alone for a CSV)."""
        return self.file if not self.sheet else f"{self.file} › {self.sheet}"


@dataclass
class SheetCount:
    """One sheet's (or CSV file's) rows: read, loaded into figures, set aside (with every reason counted)."""

    file: str
    sheet: str | None
    table: str | None
    rows: int
    loaded: int
    set_aside: int
    combined_into: int | None = None
    """When breakdown rows were added up: how many rows they became."""

    @property
    def label(self) -> str:
        return self.file if not self.sheet else f"{self.file} › {self.sheet}"


@dataclass
class LoadResult:
    """What `load` found: canonical tables, problems, and what the user still has to decide."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    assumptions_needed: list[AssumptionNeeded] = field(default_factory=list)
    """Every assumption the data could use (chosen or not: the page lets the user change their mind)."""
    unmatched: list[UnmatchedSheet] = field(default_factory=list)
    rows_set_aside: dict[str, int] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    present_columns: dict[str, list[str]] = field(default_factory=dict)
    """Canonical columns the upload supplied, per table (the rest are NULL in DuckDB)."""
    plans: list[SheetPlan] = field(default_factory=list)
    """Every sheet of the upload: its table, every header's match and why, what is missing."""
    counts: list[SheetCount] = field(default_factory=list)
    """Rows per sheet (or CSV file): read, loaded, set aside."""
    assumptions: dict[str, str] = field(default_factory=dict)
    """The assumptions the mapping accepted (Mapping.assume), applied by load or by to_workforce."""
    derivations: dict[str, str] = field(default_factory=dict)
    """Derivations worked out (key → the sentence shown beside the figures)."""
    mapping: Mapping = field(default_factory=Mapping)
    """The mapping this result was loaded with."""
    extract_date: dt.date | None = None
    """The extract date derivations used (None when none needed one)."""

    released: bool = False
    """True once `release_rows` has emptied the tables (their rows live in a Workforce now)."""

    @property
    def loaded_anything(self) -> bool:
        """True when at least one table has (or had, before release_rows) at least one row."""
        if self.released:
            return any(c.loaded for c in self.counts)
        return any(len(df) for df in self.tables.values())

    def release_rows(self) -> None:
        """Empty the tables (keeping their columns), once a Workforce holds the rows: one copy in memory, not two."""
        self.tables = {name: df.iloc[:0] for name, df in self.tables.items()}
        self.released = True

    @property
    def needs_user(self) -> bool:
        """True when something is left for the user: a sheet not loaded for want of a column, a header whose
        values argued against its automatic match, values no one can read (worker types, statuses), or an
        assumption offered and not yet answered. Extra headers nobody matched are not: they are reported."""
        if any(p.status == STATUS_NEEDS for p in self.plans):
            return True
        if any(m.how == HOW_REFUSED for p in self.plans if p.status == STATUS_LOADS for m in p.matches):
            return True
        if any(p.severity == "error" and p.message.startswith(VALUE_PROBLEMS) for p in self.problems):
            return True
        return any(a.column not in self.mapping.assume for a in self.assumptions_needed)

    def to_workforce(self, assumptions: dict[str, str] | None = None, label: str = "",
                     materialise: bool = True, connection: duckdb.DuckDBPyConnection | None = None) -> Workforce:
        """A Workforce holding these tables; chosen assumptions fill the missing staff columns and are recorded.

        `assumptions` add to (and override) those the mapping accepted. Without a chosen assumption a
        missing column stays NULL (figures needing it are off). `materialise=False` for one
        computation and done (see Workforce.materialise). `connection`: a new, empty in-memory
        DuckDB connection to hold them (default: one is made).
        """
        wanted = {**self.assumptions, **(assumptions or {})}
        chosen = {
            col: key
            for col, key in wanted.items()
            if col in ASSUMPTIONS and key in ASSUMPTIONS[col].options and col in self._missing_assumable()
        }
        workforce = Workforce(
            problems=list(self.problems),
            assumptions=chosen,
            sources=list(self.sources),
            label=label,
            rows_set_aside=dict(self.rows_set_aside),
            derivations=dict(self.derivations),
            materialise=materialise,
            **({"con": connection} if connection is not None else {}),
        )
        for name, df in self.tables.items():
            frame = df
            if name == "staff" and chosen:
                frame = df.copy()
                if "worker_type" in chosen:  # fills only rows from sheets that had no such column
                    frame["worker_type"] = _filled(frame, "worker_type", chosen["worker_type"])
                if "fte" in chosen:
                    frame["fte"] = _filled(frame, "fte", float(chosen["fte"]))
            workforce.add_table(name, frame, present_columns=self.present_columns.get(name))
        return workforce

    def _missing_assumable(self) -> set[str]:
        """Assumable staff columns the upload lacks."""
        return {a.column for a in self.assumptions_needed if a.column in ASSUMABLE}

    def matches(self) -> list[tuple[str, ColumnMatch]]:
        """(sheet label, match) for every header of every sheet, in upload order."""
        return [(p.label, m) for p in self.plans for m in p.matches]


def _filled(frame: pd.DataFrame, column: str, value: object) -> pd.Series:
    """`column` with its blanks set to `value` (the whole column when it is absent)."""
    if column not in frame.columns:
        return pd.Series([value] * len(frame), index=frame.index)
    return frame[column].astype(object).where(frame[column].notna(), value)


# ---------------------------------------------------------------------------------------------
# Step 1: read
# ---------------------------------------------------------------------------------------------


@dataclass
class SheetRead:
    """One sheet after reading: its headers, data cells (as text), row numbers and a sample of values."""

    file: str
    sheet: str | None
    headers: list[str]
    header_row: int | None
    """The Excel row (CSV line) of the header; None for an empty sheet."""
    cells: pa.Table
    rows: np.ndarray
    notes: list[Problem] = field(default_factory=list)
    """How it was read: header below a title, merged cells, formulas without values, stray quotes."""
    samples: list[Sample] = field(default_factory=list)
    preview: pd.DataFrame = field(default_factory=pd.DataFrame)
    parse_cache: dict = field(default_factory=dict, repr=False)
    """Columns already parsed (ingest.validate.SheetData.shared), so a preview after a change is quick."""

    @property
    def label(self) -> str:
        """'file › sheet' (or the file alone for a CSV)."""
        return self.file if not self.sheet else f"{self.file} › {self.sheet}"

    @property
    def empty(self) -> bool:
        return self.header_row is None

    def column(self, header: str) -> pa.ChunkedArray:
        """The cells under `header`."""
        return self.cells.column(self.headers.index(header))


@dataclass
class Upload:
    """Step 1's answer: every sheet read, and the problems with whole files."""

    sheets: list[SheetRead] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Data rows over all sheets."""
        return sum(len(s.rows) for s in self.sheets)


def _as_named_bytes(item: Any) -> tuple[str, bytes | None, int]:
    """(name, bytes, size) of a (name, bytes) pair or an object with .name/.getvalue(); for a path the
    bytes are None (read only after the size check, so an oversized file is never read)."""
    if isinstance(item, tuple) and len(item) == 2:
        name, data = item
        data = bytes(data) if not isinstance(data, bytes) else data
        return PurePath(str(name)).name, data, len(data)
    if hasattr(item, "getvalue") and hasattr(item, "name"):
        data = bytes(item.getvalue())
        return PurePath(str(item.name)).name, data, len(data)
    path = Path(os.fspath(item))
    return path.name, None, path.stat().st_size


def _size(item: Any) -> int:
    """Bytes of an upload item without reading a path (0 when it cannot be told)."""
    try:
        if isinstance(item, tuple) and len(item) == 2:
            return len(item[1])
        if hasattr(item, "size") and isinstance(item.size, int):
            return item.size
        if hasattr(item, "getvalue"):
            return len(item.getvalue())
        return Path(os.fspath(item)).stat().st_size
    except (OSError, TypeError, ValueError):
        return 0


def read_upload(files: Iterable[Any], *, max_upload_mb: float | None = None,
                progress: Callable[[str], None] | None = None) -> Upload:
    """Step 1: every file read into sheets (headers found, cells as text). Never raises for bad input."""
    limit = config.MAX_UPLOAD_MB if max_upload_mb is None else max_upload_mb
    upload = Upload()
    files = list(files)
    if limit != float("inf"):  # one upload's files together: a cap per session's selection (ingest.guard)
        too_much = guard.total_upload_problem([_size(item) for item in files])
        if too_much:
            upload.problems.append(Problem("Upload", None, None, None, too_much))
            return upload
    for item in files:
        try:
            name, data, size = _as_named_bytes(item)
        except (OSError, TypeError, ValueError):
            upload.problems.append(Problem(str(item), None, None, None, "This file could not be opened."))
            continue
        upload.sources.append(name)
        if size > limit * 1024 * 1024:
            upload.problems.append(Problem(
                name, None, None, None,
                f"This file is {size / 1024 / 1024:,.1f} MB, over the {limit:g} MB upload limit. Upload the "
                "staff extract on its own, or save it as .csv (smaller), or remove columns you do not need."))
            continue
        if data is None:
            try:
                data = Path(os.fspath(item)).read_bytes()
            except OSError:
                upload.problems.append(Problem(name, None, None, None, "This file could not be opened."))
                continue
        if not data:
            upload.problems.append(Problem(name, None, None, None, "This file is empty: there is nothing in it to load."))
            continue
        if progress:
            progress(f"Reading {name}")
        try:
            raws, problems = guard.read_file(name, data)  # parsed in a worker process, within limits
        except Exception:  # noqa: BLE001 - a reader failure is a problem with that file, never a traceback
            raws, problems = [], [Problem(name, None, None, None, "This file could not be read.")]
        upload.problems.extend(problems)
        for raw in raws:
            try:
                upload.sheets.append(read_sheet(raw))
            except Exception:  # noqa: BLE001 - one bad sheet must not lose the others
                upload.problems.append(Problem(raw.file, raw.sheet, None, None, "This sheet could not be read."))
    return upload


def read_sheet(raw: RawSheet) -> SheetRead:
    """One raw sheet → its header, data cells and samples (no interpretation of values yet)."""
    top = raw.cells.slice(0, 30).to_pylist()
    top_rows = [list(r.values()) for r in top]
    header_at = find_header_row(top_rows)
    if header_at is None:
        return SheetRead(raw.file, raw.sheet, [], None, raw.cells.slice(0, 0), np.zeros(0, dtype=np.int64),
                         [Problem(raw.file, raw.sheet, None, None, "This sheet is empty.", "warning")])
    header_row = int(raw.rows[header_at])
    headers = header_names(top_rows[header_at], raw.column_labels)
    cells = raw.cells.slice(header_at + 1)
    rows = raw.rows[header_at + 1 :]
    notes: list[Problem] = []
    if header_at > 0:
        notes.append(Problem(raw.file, raw.sheet, header_row, None,
                             f"Headers found on row {header_row}; the rows above were read as a title and skipped.",
                             "info"))
    if raw.merges:
        cells, merge_notes = _fill_merges(raw, cells, rows, headers, header_row)
        notes.extend(merge_notes)
    if raw.formulas:
        cells, formula_notes = _blank_formulas(raw, cells, rows, headers, header_row)
        notes.extend(formula_notes)
    cells, rows = _drop_blank_rows(cells, rows)
    samples = [sample_column(cells.column(i)) for i in range(min(cells.num_columns, len(headers)))]
    return SheetRead(raw.file, raw.sheet, headers, header_row, cells, rows, notes, samples, _preview(cells, headers))


def _blank_formulas(raw: RawSheet, cells: pa.Table, rows: np.ndarray, headers: list[str], header_row: int
                    ) -> tuple[pa.Table, list[Problem]]:
    """Formula cells Excel never worked out are read as blank, each named (any column, not only FTE)."""
    by_column: dict[int, list[int]] = {}
    for row, col in raw.formulas:
        if row > header_row and col < cells.num_columns:
            by_column.setdefault(col, []).append(row)
    problems: list[Problem] = []
    message = ("This cell holds a formula that Excel has never worked out (the file was written by a program, not "
               "saved from Excel), so it has no value and was read as blank. Open the file in Excel, save it, and "
               "upload it again.")
    for col, formula_rows in by_column.items():
        positions = np.searchsorted(rows, formula_rows)
        positions = positions[(positions < len(rows)) & (rows[np.minimum(positions, len(rows) - 1)] == formula_rows)]
        if not len(positions):
            continue
        mask = np.zeros(cells.num_rows, dtype=bool)
        mask[positions] = True
        column = cells.column(col)
        cells = cells.set_column(col, cells.column_names[col],
                                 pc.if_else(pa.array(mask), pa.scalar(None, pa.string()), column.cast(pa.string())))
        name = headers[col] if col < len(headers) else None
        listed = positions[: config.EXAMPLE_LIMIT]
        for p in listed:
            problems.append(Problem(raw.file, raw.sheet, int(rows[p]), name, message, "warning"))
        if len(positions) > len(listed):
            problems.append(Problem(raw.file, raw.sheet, None, name, message, "warning", None,
                                    len(positions) - len(listed)))
    return cells, problems


def _drop_blank_rows(cells: pa.Table, rows: np.ndarray) -> tuple[pa.Table, np.ndarray]:
    """Rows with no value in any cell are not data."""
    if cells.num_rows == 0 or cells.num_columns == 0:
        return cells, rows
    filled = None
    for column in cells.columns:
        has = pc.is_valid(column)
        filled = has if filled is None else pc.or_(filled, has)
    mask = np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)
    if mask.all():
        return cells, rows
    return cells.filter(pa.array(mask)), rows[mask]


def _fill_merges(
    raw: RawSheet, cells: pa.Table, rows: np.ndarray, headers: list[str], header_row: int
) -> tuple[pa.Table, list[Problem]]:
    """Copy each merged range's value into every row it covers (Excel keeps it only in the first cell)."""
    problems: list[Problem] = []
    changed: dict[int, np.ndarray] = {}
    for r1, c1, r2, c2 in raw.merges:
        if r2 <= header_row or r1 == r2:
            continue
        start = int(np.searchsorted(rows, max(r1, header_row + 1)))
        stop = int(np.searchsorted(rows, r2, side="right"))
        if start >= stop:
            continue
        for col in range(c1, c2 + 1):
            if col >= cells.num_columns:
                continue
            values = changed.get(col)
            if values is None:
                values = np.array(cells.column(col).to_pylist(), dtype=object)
                changed[col] = values
            values[start:stop] = values[start]
        label = f"{raw.column_labels[c1]}{r1}:{raw.column_labels[min(c2, len(raw.column_labels) - 1)]}{r2}"
        problems.append(Problem(raw.file, raw.sheet, r1, headers[c1] if c1 < len(headers) else None,
                                "Merged cells: the value was copied into every row of the merged range.", "info",
                                label))
    for col, values in changed.items():
        cells = cells.set_column(col, cells.column_names[col], pa.array(values.tolist(), pa.string()))
    return cells, problems


def _preview(cells: pa.Table, headers: list[str]) -> pd.DataFrame:
    """The first rows with the user's headers, all as text (for the mapping step)."""
    head = cells.slice(0, PREVIEW_ROWS).to_pylist()
    width = len(headers)
    return pd.DataFrame([list(r.values())[:width] for r in head], columns=headers, dtype="string")


# ---------------------------------------------------------------------------------------------
# Step 2: match (with the user's mapping)
# ---------------------------------------------------------------------------------------------


@dataclass
class SheetPlan:
    """What will happen to one sheet: its table, every header's match, what is missing, and why."""

    read: SheetRead
    table: str | None = None
    recognised: str = ""
    """How the table was decided: 'its name', 'its columns', 'your choice'."""
    matches: list[ColumnMatch] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    offers: list[AssumptionNeeded] = field(default_factory=list)
    status: str = STATUS_LOADS
    message: str = ""
    kind: kinds.Kind | None = None
    breakdown: list[str] = field(default_factory=list)
    """Headers of obvious breakdown columns (summary sheets)."""

    @property
    def label(self) -> str:
        return self.read.label

    @property
    def matched(self) -> dict[str, str]:
        """Column → header for the headers that load."""
        return {m.column: m.header for m in self.matches if m.column}

    @property
    def unmatched_headers(self) -> list[str]:
        """Headers left for the user (not matched, or refused by their values, or beaten to their column)."""
        return [m.header for m in self.matches if m.how in UNMATCHED_HOWS]


def plan_upload(upload: Upload, mapping: Mapping | None = None) -> list[SheetPlan]:
    """Step 2 for every sheet."""
    mapping = mapping or Mapping()
    return [plan_sheet(sheet, mapping) for sheet in upload.sheets]


def _user_columns(read: SheetRead, mapping: Mapping) -> dict[str, str]:
    """The column choices for this sheet: the server library's (when an administrator turned it on), then the user's."""
    choices = {norm_header(h): c for h, c in mappings.recall(read.headers).items()}
    choices.update(mapping.column_keys())
    return choices


def plan_sheet(read: SheetRead, mapping: Mapping) -> SheetPlan:
    """Step 2 for one sheet: recognise its table (or its kind) and match every header."""
    plan = SheetPlan(read)
    if read.empty:
        plan.status, plan.message = STATUS_EMPTY, "This sheet is empty."
        return plan
    user = _user_columns(read, mapping)
    chosen = mapping.table_for(read.sheet, read.file)
    if chosen == "":
        plan.status, plan.message = STATUS_SKIPPED, "You chose not to load this sheet."
        return plan
    named = sum(1 for h in read.headers if not h.startswith("Column "))
    if chosen is None and named < 2:
        plan.status = STATUS_NOT_TABLE
        plan.message = "This sheet does not look like a table (fewer than two column headers), so it was skipped."
        return plan
    if chosen in TABLES:
        plan.table, plan.recognised = chosen, "your choice"
    else:
        plan.table, plan.recognised = _recognise(read, user)
        kind = kinds.recognise(read.headers)
        if kind is not None and not _complete_staff(plan.table, read.headers, user):
            plan.kind, plan.table = kind, None
            plan.status, plan.message = STATUS_OTHER_KIND, kind.message()
            return plan
    if plan.table is None:
        plan.status = STATUS_NEEDS
        plan.message = ("No recognisable columns: this sheet matches none of the tables ("
                        + ", ".join(t.replace("_", " ") for t in TABLES) + "). Map its columns by hand, or leave it out.")
        plan.matches = [ColumnMatch(h, i, None, HOW_NONE, "no table recognised", examples=s.examples())
                        for i, (h, s) in enumerate(zip(read.headers, _samples(read), strict=True))]
        return plan
    plan.matches = match_sheet(read.headers, _samples(read), plan.table, user, mapping.value_keys())
    matched = plan.matched
    if plan.table == "staff":
        plan.offers = derive.offers(set(matched), mapping.assume)
    plan.missing = _missing(plan.table, matched, mapping.assume)
    if plan.table == "summary":
        plan.breakdown = [m.header for m in plan.matches if m.how in UNMATCHED_HOWS
                          and breakdown.is_breakdown_header(m.header)]
        plan.matches = [ColumnMatch(m.header, m.position, None, HOW_BREAKDOWN,
                                    "the figures are broken down by it: rows that share an area and period are added "
                                    "up over it", examples=m.examples) if m.header in plan.breakdown else m
                        for m in plan.matches]
    if plan.missing:
        plan.status = STATUS_NEEDS
        plan.message = (f"Looks like the {TABLES[plan.table].label.lower()} table, but it has no column for "
                        f"{', '.join(plan.missing)}. Map the columns by hand (or rename the headers) and upload "
                        "again; this sheet was not loaded.")
    return plan


def _samples(read: SheetRead) -> list[Sample]:
    """A sample per header (empty for a header with no cells)."""
    return [read.samples[i] if i < len(read.samples) else Sample([]) for i in range(len(read.headers))]


def _complete_staff(table: str | None, headers: list[str], user: dict[str, str]) -> bool:
    """True when the headers make a staff table with every required column (a real extract, whatever else)."""
    if table != "staff":
        return False
    return not _missing("staff", quick_match(headers, "staff", user), {})


def _needed(table: str) -> list[str]:
    """Columns a sheet must have for its table to load (staff worker_type/fte can be assumed)."""
    need = TABLES[table].required
    return [c for c in need if not (table == "staff" and c in ASSUMABLE)]


def _missing(table: str, matched: dict[str, str], assume: dict[str, str]) -> list[str]:
    """Required columns not matched (and an unmet one-of group, named as 'a or b').

    A start date worked out from years of service counts once the user accepts it.
    """
    have = set(matched)
    if table == "staff" and "years_of_service" in have and assume.get("start_date") == "years":
        have.add("start_date")
    missing = [c for c in _needed(table) if c not in have]
    for group in TABLES[table].one_of:
        if not any(c in have for c in group):
            missing.append(" or ".join(group))
    return missing


def _recognise(read: SheetRead, user: dict[str, str]) -> tuple[str | None, str]:
    """(table, how) for a sheet: by sheet name (file name for a CSV), unless its columns clearly say otherwise."""
    named = table_from_name(read.sheet if read.sheet else PurePath(read.file).stem)
    scores = {}
    for table in TABLES:
        matched = quick_match(read.headers, table, user)
        real = [c for c in matched if not c.startswith("_")]
        # Most columns matched wins; completeness only breaks ties, so a staff export
        # missing one required column is offered for mapping as staff, not loaded as
        # a one-column summary.
        scores[table] = (len(real), not _missing(table, matched, {}), -list(TABLES).index(table))
    best = max(scores, key=scores.get)
    if named:
        clearly_other = scores[best][1] and scores[best][0] >= 2 and scores[best][0] > scores[named][0]
        if scores[named][1] or not clearly_other:
            return named, "its name"
    return (best, "its columns") if scores[best][0] else (None, "")


# ---------------------------------------------------------------------------------------------
# Steps 3–4: load with the mapping (the preview is the same call)
# ---------------------------------------------------------------------------------------------


@dataclass
class _Outcome:
    """One sheet's contribution."""

    plan: SheetPlan
    table: str | None = None
    data: pa.Table | None = None
    present: list[str] = field(default_factory=list)
    set_aside: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    extract_date: dt.date | None = None


def load(
    files: Iterable[Any],
    mapping: Mapping | dict[str, str] | None = None,
    *,
    max_upload_mb: float | None = None,
    progress: Callable[[str], None] | None = None,
    today: dt.date | None = None,
    remember: bool = False,
) -> LoadResult:
    """Read, match, map and validate uploaded files in one call.

    `files`: (name, bytes) pairs, paths, or objects with `.name` and `.getvalue()`.
    `mapping`: a `Mapping`, or a plain header → canonical column dict (the user's choices win over
    automatic matches; '' means "do not load this header"). `remember` keeps the header choices in
    the server-side mapping library, only when an administrator has turned it on.
    Never raises for bad input: everything wrong is in `.problems`.
    """
    upload = read_upload(files, max_upload_mb=max_upload_mb, progress=progress)
    result = load_upload(upload, Mapping.coerce(mapping), today=today, progress=progress)
    if remember:
        remember_mapping(result)
    return result


def remember_mapping(result: LoadResult) -> bool:
    """Keep the user's header choices in the server-side library for each sheet they applied to.

    Does nothing (False) unless workforce_lens.toml [ingest] mapping_library is on.
    """
    written = False
    for plan in result.plans:
        if plan.status != STATUS_LOADS:
            continue
        keys = {norm_header(h) for h in plan.read.headers}
        choice = {h: c for h, c in result.mapping.columns.items() if norm_header(h) in keys}
        written = mappings.remember(plan.read.headers, choice) or written
    return written


def load_upload(upload: Upload, mapping: Mapping | None = None, *, today: dt.date | None = None,
                progress: Callable[[str], None] | None = None) -> LoadResult:
    """Steps 2–4 on an Upload already read: what the preview shows and what Apply loads."""
    mapping = mapping or Mapping()
    result = LoadResult(sources=list(upload.sources), mapping=mapping, problems=list(upload.problems))
    result.plans = plan_upload(upload, mapping)
    outcomes: list[_Outcome] = []
    for plan in result.plans:
        if progress and plan.status == STATUS_LOADS:
            progress(f"Checking {plan.label}")
        try:
            outcome = _build(plan, mapping, today)
        except Exception:  # noqa: BLE001 - one bad sheet must not lose the others
            outcome = _Outcome(plan, problems=[Problem(plan.read.file, plan.read.sheet, None, None,
                                                       "This sheet could not be read.")])
        outcomes.append(outcome)
    _combine(result, outcomes, mapping)
    return result


def _plan_problems(plan: SheetPlan) -> list[Problem]:
    """The sheet-level problems a plan states (not loaded, other kind, unmatched headers)."""
    read = plan.read
    if plan.status == STATUS_EMPTY:
        return list(read.notes)
    if plan.status == STATUS_NOT_TABLE:
        return [Problem(read.file, read.sheet, None, None, plan.message, "info")]
    if plan.status == STATUS_SKIPPED:
        return [Problem(read.file, read.sheet, None, None, plan.message, "info")]
    if plan.status == STATUS_OTHER_KIND:
        return [Problem(read.file, read.sheet, None, None, plan.message, "error")]
    if plan.status == STATUS_NEEDS and plan.table is None:
        return [Problem(read.file, read.sheet, None, None, plan.message, "warning")]
    if plan.status == STATUS_NEEDS:
        return [Problem(read.file, read.sheet, read.header_row, None, plan.message)]
    return []


def _build(plan: SheetPlan, mapping: Mapping, today: dt.date | None) -> _Outcome:
    """Steps 3–4 for one sheet: typed, derived and validated canonical columns (or why not)."""
    out = _Outcome(plan, problems=_plan_problems(plan))
    read = plan.read
    if plan.status != STATUS_LOADS or plan.table is None:
        return out
    table = plan.table
    out.table = table
    out.problems.extend(read.notes)
    unmatched = plan.unmatched_headers
    if unmatched:
        out.problems.append(Problem(
            read.file, read.sheet, read.header_row, None,
            "Columns not recognised, so not loaded: " + ", ".join(unmatched) + ". Map them by hand if they hold one "
            "of the table's columns.", "info"))
    if len(read.rows) == 0:
        out.problems.append(Problem(read.file, read.sheet, None, None, "This sheet has headers but no rows of data.",
                                    "warning"))
    position = {h: i for i, h in enumerate(read.headers)}
    matched = plan.matched
    columns = {col: read.cells.column(position[h]) for col, h in matched.items()}
    data = SheetData(read.file, read.sheet, table, columns, dict(matched), read.rows,
                     value_maps=mapping.value_keys(), shared=read.parse_cache)
    validate(data, today, assume=mapping.assume)
    if data.notes is not None:
        out.notes = dict(data.notes.notes)
        out.extract_date = data.notes.extract_date if data.notes.notes else None
        for sentence in out.notes.values():
            out.problems.append(Problem(read.file, read.sheet, None, None, sentence, "info"))
    out.problems.extend(data.problems)
    keep = ~data.drop
    out.set_aside = int(data.drop.sum())
    order = [c for c, _ in table_columns_sql(table)]
    arrays = {name: data.out[name] for name in order if name in data.out}
    arrays["_row"] = pa.array(read.rows, pa.int64())
    if table == "summary":
        arrays.update(breakdown.breakdown_arrays([read.column(h) for h in plan.breakdown], len(read.rows)))
    table_arrow = pa.table(arrays)
    if out.set_aside:
        table_arrow = table_arrow.filter(pa.array(keep))
    out.data = _with_label(table_arrow, read.label)
    canonical = set(TABLES[table].column_names)
    out.present = [c for c in list(matched) + list(data.derived) if c in canonical]
    return out


def _with_label(table: pa.Table, label: str) -> pa.Table:
    """Add the 'file › sheet' label as a dictionary column (cheap for a million rows)."""
    labels = pa.DictionaryArray.from_arrays(pa.array(np.zeros(table.num_rows, dtype=np.int32)), pa.array([label]))
    return table.append_column("_label", labels)


def _unmatched_sheet(plan: SheetPlan) -> UnmatchedSheet | None:
    """The UnmatchedSheet (for the CLI and older callers) of a plan with something left to decide."""
    read = plan.read
    if plan.status == STATUS_NEEDS and plan.table is None:
        return UnmatchedSheet(read.file, read.sheet, None, read.headers, list(read.headers), [], read.preview)
    if plan.status == STATUS_NEEDS:
        return UnmatchedSheet(read.file, read.sheet, plan.table, read.headers, plan.unmatched_headers,
                              plan.missing, read.preview)
    if plan.status == STATUS_LOADS and plan.unmatched_headers:
        return UnmatchedSheet(read.file, read.sheet, plan.table, read.headers, plan.unmatched_headers, [],
                              read.preview, loaded=True)
    return None


def _combine(result: LoadResult, outcomes: list[_Outcome], mapping: Mapping) -> None:
    """Stack each table's sheets, add up breakdowns, set aside repeats, and fill the LoadResult."""
    by_table: dict[str, list[_Outcome]] = {}
    offers: dict[str, AssumptionNeeded] = {}
    for outcome in outcomes:
        result.problems.extend(outcome.problems)
        unmatched = _unmatched_sheet(outcome.plan)
        if unmatched is not None:
            result.unmatched.append(unmatched)
        for offer in outcome.plan.offers:
            if offer.column not in offers:
                offers[offer.column] = offer
            else:  # several staff sheets: one offer with every option any of them has
                merged = {**offers[offer.column].options, **offer.options}
                offers[offer.column] = AssumptionNeeded(offer.table, offer.column, offer.question, merged)
        result.derivations.update(outcome.notes)
        if outcome.extract_date is not None:
            result.extract_date = outcome.extract_date
        if outcome.table is None or outcome.data is None:
            if outcome.plan.status in (STATUS_LOADS, STATUS_NEEDS, STATUS_OTHER_KIND) and outcome.plan.read.header_row:
                result.counts.append(SheetCount(outcome.plan.read.file, outcome.plan.read.sheet, outcome.plan.table,
                                                len(outcome.plan.read.rows), 0, 0))
            continue
        by_table.setdefault(outcome.table, []).append(outcome)
    rank = {c: i for i, c in enumerate(("worker_type", "fte", "start_date", "annual_salary", "leavers"))}
    result.assumptions_needed = sorted(offers.values(), key=lambda a: rank.get(a.column, len(rank)))
    for table, parts in by_table.items():
        try:
            _combine_table(result, table, parts, mapping)
        except Exception:  # noqa: BLE001 - a failure here is reported against the table, never raised
            files = ", ".join(sorted({p.plan.label for p in parts}))
            result.problems.append(Problem(files or table, None, None, None, f"The {table} table could not be loaded."))
    offered = {a.column for a in result.assumptions_needed}
    result.assumptions = {k: v for k, v in mapping.assume.items() if k in offered and k in ASSUMABLE}
    order = {p.label: i for i, p in enumerate(result.plans)}
    result.counts.sort(key=lambda c: order.get(c.label, len(order)))


def _combine_table(result: LoadResult, table: str, parts: list[_Outcome], mapping: Mapping) -> None:
    """Stack one table's sheets into result.tables; staff and summary repeats set aside (or added up)."""
    stacked = pa.concat_tables([p.data for p in parts], promote_options="permissive")
    present = sorted({c for p in parts for c in p.present}, key=TABLES[table].column_names.index)
    counts = {p.plan.label: SheetCount(p.plan.read.file, p.plan.read.sheet, table, len(p.plan.read.rows),
                                       len(p.plan.read.rows) - p.set_aside, p.set_aside) for p in parts}
    repeats: dict[str, int] = {}
    if table == "staff":
        stacked, repeats = _staff_duplicates(stacked, result.problems)
    if table == "summary":
        stacked, repeats, offer = _summary_rows(stacked, result, parts, mapping, counts)
        if offer is not None:
            result.assumptions_needed.append(offer)
    for label, n in repeats.items():
        if label in counts:
            counts[label].set_aside += n
            counts[label].loaded -= n
    result.counts.extend(counts.values())
    result.rows_set_aside[table] = sum(c.set_aside for c in counts.values())
    result.present_columns[table] = present
    result.tables[table] = _to_frame(stacked, table)


def _staff_duplicates(stacked: pa.Table, problems: list[Problem]) -> tuple[pa.Table, dict[str, int]]:
    """Set aside every repeat of a worker_id + start_date after its first row; repeats counted per sheet."""
    if "worker_id" not in stacked.column_names or "start_date" not in stacked.column_names or not stacked.num_rows:
        return stacked, {}
    n = stacked.num_rows
    ids = pc.dictionary_encode(stacked.column("worker_id").combine_chunks()).indices.to_numpy(zero_copy_only=False)
    days = pc.cast(stacked.column("start_date"), pa.int32()).to_numpy(zero_copy_only=False)
    key = pd.Series((ids.astype(np.int64) << 32) | (days.astype(np.int64) + (1 << 31)))
    repeat = key.duplicated(keep="first").to_numpy()
    if not repeat.any():
        return stacked, {}
    first_pos = pd.Series(np.arange(n)).groupby(key.to_numpy()).transform("min").to_numpy()
    worker = stacked.column("worker_id")
    start = stacked.column("start_date")
    rows = stacked.column("_row").to_numpy()
    idx = np.flatnonzero(repeat)
    label_col = stacked.column("_label")
    all_labels = pc.cast(label_col.take(pa.array(idx)), pa.string()).to_pylist()
    per_sheet: dict[str, int] = {}
    for label in all_labels:
        per_sheet[label] = per_sheet.get(label, 0) + 1
    shown = idx[: config.EXAMPLE_LIMIT]
    shown_labels = all_labels[: len(shown)]
    first_labels = pc.cast(label_col.take(pa.array(first_pos[shown])), pa.string()).to_pylist()
    message = "Same worker_id and start_date as an earlier row, so this repeat was set aside (the first was kept)."
    for i, label, first_label in zip(shown, shown_labels, first_labels, strict=True):
        file, _, sheet = label.partition(" › ")
        where = f"row {rows[first_pos[i]]}" + (f" of {first_label}" if first_label != label else "")
        value = f"{worker[int(i)].as_py()} / {start[int(i)].as_py()} (first at {where})"
        problems.append(Problem(file, sheet or None, int(rows[i]), "worker_id + start_date", message, "error", value))
    _count_the_rest(problems, per_sheet, Counter(shown_labels), "worker_id + start_date", message)
    return stacked.filter(pa.array(~repeat)), per_sheet


def _count_the_rest(problems: list[Problem], per_sheet: dict[str, int], listed: Counter, column: str,
                    message: str) -> None:
    """One problem per sheet for the repeats not listed row by row, with their count (so every repeat is counted)."""
    for label, total in per_sheet.items():
        rest = total - listed.get(label, 0)
        if rest:
            file, _, sheet = label.partition(" › ")
            problems.append(Problem(file, sheet or None, None, column, message, "error", None, rest))


def _summary_rows(stacked: pa.Table, result: LoadResult, parts: list[_Outcome], mapping: Mapping,
                  counts: dict[str, SheetCount]) -> tuple[pa.Table, dict[str, int], AssumptionNeeded | None]:
    """One row per area and period: breakdowns added up (automatically for obvious breakdown columns, or when
    the user said so), otherwise later repeats set aside and counted (and adding up offered when they share a sheet)."""
    keys = [c for c in breakdown.KEYS if c in stacked.column_names]
    frame = stacked.select(keys).to_pandas()
    repeat = frame.duplicated(keep="first").to_numpy()
    offer = None
    if repeat.any():
        labels = pc.cast(stacked.column("_label"), pa.string()).to_numpy(zero_copy_only=False)
        within = frame.assign(_l=labels).duplicated(keep="first").to_numpy()
        obvious = any(p.plan.breakdown for p in parts)
        choice = mapping.assume.get("add_up", "")
        add = choice == "yes" or (obvious and choice != "no")
        if within.any() and not obvious:
            offer = AssumptionNeeded(
                "summary", "add_up",
                "Several rows of the summary share an area and period (the file may be broken down, e.g. by staff "
                "group). Add them up?",
                {"yes": "Rows that share an area and period were added up (the file is a breakdown).",
                 "no": "Rows that share an area and period are repeats: the first is kept and the rest set aside."})
        if add and within.any():
            return _added_up(stacked, keys, result, parts, counts) + (offer,)
    return _drop_breakdown(_summary_duplicates(stacked, result.problems, keys)) + (offer,)


def _added_up(stacked: pa.Table, keys: list[str], result: LoadResult, parts: list[_Outcome],
              counts: dict[str, SheetCount]) -> tuple[pa.Table, dict[str, int]]:
    """Add up the summary's breakdown rows and say so (which columns, how many rows into how many)."""
    table, done = breakdown.add_up(stacked, keys)
    names = sorted({h for p in parts for h in p.plan.breakdown}) or ["the columns not loaded"]
    message = (f"{done.shared:,} rows share an area and period with another row, broken down by {', '.join(names)}: "
               f"they were added up into {done.groups:,} rows, one per area and period (FTE, headcount and other counts "
               "summed; rates worked out again from the sums; a suppressed part makes the total unknown).")
    if done.used_totals:
        message += (f" For {done.used_totals:,} area(s) the file's own total row was used instead, and the "
                    f"{done.left_out:,} other rows for them were left out, so nothing is counted twice.")
    for label in done.labels:
        file, _, sheet = label.partition(" › ")
        result.problems.append(Problem(file, sheet or None, None, None, message, "info"))
        if label in counts:
            counts[label].combined_into = int(
                sum(1 for v in pc.cast(table.column("_label"), pa.string()).to_pylist() if v == label))
    if "add_up" not in result.derivations:
        result.derivations["add_up"] = derive.sentence("add_up", "yes", 0, None)
    return _drop_breakdown((table, {}))


def _drop_breakdown(pair: tuple[pa.Table, dict[str, int]]) -> tuple[pa.Table, dict[str, int]]:
    """The table without the breakdown helper columns."""
    table, repeats = pair
    keep = [c for c in table.column_names if c not in (breakdown.BREAKDOWN, breakdown.TOTALS, breakdown.PARTS)]
    return table.select(keep), repeats


def _summary_duplicates(stacked: pa.Table, problems: list[Problem], keys: list[str]
                        ) -> tuple[pa.Table, dict[str, int]]:
    """One row per area and period: later repeats (e.g. two releases of the DfE file) are set aside."""
    frame = stacked.select(keys).to_pandas()
    repeat = frame.duplicated(keep="first").to_numpy()
    if not repeat.any():
        return stacked, {}
    labels = pc.cast(stacked.column("_label"), pa.string()).to_pylist()
    rows = stacked.column("_row").to_numpy()
    message = ("Same area and period as an earlier row, so this repeat was set aside (the first was kept). If the "
               "file is a breakdown (several rows per area), choose to add the rows up on the Data page "
               "(or --assume add_up=yes).")
    idx = np.flatnonzero(repeat)
    per_sheet: dict[str, int] = {}
    for i in idx:
        per_sheet[labels[i]] = per_sheet.get(labels[i], 0) + 1
    listed: Counter = Counter()
    for i in idx[: config.EXAMPLE_LIMIT]:
        file, _, sheet = labels[i].partition(" › ")
        listed[labels[i]] += 1
        value = " / ".join(str(frame[k].iloc[i]) for k in keys)
        problems.append(Problem(file, sheet or None, int(rows[i]), "service_area + period", message, "error", value))
    _count_the_rest(problems, per_sheet, listed, "service_area + period", message)
    return stacked.filter(pa.array(~repeat)), per_sheet


def _to_frame(stacked: pa.Table, table: str) -> pd.DataFrame:
    """The canonical DataFrame: staff gets source_row ('staff.xlsx › Staff row 12'); helper columns dropped."""
    if table == "staff":
        labels = pc.cast(stacked.column("_label"), pa.string())
        numbers = pc.cast(stacked.column("_row"), pa.string())
        source = pc.binary_join_element_wise(labels, numbers, " row ")
        stacked = stacked.append_column("source_row", source)
    keep = [c for c in stacked.column_names if not c.startswith("_")]
    frame = stacked.select(keep).to_pandas(date_as_object=False, types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    return frame


_DEMO: dict[tuple[int, int], LoadResult] = {}
_DEMO_LOCK = threading.Lock()


def _demo_result(path: Path) -> LoadResult:
    """The demo workbook read and checked once per process (per version of the file).

    Every session that opens on the demo gets its tables from here, not from reading the workbook
    again: the demo is synthetic and the same for everyone. Only the demo is kept; an upload never is.
    """
    stat = path.stat()
    version = (stat.st_size, int(stat.st_mtime_ns))
    with _DEMO_LOCK:
        result = _DEMO.get(version)
        if result is None:
            result = load([path], max_upload_mb=float("inf"))
            _DEMO.clear()
            _DEMO[version] = result
    return result


def load_demo() -> Workforce:
    """The bundled demo council (data/demo/demo_council.xlsx) as a new Workforce, labelled as the demo.

    Each call gives a Workforce of its own (its own DuckDB connection, never shared between sessions),
    built from the demo's tables as read once per process (`_demo_result`).
    """
    path = config.ROOT / "data" / "demo" / "demo_council.xlsx"
    workforce = _demo_result(path).to_workforce(label="Demo: Shireford County Council")
    workforce.is_demo = True
    return workforce


def derivation_columns(table: str) -> list[str]:
    """The derivation source columns of a table (what ingest.derive works from)."""
    return derived_columns(table)


__all__ = ["LoadResult", "SheetCount", "SheetPlan", "SheetRead", "UnmatchedSheet", "Upload", "excel_letters", "load",
           "load_demo", "load_upload", "plan_upload", "read_upload"]
