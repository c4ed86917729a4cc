"""Targets: a figure's value to reach by a date, and whether the figure is on track, with the pace needed.

A target comes from the `targets` upload table or is set in the app (kept in the
session and the URL, `?targets=`). Progress is judged from two values of the
figure — at the as-of date and 12 months earlier, the same pair the tiles show —
both read through a Source, so a shared view judges suppressed figures as
unknown rather than guessing. The rule, stated wherever a status is shown:

- the target date has passed: *met* or *missed*, by the value at the as-of date;
- the figure is already at the target (at or below it when lower is better, at
  or above it when higher is better, within 1% of it otherwise): *met*;
- otherwise the *pace needed* is the change still to make ÷ the months left, and
  the *recent pace* the change over the last 12 months ÷ 12. If the recent pace
  carried on to the target date would reach the target: *on track*; if not:
  *off track*; with no value 12 months earlier: *no trend yet*.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from ingest.schema import TARGET_FIGURES
from metrics.dates import add_months
from metrics.engine import ALL
from metrics.figures import FIGURES
from metrics.format import as_number, format_value
from metrics.registry import Params

if TYPE_CHECKING:  # pragma: no cover
    from ingest.workforce import Workforce
    from metrics.source import Source

DAYS_PER_MONTH = 365.25 / 12
STATUSES = ("met", "on track", "off track", "missed", "no trend yet", "not known")
"""Every status a target can have, in words."""
TOLERANCE = 0.01
"""A neutral figure (e.g. FTE in post) within this share of its target counts as at it."""


@dataclass(frozen=True)
class Target:
    """A figure's value to reach by a date, for the whole council (service_area None) or one service area."""

    figure: str
    value: float
    """In the figure's stored unit: rates as fractions 0–1."""
    by: dt.date
    service_area: str | None = None
    note: str = ""
    origin: str = "app"
    """'upload' (the targets table) or 'app' (set on the page; kept in the URL)."""

    @property
    def group(self) -> str:
        """The figure table row it is judged on: the service area, or All."""
        return self.service_area or ALL

    @property
    def where(self) -> str:
        """'the whole council' or the service area's name."""
        return self.service_area or "the whole council"


@dataclass(frozen=True)
class Progress:
    """How a target stands at the as-of date."""

    target: Target
    as_of: dt.date
    now: object
    """The figure's value at the as-of date (a number, `c` when suppressed, None when not known)."""
    before: object
    """Its value 12 months earlier."""
    status: str
    months_left: float
    pace_needed: float | None
    """Change a month still needed to reach the target (in the figure's unit)."""
    recent_pace: float | None
    """Change a month over the last 12 months."""
    projected: float | None
    """The value at the target date if the recent pace carried on."""
    sentence: str


def normalise_value(figure_id: str, value: float) -> float:
    """A target as stored: a rate typed as a percentage (15, or −5 for a salary gap) becomes a fraction."""
    if FIGURES[figure_id].unit == "percent" and abs(value) > 1:
        return value / 100
    return float(value)


def from_table(df: pd.DataFrame) -> list[Target]:
    """Targets from the `targets` table (rows with an unknown figure were set aside when it loaded)."""
    out = []
    for row in df.to_dict("records"):
        figure, value, by = row.get("figure"), as_number(row.get("target")), row.get("by_date")
        if figure not in FIGURES or value is None or by is None or pd.isna(by):
            continue
        area = row.get("service_area")
        area = str(area).strip() if isinstance(area, str) and area.strip() else None
        note = row.get("note") if isinstance(row.get("note"), str) else ""
        out.append(Target(str(figure), normalise_value(str(figure), value), pd.Timestamp(by).date(), area, note,
                          "upload"))
    return out


def uploaded(workforce: Workforce) -> list[Target]:
    """The targets of the session's `targets` table (none without one)."""
    if not workforce.has("targets"):
        return []
    return from_table(workforce.df("SELECT * FROM targets"))


def targets_view(workforce: Workforce, params: Params, settings=None) -> pd.DataFrame:
    """The uploaded targets as a table (published with a snapshot, so a shared link shows them too)."""
    columns = ["figure", "target", "by_date", "service_area", "note"]
    rows = [{"figure": t.figure, "target": t.value, "by_date": t.by, "service_area": t.service_area or ALL,
             "note": t.note} for t in uploaded(workforce)]
    return pd.DataFrame(rows, columns=columns)


