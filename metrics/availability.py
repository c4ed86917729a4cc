"""Which figures the data allows, and in plain English why not when it does not."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ingest.schema import TABLES, VOICE_TABLES
from metrics.figures import FIGURES
from metrics.voice import TABLE_REASONS as VOICE_TABLE_REASONS
from metrics.voice import reasons as voice_reasons

if TYPE_CHECKING:  # pragma: no cover
    from ingest.workforce import Workforce

TABLE_REASONS: dict[str, str] = {
    "staff": "Needs a staff extract (one row per worker): add a 'staff' sheet.",
    "establishment": "No establishment table: add an 'establishment' sheet (funded FTE per service area, team or "
                     "role) to switch on vacancy figures.",
    "market_pay": "No market pay table: add a 'market_pay' sheet (market median salary per role, and grade) to "
                  "switch on the salary gap.",
    "agency_caps": "No agency pay caps: add an 'agency_caps' sheet (maximum hourly rate per role) to switch on "
                   "cap breaches.",
    "recruitment": "No recruitment table: add a 'recruitment' sheet (one row per advert) to switch on recruitment "
                   "figures.",
    **VOICE_TABLE_REASONS,
}

COLUMN_REASONS: dict[str, str] = {
    "worker_type": "The staff table has no worker type column (worker_type), so employed and agency workers cannot be "
                   "told apart: add it (permanent, fixed term, agency, apprentice or casual), map a contract-type "
                   "column to it on the Data page, or choose the assumption that everyone is a permanent employee.",
    "fte": "The staff table has no FTE column (fte): add each worker's FTE (contracted hours ÷ standard hours), work it "
           "out from a contracted-hours column (an assumption on the Data page), or choose the assumption that "
           "everyone works full time.",
    "end_date": "The staff table has no leaving dates (end_date), so leavers cannot be found and turnover, leavers "
                "and stability are off: add leaving dates (and keep the last two years' leavers in the extract), or, "
                "with a status column (Active / Terminated), accept on the Data page that leavers left at the "
                "extract date (approximate).",
    "leaving_reason": "The staff table has no leaving reason column (leaving_reason): add it (or take reasons from a "
                      "status column on the Data page) to count leavers by reason and leavers to agency work.",
    "annual_salary": "The staff table has no annual salary column (annual_salary): add it (full-time-equivalent "
                     "salary), or work it out from monthly or hourly pay (an assumption on the Data page), to switch "
                     "on pay figures.",
    "hourly_rate": "The staff table has no hourly charge rate column (hourly_rate): add agency workers' hourly charge "
                   "rate to switch on agency cost figures.",
    "caseload": "The staff table has no caseload column: add cases held per worker to switch on caseload figures.",
    "qualified_date": "The staff table has no date of qualification column (qualified_date): add the date of "
                      "professional qualification to switch on post-qualifying experience figures.",
    "manager_id": "The staff table has no line manager column (manager_id): add each worker's line manager (their "
                  "worker ID) to switch on span of control.",
    "gender": "The staff table has no gender column: add it to switch on the gender pay gap.",
    "absence_days": "The staff table has no sickness absence column (absence_days): add working days lost to "
                    "sickness in the last 12 months to switch on the absence rate.",
}
"""Why a figure is off for want of a staff column: the column in words, its name in the template in brackets."""


def column_words(column: str) -> str:
    """A column in words for a sentence, its template name in brackets when that is not the same words."""
    words = column.replace("_", " ")
    return words if words == column else f"{words} ({column})"


AGENCY_FIGURES: frozenset[str] = frozenset({
    "agency_fte", "agency_headcount", "agency_rate", "agency_rate_headcount", "agency_over_12_months", "agency_annual_cost",
    "agency_premium", "cap_breaches", "agency_covering_vacancies",
})
"""Figures that are meaningless when everyone is assumed to be a permanent employee."""

SUMMARY_INPUTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "fte_in_post": (("fte",),),
    "headcount_in_post": (("headcount",),),
    "vacancy_fte": (("vacancy_fte",),),
    "vacancy_rate": (("vacancy_fte", "fte"), ("vacancy_rate",)),
    "agency_fte": (("agency_fte",),),
    "agency_headcount": (("agency_headcount",),),
    "agency_rate": (("agency_fte", "fte"), ("agency_rate",)),
    "agency_rate_headcount": (("agency_headcount", "headcount"),),
    "turnover_rate": (("leavers_fte", "fte"), ("turnover_rate",)),
    "turnover_rate_headcount": (("leavers_headcount", "headcount"),),
    "starters_fte": (("starters_fte",),),
    "starters_headcount": (("starters_headcount",),),
    "leavers_fte": (("leavers_fte",),),
    "leavers_headcount": (("leavers_headcount",),),
    "net_change_fte": (("starters_fte", "leavers_fte"),),
    "average_caseload": (("cases", "case_holders_fte"), ("caseload",)),
    "absence_rate": (("working_days_lost", "fte"), ("absence_rate",)),
}
"""Figures a summary upload can give: alternative sets of summary columns, any one of which suffices."""


def _staff_reason(workforce: Workforce, figure_id: str) -> str | None:
    """Why a staff-based figure cannot be computed, or None."""
    figure = FIGURES[figure_id]
    for need in figure.needs:
        if "." in need:
            table, column = need.split(".", 1)
            if not workforce.has_column(table, column):
                return COLUMN_REASONS.get(column, f"The {table} table has no {column_words(column)} column.")
            if column == "worker_type" and figure_id in AGENCY_FIGURES and _assumed(workforce, "worker_type"):
                return ("No worker type column (worker_type): everyone is assumed to be a permanent employee, so "
                        "agency figures cannot be computed. Add the column to switch them on.")
        elif not workforce.has(need):
            return TABLE_REASONS.get(need, f"Needs the {need} table.")
    return None


def _assumed(workforce: Workforce, column: str) -> bool:
    """True when the staff column is missing and an assumption stands in for it."""
    return column in workforce.assumptions and column in workforce.missing_columns.get("staff", [])


def _summary_reason(workforce: Workforce, figure_id: str) -> str | None:
    """Why a figure cannot be computed from a summary upload, or None."""
    options = SUMMARY_INPUTS.get(figure_id)
    if options is None:
        return ("The upload has summary figures only: this figure needs a row-level staff extract "
                "(add a 'staff' sheet).")
    for columns in options:
        if all(workforce.has_column("summary", c) for c in columns):
            return None
    wanted = " or ".join(" and ".join(column_words(c) for c in cols) for cols in options)
    return f"The summary table has no {wanted} column: add it to switch this figure on."


class _Known:
    """The Workforce's has/has_column answers, each asked once (availability is called on every compute)."""

    def __init__(self, workforce: Workforce) -> None:
        self.workforce = workforce
        self.assumptions = workforce.assumptions
        self.missing_columns = workforce.missing_columns
        present = set(workforce.tables)
        self._has = {t: False for t in TABLES}
        for table in present:
            row = workforce.cursor().execute(f'SELECT count(*) > 0 FROM (SELECT 1 FROM "{table}" LIMIT 1)').fetchone()
            self._has[table] = bool(row[0])
        self._present = present

    def has(self, table: str) -> bool:
        return self._has.get(table, False)

    def has_column(self, table: str, column: str) -> bool:
        if table not in self._present:
            return False
        if column in self.missing_columns.get(table, []):
            return table == "staff" and column in self.assumptions
        return True


