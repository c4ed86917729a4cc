"""The council's own figures beside its DfE return for the census nearest the as-of date, and why they may differ.

Councils often find that their HR data and their last DfE return disagree.
`reconcile` puts the two side by side with the difference and the likely
reasons, so the gap is explained rather than embarrassing. `council_figures`
gets the session's own figures at a census date through metrics (a staff
extract or a summary/committee table), for the DfE's service area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

import settings
from reference.benchmarks import _la, latest_benchmarks, years
from reference.figures import COMPARE_FIGURES, figure

if TYPE_CHECKING:  # pragma: no cover
    from ingest.workforce import Workforce

DATE_REASON = ("Date: the DfE figure is for 30 September {year}; yours is for {as_of}. People joining or leaving "
               "between the two dates, and late corrections to HR records, move the figures.")
SCOPE_REASON = ("Scope of staff: the DfE counts registered children and family social workers (practitioners and "
                "their managers) employed by the council; an HR extract may include unqualified staff, other teams, "
                "or staff on long-term leave.")
REASONS: dict[str, str] = {
    "fte_in_post": SCOPE_REASON,
    "headcount_in_post": SCOPE_REASON,
    "vacancy_rate": ("Vacancy definition: the DfE counts vacant FTE (funded posts not filled by an employee, whether "
                     "or not agency workers cover them) on 30 September; a local establishment may leave out frozen "
                     "posts or count posts being recruited to."),
    "vacancy_fte": "Vacancy definition: as for the vacancy rate.",
    "agency_rate": ("Agency definition: the DfE counts agency and self-employed social workers in post on "
                    "30 September (FTE), including those covering absence or extra capacity; a local count may use "
                    "placements over a period, or leave out project teams and consultancy staff."),
    "agency_rate_headcount": "Agency definition: as for the agency rate, counting people.",
    "agency_fte": "Agency definition: as for the agency rate.",
    "turnover_rate": ("Turnover definition: the DfE counts employed children and family social workers who left the "
                      "council in the year to 30 September (internal moves are not leavers) ÷ FTE in post on "
                      "30 September."),
    "turnover_rate_headcount": "Turnover definition: as for the FTE turnover rate, counting people.",
    "starters_fte": "Starters: the DfE counts people joining the council's children and family social work workforce.",
    "leavers_fte": "Leavers: the DfE counts people leaving the council, not moving within it.",
    "average_caseload": ("Caseload definition: the DfE divides cases held on 30 September by the FTE of case-holding "
                         "social workers (agency included); local systems may count open cases per person, or "
                         "include unallocated or closed-pending cases."),
    "absence_rate": ("Absence definition: the DfE counts working days lost to sickness in the year to 30 September "
                     "÷ (FTE in post × 253); local systems may count calendar days or include other leave."),
}
"""Likely reasons a council's figure and its DfE return differ, per figure."""


def dfe_service_area() -> str:
    """The service area the DfE statistics cover ([reference] dfe_service_area in workforce_lens.toml)."""
    return str(settings.section("reference").get("dfe_service_area", "Children's Social Work"))


def _as_frame(council_figures: pd.DataFrame | dict) -> pd.DataFrame:
    """Long form (figure, value, symbol) of council figures given long, or wide (one row, a column per figure)."""
    df = pd.DataFrame([council_figures]) if isinstance(council_figures, dict) else council_figures
    if "figure" in df.columns and "value" in df.columns:
        out = df[["figure", "value"]].copy()
        out["symbol"] = df["symbol"] if "symbol" in df.columns else None
        return out
    row = df.iloc[0] if len(df) else pd.Series(dtype=object)
    ids = [c for c in df.columns if not c.endswith("_symbol")]
    return pd.DataFrame({
        "figure": ids,
        "value": [row.get(c) for c in ids],
        "symbol": [row.get(f"{c}_symbol") for c in ids],
    })


