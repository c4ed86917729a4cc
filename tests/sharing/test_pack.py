"""The committee pack PDF: it renders (pdftoppm), its text has the committee table, small numbers are suppressed."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pandas as pd
import pytest

from sharing import pack
from sharing.export import committee_pack_pdf


class FakeSource:
    """A live-session Source with a hand-made figure table (the pack must suppress it itself)."""

    label = "Test data"
    is_shared = False

    def __init__(self, shared: bool = False) -> None:
        self.is_shared = shared
        self.asked = []

    def get(self, view, params):
        self.asked.append((view, params))
        return pd.DataFrame({
            "service_area": ["Area A", "Area B", "Tiny Team", "All"],
            "fte_in_post": [120.5, 80.0, 3.0, 203.5],
            "headcount_in_post": [130.0, 85.0, 3.0, 218.0],
            "vacancy_rate": [0.10, 0.20, 0.5, 0.15],
            "agency_rate": [0.05, 0.12, 0.0, 0.08],
            "turnover_rate": [0.11, 0.14, 0.33, 0.125],
            "salary_gap": [-0.021, 0.013, 0.2, -0.01],
        })

    def default_as_of(self):
        return dt.date(2025, 9, 30)

    def notes(self):
        return ["Worker type was not supplied: everyone is assumed permanent."]

    def filter_options(self):
        return {}

    def availability(self):
        return {}


def test_committee_table_is_suppressed_for_a_live_source():
    table = pack.committee_table(FakeSource())
    got = dict(zip(table["service_area"], table["fte_in_post"], strict=True))
    # Tiny Team (3 people) is hidden; Area B (85) is the next smallest, hidden so All − A cannot reveal it.
    assert got == {"Area A": 120.5, "Area B": "c", "Tiny Team": "c", "All": 203.5}
    assert dict(zip(table["service_area"], table["turnover_rate"], strict=True))["Tiny Team"] == "c"


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
