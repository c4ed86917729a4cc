"""Figure values as people read them, by unit: one formatter for the app, the exports and the CLI.

Rates are stored as fractions 0–1 and shown as percentages to one decimal (as the
DfE rounds); money in pounds, large amounts rounded (£412k, £7.96m); FTE to one
decimal place; ratios with a times sign (1.46×); averages per person or advert
to one decimal. A value that is a DfE
symbol (e.g. `c` for a suppressed cell) is shown as the symbol, never as zero.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' NA (not for a symbol such as 'c')."""
    if value is None or isinstance(value, str):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def as_number(value: Any) -> float | None:
    """A value as a float, or None when it is missing or a symbol."""
    if is_missing(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def format_value(value: Any, unit: str, missing: str = "–", plain: bool = False) -> str:
    """A value as a person reads it: 31.2%, £41,250, £7.96m, 123.4 FTE, 12 days, 1.46×; a symbol as itself.

    `plain` gives the committee table's bare numbers (the CLI): rates, money and
    counts as usual, anything else to one decimal without its unit word.
    """
    if isinstance(value, str) and as_number(value) is None:
        return value
    number = as_number(value)
    if number is None:
        return missing
    if unit == "percent":
        return f"{number * 100:.1f}%"
    if unit == "gbp":
        return money(number, exact=plain)
    if unit == "count":
        return f"{number:,.0f}"
    if plain:
        return f"{number:,.1f}"
    if unit == "fte":
        return f"{number:,.1f} FTE"
    if unit == "days":
        return f"{number:,.0f} days"
    if unit == "cases":
        return f"{number:,.1f}"
    if unit == "years":
        return f"{number:,.1f} years"
    if unit == "ratio":
        return f"{number:,.2f}×"
    if unit == "average":
        return f"{number:,.1f}"
    if unit == "points":
        return f"{number:+.1f} pts" if round(number, 1) != 0 else "0.0 pts"
    return f"{number:,.2f}"


def money(number: float, exact: bool = False) -> str:
    """Pounds as a councillor reads them: £41,250; £412k from £100,000; £7.96m from £1m (`exact`: every pound).

    Amounts of £100,000 or more are estimates or totals, where the last pounds
    are noise: they are rounded to three significant figures.
    """
    sign, size = ("-" if number < 0 else ""), abs(number)
    if exact or size < 100_000:
        return f"{sign}£{size:,.0f}"
    if size < 999_500:
        return f"{sign}£{size / 1000:,.0f}k"
    millions = size / 1_000_000
    digits = 2 if millions < 9.995 else (1 if millions < 99.95 else 0)
    return f"{sign}£{millions:,.{digits}f}m"
