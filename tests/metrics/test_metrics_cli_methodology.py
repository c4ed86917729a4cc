"""The CLI (`python -m metrics`) and the generated methodology document."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from metrics import FIGURES
from metrics.cli import run
from metrics.methodology import methodology_markdown
from tests.metrics.metrics_fixtures import ESTABLISHMENT_ROWS, MARKET_ROWS, staff_frame

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("cli")
    paths = []
    for name, frame in (("staff", staff_frame()), ("establishment", pd.DataFrame(ESTABLISHMENT_ROWS)),
                        ("market_pay", pd.DataFrame(MARKET_ROWS))):
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False)
        paths.append(str(path))
    return paths


def _run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(args, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_table_is_the_committee_table(files):
    code, out, _ = _run([*files, "--as-of", "2024-09-30"])
    assert code == 0
    assert "FTE in post" in out and "Vacancy rate" in out and "Salary gap to market" in out
    all_line = next(line for line in out.splitlines() if line.startswith("All"))
    # 5.3 FTE; vacancy 1.5 / 6.8 = 22.1%; agency 1.6 / 6.9 = 23.2%; turnover 2 / 5.3 = 37.7%
    assert "5.3" in all_line and "22.1%" in all_line and "23.2%" in all_line and "37.7%" in all_line


def test_json_is_the_committee_table_by_default(files):
    """The committee table's figures only: the core five, and average caseload (the fixture records caseloads)."""
    code, out, _ = _run([*files, "--as-of", "2024-09-30", "--format", "json"])
    assert code == 0
    data = json.loads(out)
    assert [list(r) for r in data["rows"]][-1] == ["service_area", "fte_in_post", "vacancy_rate", "agency_rate",
                                                  "turnover_rate", "salary_gap", "average_caseload"]
    rows = {r["service_area"]: r for r in data["rows"]}
    # the fixture by hand: 1.5 vacant FTE of 6.8 funded; 1.6 agency FTE of 6.9 (agency + employed); 5.3 FTE in post
    assert rows["All"]["vacancy_rate"] == pytest.approx(1.5 / 6.8, abs=1e-12)
    assert rows["All"]["agency_rate"] == pytest.approx(1.6 / 6.9, abs=1e-12)
    assert rows["All"]["fte_in_post"] == pytest.approx(5.3)


def test_csv_is_the_committee_table_by_default_and_all_gives_every_figure(files):
    code, out, _ = _run([*files, "--as-of", "2024-09-30", "--format", "csv"])
    assert code == 0
    assert list(pd.read_csv(io.StringIO(out)).columns) == ["service_area", "fte_in_post", "vacancy_rate",
                                                         "agency_rate", "turnover_rate", "salary_gap",
                                                         "average_caseload"]
    code, out, _ = _run([*files, "--as-of", "2024-09-30", "--format", "csv", "--all"])
    assert code == 0
    assert set(FIGURES) <= set(pd.read_csv(io.StringIO(out)).columns)


def test_all_needs_a_data_format(files):
    code, out, err = _run([*files, "--all"])
    assert code == 2 and out == "" and "--format csv" in err and "Traceback" not in err


def test_json_is_unrounded_fractions_with_nulls(files):
    code, out, _ = _run([*files, "--as-of", "2024-09-30", "--format", "json", "--by", "service_area", "--all"])
    assert code == 0
    data = json.loads(out)
    assert data["as_of"] == "2024-09-30"
    rows = {r["service_area"]: r for r in data["rows"]}
    assert rows["All"]["vacancy_rate"] == pytest.approx(1.5 / 6.8, abs=1e-12)
    assert rows["Education Psychology"]["salary_gap"] is None  # no comparator
    assert rows["All"]["cap_breaches"] is None  # no agency_caps table
    assert set(FIGURES) <= set(rows["All"])


def test_csv_has_a_row_per_group_and_all(files):
    code, out, _ = _run([*files, "--as-of", "2024-09-30", "--format", "csv", "--by", "team"])
    assert code == 0
    df = pd.read_csv(io.StringIO(out))
    assert list(df["team"]) == ["A", "B", "EP", "All"]
    assert df.set_index("team").loc["All", "fte_in_post"] == pytest.approx(5.3)


@pytest.mark.parametrize("args, words", [
    (["--by", "name"], "cannot cut by"),
    (["--as-of", "30/09/2024"], "not a date"),
])
def test_bad_arguments_are_sentences(files, args, words):
    code, out, err = _run([*files, *args])
    assert code == 2 and words in err and "Traceback" not in err + out


def test_missing_file_is_a_sentence():
    code, _, err = _run(["/nonexistent/staff.csv"])
    assert code == 2 and "file not found" in err


def test_methodology_names_every_figure_with_formula_and_source():
    text = methodology_markdown()
    for figure in FIGURES.values():
        assert f"(`{figure.id}`)" in text, figure.id
        assert figure.formula in text, figure.id
    assert "Equality Act 2010" in text and "CIPD" in text


def test_committed_methodology_is_the_generated_one():
    committed = (ROOT / "docs" / "METHODOLOGY.md").read_text(encoding="utf-8")
    assert committed == methodology_markdown(), "run: python -m metrics.methodology --write docs/METHODOLOGY.md"


def test_summary_file_rows_carry_period(tmp_path):
    path = tmp_path / "committee.csv"
    path.write_text("Service area,Period,FTE,Vacancy rate,Agency FTE\n"
                    "Children's Social Work,2024,90,10%,10\nSEND,2024,20,c,5\n", encoding="utf-8")
    code, out, err = _run([str(path), "--format", "json"])
    assert code == 0, err
    rows = {r["service_area"]: r for r in json.loads(out)["rows"]}
    assert rows["SEND"]["period"] == "2024"
    assert rows["Children's Social Work"]["vacancy_rate"] == pytest.approx(0.1)  # as given
    assert rows["Children's Social Work"]["agency_rate"] == pytest.approx(0.1)  # 10 / (10 + 90)
    assert rows["SEND"]["vacancy_rate"] is None and rows["SEND"]["vacancy_rate_symbol"] == "c"


def test_assume_worker_type(tmp_path, files):
    staff = pd.read_csv(files[0]).drop(columns=["worker_type"])
    path = tmp_path / "staff.csv"
    staff.to_csv(path, index=False)
    code, out, err = _run([str(path), "--as-of", "2024-09-30", "--format", "json", "--by", "service_area"])
    assert code == 0 and "worker_type=permanent" in err
    assert all(r["fte_in_post"] is None for r in json.loads(out)["rows"])
    code, out, err = _run([str(path), "--as-of", "2024-09-30", "--format", "json", "--assume",
                           "worker_type=permanent"])
    rows = {r["service_area"]: r for r in json.loads(out)["rows"]}
    assert rows["All"]["fte_in_post"] == pytest.approx(6.9)  # agency rows counted as employed by assumption
    assert rows["All"]["agency_rate"] is None
