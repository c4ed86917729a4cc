"""The committed demo council: regenerates byte for byte, and has the shape the brief asks for.

Figures are computed here with plain pandas from the workbook as a user would
upload it, using the DATA.md / METRICS.md definitions at the as-of date:
employed = not agency; in post at D = start_date <= D and (no end_date or end_date > D).
"""

from __future__ import annotations

from pathlib import Path

import fastexcel
import pandas as pd
import pytest

from data.generate import DEMO_TABLES, generate, summary, write_csv, xlsx_bytes

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
AS_OF = pd.Timestamp("2026-09-30")
YEAR_AGO = pd.Timestamp("2025-09-30")

FTE_TARGETS = {
    "Children's Social Work": 245,
    "Education Psychology": 24,
    "Public Health Nursing": 168,
    "SEND 0-25": 78,
}
# (low, high) per service area, as fractions
VACANCY_RANGES = {
    "Children's Social Work": (0.08, 0.20),
    "Education Psychology": (0.25, 0.35),
    "Public Health Nursing": (0.07, 0.13),
    "SEND 0-25": (0.12, 0.18),
}
AGENCY_RANGES = {
    "Children's Social Work": (0.25, 0.40),
    "Education Psychology": (0.0, 0.20),
    "Public Health Nursing": (0.0, 0.06),
    "SEND 0-25": (0.0, 0.15),
}


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    """The committed workbook, read back the way an upload is (fastexcel)."""
    reader = fastexcel.read_excel(str(DEMO / "demo_council.xlsx"))
    return {name: reader.load_sheet(name).to_pandas() for name in reader.sheet_names}


@pytest.fixture(scope="module")
def staff(tables) -> pd.DataFrame:
    s = tables["staff"].copy()
    s["in_post"] = (s["start_date"] <= AS_OF) & (s["end_date"].isna() | (s["end_date"] > AS_OF))
    s["employed"] = s["worker_type"] != "agency"
    return s


def fte_in_post(staff: pd.DataFrame) -> pd.Series:
    return staff[staff["in_post"] & staff["employed"]].groupby("service_area")["fte"].sum()


def test_committed_workbook_and_csvs_are_what_the_generator_makes(tmp_path):
    frames = generate()
    assert (DEMO / "demo_council.xlsx").read_bytes() == xlsx_bytes(frames), "regenerate: see data/demo/README.md"
    write_csv(frames, tmp_path)
    for name in DEMO_TABLES:
        assert (DEMO / "csv" / f"{name}.csv").read_bytes() == (tmp_path / f"{name}.csv").read_bytes(), name
    write_csv({"summary": summary(frames)}, tmp_path / "summary.csv")
    assert (DEMO / "demo_summary.csv").read_bytes() == (tmp_path / "summary.csv").read_bytes()


def test_summary_table_matches_the_staff_figures_at_the_as_of_date(staff):
    table = pd.read_csv(DEMO / "demo_summary.csv", dtype={"period": str})
    assert sorted(table["period"].unique()) == ["2024", "2025", "2026"]
    assert len(table) == 4 * 3
    latest = table[table["period"] == "2026"].set_index("service_area")
    fte = fte_in_post(staff)
    for area in FTE_TARGETS:
        assert latest.loc[area, "fte"] == pytest.approx(fte[area], abs=0.05)
    agency_fte = staff[staff["in_post"] & ~staff["employed"]].groupby("service_area")["fte"].sum()
    csw = "Children's Social Work"
    assert latest.loc[csw, "agency_rate"] == pytest.approx(agency_fte[csw] / (agency_fte[csw] + fte[csw]), abs=1e-4)
    assert table[["vacancy_rate", "agency_rate", "turnover_rate"]].stack().between(0, 1).all()  # fractions


def test_every_table_is_a_sheet(tables):
    assert list(tables) == ["staff", "establishment", "market_pay", "agency_caps", "recruitment", "survey",
                            "supervision", "induction"]


def test_fte_in_post_per_service_area_within_five_percent(staff):
    fte = fte_in_post(staff)
    assert set(fte.index) == set(FTE_TARGETS)
    for area, target in FTE_TARGETS.items():
        assert abs(fte[area] - target) <= 0.05 * target, (area, fte[area])


def test_vacancy_rates_in_the_ranges_services_report(staff, tables):
    est = tables["establishment"]
    in_post = staff[staff["in_post"] & staff["employed"]].groupby(["service_area", "team", "role"])["fte"].sum()
    lines = est.set_index(["service_area", "team", "role"])["funded_fte"]
    vacancy_fte = (lines - in_post.reindex(lines.index).fillna(0)).clip(lower=0).groupby(level="service_area").sum()
    fte = fte_in_post(staff)
    for area, (low, high) in VACANCY_RANGES.items():
        rate = vacancy_fte[area] / (vacancy_fte[area] + fte[area])
        assert low <= rate <= high, (area, rate)


