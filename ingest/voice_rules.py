"""The rules of the staff voice tables (survey, supervision, induction), applied by ingest.validate.

`prepare` rewrites the few date spellings these tables need before the columns
are typed (a survey year alone, a supervision month written as 2026-03 or
Mar 2026); `rules` then reads what the generic typing gave and applies each
table's own checks, reporting every problem with its sheet, row and column:

* **survey** — a theme (or the question) on every row, read as one of the
  standard themes when it is spelled as one (synonyms.toml), otherwise kept as
  typed; what kind of group each row is (whole council, service area, team,
  role); a result on every row (percent agreeing or a mean score);
  percentages stored as fractions 0–1; the same survey, theme and group only once.
* **supervision** — each row is a worker (worker_id) or a team (team and the
  number of supervisees it covers), with at least one kind of session expected.
* **induction** — yes/no columns read from the spellings trackers use (a
  mentor's id reads as yes, and is not stored); completion not before the
  start; each worker once.

Work is done on distinct values (a few hundred), the masks are numpy arrays.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest.schema import GROUP_TYPES, SURVEY_THEMES
from ingest.synonyms import norm_value, raw, value_lookup

if TYPE_CHECKING:  # pragma: no cover
    from ingest.validate import SheetData

SURVEY_YEAR_DAY = (9, 30)
"""A survey date given as a year alone is read as this month and day of that year (as summary periods are)."""

_YEAR = re.compile(r"^\s*((?:19|20|21)\d\d)(?:\.0+)?\s*$")
_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_ISO_MONTH = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})\s*$")
_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})[-/.](\d{4})\s*$")
_NAMED_MONTH = re.compile(r"^\s*([A-Za-z]{3,9})[\s\-/.,]+(\d{4}|\d{2})\s*$")


# ── rewriting cells before they are typed ─────────────────────────────────────


def _rewrite(array: pa.Array | pa.ChunkedArray, change: Callable[[str], str | None]) -> tuple[pa.Array, int]:
    """The text array with each distinct value `change` returns a new text for replaced; and how many cells changed."""
    arr = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    if not pa.types.is_string(arr.type):
        arr = arr.cast(pa.string())
    encoded = pc.dictionary_encode(arr)
    values = encoded.dictionary.to_pylist()
    new = [change(v) if v is not None else None for v in values]
    if not any(n is not None for n in new):
        return arr, 0
    replaced = pa.array([n if n is not None else v for v, n in zip(values, new, strict=True)], pa.string())
    indices = encoded.indices
    changed_codes = pa.array([i for i, n in enumerate(new) if n is not None], pa.int32())
    count = int(pc.sum(pc.is_in(indices, value_set=changed_codes).cast(pa.int64())).as_py() or 0)
    return replaced.take(indices), count


def year_as_date(text: str) -> str | None:
    """'2025' → '2025-09-30' (a survey year alone); None for anything else."""
    match = _YEAR.match(text)
    if not match:
        return None
    month, day = SURVEY_YEAR_DAY
    return f"{int(match.group(1)):04d}-{month:02d}-{day:02d}"


def month_as_date(text: str) -> str | None:
    """'2026-03', '03/2026', 'Mar 2026', 'March 2026', 'Mar-26' → '2026-03-01'; None for anything else."""
    for pattern, year_at, month_at in ((_ISO_MONTH, 1, 2), (_MONTH_YEAR, 2, 1)):
        match = pattern.match(text)
        if match:
            year, month = int(match.group(year_at)), int(match.group(month_at))
            return f"{year:04d}-{month:02d}-01" if 1 <= month <= 12 else None
    match = _NAMED_MONTH.match(text)
    if match and match.group(1)[:3].lower() in _MONTHS:
        year = int(match.group(2))
        year = year if year >= 100 else 2000 + year
        return f"{year:04d}-{_MONTHS[match.group(1)[:3].lower()]:02d}-01"
    return None


_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?\s*$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def typed_year_as_date(text: str) -> str | None:
    """'1905-07-17' (the year 2025 typed into a date cell: Excel shows the serial 2025 as a date) → '2025-09-30'."""
    match = _ISO_DAY.match(text)
    if not match:
        return None
    try:
        serial = (dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3))) - _EXCEL_EPOCH).days
    except ValueError:
        return None
    return year_as_date(str(serial)) if 1990 <= serial <= 2100 else None


def survey_date_as_date(text: str) -> str | None:
    """A survey date spelled as a year alone, or a year typed into a date cell, as an ISO date; else None."""
    return year_as_date(text) or typed_year_as_date(text)


def date_spelling(table: str, column: str) -> Callable[[str], str | None] | None:
    """The rewrite `prepare` applies to this date column before typing (a survey year, a supervision month), if any.

    The header matcher uses it too, so a column of years or months is not refused as "not dates"."""
    return {("survey", "survey_date"): survey_date_as_date, ("supervision", "month"): month_as_date}.get((table, column))


def prepare(data: SheetData) -> None:
    """Rewrite survey years and supervision months as ISO dates before typing, saying so."""
    if data.table == "survey" and "survey_date" in data.columns:
        when = dt.date(2000, *SURVEY_YEAR_DAY)
        data.columns["survey_date"], changed = _rewrite(data.columns["survey_date"], year_as_date)
        if changed:
            data.note("survey_date", f"Survey dates given as a year alone were read as {when.day} {when:%B} of "
                                     "that year.", "info")
        data.columns["survey_date"], typed = _rewrite(data.columns["survey_date"], typed_year_as_date)
        if typed:
            data.note("survey_date", f"{typed} survey dates were a year typed into a date cell (e.g. 2025 shows as "
                                     f"17/07/1905): read as {when.day} {when:%B} of that year.", "info")
    if data.table == "supervision" and "month" in data.columns:
        data.columns["month"], _ = _rewrite(data.columns["month"], month_as_date)


# ── helpers over typed columns ────────────────────────────────────────────────


def _text(data: SheetData, column: str) -> list[str | None]:
    """The typed text column as a Python list (all None when the sheet has no such column)."""
    values = data.out.get(column)
    return values.to_pylist() if values is not None else [None] * len(data.rows)


def _numbers(data: SheetData, column: str) -> np.ndarray:
    """The typed numeric column as floats (NaN when blank or absent)."""
    values = data.out.get(column)
    if values is None:
        return np.full(len(data.rows), np.nan)
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype="float64")


def _blank(values: list) -> np.ndarray:
    return np.array([v is None for v in values], dtype=bool)


def _repeats(keys: list[tuple]) -> np.ndarray:
    """True for every row whose key was already seen on an earlier row."""
    seen: set[tuple] = set()
    out = np.zeros(len(keys), dtype=bool)
    for i, key in enumerate(keys):
        if key in seen:
            out[i] = True
        seen.add(key)
    return out


def _as_fraction(data: SheetData, column: str) -> None:
    """A percentage column stored as a fraction 0–1: divided by 100 when any cell has a % sign or is above 1."""
    if column not in data.out:
        return
    values = _numbers(data, column)
    percent = data.parse(column, "number").percent
    finite = values[np.isfinite(values)]
    if percent.any() or (finite > 1).any():
        small = np.isfinite(values) & (values > 0) & (values <= 1) & ~percent
        data.report(small, column, "This column holds percentages (some values are above 1), so this value was read "
                                   "as a percentage too (0.6 = 0.6%). If it is a fraction, write it as a percentage.",
                    "warning", values)
        values = values / 100.0
        data.note(column, "Read as percentages and stored as fractions 0–1.", "info")
    data.out[column] = pa.array(values, pa.float64(), from_pandas=True)


# ── survey ────────────────────────────────────────────────────────────────────


def standard_theme(text: str | None) -> str | None:
    """The standard theme a theme or question wording is (by spelling, then by keyword), or None."""
    if text is None:
        return None
    key = norm_value(text)
    found = value_lookup("theme").get(key)
    if found is not None:
        return found
    padded = f" {key} "
    for theme, words in raw().get("theme_keywords", {}).items():
        if any(f" {norm_value(w)} " in padded for w in words):
            return theme
    return None


def _survey(data: SheetData) -> None:
    """Themes, groups, results and repeats of a survey sheet (see the module docstring)."""
    themes, questions = _text(data, "theme"), _text(data, "question")
    given = [t if t is not None else q for t, q in zip(themes, questions, strict=True)]
    theme_column = "theme" if "theme" in data.columns else "question"
    data.report(_blank(given), theme_column, "theme is blank (and there is no question): every row needs one.")
    read_as: dict[str, str] = {}
    stored_theme, stored_question = [], []
    for text, question in zip(given, questions, strict=True):
        standard = standard_theme(text)
        if standard is not None and standard != text:
            read_as.setdefault(text, standard)
        stored_theme.append(standard or text)
        stored_question.append(question if question is not None or standard is None or standard == text else text)
    if read_as:
        examples = "; ".join(f"“{k}” as “{v}”" for k, v in list(read_as.items())[:3])
        more = f" (and {len(read_as) - 3} more)" if len(read_as) > 3 else ""
        data.note("theme", f"Questions read as the standard themes: {examples}{more}. The wording is kept in "
                           "the question column.", "info")
    data.out["theme"] = pa.array(stored_theme, pa.string())
    data.out["question"] = pa.array(stored_question, pa.string())

    lookup = value_lookup("group_type")
    types, names = _text(data, "group_type"), _text(data, "group_name")
    typed = [lookup.get(norm_value(t)) if t is not None else None for t in types]
    unknown = np.array([t is not None and k is None for t, k in zip(types, typed, strict=True)])
    data.report(unknown, "group_type", "Group type not recognised. Use " + ", ".join(GROUP_TYPES) + ".", "error",
                data.out.get("group_type"))
    whole_council_name = [n is None or lookup.get(norm_value(n)) == "whole council" for n in names]
    stored_type = [k if k is not None else ("whole council" if whole else None)
                   for k, whole in zip(typed, whole_council_name, strict=True)]
    unsaid = np.array([t is None and k is None for t, k in zip(types, stored_type, strict=True)])
    data.report(unsaid, "group_type", "group_type is blank but the row names a group: say whether it is a "
                                      "service area, team or role (or leave the group blank for the whole council).",
                "error", data.out.get("group_name"))
    nameless = np.array([k not in (None, "whole council") and n is None
                         for k, n in zip(stored_type, names, strict=True)])
    data.report(nameless, "group_name", "group_name is blank: a service area, team or role result needs the "
                                        "group's name.")
    data.out["group_type"] = pa.array(stored_type, pa.string())

    for column in ("percent_agree", "comparator_percent"):
        _as_fraction(data, column)
    percent, score, scale = _numbers(data, "percent_agree"), _numbers(data, "mean_score"), _numbers(data, "scale_max")
    data.report(~np.isfinite(percent) & ~np.isfinite(score), "percent_agree" if "percent_agree" in data.columns
                else "mean_score", "No result on this row: give percent_agree or mean_score.")
    above = np.isfinite(score) & np.isfinite(scale) & (score > scale)
    if above.any():
        data.report(above, "mean_score", "Mean score above the top of its scale (scale_max). The score was left "
                                          "blank; the rest of the row loaded.", "warning", score)
        score[above] = np.nan
        data.out["mean_score"] = pa.array(score, pa.float64(), from_pandas=True)
    respondents = _numbers(data, "respondents")
    data.report(respondents == 0, "respondents", "No respondents: the row loads, but it has no result to show.",
                "warning", respondents)

    dates = data.out["survey_date"].to_pylist() if "survey_date" in data.out else [None] * len(data.rows)
    surveys = _text(data, "survey")
    keys = [(s, d, t, k, (n or "").lower() if k != "whole council" else "")
            for s, d, t, k, n in zip(surveys, dates, stored_theme, stored_type, names, strict=True)]
    data.report(_repeats(keys) & ~data.drop, theme_column, "The same survey, theme and group as an earlier row, so "
                                                             "this repeat was set aside (the first was kept).")


# ── supervision ───────────────────────────────────────────────────────────────


def _supervision(data: SheetData) -> None:
    """Who each row is, and whether it expects any sessions."""
    workers, teams = _text(data, "worker_id"), _text(data, "team")
    no_worker = _blank(workers)
    data.report(no_worker & _blank(teams), "worker_id" if "worker_id" in data.columns else "team",
                "Neither a worker_id nor a team: each row is one worker's month, or one team's.")
    supervisees = _numbers(data, "supervisees")
    data.report(no_worker & ~_blank(teams) & ~np.isfinite(supervisees), "supervisees",
                "A team row (no worker_id) needs supervisees: how many workers it covers.")
    expected = {kind: _numbers(data, f"{kind}_supervision_expected") for kind in ("case", "wellbeing")}
    none_expected = ~np.isfinite(expected["case"]) & ~np.isfinite(expected["wellbeing"])
    data.report(none_expected & ~data.drop, "case_supervision_expected",
                "No sessions expected (case or wellbeing), so the row is not in the supervision figures.", "warning")
    for kind, label in (("case", "Case"), ("wellbeing", "Wellbeing")):
        held = _numbers(data, f"{kind}_supervision_held")
        data.report(np.isfinite(held) & ~np.isfinite(expected[kind]) & ~none_expected, f"{kind}_supervision_expected",
                    f"{label} sessions held but none expected on this row: they are not counted.", "warning", held)
    months = data.out["month"].to_pylist() if "month" in data.out else [None] * len(data.rows)
    repeated = _repeats([(w, m) if w is not None else (None, object()) for w, m in zip(workers, months, strict=True)])
    if repeated.any():
        data.note("worker_id", f"{int(repeated.sum())} rows repeat a worker and month already given: their "
                               "sessions held are added up, and the largest number expected is used.", "info")


# ── induction ─────────────────────────────────────────────────────────────────


def _yes_no(data: SheetData, column: str, other_is_yes: bool) -> None:
    """A yes/no column from its spellings; other text is yes (a mentor's id, not stored) or blank with a warning."""
    if column not in data.out:
        return
    lookup = value_lookup(column)
    values = _text(data, column)
    read = [lookup.get(norm_value(v)) if v is not None else None for v in values]
    other = np.array([v is not None and r is None for v, r in zip(values, read, strict=True)])
    if other_is_yes:
        read = ["yes" if o else r for r, o in zip(read, other.tolist(), strict=True)]
        if other.any():
            data.note(column, f"{int(other.sum())} cells name a mentor rather than saying yes or no: read as yes "
                              "(the name or id itself is not stored).", "info")
    else:
        data.report(other, column, "Not recognised as yes or no. The cell was left blank; the rest of the row "
                                   "loaded.", "warning", data.out[column])
    data.out[column] = pa.array(read, pa.string())


def _induction(data: SheetData) -> None:
    """Yes/no columns, completion before start, and repeated workers."""
    _yes_no(data, "mentor_assigned", other_is_yes=True)
    _yes_no(data, "newly_qualified", other_is_yes=False)
    if "start_date" in data.out and "induction_completed_date" in data.out:
        start = data.out["start_date"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
        done = data.out["induction_completed_date"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
        before = ~np.isnat(start) & ~np.isnat(done) & (done < start)
        data.report(before, "induction_completed_date", "Induction completed before the start date.", "error",
                    data.out["induction_completed_date"])
    workers = _text(data, "worker_id")
    data.report(_repeats([(w,) if w is not None else (object(),) for w in workers]) & ~data.drop, "worker_id",
                "Same worker_id as an earlier row, so this repeat was set aside (the first was kept).")


def rules(data: SheetData) -> None:
    """The table's own rules, after every column has been typed."""
    {"survey": _survey, "supervision": _supervision, "induction": _induction}[data.table](data)


__all__ = ["SURVEY_THEMES", "month_as_date", "prepare", "rules", "standard_theme", "year_as_date"]
