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
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd

import settings as app_settings
from metrics.registry import Params, View
from sharing import suppress

if TYPE_CHECKING:  # pragma: no cover
    from ingest.workforce import Workforce

DEFAULT_PATH = "data/snapshots/snapshots.duckdb"
FILTER_CUTS: tuple[str, ...] = ("service_area", "team", "role")
"""Cuts a shared view can be filtered by: one filter at a time, as the pages offer."""

FORBIDDEN_COLUMNS = frozenset({
    "worker_id", "manager_id", "source_row", "annual_salary", "hourly_rate", "date_of_birth", "name",
    "first_name", "last_name", "surname", "email", "ni_number", "payroll_number", "start_date", "end_date",
    "qualified_date", "caseload", "absence_days",
})
"""Worker-level columns (identifiers and one person's values) that must never appear in a published table.

Group labels such as leaving_reason or gender are fine: they label aggregate rows."""

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


def filter_cuts() -> tuple[str, ...]:
    """Cuts published one filter value at a time: [sharing] filter_cuts (env WORKFORCE_LENS_SHARING_FILTER_CUTS).

    Default service area, team and role. Each value multiplies the publishing time,
    so a very large council may choose fewer.
    """
    raw = os.environ.get("WORKFORCE_LENS_SHARING_FILTER_CUTS")
    cuts = raw.split(",") if raw is not None else app_settings.section("sharing").get("filter_cuts", FILTER_CUTS)
    return tuple(c.strip() for c in cuts if c.strip())


def _workers() -> int:
    """Threads used to compute views while publishing (2 by default: DuckDB does the work)."""
    return max(1, int(os.environ.get("WORKFORCE_LENS_PUBLISH_THREADS", "2")))


def filter_states(options: Mapping[str, Sequence[str]], cuts: Sequence[str] = FILTER_CUTS) -> list[tuple]:
    """No filter, then one filter per value of each cut (the states a shared view's sidebar offers)."""
    states: list[tuple] = [()]
    for cut in cuts:
        states += [((cut, str(value)),) for value in options.get(cut, [])]
    return states


def implied_groups(workforce: Workforce) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Teams that sit in exactly one service area: ('team', T) → [('service_area', A)] (for suppression)."""
    if not workforce.has("staff"):
        return {}
    from metrics.engine import team_keys  # teams as every view keys them: "Team (Service area)" where names repeat

    keys = team_keys(workforce)
    areas = keys.groupby("team_key")["service_area"].agg(lambda a: sorted(set(a)))
    return {("team", t): [("service_area", a[0])] for t, a in areas.items() if len(a) == 1}


def _frozen(workforce: Workforce) -> Workforce:
    """The same data with its table lookups memoised: nothing changes while a snapshot is built.

    metrics asks `tables`/`has`/`has_column` many times per view; each is a catalogue
    query, and a publish computes thousands of views, so this saves most of the time.
    The connection is shared, not copied (and not closed by this wrapper).
    """
    from dataclasses import fields

    from ingest.workforce import Workforce as _Workforce

    class _Memo(_Workforce):
        _memo: dict

        @property
        def tables(self) -> list[str]:
            if "tables" not in self._memo:
                self._memo["tables"] = _Workforce.tables.fget(self)
            return self._memo["tables"]

        def has(self, name: str) -> bool:
            key = ("has", name)
            if key not in self._memo:
                self._memo[key] = _Workforce.has(self, name)
            return self._memo[key]

        def close(self) -> None:  # the session owns the connection
            return None

    memo = _Memo(**{f.name: getattr(workforce, f.name) for f in fields(workforce) if f.init})
    memo._memo = {}
    return memo


def _needs_met(workforce: Workforce, needs: Sequence[str]) -> bool:
    for need in needs:
        table, _, column = need.partition(".")
        if not workforce.has(table) or (column and not workforce.has_column(table, column)):
            return False
    return True


def _default_views() -> dict[str, View]:
    import metrics

    return dict(metrics.VIEWS)


def _live(workforce: Workforce):
    """The metrics helper's LiveSource for this workforce, if it exists yet."""
    try:
        from metrics.source import LiveSource
    except ImportError:  # pragma: no cover - before metrics lands
        return None
    return LiveSource(workforce)


