"""Staff survey charts and their words: change in words, hidden (`c`) results, marks told apart by shape.

Inputs are small hand-written tables shaped like the survey_results and survey_history views.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import pytest

import charts.voice as voice
from metrics.format import format_value

THEMES = {"Would recommend as an employer", "Manageable workload"}
RESULTS = pd.DataFrame({
    "theme": ["Would recommend as an employer", "Manageable workload", "I feel valued"],
    "survey": ["Staff survey 2025"] * 3,
    "percent_agree": [0.58, 0.38, 0.70],
    "previous_survey": ["Staff survey 2024", "Staff survey 2024", None],
    "previous_percent": [0.52, 0.41, None],
    "change_points": [6.0, -3.0, None],
    "comparator_percent": [0.61, None, None],
    "comparator_source": ["Health check 2024", None, None],
})
BY_TEAM = pd.DataFrame({
    "team": ["Court", "Duty", "Fostering", "All"],
    "theme": ["Would recommend as an employer"] * 4,
    "percent_agree": [0.50, "c", 0.75, 0.58],
    "previous_survey": ["Staff survey 2024"] * 4,
    "previous_percent": [0.40, 0.30, 0.80, 0.52],
    "change_points": [10.0, "c", -5.0, 6.0],
    "comparator_percent": [None] * 4,
    "comparator_source": [None] * 4,
})


def layers(spec: dict) -> list[dict]:
    return [s for layer in spec["layer"] for s in layers(layer)] if "layer" in spec else [spec]


@pytest.mark.parametrize(("change", "previous", "judged", "words"), [
    (6.0, "Staff survey 2024", True, "up 6.0 pts since Staff survey 2024 (better)"),
    (-3.04, "Staff survey 2024", True, "down 3.0 pts since Staff survey 2024 (worse)"),
    (0.04, "Staff survey 2024", True, "no change since Staff survey 2024"),
    (2.0, "Staff survey 2024", False, "up 2.0 pts since Staff survey 2024"),
    (None, None, True, "no previous survey to compare with"),
    ("c", "Staff survey 2024", True, "c"),
])
def test_change_in_words(change, previous, judged, words):
    assert voice.change_words(change, previous, judged) == words


def test_survey_bars_label_the_change_and_mark_previous_and_comparator_by_shape():
    chart = voice.survey_bars(RESULTS, category="theme", judged=THEMES, title="Staff survey 2025")
    spec = chart.to_dict()  # validates against the Vega-Lite schema
    data = voice.survey_data(RESULTS, "theme", THEMES)
    assert data["label"].tolist() == ["58.0% (up 6.0 pts)", "38.0% (down 3.0 pts)", "70.0%"]
    assert data["status"].tolist() == ["better", "worse", "no comparison"]  # a non-standard theme is not judged
    assert data["label_at"].tolist() == pytest.approx([0.61, 0.41, 0.70])  # labels clear of the marks
    point = next(layer for layer in layers(spec) if layer.get("mark", {}).get("type") == "point")
    assert point["encoding"]["shape"]["scale"]["range"] == ["diamond", "triangle-up"]
    assert point["encoding"]["shape"]["scale"]["domain"] == ["Previous survey", "Comparator: Health check 2024"]


def test_a_hidden_group_has_no_bar_and_is_labelled_c():
    data = voice.survey_data(BY_TEAM, "team", THEMES)
    assert data["category"].tolist() == ["Court", "Duty", "Fostering"]  # the view's own row is not a bar
    duty = data.set_index("category").loc["Duty"]
    assert duty["label"] == "c" and pd.isna(duty["value"]) and duty["words"] == "c"
    alt.Chart.from_dict(voice.survey_bars(BY_TEAM, category="team", judged=THEMES).to_dict())
    words = voice.describe_survey(BY_TEAM, category="team", judged=THEMES, survey="Would recommend")
    assert words == ("Would recommend, by team: highest Fostering (75.0%), lowest Court (50.0%); since the previous "
                     "survey 1 of 2 rose and 1 fell; 1 team with too few respondents shown as c.")
    assert "30.0%" not in words  # nothing about the hidden group's previous result either


def test_theme_by_theme_in_words():
    words = voice.describe_survey(RESULTS, judged=THEMES, survey="Staff survey 2025")
    assert words == ("Staff survey 2025: Would recommend as an employer 58.0% agreeing (up 6.0 pts since Staff survey "
                     "2024, better; comparator 61.0%); Manageable workload 38.0% (down 3.0 pts, worse); I feel valued "
                     "70.0% (no previous survey to compare with). Comparator: Health check 2024.")


def test_survey_trend_and_its_words():
    history = pd.DataFrame({
        "survey": ["Staff survey 2023", "Staff survey 2024", "Staff survey 2025", "Staff survey 2025"],
        "survey_date": [dt.date(2023, 11, 15), dt.date(2024, 11, 15), dt.date(2025, 11, 14), dt.date(2025, 11, 14)],
        "theme": ["Would recommend as an employer"] * 3 + ["Manageable workload"],
        "percent_agree": [0.48, 0.52, 0.58, 0.38],
    })
    voice.survey_trend(history).to_dict()
    assert voice.describe_survey_trend(history) == (
        "Would recommend as an employer: 48.0% (Staff survey 2023) to 58.0% (Staff survey 2025), +10.0 pts; "
        "Manageable workload: 38.0% (Staff survey 2025), one survey only.")


def test_points_are_shown_signed():
    assert format_value(6.0, "points") == "+6.0 pts" and format_value(-2.25, "points") == "-2.2 pts"
    assert format_value(0.01, "points") == "0.0 pts" and format_value("c", "points") == "c"
