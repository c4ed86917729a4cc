"""The written summary: each sentence against the figures it states (change a figure, the sentence changes)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

import ingest
import metrics
from metrics import narrative as nv
from metrics import targets as tg
from metrics.registry import Params
from tests.metrics.metrics_fixtures import make_workforce

AS_OF = dt.date(2026, 9, 30)
CSW, EP = "Children's Social Work", "Education Psychology"


def _now(**changes) -> pd.DataFrame:
    df = pd.DataFrame({
        "service_area": [CSW, EP, "All"],
        "fte_in_post": [245.1, 24.1, 269.2],
        "headcount_in_post": [260, 26, 286],
        "agency_fte": [91.0, 2.5, 93.5],
        "agency_rate": [0.271, 0.094, 0.258],
        "vacancy_rate": [0.175, 0.291, 0.187],
        "turnover_rate": [0.182, 0.158, 0.180],
        "salary_gap": [-0.014, -0.023, -0.015],
    })
    for column, values in changes.items():
        df[column] = values
    return df


def _before(**changes) -> pd.DataFrame:
    df = _now()
    df["agency_rate"] = [0.25, 0.09, 0.24]  # +1.8 points
    df["vacancy_rate"] = [0.15, 0.25, 0.16]  # +2.7 points: the biggest move
    df["turnover_rate"] = [0.18, 0.16, 0.17]
    df["fte_in_post"] = [240.0, 25.0, 265.0]
    for column, values in changes.items():
        df[column] = values
    return df


def _inputs(**kw) -> nv.Inputs:
    base = dict(as_of=AS_OF, now=_now(), before=_before())
    base.update(kw)
    return nv.Inputs(**base)


def test_headline_states_the_council_figures():
    s = nv.headline(_inputs())
    assert s.text == ("As at 30 September 2026, the council had 269.2 FTE of employed staff in post and 93.5 FTE of "
                      "agency workers: an agency rate of 25.8%, a vacancy rate of 18.7% and turnover over the last "
                      "12 months of 18.0%.")
    assert [(f.figure, f.group, f.value) for f in s.figures][:2] == [("fte_in_post", "All", "269.2 FTE"),
                                                                     ("agency_fte", "All", "93.5 FTE")]
    changed = nv.headline(_inputs(now=_now(agency_rate=[0.271, 0.094, 0.301])))
    assert "an agency rate of 30.1%" in changed.text


def test_biggest_change_names_the_rate_that_moved_most():
    s = nv.biggest_change(_inputs())
    assert s.text == ("The biggest change since 30 September 2025 is in the vacancy rate, which rose by 2.7 percentage "
                      "points, from 16.0% to 18.7% (worse); FTE in post rose by 4.2 FTE.")
    moved = nv.biggest_change(_inputs(before=_before(agency_rate=[0.3, 0.1, 0.30])))
    assert "in the agency rate, which fell by 4.2 percentage points, from 30.0% to 25.8% (better)" in moved.text
    assert {(f.figure, f.when) for f in moved.figures} >= {("agency_rate", "30 Sep 2025"), ("agency_rate", "30 Sep 2026")}


def test_comparators_sentence_compares_the_dfe_service_area():
    refs = {"agency_rate": [("England 2025", 0.176), ("South West 2025", 0.12)], "vacancy_rate": [("England 2025",
                                                                                                   0.2)]}
    s = nv.against_comparators(_inputs(comparators=refs, comparator_group=CSW))
    assert s.text == ("Against the DfE statistics for children's social workers, in Children's Social Work its vacancy "
                      "rate (17.5%) is lower than England 2025 (20.0%) and its agency rate (27.1%) is higher than "
                      "England 2025 (17.6%), against South West 2025 12.0%.")
    lower = nv.against_comparators(_inputs(now=_now(agency_rate=[0.10, 0.094, 0.2]), comparators=refs,
                                           comparator_group=CSW))
    assert "its agency rate (10.0%) is lower than England 2025 (17.6%)" in lower.text
    assert nv.against_comparators(_inputs(comparators={}, comparator_group=CSW)) is None


def test_service_areas_standing_out():
    s = nv.service_areas_standing_out(_inputs())
    assert "Education Psychology has the highest vacancy rate (29.1%, against 18.7% across the council)" in s.text
    assert "Children's Social Work has the highest agency rate (27.1%" in s.text
    swapped = nv.service_areas_standing_out(_inputs(now=_now(vacancy_rate=[0.30, 0.291, 0.2])))
    assert "Children's Social Work has the highest vacancy rate (30.0%" in swapped.text


def test_teams_standing_out_leaves_small_teams_out():
    teams = pd.DataFrame({"team": ["Assessment", "Duty", "Tiny", "All"], "headcount_in_post": [30, 20, 3, 53],
                          "turnover_rate": [0.32, 0.2, 0.9, 0.25], "agency_rate": [0.1, 0.4, 0.8, 0.2],
                          "vacancy_rate": [0.1, 0.05, 0.5, 0.08]})
    s = nv.teams_standing_out(_inputs(teams=teams))
    assert "Assessment has the highest turnover rate (32.0%; the council: 18.0%)" in s.text
    assert "Duty has the highest agency rate (40.0%" in s.text
    assert "Tiny" not in s.text  # 3 people: under the threshold of 5
    bigger = teams.assign(turnover_rate=[0.32, 0.35, 0.9, 0.25])
    assert "Duty has the highest turnover rate (35.0%" in nv.teams_standing_out(_inputs(teams=bigger)).text


def test_pay_names_the_service_area_furthest_behind():
    assert "in Education Psychology, where the median salary gap is -2.3%" in nv.pay_behind_market(_inputs()).text
    ahead = _now(salary_gap=[0.01, 0.02, 0.015])
    assert nv.pay_behind_market(_inputs(now=ahead)) is None


def test_targets_sentence_counts_statuses_and_names_the_one_off_track():
    on = tg.assess(tg.Target("agency_rate", 0.15, dt.date(2027, 9, 30)), 0.20, 0.26, AS_OF)
    off = tg.assess(tg.Target("vacancy_rate", 0.10, dt.date(2027, 3, 31), CSW), 0.175, 0.18, AS_OF)
    s = nv.targets_progress(_inputs(progress=[on, off]))
    assert s.text.startswith("Of 2 targets set, 1 is on track and 1 is off track; the vacancy rate for Children's "
                             "Social Work needs to fall by 1.3 points a month to reach 10.0% by 31 March 2027")
    # 7.5 points in 182 days (5.98 months) = 1.25 a month; over the year it fell 0.5 points: 0.04 a month
    assert s.text.endswith("but over the last 12 months it fell by 0.04 points a month.")
    both_on = nv.targets_progress(_inputs(progress=[on]))
    assert both_on.text == "Of 1 target set, 1 is on track."


def _forecast_tables(leavers_each_month: float, forecast_then: float, left: float):
    months = [dt.date(2026 + (9 + k) // 12, (9 + k) % 12 + 1, 28) for k in range(12)]
    rows = []
    for measure in ("Leavers", "Starters"):
        for m in months:
            rows.append(dict(service_area="All", measure=measure, month=m, kind="projection",
                             value=leavers_each_month, lower=0.0, upper=9.0, annual_lower=leavers_each_month * 10,
                             annual_upper=leavers_each_month * 14))
    for i, m in enumerate(months):
        rows.append(dict(service_area="All", measure="Vacancies (FTE)", month=m, kind="projection", value=50.0 + i,
                         lower=40.0 + i, upper=60.0 + i, annual_lower=None, annual_upper=None))
    forecast = pd.DataFrame(rows)
    backtest = pd.DataFrame([dict(service_area="All", measure="Leavers", made_on=dt.date(2025, 9, 30),
                                  forecast=forecast_then, lower=10.0, upper=90.0, actual=left)])
    return forecast, backtest


def test_forecast_sentence_states_the_projection_its_range_and_the_backtest():
    forecast, backtest = _forecast_tables(4.0, 44.0, 47.0)
    s = nv.forecast_outlook(_inputs(forecast=forecast, backtest=backtest))
    assert s.text == ("If the pattern of the last two years holds, the forecast expects about 48 people to leave "
                      "(likely between 40 and 56) and about 48 people to start (likely between 40 and 56) in the 12 "
                      "months to 30 September 2027, leaving about 61.0 vacant FTE (51.0 to 71.0); made the same way "
                      "a year ago, it expected 44 leavers and 47 left.")
    forecast, backtest = _forecast_tables(5.0, 44.0, 60.0)
    changed = nv.forecast_outlook(_inputs(forecast=forecast, backtest=backtest)).text
    assert "about 60 people to leave (likely between 50 and 70)" in changed and "44 leavers and 60 left" in changed


def test_suppressed_values_are_never_stated():
    hidden = _now(agency_rate=[0.271, "c", "c"], vacancy_rate=["c", 0.291, 0.187])
    i = _inputs(now=hidden, comparators={"agency_rate": [("England 2025", 0.176)]}, comparator_group=EP)
    assert "an agency rate of c" in nv.headline(i).text
    areas = nv.service_areas_standing_out(i).text
    assert areas.startswith("Of the service areas whose figures can be shown (the others are suppressed), ")
    assert "Education Psychology has the highest vacancy rate (29.1%" in areas  # CSW's hidden rate is not ranked
    assert "highest agency rate (27.1%" in areas and "against c" not in areas
    assert nv.against_comparators(i) is None  # EP's agency rate is hidden: nothing to compare
    forecast, backtest = _forecast_tables(4.0, 44.0, 47.0)
    forecast["value"] = forecast["value"].astype(object)
    forecast.loc[forecast["measure"] == "Leavers", "value"] = "c"
    text = nv.forecast_outlook(_inputs(forecast=forecast, backtest=backtest.assign(actual="c"))).text
    assert "to leave" not in text and "left" not in text and "to start" in text


def test_summary_of_the_demo_has_five_to_eight_sentences_each_with_its_figures():
    source = metrics.LiveSource(ingest.load_demo())
    refs = {"agency_rate": [("England 2025", 0.176)]}
    sentences = nv.summary(source, Params(), [tg.Target("agency_rate", 0.15, dt.date(2027, 9, 30))], refs, CSW)
    assert 5 <= len(sentences) <= 8
    assert [s.kind for s in sentences] == ["headline", "change", "comparators", "service_areas", "teams", "pay",
                                           "targets", "forecast"]
    assert all(s.figures for s in sentences)
    assert "514.4 FTE" in sentences[0].text  # the demo's FTE in post, as the committee table shows it


def test_the_pack_summary_is_suppressed():
    from sharing import forward, pack

    # the hand-written council: 6 employees and 2 agency workers in post; each service area under 5 people.
    # The pack hands the summary the published door, as every exit does.
    door = pack.publishable(metrics.LiveSource(make_workforce()), "2024-09-30")
    sentences = forward.summary(door, "2024-09-30")
    text = " ".join(s.text for s in sentences)
    assert "an agency rate of c" in text  # rests on 2 agency workers
    assert "Of the service areas" not in text  # every area's rates are hidden: nothing to rank
    assert "23.2%" not in text  # the agency rate itself (1.6 / 6.9)


def test_a_summary_upload_is_summarised_from_each_area_latest_period():
    from ingest.workforce import Workforce

    wf = Workforce(label="Summary only (test)")
    wf.add_table("summary", pd.DataFrame({
        "service_area": [CSW, CSW, CSW], "period": ["2023", "2024", "2025"], "fte": [100.0, 104.0, 110.0],
        "agency_rate": [0.15, 0.2, 0.12], "vacancy_rate": [0.2, 0.18, 0.16], "turnover_rate": [0.16, 0.15, 0.14]}))
    refs = {"agency_rate": [("England 2025", 0.176)]}
    sentences = nv.summary(metrics.LiveSource(wf), Params(as_of="2025-09-30"), comparators=refs, comparator_group=CSW)
    text = " ".join(s.text for s in sentences)
    assert "its agency rate (12.0%) is lower than England 2025 (17.6%)" in text  # 2025's, not 2023's 15.0%
