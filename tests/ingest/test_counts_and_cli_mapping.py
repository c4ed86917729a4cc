"""Counts right per file, every problem counted, and the CLI takes the page's choices as flags."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import ingest
from ingest import Mapping
from ingest.__main__ import main as ingest_main
from metrics import cli as metrics_cli
from tests.ingest.conftest import GOOD, csv_bytes, staff_rows, xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]
HRIS = Path(__file__).parent / "fixtures" / "hris_extract.csv"
DFE = ROOT / "data" / "reference"


def test_counts_are_per_file_and_repeats_count_against_the_file_they_are_in():
    a = xlsx_bytes({"Staff": staff_rows(GOOD, ["W2", *GOOD[1:]], ["W3", *GOOD[1:4], 37, *GOOD[5:]])})
    b = csv_bytes(staff_rows(["W1", *GOOD[1:5], "2020-01-06", None], ["W9", *GOOD[1:5], "2021-01-06", None]))
    result = ingest.load([("a.xlsx", a), ("b.csv", b)])
    counts = {c.label: (c.rows, c.loaded, c.set_aside) for c in result.counts}
    assert counts == {"a.xlsx › Staff": (3, 2, 1), "b.csv": (2, 1, 1)}  # W3 is hours; W1 repeats a.xlsx's W1
    assert result.rows_set_aside == {"staff": 2}


def test_two_dfe_releases_count_each_files_repeats_in_that_file():
    """The 2017–2022 headline file's 978 rows all repeat the 2025 file's: 978 set aside from it, none from the other."""
    result = ingest.load([DFE / "csww_indicators_2017_to_2025.csv", DFE / "csww_headline_measures_2017_to_2022.csv"])
    counts = {c.file: c for c in result.counts}
    newer, older = counts["csww_indicators_2017_to_2025.csv"], counts["csww_headline_measures_2017_to_2022.csv"]
    assert (newer.rows, newer.set_aside) == (1463, 0)
    assert older.rows == 978 and older.set_aside <= 978 and older.loaded + older.set_aside == 978
    assert result.rows_set_aside["summary"] == newer.set_aside + older.set_aside
    reported = sum(p.count for p in result.problems if "Same area and period" in p.message)
    assert reported == older.set_aside


def test_ingest_check_takes_map_map_value_assume_and_writes_the_mapping(tmp_path, capsys):
    saved = tmp_path / "mapping.toml"
    code = ingest_main(["check", str(HRIS), "--assume", "worker_type=permanent", "--assume", "fte=1.0",
                        "--map", "Termd=", "--map-value", "leaving_reason:military=retirement",
                        "--write-mapping", str(saved)])
    out = capsys.readouterr().out
    assert code == 0
    assert "hris_extract.csv (staff): 12 rows read, 12 loaded, 0 set aside" in out
    assert "EmploymentStatus → employment_status" in out and "DateofHire → start_date" in out
    assert "Termd: not loaded: your mapping" in out
    assert "Assumption: everyone in the extract is a permanent employee" in out
    assert "Assumptions needed" not in out
    mapping = Mapping.from_text(saved.read_text(encoding="utf-8"))
    assert mapping.columns == {"Termd": ""} and mapping.assume == {"worker_type": "permanent", "fte": "1.0"}
    assert mapping.values == {"leaving_reason": {"military": "retirement"}}
    code = ingest_main(["check", str(HRIS), "--mapping", str(saved), "--quiet-columns"])
    again = capsys.readouterr().out
    assert code == 0 and "How each column was read" not in again and "Assumptions needed" not in again


def test_a_bad_flag_is_a_usage_error_with_the_choices(capsys):
    assert ingest_main(["check", str(HRIS), "--map", "Department=colour"]) == 2
    assert "'colour' is not a column" in capsys.readouterr().err


def test_metrics_cli_with_map_and_assume_gives_the_hand_computed_figures(tmp_path):
    """HRIS: 5 in post at 12 Sep 2018, 2 leavers in the year: turnover 40%. Mapping Department away leaves no
    service area, so the staff sheet cannot load: the CLI says so and fails."""
    out, err = _io()
    code = metrics_cli.run([str(HRIS), "--format", "json", "--assume", "worker_type=permanent", "--assume",
                            "fte=1.0"], out=out, err=err)
    assert code == 0, err.getvalue()
    data = json.loads(out.getvalue())
    assert data["as_of"] == "2018-09-12"
    rows = {r["service_area"]: r for r in data["rows"]}
    assert rows["All"]["fte_in_post"] == 5 and rows["All"]["turnover_rate"] == pytest.approx(0.4)
    assert "more than 12 months ago" in err.getvalue()
    out, err = _io()
    code = metrics_cli.run([str(HRIS), "--map", "Department=", "--assume", "worker_type=permanent"], out=out, err=err)
    assert code == 2 and "service_area" in err.getvalue()


def test_metrics_cli_and_n_more_is_the_true_number_of_rows(tmp_path, monkeypatch):
    """1,000 rows with hours in fte, 1,200 with an unknown worker type, 10 with no role: 2,210 rows set aside."""
    rows = [["worker_id", "service_area", "role", "worker_type", "fte", "start_date"]]
    rows += [[f"H{i}", "CSW", "SW", "Permanent", 37, "2020-01-06"] for i in range(1000)]
    rows += [[f"T{i}", "CSW", "SW", "Volunteer-ish", 1, "2020-01-06"] for i in range(1200)]
    rows += [[f"R{i}", "CSW", "", "Permanent", 1, "2020-01-06"] for i in range(10)]
    rows += [["OK1", "CSW", "SW", "Permanent", 1, "2020-01-06"]]
    path = tmp_path / "staff.csv"
    path.write_bytes(csv_bytes(rows))
    monkeypatch.setattr(metrics_cli, "SHOW_PROBLEMS", 1)
    out, err = _io()
    assert metrics_cli.run([str(path)], out=out, err=err) == 0
    text = err.getvalue()
    shown = [int(n.replace(",", "")) for n in re.findall(r"×([\d,]+)", text)]
    [more] = [int(n.replace(",", "")) for n in re.findall(r"\.\.\. and ([\d,]+) more problem rows", text)]
    assert len(shown) == 1 and shown[0] + more == 2210
    assert "2,210 row(s) set aside in all" in text


def _io():
    import io

    return io.StringIO(), io.StringIO()
