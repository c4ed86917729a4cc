"""'Our council' in the sidebar (URL key `la`): the overview shows England, the council's region and its
statistical neighbours' median; an unknown `la` gives a sidebar notice; the compare page follows the sidebar.

Reference values by eye from data/reference/csww_indicators.csv, 2025: England vacancy_rate_fte 14.2,
agency_rate_fte 13.0; South West (Devon's region) vacancy_rate_fte 16.1, agency_rate_fte 14.9.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import ingest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(scope="module")
def demo():
    return ingest.load_demo()


def _start(workforce, la: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["workforce"] = workforce
    if la is not None:
        at.query_params["la"] = la
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _captions(at: AppTest) -> list[str]:
    return [str(c.value) for c in at.caption]


def test_la_in_the_url_shows_region_and_neighbours_on_the_overview(demo):
    at = _start(demo, "devon")  # any case: resolved to the file's name
    assert at.sidebar.selectbox(key="la").value == "Devon"
    # each comparator is named with its year and source (children's social work's: the DfE's)
    tiles = [c for c in _captions(at) if c.startswith("England 2025 (DfE):")]
    vacancy = next(c for c in tiles if "England 2025 (DfE): 14.2%" in c)
    assert "South West 2025 (DfE): 16.1%" in vacancy and "Statistical neighbours (median) 2025 (DfE):" in vacancy
    assert any("England 2025 (DfE): 13.0% · South West 2025 (DfE): 14.9% · Statistical neighbours (median) 2025 "
               "(DfE):" in c for c in tiles)
    # the bar charts' notes name the region and neighbours too (for the service area they describe)
    assert any("Children's Social Work's other comparators: South West 2025 (DfE): 14.9%" in c for c in _captions(at))
    assert any("South West 2025" in c and "Statistical neighbours (median) 2025" in c for c in _captions(at))


def test_without_a_council_the_overview_shows_england_only(demo):
    at = _start(demo, None)
    assert at.sidebar.selectbox(key="la").value is None
    tiles = [c for c in _captions(at) if c.startswith("England 2025 (DfE):")]
    assert any("England 2025 (DfE): 14.2%" in c for c in tiles)
    assert not any("South West" in c or "Neighbours" in c for c in tiles)


def test_unknown_la_gives_a_sidebar_notice_not_a_crash(demo):
    at = _start(demo, "Atlantis")
    assert any("'Atlantis' is not a local authority" in w.value for w in at.sidebar.warning)
    assert at.sidebar.selectbox(key="la").value is None
    assert not any("Neighbours" in c for c in _captions(at))


def test_compare_page_reads_the_council_from_the_sidebar(demo):
    at = _start(demo, "Devon")
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert any(h.value == "Devon at a glance" for h in at.header)
    at.sidebar.selectbox(key="la").select("Leeds").run()  # the choice follows the user across the app
    assert not at.exception
    assert any(h.value == "Leeds at a glance" for h in at.header)
    assert at.multiselect(key="compare.extra.Leeds").value == []
