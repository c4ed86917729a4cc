"""Published snapshots: suppressed aggregate tables in one DuckDB file, and the read-only Source over them.

Publishing computes every View for the filter states the pages offer (no filter;
each service area, team and role) and each of the View's groupings, at the
default as-of date; suppresses small numbers across all of a View's tables
together (sharing.suppress); and stores only those tables. No worker-level row,
worker id or individual salary is ever written.

Every change (publish, rename, delete) rewrites the whole database into a
temporary file in the same directory and swaps it in with `os.replace`, under an
exclusive `flock` on a lock file: a second publisher waits its turn, a killed
publish leaves the previous file untouched (its stray temporary file is removed
by the next writer), and readers never see a half-written file. Readers attach
the file read-only from an in-memory DuckDB, so any number of app processes
(replicas) can read it at once; a reader notices a swapped-in file by its inode.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd

import settings as app_settings
from metrics.registry import Params, View
from sharing import published, suppress

if TYPE_CHECKING:  # pragma: no cover
    from ingest.workforce import Workforce

DEFAULT_PATH = "data/snapshots/snapshots.duckdb"
FILTER_CUTS: tuple[str, ...] = published.FILTER_CUTS

ProgressFn = Callable[[float, str], None]
_SUPPRESSED_COL = "_suppressed"
_KEY_COL = "_key"
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{6,40}$")


class SnapshotError(Exception):
    """A snapshot operation that cannot be done (unknown id, not the publisher, unsafe table)."""


@dataclass(frozen=True)
class SnapshotInfo:
    """One published snapshot, as listed on the publish page."""

    id: str
    name: str
    published_at: dt.datetime
    published_by: str
    as_of: dt.date | None
    source_label: str

    @property
    def label(self) -> str:
        """Name and date, e.g. 'Scrutiny, March (data as at 30 Sep 2025)'."""
        when = f" (data as at {self.as_of:%-d %b %Y})" if self.as_of else ""
        return f"{self.name}{when}"

    @property
    def link(self) -> str:
        """The query string that opens it: `?snapshot=<id>`."""
        return f"?snapshot={self.id}"


def snapshot_path() -> Path:
    """Where snapshots live: env WORKFORCE_LENS_SNAPSHOT_PATH, else [sharing] snapshot_path (relative to the repo)."""
    raw = os.environ.get("WORKFORCE_LENS_SNAPSHOT_PATH") or app_settings.section("sharing").get(
        "snapshot_path", DEFAULT_PATH)
    path = Path(raw)
    return path if path.is_absolute() else app_settings.ROOT / path


def _resolve(path: Path | str | None) -> Path:
    return Path(path) if path is not None else snapshot_path()


# ── building the tables ───────────────────────────────────────────────────────
# The tables come through the one door (sharing.published); these names stay here for callers.

filter_cuts = published.filter_cuts
filter_states = published.filter_states
implied_groups = published.implied_groups
FORBIDDEN_COLUMNS = published.FORBIDDEN_COLUMNS
PRIOR_VIEWS = published.PRIOR_VIEWS


@dataclass
class Built:
    """Everything a snapshot stores, before writing."""

    as_of: dt.date | None
    frames: dict[str, list[tuple[Params, pd.DataFrame]]]
    filter_options: dict[str, list[str]]
    availability: dict[str, str | None]
    notes: list[str]
    source_label: str
    threshold: int
    findings: list = field(default_factory=list)
    """What the disclosure audit can still work out (publishing is refused unless empty)."""
    implied: dict = field(default_factory=dict)


def build(workforce: Workforce, views: Mapping[str, View] | None = None, progress: ProgressFn | None = None,
          limit: int | None = None) -> Built:
    """Compute, suppress and audit every View for every filter state and grouping (no writing).

    With the standard views and threshold this is the door's family (sharing.published.door), so a
    snapshot stores exactly what the committee pack and every download of the same data show, and a
    family already built for the pack is not built again.
    """
    if views is None and limit is None:
        from metrics.source import LiveSource

        family = published.door(LiveSource(workforce), progress=progress).family
    else:
        family = published.build_family(workforce, views=views, progress=progress, limit=limit)
    frames: dict[str, list[tuple[Params, pd.DataFrame]]] = {}
    for view, params, df in family.tables:
        frames.setdefault(view, []).append((params, df))
    return Built(family.as_of, frames, family.filter_options, family.availability, family.notes, family.label,
                 family.threshold, list(family.findings), family.implied)


# ── storing ───────────────────────────────────────────────────────────────────


def _key(params: Params) -> str:
    """Storage key of a table: grouping, filters, and the as-of date when it is not the snapshot's own."""
    key: dict[str, Any] = {"by": list(params.by), "filters": [list(f) for f in sorted(params.filters)]}
    if params.as_of:
        key["as_of"] = params.as_of
    return json.dumps(key)