def reconcile(council_figures: pd.DataFrame | dict, la: str, year: int, as_of: dt.date | str | None = None,
              figure_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """The council's own figures beside the DfE's for `la` on 30 September `year`, with England, region, neighbours.

    `council_figures`: long (columns figure, value[, symbol]) or wide (one row,
    one column per figure id); rates as fractions 0–1. Figures the DfE does not
    publish are left out. Columns: figure, label, unit, year, council,
    council_symbol, dfe, dfe_symbol, difference (council − DfE; NULL when either
    is missing), england, region_name, region, neighbour_median, reasons.
    """
    name = _la(la)
    own = _as_frame(council_figures)
    own = own[own["figure"].isin(figure_ids or own["figure"].tolist())]
    known = []
    for fid in own["figure"]:
        try:
            figure(fid)
        except KeyError:
            continue
        known.append(fid)
    own = own[own["figure"].isin(known)].drop_duplicates("figure")
    columns = ["figure", "label", "unit", "year", "council", "council_symbol", "dfe", "dfe_symbol", "difference",
               "england", "region_name", "region", "neighbour_median", "reasons"]
    if own.empty or int(year) not in years():
        return pd.DataFrame(columns=columns)
    bench = latest_benchmarks(name, known, int(year)).set_index("figure")
    as_of_text = str(as_of) if as_of is not None else f"{year}-09-30"
    same_date = as_of_text == f"{int(year)}-09-30"
    if not same_date:
        try:
            when = dt.date.fromisoformat(as_of_text[:10])
            as_of_text = f"{when.day} {when:%B %Y}"
        except ValueError:
            pass
    rows = []
    for item in own.itertuples():
        b = bench.loc[item.figure]
        council = pd.to_numeric(pd.Series([item.value]), errors="coerce").iloc[0]
        dfe = b["la_value"]
        reasons = [REASONS.get(item.figure, SCOPE_REASON)]
        if not same_date:
            reasons.insert(0, DATE_REASON.format(year=int(year), as_of=as_of_text))
        elif item.figure not in ("fte_in_post", "headcount_in_post"):
            reasons.append(SCOPE_REASON)
        rows.append({
            "figure": item.figure, "label": b["label"], "unit": b["unit"], "year": int(year),
            "council": council, "council_symbol": item.symbol if isinstance(item.symbol, str) else None,
            "dfe": dfe, "dfe_symbol": b["la_symbol"],
            "difference": council - dfe if pd.notna(council) and pd.notna(dfe) else None,
            "england": b["england"], "region_name": b["region_name"], "region": b["region"],
            "neighbour_median": b["neighbour_median"], "reasons": " ".join(reasons),
        })
    out = pd.DataFrame(rows, columns=columns)
    for col in ("council", "dfe", "difference", "england", "region", "neighbour_median"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    return out


def census_dates(workforce: Workforce) -> list[tuple[int, dt.date]]:
    """(DfE reporting year, the date the council's own figures for it are as at), for every DfE year the data covers.

    A staff extract covers every 30 September up to its latest date (figures are computed on the census date
    itself); a summary table covers each of its rows' dates (a year, a 30 September, or any other date, e.g. a
    committee paper's October 2023), each matched with the DfE year of the census nearest it.
    """
    from metrics import census_date, default_as_of
    from metrics.dates import period_date

    dfe_years = years()
    if workforce.has("staff"):
        latest = census_date(default_as_of(workforce)).year
        return [(y, dt.date(y, 9, 30)) for y in dfe_years if y <= latest]
    if workforce.has("summary"):
        out: dict[int, dt.date] = {}
        for (period,) in workforce.cursor().execute("SELECT DISTINCT period FROM summary").fetchall():
            when = period_date(period)
            if when is None:
                continue
            year = nearest_census_year(when, dfe_years)
            if year is None:
                continue
            best = out.get(year)
            census = dt.date(year, 9, 30)
            if best is None or abs((when - census).days) < abs((best - census).days):
                out[year] = when
        return sorted(out.items())
    return []


def nearest_census_year(when: dt.date, dfe_years: Sequence[int] | None = None) -> int | None:
    """The DfE year whose 30 September is nearest `when` (the earlier on a tie), or None when there are none."""
    known = list(dfe_years if dfe_years is not None else years())
    if not known:
        return None
    return min(known, key=lambda y: (abs((when - dt.date(y, 9, 30)).days), y))


def reconcile_date(workforce: Workforce, as_of: dt.date | None = None) -> tuple[int, dt.date] | None:
    """The census to reconcile against for an as-of date: (DfE year, the date the council's figures are as at).

    The covered census date nearest `as_of` (default: the latest covered), so a view as of 31 March 2026 is
    reconciled with the September 2025 return, and a committee paper's October 2023 figures with the 2023 one.
    """
    covered = census_dates(workforce)
    if not covered:
        return None
    if as_of is None:
        return covered[-1]
    return min(covered, key=lambda pair: (abs((as_of - dt.date(pair[0], 9, 30)).days), -pair[0]))


def census_year(workforce: Workforce) -> int | None:
    """The latest DfE reporting year whose 30 September the session's data covers (None if none).

    A staff extract covers the census dates up to its as-of date; a summary
    table covers the periods it has. Only years in the DfE file count.
    """
    from metrics import census_date, default_as_of

    dfe_years = years()
    if workforce.has("staff"):
        latest = census_date(default_as_of(workforce)).year
        usable = [y for y in dfe_years if y <= latest]
        return usable[-1] if usable else None
    if workforce.has("summary"):
        periods = summary_years(workforce)
        usable = [y for y in periods if y in dfe_years]
        return max(usable) if usable else None
    return None


def summary_years(workforce: Workforce) -> list[int]:
    """Reporting years a summary table's periods stand for (a year, '2023/24' or a 30 September date)."""
    from metrics.dates import period_date

    periods = workforce.cursor().execute("SELECT DISTINCT period FROM summary").fetchall()
    out = set()
    for (period,) in periods:
        d = period_date(period)
        if d is not None and (d.month, d.day) == (9, 30):
            out.add(d.year)
    return sorted(out)


def council_figures(workforce: Workforce, year: int, figure_ids: Sequence[str] = COMPARE_FIGURES,
                    as_of: dt.date | None = None) -> pd.DataFrame:
    """The session's own figures for DfE year `year` for the DfE's service area, long form.

    Columns: figure, value, symbol, source (what the figure is from), service_area.
    A staff extract is computed by metrics on 30 September `year`; a summary
    table's row for the service area dated `as_of` (default: 30 September
    `year`; see `reconcile_date`) is taken as given. Empty if neither fits.
    """
    import metrics
    from metrics.dates import period_date

    area = dfe_service_area()
    columns = ["figure", "value", "symbol", "source", "service_area"]
    ids = tuple(f for f in figure_ids if f in metrics.FIGURES)
    if workforce.has("staff"):
        params = metrics.Params(as_of=f"{int(year)}-09-30", by=("service_area",), figures=ids)
        df = metrics.compute(workforce, params)
        match = df[df["service_area"].astype(str).str.casefold() == area.casefold()]
        source = f"staff extract, {area}"
        if match.empty:
            match, source = df[df["service_area"].astype(str) == "All"], "staff extract, all service areas"
        if match.empty:
            return pd.DataFrame(columns=columns)
        row = match.iloc[0]
        return pd.DataFrame({"figure": list(ids), "value": [row.get(f) for f in ids], "symbol": None,
                             "source": source, "service_area": row["service_area"]})[columns]
    if workforce.has("summary"):
        df = metrics.compute(workforce, metrics.Params(by=(), figures=ids))
        when = [period_date(p) for p in df["period"]]
        wanted = as_of or dt.date(int(year), 9, 30)
        keep = [(d is not None and d == wanted) for d in when]
        if "team" in df.columns:  # the service area's own row, not a sub-service's
            keep = [k and (t is None or t != t or not str(t).strip()) for k, t in zip(keep, df["team"], strict=True)]
        df = df[pd.Series(keep, index=df.index)]
        match = df[df["service_area"].astype(str).str.casefold() == area.casefold()]
        if match.empty:
            return pd.DataFrame(columns=columns)
        row = match.iloc[0]
        return pd.DataFrame({"figure": list(ids), "value": [row.get(f) for f in ids],
                             "symbol": [row.get(f"{f}_symbol") for f in ids],
                             "source": f"summary table, {row['service_area']}, {row['period']}",
                             "service_area": row["service_area"]})[columns]
    return pd.DataFrame(columns=columns)