def from_view(df: pd.DataFrame) -> list[Target]:
    """Targets back from the targets view (a live session's or a snapshot's)."""
    if df is None or df.empty:
        return []
    out = []
    for row in df.to_dict("records"):
        value = as_number(row.get("target"))
        if row.get("figure") not in FIGURES or value is None or row.get("by_date") is None:
            continue
        area = row.get("service_area")
        area = None if not isinstance(area, str) or area in ("", ALL) else area
        note = row.get("note") if isinstance(row.get("note"), str) else ""
        out.append(Target(str(row["figure"]), value, pd.Timestamp(row["by_date"]).date(), area, note, "upload"))
    return out


# ── the URL form of targets set in the app ────────────────────────────────────

SEPARATOR, FIELD = ";", "|"


def to_query(targets: Iterable[Target]) -> str:
    """Targets set in the app as one URL value: figure|value|date|service area, separated by ';'."""
    return SEPARATOR.join(FIELD.join((t.figure, f"{t.value:g}", t.by.isoformat(), t.service_area or ""))
                          for t in targets if t.origin == "app")


def from_query(text: str | None) -> tuple[list[Target], list[str]]:
    """Targets from the URL value, and a notice for each part that is not one (ignored)."""
    targets, notices = [], []
    for part in (text or "").split(SEPARATOR):
        if not part.strip():
            continue
        fields = part.split(FIELD)
        try:
            figure, value, by = fields[0].strip(), float(fields[1]), dt.date.fromisoformat(fields[2].strip())
            area = fields[3].strip() if len(fields) > 3 and fields[3].strip() else None
            if figure not in TARGET_FIGURES or math.isnan(value):
                raise ValueError(figure)
        except (IndexError, ValueError):
            notices.append(f"The link's target “{part[:60]}” could not be read, so it was ignored.")
            continue
        targets.append(Target(figure, value, by, area))
    return targets, notices


# ── judging progress ──────────────────────────────────────────────────────────


def months_between(start: dt.date, end: dt.date) -> float:
    """Months from `start` to `end` (days ÷ the average month)."""
    return (end - start).days / DAYS_PER_MONTH


def _reached(figure_id: str, value: float, target: float, moving_down: bool) -> bool:
    """True when `value` is at or past the target (for the figure's polarity, or the way it has to move)."""
    polarity = FIGURES[figure_id].polarity
    if polarity == "lower_is_better":
        return value <= target + 1e-12
    if polarity == "higher_is_better":
        return value >= target - 1e-12
    if math.isclose(value, target, rel_tol=TOLERANCE, abs_tol=1e-9):
        return True
    return value <= target if moving_down else value >= target


def assess(target: Target, now: object, before: object, as_of: dt.date) -> Progress:
    """How a target stands at `as_of`, given the figure's value then (`now`) and 12 months earlier (`before`)."""
    value, prior = as_number(now), as_number(before)
    left = months_between(as_of, target.by)
    if value is None:
        why = "suppressed in this shared view" if isinstance(now, str) and now else "not known for this data"
        return Progress(target, as_of, now, before, "not known", left, None, None, None,
                        f"{_head(target)}: the figure is {why}, so progress cannot be judged.")
    moving_down = target.value < value
    if left <= 0:
        status = "met" if _reached(target.figure, value, target.value, moving_down) else "missed"
        return Progress(target, as_of, now, before, status, left, None, None, None, _sentence(
            target, value, status, None, None, None, left))
    if _reached(target.figure, value, target.value, moving_down):
        return Progress(target, as_of, now, before, "met", left, 0.0, None, None,
                        _sentence(target, value, "met", 0.0, None, None, left))
    needed = (target.value - value) / left
    if prior is None:
        return Progress(target, as_of, now, before, "no trend yet", left, needed, None, None,
                        _sentence(target, value, "no trend yet", needed, None, None, left))
    recent = (value - prior) / 12
    projected = value + recent * left
    on_track = _reached(target.figure, projected, target.value, moving_down) and (recent != 0)
    status = "on track" if on_track else "off track"
    return Progress(target, as_of, now, before, status, left, needed, recent, projected,
                    _sentence(target, value, status, needed, recent, projected, left))


def _fmt(figure_id: str, value: float | None) -> str:
    return format_value(value, FIGURES[figure_id].unit)


def _size(figure_id: str, change: float) -> str:
    """A size of change in the figure's unit: '0.4 points' for rates, '£1,200', '3.0 FTE'."""
    unit = FIGURES[figure_id].unit
    if unit == "percent":
        return points(change)
    return format_value(abs(change), unit)


