"""`load`: files in, canonical tables + problems + what still needs the user out.

Steps per sheet: find the header row, fill merged cells, recognise the table (by
sheet/file name, else by its columns), match headers (user mapping, remembered
mapping, then synonyms.toml), type and validate (ingest.validate). Sheets of the
same table are stacked; repeated staff worker_id + start_date are then set aside.
Nothing here raises for bad input: every failure is a Problem.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ingest import config, guard, mappings
from ingest.header import find_header_row, header_names
from ingest.model import ASSUMPTIONS, AssumptionNeeded, Problem
from ingest.readers import RawSheet, excel_letters
from ingest.schema import TABLES
from ingest.synonyms import column_lookup, ignored_headers, norm_header, table_from_name
from ingest.validate import SheetData, validate
from ingest.workforce import Workforce, table_columns_sql

ASSUMABLE = ("worker_type", "fte")
"""Staff columns whose absence asks the user for an assumption instead of stopping the table."""
PREVIEW_ROWS = 5
IGNORE_TARGETS = {"", "ignore", "(ignore)", "(ignore this column)", "none"}


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
class LoadResult:
    """What `load` found: canonical tables, problems, and what the user still has to decide."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    assumptions_needed: list[AssumptionNeeded] = field(default_factory=list)
    unmatched: list[UnmatchedSheet] = field(default_factory=list)
    rows_set_aside: dict[str, int] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    present_columns: dict[str, list[str]] = field(default_factory=dict)
    """Canonical columns the upload supplied, per table (the rest are NULL in DuckDB)."""

    @property
    def loaded_anything(self) -> bool:
        """True when at least one table has at least one row."""
        return any(len(df) for df in self.tables.values())

    def to_workforce(self, assumptions: dict[str, str] | None = None, label: str = "") -> Workforce:
        """A Workforce holding these tables; chosen assumptions fill the missing staff columns and are recorded.

        Without a chosen assumption a missing column stays NULL (figures needing it are off).
        """
        chosen = {
            col: key
            for col, key in (assumptions or {}).items()
            if col in ASSUMPTIONS and key in ASSUMPTIONS[col].options and col in self._missing_assumable()
        }
        workforce = Workforce(
            problems=list(self.problems),
            assumptions=chosen,
            sources=list(self.sources),
            label=label,
            rows_set_aside=dict(self.rows_set_aside),
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
        return {a.column for a in self.assumptions_needed}


def _filled(frame: pd.DataFrame, column: str, value: object) -> pd.Series:
    """`column` with its blanks set to `value` (the whole column when it is absent)."""
    if column not in frame.columns:
        return pd.Series([value] * len(frame), index=frame.index)
    return frame[column].astype(object).where(frame[column].notna(), value)


@dataclass
class _Outcome:
    """One sheet's contribution."""

    table: str | None = None
    data: pa.Table | None = None
    present: list[str] = field(default_factory=list)
    set_aside: int = 0
    problems: list[Problem] = field(default_factory=list)
    unmatched: UnmatchedSheet | None = None
    missing_assumable: list[str] = field(default_factory=list)


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


def load(
    files: Iterable[Any],
    mapping: dict[str, str] | None = None,
    *,
    max_upload_mb: float | None = None,
    progress: Callable[[str], None] | None = None,
    today: dt.date | None = None,
    remember: bool = False,
) -> LoadResult:
    """Read, match, normalise and validate uploaded files.

    `files`: (name, bytes) pairs, paths, or objects with `.name` and `.getvalue()`.
    `mapping`: header → canonical column chosen by the user (applied before the
    synonyms, and before any mapping remembered for the same headers). `remember`
    saves `mapping` for each sheet it was applied to (headers only, never data).
    Never raises for bad input: everything wrong is in `.problems`.
    """
    limit = config.MAX_UPLOAD_MB if max_upload_mb is None else max_upload_mb
    result = LoadResult()
    outcomes: list[_Outcome] = []
    files = list(files)
    if limit != float("inf"):  # one upload's files together: a cap per session's selection (ingest.guard)
        too_much = guard.total_upload_problem([_size(item) for item in files])
        if too_much:
            result.problems.append(Problem("Upload", None, None, None, too_much))
            return result
    for item in files:
        try:
            name, data, size = _as_named_bytes(item)
        except (OSError, TypeError, ValueError):
            result.problems.append(Problem(str(item), None, None, None, "This file could not be opened."))
            continue
        result.sources.append(name)
        if size > limit * 1024 * 1024:
            result.problems.append(
                Problem(
                    name,
                    None,
                    None,
                    None,
                    f"This file is {size / 1024 / 1024:,.1f} MB, over the {limit:g} MB upload limit. Upload the "
                    "staff extract on its own, or save it as .csv (smaller), or remove columns you do not need.",
                )
            )
            continue
        if data is None:
            try:
                data = Path(os.fspath(item)).read_bytes()
            except OSError:
                result.problems.append(Problem(name, None, None, None, "This file could not be opened."))
                continue
        if not data:
            result.problems.append(
                Problem(name, None, None, None, "This file is empty: there is nothing in it to load.")
            )
            continue
        if progress:
            progress(f"Reading {name}")
        try:
            sheets, problems = guard.read_file(name, data)  # parsed in a worker process, within limits
        except Exception:  # noqa: BLE001 - a reader failure is a problem with that file, never a traceback
            sheets, problems = [], [Problem(name, None, None, None, "This file could not be read.")]
        result.problems.extend(problems)
        for raw in sheets:
            if progress:
                progress(f"Checking {raw.label}")
            try:
                outcome = _process_sheet(raw, mapping or {}, today, remember)
            except Exception:  # noqa: BLE001 - one bad sheet must not lose the others
                outcome = _Outcome(problems=[Problem(raw.file, raw.sheet, None, None, "This sheet could not be read.")])
            outcomes.append(outcome)
    _combine(result, outcomes)
    return result


def _norm_mapping(mapping: dict[str, str]) -> dict[str, str]:
    """A mapping keyed by normalised header."""
    return {norm_header(k): (v or "") for k, v in mapping.items()}


def _match(headers: list[str], table: str, mapping: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """(canonical column → header, unmatched headers) for `table`.

    The user's mapping wins, then synonyms by priority; a second header for a
    column already taken is unmatched.
    """
    lookup = column_lookup(table)
    ignored = ignored_headers(table)
    names = set(TABLES[table].column_names)
    candidates: list[tuple[int, int, str, str]] = []
    unmatched: list[str] = []
    for position, header in enumerate(headers):
        key = norm_header(header)
        if key in mapping:
            target = mapping[key]
            if target.strip().lower() in IGNORE_TARGETS:
                continue
            if target in names or target in {c for c, _ in lookup.values()}:
                candidates.append((-1, position, target, header))
                continue
        if key in lookup:
            column, priority = lookup[key]
            candidates.append((priority, position, column, header))
        elif key not in ignored and not header.startswith("Column "):
            unmatched.append(header)
    matched: dict[str, str] = {}
    for _priority, _position, column, header in sorted(candidates):
        if column in matched:
            unmatched.append(header)
        else:
            matched[column] = header
    order = {h: i for i, h in enumerate(headers)}
    return matched, sorted(unmatched, key=order.get)


def _needed(table: str) -> list[str]:
    """Columns a sheet must have for its table to load (staff worker_type/fte can be assumed)."""
    need = TABLES[table].required
    return [c for c in need if not (table == "staff" and c in ASSUMABLE)]


def _missing(table: str, matched: dict[str, str]) -> list[str]:
    """Required columns not matched (and an unmet one-of group, named as 'a or b')."""
    missing = [c for c in _needed(table) if c not in matched]
    for group in TABLES[table].one_of:
        if not any(c in matched for c in group):
            missing.append(" or ".join(group))
    return missing


def _recognise(raw: RawSheet, headers: list[str], mapping: dict[str, str]) -> str | None:
    """The table a sheet holds: by sheet name (file name for a CSV), unless its columns clearly say otherwise."""
    named = table_from_name(raw.sheet if raw.sheet else PurePath(raw.file).stem)
    scores = {}
    for table in TABLES:
        matched, _ = _match(headers, table, mapping)
        real = [c for c in matched if not c.startswith("_")]
        # Most columns matched wins; completeness only breaks ties, so a staff export
        # missing one required column is offered for mapping as staff, not loaded as
        # a one-column summary.
        scores[table] = (len(real), not _missing(table, matched), -list(TABLES).index(table))
    best = max(scores, key=scores.get)
    if named:
        clearly_other = scores[best][1] and scores[best][0] >= 2 and scores[best][0] > scores[named][0]
        if scores[named][1] or not clearly_other:
            return named
    return best if scores[best][0] else None


def _process_sheet(raw: RawSheet, user_mapping: dict[str, str], today: dt.date | None, remember: bool) -> _Outcome:
    """One raw sheet → a typed, validated canonical table (or the reason it is not one)."""
    out = _Outcome()
    top = raw.cells.slice(0, 30).to_pylist()
    top_rows = [list(r.values()) for r in top]
    header_at = find_header_row(top_rows)
    if header_at is None:
        out.problems.append(Problem(raw.file, raw.sheet, None, None, "This sheet is empty.", "warning"))
        return out
    header_row_number = int(raw.rows[header_at])
    headers = header_names(top_rows[header_at], raw.column_labels)
    cells = raw.cells.slice(header_at + 1)
    rows = raw.rows[header_at + 1 :]
    merge_problems: list[Problem] = []
    if raw.merges:
        cells, merge_problems = _fill_merges(raw, cells, rows, headers, header_row_number)
    cells, rows = _drop_blank_rows(cells, rows)
    if header_at > 0:
        out.problems.append(
            Problem(
                raw.file,
                raw.sheet,
                header_row_number,
                None,
                f"Headers found on row {header_row_number}; the rows above were read as a title and skipped.",
                "info",
            )
        )
    mapping = _norm_mapping(mappings.recall(headers))
    mapping.update(_norm_mapping(user_mapping))
    table = _recognise(raw, headers, mapping)
    preview = _preview(cells, headers)
    if table is None and sum(1 for h in headers if not h.startswith("Column ")) < 2:
        out.problems.append(
            Problem(
                raw.file,
                raw.sheet,
                None,
                None,
                "This sheet does not look like a table (fewer than two column headers), so it was skipped.",
                "info",
            )
        )
        return out
    if table is None:
        out.problems.append(
            Problem(
                raw.file,
                raw.sheet,
                None,
                None,
                "No recognisable columns: this sheet matches none of the tables (staff, establishment, market pay, "
                "agency caps, recruitment, summary). Map its columns by hand, or leave it out.",
                "warning",
            )
        )
        out.unmatched = UnmatchedSheet(raw.file, raw.sheet, None, headers, headers, [], preview)
        return out
    matched, unmatched = _match(headers, table, mapping)
    missing = _missing(table, matched)
    out.table = table
    if missing:
        out.problems.append(
            Problem(
                raw.file,
                raw.sheet,
                header_row_number,
                None,
                f"Looks like the {TABLES[table].label.lower()} table, but it has no column for "
                f"{', '.join(missing)}. Map the columns by hand (or rename the headers) and upload again; "
                "this sheet was not loaded.",
            )
        )
        out.unmatched = UnmatchedSheet(raw.file, raw.sheet, table, headers, unmatched, missing, preview)
        out.table = None
        return out
    if remember and user_mapping:
        mappings.remember(headers, {h: c for h, c in user_mapping.items() if h in headers})
    out.problems.extend(merge_problems)
    if unmatched:
        out.unmatched = UnmatchedSheet(raw.file, raw.sheet, table, headers, unmatched, [], preview, loaded=True)
        out.problems.append(
            Problem(
                raw.file,
                raw.sheet,
                header_row_number,
                None,
                "Columns not recognised, so not loaded: " + ", ".join(unmatched) + ". Map them by hand if they "
                "hold one of the table's columns.",
                "info",
            )
        )
    if table == "staff":
        out.missing_assumable = [c for c in ASSUMABLE if c not in matched]
    if len(rows) == 0:
        out.problems.append(
            Problem(raw.file, raw.sheet, None, None, "This sheet has headers but no rows of data.", "warning")
        )
    position = {h: i for i, h in enumerate(headers)}
    columns = {col: cells.column(position[h]) for col, h in matched.items()}
    data = SheetData(raw.file, raw.sheet, table, columns, matched, rows)
    validate(data, today)
    out.problems.extend(data.problems)
    keep = ~data.drop
    out.set_aside = int(data.drop.sum())
    order = [c for c, _ in table_columns_sql(table)]
    arrays = {name: data.out[name] for name in order if name in data.out}
    arrays["_row"] = pa.array(rows, pa.int64())
    table_arrow = pa.table(arrays)
    if out.set_aside:
        table_arrow = table_arrow.filter(pa.array(keep))
    out.data = _with_label(table_arrow, raw.label)
    out.present = [c for c in matched if not c.startswith("_") and c in TABLES[table].column_names]
    return out


def _with_label(table: pa.Table, label: str) -> pa.Table:
    """Add the 'file › sheet' label as a dictionary column (cheap for a million rows)."""
    labels = pa.DictionaryArray.from_arrays(pa.array(np.zeros(table.num_rows, dtype=np.int32)), pa.array([label]))
    return table.append_column("_label", labels)


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
        problems.append(
            Problem(
                raw.file,
                raw.sheet,
                r1,
                headers[c1] if c1 < len(headers) else None,
                "Merged cells: the value was copied into every row of the merged range.",
                "info",
                label,
            )
        )
    for col, values in changed.items():
        cells = cells.set_column(col, cells.column_names[col], pa.array(values.tolist(), pa.string()))
    return cells, problems


def _preview(cells: pa.Table, headers: list[str]) -> pd.DataFrame:
    """The first rows with the user's headers, all as text (for the mapping step)."""
    head = cells.slice(0, PREVIEW_ROWS).to_pylist()
    return pd.DataFrame([list(r.values()) for r in head], columns=headers, dtype="string")


def _combine(result: LoadResult, outcomes: list[_Outcome]) -> None:
    """Stack each table's sheets, check staff duplicates across them, and fill the LoadResult."""
    by_table: dict[str, list[_Outcome]] = {}
    missing_assumable: set[str] | None = None
    for outcome in outcomes:
        result.problems.extend(outcome.problems)
        if outcome.unmatched is not None:
            result.unmatched.append(outcome.unmatched)
        if outcome.table is None or outcome.data is None:
            continue
        by_table.setdefault(outcome.table, []).append(outcome)
        if outcome.table == "staff":
            these = set(outcome.missing_assumable)
            missing_assumable = these if missing_assumable is None else missing_assumable | these
    for table, parts in by_table.items():
        try:
            _combine_table(result, table, parts)
        except Exception:  # noqa: BLE001 - a failure here is reported against the table, never raised
            files = ", ".join(sorted({p.data.column("_label")[0].as_py() for p in parts if p.data.num_rows}))
            result.problems.append(Problem(files or table, None, None, None, f"The {table} table could not be loaded."))
    result.assumptions_needed = [ASSUMPTIONS[c] for c in ASSUMABLE if missing_assumable and c in missing_assumable]


def _combine_table(result: LoadResult, table: str, parts: list[_Outcome]) -> None:
    """Stack one table's sheets into result.tables (staff: repeats across sheets set aside)."""
    stacked = pa.concat_tables([p.data for p in parts], promote_options="permissive")
    present = sorted({c for p in parts for c in p.present}, key=TABLES[table].column_names.index)
    set_aside = sum(p.set_aside for p in parts)
    if table == "staff":
        stacked, dupes = _staff_duplicates(stacked, result.problems)
        set_aside += dupes
    if table == "summary":
        stacked, dupes = _summary_duplicates(stacked, result.problems)
        set_aside += dupes
    result.rows_set_aside[table] = set_aside
    result.present_columns[table] = present
    result.tables[table] = _to_frame(stacked, table)


def _staff_duplicates(stacked: pa.Table, problems: list[Problem]) -> tuple[pa.Table, int]:
    """Set aside every repeat of a worker_id + start_date after its first row."""
    if "worker_id" not in stacked.column_names or "start_date" not in stacked.column_names or not stacked.num_rows:
        return stacked, 0
    n = stacked.num_rows
    ids = pc.dictionary_encode(stacked.column("worker_id").combine_chunks()).indices.to_numpy(zero_copy_only=False)
    days = pc.cast(stacked.column("start_date"), pa.int32()).to_numpy(zero_copy_only=False)
    key = pd.Series((ids.astype(np.int64) << 32) | (days.astype(np.int64) + (1 << 31)))
    repeat = key.duplicated(keep="first").to_numpy()
    if not repeat.any():
        return stacked, 0
    first_pos = pd.Series(np.arange(n)).groupby(key.to_numpy()).transform("min").to_numpy()
    worker = stacked.column("worker_id")
    start = stacked.column("start_date")
    rows = stacked.column("_row").to_numpy()
    idx = np.flatnonzero(repeat)
    shown = idx[: config.EXAMPLE_LIMIT]
    label_col = stacked.column("_label")
    shown_labels = pc.cast(label_col.take(pa.array(shown)), pa.string()).to_pylist()
    first_labels = pc.cast(label_col.take(pa.array(first_pos[shown])), pa.string()).to_pylist()
    message = "Same worker_id and start_date as an earlier row, so this repeat was set aside (the first was kept)."
    for i, label, first_label in zip(shown, shown_labels, first_labels, strict=True):
        file, _, sheet = label.partition(" › ")
        where = f"row {rows[first_pos[i]]}" + (f" of {first_label}" if first_label != label else "")
        value = f"{worker[int(i)].as_py()} / {start[int(i)].as_py()} (first at {where})"
        problems.append(Problem(file, sheet or None, int(rows[i]), "worker_id + start_date", message, "error", value))
    rest = len(idx) - len(shown)
    if rest:
        file, _, sheet = shown_labels[-1].partition(" › ")
        problems.append(Problem(file, sheet or None, None, "worker_id + start_date", message, "error", None, rest))
    return stacked.filter(pa.array(~repeat)), int(repeat.sum())


def _summary_duplicates(stacked: pa.Table, problems: list[Problem]) -> tuple[pa.Table, int]:
    """One row per area and period: later repeats (e.g. two releases of the DfE file) are set aside."""
    keys = [c for c in ("service_area", "period", "geographic_level") if c in stacked.column_names]
    frame = stacked.select(keys).to_pandas()
    repeat = frame.duplicated(keep="first").to_numpy()
    if not repeat.any():
        return stacked, 0
    labels = pc.cast(stacked.column("_label"), pa.string()).to_pylist()
    rows = stacked.column("_row").to_numpy()
    message = "Same area and period as an earlier row, so this repeat was set aside (the first was kept)."
    idx = np.flatnonzero(repeat)
    for i in idx[: config.EXAMPLE_LIMIT]:
        file, _, sheet = labels[i].partition(" › ")
        value = " / ".join(str(frame[k].iloc[i]) for k in keys)
        problems.append(Problem(file, sheet or None, int(rows[i]), "service_area + period", message, "error", value))
    if len(idx) > config.EXAMPLE_LIMIT:
        file, _, sheet = labels[int(idx[-1])].partition(" › ")
        rest = len(idx) - config.EXAMPLE_LIMIT
        problems.append(Problem(file, sheet or None, None, "service_area + period", message, "error", None, rest))
    return stacked.filter(pa.array(~repeat)), int(repeat.sum())


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


def load_demo() -> Workforce:
    """The bundled demo council (data/demo/demo_council.xlsx) as a Workforce, labelled as the demo."""
    path = config.ROOT / "data" / "demo" / "demo_council.xlsx"
    result = load([path], max_upload_mb=float("inf"))
    workforce = result.to_workforce(label="Demo: Shireford County Council")
    workforce.is_demo = True
    return workforce


__all__ = ["LoadResult", "UnmatchedSheet", "load", "load_demo", "excel_letters"]
