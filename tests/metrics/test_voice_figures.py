"""Every staff voice figure and view hand-computed on the fixture council (tests/metrics/voice_fixtures.py).

Arithmetic is in the comments; the as-of date is 2025-09-30 unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

import metrics
from metrics import Params, Settings
from metrics.views import VIEWS
from tests.metrics.voice_fixtures import AS_OF, RECOMMEND, WORKLOAD, make_workforce

D = dt.date
NAN = float("nan")


@pytest.fixture(scope="module")
def wf():
    workforce = make_workforce()
    yield workforce
    workforce.close()


def view(wf, name: str, by=(), filters=(), as_of=AS_OF, settings=None) -> pd.DataFrame:
    return VIEWS[name].compute(wf, Params(as_of=as_of, by=tuple(by), filters=tuple(filters)), settings=settings)


def row(df: pd.DataFrame, column: str, value: str) -> pd.Series:
    rows = df[df[column] == value]
    assert len(rows) == 1, (column, value, df[column].tolist())
    return rows.iloc[0]


def close(got, want) -> bool:
    if isinstance(want, float) and math.isnan(want):
        return isinstance(got, float) and math.isnan(got)
    return got == pytest.approx(want, abs=1e-9)


# ── the figures, whole council ────────────────────────────────────────────────

WHOLE_COUNCIL = {
    # Staff survey 2025 (the 2026 survey closes after the as-of date): 55% of 44; before it 50% of 40
    "recommend_share": 0.55, "recommend_respondents": 44, "recommend_previous_share": 0.50,
    "recommend_previous_respondents": 40, "recommend_change": 5.0,
    # counted (capped at expected): a1 Sep 1 + a1 Aug min(3, 1) = 1 + a2 Sep min(0 + 1, max(2, 2)) = 1 + a3 Jul 1
    # + T3 Sep 3 + T3 Aug 4 = 11; expected 1 + 1 + 2 + 1 + 4 + 4 = 13 (a1's Sep 2024 is outside the 12 months)
    "case_sessions_held": 11, "case_sessions_expected": 13, "case_supervision_held": 11 / 13,
    # workers a1 a2 a3, and T3's row covers max(3, 2) = 3
    "case_supervisees": 6,
    # a1 Sep 0 of 1, a2 Sep 1 of 1
    "wellbeing_sessions_held": 1, "wellbeing_sessions_expected": 2, "wellbeing_supervision_held": 0.5,
    "wellbeing_supervisees": 2,
    # due = start + 84 days in the 12 months: a2 03-31, a3 05-26, a5 2024-12-30, b1 01-27 (b2 10-27 is later);
    # on time: a2 (03-20) and a5 (12-01); a3 finished 06-30, b1 not at all
    "induction_due": 4, "induction_completed_on_time": 2, "induction_on_time": 0.5,
    # started in the 12 months: a2 a3 a5 b1 b2; mentor recorded for a2 (yes) a3 (no) b1 b2 (yes)
    "starters": 5, "starters_mentor_known": 4, "starters_with_mentor": 3, "mentor_share": 0.75,
    # newly qualified in post: a2 (flag), a3 (qualified 2025-02-01, no flag); a5 left on 2025-06-30; b1 flag no.
    # Both have a cap of 12; a2 holds 15 cases, a3 10
    "nq_in_post": 2, "nq_with_cap": 2, "nq_above_caseload_cap": 1,
}


@pytest.mark.parametrize("column", list(WHOLE_COUNCIL))
def test_voice_figures_for_the_whole_council(wf, column):
    df = view(wf, "voice_figures")
    assert len(df) == 1
    assert close(df[column].iloc[0], WHOLE_COUNCIL[column]), (column, df[column].iloc[0])


BY_TEAM = {
    # T1 2025: 3 respondents, 1/3; 2024: 10 at 30% → change (1/3 − 0.3) × 100; T2 has no earlier result
    "T1": {"recommend_share": 1 / 3, "recommend_respondents": 3, "recommend_change": (1 / 3 - 0.3) * 100,
           # a1 Sep 1/1, Aug min(3, 1)/1; a2 Sep 1/2 → 3 / 4
           "case_supervision_held": 0.75, "case_supervisees": 2, "wellbeing_supervision_held": 0.5,
           # a2 and a5 due, both on time; a2 the only newly qualified in post, above the cap
           "induction_due": 2, "induction_on_time": 1.0, "nq_in_post": 1, "nq_above_caseload_cap": 1},
    "T2": {"recommend_share": 0.5, "recommend_respondents": 8, "recommend_change": NAN,
           "case_supervision_held": 1.0, "case_supervisees": 1, "wellbeing_supervision_held": NAN,
           # a3 due 05-26, finished 06-30: late; newly qualified by date, 10 cases under a cap of 12
           "induction_due": 1, "induction_on_time": 0.0, "nq_in_post": 1, "nq_above_caseload_cap": 0},
    "T3": {"recommend_share": NAN, "recommend_respondents": NAN, "recommend_change": NAN,
           # the team row: (3 + 4) / (4 + 4), covering max(3, 2) workers
           "case_supervision_held": 7 / 8, "case_supervisees": 3, "wellbeing_supervision_held": NAN,
           "induction_due": 1, "induction_on_time": 0.0, "nq_in_post": 0, "nq_above_caseload_cap": 0},
}


@pytest.mark.parametrize("team", list(BY_TEAM))
def test_voice_figures_by_team(wf, team):
    df = view(wf, "voice_figures", by=("team",))
    assert df["team"].tolist() == ["T1", "T2", "T3", "All"]
    got = row(df, "team", team)
    for column, want in BY_TEAM[team].items():
        assert close(got[column], want), (team, column, got[column])
    everyone = row(df, "team", "All")
    assert everyone["recommend_share"] == pytest.approx(0.55)  # the whole council's own result, not an average
    assert everyone["case_supervision_held"] == pytest.approx(11 / 13)


def test_voice_figures_by_service_area_place_teams_from_the_staff_table(wf):
    df = view(wf, "voice_figures", by=("service_area",))
    assert df["service_area"].tolist() == ["A", "B", "All"]
    a, b = row(df, "service_area", "A"), row(df, "service_area", "B")
    assert a["recommend_share"] == pytest.approx(0.45) and a["recommend_change"] == pytest.approx(5.0)
    assert math.isnan(b["recommend_share"])  # B has no service-area survey result
    # A: a1 a2 a3 → (1 + 1 + 1 + 1) / (1 + 1 + 2 + 1); B: the T3 team row (T3 is only in B in the staff table)
    assert a["case_supervision_held"] == pytest.approx(4 / 5) and a["case_supervisees"] == 3
    assert b["case_supervision_held"] == pytest.approx(7 / 8) and b["case_supervisees"] == 3
    # A: a2 a3 a5 due, a2 a5 on time; B: b1 due, late
    assert a["induction_on_time"] == pytest.approx(2 / 3) and b["induction_on_time"] == 0.0


def test_filtered_view_is_the_groups_own_result_and_its_teams(wf):
    df = view(wf, "voice_figures", by=("team",), filters=(("service_area", "A"),))
    assert df["team"].tolist() == ["T1", "T2", "All"]
    everyone = row(df, "team", "All")
    assert everyone["recommend_share"] == pytest.approx(0.45)  # service area A's own survey result
    assert everyone["case_supervision_held"] == pytest.approx(4 / 5)
    one_team = view(wf, "voice_figures", filters=(("team", "T2"),))
    assert one_team["recommend_share"].iloc[0] == pytest.approx(0.5)
    assert one_team["recommend_respondents"].iloc[0] == 8


def test_induction_weeks_is_a_setting(wf):
    # 20 weeks = 140 days: a3 due 2025-07-21 (finished 06-30, on time), a2 05-26, a5 2025-02-24, b1 03-24 (late)
    df = view(wf, "voice_figures", settings=Settings(induction_weeks=20))
    assert df["induction_due"].iloc[0] == 4
    assert df["induction_on_time"].iloc[0] == pytest.approx(3 / 4)


def test_a_later_as_of_date_takes_the_later_survey(wf):
    df = view(wf, "voice_figures", as_of="2026-06-30")
    # Staff survey 2026: 70% of 50, against 2025's 55%
    assert df["recommend_share"].iloc[0] == pytest.approx(0.70)
    assert df["recommend_change"].iloc[0] == pytest.approx(15.0)
    results = view(wf, "survey_results", as_of="2026-06-30")
    workload = row(results, "theme", WORKLOAD)
    assert workload["survey"] == "Staff survey 2025"  # no 2026 workload result: the latest one it has


# ── survey results and history ────────────────────────────────────────────────


def test_survey_results_theme_by_theme(wf):
    df = view(wf, "survey_results")
    assert df["theme"].tolist() == [RECOMMEND, WORKLOAD, "Wellbeing"]  # standard order
    recommend = row(df, "theme", RECOMMEND)
    assert (recommend["survey"], recommend["survey_date"]) == ("Staff survey 2025", D(2025, 6, 15))
    assert (recommend["previous_survey"], recommend["previous_date"]) == ("Staff survey 2024", D(2024, 11, 15))
    assert recommend["respondents"] == 44 and recommend["previous_respondents"] == 40
    assert recommend["change_points"] == pytest.approx(5.0)
    assert recommend["comparator_percent"] == pytest.approx(0.60) and recommend["comparator_source"] == "Benchmark X"
    assert row(df, "theme", WORKLOAD)["change_points"] == pytest.approx(5.0)  # 35% − 30%
    wellbeing = row(df, "theme", "Wellbeing")
    assert wellbeing["mean_score"] == pytest.approx(3.4) and wellbeing["scale_max"] == 5.0
    assert math.isnan(wellbeing["percent_agree"]) and pd.isna(wellbeing["previous_survey"])


def test_survey_results_by_role_and_by_team(wf):
    roles = view(wf, "survey_results", by=("role",))
    assert roles[roles["theme"] == RECOMMEND]["role"].tolist() == ["Social Worker", "All"]
    assert row(roles[roles["theme"] == RECOMMEND], "role", "Social Worker")["percent_agree"] == pytest.approx(0.42)
    teams = view(wf, "survey_results", by=("team",))
    recommend = teams[teams["theme"] == RECOMMEND]
    assert recommend["team"].tolist() == ["T1", "T2", "All"]
    assert row(recommend, "team", "T1")["previous_percent"] == pytest.approx(0.30)
    assert teams[teams["theme"] == WORKLOAD]["team"].tolist() == ["All"]  # workload has no team results


def test_survey_history_oldest_first(wf):
    df = view(wf, "survey_history")
    assert list(zip(df["survey"], df["theme"], strict=True)) == [
        ("Staff survey 2024", RECOMMEND), ("Staff survey 2024", WORKLOAD),
        ("Staff survey 2025", RECOMMEND), ("Staff survey 2025", WORKLOAD), ("Staff survey 2025", "Wellbeing")]
    assert df["percent_agree"].tolist()[:4] == pytest.approx([0.50, 0.30, 0.55, 0.35])


# ── month by month ────────────────────────────────────────────────────────────


def test_voice_by_month(wf):
    df = view(wf, "voice_by_month").set_index("month")
    assert len(df) == 24 and df.index[0] == D(2023, 10, 31) and df.index[-1] == D(2025, 9, 30)
    # September 2025: a1 1/1, a2 (0 + 1)/max(2, 2), T3 3/4 → 5/7, workers 2 + T3's 3
    september = df.loc[D(2025, 9, 30)]
    assert september["case_sessions_held"] == 5 and september["case_sessions_expected"] == 7
    assert september["case_supervision_held"] == pytest.approx(5 / 7) and september["case_supervisees"] == 5
    assert september["wellbeing_supervision_held"] == pytest.approx(0.5)
    # August: a1 min(3, 1) + T3 4 → 5/5; a1's September 2024 (within 24 months): 0 of 1
    assert df.loc[D(2025, 8, 31), "case_supervision_held"] == 1.0
    assert df.loc[D(2024, 9, 30), "case_supervision_held"] == 0.0
    assert math.isnan(df.loc[D(2025, 6, 30), "case_supervision_held"])  # nothing logged in June
    # induction over the 12 months ending each month: to 2025-01-31, a5 (due 2024-12-30, on time) and b1
    # (due 2025-01-27, late) → 1 of 2; to 2024-12-31 a5 alone
    assert df.loc[D(2025, 1, 31), "induction_due"] == 2
    assert df.loc[D(2025, 1, 31), "induction_on_time"] == pytest.approx(0.5)
    assert df.loc[D(2024, 12, 31), "induction_on_time"] == 1.0
    assert df.loc[D(2025, 9, 30), "induction_on_time"] == pytest.approx(0.5)


# ── without a staff extract, and what is off ──────────────────────────────────


def test_the_fixture_opens_on_its_as_of_date(wf):
    assert metrics.default_as_of(wf) == D(2025, 9, 30)  # b3's start, the latest date in the staff table


def test_voice_tables_alone_work_without_staff():
    wf = make_workforce(staff=False)
    df = view(wf, "voice_figures", by=("team",))
    # T3's team row has no staff table to place it; a1 a2 a3 are worker rows with no team of their own
    assert set(df["team"]) == {"T1", "T2", "T3", "Not recorded", "All"}
    assert row(df, "team", "All")["case_supervision_held"] == pytest.approx(11 / 13)
    # no staff: start dates and caseloads are unknown, so nobody falls due and nobody is over a cap
    assert row(df, "team", "All")["induction_due"] == 0
    avail = metrics.availability(wf)
    assert avail["recommend_share"] is None and avail["case_supervision_held"] is None
    assert "start_date" in avail["induction_on_time"]
    assert "caseload" in avail["nq_above_caseload_cap"]
    assert avail["fte_in_post"].startswith("Needs a staff extract")
    assert metrics.default_as_of(wf) == D(2026, 3, 15)  # the latest survey (not after today)
    wf.close()


def test_availability_says_which_table_switches_each_figure_on():
    wf = make_workforce(survey=False, supervision=False, induction=False)
    avail = metrics.availability(wf)
    assert "add a 'survey' sheet" in avail["recommend_share"]
    assert "add a 'supervision' sheet" in avail["wellbeing_supervision_held"]
    assert "add an 'induction' sheet" in avail["nq_above_caseload_cap"]
    assert avail["fte_in_post"] is None
    assert view(wf, "voice_figures").empty and view(wf, "voice_by_month").empty
    wf.close()


def test_one_survey_only_has_no_change():
    from tests.metrics.voice_fixtures import survey_frame

    wf = make_workforce(survey=False)
    frame = survey_frame()
    wf.add_table("survey", frame[frame["survey"] == "Staff survey 2025"])
    avail = metrics.availability(wf)
    assert avail["recommend_share"] is None
    assert "Only one survey" in avail["recommend_change"]
    assert math.isnan(view(wf, "voice_figures")["recommend_change"].iloc[0])
    wf.add_table("survey", frame[frame["theme"] == WORKLOAD])
    assert "no 'Would recommend as an employer' theme" in metrics.availability(wf)["recommend_share"]
    wf.close()


def test_compute_leaves_voice_figures_to_the_voice_views(wf):
    """compute() (the committee table) does not compute the voice figures: they are blank there, never 0."""
    df = metrics.compute(wf, Params(as_of=AS_OF, by=(), figures=("headcount_in_post", "recommend_share")))
    assert df["headcount_in_post"].iloc[0] == 7 and math.isnan(df["recommend_share"].iloc[0])


def test_every_voice_view_carries_the_counts_its_rates_rest_on(wf):
    from metrics import voice

    assert set(voice.VIEWS) <= set(VIEWS)
    for name, spec in voice.VIEWS.items():
        for by in spec.by_options:
            df = spec.compute(wf, Params(as_of=AS_OF, by=by))
            assert len(df) > 0, (name, by)
            bases = [b for base in spec.rate_columns.values() for b in ((base,) if isinstance(base, str) else base)]
            for column in [*spec.people_columns, *spec.rate_columns, *bases]:
                assert column in df.columns, f"{name} {by} lacks {column}"