def points(change: float) -> str:
    """The size of a change in a rate in percentage points: '0.4 points' ('0.04 points' when under 0.05)."""
    size = abs(change) * 100
    return f"{size:.1f} points" if size >= 0.05 or size == 0 else f"{size:.2f} points"


def _verb(change: float) -> str:
    return "rise" if change > 0 else "fall"


def _head(target: Target) -> str:
    label = FIGURES[target.figure].label
    return f"{label}, {target.where}"


def _by(target: Target) -> str:
    return f"{target.by.day} {target.by:%B %Y}"


def _sentence(target: Target, value: float, status: str, needed: float | None, recent: float | None,
              projected: float | None, left: float) -> str:
    """The target's standing in one or two plain sentences."""
    fid = target.figure
    head = f"{_head(target)}: {_fmt(fid, value)} now, against a target of {_fmt(fid, target.value)} by {_by(target)}"
    if status in ("met", "missed") and left <= 0:
        return f"{head}. The date has passed and the target was {status}."
    if status == "met":
        return f"{head}. The target is already met."
    months = max(round(left), 1)
    text = (f"{head}. To reach it the figure must {_verb(needed)} by {_size(fid, needed)} a month "
            f"({_size(fid, needed * left)} in {months} month{'s' if months != 1 else ''})")
    if status == "no trend yet":
        return text + "; there is no value 12 months earlier to judge the pace by, so there is no trend yet."
    if recent == 0:
        pace = "over the last 12 months it did not change"
    else:
        pace = f"over the last 12 months it {'rose' if recent > 0 else 'fell'} by {_size(fid, recent)} a month"
    return (f"{text}; {pace}, so at that pace it would be {_fmt(fid, projected)} by then: {status}.")


def progress(source: Source, params: Params, targets: Sequence[Target]) -> list[Progress]:
    """Each target's progress, its figure read through `source` at the as-of date and 12 months earlier.

    `params` carries the view's as-of date and filters; a target whose service
    area the view filters out is judged on what the view shows (it is left out).
    """
    if not targets:
        return []
    as_of = dt.date.fromisoformat(params.as_of) if params.as_of else source.default_as_of()
    if as_of is None:
        return []
    ids = tuple(dict.fromkeys(t.figure for t in targets))
    now = _table(source, Params(as_of.isoformat(), ("service_area",), params.filters, ids))
    before = _table(source, Params(add_months(as_of, -12).isoformat(), ("service_area",), params.filters, ids))
    shown = set(now["service_area"].astype(str)) if "service_area" in now.columns else set()
    out = []
    for target in targets:
        if target.group not in shown and shown:
            continue
        out.append(assess(target, value_in(now, target.figure, target.group),
                          value_in(before, target.figure, target.group), as_of))
    return out


def _table(source: Source, params: Params) -> pd.DataFrame:
    try:
        df = source.get("figures", params)
    except Exception:  # noqa: BLE001 - a missing table means "not known", never a failure
        return pd.DataFrame()
    return df if df is not None else pd.DataFrame()


def value_in(df: pd.DataFrame, figure_id: str, group: str) -> object:
    """A figure's value for one service area (or All) in a figure table; `c` stays `c`; None when absent."""
    if df.empty or figure_id not in df.columns or "service_area" not in df.columns:
        return None
    rows = df[df["service_area"].astype(str) == group]
    if rows.empty:
        return None
    value = rows.iloc[0][figure_id]
    if isinstance(value, str):
        return value
    return as_number(value)


def path(progress_item: Progress) -> pd.DataFrame:
    """The straight path from the value now to the target at its date (two points: date, value), for a chart."""
    value = as_number(progress_item.now)
    if value is None:
        return pd.DataFrame(columns=["date", "value", "line"])
    rows = [(progress_item.as_of, value, "Path to target"), (progress_item.target.by, progress_item.target.value,
                                                             "Path to target")]
    if progress_item.projected is not None:
        rows += [(progress_item.as_of, value, "At the recent pace"),
                 (progress_item.target.by, progress_item.projected, "At the recent pace")]
    return pd.DataFrame(rows, columns=["date", "value", "line"])


def with_origin(targets: Iterable[Target], origin: str) -> list[Target]:
    """The same targets marked as coming from `origin`."""
    return [replace(t, origin=origin) for t in targets]
