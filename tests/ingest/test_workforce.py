"""Workforce: what it remembers about its tables is forgotten when they change."""

from __future__ import annotations

import pandas as pd

from ingest.workforce import Workforce
from metrics import engine


def _staff(fte: float | None = 1.0, worker_type: str | None = "permanent") -> pd.DataFrame:
    row = dict(worker_id="w1", service_area="CSW", team="A", role="Social Worker", start_date=pd.Timestamp("2020-01-01"))
    if fte is not None:
        row["fte"] = fte
    if worker_type is not None:
        row["worker_type"] = worker_type
    return pd.DataFrame([row])


def test_tables_and_has_follow_new_tables():
    wf = Workforce()
    assert wf.tables == [] and not wf.has("staff")
    wf.add_table("staff", _staff())
    assert wf.tables == ["staff"] and wf.has("staff")
    wf.add_table("market_pay", pd.DataFrame(columns=["role", "market_median_salary"]))
    assert "market_pay" in wf.tables and not wf.has("market_pay")  # present, but no rows


def test_prepared_staff_is_rebuilt_when_data_or_assumptions_change():
    wf = Workforce()
    wf.add_table("staff", _staff(fte=0.5))
    table = engine.prepared_staff(wf)
    assert wf.df(f'SELECT fte, is_employed FROM "{table}"').iloc[0].tolist() == [0.5, True]
    wf.add_table("staff", _staff(fte=0.8))  # a new upload
    assert wf.df(f'SELECT fte FROM "{engine.prepared_staff(wf)}"')["fte"].tolist() == [0.8]

    wf = Workforce()
    wf.add_table("staff", _staff(worker_type=None))
    assert wf.df(f'SELECT is_employed FROM "{engine.prepared_staff(wf)}"')["is_employed"].tolist() == [False]
    wf.assumptions["worker_type"] = "permanent"  # chosen on the Data page
    assert wf.df(f'SELECT is_employed FROM "{engine.prepared_staff(wf)}"')["is_employed"].tolist() == [True]
    del wf.assumptions["worker_type"]
    assert wf.df(f'SELECT is_employed FROM "{engine.prepared_staff(wf)}"')["is_employed"].tolist() == [False]


def test_prepared_table_is_not_a_canonical_table():
    wf = Workforce()
    wf.add_table("staff", _staff())
    engine.prepared_staff(wf)
    assert wf.tables == ["staff"]


def _threads(wf: Workforce) -> int:
    return int(wf.con.execute("SELECT current_setting('threads')").fetchone()[0])


def test_small_data_is_worked_on_one_thread_and_large_data_on_duckdbs_choice(monkeypatch):
    import ingest.workforce as workforce_module

    default = _threads(Workforce())
    wf = Workforce()
    wf.add_table("staff", _staff())
    assert _threads(wf) == 1
    monkeypatch.setattr(workforce_module, "ONE_THREAD_BELOW_ROWS", 2)  # as if 2 rows were a large table
    wf.add_table("staff", pd.concat([_staff(), _staff()]))
    assert _threads(wf) == default
    wf.add_table("staff", _staff())  # the largest table is small again
    assert _threads(wf) == 1


def test_a_workforce_not_materialised_holds_views_with_the_same_rows():
    """For one computation (the command line): tables are views of the Arrow data, working tables are views."""
    kept, once = Workforce(), Workforce(materialise=False)
    for wf in (kept, once):
        wf.add_table("staff", pd.concat([_staff(fte=0.5), _staff(fte=1.0, worker_type="agency")]))
    kinds = once.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    assert kinds == []  # nothing copied
    assert once.tables == kept.tables == ["staff"] and once.has("staff")
    assert once.cursor() is once.con  # the registered Arrow data is seen only on this connection
    query = 'SELECT fte, is_employed, is_agency FROM "{}" ORDER BY fte'
    assert (once.df(query.format(engine.prepared_staff(once))).values.tolist()
            == kept.df(query.format(engine.prepared_staff(kept))).values.tolist()
            == [[0.5, True, False], [1.0, False, True]])
    views = {r[0] for r in once.con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert {"staff", "_derived_staff"} <= views


def _disabled(con) -> str:
    return con.execute("SELECT current_setting('disabled_optimizers')").fetchone()[0]


def test_sessions_run_without_duckdbs_grouping_sets_rewrite_and_get_the_same_figures():
    """The rewrite only slows the figures' GROUPING SETS query (ingest.workforce.DISABLED_OPTIMIZERS): every
    connection a session, a scenario or the command line computes on goes without it, and the figures
    are the ones DuckDB gives with it."""
    import duckdb

    import ingest
    from metrics import Params, compute
    from metrics.scenario import copy_workforce

    ours = ingest.load_demo()
    assert "grouping_sets" in _disabled(ours.con) and "grouping_sets" in _disabled(ours.cursor())
    twin = copy_workforce(ours)
    assert "grouping_sets" in _disabled(twin.con)
    stock = ingest.load_demo()
    stock.con = duckdb.connect(":memory:")  # DuckDB's own optimizers, the tables loaded again on it
    for table in ours.tables:
        stock.add_table(table, ours.df(f'SELECT * FROM "{table}"'))
    assert "grouping_sets" not in _disabled(stock.con)
    for by in (("service_area",), ("team", "role")):
        params = Params(by=by)
        pd.testing.assert_frame_equal(compute(ours, params), compute(stock, params))
    for wf in (ours, twin, stock):
        wf.close()
