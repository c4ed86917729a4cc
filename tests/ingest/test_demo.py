"""The bundled demo council loads cleanly through the same path as an upload."""

from __future__ import annotations

from pathlib import Path

import ingest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo" / "demo_council.xlsx"


def test_load_demo_is_labelled_and_complete():
    workforce = ingest.load_demo()
    assert workforce.is_demo and workforce.label == "Demo: Shireford County Council"
    assert workforce.tables == ["staff", "establishment", "market_pay", "agency_caps", "recruitment", "survey",
                                "supervision", "induction"]
    assert workforce.rows_set_aside["staff"] == 0 and workforce.missing_columns["staff"] == []
    assert [p for p in workforce.problems if p.severity == "error"] == []
    types = set(workforce.df("SELECT DISTINCT worker_type FROM staff")["worker_type"])
    assert types <= {"permanent", "fixed_term", "agency", "apprentice", "casual"} and "agency" in types


def test_demo_csv_folder_loads_the_same_tables():
    files = sorted((ROOT / "data" / "demo" / "csv").glob("*.csv"))
    assert len(files) == 8  # one CSV per table of the workbook
    result = ingest.load(files)
    workbook = ingest.load([DEMO])
    assert {k: len(v) for k, v in result.tables.items()} == {k: len(v) for k, v in workbook.tables.items()}


def test_each_session_gets_its_own_demo_read_once_per_process(monkeypatch):
    """The demo workbook is read once; every load_demo() is a new Workforce on its own DuckDB connection."""
    from ingest import loader

    first = ingest.load_demo()

    def no_second_read(*args, **kwargs):
        raise AssertionError("the demo workbook was read again")

    monkeypatch.setattr(loader, "load", no_second_read)
    second = ingest.load_demo()
    assert second is not first and second.con is not first.con
    staff = first.df("SELECT count(*) AS n FROM staff")["n"][0]
    first.con.execute("DELETE FROM staff")  # one session's data changing never reaches another's
    assert second.df("SELECT count(*) AS n FROM staff")["n"][0] == staff > 0
    assert ingest.load_demo().df("SELECT count(*) AS n FROM staff")["n"][0] == staff
