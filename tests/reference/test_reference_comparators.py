"""Comparators: the right group (role family) and the same year, named with their source; the census nearest a date.

DfE values read by eye from data/reference/csww_indicators.csv (National rows): 2024 vacancy_rate_fte 17.3,
agency_rate_fte 16.2; 2023 vacancy 18.9, agency 17.9; 2025 vacancy 14.2. The shipped LGA figure (17.2% of
educational psychologist posts vacant, June–July 2024) is in data/reference/comparators.csv.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ingest.workforce import Workforce
from reference import comparators, groups
from reference.comparators import Comparator
from reference.reconcile import council_figures, nearest_census_year, reconcile, reconcile_date

D = dt.date


@pytest.mark.parametrize(("name", "family"), [
    ("Social Worker", "Children's social work"), ("Senior Practitioner", "Children's social work"),
    ("Team Manager", "Children's social work"), ("Children's Social Work", "Children's social work"),
    ("Health Visitor", "Health visiting"), ("health visitors", "Health visiting"),
    ("School Nurse", "School nursing"), ("Educational Psychologist", "Educational psychology"),
    ("Education Psychology", "Educational psychology"), ("SEND 0-25", "SEND"),
    ("Health visitors (Public Health Nursing)", "Health visiting"),   # a sub-service shown with its service area
    ("Service Management (SEND 0-25)", "SEND"),                       # a keyed team: its service area's family
    ("Family Support Worker", "Early help"),
])
def test_role_families(name, family):
    assert groups.family_of(name) == family


def test_a_name_no_family_lists_is_its_own_group():
    assert groups.family_of("Contact Supervisor") is None
    assert groups.group_of("Contact Supervisor") == "Contact Supervisor"
    # a role without a family is compared as its service area's group
    assert groups.row_group("Children's Social Work", "Contact Supervisor") == "Children's social work"
    assert groups.row_group("Public Health Nursing", "Health Visitor") == "Health visiting"
    assert groups.row_group(None, None) is None


def test_the_settings_file_adds_spellings_to_a_family(monkeypatch):
    monkeypatch.setattr(groups.settings, "section",
                        lambda name: {"Health visiting": ["0-19 HV Team"]} if name == "groups" else {})
    groups.reset()
    try:
        assert groups.family_of("0-19 HV Team") == "Health visiting"
    finally:
        groups.reset()
    monkeypatch.undo()
    assert groups.family_of("0-19 HV Team") is None


def test_childrens_social_work_meets_the_dfe_figures_of_the_same_year():
    found = comparators.find("Social Worker", ["vacancy_rate", "agency_rate", "salary_gap"], 2024)
    assert set(found) == {"vacancy_rate", "agency_rate"}  # the DfE publishes no salary gap
    england = found["vacancy_rate"][0]
    assert (england.geography, england.year, england.value, england.origin) == ("England", 2024, 0.173, "dfe")
    assert england.named == "England 2024 (DfE)"
    assert "Open Government Licence" in england.licence and "30 September 2024" in england.source
    assert comparators.find("Senior Practitioner", ["agency_rate"], 2023)["agency_rate"][0].value == 0.179
    # with a council chosen: its region and neighbours' median follow England
    devon = comparators.find("Children's Social Work", ["vacancy_rate"], 2024, la="Devon")["vacancy_rate"]
    assert [c.kind for c in devon] == ["england", "region", "neighbours"]
    assert devon[1].geography == "South West"


def test_no_verdict_across_groups_or_years():
    # a school nurse is not a children's social worker: no DfE comparator at all
    assert comparators.find("School Nurse", ["vacancy_rate", "agency_rate"], 2024) == {}
    # the DfE file stops at 2025: nothing for 2026, rather than last year's figure
    assert comparators.find("Social Worker", ["vacancy_rate"], 2026) == {}
    # the whole council is no one group
    assert comparators.find(None, ["vacancy_rate"], 2024) == {}


def test_the_shipped_educational_psychology_comparator_applies_to_its_own_year_only():
    found = comparators.find("Education Psychology", ["vacancy_rate"], 2024)["vacancy_rate"]
    assert len(found) == 1
    lga = found[0]
    assert (lga.value, lga.year, lga.geography, lga.short_source) == (pytest.approx(0.172), 2024,
                                                                      "England and Wales", "LGA")
    assert "local.gov.uk" in lga.source and lga.licence
    assert comparators.find("Educational Psychologist", ["vacancy_rate"], 2025) == {}
    nearest = comparators.other_years("Educational Psychologist", "vacancy_rate", 2025)
    assert nearest[0].year == 2024
    assert comparators.find("Education Psychology", ["agency_rate"], 2024) == {}


def test_council_supplied_comparators_in_the_same_shape():
    table = pd.DataFrame({
        "group": ["Health visiting", "Health Visitor", "School nursing", "Children's social work", "SEND"],
        "comparator_figure": ["Vacancy rate", "agency_rate", "vacancy_rate", "vacancy_rate", "vacancy_rate"],
        "comparator_value": ["12.5%", 4.0, 0.2, 0.5, 0.1],
        "year": [2025, 2025, 2024, 2024, 2025],
        "geography": ["South West", None, None, "England", None],
        "source": ["Regional HV survey 2025", "NHS workforce statistics", "School nursing census", "A blog", ""],
        "licence": ["", "", "", "", ""],
    })
    supplied = comparators.uploaded(table)
    assert len(supplied) == 4  # SEND has no source: never shown, since a verdict must name its source
    hv = comparators.find("Health Visitor", ["vacancy_rate", "agency_rate"], 2025, supplied=supplied)
    assert hv["vacancy_rate"][0].value == pytest.approx(0.125) and hv["vacancy_rate"][0].geography == "South West"
    assert hv["agency_rate"][0].value == pytest.approx(0.04) and hv["agency_rate"][0].geography == "England"
    assert comparators.find("School Nurse", ["vacancy_rate"], 2025, supplied=supplied) == {}  # 2024 only
    # for children's social work the DfE file stays the source: the supplied England 2024 figure is not used
    csw = comparators.find("Social Worker", ["vacancy_rate"], 2024, supplied=supplied)["vacancy_rate"]
    assert [(c.value, c.origin) for c in csw] == [(0.173, "dfe")]


def test_rows_that_cannot_be_used_are_reported():
    found, problems = comparators.normalise([
        {"group": "Health visiting", "figure": "no such figure", "value": 1, "year": 2024, "source": "x"},
        {"group": "Health visiting", "figure": "vacancy_rate", "value": "n/a", "year": 2024, "source": "x"},
        {"group": "Health visiting", "figure": "vacancy_rate", "value": 0.1, "year": "2023/24", "source": "x"},
    ], "test")
    assert [c.year for c in found] == [2024]
    assert len(problems) == 2 and "figure" in problems[0] and "value" in problems[1]


def test_label_names_geography_year_and_source():
    comp = Comparator("Health visiting", "vacancy_rate", 0.1, 2025, "South West", "NHS England: workforce, 2025")
    assert comp.named == "South West 2025 (NHS England)" and comp.kind == "other"


# ── the census nearest the as-of date ─────────────────────────────────────────


def test_nearest_census_year():
    assert nearest_census_year(D(2023, 10, 31), [2022, 2023, 2024]) == 2023
    assert nearest_census_year(D(2024, 3, 1), [2022, 2023, 2024]) == 2023    # 153 days after; 213 before 2024's
    assert nearest_census_year(D(2024, 6, 1), [2022, 2023, 2024]) == 2024
    assert nearest_census_year(D(2030, 1, 1), [2022, 2023, 2024]) == 2024
    assert nearest_census_year(D(2024, 1, 1), []) is None


def test_a_staff_extract_is_reconciled_with_the_census_nearest_the_as_of_date():
    import ingest

    wf = ingest.load_demo()  # runs to September 2026; the DfE file to 2025
    assert reconcile_date(wf, D(2026, 3, 31)) == (2025, D(2025, 9, 30))
    assert reconcile_date(wf, D(2024, 1, 15)) == (2023, D(2023, 9, 30))
    assert reconcile_date(wf, D(2024, 8, 1)) == (2024, D(2024, 9, 30))
    assert reconcile_date(wf) == (2025, D(2025, 9, 30))


def test_a_committee_papers_october_figures_are_reconciled_with_that_years_return():
    wf = Workforce()
    wf.add_table("summary", pd.DataFrame({
        "service_area": ["Children's Social Work", "Public Health Nursing", "Children's Social Work"],
        "team": [None, "Health visitors", "Team X"],
        "period": ["October 2023", "October 2023", "October 2023"],
        "fte": [245.5, 98.4, 10.0],
        "vacancy_rate": [0.192, 0.19, 0.5],
        "agency_rate": [0.139, 0.021, 0.5],
    }))
    year, when = reconcile_date(wf, D(2023, 10, 31))
    assert (year, when) == (2023, D(2023, 10, 31))
    own = council_figures(wf, year, as_of=when).set_index("figure")
    assert own.loc["vacancy_rate", "value"] == pytest.approx(0.192)  # the service area's own row, not Team X's
    out = reconcile(own.reset_index(), "Devon", year, as_of=when).set_index("figure")
    assert out.loc["vacancy_rate", "reasons"].startswith(
        "Date: the DfE figure is for 30 September 2023; yours is for 31 October 2023")
