"""Refreshing the reference data from another DfE release: the report, older column names, atomic replace."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reference.refresh import compare_releases, main, refresh
from reference.store import INDICATORS_FILE, NEIGHBOURS_FILE, REFERENCE_DIR, open_reference, query

RELEASE_2025 = REFERENCE_DIR / "csww_indicators_2017_to_2025.csv"
VINTAGE_2024 = REFERENCE_DIR / "csww_indicators_2017_to_2023_vintage2024.csv"
OLD_NAMES_2022 = REFERENCE_DIR / "csww_headline_measures_2017_to_2022.csv"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A reference folder holding the 2025 release as the shipped file."""
    shutil.copy(RELEASE_2025, tmp_path / INDICATORS_FILE)
    shutil.copy(REFERENCE_DIR / NEIGHBOURS_FILE, tmp_path / NEIGHBOURS_FILE)
    return tmp_path


def test_2024_and_2025_releases_differ_in_55_cells_in_36_area_years():
    # shared/reference/README.md: "55 cells in 36 area-years differ from the 2025 release"
    diff = compare_releases(RELEASE_2025, VINTAGE_2024)
    assert diff.cells_revised == 55
    assert diff.area_years_revised == 36
    assert diff.years_removed == [2024, 2025] and diff.years_added == []
    assert diff.areas_added == [] and diff.areas_removed == []
    # one revision read by eye: England 2023 agency_rate_fte was 17.8 in Feb 2024 and is 17.9 in 2025
    row = diff.revisions.query("area == 'England' and year == 2023 and measure == 'agency_rate_fte'").iloc[0]
    assert row["old_value"] == pytest.approx(0.179) and row["new_value"] == pytest.approx(0.178)
    # the other direction counts the same cells, and years added
    back = compare_releases(VINTAGE_2024, RELEASE_2025)
    assert (back.cells_revised, back.area_years_revised, back.years_added) == (55, 36, [2024, 2025])
    assert "55 cells revised in 36 area-years" in back.summary()


def test_refresh_replaces_the_shipped_file_and_the_store_reads_the_new_release(folder: Path):
    before = open_reference(folder)
    assert query("SELECT max(year) AS y FROM indicators", con=before)["y"].iloc[0] == 2025
    diff = refresh(VINTAGE_2024, folder)
    assert diff.cells_revised == 55
    assert (folder / INDICATORS_FILE).read_bytes().count(b"\n") == VINTAGE_2024.read_bytes().count(b"\n")
    assert not list(folder.glob(".csww_indicators_*"))  # no temporary file left behind
    after = open_reference(folder)
    assert after is not before
    assert query("SELECT max(year) AS y FROM indicators", con=after)["y"].iloc[0] == 2023


def test_refresh_maps_older_column_names(folder: Path):
    diff = refresh(OLD_NAMES_2022, folder)
    assert diff.measures_removed == ["starters_fte", "starters_headcount"]
    assert {"Kingston upon Thames", "Richmond upon Thames"} <= set(diff.areas_added)
    header = (folder / INDICATORS_FILE).read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "inpost_fte" in header and "turnover_rate_fte" in header and "social_worker_fte" not in header
    con = open_reference(folder)
    # 2022 National by eye in the old file: social_worker_fte 31634.1, vacancy_rate_fte_% 20
    got = query("SELECT measure, value FROM indicators WHERE year = 2022 AND geographic_level = 'National' "
                "AND measure IN ('inpost_fte', 'vacancy_rate_fte')", con=con)
    assert dict(zip(got["measure"], got["value"], strict=True)) == pytest.approx(
        {"inpost_fte": 31634.1, "vacancy_rate_fte": 0.20})


def test_dry_run_and_a_refused_file_leave_the_shipped_file_alone(folder: Path, tmp_path: Path, capsys):
    original = (folder / INDICATORS_FILE).read_bytes()
    assert main([str(VINTAGE_2024), "--dir", str(folder), "--dry-run"]) == 0
    assert "55 cells revised in 36 area-years" in capsys.readouterr().out
    bogus = tmp_path / "not_dfe.csv"
    bogus.write_text("name,score\nAlice,3\n", encoding="utf-8")
    assert main([str(bogus), "--dir", str(folder)]) == 2
    assert "Not refreshed" in capsys.readouterr().err
    assert (folder / INDICATORS_FILE).read_bytes() == original
