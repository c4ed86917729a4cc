"""The DfE indicator file's columns: identifiers, measures, which are percentages, and older names.

DfE renamed columns between releases (the 2017–2022 headline-measures file says
`social_worker_fte` where later files say `inpost_fte`). Every reader of a DfE
file (the reference store and the refresh command) maps headers through
`canonical_header` so a release of either vintage loads the same way.
"""

from __future__ import annotations

ID_COLUMNS: tuple[str, ...] = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
)
"""Columns that say which area and year a row is about."""

MEASURES: tuple[str, ...] = (
    "inpost_fte",
    "inpost_headcount",
    "starters_fte",
    "starters_headcount",
    "leavers_fte",
    "leavers_headcount",
    "turnover_rate_fte",
    "turnover_rate_headcount",
    "agency_fte",
    "agency_headcount",
    "agency_rate_fte",
    "agency_rate_headcount",
    "agency_cover_fte",
    "agency_cover_rate_fte",
    "vacancy_fte",
    "vacancy_rate_fte",
    "vacancy_agency_cover_rate_fte",
    "case_holders_fte",
    "cases",
    "caseload_fte",
    "working_days_lost_fte",
    "absence_rate_fte",
)
"""Numeric columns of the current DfE indicator file (2025 release), in its order."""

OLD_NAMES: dict[str, str] = {
    "social_worker_fte": "inpost_fte",
    "social_worker_headcount": "inpost_headcount",
    "starter_fte": "starters_fte",
    "starter_headcount": "starters_headcount",
    "leaver_fte": "leavers_fte",
    "leaver_headcount": "leavers_headcount",
    "turnover_rate_fte_%": "turnover_rate_fte",
    "turnover_rate_headcount_%": "turnover_rate_headcount",
    "agency_worker_fte": "agency_fte",
    "agency_worker_headcount": "agency_headcount",
    "agency_worker_rate_fte_%": "agency_rate_fte",
    "agency_worker_rate_headcount_%": "agency_rate_headcount",
    "agency_cover_rate_fte_%": "agency_cover_rate_fte",
    "vacancy_rate_fte_%": "vacancy_rate_fte",
    "vacancy_agency_cover_rate_fte_%": "vacancy_agency_cover_rate_fte",
    "absence_rate_fte_%": "absence_rate_fte",
}
"""Column names of older DfE releases (csww_headline_measures_2017_to_2022.csv) → current names."""


def canonical_header(name: str) -> str:
    """The current DfE name of a column header (BOM, spaces and case removed; older names mapped)."""
    text = name.replace("\ufeff", "").strip().lower()
    if text in OLD_NAMES:
        return OLD_NAMES[text]
    if text.endswith("_%") and text[:-2] in MEASURES:
        return text[:-2]
    return text


def is_percentage(measure: str) -> bool:
    """True when the DfE publishes the measure as a percentage (every `*_rate_*` column)."""
    return "_rate_" in measure or measure.endswith("_rate")
