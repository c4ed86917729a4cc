"""Reconciliation: the council's own figure beside its DfE return for the same 30 September, and why they differ."""

from __future__ import annotations

import pandas as pd
import pytest

from ingest.workforce import Workforce
from reference.reconcile import census_year, council_figures, reconcile


def test_reconcile_long_figures_against_devon_2023():
    own = pd.DataFrame({"figure": ["agency_rate", "fte_in_post", "salary_gap"], "value": [0.30, 320.0, -0.05]})
    out = reconcile(own, "Devon", 2023).set_index("figure")
    assert list(out.index) == ["agency_rate", "fte_in_post"]  # the DfE has no salary gap
    # Devon 2023 by eye: agency_rate_fte 31.6, inpost_fte 313; England 17.9, South West 19.8
    assert out.loc["agency_rate", "dfe"] == pytest.approx(0.316)
    assert out.loc["agency_rate", "difference"] == pytest.approx(0.30 - 0.316)
    assert out.loc["fte_in_post", "difference"] == pytest.approx(7.0)
    assert out.loc["agency_rate", "england"] == pytest.approx(0.179)
    assert out.loc["agency_rate", "region"] == pytest.approx(0.198)
    assert "Agency definition" in out.loc["agency_rate", "reasons"]
    assert "Scope of staff" in out.loc["fte_in_post", "reasons"]
    assert "Date:" not in out.loc["agency_rate", "reasons"]


def test_reconcile_wide_figures_on_another_date_says_so_and_keeps_symbols():
    wide = pd.DataFrame({"vacancy_rate": [0.2], "agency_rate": [None], "agency_rate_symbol": ["c"]})
    out = reconcile(wide, "Westminster", 2025, as_of="2025-10-31").set_index("figure")
    assert out.loc["vacancy_rate", "dfe_symbol"] == "x" and pd.isna(out.loc["vacancy_rate", "difference"])
    assert out.loc["agency_rate", "council_symbol"] == "c"
    assert out.loc["vacancy_rate", "reasons"].startswith("Date: the DfE figure is for 30 September 2025")


def test_summary_upload_compares_with_the_same_references():
    wf = Workforce()
    wf.add_table("summary", pd.DataFrame({
        "service_area": ["Children's Social Work", "Education Psychology", "Children's Social Work"],
        "period": ["2023", "2023", "2022"],
        "fte": [300.0, 20.0, 280.0],
        "vacancy_rate": [0.25, 0.1, 0.2],
        "agency_rate": [0.30, 0.05, 0.28],
    }))
    assert census_year(wf) == 2023
    own = council_figures(wf, 2023)
    values = dict(zip(own["figure"], own["value"], strict=True))
    assert values["fte_in_post"] == pytest.approx(300.0)
    assert values["agency_rate"] == pytest.approx(0.30)
    out = reconcile(own, "Devon", 2023).set_index("figure")
    # Devon 2023 vacancy_rate_fte by eye: 21.7
    assert out.loc["vacancy_rate", "difference"] == pytest.approx(0.25 - 0.217)


def test_staff_extract_gives_figures_at_the_latest_census_date_in_the_dfe_file():
    import ingest

    wf = ingest.load_demo()
    year = census_year(wf)
    assert year == 2025  # demo data runs to 30 September 2026; the DfE file ends at 2025
    own = council_figures(wf, year)
    fte = own.loc[own["figure"] == "fte_in_post", "value"].iloc[0]
    assert fte > 0 and "Children's Social Work" in own["source"].iloc[0]
    assert len(reconcile(own, "Devon", year)) == 6
