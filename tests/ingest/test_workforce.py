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
