"""The server back end: PostgreSQL through psycopg 3 and a connection pool (for several replicas and the club).

Every app process (replica) keeps a small pool of connections. A write is one
PostgreSQL transaction: if the process dies or the connection drops before it
commits, the server rolls it back and nothing of it is kept. Writers also bump
`store_state.generation` first thing, which serialises writes (each waits for
the one before to commit, so two councils publishing at once both land) and
tells every replica, in one tiny query, that something changed.

When the server cannot be reached (down, restarting, network), operations fail
within twice `[sharing] store_timeout` seconds with StoreUnavailable and a
message saying so; nothing is half-written. A pool that could not hand out a
connection is replaced by a fresh one, so the first request after the server is
back connects at once instead of waiting out the pool's reconnection back-off. The schema is created and upgraded by Alembic
(sharing/store/migrations), checked before first use.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from sharing.store import schema
from sharing.store.base import SchemaMismatch, Store, StoreUnavailable, Tx, mismatch_message

_DOWN_ERRORS: tuple[type[BaseException], ...] = (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout)


def _placeholders(sql: str) -> str:
    """`?` parameters as psycopg's `%s` (a literal `%` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


class PgTx(Tx):
    """Statements on one pooled psycopg connection."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn
        self.cur = conn.cursor()

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgTx:
        self.cur.execute(_placeholders(sql), list(params) if params else None)
        return self

    def fetchall(self) -> list[tuple]:
        return self.cur.fetchall()

    def df(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        self.execute(sql, params)
        columns = [d.name for d in self.cur.description or []]
        return pd.DataFrame(self.cur.fetchall(), columns=columns)

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        with self.cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def redact(url: str) -> str:
    """The URL with any password shown as ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()


def libpq_url(url: str) -> str:
    """A URL libpq accepts (`postgresql+psycopg://` and `postgres://` spellings reduced to `postgresql://`)."""
    for prefix in ("postgresql+psycopg://", "postgresql+psycopg2://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix):]
    return url


class PostgresStore(Store):
    """The store in a PostgreSQL database (see module docstring)."""

    kind = "postgresql"

    def __init__(self, url: str, *, pool_size: int = 5, timeout: float = 5.0, migrate: bool = True) -> None:
        self.url = libpq_url(url)
        self.timeout = timeout
        self.migrate = migrate
        self.pool_size = max(1, pool_size)
        self._pool = self._new_pool()
        self._opened = False
        self._checked = False
        self._lock = threading.Lock()

    def _new_pool(self) -> ConnectionPool:
        """A pool (not yet open): connections checked before use, so one dropped by a restart is replaced."""
        return ConnectionPool(
            self.url, min_size=1, max_size=self.pool_size, open=False, timeout=self.timeout, name="workforce-lens",
            check=ConnectionPool.check_connection, reconnect_timeout=max(self.timeout * 4, 30),
            kwargs={"connect_timeout": max(1, int(self.timeout)), "application_name": "workforce-lens"})

    def describe(self) -> str:
        parts = urlsplit(self.url)
        where = parts.hostname or "local socket"
        port = f":{parts.port}" if parts.port else ""
        database = parts.path.lstrip("/") or "(default database)"
        return f"PostgreSQL database {database} at {where}{port}"

    def _down(self, exc: BaseException) -> StoreUnavailable:
        return StoreUnavailable(
            f"The shared-data database ({self.describe()}) cannot be reached just now, so nothing was read or "
            "changed. Everything already published is kept in the database and will be back when it is; try "
            "again in a minute, and tell your system administrator if this goes on.")

    def _open(self) -> None:
        with self._lock:
            if not self._opened:
                self._pool.open(wait=False)
                self._opened = True

    def _ready(self) -> None:
        """Open the pool and check the schema once (again after a failure)."""
        self._open()
        if not self._checked:
            self.check(self.migrate)

    def _renew(self, stale: ConnectionPool) -> None:
        """Replace a pool that could not hand out a connection (its reconnection may be waiting out a back-off)."""
        with self._lock:
            if self._pool is stale:
                self._pool = self._new_pool()
                self._pool.open(wait=False)
                self._opened = True
        stale.close(timeout=0)

    def _get(self) -> tuple[ConnectionPool, psycopg.Connection]:
        """A connection from the pool; when none comes in time, once more from a fresh pool, then StoreUnavailable."""
        for attempt in (1, 2):
            pool = self._pool
            try:
                return pool, pool.getconn(timeout=self.timeout)
            except _DOWN_ERRORS as exc:
                if attempt == 2:
                    raise self._down(exc) from exc
                self._renew(pool)
        raise AssertionError("unreachable")  # pragma: no cover

    @contextlib.contextmanager
    def _connection(self, write: bool) -> Iterator[psycopg.Connection]:
        pool, conn = self._get()
        try:
            if write:
                with conn.transaction():
                    yield conn
            else:
                yield conn
                conn.rollback()
        except _DOWN_ERRORS as exc:
            raise self._down(exc) from exc
        finally:
            pool.putconn(conn)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Tx]:
        self._ready()
        with self._connection(write=True) as conn:
            tx = PgTx(conn)
            tx.execute("UPDATE store_state SET generation = generation + 1 WHERE id = 1")
            yield tx

    @contextlib.contextmanager
    def reading(self) -> Iterator[Tx]:
        self._ready()
        with self._connection(write=False) as conn:
            yield PgTx(conn)

    def stamp(self) -> Any:
        row = self.rows("SELECT generation FROM store_state WHERE id = 1")
        return row[0][0] if row else None

    def revision(self) -> str | None:
        self._open()
        with self._connection(write=False) as conn:
            cur = conn.execute("SELECT to_regclass(%s) IS NOT NULL", [schema.VERSION_TABLE])
            if not cur.fetchone()[0]:
                return None
            row = conn.execute(f"SELECT version_num FROM {schema.VERSION_TABLE}").fetchone()
            return row[0] if row else None

    def check(self, migrate: bool = True) -> str:
        """The database's revision; created or upgraded by Alembic when `migrate`, else SchemaMismatch."""
        found = self.revision()
        if found != schema.HEAD:
            known = found is None or found in schema.REVISIONS
            if not (known and migrate):
                raise SchemaMismatch(mismatch_message(found, schema.HEAD, self.describe(), can_upgrade=known))
            self.upgrade()
        self._checked = True
        return schema.HEAD

    def upgrade(self) -> None:
        """Bring the schema to HEAD with Alembic (safe when several replicas start at once: an advisory lock)."""
        from sharing.store import migrate

        try:
            migrate.upgrade(self.url)
        except Exception as exc:
            if isinstance(exc, _DOWN_ERRORS) or "connection" in type(exc).__name__.lower() or isinstance(
                    getattr(exc, "orig", None), _DOWN_ERRORS):
                raise self._down(exc) from exc
            raise

    def close(self) -> None:
        with self._lock:
            if self._opened:
                self._pool.close()
                self._pool = self._new_pool()
                self._opened = False
