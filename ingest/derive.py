"""Derivations common in HR systems, each an explicit assumption the user accepts.

An HR extract often lacks one of our columns but has what it can be worked out from:

| the file has | the column it gives | assumption key (Mapping.assume) |
|---|---|---|
| contracted weekly hours | `fte` = hours ÷ standard hours (37 unless `standard_hours` says otherwise) | `fte = "hours"` |
| years of service | `start_date` = extract date − years (approximate, and said so) | `start_date = "years"` |
| monthly pay | `annual_salary` = monthly × 12 | `annual_salary = "monthly"` |
| employees' hourly pay | `annual_salary` = hourly × standard hours × 52 | `annual_salary = "hourly"` |
| an employment status (Active / Voluntarily Terminated) | leavers: their leaving reason from the status, and, without leaving dates, a leaving date at the extract date (approximate) | `leavers = "status"` |

Nothing is derived until the user accepts it (on the Data page, or `--assume` on the command
line); the sentence of each accepted derivation is shown beside every figure (Workforce notes).
Each works on the sheet's parsed columns before validation, so the derived values are checked
like any others (an FTE over 1.5, a start date before 1950, ...).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

import settings as app_settings
from ingest import normalise
from ingest.model import ASSUMPTIONS, AssumptionNeeded
from ingest.schema import EMPLOYED_TYPES
from ingest.synonyms import raw

DEFAULT_STANDARD_HOURS = 37.0
DAYS_PER_YEAR = 365.25

STATUS_VALUES: tuple[str, ...] = tuple(raw()["values"].get("employment_status", {}))
"""What an employment status can say: 'in post', 'left (resignation)', ... (synonyms.toml)."""


def status_reason(status: str | None) -> str | None:
    """The leaving reason a status implies ('left (resignation)' → 'resignation'; 'left (other)' → 'other')."""
    if not status or not status.startswith("left"):
        return None
    inside = status[status.find("(") + 1 : status.rfind(")")] if "(" in status else "other"
    return inside or "other"


def standard_hours(assume: dict[str, str]) -> float:
    """Hours in a full-time week: the mapping's `standard_hours`, else workforce_lens.toml, else 37."""
    configured = app_settings.section("metrics").get("standard_weekly_hours", DEFAULT_STANDARD_HOURS)
    text = assume.get("standard_hours")
    try:
        value = float(text) if text else float(configured)
    except ValueError:
        value = float(configured)
    return value if 10 <= value <= 60 else DEFAULT_STANDARD_HOURS


def extract_date_from(assume: dict[str, str]) -> dt.date | None:
    """The extract date the mapping states (`extract_date = YYYY-MM-DD`), or None."""
    text = assume.get("extract_date")
    if not text:
        return None
    try:
        return dt.date.fromisoformat(str(text).strip()[:10])
    except ValueError:
        return None


def years_before(day: dt.date, years: float) -> dt.date:
    """The date `years` before `day`: whole years by the calendar (29 February → 28th), the rest in days."""
    whole = int(years)
    year = day.year - whole
    earlier = day.replace(year=year, day=min(day.day, 28)) if day.month == 2 and day.day == 29 else day.replace(year=year)
    return earlier - dt.timedelta(days=round((years - whole) * DAYS_PER_YEAR))


def long_date(day: dt.date) -> str:
    """30 September 2025."""
    return f"{day.day} {day:%B %Y}"


def sentence(key: str, option: str, hours: float, extract: dt.date | None) -> str:
    """The note shown beside every figure an accepted assumption affects."""
    when = long_date(extract) if extract else "the extract date"
    if key in ASSUMPTIONS and option in ASSUMPTIONS[key].options:
        return ASSUMPTIONS[key].options[option]
    texts = {
        ("fte", "hours"): f"Assumption: FTE = contracted weekly hours ÷ {hours:g} (a full-time week).",
        ("start_date", "years"): f"Assumption (approximate): start dates worked out as {when} minus years of service, "
                                 "so length of service and starters are approximate.",
        ("annual_salary", "monthly"): "Assumption: annual salary = monthly pay × 12.",
        ("annual_salary", "hourly"): f"Assumption: employees' annual salary = hourly pay × {hours:g} hours × 52 weeks.",
        ("leavers", "status"): "Assumption: people the status column marks as left are leavers, with the leaving reason "
                               "the status gives where no reason is recorded.",
        ("leavers", "status+date"): f"Assumption (approximate): people the status column marks as left are leavers, "
                                    f"taken to have left on {when} (the file has no leaving dates).",
        ("add_up", "yes"): "Rows that share an area and period were added up (the file is a breakdown).",
    }
    return texts.get((key, option), f"Assumption: {key} = {option}.")


