"""Breakdown files are added up (never first-row-kept), and files of another kind are named for what they are."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ingest
from ingest import Mapping
from tests.ingest.conftest import csv_bytes, xlsx_bytes

NHS_HEADER = ["Period", "Org code", "Organisation name", "Staff group", "Nationality", "HC", "FTE"]
NHS_PARTS = {
    ("RA1", "Northshire Community Trust"): [("Nurses", "British", 10, 8.5), ("Nurses", "Irish", 2, 2.0),
                                           ("Doctors", "British", 4, 3.6), ("Doctors", "Indian", 3, 3.0)],
    ("RB2", "Southvale Healthcare"): [("Nurses", "British", 7, 6.2), ("Doctors", "Nigerian", 1, 1.0)],
}


def nhs_rows() -> list[list]:
    rows = [NHS_HEADER]
    for (code, name), parts in NHS_PARTS.items():
        rows += [["2024-09-30", code, name, group, nation, hc, fte] for group, nation, hc, fte in parts]
    return rows


def test_nhs_style_breakdown_is_added_up_to_the_hand_total():
    """Northshire: FTE 8.5 + 2.0 + 3.6 + 3.0 = 17.1, headcount 19; Southvale: 7.2 and 8."""
    result = ingest.load([("nhs_workforce_by_nationality.csv", csv_bytes(nhs_rows()))])
    summary = result.tables["summary"].set_index("service_area")
    assert summary.loc["Northshire Community Trust", "fte"] == pytest.approx(17.1)
    assert summary.loc["Northshire Community Trust", "headcount"] == 19
    assert summary.loc["Southvale Healthcare", "fte"] == pytest.approx(7.2)
    assert result.rows_set_aside == {"summary": 0}  # nothing set aside, nothing kept-first
    [note] = [p for p in result.problems if "added up" in p.message]
    assert "6 rows" in note.message and "Nationality, Staff group" in note.message and "into 2 rows" in note.message
    [count] = result.counts
    assert (count.rows, count.loaded, count.set_aside, count.combined_into) == (6, 6, 0, 2)
    hows = {m.header: m.how for m in result.plans[0].matches}
    assert hows["Staff group"] == hows["Nationality"] == "breakdown column"


def test_total_rows_of_the_file_are_used_not_added_to_their_parts():
    rows = [["Period", "Organisation name", "Staff group", "FTE", "Vacancy rate"],
            ["2024", "Northshire", "All staff groups", 30, "10%"],
            ["2024", "Northshire", "Nurses", 12, "8%"], ["2024", "Northshire", "Doctors", 18, "11%"],
            ["2024", "Southvale", "Nurses", 4, "5%"], ["2024", "Southvale", "Doctors", "c", "5%"]]
    summary = ingest.load([("nhs.csv", csv_bytes(rows))]).tables["summary"].set_index("service_area")
    assert summary.loc["Northshire", "fte"] == 30.0  # the file's total, not 30 + 12 + 18
    assert summary.loc["Northshire", "vacancy_rate"] == pytest.approx(0.10)  # a total row keeps its own rate
    assert np.isnan(summary.loc["Southvale", "fte"]) and summary.loc["Southvale", "fte_symbol"] == "c"  # never 4
    assert np.isnan(summary.loc["Southvale", "vacancy_rate"])  # a rate of parts is not the whole's


def test_repeats_without_a_breakdown_column_are_set_aside_and_adding_up_offered():
    rows = [["Service area", "Period", "FTE"], ["CSW", "2024", 10], ["CSW", "2024", 5], ["SEND", "2024", 3]]
    data = [("committee.csv", csv_bytes(rows))]
    result = ingest.load(data)
    assert result.tables["summary"].set_index("service_area").loc["CSW", "fte"] == 10.0
    [problem] = [p for p in result.problems if "Same area and period" in p.message]
    assert problem.row == 3 and "add the rows up" in problem.message
    assert [a.column for a in result.assumptions_needed] == ["add_up"]
    added = ingest.load(data, Mapping(assume={"add_up": "yes"}))
    assert added.tables["summary"].set_index("service_area").loc["CSW", "fte"] == 15.0
    assert added.rows_set_aside == {"summary": 0}
    assert "add_up" in added.derivations


def test_adding_up_can_be_refused():
    result = ingest.load([("nhs.csv", csv_bytes(nhs_rows()))], Mapping(assume={"add_up": "no"}))
    assert result.rows_set_aside == {"summary": 4}
    assert sum(p.count for p in result.problems if "Same area and period" in p.message) == 4


PART = st.tuples(st.sampled_from(["Nurses", "Doctors", "Admin"]), st.sampled_from(["British", "Irish", "Indian"]),
                 st.integers(0, 500), st.integers(0, 400).map(lambda n: n / 10))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.dictionaries(st.sampled_from(["Alpha Trust", "Beta Trust", "Gamma Trust"]),
                             st.lists(PART, min_size=1, max_size=8), min_size=1, max_size=3))
def test_property_adding_up_a_breakdown_equals_the_hand_total(parts):
    rows = [["Period", "Organisation name", "Staff group", "Nationality", "HC", "FTE"]]
    for name, items in parts.items():
        rows += [["2024", name, group, nation, hc, fte] for group, nation, hc, fte in items]
    summary = ingest.load([("breakdown.csv", csv_bytes(rows))]).tables["summary"].set_index("service_area")
    for name, items in parts.items():
        assert math.isclose(summary.loc[name, "fte"], sum(fte for *_, fte in items), abs_tol=1e-9)
        assert summary.loc[name, "headcount"] == sum(hc for _, _, hc, _ in items)


# ---- files of another kind -------------------------------------------------------------------

KINDS = {
    "gender_pay_gap": (["EmployerName", "EmployerId", "Address", "PostCode", "CompanyNumber", "SicCodes",
                        "DiffMeanHourlyPercent", "DiffMedianHourlyPercent", "DiffMeanBonusPercent",
                        "MaleLowerQuartile", "FemaleLowerQuartile", "EmployerSize"],
                       ["Shireford County Council", "123", "1 High St", "SH1 1AA", "", "84110", "9.8", "7.1", "0",
                        "40.2", "59.8", "5000 to 19,999"], "gender pay gap register"),
    "facility_time": (["Employer name", "Number of employees who were relevant union officials",
                       "FTE employees who were relevant union officials", "Total cost of facility time",
                       "Total pay bill", "Percentage of pay bill spent on facility time"],
                      ["Shireford County Council", "41", "38.2", "250000", "300000000", "0.08"],
                      "trade union facility time"),
    "pay_multiple": (["Organisation", "Year", "Highest paid salary", "Median pay", "Pay multiple"],
                     ["Shireford County Council", "2024", "190000", "29000", "6.6"], "pay multiple"),
    "diversity_profile": (["Service", "Ethnicity", "Disability", "Headcount", "% of workforce"],
                          ["Children's Services", "White British", "No", "812", "71%"], "diversity profile"),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_files_of_another_kind_are_named_with_what_the_app_can_and_cannot_do(kind):
    headers, row, words = KINDS[kind]
    result = ingest.load([("register.xlsx", xlsx_bytes({"Sheet1": [headers, row]}))])
    assert not result.loaded_anything
    [problem] = [p for p in result.problems if words in p.message]
    assert problem.severity == "error" and problem.sheet == "Sheet1"
    assert "nothing was loaded" in problem.message.lower() or "not a figure" in problem.message
    assert "choose the table on the Data page" in problem.message
    [plan] = result.plans
    assert plan.status == "other kind" and plan.kind.key == kind


def test_a_staff_extract_with_diversity_columns_is_still_a_staff_extract():
    rows = [["worker_id", "service_area", "role", "worker_type", "fte", "start_date", "Ethnicity", "Disability"],
            ["W1", "CSW", "SW", "permanent", 1, "2020-01-06", "White British", "No"]]
    result = ingest.load([("staff.csv", csv_bytes(rows))])
    assert len(result.tables["staff"]) == 1 and result.plans[0].kind is None


def test_the_user_can_say_a_sheet_of_another_kind_is_a_table():
    headers, row, _ = KINDS["diversity_profile"]
    result = ingest.load([("profile.csv", csv_bytes([headers, row]))], Mapping(tables={"profile.csv": "summary"}))
    summary = result.tables["summary"]
    assert summary["service_area"].tolist() == ["Children's Services"] and summary["headcount"].tolist() == [812]


def test_dfe_file_with_many_authorities_keeps_every_authority():
    rows = [["time_period", "geographic_level", "country_name", "region_name", "la_name", "inpost_fte", "agency_fte",
             "vacancy_fte"],
            ["2024", "National", "England", "", "", 36000, 5000, 6000],
            ["2024", "Local authority", "England", "South West", "Devon", 367.1, 118, 92],
            ["2024", "Local authority", "England", "South West", "Cornwall", 300, 40, 50],
            ["2023", "Local authority", "England", "South West", "Devon", 350, 100, 80]]
    summary = ingest.load([("csww.csv", csv_bytes(rows))]).tables["summary"]
    assert len(summary) == 4 and set(summary["service_area"]) == {"England", "Devon", "Cornwall"}
    devon = summary[(summary["service_area"] == "Devon") & (summary["period"] == "2024")].iloc[0]
    assert devon["fte"] == pytest.approx(367.1)
    assert isinstance(summary, pd.DataFrame)
