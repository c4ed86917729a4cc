"""Published snapshots: suppressed aggregate tables in the published-data store, and the read-only Source over them.

Publishing takes every table through the one door (sharing.published): every View
for the filter states the pages offer and each of its groupings, at the default
as-of date, suppressed together across every published table, pay rounded, and
audited for hidden cells that could be worked back out; publishing is refused
while the audit finds any. Only those tables are stored. No worker-level row,
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
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from metrics.registry import Params, View
from sharing import published, suppress
from sharing import store as storage
from sharing.store import Store, Tx
from sharing.store import frames as stored_frames

if TYPE_CHECKING:  # pragma: no cover
    from ingest.workforce import Workforce

DEFAULT_PATH = "data/snapshots/snapshots.duckdb"
FILTER_CUTS: tuple[str, ...] = published.FILTER_CUTS

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
    meta = {"filter_options": built.filter_options, "availability": built.availability, "notes": built.notes,
            "implied": built.implied}
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
    """A random, unguessable snapshot id (the link is only as private as its id is hard to guess).

    Never starting with "-" or "_": the id is typed as a command-line argument too (`python -m
    sharing.audit ID`), where a leading "-" reads as an option.
    """
    while True:
        candidate = secrets.token_urlsafe(12)
        if candidate[0] not in "-_":
            return candidate


def publish(workforce: Workforce, name: str, published_by: str | None = None, *, path: Path | str | None = None,
            views: Mapping[str, View] | None = None, progress: ProgressFn | None = None,
            limit: int | None = None) -> str:
    """Compute, suppress, audit and store a snapshot of `workforce`; return its id.

    Raises sharing.published.PublishRefused (nothing written) while the audit can work out a hidden cell.
    `path` is the store: a DuckDB file path or a store URL (None: the configured one, sharing.store).
    """
    name = (name or "").strip() or "Untitled snapshot"
    built = build(workforce, views=views, progress=progress, limit=limit)
    if built.findings:  # the audit is the last word: nothing is written while anything hidden can be worked out
        raise published.PublishRefused(built.findings)
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
    threshold = int(row["threshold"]) if row.get("threshold") is not None and not pd.isna(row["threshold"]) else None
    return SnapshotSource(store, _info(row), json.loads(row["meta"] or "{}"), threshold)


class SnapshotSource:
    """metrics.source.Source over a published snapshot: stored, already-suppressed tables; read-only."""

    is_shared = True
    kind = "snapshot"

    def __init__(self, store: Store, info: SnapshotInfo, meta: dict[str, Any], threshold: int | None = None) -> None:
        self.store = store
        self.path = store.url
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

    def stored_tables(self) -> list[tuple[str, Params, pd.DataFrame]]:
        """Every stored table as (view, Params, DataFrame), as published (for the disclosure audit)."""
        rows = self.store.rows("SELECT view, key FROM publication_frames WHERE publication_id = ? ORDER BY view, key",
                               [self.id])
        out = []
        for view, key in rows:
            spec = json.loads(key)
            params = Params(as_of=spec.get("as_of"), by=tuple(spec["by"]),
                            filters=tuple(tuple(f) for f in spec["filters"]))
            frame = self._load(str(view), str(key))
            if frame is not None:
                out.append((str(view), params, frame))
        return out

    def implied(self) -> dict:
        """Which group labels imply others (a team's service area), as published."""
        return published.implied_from_meta(self._meta.get("implied", {}))

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
