"""The shared, read-only reference database: DfE indicators (long form) and the statistical-neighbour model.

`open_reference()` builds the database once per process from the shipped CSVs
and returns a DuckDB connection to it; callers run every query on their own
cursor (`query()` does this), so concurrent Streamlit sessions never share a
cursor. The app additionally holds it with `st.cache_resource`.

Why a private temporary file reopened `read_only=True`, rather than a file
committed under data/reference/ or a plain in-memory database:

- the CSVs are the source of truth (they carry the attribution, diff cleanly
  and are what the refresh command replaces); a committed .duckdb file would be
  a second copy tied to one DuckDB storage version;
- building takes a fraction of a second, so there is nothing to gain by caching
  the build across processes, and a per-process file means parallel test
  workers and app processes never race to write one shared file;
- reopening the file read-only makes "read-only" enforced by DuckDB (any write
  raises), which an in-memory database cannot be.

Tables:
  indicators(year, geographic_level, area, region, sub_region, region_code,
             old_la_code, new_la_code, measure, value, symbol)
      one row per area, year and DfE measure; `value` is NULL when the cell is
      a symbol (kept in `symbol`) or blank; percentages are stored as fractions 0–1.
  areas(area, geographic_level, region, sub_region, old_la_code, new_la_code, first_year, last_year)
  codes(old_la_code, area)            every old LA code (joint codes split) → area name in the file
  sn(la_code, sn_name, rank, neighbour_code, closeness)   the statistical-neighbour model, long form
"""

from __future__ import annotations

import atexit
import csv
import shutil
import tempfile
import threading
from pathlib import Path

import duckdb
import pandas as pd

import settings
from ingest.symbols import DFE_SYMBOLS
from reference.columns import ID_COLUMNS, MEASURES, canonical_header, is_percentage

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = ROOT / "data" / "reference"
INDICATORS_FILE = "csww_indicators.csv"
NEIGHBOURS_MODEL_YEAR = 2025
"""The DfE statistical-neighbour model the bundled neighbours file comes from."""
NEIGHBOURS_FILE = f"statistical_neighbours_{NEIGHBOURS_MODEL_YEAR}.csv"
LONDON = "London"
LONDON_SUBREGIONS = ("Inner London", "Outer London")

_lock = threading.Lock()
_open: dict[Path, duckdb.DuckDBPyConnection] = {}


def reference_dir() -> Path:
    """Folder holding the reference CSVs ([reference] dir in workforce_lens.toml, default data/reference)."""
    configured = settings.section("reference").get("dir")
    return (ROOT / configured) if configured else REFERENCE_DIR