def _options(workforce: Workforce) -> dict[str, list[str]]:
    """Filter values straight from the staff table (used before metrics.LiveSource exists)."""
    if not workforce.has("staff"):
        return {}
    out = {}
    for cut in FILTER_CUTS:
        rows = workforce.df(f'SELECT DISTINCT CAST("{cut}" AS VARCHAR) AS v FROM staff WHERE "{cut}" IS NOT NULL')
        out[cut] = sorted(rows["v"].tolist(), key=str.lower)
    return out


def _check_aggregate(view: str, df: pd.DataFrame) -> None:
    """Refuse a table with a worker-level column: a publish must never store one."""
    bad = sorted(FORBIDDEN_COLUMNS & {str(c).lower() for c in df.columns})
    if bad:
        raise SnapshotError(f"View {view!r} has worker-level column(s) {', '.join(bad)}; it cannot be published.")


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


def build(workforce: Workforce, views: Mapping[str, View] | None = None, progress: ProgressFn | None = None,
          limit: int | None = None) -> Built:
    """Compute and suppress every View for every filter state and grouping (no writing)."""
    views = _default_views() if views is None else dict(views)
    limit = suppress.threshold() if limit is None else limit
    workforce = _frozen(workforce)
    live = _live(workforce)
    as_of = live.default_as_of() if live is not None else workforce.latest_date()
    iso = as_of.isoformat() if as_of else None
    options = live.filter_options() if live is not None else _options(workforce)
    cuts = filter_cuts()
    states = filter_states(options, cuts)
    # A shared view's sidebar offers only the filters that were published.
    options = {cut: values for cut, values in options.items() if cut in cuts}
    usable = {name: v for name, v in views.items() if _needs_met(workforce, v.needs)}
    implied = implied_groups(workforce)
    tasks = [(name, tuple(by), tuple(filters), None) for name, view in usable.items() for by in view.by_options
             for filters in states if not any(col in by for col, _ in filters)]
    prior = _prior_date(as_of)
    tasks += [(name, tuple(by), tuple(filters), prior) for name, groupings in PRIOR_VIEWS.items() if name in usable
              and prior for by in groupings for filters in states if not any(col in by for col, _ in filters)]
    results: dict[tuple, pd.DataFrame] = {}

    def run(task: tuple) -> pd.DataFrame:
        name, by, filters, when = task
        return usable[name].compute(workforce, Params(as_of=when or iso, by=by, filters=filters))

    with ThreadPoolExecutor(max_workers=_workers()) as pool:  # DuckDB releases the GIL while querying
        futures = {pool.submit(run, task): task for task in tasks}
        for done, future in enumerate(as_completed(futures), start=1):
            task = futures[future]
            results[task] = future.result()
            _check_aggregate(task[0], results[task])
            if progress is not None and (done % 10 == 0 or done == len(tasks)):
                progress(done / max(len(tasks), 1) * 0.85, f"Computed {done:,} of {len(tasks):,} tables")
    frames: dict[str, list[tuple[Params, pd.DataFrame]]] = {}
    for name, view in usable.items():
        frames[name] = []
        for when in dict.fromkeys(t[3] for t in tasks if t[0] == name):  # each date suppressed on its own
            mine = [t for t in tasks if t[0] == name and t[3] == when]
            tables = [suppress.Table(results[t], t[1], t[2], {"params": Params(as_of=when, by=t[1], filters=t[2])})
                      for t in mine]
            people = set(view.people_columns) | _figure_people(tables)
            rates = {**_group_size_rates(view, tables, people), **_fallback_rates(views, tables),
                     **view.rate_columns}
            shown = suppress.suppress_tables(tables, sorted(people), rates, limit, implied)
            frames[name] += [(t.meta["params"], df) for t, df in zip(tables, shown, strict=True)]
        if progress is not None:
            progress(0.85 + 0.05 * (len(frames) / len(usable)), f"Suppressed small numbers in {view.title}")
    notes = list(live.notes()) if live is not None else []
    availability = dict(live.availability()) if live is not None else {}
    return Built(as_of, frames, {k: list(v) for k, v in options.items()}, availability,
                 [*notes, suppress.note(limit)], live.label if live is not None else workforce.label, limit)


