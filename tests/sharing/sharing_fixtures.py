"""A small hand-made council and two Views over it, so snapshot tests do not depend on the metrics package."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ingest.workforce import Workforce
from metrics.registry import Params, View

# Area X: team T1 (3 people), T2 (8 people); area Y: team T3 (12 people). Salaries are distinctive numbers.
TEAMS = [("X", "T1", 3), ("X", "T2", 8), ("Y", "T3", 12)]


def staff_frame() -> pd.DataFrame:
    rows = []
    n = 0
    for area, team, size in TEAMS:
        for i in range(size):
            n += 1
            rows.append({
                "worker_id": f"W{n:04d}X", "service_area": area, "team": team,
                "role": "Social Worker" if i % 3 else "Team Manager", "worker_type": "permanent", "fte": 1.0,
                "start_date": dt.date(2020, 1, 1), "end_date": None, "annual_salary": 40000.0 + 137.25 * n,
            })
    return pd.DataFrame(rows)


def make_workforce() -> Workforce:
    wf = Workforce(label="Test council")
    wf.add_table("staff", staff_frame())
    return wf


def _grouped(workforce: Workforce, params: Params) -> pd.DataFrame:
    """Headcount, FTE and median salary per group with an All row (GROUPING SETS), honouring one filter."""
    by = list(params.by)
    where, args = "TRUE", []
    for col, value in params.filters:
        where += f' AND CAST("{col}" AS VARCHAR) = ?'
        args.append(value)
    cols = ", ".join(f'"{c}"' for c in by)
    if by:
        sql = (f"SELECT {cols}, GROUPING({cols}) AS _g, count(*)::BIGINT AS headcount, sum(fte) AS fte, "
               f"median(annual_salary) AS median_salary FROM staff WHERE {where} "
               f"GROUP BY GROUPING SETS (({cols}), ()) ORDER BY _g, {cols}")
    else:
        sql = (f"SELECT 0 AS _g, count(*)::BIGINT AS headcount, sum(fte) AS fte, median(annual_salary) AS median_salary "
               f"FROM staff WHERE {where}")
    df = workforce.df(sql, args)
    for c in by:
        df[c] = df[c].astype(object).where(df["_g"] == 0, "All").astype("str")
    return df.drop(columns=["_g"])


VIEWS = {
    "table": View(name="table", title="Figure table", compute=_grouped,
                  by_options=(("service_area",), ("team",), ("role",)),
                  people_columns=("headcount",), rate_columns={"median_salary": "headcount", "fte": "headcount"}),
}


def raw_tables(target) -> dict[str, pd.DataFrame]:
    """Every table of a store read straight from the database (not through sharing.store): what is really there."""
    import duckdb

    target = str(target)
    out: dict[str, pd.DataFrame] = {}
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target) as conn:
            names = [r[0] for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'").fetchall()]
            for name in names:
                cur = conn.execute(f'SELECT * FROM "{name}"')
                out[name] = pd.DataFrame(cur.fetchall(), columns=[d.name for d in cur.description])
        return out
    with duckdb.connect(target, read_only=True) as con:
        for (name,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall():
            out[name] = con.execute(f'SELECT * FROM "{name}"').df()
    return out


def stored_frame_texts(target) -> list[str]:
    """Every stored table's contents as the JSON text it is kept as (decompressed here, by hand)."""
    import zlib

    frames = raw_tables(target)["publication_frames"]
    return [zlib.decompress(bytes(blob)).decode("utf-8") for blob in frames["data"]]
