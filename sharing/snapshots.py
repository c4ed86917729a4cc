"""Published snapshots: suppressed aggregate tables in the published-data store, and the read-only Source over them.

Publishing computes every View for the filter states the pages offer (no filter;
each service area, team and role) and each of the View's groupings, at the
default as-of date; suppresses small numbers across all of a View's tables
together (sharing.suppress); and stores only those tables. No worker-level row,
worker id or individual salary is ever written.

Storing goes through sharing.store: the embedded DuckDB file by default, or
PostgreSQL when a store URL says so (several replicas, the benchmarking club).
Every change (publish, rename, delete) is one transaction: a second publisher
waits its turn, a killed publish leaves nothing, and readers never see half a
snapshot. A snapshot's tables never change once written, so each process keeps
the ones it has decoded.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

import settings as app_settings
from metrics.registry import Params, View
from sharing import store as storage
from sharing import suppress
from sharing.store import Store, Tx
from sharing.store import frames as stored_frames

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
    """The DuckDB file used when no store URL is set: env WORKFORCE_LENS_SNAPSHOT_PATH, else [sharing] snapshot_path."""
    return storage.default_path()


def current_store() -> Store:
    """The configured store (sharing.store: the DuckDB file by default, or PostgreSQL by URL)."""
    return storage.open_store(None)


def _resolve(path: Path | str | None) -> Store:
    """The store for a DuckDB file path or a store URL (None: the configured one)."""
    return storage.open_store(path)


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


def _pack_frames(snapshot_id: str, built: Built) -> list[tuple]:
    """Every table of a Built as (publication id, view, key, meta, compressed data) rows, ready to insert."""
    rows = []
    for view, items in built.frames.items():
        for params, df in items:
            meta, blob = stored_frames.pack(df)
            rows.append((snapshot_id, view, _key(params), meta, blob))
    return rows


PUBLICATION_COLUMNS = ("id", "kind", "name", "published_at", "published_by", "as_of", "source_label", "threshold",
                       "meta")
FRAME_COLUMNS = ("publication_id", "view", "key", "meta", "data")


def _write_built(tx: Tx, snapshot_id: str, name: str, published_by: str, built: Built, *,
                 kind: str = "snapshot", packed: list[tuple] | None = None) -> None:
    """Insert one publication and its tables inside an open transaction (all of it lands, or none)."""
    meta = {"filter_options": built.filter_options, "availability": built.availability, "notes": built.notes}
    tx.insert("publications", PUBLICATION_COLUMNS, [(
        snapshot_id, kind, name, dt.datetime.now(dt.UTC).replace(tzinfo=None), published_by or "", built.as_of,
        built.source_label or "", int(built.threshold), json.dumps(meta, default=str))])
    tx.insert("publication_frames", FRAME_COLUMNS,
              packed if packed is not None else _pack_frames(snapshot_id, built))


def _delete_publication(tx: Tx, publication_id: str) -> None:
    """Remove a publication and every table of it (inside an open transaction)."""
    tx.execute("DELETE FROM publication_frames WHERE publication_id = ?", [publication_id])
    tx.execute("DELETE FROM publications WHERE id = ?", [publication_id])


def new_id() -> str:
    """A random, unguessable snapshot id (the link is only as private as its id is hard to guess)."""
    return secrets.token_urlsafe(12)


def publish(workforce: Workforce, name: str, published_by: str | None = None, *, path: Path | str | None = None,
            views: Mapping[str, View] | None = None, progress: ProgressFn | None = None,
            limit: int | None = None) -> str:
    """Compute, suppress and store a snapshot of `workforce`; return its id.

    `path` is the store: a DuckDB file path or a store URL (None: the configured one, sharing.store).
    """
    name = (name or "").strip() or "Untitled snapshot"
    built = build(workforce, views=views, progress=progress, limit=limit)
    if progress is not None:
        progress(0.92, "Writing the snapshot")
    snapshot_id = new_id()
    packed = _pack_frames(snapshot_id, built)
    with _resolve(path).transaction() as tx:
        _write_built(tx, snapshot_id, name, published_by or "", built, packed=packed)
    if progress is not None:
        progress(1.0, "Published")
    return snapshot_id


def _exists(tx: Tx, snapshot_id: str) -> bool:
    row = tx.execute("SELECT count(*) FROM publications WHERE id = ? AND kind = ?", [snapshot_id, "snapshot"]
                     ).fetchone()
    return bool(row and row[0])


def rename(snapshot_id: str, new_name: str, *, path: Path | str | None = None) -> None:
    """Give a snapshot a new name (the link stays the same)."""
    new_name = (new_name or "").strip()
    if not new_name:
        raise SnapshotError("A snapshot needs a name.")
    with _resolve(path).transaction() as tx:
        if not _exists(tx, snapshot_id):
            raise SnapshotError("No snapshot with that id.")
        tx.execute("UPDATE publications SET name = ? WHERE id = ?", [new_name, snapshot_id])


def delete(snapshot_id: str, *, path: Path | str | None = None) -> None:
    """Remove a snapshot and its tables; its link then shows the 'not available' page."""
    with _resolve(path).transaction() as tx:
        if not _exists(tx, snapshot_id):
            raise SnapshotError("No snapshot with that id.")
        _delete_publication(tx, snapshot_id)


# ── reading ───────────────────────────────────────────────────────────────────


_cache_lock = threading.Lock()
_frame_cache: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_CACHE_SIZE = 512
"""Decoded tables kept per process (a publication's tables never change, so its id and key identify them)."""


def list_snapshots(*, path: Path | str | None = None) -> list[SnapshotInfo]:
    """Every snapshot, newest first."""
    rows = _resolve(path).query("SELECT id, name, published_at, published_by, as_of, source_label FROM publications "
                                "WHERE kind = ? ORDER BY published_at DESC", ["snapshot"])
    return [_info(row) for row in rows.to_dict("records")]


def _info(row: dict) -> SnapshotInfo:
    as_of = row["as_of"]
    if as_of is not None and not isinstance(as_of, dt.date):
        as_of = pd.Timestamp(as_of).date() if not pd.isna(as_of) else None
    elif isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    published = pd.Timestamp(row["published_at"]).to_pydatetime()
    return SnapshotInfo(str(row["id"]), str(row["name"]), published, str(row["published_by"] or ""), as_of,
                        str(row["source_label"] or ""))


def open_snapshot(snapshot_id: str | None, *, path: Path | str | None = None,
                  kind: str = "snapshot") -> SnapshotSource | None:
    """The read-only Source of a snapshot, or None when the id is unknown or deleted."""
    if not snapshot_id or not _ID_RE.match(str(snapshot_id)):
        return None
    store = _resolve(path)
    got = store.query("SELECT id, name, published_at, published_by, as_of, source_label, threshold, meta "
                      "FROM publications WHERE id = ? AND kind = ?", [snapshot_id, kind])
    if got.empty:
        return None
    row = got.to_dict("records")[0]
    return SnapshotSource(store, _info(row), json.loads(row["meta"] or "{}"))


class SnapshotSource:
    """metrics.source.Source over a published snapshot: stored, already-suppressed tables; read-only."""

    is_shared = True
    kind = "snapshot"

    def __init__(self, store: Store, info: SnapshotInfo, meta: dict[str, Any]) -> None:
        self.store = store
        self.path = store.url
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
        cache_key = (self.store.url, self.id, view, key)
        with _cache_lock:
            if cache_key in _frame_cache:
                _frame_cache.move_to_end(cache_key)
                return _frame_cache[cache_key]
        rows = self.store.rows("SELECT meta, data FROM publication_frames WHERE publication_id = ? AND view = ? "
                               "AND key = ?", [self.id, view, key])
        if not rows:
            return None
        frame = stored_frames.unpack(rows[0][0], rows[0][1])
        with _cache_lock:
            _frame_cache[cache_key] = frame
            while len(_frame_cache) > _CACHE_SIZE:
                _frame_cache.popitem(last=False)
        return frame

    def exists(self) -> bool:
        """False once the snapshot has been deleted."""
        return open_snapshot(self.id, path=self.path, kind=self.kind) is not None

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
