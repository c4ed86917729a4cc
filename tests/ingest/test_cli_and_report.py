"""`python -m ingest check` and the grouped problem report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ingest
from ingest.__main__ import main
from ingest.model import Problem
from tests.ingest.conftest import GOOD, staff_rows, xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]


def test_cli_reports_tables_rows_set_aside_and_reasons(tmp_path, capsys):
    bad = ["W2", *GOOD[1:4], 37, *GOOD[5:]]
    path = tmp_path / "staff.xlsx"
    path.write_bytes(xlsx_bytes({"Staff": staff_rows(GOOD, bad)}))
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "staff (Staff extract): 1 row loaded, 1 row set aside" in out
    assert "staff.xlsx › Staff, column fte: FTE looks like hours" in out and "(rows 3)" in out


def test_cli_lists_assumptions_and_unmatched_headers(tmp_path, capsys):
    path = tmp_path / "staff.csv"
    path.write_text("worker_id,service_area,role,start_date,Favourite colour\nW1,CSW,SW,2020-01-06,red\n")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "staff.worker_type" in out and "staff.fte" in out
    assert "Headers not matched:" in out and "Favourite colour" in out


def test_cli_exit_1_when_nothing_loads_and_never_a_traceback(tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00\x01 definitely not a workbook" * 50)
    missing = tmp_path / "missing.csv"
    done = subprocess.run(
        [sys.executable, "-m", "ingest", "check", str(junk), str(missing)], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "junk.xlsx: This file is not a spreadsheet" in done.stdout
    assert "No table could be loaded." in done.stdout


def test_problem_report_groups_and_counts():
    problems = [
        Problem("a.xlsx", "Staff", 3, "fte", "FTE is not a number.", "error", "x"),
        Problem("a.xlsx", "Staff", 9, "fte", "FTE is not a number.", "error", "y"),
        Problem("a.xlsx", "Staff", None, "fte", "FTE is not a number.", "error", None, 40),
        Problem("a.xlsx", "Staff", 4, "start_date", "Start date is in the future.", "warning", "2099-01-01"),
        Problem("a.xlsx", None, None, None, "Note.", "info"),
    ]
    report = ingest.problem_report(problems)
    assert report["severity"].tolist() == ["error", "warning", "info"]
    first = report.iloc[0]
    assert (first["count"], first["example_rows"], first["example_values"]) == (42, "3, 9", "x, y")
    assert (first["file"], first["sheet"], first["column"]) == ("a.xlsx", "Staff", "fte")
    assert ingest.problem_report([]).empty
