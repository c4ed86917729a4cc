"""The embedded back end: one DuckDB file on this machine's disk (the default; nothing to set up).

Every write (a publish, a rename, a delete, a club change) copies the database
into a temporary file in the same directory, makes its change there, and swaps
the result in with `os.replace`, under an exclusive `flock` on `<file>.lock`: a
second writer waits its turn, a killed writer leaves the previous file untouched
(its stray temporary file is removed by the next writer), and readers never see
a half-written file. Readers attach the file read-only from an in-memory DuckDB,
so any number of app processes on the machine can read it at once; a reader
notices a swapped-in file by its inode.

Each write copies the whole file, so this back end suits one machine and a
modest number of publications; a regional club or several machines use
PostgreSQL (sharing/store/postgres.py).

A file written before the store existed (tables `snapshots`, `snapshot_tables`
and one `v_…` table per published view) is converted on its first write, or at
start when migrating is allowed.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from sharing.store import frames, schema
from sharing.store.base import SchemaMismatch, Store, StoreError, Tx, mismatch_message

LEGACY_TABLES = frozenset({"snapshots", "snapshot_tables"})


class DuckTx(Tx):
    """Statements on one DuckDB connection (or cursor)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> DuckTx:
        self.con.execute(sql, list(params or []))
        return self

    def fetchall(self) -> list[tuple]:
        return self.con.fetchall()

    def df(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        # Rows as Python values, as psycopg gives them (and much quicker than .df() for the small results here).
        cursor = self.con.execute(sql, list(params or []))
        columns = [d[0] for d in cursor.description or []]
        return pd.DataFrame(cursor.fetchall(), columns=columns)

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        arrow = pa.table({col: [row[i] for row in rows] for i, col in enumerate(columns)})
        names = ", ".join(columns)
        self.con.register("_rows", arrow)
        try:
            self.con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _rows")
        finally:
            self.con.unregister("_rows")


def _sql_text(path: Path) -> str:
    """A file path as a SQL string literal body (ATTACH takes no parameters)."""
    return str(path).replace("'", "''")


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `<path>.lock` (held by one writer at a time, across processes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def sweep(path: Path) -> None:
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


def _tables(con: duckdb.DuckDBPyConnection, database: str) -> set[str]:
    rows = con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [database]).fetchall()
    return {r[0] for r in rows}


def _revision(con: duckdb.DuckDBPyConnection, database: str) -> tuple[str | None, set[str]]:
    """(schema revision, table names) of an attached database; revision None when it has no version table."""
    tables = _tables(con, database)
    if schema.VERSION_TABLE not in tables:
        return None, tables
    row = con.execute(f'SELECT version_num FROM "{database}".{schema.VERSION_TABLE}').fetchone()
    return (row[0] if row else None), tables


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The head schema in an empty database, with its revision recorded as Alembic records it."""
    for statement in schema.statements_after(None):
        con.execute(statement)
    con.execute(schema.VERSION_DDL)
    con.execute(f"INSERT INTO {schema.VERSION_TABLE} VALUES (?)", [schema.HEAD])


def _copy_current(con: duckdb.DuckDBPyConnection) -> None:
    """Copy every table of the attached previous database (at the head revision) into the new one."""
    con.execute("DELETE FROM store_state")
    for table in schema.TABLES:
        con.execute(f'INSERT INTO main."{table}" BY NAME SELECT * FROM _wl_previous."{table}"')


def _import_legacy(con: duckdb.DuckDBPyConnection) -> None:
    """Convert a pre-store file (one table per published view) into publications and frames."""
    snaps = con.execute("SELECT id, name, published_at, published_by, as_of, source_label, threshold, meta "
                        "FROM _wl_previous.snapshots").fetchall()
    tx = DuckTx(con)
    tx.insert("publications", ["id", "kind", "name", "published_at", "published_by", "as_of", "source_label",
                               "threshold", "meta"],
              [(s[0], "snapshot", s[1], s[2], s[3] or "", s[4], s[5] or "", int(s[6] or 5), s[7] or "{}")
               for s in snaps])
    index = con.execute("SELECT snapshot_id, view, key, table_name, meta FROM _wl_previous.snapshot_tables").fetchall()
    tables = _tables(con, "_wl_previous")
    rows = []
    for snapshot_id, view, key, table, meta in index:
        if table not in tables:
            continue
        data = con.execute(f'SELECT * FROM _wl_previous."{table}" WHERE "_key" = ?', [key]).df().drop(columns=["_key"])
        meta_dict = json.loads(meta)
        meta_dict.setdefault("dates", [])
        rows.append((snapshot_id, view, key, json.dumps(meta_dict), frames.dumps(data)))
    tx.insert("publication_frames", ["publication_id", "view", "key", "meta", "data"], rows)


_EMPTY: duckdb.DuckDBPyConnection | None = None
_EMPTY_LOCK = threading.Lock()


def _empty() -> duckdb.DuckDBPyConnection:
    """An in-memory database with the head schema and nothing in it (what a store with no file yet reads as)."""
    global _EMPTY
    with _EMPTY_LOCK:
        if _EMPTY is None:
            con = duckdb.connect(":memory:")
            create_schema(con)
            _EMPTY = con
        return _EMPTY


class DuckDBStore(Store):
    """The store in one DuckDB file, written by copy-and-swap (see module docstring)."""

    kind = "duckdb"

    def __init__(self, path: Path | str, migrate: bool = True) -> None:
        self.path = Path(path)
        self.url = f"duckdb:///{self.path}"
        self.migrate = migrate
        self._reader: tuple[tuple, duckdb.DuckDBPyConnection] | None = None
        self._lock = threading.Lock()

    def describe(self) -> str:
        return f"DuckDB file {self.path}"

    # ── writing ──────────────────────────────────────────────────────────────

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Tx]:
        path = self.path
        with locked(path):
            sweep(path)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
            try:
                con = duckdb.connect(str(tmp))
                try:
                    self._prepare(con)
                    con.execute("UPDATE store_state SET generation = generation + 1 WHERE id = 1")
                    yield DuckTx(con)
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
        self._forget()

    def _prepare(self, con: duckdb.DuckDBPyConnection) -> None:
        """The head schema in the temporary file, holding everything the current file holds."""
        create_schema(con)
        if not self.path.exists():
            return
        con.execute(f"ATTACH '{_sql_text(self.path)}' AS _wl_previous (READ_ONLY)")
        try:
            found, tables = _revision(con, "_wl_previous")
            if found == schema.HEAD:
                _copy_current(con)
            elif found is None and LEGACY_TABLES <= tables:
                _import_legacy(con)
            elif found is not None or tables:
                raise SchemaMismatch(mismatch_message(found, schema.HEAD, self.describe(), can_upgrade=False))
        finally:
            con.execute("DETACH _wl_previous")

    # ── reading ──────────────────────────────────────────────────────────────

    def _identity(self) -> tuple | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _forget(self) -> None:
        with self._lock:
            self._reader = None

    def _connection(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection to the file as it is now (reopened when a writer has swapped in a new file)."""
        ident = self._identity()
        if ident is None:
            return _empty()
        with self._lock:
            if self._reader is not None and self._reader[0] == ident:
                return self._reader[1]
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"ATTACH '{_sql_text(self.path)}' AS _wl_store (READ_ONLY)")
        except duckdb.Error as exc:
            con.close()
            raise StoreError(f"The snapshot file {self.path} cannot be read: {exc}") from exc
        found, tables = _revision(con, "_wl_store")
        if found != schema.HEAD:
            con.close()
            if self.migrate and (found is None and (LEGACY_TABLES <= tables or not tables)):
                with self.transaction():
                    pass
                return self._connection()
            raise SchemaMismatch(mismatch_message(found, schema.HEAD, self.describe(),
                                                  can_upgrade=found is None and LEGACY_TABLES <= tables))
        con.execute("USE _wl_store")
        with self._lock:
            self._reader = (ident, con)
        return con

    @contextlib.contextmanager
    def reading(self) -> Iterator[Tx]:
        con = self._connection()
        cursor = con.cursor()
        try:
            if con is not _EMPTY:
                cursor.execute("USE _wl_store")
            yield DuckTx(cursor)
        finally:
            cursor.close()

    def stamp(self) -> Any:
        return self._identity()

    def revision(self) -> str | None:
        if self._identity() is None:
            return None
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"ATTACH '{_sql_text(self.path)}' AS probe (READ_ONLY)")
            return _revision(con, "probe")[0]
        finally:
            con.close()

    def check(self, migrate: bool = True) -> str:
        """The file's revision; a pre-store file is converted when `migrate` (no file yet: nothing to check)."""
        if self._identity() is None:
            return schema.HEAD
        found = self.revision()
        if found == schema.HEAD:
            return found
        if found is None and migrate:
            with self.transaction():
                pass
            return schema.HEAD
        raise SchemaMismatch(mismatch_message(found, schema.HEAD, self.describe(), can_upgrade=found is None))

    def close(self) -> None:
        self._forget()
