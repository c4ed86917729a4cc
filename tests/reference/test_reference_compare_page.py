"""AppTest of pages/compare.py: the chosen authority's figures, a notice for an unknown one, reconciliation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from ingest.workforce import Workforce
from ui import tables

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "compare.py")


def run_page(query: dict[str, str], workforce: Workforce | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    if workforce is not None:
        at.session_state["workforce"] = workforce
    return at.run()


def _tables(at) -> list:
    """The page's data tables (HTML tables in the page text, ui.tables) as DataFrames of their text."""
    return [tables.to_frame(h.value) for h in at.html if tables.is_table(h.value)]


def test_compare_page_shows_the_chosen_authority_against_england():
    at = run_page({"la": "Devon", "compare": "Leeds,Nowhere", "figure": "agency_rate"})
    assert not at.exception
    assert any(h.value == "Devon at a glance" for h in at.header)  # la from the URL (app.py's sidebar sets it too)
    assert at.multiselect(key="compare.extra.Devon").value == ["Leeds"]
    assert any("Nowhere" in w.value for w in at.warning)
    overview = next(t for t in _tables(at) if "Figure" in t.columns)
    # 2025 by eye: Devon agency_rate_fte 24.3, England 13.0
    row = overview[overview["Figure"] == "Agency rate"].iloc[0]
    assert (row["Devon"], row["England"], row["Year"]) == ("24.3%", "13.0%", "2025")
    text = " ".join(c.value for c in at.caption)
    assert "Agency rate for Devon was" in text and "authorities in South West" in text
    assert any("quartile band D" in m.value for m in at.markdown)


def test_unknown_authority_in_the_url_gives_a_notice_not_a_crash():
    at = run_page({"la": "Atlantis"})
    assert not at.exception
    assert any("'Atlantis' is not a local authority" in w.value for w in at.warning)
    assert any("Choose your council" in i.value for i in at.info)


def test_reorganised_authority_is_explained_and_summary_upload_is_reconciled():
    wf = Workforce()
    wf.add_table("summary", pd.DataFrame({"service_area": ["Children's Social Work"], "period": ["2024"],
                                          "fte": [250.0], "vacancy_rate": [0.2], "agency_rate": [0.3]}))
    at = run_page({"la": "cumberland"}, wf)
    assert not at.exception
    assert any("Cumbria was replaced by Cumberland and Westmorland and Furness in 2023" in i.value for i in at.info)
    reconciliation = next(t for t in _tables(at) if "Likely reasons" in t.columns)
    # Cumberland 2024 agency_rate_fte by eye: 31.2
    agency = reconciliation[reconciliation["Figure"] == "Agency rate"].iloc[0]
    assert (agency["Yours"], agency["DfE return"]) == ("30.0%", "31.2%")
    assert agency["Difference"].replace("\u2212", "-") == "-1.2 pts"
