"""Altair chart builders: a tidy DataFrame and the registry Figure in, a chart out (no Streamlit, no SQL).

Every builder takes its titles, axis formats and polarity from the Figure, uses
the Okabe–Ito palette, and adds a second encoding wherever colour carries
meaning. The describe_* functions produce each chart's text description.
"""

from charts.bars import bar_by_group, diverging_bar, grouped, paired_bars
from charts.data import use_quick_data
from charts.describe import (
    describe_bars,
    describe_counts,
    describe_diverging,
    describe_funnel,
    describe_pairs,
    describe_series_pair,
    describe_threshold,
    describe_trend,
)
from charts.distribution import funnel, histogram, threshold_bars
from charts.format import format_change, format_figure, format_value, judge
from charts.trend import trend

use_quick_data()  # before any chart is built: see charts/data.py

__all__ = [
    "bar_by_group", "describe_bars", "describe_counts", "describe_diverging", "describe_funnel", "describe_pairs", "describe_pairs",
    "describe_series_pair", "describe_threshold", "describe_trend", "diverging_bar", "format_change",
    "format_figure", "format_value", "funnel", "grouped", "histogram", "judge", "paired_bars", "threshold_bars",
    "trend",
]
