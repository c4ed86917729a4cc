"""The committee pack PDF: it renders (pdftoppm), its text has the committee table, small numbers are suppressed
(through the one door), it follows the sidebar, and an exact pack says "Not for publication" on every page."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pandas as pd
import pytest
from sharing_fixtures import make_workforce

from metrics.registry import Params
from metrics.source import LiveSource
from sharing import pack, snapshots
from sharing.export import committee_pack_pdf

C = "c"


class FakeSource:
    """A shared Source with a hand-made, already suppressed figure table (a pack lays it out as it is)."""

    label = "Test data"
    is_shared = True

    def __init__(self, shared: bool = True) -> None:
        self.is_shared = shared
        self.asked = []

    def get(self, view, params):
        self.asked.append((view, params))
        return pd.DataFrame({
            "service_area": ["Area A", "Area B", "Tiny Team", "All"],
            "fte_in_post": [120.5, C, C, 203.5],
            "headcount_in_post": [130.0, C, C, 218.0],
            "vacancy_rate": [0.10, C, C, 0.15],
            "agency_rate": [0.05, C, C, 0.08],
            "turnover_rate": [0.11, C, C, 0.125],
            "salary_gap": [-0.021, C, C, -0.01],
        })

    def default_as_of(self):
        return dt.date(2025, 9, 30)

    def notes(self):
        return ["Worker type was not supplied: everyone is assumed permanent."]

    def filter_options(self):
        return {}

    def availability(self):
        return {}


@pytest.fixture(scope="module")
def live():
    workforce = make_workforce()
    yield LiveSource(workforce)
    workforce.close()


TEAM_MANAGERS = (("role", "Team Manager"),)
"""Area X has 4 team managers (T1: 1, T2: 3), area Y 4 (T3): both under 5, the council 8."""


def test_a_live_pack_reads_the_door_and_follows_the_filters(live):
    door = pack.publishable(live, None, TEAM_MANAGERS)
    assert door.is_shared and door.findings == []
    table = pack.committee_table(door, as_of=None, filters=TEAM_MANAGERS)
    got = dict(zip(table["service_area"], table["fte_in_post"], strict=True))
    assert got == {"X": C, "Y": C, "All": 8.0}
    whole = pack.committee_table(door)
    assert dict(zip(whole["service_area"], whole["fte_in_post"], strict=True)) == {"X": 11.0, "Y": 12.0, "All": 23.0}


def test_the_pack_prints_what_a_snapshot_of_the_same_data_stores(live, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKFORCE_LENS_SHARING_FILTER_CUTS", "service_area,role")
    path = tmp_path / "snaps.duckdb"
    sid = snapshots.publish(live.workforce, "Same", path=path)
    stored = snapshots.open_snapshot(sid, path=path)
    door = pack.publishable(live, None, TEAM_MANAGERS)
    for filters in ((), TEAM_MANAGERS):
        params = Params(by=("service_area",), filters=filters, figures=("fte_in_post", "headcount_in_post"))
        assert stored.get("figures", params).equals(door.get("figures", params)), filters


def test_a_pack_of_live_data_without_a_workforce_is_refused():
    with pytest.raises(TypeError):
        committee_pack_pdf(FakeSource(shared=False), "Nowhere Council")


def test_exact_pack_says_not_for_publication_on_every_page(live, tmp_path):
    pdf = committee_pack_pdf(live, "Testshire Council", exact=True, filters=TEAM_MANAGERS)
    text = _text(pdf, tmp_path)
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    assert all("NOT FOR PUBLICATION" in p.upper() for p in pages)
    line_x = next(line for line in _committee_section(text).splitlines() if line.strip().startswith("X "))
    assert line_x.split()[1] == "4.0"  # exact: X's four team managers are printed
    with pytest.raises(ValueError):
        committee_pack_pdf(FakeSource(), "Shared", exact=True)


def test_published_pack_of_live_data_hides_small_numbers(live, tmp_path):
    text = _text(committee_pack_pdf(live, "Testshire Council", filters=TEAM_MANAGERS), tmp_path)
    line_x = next(line for line in _committee_section(text).splitlines() if line.strip().startswith("X "))
    assert line_x.split()[1:3] == [C, C]
    assert "role: Team Manager" in text
    assert "NOT FOR PUBLICATION" not in text.upper()


@pytest.fixture(scope="module")
def pdf_bytes():
    return committee_pack_pdf(FakeSource(), "Testshire Council – £ test", la=None)


def test_pdf_renders_with_pdftoppm(pdf_bytes, tmp_path):
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf_bytes)
    assert pdf_bytes.startswith(b"%PDF-")
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(path), str(tmp_path / "page")], check=True, timeout=60)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 2 and all(p.stat().st_size > 0 for p in pages)


def _committee_section(text: str) -> str:
    """The pack's text from the committee table's heading on (the written summary before it names groups too)."""
    return text[text.index("The committee table"):]


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                              text=True, timeout=60).stdout
    pytest.fail("pdftotext (poppler-utils) is needed to read the PDF's text")


def test_pdf_text_has_the_committee_table(pdf_bytes, tmp_path):
    text = _text(pdf_bytes, tmp_path)
    assert "Testshire Council – £ test" in text  # DejaVu draws £ and the en dash
    assert "30 September 2025" in text
    assert "The committee table" in text
    line_a = next(line for line in text.splitlines() if line.strip().startswith("Area A"))
    assert "120.5 FTE" in line_a and "10.0%" in line_a and "-2.1%" in line_a
    line_tiny = next(line for line in text.splitlines() if line.strip().startswith("Tiny Team"))
    assert line_tiny.split()[2:] == ["c", "c", "c", "c", "c"]
    assert "fewer than 5 people" in text
    assert "everyone is assumed permanent" in text
    assert "Definitions" in text and "Vacancy rate:" in text


def test_pdf_with_dfe_benchmarks(tmp_path):
    pdf = committee_pack_pdf(FakeSource(shared=True), "Devon County Council", la="Devon")
    text = _text(pdf, tmp_path)
    assert "Against England, the region and statistical neighbours" in text
    assert "South West" in text and "of 14" in text  # Devon's region and its rank among authorities