PRIOR_VIEWS: dict[str, tuple[tuple[str, ...], ...]] = {"figures": (("service_area",),), "voice_figures": ((),)}
"""Views also published 12 months before the as-of date (the tiles' 'change against 12 months earlier')."""


def _prior_date(as_of: dt.date | None) -> str | None:
    """The as-of date 12 months earlier, as the pages compute it (ISO), or None."""
    if as_of is None:
        return None
    from metrics.dates import add_months

    return add_months(as_of, -12).isoformat()


KNOWN_BASES = {"starters_fte": "starters_headcount", "leavers_fte": "leavers_headcount",
               "net_change_fte": "headcount_in_post"}


def _group_size_rates(view: View, tables: Sequence[suppress.Table], people: set[str]) -> dict[str, str]:
    """Every other figure in the tables rests, at least, on its group's size (the View's first people count).

    Belt and braces for columns a View does not declare: a figure of a group
    under the threshold is hidden even when nobody said what it is built on.
    """
    candidates = [*view.people_columns, "headcount_in_post", "headcount"]
    present: set[str] = set()
    for t in tables:
        if suppress.is_long(t.df):
            present |= set(map(str, t.df[suppress.LONG_FIGURE].unique()))
        else:
            present |= {str(c) for c in t.df.columns if pd.api.types.is_numeric_dtype(t.df[c])}
    out = {c: KNOWN_BASES[c] for c in present if c in KNOWN_BASES and KNOWN_BASES[c] in present}
    base = next((c for c in candidates if c in people and c in present), None)
    if base is not None:
        out.update({c: base for c in present if c not in people and c not in out and c != base})
    return out


def _fallback_rates(views: Mapping[str, View], tables: Sequence[suppress.Table]) -> dict[str, suppress.Bases]:
    """Rate → count pairs declared by any View, for columns (or series figures) of these tables.

    A View that forgets to declare what a rate rests on (e.g. a long-form series)
    still has it suppressed when its base count is small.
    """
    known: dict[str, suppress.Bases] = {}
    for other in views.values():
        for rate, base in other.rate_columns.items():
            known.setdefault(rate, base)
    present: set[str] = set()
    for t in tables:
        present |= set(map(str, t.df.columns))
        if suppress.is_long(t.df):
            present |= set(map(str, t.df[suppress.LONG_FIGURE].unique()))
    return {rate: base for rate, base in known.items()
            if rate in present and any(b in present for b in suppress.bases_of(base))}


def _figure_people(tables: Sequence[suppress.Table]) -> set[str]:
    """Figures flagged as counts of people in the registry, when a table has them as columns (belt and braces)."""
    try:
        from metrics.figures import FIGURES
    except ImportError:  # pragma: no cover
        return set()
    columns: set[str] = set()
    for t in tables:
        columns |= set(map(str, t.df.columns))
        if suppress.is_long(t.df):
            columns |= set(map(str, t.df[suppress.LONG_FIGURE].unique()))
    return {f.id for f in FIGURES.values() if f.people_count and f.id in columns}


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
    meta = {"filter_options": built.filter_options, "availability": built.availability, "notes": built.notes}
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
    return SnapshotSource(resolved, _info(row), json.loads(row["meta"] or "{}"))


class SnapshotSource:
    """metrics.source.Source over a published snapshot: stored, already-suppressed tables; read-only."""

    is_shared = True

    def __init__(self, path: Path, info: SnapshotInfo, meta: dict[str, Any]) -> None:
        self.path = path
        self.info = info
        self.id = info.id
        self.label = info.label
        self._meta = meta

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
