"""Scenarios on the hand-written council (tests/metrics/metrics_fixtures.py), each figure worked out on paper.

At 30 September 2024, employed in post: s1 (1.0, £40,000, Social Worker), s2 (0.5, £36,000, Social Worker),
m1 (1.0, £60,000), m2 (1.0, £58,000), e1 (0.8, £55,000), e3 (1.0, £30,000) = 5.3 FTE. Agency in post: s4 (1.0 FTE,
£50 an hour, since 2022) and s5 (0.6 FTE, £40 an hour, since 2024), both Social Workers: 1.6 FTE.
On-costs ×1.3, 37-hour weeks:
- employed cost = 1.3 × (40,000 + 18,000 + 60,000 + 58,000 + 44,000 + 30,000) = 1.3 × 250,000 = £325,000;
- agency cost = 50 × 37 × 52 × 1.0 + 40 × 37 × 52 × 0.6 = 96,200 + 46,176 = £142,376.
"""

from __future__ import annotations

import pytest

from metrics import scenario as sc
from metrics.registry import Params
from metrics.settings import Settings
from tests.metrics.metrics_fixtures import AS_OF, CSW, make_workforce

SETTINGS = Settings(standard_weekly_hours=37.0, on_cost_factor=1.3)
PARAMS = Params(as_of=AS_OF)


def _all(table, figure):
    row = table[(table["service_area"] == "All") & (table["figure"] == figure)].iloc[0]
    return row["today"], row["scenario"], row["change"]


def test_converting_every_agency_worker_gives_agency_rate_zero_and_the_hand_computed_cost():
    wf = make_workforce()
    table, applied = sc.compare(wf, sc.Scenario(convert_fte=10.0), PARAMS, SETTINGS)
    today, after, _ = _all(table, "agency_rate")
    assert today == pytest.approx(1.6 / 6.9)
    assert after == 0.0
    # converted posts are paid the median salary of employed Social Workers in post: (40,000 + 36,000) / 2
    assert applied.salaries == {"Social Worker": 38_000.0}
    assert applied.converted_fte == pytest.approx(1.6) and applied.converted_placements == 2
    today, after, change = _all(table, "workforce_annual_cost")
    assert today == pytest.approx(325_000 + 142_376)
    assert after == pytest.approx(325_000 + 1.3 * 38_000 * 1.6)  # 404,040: no agency cost left
    assert change == pytest.approx(404_040 - 467_376)  # −£63,336 a year
    assert _all(table, "agency_annual_cost")[1] == 0.0
    assert _all(table, "fte_in_post")[1] == pytest.approx(6.9)
    assert any("Only 1.6 agency FTE" in n for n in applied.notes)  # 10 asked, 1.6 there


def test_part_conversion_takes_the_longest_running_placement_first_then_part_of_the_next():
    table, applied = sc.compare(make_workforce(), sc.Scenario(convert_fte=1.3, convert_in=CSW), PARAMS, SETTINGS)
    # s4 (since 2022) converted whole, then 0.3 of s5's 0.6: 0.3 FTE of agency left, at £40 an hour
    assert _all(table, "agency_fte")[1] == pytest.approx(0.3)
    assert _all(table, "agency_annual_cost")[1] == pytest.approx(40 * 37 * 52 * 0.3)
    assert _all(table, "agency_rate")[1] == pytest.approx(0.3 / (0.3 + 5.3 + 1.3))
    assert applied.converted_placements == 2


def test_pay_award_of_zero_changes_nothing():
    table, _ = sc.compare(make_workforce(), sc.Scenario(pay_award=0.0), PARAMS, SETTINGS)
    assert (table["today"].fillna(-1) == table["scenario"].fillna(-1)).all()
    assert table["change"].dropna().eq(0).all()