def test_agency_rates_in_the_ranges_services_report(staff):
    agency_fte = staff[staff["in_post"] & ~staff["employed"]].groupby("service_area")["fte"].sum()
    fte = fte_in_post(staff)
    for area, (low, high) in AGENCY_RANGES.items():
        rate = agency_fte.get(area, 0.0) / (agency_fte.get(area, 0.0) + fte[area])
        assert low <= rate <= high, (area, rate)


def test_turnover_between_twelve_and_twenty_percent(staff):
    left = staff["employed"] & (staff["end_date"] > YEAR_AGO) & (staff["end_date"] <= AS_OF)
    leavers = staff[left].groupby("service_area")["fte"].sum()
    fte = fte_in_post(staff)
    assert 0.12 <= leavers.sum() / fte.sum() <= 0.20
    for area in FTE_TARGETS:
        assert 0.10 <= leavers[area] / fte[area] <= 0.22, area


def test_three_years_of_leavers_with_reasons_including_agency_work(staff):
    leavers = staff[staff["employed"] & staff["end_date"].notna()]
    for years_back in (0, 1, 2):
        end = AS_OF - pd.DateOffset(years=years_back)
        in_year = leavers[(leavers["end_date"] > end - pd.DateOffset(years=1)) & (leavers["end_date"] <= end)]
        assert len(in_year) > 30, years_back
    assert (leavers["leaving_reason"] == "moved to agency work").sum() >= 5
    assert leavers["leaving_reason"].nunique() >= 6


def test_part_time_staff_are_about_a_fifth(staff):
    current = staff[staff["in_post"] & staff["employed"]]
    assert 0.15 <= (current["fte"] < 1).mean() <= 0.30
    assert current["fte"].min() >= 0.4


def test_social_work_caseloads_and_newly_qualified_workers(staff):
    csw = staff[staff["in_post"] & (staff["service_area"] == "Children's Social Work") & staff["caseload"].notna()]
    average = csw["caseload"].sum() / csw["fte"].sum()
    assert 14 <= average <= 22
    social_workers = csw[csw["role"] == "Social Worker"]
    asye = social_workers[(AS_OF - social_workers["qualified_date"]).dt.days < 365]
    employed = social_workers[social_workers["employed"]]
    assert 0.05 <= asye["employed"].sum() / len(employed) <= 0.20  # the ASYE year is done as an employee
    team_average = csw.groupby("team")["caseload"].mean()
    assert (asye["caseload"] > 0.9 * asye["team"].map(team_average)).sum() >= 3  # some ASYEs carry too much


def test_team_managers_have_five_to_twelve_reports(staff):
    current = staff[staff["in_post"]]
    reports = current["manager_id"].value_counts()
    managers = current[current["role"].isin(["Team Manager", "Team Leader", "SEND Team Manager"])]
    spans = reports.reindex(managers["worker_id"]).fillna(0)
    assert len(spans) >= 30
    assert spans.between(5, 12).mean() >= 0.9, spans.describe()


def test_agency_rates_some_above_the_regional_cap(staff, tables):
    caps = tables["agency_caps"].set_index("role")["max_hourly_rate"]
    assert len(caps) == 5
    assert set(caps.index) <= set(staff["role"])  # caps name roles exactly as staff does
    agency = staff[~staff["employed"] & staff["role"].isin(caps.index)]
    above = agency["hourly_rate"] > agency["role"].map(caps)
    assert 0.05 <= above.mean() <= 0.30


def test_pay_scales_and_market_comparators(staff, tables):
    employed = staff[staff["employed"]]
    sw = employed[employed["role"] == "Social Worker"]["annual_salary"]
    assert sw.between(35_000, 48_000).all()
    ep = employed[employed["role"] == "Educational Psychologist"]["annual_salary"]
    assert ep.between(48_000, 70_000).all()
    hv_grades = set(employed[employed["service_area"] == "Public Health Nursing"]["grade"])
    assert hv_grades <= {"Band 4", "Band 5", "Band 6", "Band 7", "Band 8a"}
    market = tables["market_pay"]
    assert set(employed["role"]) <= set(market["role"])
    assert market["source"].str.contains("Agenda for Change").any()


def test_recruitment_campaigns_cover_every_service_area(tables):
    r = tables["recruitment"]
    assert set(r["service_area"]) == set(FTE_TARGETS)
    assert (r["times_advertised"] > 1).any() and (r["offers_declined"] > 0).any()
