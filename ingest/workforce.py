"""The per-session store: one in-memory DuckDB connection holding the canonical tables.

A Workforce is created by ingest (from uploaded files or the demo) and read by
metrics. It is never shared between browser sessions. Every canonical table,
when present, has all of its canonical columns (absent optional columns are
NULL), typed as ingest.schema declares, so metrics SQL can rely on the names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import threading
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import pyarrow as pa

from ingest.model import ASSUMPTIONS, Problem
from ingest.schema import SUMMARY_NUMBERS, TABLES

_counter = itertools.count(1)

ONE_THREAD_BELOW_ROWS = 250_000
"""A session's DuckDB works on one thread while its largest table has fewer rows than this.

Measured (issue 14, 2 cores): on 100,000 staff rows one thread stores the table in 53 ms
instead of 95 ms and computes the committee figures in 104 ms instead of 145 ms (splitting so
little work costs more than it saves); on 1,000,000 rows two threads are faster (core figures
and the 24-month series 291 ms against 348 ms).
"""

DISABLED_OPTIMIZERS = "grouping_sets"
"""DuckDB optimizers a session's connection runs without.

DuckDB 2.0's grouping-sets rewrite splits the figures' one GROUPING SETS query (a group and its
All row, with a dozen distinct counts and medians) into a shared input read by every aggregate,
which costs more than it saves at every size measured: on the demo council the figures' main
query took 67 ms with it and 37 ms without (the same rows); on 1,000,000 rows every figure by
service area took 7.3 s with it and 3.6 s without, the core figures and 24-month series 395 ms
and 294 ms (benchmarks.metrics_bench). Only the plan changes, never the answer.
"""


def connect() -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB for one session's data (or a scenario's, or the command line's)."""
    return duckdb.connect(":memory:", config={"disabled_optimizers": DISABLED_OPTIMIZERS})


def table_columns_sql(table: str) -> list[tuple[str, str]]:
    """(column, DuckDB type) pairs of a canonical table as stored, symbol columns included."""
    spec = TABLES[table]
    cols = [(c.name, c.duckdb_type) for c in spec.columns]
    if table == "summary":
        cols += [(f"{name}_symbol", "VARCHAR") for name in SUMMARY_NUMBERS]
    if table == "staff":
        cols.append(("source_row", "VARCHAR"))
    return cols


