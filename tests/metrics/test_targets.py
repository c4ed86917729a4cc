"""Targets: on track and off track worked out by hand, the URL form, the upload table, and through a Source."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

import ingest
import metrics
from ingest.schema import TARGET_FIGURES
from metrics import targets as tg
from metrics.registry import Params
from tests.ingest.conftest import xlsx_bytes
from tests.metrics.metrics_fixtures import AS_OF, make_workforce

NOW = dt.date(2026, 9, 30)
IN_A_YEAR = dt.date(2027, 9, 30)  # 365 days: 11.99 months


def _agency(value: float, by: dt.date = IN_A_YEAR, area: str | None = None) -> tg.Target:
    return tg.Target("agency_rate", value, by, area)


def test_on_track_when_the_recent_pace_reaches_the_target():
    # 26% a year ago, 20% now: falling 0.5 points a month → about 14% in a year, below the 15% target
    p = tg.assess(_agency(0.15), 0.20, 0.26, NOW)
    assert p.status == "on track"
    assert p.recent_pace == pytest.approx(-0.005)
    assert p.pace_needed == pytest.approx(-0.05 / p.months_left)
    assert p.projected == pytest.approx(0.20 - 0.005 * p.months_left)
    assert "on track" in p.sentence and "fall by 0.4 points a month" in p.sentence


def test_off_track_when_the_recent_pace_is_too_slow_or_the_wrong_way():
    slow = tg.assess(_agency(0.15), 0.20, 0.21, NOW)  # falling 0.08 points a month → 19% in a year
    assert slow.status == "off track" and slow.projected > 0.15
    assert "fell by 0.1 points a month" in slow.sentence and "off track" in slow.sentence
    rising = tg.assess(_agency(0.15), 0.20, 0.17, NOW)
    assert rising.status == "off track" and "rose by 0.2 points a month" in rising.sentence


def test_met_missed_no_trend_and_suppressed():
    assert tg.assess(_agency(0.15), 0.14, 0.13, NOW).status == "met"  # lower is better: at or below is met
    missed = tg.assess(_agency(0.15, by=dt.date(2026, 3, 31)), 0.20, 0.26, NOW)
    assert missed.status == "missed" and "date has passed" in missed.sentence
    assert tg.assess(_agency(0.15), 0.20, None, NOW).status == "no trend yet"
    hidden = tg.assess(_agency(0.15), "c", 0.20, NOW)
    assert hidden.status == "not known" and "suppressed" in hidden.sentence


def test_a_neutral_figure_is_judged_by_the_way_it_must_move():
    grow = tg.Target("fte_in_post", 520.0, IN_A_YEAR)
    assert tg.assess(grow, 500.0, 470.0, NOW).status == "on track"  # +2.5 FTE a month → 530
    assert tg.assess(grow, 500.0, 495.0, NOW).status == "off track"  # +0.4 a month → 505
    assert tg.assess(grow, 519.0, 400.0, NOW).status == "met"  # within 1% of it


def test_rates_typed_as_percentages_are_stored_as_fractions():
    assert tg.normalise_value("agency_rate", 15) == 0.15
    assert tg.normalise_value("salary_gap", -5) == -0.05
    assert tg.normalise_value("agency_rate", 0.15) == 0.15
    assert tg.normalise_value("fte_in_post", 15) == 15


def test_targets_round_trip_through_the_url_and_bad_parts_are_ignored():
    targets = [_agency(0.15), tg.Target("vacancy_rate", 0.1, IN_A_YEAR, "SEND 0-25")]
    text = tg.to_query(targets)
    assert tg.from_query(text) == (targets, [])
    back, notices = tg.from_query(text + ";nonsense|x;agency_rate|0.1|someday|")
    assert back == targets and len(notices) == 2


def test_every_target_figure_is_a_figure_and_has_spellings():
    spellings = tomllib.load(open("ingest/synonyms.toml", "rb"))["values"]["figure"]
    assert set(TARGET_FIGURES) <= set(metrics.FIGURES)
    assert set(spellings) == set(TARGET_FIGURES)


def test_targets_sheet_loads_with_labels_and_percentages_and_sets_aside_unknown_figures():
    book = xlsx_bytes({"Targets": [
        ["Measure", "Target", "Target date", "Service area", "Notes"],
        ["Agency rate", "12%", dt.date(2027, 3, 31), "Children's Social Work", "Workforce strategy"],
        ["vacancy_rate", 0.1, dt.date(2027, 9, 30), None, None],
        ["Happiness index", 80, dt.date(2027, 9, 30), None, None],
    ]})
    result = ingest.load([("plan.xlsx", book)])
    table = result.tables["targets"]
    assert table["figure"].tolist() == ["agency_rate", "vacancy_rate"]
    assert table["target"].tolist() == pytest.approx([0.12, 0.1])
    problem = next(p for p in result.problems if p.column and "figure" in p.column)
    assert problem.row == 4 and "Not a figure a target can be set for" in problem.message
    wf = result.to_workforce()
    assert [t.figure for t in tg.uploaded(wf)] == ["agency_rate", "vacancy_rate"]
    assert tg.uploaded(wf)[0].service_area == "Children's Social Work" and tg.uploaded(wf)[1].service_area is None


def test_progress_reads_the_figures_through_a_source():
    source = metrics.LiveSource(make_workforce())
    # agency rate now 1.6 / 6.9; on 30 September 2023 1.0 / (1.0 + 5.8): rising, so a 20% target is off track
    [p] = tg.progress(source, Params(as_of=AS_OF), [_agency(0.20, by=dt.date(2025, 9, 30))])
    assert p.now == pytest.approx(1.6 / 6.9) and p.before == pytest.approx(1.0 / 6.8)
    assert p.status == "off track"
    # a target for a service area the view filters out is left out
    assert tg.progress(source, Params(as_of=AS_OF, filters=(("service_area", "Education Psychology"),)),
                       [_agency(0.2, area="Children's Social Work")]) == []


def test_path_runs_from_now_to_the_target_and_where_the_pace_leads():
    p = tg.assess(_agency(0.15), 0.20, 0.21, NOW)
    path = tg.path(p)
    target_line = path[path["line"] == "Path to target"]
    assert target_line["value"].tolist() == [0.20, 0.15] and target_line["date"].tolist() == [NOW, IN_A_YEAR]
    assert path[path["line"] == "At the recent pace"]["value"].iloc[-1] == pytest.approx(p.projected)