def offers(matched: set[str], chosen: dict[str, str]) -> list[AssumptionNeeded]:
    """The assumptions a staff sheet could use, given the columns it matched (derivation sources included)."""
    out: list[AssumptionNeeded] = []
    if "worker_type" not in matched:
        out.append(ASSUMPTIONS["worker_type"])
    if "fte" not in matched:
        options = {}
        if "contracted_hours" in matched:
            options["hours"] = sentence("fte", "hours", standard_hours(chosen), None)
        options.update(ASSUMPTIONS["fte"].options)
        question = ("The staff extract has contracted hours but no FTE. Work FTE out from the hours?"
                    if "contracted_hours" in matched else ASSUMPTIONS["fte"].question)
        out.append(AssumptionNeeded("staff", "fte", question, options))
    if "start_date" not in matched and "years_of_service" in matched:
        out.append(AssumptionNeeded(
            "staff", "start_date", "The staff extract has years of service but no start dates. Work start dates out "
            "from the years (approximate)? Without start dates the staff table cannot load.",
            {"years": sentence("start_date", "years", 0, extract_date_from(chosen))}))
    if "annual_salary" not in matched and "monthly_pay" in matched:
        out.append(AssumptionNeeded("staff", "annual_salary", "The staff extract has monthly pay, not annual "
                                    "salaries. Work annual salaries out from it?",
                                    {"monthly": sentence("annual_salary", "monthly", 0, None)}))
    elif "annual_salary" not in matched and "hourly_rate" in matched:
        out.append(AssumptionNeeded("staff", "annual_salary", "The staff extract has hourly pay, not annual "
                                    "salaries. Work employees' annual salaries out from it?",
                                    {"hourly": sentence("annual_salary", "hourly", standard_hours(chosen), None)}))
    if "employment_status" in matched and ("end_date" not in matched or "leaving_reason" not in matched):
        option = "status" if "end_date" in matched else "status+date"
        question = ("The staff extract has an employment status (in post or left) but no leaving dates. Count the "
                    "people it marks as left as leavers at the extract date (approximate)?"
                    if option == "status+date" else
                    "The staff extract has an employment status but no leaving reasons. Take leaving reasons from it?")
        out.append(AssumptionNeeded("staff", "leavers", question,
                                    {option: sentence("leavers", option, 0, extract_date_from(chosen))}))
    return out


@dataclass
class Derived:
    """What `apply` did: notes for the figures (key → sentence) and the extract date it used."""

    notes: dict[str, str]
    extract_date: dt.date | None


def default_extract_date(data, today: dt.date) -> dt.date:
    """The latest start or end date in the sheet that is not after today (else today): the extract date."""
    latest: list[np.datetime64] = []
    for column in ("start_date", "end_date"):
        if column in data.columns and column not in data.derived:
            values = data.parse(column, "date").values
            good = values[~np.isnat(values) & (values <= np.datetime64(today, "D"))]
            if len(good):
                latest.append(good.max())
    if not latest:
        return today
    return max(latest).astype("datetime64[D]").astype(dt.date)


