"""What every back end of the published-data store offers: one interface, two databases.

A Store hands out a transaction (all of it is written, or none of it) and runs
read queries. Queries are written once, in the SQL both DuckDB and PostgreSQL
accept, with `?` for every parameter (no value is ever formatted into SQL text);
each back end adapts the placeholder style. Errors reach callers as StoreError
subclasses whose message can be shown to a user as it is.
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd


class StoreError(Exception):
    """A store operation that cannot be done; the message says why in words a user can act on."""


class StoreUnavailable(StoreError):
    """The database cannot be reached (or went away mid-operation): nothing was changed."""


class SchemaMismatch(StoreError):
    """The database's schema revision is not the one this code reads and writes."""


class Tx(ABC):
    """An open transaction or read session: run statements with `?` parameters."""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Tx:
        """Run one statement (parameters bound, never formatted in)."""

    @abstractmethod
    def fetchall(self) -> list[tuple]:
        """Every row of the last statement."""

    def fetchone(self) -> tuple | None:
        """The first row of the last statement, or None."""
        rows = self.fetchall()
        return rows[0] if rows else None

    @abstractmethod
    def df(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """A query's result as a DataFrame (columns named as in the SELECT)."""

    @abstractmethod
    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert many rows at once (the back end's bulk path: COPY, or an Arrow table)."""


class Store(ABC):
    """The published-data store: snapshots and the benchmarking club, in one schema."""

    kind: str
    """'duckdb' or 'postgresql'."""
    url: str
    """Where it is (a URL; the password, if any, is only ever shown as ***)."""

    @abstractmethod
    def describe(self) -> str:
        """Where the data is, in words, for messages (no password)."""

    @abstractmethod
    def transaction(self) -> contextlib.AbstractContextManager[Tx]:
        """One all-or-nothing write: committed when the block ends, rolled back (nothing kept) on any error."""

    @abstractmethod
    def reading(self) -> contextlib.AbstractContextManager[Tx]:
        """A read-only session for queries (sees the latest committed data)."""

    @abstractmethod
    def stamp(self) -> Any:
        """A cheap value that changes whenever anything is written (by any process or replica)."""

    @abstractmethod
    def revision(self) -> str | None:
        """The schema revision the database is at (None: no schema yet)."""

    @abstractmethod
    def check(self, migrate: bool = True) -> str:
        """Check the schema revision (creating or upgrading it when `migrate`); return it, or raise SchemaMismatch."""

    def close(self) -> None:  # noqa: B027 - a back end with nothing to release keeps this
        """Release connections (the store can still be used afterwards; it reconnects)."""

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """One read query as a DataFrame."""
        with self.reading() as tx:
            return tx.df(sql, params)

    def rows(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
        """One read query as a list of tuples."""
        with self.reading() as tx:
            return tx.execute(sql, params).fetchall()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.describe()}>"


def mismatch_message(found: str | None, head: str, where: str, can_upgrade: bool) -> str:
    """Why the app will not use a database whose schema revision is not its own, and what to do."""
    if can_upgrade:
        state = "has no Workforce Lens tables yet" if found is None else f"is at schema revision {found}"
        return (f"The shared-data database ({where}) {state}; this version of Workforce "
                f"Lens needs schema revision {head}. Run `python -m sharing.store upgrade` once (or set [sharing] store_migrate "
                "= \"auto\"), then restart.")
    return (f"The shared-data database ({where}) is at schema revision {found!r}, which this version of Workforce "
            f"Lens does not know (it knows up to {head}): it was written by a newer version. Upgrade the app "
            "before using this database.")


def rows_of(tx: Tx, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
    """A query's rows as dicts (for small results)."""
    return tx.df(sql, params).to_dict("records")


def chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    """`items` in slices of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
