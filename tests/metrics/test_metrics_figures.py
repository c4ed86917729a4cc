"""Every figure hand-computed on the fixture council (tests/metrics/fixtures.py), as at 2024-09-30.

Arithmetic is in the comments; expected values are (Children's Social Work, Education Psychology, All).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import metrics
from metrics import FIGURES, Params, Settings
from tests.metrics.metrics_fixtures import AS_OF, CSW, EP, make_workforce, staff_frame

SETTINGS = Settings(standard_weekly_hours=37, on_cost_factor=1.3, caseload_threshold=15.2,
                    protected_caseload_share=0.9, span_of_control_threshold=1.5, working_days_per_fte=253,
                    standards=())  # one standard for every group: the hand-computed figures below assume it
NAN = float("nan")

EXPECTED: dict[str, tuple[float, float, float]] = {
    # employed in post: CSW s1 1.0 + s2 0.5 + m1 1.0 + m2 1.0 = 3.5 (s3 left ON the as-of date, s9 starts after);
    # EP e1 0.8 + e3 1.0 = 1.8; All 5.3
    "fte_in_post": (3.5, 1.8, 5.3),
    "headcount_in_post": (4, 2, 6),
    # establishment lines: A 3.0 − 2.5 = 0.5; B 2.0 − 1.0 (m2) = 1.0; EP 1.5 − 1.8 → floored at 0
    "vacancy_fte": (1.5, 0.0, 1.5),
    # 1.5 / (1.5 + 3.5); 0 / (0 + 1.8); 1.5 / (1.5 + 5.3)
    "vacancy_rate": (0.3, 0.0, 1.5 / 6.8),
    # agency in post: s4 1.0 + s5 0.6
    "agency_fte": (1.6, 0.0, 1.6),
    # agency workers in post: s4 and s5 (two people); none in EP
    "agency_headcount": (2, 0, 2),
    # 1.6 / (1.6 + 3.5); 0; 1.6 / (1.6 + 5.3)
    "agency_rate": (1.6 / 5.1, 0.0, 1.6 / 6.9),
    # 2 / (2 + 4); 0; 2 / (2 + 6)
    "agency_rate_headcount": (1 / 3, 0.0, 0.25),
    # leavers in (2023-09-30, 2024-09-30]: s3 1.0 (on the as-of date) + s8 1.0 = 2.0; e2 left before
    "turnover_rate": (2.0 / 3.5, 0.0, 2.0 / 5.3),
    "turnover_rate_headcount": (2 / 4, 0.0, 2 / 6),
    # headcount at W: CSW s1 s3 m1 s8 = 4, EP e1 e3 = 2; at D: 4 and 2 → averages 4, 2, 6
    "crude_turnover_cipd": (2 / 4, 0.0, 2 / 6),
    # starters: s2 0.5 (2023-11-01) + m2 1.0 (2024-01-15); e3 started ON W so is not a starter; s9 after D
    "starters_fte": (1.5, 0.0, 1.5),
    "starters_headcount": (2, 0, 2),
    "leavers_fte": (2.0, 0.0, 2.0),
    "leavers_headcount": (2, 0, 2),
    # 1.5 − 2.0
    "net_change_fte": (-0.5, 0.0, -0.5),
    # of those in post at W (CSW 4, EP 2) still in post at D: CSW s1 m1 = 2, EP e1 e3 = 2
    "stability_index": (0.5, 1.0, 4 / 6),
    # start after 2022-09-30: CSW s2 m2 (2 of 4), EP e1 e3 (2 of 2)
    "share_under_2_years_service": (0.5, 1.0, 4 / 6),
    # with a qualified_date: CSW s1 s2 m1 m2; qualified after 2023-09-30: s2; after 2021-09-30: s2 m2; EP none
    "share_newly_qualified": (0.25, NAN, 0.25),
    "share_under_3_years_qualified": (0.5, NAN, 0.5),
    # s8: 2023-01-01 → 2023-12-31, under a year; reason 'moved to agency work'
    "leavers_first_year": (1, 0, 1),
    "leavers_to_agency": (1, 0, 1),
    # s4 started 2022-06-01, on or before W
    "agency_over_12_months": (1, 0, 1),
    # s4 50 × 37 × 52 × 1.0 = 96,200; s5 40 × 37 × 52 × 0.6 = 46,176
    "agency_annual_cost": (142376.0, 0.0, 142376.0),
    # Social Worker median salary in post: median(40,000, 36,000) = 38,000; × 1.3 × 1.6 FTE = 79,040
    "agency_premium": (142376.0 / 79040.0, NAN, 142376.0 / 79040.0),
    # cap £45: s4 £50 breaches, s5 £40 does not
    "cap_breaches": (1, 0, 1),
    # covered: line A min(0, 0.5) = 0, line B min(1.6, 1.0) = 1.0 → 1.0 / 1.5; EP has no vacancy
    "agency_covering_vacancies": (1.0 / 1.5, NAN, 1.0 / 1.5),
    # case holders in post (agency included): s1 16/1.0, s2 10/0.5, s4 20/1.0, s5 9/0.6 → 55 / 3.1; EP none
    "average_caseload": (55 / 3.1, NAN, 55 / 3.1),
    # per FTE: 16, 20, 20, 15 → 3 of 4 above 15.2
    "share_above_caseload_threshold": (0.75, NAN, 0.75),
    # s2 is NQ; team A average = (16 + 10) / 1.5 = 17.33, protected 0.9 × 17.33 = 15.6 < 20 per FTE
    "nq_above_protected_caseload": (1, 0, 1),
    # reports in post: m1 s1 s2 (s3 left), m2 s4 s5 (s8 left, s9 not started), e1 e3 → 4/2, 1/1, 5/3
    "average_span_of_control": (2.0, 1.0, 5 / 3),
    # threshold 1.5 in SETTINGS: m1 and m2 above, e1 not
    "managers_above_span": (2, 0, 2),
    # days: s1 10 + s2 4 + m1 2 + m2 0 = 16 over 3.5 FTE; e1 8 + e3 0 over 1.8 FTE
    "absence_rate": (16 / (3.5 * 253), 8 / (1.8 * 253), 24 / (5.3 * 253)),
    # CSW 36k 40k 58k 60k → 49,000; EP 30k 55k → 42,500; All 30 36 40 55 58 60 → 47,500
    "median_salary": (49000.0, 42500.0, 47500.0),
    # s1 40/42 − 1, s2 36/42 − 1 (grade L3 comparator), m1 60/62 − 1, m2 58/62 − 1 → median of the middle two
    # (−0.0645161, −0.0476190); EP roles have no comparator
    "salary_gap": (((58 / 62 - 1) + (40 / 42 - 1)) / 2, NAN, ((58 / 62 - 1) + (40 / 42 - 1)) / 2),
    # hourly = salary ÷ (52 × 37) cancels in the ratio. CSW men 60k; women 40k 36k 58k (mean 44,666.67)
    # EP men 30k, women 55k; All men 60k 30k (mean 45k), women 40 36 58 55 (mean 47,250)
    "gender_pay_gap_mean": ((60000 - 134000 / 3) / 60000, (30000 - 55000) / 30000, (45000 - 47250) / 45000),
    # medians: CSW women 40k; All women (40k + 55k)/2 = 47,500
    "gender_pay_gap_median": ((60000 - 40000) / 60000, (30000 - 55000) / 30000, (45000 - 47500) / 45000),
    # adverts in the 12 months: CSW 12 + 3 over 2, EP 0 over 1 (the 2023-06 advert is outside)
    "applications_per_advert": (7.5, 0.0, 5.0),
    # times_advertised > 1: CSW TM (1 of 2), EP (1 of 1)
    "readvertised_share": (0.5, 1.0, 2 / 3),
    # declined 1 of 3 offers; EP made none
    "offers_declined_share": (1 / 3, NAN, 1 / 3),
    # 2024-01-10 → 04-10 = 91 days, 2024-05-01 → 08-01 = 92 days
    "days_advert_to_start": (91.5, NAN, 91.5),
    "vacancies_filled": (2, 0, 2),
    # employed in post × FTE × 1.3: CSW s1 40,000 + s2 36,000 × 0.5 + m1 60,000 + m2 58,000 = 176,000 → 228,800;
    # EP e1 55,000 × 0.8 + e3 30,000 = 74,000 → 96,200
    "employed_annual_cost": (228800.0, 96200.0, 325000.0),
    # plus agency cost (CSW 142,376; EP none)
    "workforce_annual_cost": (371176.0, 96200.0, 467376.0),
    # agency cost 142,376 − the same FTE at the Social Worker median × 1.3 (79,040); EP has no agency workers
    "agency_premium_cost": (63336.0, 0.0, 63336.0),
    # the staff voice figures come from their own tables (none here) and views, not compute():
    # tests/metrics/test_voice_figures.py computes them on their own fixture
    **{f: (NAN, NAN, NAN) for f in ("recommend_share", "recommend_change", "case_supervision_held",
                                    "wellbeing_supervision_held", "induction_on_time", "nq_above_caseload_cap")},
}


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    wf = make_workforce()
    return metrics.compute(wf, Params(as_of=AS_OF, by=("service_area",)), settings=SETTINGS)


def test_every_figure_has_an_expectation():
    assert set(EXPECTED) == set(FIGURES)


def test_rows_are_groups_then_all(table):
    assert list(table["service_area"]) == [CSW, EP, "All"]


@pytest.mark.parametrize("figure_id", list(EXPECTED))
def test_figure_by_service_area(table, figure_id):
    if figure_id not in table.columns:  # not computable from this data: compute() leaves it out
        assert all(math.isnan(want) for want in EXPECTED[figure_id]), figure_id
        return
    got = table.set_index("service_area")[figure_id]
    for area, want in zip((CSW, EP, "All"), EXPECTED[figure_id], strict=True):
        value = got[area]
        if math.isnan(want):
            assert math.isnan(value), f"{figure_id} {area}: expected not computable, got {value}"
        else:
            assert value == pytest.approx(want, rel=1e-9, abs=1e-9), f"{figure_id} {area}"


def test_cut_by_team_vacancy_floors_each_line():
    wf = make_workforce()
    df = metrics.compute(wf, Params(as_of=AS_OF, by=("team",), figures=("vacancy_fte", "vacancy_rate")))
    got = df.set_index("team")
    # A: 3.0 − 2.5 = 0.5; B: 2.0 − 1.0 = 1.0; EP: 1.5 − 1.8 → 0 (not −0.3, which would make All 1.2)
    assert got.loc["A", "vacancy_fte"] == pytest.approx(0.5)
    assert got.loc["B", "vacancy_fte"] == pytest.approx(1.0)
    assert got.loc["EP", "vacancy_fte"] == 0
    assert got.loc["All", "vacancy_fte"] == pytest.approx(1.5)
    assert got.loc["B", "vacancy_rate"] == pytest.approx(1.0 / 2.0)


def test_leaver_on_the_day_before_is_in_post():
    wf = make_workforce()
    # On 2024-09-29 s3 is still in post (end 2024-09-30 > D): CSW 4.5 FTE
    df = metrics.compute(wf, Params(as_of="2024-09-29", figures=("fte_in_post", "leavers_headcount")))
    row = df.set_index("service_area").loc[CSW]
    assert row["fte_in_post"] == pytest.approx(4.5)
    assert row["leavers_headcount"] == 1  # only s8


def test_starter_after_as_of_counts_once_started():
    wf = make_workforce()
    df = metrics.compute(wf, Params(as_of="2024-10-31", figures=("fte_in_post", "starters_headcount")))
    row = df.set_index("service_area").loc[CSW]
    assert row["fte_in_post"] == pytest.approx(4.5)  # 3.5 + s9
    # window (2023-10-31, 2024-10-31]: s2 2023-11-01, m2 2024-01-15, s9 2024-10-15 → 3 starters
    assert row["starters_headcount"] == 3


def test_filters_restrict_rows():
    wf = make_workforce()
    df = metrics.compute(wf, Params(as_of=AS_OF, by=("team",), filters=(("service_area", CSW),),
                                    figures=("fte_in_post", "salary_gap")))
    assert list(df["team"]) == ["A", "B", "All"]
    got = df.set_index("team")
    assert got.loc["All", "fte_in_post"] == pytest.approx(3.5)
    assert got.loc["B", "salary_gap"] == pytest.approx(58 / 62 - 1)  # m2 only


def test_salary_gap_for_one_role_and_grade_is_median_vs_market():
    wf = make_workforce()
    df = metrics.compute(wf, Params(as_of=AS_OF, by=("role", "grade"), figures=("salary_gap",)))
    got = df.set_index(["role", "grade"])["salary_gap"]
    # Social Worker L3: median(40k, 36k) = 38k against the L3 comparator 42k
    assert got[("Social Worker", "L3")] == pytest.approx((38000 - 42000) / 42000)
    assert math.isnan(got[("Educational Psychologist", "L5")])  # no comparator
    assert ("All", "All") in got.index


def test_salary_gap_falls_back_to_role_comparator_without_grade_match():
    rows = [dict(worker_id="x", service_area=CSW, team="A", role="Social Worker", grade="L4",
                 worker_type="permanent", fte=1.0, start_date=pd.Timestamp("2020-01-01").date(),
                 annual_salary=45100.0)]
    wf = make_workforce(staff_frame(rows))
    df = metrics.compute(wf, Params(as_of=AS_OF, by=(), figures=("salary_gap",)))
    # no L4 comparator → the role-level 41,000: 45,100 / 41,000 − 1 = 0.1
    assert df["salary_gap"].iloc[0] == pytest.approx(0.1)


def test_no_by_gives_only_the_all_row():
    wf = make_workforce()
    df = metrics.compute(wf, Params(as_of=AS_OF, by=(), figures=("fte_in_post",)))
    assert len(df) == 1 and df["fte_in_post"].iloc[0] == pytest.approx(5.3)


def test_unknown_cut_is_refused():
    wf = make_workforce()
    with pytest.raises(ValueError):
        metrics.compute(wf, Params(as_of=AS_OF, by=("name; DROP TABLE staff",)))


def test_filter_value_is_a_parameter_not_sql():
    wf = make_workforce()
    df = metrics.compute(wf, Params(as_of=AS_OF, filters=(("service_area", "x' OR '1'='1"),),
                                    figures=("fte_in_post",)))
    assert df["fte_in_post"].fillna(0).sum() == 0


def test_grade_cut_has_no_vacancy_by_group_but_all_row():
    wf = make_workforce()
    df = metrics.compute(wf, Params(as_of=AS_OF, by=("grade",), figures=("vacancy_rate",)))
    got = df.set_index("grade")["vacancy_rate"]
    assert math.isnan(got["L3"])  # the establishment has no grade
    assert got["All"] == pytest.approx(1.5 / 6.8)
    assert "Not recorded" in got.index  # e3 has no grade
