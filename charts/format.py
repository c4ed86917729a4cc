"""Formatting of figure values by unit for charts: axis and label formats, changes, judgements.

Values themselves are formatted by metrics.format (shared with the CLI and exports); it is re-exported here.

Rates are stored as fractions 0–1 and shown as percentages; money in pounds;
FTE to one decimal place. A value that is a DfE symbol (e.g. `c` for a suppressed
cell in a shared view) is shown as the symbol, never as zero.
"""

from __future__ import annotations

import math
from typing import Any

from metrics.format import as_number, format_value
from metrics.registry import Figure

AXIS_FORMATS: dict[str, str] = {
    "percent": ".1~%",
    "gbp": ",.0f",
    "fte": ",.1f",
    "days": ",.0f",
    "count": ",.0f",
    "ratio": ",.2f",
    "cases": ",.1f",
    "years": ",.1f",
    "average": ",.1f",
    "points": "+,.1f",
}
"""d3-format strings for chart axes, by Figure.unit (d3 has no £ prefix: the axis title says £)."""

LABEL_FORMATS: dict[str, str] = {**AXIS_FORMATS, "percent": ".1%"}
"""d3-format strings for value labels and tooltips (one more digit for rates)."""

UNIT_WORDS: dict[str, str] = {
    "percent": "%",
    "gbp": "£ a year",
    "fte": "FTE",
    "days": "days",
    "count": "people",
    "ratio": "×",
    "cases": "cases per FTE",
    "years": "years",
    "points": "percentage points",
}
"""What a unit is called in axis titles."""


def format_figure(value: Any, figure: Figure, missing: str = "–") -> str:
    """format_value with the figure's unit."""
    return format_value(value, figure.unit, missing)


def format_change(delta: Any, unit: str) -> str:
    """A change between two values: +1.2 pts for rates, +£1,200, +3.4 FTE; '–' when unknown."""
    number = as_number(delta)
    if number is None:
        return "–"
    sign = "+" if number > 0 else ("-" if number < 0 else "±")
    size = abs(number)
    if unit == "percent":
        return f"{sign}{size * 100:.1f} pts"
    if unit == "points":
        return f"{sign}{size:.1f} pts"
    return sign + format_value(size, unit)


def axis_format(unit: str) -> str:
    """The d3 format of an axis for a unit."""
    return AXIS_FORMATS.get(unit, ",.2f")


def label_format(unit: str) -> str:
    """The d3 format of a value label or tooltip for a unit."""
    return LABEL_FORMATS.get(unit, ",.2f")


def axis_title(figure: Figure) -> str:
    """The axis title for a figure: its label, with the unit where the label does not say it."""
    word = UNIT_WORDS.get(figure.unit, "")
    if not word or word.lower() in figure.label.lower() or figure.unit in ("count",):
        return figure.label
    return f"{figure.label} ({word})"


def judge(value: Any, reference: Any, polarity: str) -> str | None:
    """'better', 'worse' or 'same' for a value against a reference under the figure's polarity; None if neutral."""
    v, r = as_number(value), as_number(reference)
    if v is None or r is None or polarity not in ("lower_is_better", "higher_is_better"):
        return None
    if math.isclose(v, r, rel_tol=1e-9, abs_tol=1e-12):
        return "same"
    higher = v > r
    return "worse" if higher == (polarity == "lower_is_better") else "better"


def nice_ceiling(value: float) -> float:
    """The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10ⁿ) at or above `value`: 0.271 → 0.3."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= step * power * (1 + 1e-12):
            return round(step * power, 12)
    return round(10 * power, 12)


def axis_max(values: list[float | None] | tuple, unit: str) -> float:
    """Where a value axis from zero stops: just above the largest value, and never past 100% for a rate
    that does not pass it (rates such as turnover can exceed 100%; then the axis follows the data)."""
    numbers = [v for v in values if v is not None and math.isfinite(v)]
    top = max(numbers + [0.0])
    if top <= 0:
        return 1.0
    ceiling = nice_ceiling(top)
    if unit == "percent" and top <= 1:
        return min(ceiling, 1.0)
    return ceiling


def axis_ticks(start: float, end: float, unit: str, intervals: int = 5) -> list[float]:
    """Round tick values from `start` to `end` (about `intervals` steps of 1, 2, 2.5 or 5 × 10ⁿ; whole numbers for
    counts of people): an axis whose scale runs on past `end` to make room for labels still stops at the data."""
    span = end - start
    if span <= 0 or not math.isfinite(span):
        return [start]
    rough = span / intervals
    power = 10 ** math.floor(math.log10(rough))
    step = next(s * power for s in (1, 2, 2.5, 5, 10) if s * power >= rough * (1 - 1e-9))
    if unit == "count":
        step = max(1.0, math.ceil(step))
    first = math.ceil(start / step - 1e-9) * step
    ticks, k = [], 0
    while first + k * step <= end + step * 1e-9:
        ticks.append(round(first + k * step, 10))
        k += 1
    return ticks
