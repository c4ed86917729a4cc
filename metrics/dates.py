"""Date helpers: the as-of date, the DfE census date, month-ends for series."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ingest.workforce import Workforce


def census_date(d: dt.date) -> dt.date:
    """The 30 September on or before `d` (the DfE workforce census date)."""
    this_year = dt.date(d.year, 9, 30)
    return this_year if d >= this_year else dt.date(d.year - 1, 9, 30)


def month_end(d: dt.date) -> dt.date:
    """The last day of `d`'s month."""
    return dt.date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def add_months(d: dt.date, months: int) -> dt.date:
    """`d` moved by `months` calendar months, the day clipped to the month's length."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    day = min(d.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day)


def month_ends(as_of: dt.date, months: int = 24) -> list[dt.date]:
    """The `months` month-end dates up to and including `as_of`, oldest first.

    If `as_of` is itself a month end it is the last point; otherwise the last
    point is the end of the previous month.
    """
    last = as_of if month_end(as_of) == as_of else add_months(as_of.replace(day=1), -1)
    last = month_end(last)
    return [month_end(add_months(last.replace(day=1), -k)) for k in range(months - 1, -1, -1)]


def parse_as_of(value: str | dt.date | None) -> dt.date | None:
    """An ISO date string (or date) as a date; None stays None. ValueError on anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def period_date(period: str | None) -> dt.date | None:
    """The date a summary `period` stands for: a year means that year's 30 September census; a month its last day.

    Accepts 2023, 2023/24, ISO dates, 31/10/2023 (day first), October 2023, Oct-23 and 2023-10.
    """
    if not period:
        return None
    text = str(period).strip()
    if re.fullmatch(r"\d{4}", text):
        return dt.date(int(text), 9, 30)
    match = re.fullmatch(r"(\d{4})\s*[/-]\s*(\d{2}|\d{4})", text)  # 2023/24, 2023-2024 -> census in the end year
    if match:
        start, end = int(match.group(1)), match.group(2)
        if int(end) == (start + 1 if len(end) == 4 else (start + 1) % 100):  # (2023-10 is October 2023, below)
            return dt.date(start + 1, 9, 30)
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    return _written_date(text)


_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name} | {
    name.lower(): i for i, name in enumerate(calendar.month_abbr) if name} | {"sept": 9}


def _written_date(text: str) -> dt.date | None:
    """A date as committee papers write it: '31/10/2023' (day first), 'October 2023', 'Oct-23', '2023-10'.

    A month without a day means the end of that month (the figures are as at it).
    """
    lowered = text.strip().lower()
    match = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})", lowered)
    if match:
        day, month, year = (int(g) for g in match.groups())
        year += 2000 if year < 100 else 0
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", lowered)
    if match and 1 <= int(match.group(2)) <= 12:
        return month_end(dt.date(int(match.group(1)), int(match.group(2)), 1))
    match = re.fullmatch(r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([a-z]+)\.?[\s,'-]*(\d{2}|\d{4})", lowered)
    if match:
        month = _MONTHS.get(match.group(2))
        if not month:
            return None
        year = int(match.group(3))
        year += 2000 if year < 100 else 0
        if match.group(1):
            try:
                return dt.date(year, month, int(match.group(1)))
            except ValueError:
                return None
        return month_end(dt.date(year, month, 1))
    return None


def default_as_of(workforce: Workforce) -> dt.date:
    """The latest date in the data that is not after today (start or end dates; summary periods; else the
    staff voice tables).

    Planned future end dates (fixed-term contracts) are ignored. Falls back to today.
    """
    today = dt.date.today()
    if workforce.has("staff"):
        row = workforce.cursor().execute(
            """
            SELECT greatest(
                (SELECT max(start_date) FROM staff WHERE start_date <= current_date),
                (SELECT max(end_date) FROM staff WHERE end_date <= current_date))
            """
        ).fetchone()
        if row and row[0] is not None:
            return row[0]
    if workforce.has("summary"):
        periods = [r[0] for r in workforce.cursor().execute("SELECT DISTINCT period FROM summary").fetchall()]
        dates = [d for d in (period_date(p) for p in periods) if d is not None and d <= today]
        if dates:
            return max(dates)
    from metrics.voice import latest_date  # staff voice tables alone: their latest date

    voice = latest_date(workforce)
    return voice if voice is not None else today


STALE_AFTER_DAYS = 365
"""An as-of date further back than this from today is worth a warning: the figures are history."""


def as_of_warning(as_of: dt.date | None, today: dt.date | None = None) -> str | None:
    """A sentence when the data's as-of date is more than 12 months before today, else None."""
    today = today or dt.date.today()
    if as_of is None or (today - as_of).days <= STALE_AFTER_DAYS:
        return None
    return (f"The latest date in this data is {as_of.day} {as_of:%B %Y}, more than 12 months ago: the figures are as "
            "at that date, not today. Upload a newer extract for current figures.")
