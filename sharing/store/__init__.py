"""Where published data lives: one storage interface, two back ends, chosen by one URL.

- `duckdb:///path/to/file.duckdb` (or a plain path; the default is `[sharing] snapshot_path`): an embedded
  DuckDB file on this machine, nothing to set up: right for one server.
- `postgresql://user:password@host:5432/database`: a PostgreSQL server, for several app replicas (on
  several machines) serving the same shared links, and for a regional benchmarking club.

The URL is env WORKFORCE_LENS_STORE_URL, else `[sharing] store_url` in workforce_lens.toml. Both back ends
hold the same schema (sharing/store/schema.py; Alembic migrations for PostgreSQL), checked before first use:
created or upgraded automatically when `[sharing] store_migrate = "auto"` (the default), only checked when
"check" (then `python -m sharing.store upgrade` upgrades it). Snapshots (sharing.snapshots) and the club
(sharing.club) read and write through `open_store()`; nothing else touches the database.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import settings as app_settings
from sharing.store import schema
from sharing.store.base import SchemaMismatch, Store, StoreError, StoreUnavailable, Tx

__all__ = ["schema", "Store", "StoreError", "StoreUnavailable", "SchemaMismatch", "Tx", "open_store", "store_url",
           "club_store_url", "is_url", "close_all", "copy_store", "startup_check"]

URL_ENV = "WORKFORCE_LENS_STORE_URL"
CLUB_URL_ENV = "WORKFORCE_LENS_CLUB_STORE_URL"
DEFAULT_SNAPSHOT_PATH = "data/snapshots/snapshots.duckdb"

_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


def _sharing() -> dict:
    return app_settings.section("sharing")


def default_path() -> Path:
    """The DuckDB file used when no URL is set: env WORKFORCE_LENS_SNAPSHOT_PATH, else [sharing] snapshot_path."""
    raw = os.environ.get("WORKFORCE_LENS_SNAPSHOT_PATH") or _sharing().get("snapshot_path", DEFAULT_SNAPSHOT_PATH)
    path = Path(raw)
    return path if path.is_absolute() else app_settings.ROOT / path


def store_url() -> str:
    """The configured store: env WORKFORCE_LENS_STORE_URL, else [sharing] store_url, else the DuckDB file."""
    raw = (os.environ.get(URL_ENV) or str(_sharing().get("store_url", "") or "")).strip()
    return raw or f"duckdb:///{default_path()}"


def club_store_url() -> str:
    """The benchmarking club's store: env WORKFORCE_LENS_CLUB_STORE_URL, else [club] store_url, else store_url()."""
    raw = (os.environ.get(CLUB_URL_ENV) or str(app_settings.section("club").get("store_url", "") or "")).strip()
    return raw or store_url()


def is_url(value: object) -> bool:
    """True for a store URL (duckdb:// or postgres...://), False for a plain file path."""
    text = str(value)
    return text.startswith(("duckdb://", "postgresql://", "postgres://", "postgresql+psycopg://"))


def _duckdb_path(url: str) -> Path:
    """duckdb:///relative/file or duckdb:////absolute/file (as SQLAlchemy spells them) → a path."""
    rest = url[len("duckdb:///"):] if url.startswith("duckdb:///") else url[len("duckdb://"):]
    path = Path(rest)
    return path if path.is_absolute() else app_settings.ROOT / path


def _migrate() -> bool:
    mode = os.environ.get("WORKFORCE_LENS_STORE_MIGRATE") or str(_sharing().get("store_migrate", "auto"))
    return mode.strip().lower() != "check"


def _key(target: str | Path | None) -> tuple[str, str]:
    """(kind, canonical target) for a URL, a path or None (the configured store)."""
    value = store_url() if target is None else target
    if isinstance(value, Path) or not is_url(value):
        return "duckdb", str(Path(value).resolve()) if isinstance(value, Path) else str(Path(str(value)).resolve())
    text = str(value)
    if text.startswith("duckdb:"):
        path = _duckdb_path(text)
        return "duckdb", str(path.resolve())
    return "postgresql", text


def open_store(target: str | Path | None = None) -> Store:
    """The Store for a URL or file path (None: the configured one); one per process, so one pool per database."""
    kind, where = _key(target)
    with _stores_lock:
        store = _stores.get(f"{kind}:{where}")
        if store is None:
            if kind == "duckdb":
                from sharing.store.duck import DuckDBStore

                store = DuckDBStore(where, migrate=_migrate())
            else:
                from sharing.store.postgres import PostgresStore

                store = PostgresStore(where, pool_size=int(_sharing().get("store_pool_size", 5)),
                                      timeout=float(os.environ.get("WORKFORCE_LENS_STORE_TIMEOUT")
                                                    or _sharing().get("store_timeout", 5)),
                                      migrate=_migrate())
            _stores[f"{kind}:{where}"] = store
        return store


def close_all() -> None:
    """Close every store this process opened (tests, shutdown)."""
    with _stores_lock:
        for store in _stores.values():
            store.close()
        _stores.clear()


def forget(target: str | Path) -> None:
    """Close and drop one store (e.g. a test database about to be dropped)."""
    kind, where = _key(target)
    with _stores_lock:
        store = _stores.pop(f"{kind}:{where}", None)
    if store is not None:
        store.close()


def startup_check(target: str | Path | None = None) -> str:
    """Check (and, when allowed, create or upgrade) the schema before serving; a line saying how it went.

    Raises SchemaMismatch when the database's schema is one this code must not use. An unreachable
    database is reported, not raised: live dashboards work without it, and the pages that need it say so.
    """
    store = open_store(target)
    try:
        revision = store.check(_migrate())
    except StoreUnavailable as exc:
        return f"Shared data: {store.describe()} is not reachable yet ({exc}); pages that need it will say so."
    return f"Shared data: {store.describe()}, schema revision {revision}."


def copy_store(source: str | Path, target: str | Path) -> dict[str, int]:
    """Copy every publication and the club from one store into another (e.g. the DuckDB file into PostgreSQL).

    One transaction on the target: all of it is copied or none. Rows whose key is already in the target are
    left as they are there. Returns the number of rows copied per table.
    """
    from sharing.store.schema import TABLES

    keys = {"publications": ["id"], "publication_frames": ["publication_id", "view", "key"],
            "club_members": ["authority"], "club_keys": ["key_id"], "club_publications": ["authority", "quarter"],
            "club_figures": ["authority", "quarter", "service_area", "figure"],
            "club_caps": ["role", "effective_from"], "club_cap_breaches": ["authority", "quarter", "role"]}
    src, dst = open_store(source), open_store(target)
    copied: dict[str, int] = {}
    with dst.transaction() as tx:
        for table in TABLES:
            if table == "store_state":
                continue
            data = src.query(f"SELECT * FROM {table}")
            have = tx.df(f"SELECT {', '.join(keys[table])} FROM {table}")
            existing = set(map(tuple, have.astype(str).to_numpy().tolist()))
            fresh = [row for row in data.itertuples(index=False, name=None)
                     if tuple(str(row[data.columns.get_loc(k)]) for k in keys[table]) not in existing]
            fresh = [tuple(_python(v) for v in row) for row in fresh]
            tx.insert(table, list(data.columns), fresh)
            copied[table] = len(fresh)
    return copied


def _python(value: object) -> object:
    """A pandas/numpy value as the plain Python value a database driver takes."""
    import datetime as dt

    import numpy as np
    import pandas as pd

    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, dt.datetime | dt.date | str | bytes | int | float | bool):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value