@dataclass
class Workforce:
    """One session's uploaded data in DuckDB, with what was found while loading it."""

    con: duckdb.DuckDBPyConnection = field(default_factory=connect)
    problems: list[Problem] = field(default_factory=list)
    assumptions: dict[str, str] = field(default_factory=dict)
    """Chosen assumptions: missing staff column → option key (see ingest.model.ASSUMPTIONS)."""
    sources: list[str] = field(default_factory=list)
    """Names of the files the data came from (for labels), never their contents."""
    label: str = ""
    """What the data is, in words: e.g. 'Demo: Shireford County Council'."""
    is_demo: bool = False
    rows_set_aside: dict[str, int] = field(default_factory=dict)
    """Rows excluded per table because of errors (figures say how many they exclude)."""
    missing_columns: dict[str, list[str]] = field(default_factory=dict)
    """Optional canonical columns absent from the upload, per table (NULL in DuckDB)."""
    derivations: dict[str, str] = field(default_factory=dict)
    """Columns worked out by a derivation the user accepted (ingest.derive): key → the sentence to show."""
    version: int = field(default_factory=lambda: next(_counter))
    materialise: bool = True
    """Copy the tables and working tables (see `derived`) into DuckDB: a session's pages ask many questions
    of them. False for one computation and done (the command line): tables are views of the Arrow data
    as loaded and working tables are views, so nothing is copied that one statement reads once."""
    _known: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    """What `tables` and `has` found, for the data version they found it in."""
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)
    _rows: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)
    """Rows of each table as stored (to choose DuckDB's threads)."""
    _one_thread: bool = field(default=False, init=False, repr=False, compare=False)

    def add_table(self, name: str, data: pd.DataFrame | pa.Table, present_columns: list[str] | None = None) -> None:
        """Store a canonical table, adding absent canonical columns as typed NULLs.

        `data` must already hold canonical, normalised values. Columns of `data`
        that are not canonical are ignored. Replaces any table of the same name.
        """
        arrow = pa.Table.from_pandas(data, preserve_index=False) if isinstance(data, pd.DataFrame) else data
        self.fit_threads(name, arrow.num_rows)
        have = set(arrow.column_names)
        select = []
        for column, sql_type in table_columns_sql(name):
            if column in have:
                select.append(f'CAST("{column}" AS {sql_type}) AS "{column}"')
            else:
                select.append(f'CAST(NULL AS {sql_type}) AS "{column}"')
        if self.materialise:
            self.con.register("_incoming", arrow)
            try:
                self.con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT {", ".join(select)} FROM _incoming')
            finally:
                self.con.unregister("_incoming")
        else:  # a view over the Arrow data, which stays registered (on this connection only: see `cursor`)
            self.con.register(f"_arrow_{name}", arrow)
            self.con.execute(f'CREATE OR REPLACE VIEW "{name}" AS SELECT {", ".join(select)} FROM "_arrow_{name}"')
        canonical = {c.name for c in TABLES[name].columns}
        given = set(present_columns) if present_columns is not None else have
        self.missing_columns[name] = [c for c in TABLES[name].column_names if c not in given and c in canonical]
        self.version = next(_counter)

    def fit_threads(self, name: str, rows: int) -> None:
        """One DuckDB thread for small data, DuckDB's own choice for large (see ONE_THREAD_BELOW_ROWS).

        Called with each table's rows before it is stored (add_table does; so does a scenario's copy)."""
        self._rows[name] = rows
        small = max(self._rows.values()) < ONE_THREAD_BELOW_ROWS
        if small != self._one_thread:
            self.con.execute("SET threads = 1" if small else "RESET threads")
            self._one_thread = small

    def _current(self) -> dict:
        """The record of lookups, emptied when the data has changed since it was made."""
        if self._known.get("version") != self.version:
            self._known.clear()
            self._known["version"] = self.version
        return self._known

    def _remember(self, key: tuple, find):
        """`find()`, looked up once per data version (every figure asks which tables are there)."""
        known = self._current()
        if key in known:
            return known[key]
        value = find()
        known[key] = value
        return value

    def has(self, name: str) -> bool:
        """True when the canonical table is present and has at least one row."""
        if name not in self.tables:
            return False
        return self._remember(("has", name),
                              lambda: self.cursor().execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] > 0)

    def has_column(self, table: str, column: str) -> bool:
        """True when the table is present and the upload supplied the column (or an assumption fills it)."""
        if table not in self.tables:
            return False
        if column in self.missing_columns.get(table, []):
            return table == "staff" and column in self.assumptions
        return True

    @property
    def tables(self) -> list[str]:
        """Names of the canonical tables present, in schema order."""
        def find() -> list[str]:
            sql = "SELECT table_name FROM duckdb_tables()"
            if not self.materialise:  # its tables are views (see add_table)
                sql += " UNION ALL SELECT view_name FROM duckdb_views()"
            names = {r[0] for r in self.cursor().execute(sql).fetchall()}
            return [t for t in TABLES if t in names]

        return list(self._remember(("tables",), find))

    def derived(self, name: str, sql: str, params: dict | None = None) -> str:
        """The name of a working table built from the canonical tables by `sql`, rebuilt when they change.

        For figures' shared first step (e.g. staff rows with their labels and
        comparators), done once per upload instead of in every statement. The
        assumptions are part of the key, since the SQL applies them.
        """
        built_from = (sql, repr(sorted((params or {}).items())), repr(sorted(self.assumptions.items())))
        table = f"_derived_{name}"
        with self._lock:
            if self._current().get(("derived", name)) == built_from:
                return table
            kind = "TABLE" if self.materialise or params else "VIEW"  # a view cannot hold parameters
            self.cursor().execute(f'CREATE OR REPLACE {kind} "{table}" AS {sql}', params or {})
            self._current()[("derived", name)] = built_from
            return table

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the session connection (one per query keeps threads apart).

        Not materialised, the connection itself: its tables are views of Arrow data registered on it,
        which another cursor cannot see (and its statements run one after another: see metrics.compute).
        """
        return self.con.cursor() if self.materialise else self.con

    def df(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        """Run a parameterised query on a fresh cursor and return a DataFrame."""
        return self.cursor().execute(sql, params or []).df()

    @property
    def fingerprint(self) -> str:
        """A key that changes whenever the data or the assumptions change (for caches)."""
        text = f"{id(self)}:{self.version}:{sorted(self.assumptions.items())}:{sorted(self.derivations)}"
        return hashlib.sha1(text.encode()).hexdigest()[:16]

    def assumption_notes(self) -> list[str]:
        """The sentences stating every assumption in force (chosen fills and accepted derivations), to show
        beside affected figures."""
        notes = [ASSUMPTIONS[col].options[key] for col, key in sorted(self.assumptions.items()) if col in ASSUMPTIONS]
        return notes + [sentence for _, sentence in sorted(self.derivations.items())]

    def latest_date(self) -> dt.date | None:
        """The latest date in the staff data (start or end), the default as-of date."""
        if "staff" not in self.tables:
            return None
        row = self.con.execute(
            "SELECT max(greatest(start_date, coalesce(end_date, start_date))) FROM staff WHERE start_date <= current_date"
        ).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        """Release the connection (end of session)."""
        self.con.close()