def _dtype_text(series: pd.Series) -> str:
    return str(series.dtype)


def _encode(df: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """A frame with `c` cells as NULL plus a `_suppressed` column naming them, and its column/dtype record."""
    out = df.copy()
    marks = [[] for _ in range(len(out))]
    meta = {"columns": [str(c) for c in df.columns], "dtypes": {}, "symbol_columns": []}
    for col in df.columns:
        flags = out[col].map(suppress.is_suppressed) if out[col].dtype == object else None
        if flags is not None and flags.any():
            for i, flag in enumerate(flags.tolist()):
                if flag:
                    marks[i].append(str(col))
            out[col] = pd.to_numeric(out[col].where(~flags), errors="coerce")
            meta["symbol_columns"].append(str(col))
        meta["dtypes"][str(col)] = _dtype_text(out[col])
    out[_SUPPRESSED_COL] = [",".join(m) for m in marks]
    return out, meta


def _decode(df: pd.DataFrame, meta: dict) -> pd.DataFrame:
    """The stored frame back as it was published: columns, dtypes and `c` cells."""
    columns = meta["columns"]
    out = df[columns].reset_index(drop=True).copy()
    for col, dtype in meta["dtypes"].items():
        if col in meta["symbol_columns"]:
            continue
        with contextlib.suppress(TypeError, ValueError):
            if dtype == "object":
                out[col] = out[col].astype(object)
            elif str(out[col].dtype) != dtype:
                out[col] = out[col].astype(dtype)
    marks = df[_SUPPRESSED_COL].reset_index(drop=True).fillna("")
    for col in meta["symbol_columns"]:
        flags = marks.map(lambda m, c=col: c in m.split(","))
        values = out[col].astype(object).tolist()
        for i, flag in enumerate(flags.tolist()):
            if flag:
                values[i] = suppress.SYMBOL
        out[col] = pd.Series(values, dtype=object)
    return out


def _table_name(snapshot_id: str, view: str) -> str:
    return "v_" + re.sub(r"[^A-Za-z0-9]", "_", f"{snapshot_id}_{view}").lower()


_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS snapshots (
        id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, published_at TIMESTAMP NOT NULL, published_by VARCHAR,
        as_of DATE, source_label VARCHAR, threshold INTEGER, meta VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS snapshot_tables (
        snapshot_id VARCHAR, view VARCHAR, key VARCHAR, table_name VARCHAR, meta VARCHAR)""",
]


def _write_built(con: duckdb.DuckDBPyConnection, snapshot_id: str, name: str, published_by: str,
                 built: Built) -> None:
    """Insert one snapshot's rows and tables into an open (temporary) database."""
    meta = {"filter_options": built.filter_options, "availability": built.availability, "notes": built.notes,
            "implied": built.implied}
    con.execute("INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        snapshot_id, name, dt.datetime.now(dt.UTC).replace(tzinfo=None), published_by, built.as_of,
        built.source_label, built.threshold, json.dumps(meta, default=str)])
    for view, items in built.frames.items():
        table = _table_name(snapshot_id, view)
        parts = []
        for params, df in items:
            encoded, fmeta = _encode(df)
            key = _key(params)
            encoded.insert(0, _KEY_COL, key)
            parts.append(encoded)
            con.execute("INSERT INTO snapshot_tables VALUES (?, ?, ?, ?, ?)",
                        [snapshot_id, view, key, table, json.dumps(fmeta)])
        if not parts:
            continue
        frame = pd.concat([p.astype({c: object for c in p.columns if p[c].dtype == object}) for p in parts],
                          ignore_index=True)
        con.register("_frame", frame)
        try:
            con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM _frame')
        finally:
            con.unregister("_frame")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `<path>.lock` (held by one writer at a time, across processes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _sweep(path: Path) -> None:
    """Remove temporary files left by a killed writer (only called while holding the lock)."""
    for stray in path.parent.glob(f".{path.name}.*.tmp*"):
        with contextlib.suppress(OSError):
            stray.unlink()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _rewrite(path: Path, change: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
    """Copy the database into a temporary file, apply `change`, and swap the result in atomically."""
    with _locked(path):
        _sweep(path)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            con = duckdb.connect(str(tmp))
            try:
                db = con.execute("SELECT current_database()").fetchone()[0]
                if path.exists():
                    con.execute(f"ATTACH '{_sql_text(path)}' AS old (READ_ONLY)")
                    con.execute(f'COPY FROM DATABASE old TO "{db}"')
                    con.execute("DETACH old")
                for statement in _SCHEMA:
                    con.execute(statement)
                change(con)
                con.execute("CHECKPOINT")
            finally:
                con.close()
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, path)
            _fsync_dir(path.parent)
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()


def _sql_text(path: Path) -> str:
    """A file path as a SQL string literal body (ATTACH takes no parameters)."""
    return str(path).replace("'", "''")


def new_id() -> str:
    """A random, unguessable snapshot id (the link is only as private as its id is hard to guess)."""
    return secrets.token_urlsafe(12)


def publish(workforce: Workforce, name: str, published_by: str | None = None, *, path: Path | str | None = None,
            views: Mapping[str, View] | None = None, progress: ProgressFn | None = None,
            limit: int | None = None) -> str:
    """Compute, suppress and store a snapshot of `workforce`; return its id."""
    name = (name or "").strip() or "Untitled snapshot"
    built = build(workforce, views=views, progress=progress, limit=limit)
    if built.findings:  # the audit is the last word: nothing is written while anything hidden can be worked out
        raise published.PublishRefused(built.findings)
    if progress is not None:
        progress(0.92, "Writing the snapshot")
    snapshot_id = new_id()
    _rewrite(_resolve(path), lambda con: _write_built(con, snapshot_id, name, published_by or "", built))
    _forget_readers()
    if progress is not None:
        progress(1.0, "Published")
    return snapshot_id


def rename(snapshot_id: str, new_name: str, *, path: Path | str | None = None) -> None:
    """Give a snapshot a new name (the link stays the same)."""
    new_name = (new_name or "").strip()
    if not new_name:
        raise SnapshotError("A snapshot needs a name.")

    def change(con: duckdb.DuckDBPyConnection) -> None:
        if not con.execute("SELECT count(*) FROM snapshots WHERE id = ?", [snapshot_id]).fetchone()[0]:
            raise SnapshotError("No snapshot with that id.")
        con.execute("UPDATE snapshots SET name = ? WHERE id = ?", [new_name, snapshot_id])

    _rewrite(_resolve(path), change)
    _forget_readers()


def delete(snapshot_id: str, *, path: Path | str | None = None) -> None:
    """Remove a snapshot and its tables; its link then shows the 'not available' page."""

    def change(con: duckdb.DuckDBPyConnection) -> None:
        if not con.execute("SELECT count(*) FROM snapshots WHERE id = ?", [snapshot_id]).fetchone()[0]:
            raise SnapshotError("No snapshot with that id.")
        tables = [r[0] for r in con.execute(
            "SELECT DISTINCT table_name FROM snapshot_tables WHERE snapshot_id = ?", [snapshot_id]).fetchall()]
        for table in tables:
            con.execute(f'DROP TABLE IF EXISTS "{table}"')
        con.execute("DELETE FROM snapshot_tables WHERE snapshot_id = ?", [snapshot_id])
        con.execute("DELETE FROM snapshots WHERE id = ?", [snapshot_id])

    _rewrite(_resolve(path), change)
    _forget_readers()


# ── reading ───────────────────────────────────────────────────────────────────


_readers: dict[str, tuple[tuple, duckdb.DuckDBPyConnection]] = {}
_readers_lock = threading.Lock()
_frame_cache: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_CACHE_SIZE = 512


def _identity(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _reader(path: Path) -> tuple[tuple, duckdb.DuckDBPyConnection] | None:
    """A read-only connection to the file as it is now (reopened when a writer has swapped in a new file)."""
    ident = _identity(path)
    if ident is None:
        return None
    with _readers_lock:
        cached = _readers.get(str(path))
        if cached is not None and cached[0] == ident:
            return cached
        con = duckdb.connect(":memory:")
        con.execute(f"ATTACH '{_sql_text(path)}' AS snap (READ_ONLY)")
        _readers[str(path)] = (ident, con)
        return ident, con


def _forget_readers() -> None:
    """Drop cached readers in this process after a write (other processes notice by inode)."""
    with _readers_lock:
        _readers.clear()


def _query(path: Path, sql: str, params: list | None = None) -> tuple[tuple, pd.DataFrame] | None:
    got = _reader(path)
    if got is None:
        return None
    ident, con = got
    cursor = con.cursor()
    cursor.execute("USE snap")
    return ident, cursor.execute(sql, params or []).df()


def list_snapshots(*, path: Path | str | None = None) -> list[SnapshotInfo]:
    """Every snapshot, newest first."""
    got = _query(_resolve(path), "SELECT id, name, published_at, published_by, as_of, source_label FROM snapshots "
                                 "ORDER BY published_at DESC")
    if got is None:
        return []
    return [_info(row) for row in got[1].to_dict("records")]


def _info(row: dict) -> SnapshotInfo:
    as_of = row["as_of"]
    if as_of is not None and not isinstance(as_of, dt.date):
        as_of = pd.Timestamp(as_of).date() if not pd.isna(as_of) else None
    elif isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    published = pd.Timestamp(row["published_at"]).to_pydatetime()
    return SnapshotInfo(str(row["id"]), str(row["name"]), published, str(row["published_by"] or ""), as_of,
                        str(row["source_label"] or ""))


def open_snapshot(snapshot_id: str | None, *, path: Path | str | None = None) -> SnapshotSource | None:
    """The read-only Source of a snapshot, or None when the id is unknown or deleted."""
    if not snapshot_id or not _ID_RE.match(str(snapshot_id)):
        return None
    resolved = _resolve(path)
    got = _query(resolved, "SELECT id, name, published_at, published_by, as_of, source_label, threshold, meta "
                           "FROM snapshots WHERE id = ?", [snapshot_id])
    if got is None or got[1].empty:
        return None
    row = got[1].to_dict("records")[0]
    threshold = int(row["threshold"]) if row.get("threshold") is not None and not pd.isna(row["threshold"]) else None
    return SnapshotSource(resolved, _info(row), json.loads(row["meta"] or "{}"), threshold)


class SnapshotSource:
    """metrics.source.Source over a published snapshot: stored, already-suppressed tables; read-only."""

    is_shared = True

    def __init__(self, path: Path, info: SnapshotInfo, meta: dict[str, Any], threshold: int | None = None) -> None:
        self.path = path
        self.info = info
        self.id = info.id
        self.label = info.label
        self._meta = meta
        self.threshold = threshold if threshold is not None else suppress.threshold()

    def get(self, view: str, params: Params) -> pd.DataFrame:
        """The stored DataFrame for this view, grouping and filter (empty, with no rows, when not published)."""
        own = self.info.as_of.isoformat() if self.info.as_of else None
        when = None if params.as_of in (None, "", own) else params.as_of
        got = self._load(view, _key(Params(as_of=when, by=tuple(params.by), filters=tuple(params.filters))))
        if got is None:
            return pd.DataFrame()
        if params.figures:
            keep = [c for c in got.columns if c not in _figure_ids() or c in params.figures]
            got = got[keep]
            if suppress.is_long(got):
                got = got[got[suppress.LONG_FIGURE].isin(params.figures)].reset_index(drop=True)
        return got.copy()

    def _load(self, view: str, key: str) -> pd.DataFrame | None:
        index = _query(self.path, "SELECT table_name, meta FROM snapshot_tables WHERE snapshot_id = ? AND view = ? "
                                  "AND key = ?", [self.id, view, key])
        if index is None or index[1].empty:
            return None
        ident, rows = index
        cache_key = (str(self.path), ident, self.id, view, key)
        with _readers_lock:
            if cache_key in _frame_cache:
                _frame_cache.move_to_end(cache_key)
                return _frame_cache[cache_key]
        table, meta = rows.iloc[0]["table_name"], json.loads(rows.iloc[0]["meta"])
        data = _query(self.path, f'SELECT * FROM "{table}" WHERE "{_KEY_COL}" = ?', [key])
        if data is None:
            return None
        frame = _decode(data[1], meta)
        with _readers_lock:
            _frame_cache[cache_key] = frame
            while len(_frame_cache) > _CACHE_SIZE:
                _frame_cache.popitem(last=False)
        return frame

    def stored_tables(self) -> list[tuple[str, Params, pd.DataFrame]]:
        """Every stored table as (view, Params, DataFrame), as published (for the disclosure audit)."""
        index = _query(self.path, "SELECT view, key FROM snapshot_tables WHERE snapshot_id = ? ORDER BY view, key",
                       [self.id])
        if index is None:
            return []
        out = []
        for view, key in zip(index[1]["view"], index[1]["key"], strict=True):
            spec = json.loads(key)
            params = Params(as_of=spec.get("as_of"), by=tuple(spec["by"]),
                            filters=tuple(tuple(f) for f in spec["filters"]))
            frame = self._load(view, key)
            if frame is not None:
                out.append((str(view), params, frame))
        return out

    def implied(self) -> dict:
        """Which group labels imply others (a team's service area), as published."""
        return published.implied_from_meta(self._meta.get("implied", {}))

    def exists(self) -> bool:
        """False once the snapshot has been deleted."""
        return open_snapshot(self.id, path=self.path) is not None

    def filter_options(self) -> dict[str, list[str]]:
        """The filter values the snapshot was published with."""
        return {k: list(v) for k, v in self._meta.get("filter_options", {}).items()}

    def default_as_of(self) -> dt.date | None:
        """The (only) as-of date of the snapshot."""
        return self.info.as_of

    def availability(self) -> dict[str, str | None]:
        """Which figures the published data could compute, as at publishing."""
        return dict(self._meta.get("availability", {}))

    def notes(self) -> list[str]:
        """Assumptions in force when published, and the suppression note."""
        return list(self._meta.get("notes", []))


def _figure_ids() -> set[str]:
    try:
        from metrics.figures import FIGURES
    except ImportError:  # pragma: no cover
        return set()
    return set(FIGURES)