def apply(data, assume: dict[str, str], today: dt.date) -> Derived:
    """Work out the accepted derivations into `data` (an ingest.validate.SheetData of the staff table)."""
    notes: dict[str, str] = {}
    if data.table != "staff":
        return Derived(notes, None)
    hours = standard_hours(assume)
    extract = extract_date_from(assume) or default_extract_date(data, today)
    if "fte" not in data.columns and "contracted_hours" in data.columns and assume.get("fte") == "hours":
        parsed = data.parse("contracted_hours", "number")
        values = parsed.values / hours
        data.adopt("fte", "contracted_hours", "number",
                   normalise.Numbers(values, parsed.bad, np.zeros(len(values), dtype=bool)), f"÷ {hours:g}")
        notes["fte"] = sentence("fte", "hours", hours, extract)
    if "start_date" not in data.columns and "years_of_service" in data.columns and assume.get("start_date") == "years":
        parsed = data.parse("years_of_service", "number")
        years = parsed.values
        bad = parsed.bad | (np.isfinite(years) & ((years < 0) | (years > 70)))
        good = np.isfinite(years) & ~bad
        start = np.full(len(years), np.datetime64("NaT"), dtype="datetime64[D]")
        for value in np.unique(years[good]):  # a few dozen distinct values, however many rows
            start[good & (years == value)] = np.datetime64(years_before(extract, float(value)), "D")
        data.adopt("start_date", "years_of_service", "date", normalise.Dates(values=start, bad=bad), "approximate")
        notes["start_date"] = sentence("start_date", "years", 0, extract)
    if "annual_salary" not in data.columns:
        if "monthly_pay" in data.columns and assume.get("annual_salary") == "monthly":
            parsed = data.parse("monthly_pay", "number")
            data.adopt("annual_salary", "monthly_pay", "number",
                       normalise.Numbers(parsed.values * 12, parsed.bad, np.zeros(len(parsed.values), dtype=bool)),
                       "× 12")
            notes["annual_salary"] = sentence("annual_salary", "monthly", hours, extract)
        elif "hourly_rate" in data.columns and assume.get("annual_salary") == "hourly":
            parsed = data.parse("hourly_rate", "number")
            employed = np.ones(len(parsed.values), dtype=bool)
            if "worker_type" in data.columns:
                types = np.asarray(data.parse("worker_type", "enum").values.to_pylist(), dtype=object)
                employed = np.isin(types, list(EMPLOYED_TYPES))
            values = np.where(employed, parsed.values * hours * 52, np.nan)
            data.adopt("annual_salary", "hourly_rate", "number",
                       normalise.Numbers(values, parsed.bad & employed, np.zeros(len(values), dtype=bool)),
                       f"× {hours:g} × 52")
            notes["annual_salary"] = sentence("annual_salary", "hourly", hours, extract)
    if "employment_status" in data.columns and assume.get("leavers", "").startswith("status"):
        _leavers(data, extract, notes)
    return Derived(notes, extract)


def _leavers(data, extract: dt.date, notes: dict[str, str]) -> None:
    """Leavers from the status column: reasons where none is recorded; leaving dates at the extract date
    when the file has none; a row marked as left with a blank leaving date is set aside."""
    status = data.status()
    left = np.array([s is not None and s.startswith("left") for s in status], dtype=bool)
    unknown = np.array([s is None for s in status], dtype=bool) & ~data.blank("employment_status")
    data.report(unknown, "employment_status",
                "Employment status not recognised, so it is not known whether this person is in post or has left. "
                "Map the value on the Data page (in post, or left) and apply again.", "error",
                data.columns["employment_status"])
    reasons = pa.array([status_reason(s) if flag else None for s, flag in zip(status, left, strict=True)], pa.string())
    if "leaving_reason" not in data.columns:
        data.adopt("leaving_reason", "employment_status", "text", reasons, "from the status")
    else:
        current = data.parse("leaving_reason", "enum")
        filled = pa.array([r if r is not None else c for r, c in
                           zip(reasons.to_pylist(), current.values.to_pylist(), strict=True)], pa.string())
        data.parsed[("leaving_reason", "enum")] = normalise.Enum(filled, current.unknown, current.blank)
    if "end_date" not in data.columns:
        values = np.where(left, np.datetime64(extract, "D"), np.datetime64("NaT")).astype("datetime64[D]")
        data.adopt("end_date", "employment_status", "date",
                   normalise.Dates(values=values, bad=np.zeros(len(values), dtype=bool)), "approximate")
        notes["leavers"] = sentence("leavers", "status+date", 0, extract)
    else:
        ends = data.parse("end_date", "date")
        no_date = left & np.isnat(ends.values) & ~ends.bad
        data.report(no_date, "end_date", "The status column says this person has left, but there is no leaving "
                    "date, so they can be counted neither in post nor as a leaver.", "error",
                    data.columns["employment_status"])
        notes["leavers"] = sentence("leavers", "status", 0, extract)
