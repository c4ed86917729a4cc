"""Figures from a `summary` upload (a committee paper's table, or the DfE indicator file).

Rates are computed from the counts with the DfE formulas where the counts are
numbers, and taken as given where only a rate is supplied. A figure whose
inputs are DfE symbols (c, x, z, u, low) is NaN with the symbol beside it in
`<figure>_symbol`, never 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from metrics.availability import SUMMARY_INPUTS, availability
from metrics.engine import filter_sql
from metrics.registry import Params
from metrics.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from ingest.workforce import Workforce

GEOGRAPHY: tuple[str, ...] = ("geographic_level", "region", "area_code", "old_la_code")
"""Summary columns describing where a row is (carried through when present)."""

# figure id -> (SQL from counts, column holding the rate as given, columns whose symbols explain a NULL)
SUMMARY_SQL: dict[str, tuple[str, str | None, tuple[str, ...]]] = {
    "fte_in_post": ("fte", None, ("fte",)),
    "headcount_in_post": ("headcount", None, ("headcount",)),
    "vacancy_fte": ("vacancy_fte", None, ("vacancy_fte",)),
    "vacancy_rate": ("vacancy_fte / nullif(vacancy_fte + fte, 0)", "vacancy_rate",
                     ("vacancy_rate", "vacancy_fte", "fte")),
    "agency_fte": ("agency_fte", None, ("agency_fte",)),
    "agency_headcount": ("agency_headcount", None, ("agency_headcount",)),
    "agency_rate": ("agency_fte / nullif(agency_fte + fte, 0)", "agency_rate", ("agency_rate", "agency_fte", "fte")),
    "agency_rate_headcount": ("agency_headcount / nullif(agency_headcount + headcount, 0)", None,
                              ("agency_headcount", "headcount")),
    "turnover_rate": ("leavers_fte / nullif(fte, 0)", "turnover_rate", ("turnover_rate", "leavers_fte", "fte")),
    "turnover_rate_headcount": ("leavers_headcount / nullif(headcount, 0)", None, ("leavers_headcount", "headcount")),
    "starters_fte": ("starters_fte", None, ("starters_fte",)),
    "starters_headcount": ("starters_headcount", None, ("starters_headcount",)),
    "leavers_fte": ("leavers_fte", None, ("leavers_fte",)),
    "leavers_headcount": ("leavers_headcount", None, ("leavers_headcount",)),
    "net_change_fte": ("starters_fte - leavers_fte", None, ("starters_fte", "leavers_fte")),
    "average_caseload": ("cases / nullif(case_holders_fte, 0)", "caseload", ("caseload", "cases", "case_holders_fte")),
    "absence_rate": ("working_days_lost / nullif(fte * $working_days, 0)", "absence_rate",
                     ("absence_rate", "working_days_lost", "fte")),
}
assert set(SUMMARY_SQL) == set(SUMMARY_INPUTS)


def summary_figures(workforce: Workforce, params: Params, settings: Settings,
                    figure_ids: list[str] | None = None) -> pd.DataFrame:
    """One row per summary row (service area, sub-service and period), one column per figure plus `<figure>_symbol`.

    `figure_ids` None means every figure a summary can give; figures not in
    SUMMARY_SQL (or whose inputs are absent) are NaN. When the upload gives a
    `team` (sub-service) column it is carried (blank on a service area's own row),
    so split rates (health visitors and school nurses within public health
    nursing) sit beside their service area's.
    """
    avail = availability(workforce)
    wanted = figure_ids if figure_ids is not None else [f for f in SUMMARY_SQL if avail.get(f) is None]
    sqlp: dict = {"working_days": settings.working_days_per_fte}
    filters = tuple((c, v) for c, v in params.filters if c == "service_area")
    where = filter_sql(filters, sqlp)
    geo = [c for c in GEOGRAPHY if workforce.has_column("summary", c)]
    team = ["team"] if workforce.has_column("summary", "team") else []
    parts = ["service_area", *team, "period", *geo]
    for fid in wanted:
        if fid not in SUMMARY_SQL or avail.get(fid) is not None:
            parts += [f"CAST(NULL AS DOUBLE) AS {fid}", f"CAST(NULL AS VARCHAR) AS {fid}_symbol"]
            continue
        counts, given, symbols = SUMMARY_SQL[fid]
        expr = f"CAST(coalesce({counts}, {given}) AS DOUBLE)" if given else f"CAST({counts} AS DOUBLE)"
        sym = ", ".join(f"{c}_symbol" for c in symbols)
        parts += [f"{expr} AS {fid}", f"CASE WHEN {expr} IS NULL THEN coalesce({sym}) END AS {fid}_symbol"]
    sql = (f"SELECT {', '.join(parts)} FROM (SELECT row_number() OVER () AS _row, * FROM summary) "
           f"{'WHERE ' + where if where else ''} ORDER BY period NULLS FIRST, _row")
    used = {k: v for k, v in sqlp.items() if f"${k}" in sql}
    df = workforce.cursor().execute(sql, used).df()
    for fid in wanted:
        df[fid] = df[fid].astype("float64")
    return df