_CACHE: dict[str, dict[str, str | None]] = {}
"""availability answers by Workforce.fingerprint (which changes whenever the data or assumptions change)."""
_CACHE_SIZE = 16


def availability(workforce: Workforce) -> dict[str, str | None]:
    """Per figure id (registry order): None when it can be computed, else why not and what would switch it on.

    Remembered per Workforce.fingerprint: every compute and series call asks, and
    the answer needs a query per table.
    """
    key = workforce.fingerprint
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = _availability(workforce)
    return dict(_CACHE[key])


def _availability(workforce: Workforce) -> dict[str, str | None]:
    """availability, worked out afresh."""
    known = _Known(workforce)
    if known.has("staff"):
        out = {fid: _staff_reason(known, fid) for fid in FIGURES}
    elif known.has("summary"):
        out = {fid: _summary_reason(known, fid) for fid in FIGURES}
    elif any(known.has(t) for t in VOICE_TABLES):  # staff voice tables alone: the workforce figures need staff
        out = {fid: TABLE_REASONS["staff"] for fid in FIGURES}
    else:
        out = {fid: "No data loaded yet: upload a staff extract or a summary table." for fid in FIGURES}
    if any(known.has(t) for t in ("staff", "summary", *VOICE_TABLES)):
        out.update(voice_reasons(known))  # the staff voice figures rest on their own tables
    return out