def test_pay_award_raises_salaries_and_moves_the_salary_gap():
    table, _ = sc.compare(make_workforce(), sc.Scenario(pay_award=10.0), PARAMS, SETTINGS)
    assert _all(table, "employed_annual_cost")[1] == pytest.approx(325_000 * 1.1)
    # salary gap: median over s1, s2, m1, m2 of (salary ÷ market − 1); markets SW L3 42,000, TM 62,000
    before = ((58_000 / 62_000 - 1) + (40_000 / 42_000 - 1)) / 2
    after = ((63_800 / 62_000 - 1) + (44_000 / 42_000 - 1)) / 2
    today, scen, _ = _all(table, "salary_gap")
    assert today == pytest.approx(before) and scen == pytest.approx(after)
    assert _all(table, "agency_annual_cost")[2] == 0  # agency rates are not a salary


def test_market_supplement_for_one_role():
    table, applied = sc.compare(make_workforce(), sc.Scenario(supplement=2_000, supplement_role="team manager"),
                                PARAMS, SETTINGS)
    assert applied.supplement_people == 2  # m1 and m2 (the role matched whatever its case)
    assert _all(table, "employed_annual_cost")[2] == pytest.approx(1.3 * 2_000 * 2)


def test_extra_funded_posts_start_vacant_and_are_shared_over_the_lines():
    table, applied = sc.compare(make_workforce(), sc.Scenario(extra_posts=2.0, extra_posts_in=CSW), PARAMS,
                                SETTINGS)
    # lines A (3.0 funded, 2.5 in post) and B (2.0, 1.0 in post) get 1.2 and 0.8: vacancies 0.5 + 1.0 → 1.7 + 1.8
    assert _all(table, "vacancy_fte")[0] == pytest.approx(1.5)
    assert _all(table, "vacancy_fte")[1] == pytest.approx(3.5)
    assert _all(table, "vacancy_rate")[1] == pytest.approx(3.5 / (3.5 + 5.3))
    assert applied.extra_posts_added == 2.0
    assert _all(table, "workforce_annual_cost")[2] == 0  # vacant posts cost nothing until filled


def test_a_scenario_never_changes_the_uploaded_data():
    wf = make_workforce()
    before = {t: wf.df(f'SELECT * FROM "{t}" ORDER BY ALL').to_csv() for t in wf.tables}
    version = wf.version
    sc.compare(wf, sc.Scenario(convert_fte=1.6, pay_award=5, supplement=1000, supplement_role="Social Worker",
                               extra_posts=3, market_change=2, agency_rate_change=-5), PARAMS, SETTINGS)
    assert wf.version == version
    assert {t: wf.df(f'SELECT * FROM "{t}" ORDER BY ALL').to_csv() for t in wf.tables} == before


def test_assumptions_are_listed_and_editable():
    scenario = sc.Scenario(convert_fte=1.0, on_cost_factor=1.25, standard_weekly_hours=36)
    table, applied = sc.compare(make_workforce(), scenario, PARAMS)
    # today's agency cost uses the scenario's 36-hour week too (both sides alike)
    assert _all(table, "agency_annual_cost")[0] == pytest.approx(50 * 36 * 52 + 40 * 36 * 52 * 0.6)
    words = " ".join(sc.assumptions(scenario, applied))
    assert "×1.25" in words and "36-hour" in words and "longest-running" in words
    assert "1 permanent appointment (1.0 FTE)" in words


def test_scenario_round_trips_through_the_url():
    scenario = sc.Scenario(convert_fte=20, convert_in=CSW, pay_award=2.5, supplement=1500,
                           supplement_role="Social Worker", market_change=1)
    query = sc.to_query(scenario)
    assert query["sc_convert"] == "20" and query["sc_convert_in"] == CSW and "sc_posts" not in query
    assert sc.from_query(query) == (scenario, [])
    back, notices = sc.from_query({"sc_convert": "lots", "sc_award": "3"})
    assert back == sc.Scenario(pay_award=3.0) and "not a number" in notices[0]