def read_header(path: Path) -> list[str]:
    """The header row of a CSV file, as written (BOM removed)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def _select_canonical(path: Path, header: list[str]) -> str:
    """SQL selecting view `_csv` (the DfE CSV at `path`) with current column names (older names mapped)."""
    by_name = {canonical_header(h): h for h in header}
    missing = [c for c in ("time_period", "geographic_level") if c not in by_name]
    if missing:
        raise ValueError(f"{path.name}: not a DfE indicator file (no column {', '.join(missing)})")
    parts = []
    for column in (*ID_COLUMNS, *MEASURES):
        source = by_name.get(column)
        if column in MEASURES:  # blanks as '' so that UNPIVOT keeps them (it drops NULLs)
            parts.append(f"coalesce(\"{source}\", '') AS {column}" if source else f"'' AS {column}")
        else:
            parts.append(f'"{source}" AS {column}' if source else f"CAST(NULL AS VARCHAR) AS {column}")
    return f"SELECT {', '.join(parts)} FROM _csv"


def load_long(con: duckdb.DuckDBPyConnection, path: Path, table: str = "indicators") -> None:
    """Create `table` in `con`: the DfE file at `path` in long form (see module docstring)."""
    rel = con.read_csv(str(path), all_varchar=True, header=True)
    rel.to_view("_csv")
    con.execute(f"CREATE OR REPLACE TEMP VIEW _raw AS {_select_canonical(path, rel.columns)}")
    percent = [m for m in MEASURES if is_percentage(m)]
    symbols = list(DFE_SYMBOLS)
    con.execute(
        f"""
        CREATE OR REPLACE TABLE {table} AS
        WITH named AS (
            SELECT *,
                CASE geographic_level
                    WHEN 'National' THEN 'England'
                    WHEN 'Regional' THEN region_name
                    ELSE la_name END AS area,
                CASE WHEN region_name IN ('Inner London', 'Outer London') AND geographic_level <> 'Regional'
                     THEN 'London' ELSE region_name END AS region9,
                CASE WHEN region_name IN ('Inner London', 'Outer London') THEN region_name END AS sub_region
            FROM _raw
        ),
        long AS (
            UNPIVOT named ON {", ".join(MEASURES)} INTO NAME measure VALUE raw
        )
        SELECT
            CAST(time_period AS INTEGER) AS year,
            geographic_level,
            trim(area) AS area,
            trim(region9) AS region,
            sub_region,
            region_code,
            old_la_code,
            new_la_code,
            measure,
            CASE WHEN list_contains($percent, measure) THEN round(TRY_CAST(raw AS DOUBLE) / 100, 6)
                 ELSE TRY_CAST(raw AS DOUBLE) END AS value,
            CASE WHEN TRY_CAST(raw AS DOUBLE) IS NOT NULL OR raw IS NULL OR trim(raw) = '' THEN NULL
                 WHEN list_contains($symbols, lower(trim(raw))) THEN lower(trim(raw))
                 ELSE 'x' END AS symbol
        FROM long
        WHERE geographic_level IN ('National', 'Regional', 'Local authority')
        ORDER BY measure, year, geographic_level, area
        """,
        {"percent": percent, "symbols": symbols},
    )
    con.execute("DROP VIEW _raw")
    con.execute("DROP VIEW _csv")


def _build(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Create every table of the reference database in `con` from the CSVs in `folder`."""
    load_long(con, folder / INDICATORS_FILE)
    con.execute(
        """
        CREATE TABLE areas AS
        SELECT area, geographic_level, arg_max(region, year) AS region, arg_max(sub_region, year) AS sub_region,
               arg_max(old_la_code, year) AS old_la_code, arg_max(new_la_code, year) AS new_la_code,
               min(year) AS first_year, max(year) AS last_year
        FROM (SELECT DISTINCT area, geographic_level, region, sub_region, old_la_code, new_la_code, year FROM indicators)
        GROUP BY area, geographic_level
        """
    )
    con.execute(
        """
        CREATE TABLE codes AS
        SELECT code AS old_la_code, arg_max(area, year) AS area
        FROM (SELECT DISTINCT area, year, trim(unnest(string_split(old_la_code, '/'))) AS code
              FROM indicators WHERE geographic_level = 'Local authority' AND old_la_code IS NOT NULL)
        GROUP BY code
        """
    )
    sn_path = folder / NEIGHBOURS_FILE
    sn_rel = con.read_csv(str(sn_path), all_varchar=True, header=True)
    sn_rel.to_view("_sn")
    cols = {canonical_header(c) for c in sn_rel.columns}
    ranks = sorted(int(c[3:]) for c in cols if c.startswith("sn_") and c[3:].isdigit())
    union = " UNION ALL ".join(
        f"SELECT trim(old_la_code) AS la_code, trim(la_name) AS sn_name, {k} AS rank, "
        f"trim(SN_{k}) AS neighbour_code, trim(SN_{k}P) AS closeness FROM _sn"
        for k in ranks
    )
    con.execute(f"CREATE TABLE sn AS SELECT * FROM ({union}) WHERE neighbour_code IS NOT NULL AND neighbour_code <> ''")
    con.execute("DROP VIEW _sn")


def open_reference(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """The reference database for the CSVs in folder `path` (default data/reference), built once per process.

    Returns a read-only connection; run each query on its own `con.cursor()` (see `query`).
    """
    folder = Path(path) if path is not None else reference_dir()
    folder = folder.resolve()
    with _lock:
        con = _open.get(folder)
        if con is not None:
            return con
        tmpdir = Path(tempfile.mkdtemp(prefix="workforce_lens_ref_"))
        atexit.register(shutil.rmtree, tmpdir, True)
        db = tmpdir / "reference.duckdb"
        with duckdb.connect(str(db)) as build:
            _build(build, folder)
        con = duckdb.connect(str(db), read_only=True)
        _open[folder] = con
        return con


_prebuilding = False


def prebuild() -> None:
    """Start building the default reference database on a background thread (the app's first run).

    DuckDB reads the CSVs without holding Python's lock, so the build overlaps
    the rest of the first page's work; whoever asks first for the database then
    waits only for what is left. A failure here is left for that caller to meet.
    """
    global _prebuilding
    with _lock:
        if _prebuilding or reference_dir().resolve() in _open:
            return  # once per process (app.py calls this on every run)
        _prebuilding = True

    def build() -> None:
        try:
            open_reference()
        except Exception:  # noqa: BLE001 - the foreground call reports it
            pass

    threading.Thread(target=build, name="reference-prebuild", daemon=True).start()


def reset(path: Path | str | None = None) -> None:
    """Forget the built database for `path` (after a refresh), so the next open rebuilds it."""
    folder = (Path(path) if path is not None else reference_dir()).resolve()
    with _lock:
        con = _open.pop(folder, None)
    if con is not None:
        con.close()


def query(sql: str, params: list | dict | None = None, con: duckdb.DuckDBPyConnection | None = None) -> pd.DataFrame:
    """Run `sql` with `params` on a fresh cursor of the reference database and return a DataFrame."""
    base = con if con is not None else open_reference()
    with base.cursor() as cur:
        return cur.execute(sql, params or []).df()
