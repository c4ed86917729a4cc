"""The club's charts: valid Vega-Lite, our council named "(you)" in text, hidden values labelled c, and words."""

from __future__ import annotations

import pandas as pd

import metrics
from charts import club as cc

FIG = metrics.FIGURES["agency_rate"]
VALUES = pd.DataFrame({"authority": ["E1", "E2", "E3"], "name": ["Ashby", "Brent", "Carr"],
                       "value": [0.20, 0.30, None], "suppressed": [False, False, True]})
STATS = {"lower_quartile": 0.225, "median": 0.25, "upper_quartile": 0.275}


def test_member_bars_name_us_in_words_and_label_hidden_values():
    data = cc.member_data(VALUES, FIG, "E1")
    assert data["member"].tolist() == ["Ashby (you)", "Brent", "Carr"]
    assert data["label"].tolist() == ["20.0%", "30.0%", "c"]
    assert data["value"].tolist()[:2] == [0.20, 0.30] and data["value"].isna().tolist()[2]
    spec = cc.member_bars(VALUES, FIG, STATS, "E1").to_dict(validate=True)
    assert "Club median: 25.0%" in str(spec)


def test_member_bars_described():
    text = cc.describe_members(VALUES, FIG, STATS, "E1", (1, 2))
    assert text == ("Agency rate of 2 members: the club median is 25.0% (middle half between 22.5% and 27.5%). "
                    "Yours is 20.0%, 1st of 2 (1 = best). 1 value is hidden (c) to protect individuals.")


def test_trend_chart_and_words():
    trend = pd.DataFrame({"quarter": ["2025Q3", "2025Q4"], "period": ["Jul–Sep 2025", "Oct–Dec 2025"],
                          "own": pd.Series([0.2, "c"], dtype=object), "lower_quartile": [0.2, 0.21],
                          "median": [0.25, 0.22], "upper_quartile": [0.3, 0.23], "members": [3, 2]})
    cc.club_trend(trend, FIG).to_dict(validate=True)
    long = cc.trend_data(trend)
    assert long[long["series"] == "Your council"]["value"].isna().tolist() == [False, True]
    assert cc.describe_trend(trend, FIG) == (
        "2 quarters, Jul–Sep 2025 to Oct–Dec 2025. In Oct–Dec 2025 yours was c (hidden); the club median was "
        "22.0% across 2 members. The shaded band is the middle half of the club.")
