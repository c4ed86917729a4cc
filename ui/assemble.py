"""Shaping view tables for the pages: picking rows, reshaping for a chart, gathering KPI tiles.

Pages do no arithmetic and no SQL; the little data shaping a page needs (one
figure out of a long series, the latest period of a summary table, starters and
leavers side by side, the tiles' values now and at the date they are compared
with, and the comparators of the same group and year) lives here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence

import pandas as pd

import metrics
from charts.bars import ALL_LABEL
from metrics.dates import add_months, period_date
from metrics.format import as_number
from metrics.registry import Params
from ui import council
from ui import source as src
from ui.benchmarks import Benchmark, benchmark_year, for_group, row_name
from ui.filters import FilterState
from ui.layout import Tile
from ui.memo import memo

EMPTY_REASONS: dict[str, str] = {
    "average_caseload": "no caseloads are recorded for this selection (nobody in it holds a case)",
    "share_above_caseload_threshold": "no case holder in this selection has a caseload standard (or nobody "
                                      "holds a case)",
    "nq_above_protected_caseload": "no caseloads are recorded for this selection",
    "vacancy_rate": "no funded posts (establishment) are recorded for this selection",
    "vacancy_fte": "no funded posts (establishment) are recorded for this selection",
    "agency_covering_vacancies": "this selection has no vacant posts to cover",
    "salary_gap": "no role in this selection has a market pay comparator",
    "average_span_of_control": "nobody in this selection manages anyone in the data",
    "managers_above_span": "nobody in this selection manages anyone in the data",
    "absence_rate": "no sickness absence is recorded for this selection",
    "agency_premium": "no agency worker in this selection has an hourly rate and a salaried comparator",
    "stability_index": "nobody in this selection was in post 12 months earlier",
    "turnover_rate": "nobody in this selection is in post",
    "agency_rate": "nobody in this selection is in post",
    "median_salary": "no salaries are recorded for this selection",
}
"""Why a figure has no value for a selection although the data allows it, in words (the tile says it)."""


RESTS_ON: dict[str, str] = {
    "nq_above_protected_caseload": "average_caseload",
    "share_above_caseload_threshold": "average_caseload",
    "managers_above_span": "average_span_of_control",
}
"""Counts that cannot exist where the figure they rest on has no value (no case holders, no managers): a tile
then says why instead of showing a count of 0."""


def empty_reason(figure_id: str) -> str:
    """Why a figure has no value for this selection ("no caseloads are recorded…"), never "–" alone."""
    return EMPTY_REASONS.get(figure_id, f"no {metrics.FIGURES[figure_id].label.lower()} can be worked out for "
                                        "this selection")


# ── summary rows (a committee paper's table, the DfE file) ─────────────────────


def _keys(df: pd.DataFrame) -> list[str]:
    """The columns that identify a summary row's group: service area, and sub-service when there is one."""
    return [c for c in ("service_area", "team") if c in df.columns]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value).strip() in ("", "nan", "None")


def latest_periods(df: pd.DataFrame, as_of: dt.date | None) -> pd.DataFrame:
    """For summary rows (service area [× sub-service] × period): each group's latest period on or before `as_of`.

    Sub-service rows follow their service area's own row.
    """
    if df.empty or "period" not in df.columns:
        return df
    keys = _keys(df)
    dates = [period_date(p) for p in df["period"]]
    part = df.assign(_d=dates)
    if as_of is not None:
        before = part[[d is None or d <= as_of for d in part["_d"]]]
        part = before if not before.empty else part
    part = part.assign(_k=[d or dt.date.min for d in part["_d"]]).sort_values("_k", kind="stable")
    part = part.groupby(keys, sort=False, dropna=False).tail(1)
    part = part.assign(_area=part["service_area"].astype(str).str.lower(),
                       _sub=[0 if "team" not in part.columns or _blank(t) else 1 for t in part.get("team", [None] * len(part))],
                       _team=[("" if "team" not in part.columns or _blank(t) else str(t).lower())
                              for t in part.get("team", [None] * len(part))])
    part = part.sort_values(["_area", "_sub", "_team"], kind="stable")
    return part.drop(columns=["_d", "_k", "_area", "_sub", "_team"])


def row_date(row: pd.Series | dict) -> dt.date | None:
    """The date a summary row's figures are as at (its period), or None."""
    return period_date(row.get("period")) if hasattr(row, "get") else None


def is_census_period(period: object) -> bool:
    """True for a period written as a year ("2024", "2023/24"): the DfE census of that year to 30 September."""
    return bool(re.fullmatch(r"\s*\d{4}(\s*[/-]\s*\d{2,4})?\s*", str(period or "")))


def since_words(when: dt.date | None, period: object = None) -> str:
    """The comparison date in words: 'since 29 Sep 2025', or 'since the 2024 census' for a census-year period."""
    if period is not None and is_census_period(period) and when is not None:
        return f"since the {when.year} census"
    if when is None:
        return "in 12 months"
    return f"since {when.day} {when:%b %Y}"


def summary_view(state: FilterState) -> pd.DataFrame:
    """Every summary row of the view (all periods), or an empty table for row-level data."""
    df = src.view("figures", state.params(by=("service_area",), figures=metrics.CORE))
    return df if "period" in df.columns else pd.DataFrame()


def data_date(state: FilterState) -> dt.date | None:
    """The date the figures shown are as at: the as-of date, or for a summary table its rows' latest date on or
    before it (a committee paper's October 2023 table is shown as of October 2023, whatever the sidebar says)."""
    rows = summary_view(state)
    if rows.empty:
        return state.as_of
    shown = latest_periods(rows, state.as_of)
    dates = [d for d in (period_date(p) for p in shown["period"]) if d is not None]
    return max(dates) if dates else state.as_of


def displayed(state: FilterState) -> FilterState:
    """The view as it is shown: its as-of date is the data's own date (`data_date`)."""
    when = data_date(state)
    return state if when == state.as_of else dataclasses.replace(state, as_of=when)


# ── figure tables ─────────────────────────────────────────────────────────────


def figure_table(state: FilterState, figures: tuple[str, ...], by: tuple[str, ...] = ("service_area",),
                 as_of: dt.date | None = None) -> pd.DataFrame:
    """The figures view for the filter state (one row per group plus All; summary data: latest periods)."""
    params = state.params(by=by, figures=figures)
    if as_of is not None:
        params = Params(as_of.isoformat(), params.by, params.filters, params.figures)
    df = src.view("figures", params)
    if "period" in df.columns:
        df = latest_periods(df, as_of or state.as_of)
    return df


def all_row(df: pd.DataFrame, by: str = "service_area") -> pd.Series | None:
    """The organisation-wide row of a figure table (the only row when it has no group column)."""
    if df.empty:
        return None
    if by in df.columns:
        rows = df[df[by].astype(str) == ALL_LABEL]
        if len(rows):
            return rows.iloc[0]
        if len(df) == 1:
            return df.iloc[0]
        return None
    return df.iloc[0]


def _service_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The rows of a summary table that are service areas' own (not sub-service rows)."""
    if "team" not in df.columns:
        return df
    return df[[_blank(t) for t in df["team"]]]


def value_of(df: pd.DataFrame, figure_id: str, group: str | None = None, by: str = "service_area") -> object:
    """One figure's value for a group (the All row when `group` is None), or None; a DfE symbol when given."""
    row = row_of(df, group, by)
    if row is None or figure_id not in df.columns:
        return None
    value = row[figure_id]
    symbol = row.get(f"{figure_id}_symbol") if hasattr(row, "get") else None
    if (value is None or value != value) and isinstance(symbol, str) and symbol:
        return symbol
    return value


def row_of(df: pd.DataFrame, group: str | None = None, by: str = "service_area") -> pd.Series | None:
    """The row of a group (a service area's own row for summary data), or the All row when `group` is None."""
    if df.empty:
        return None
    if group is None:
        if by in df.columns and "period" in df.columns:
            own = _service_rows(df)
            return own.iloc[0] if len(own) == 1 else all_row(own, by)
        return all_row(df, by)
    if by not in df.columns:
        return None
    rows = _service_rows(df)
    rows = rows[rows[by].astype(str) == group]
    return rows.iloc[0] if len(rows) else None


# ── KPI tiles ─────────────────────────────────────────────────────────────────


def core_tiles(state: FilterState, figures: tuple[str, ...] = metrics.CORE) -> list[Tile]:
    """KPI tiles: the view's value, the change since the real date it is compared with, and the comparators of
    the same group and year (for the whole council: each service area that has one), or why there are none.

    Remembered per (data, view, council, uploaded comparators): every viewer of a shared link sees the same tiles.
    """
    from ui.benchmarks import chosen_la, supplied

    return memo("core_tiles", lambda: _core_tiles(state, tuple(figures)),
                src.source_key(src.current_source()), state, tuple(figures), chosen_la(), supplied(), "v2")


def _core_tiles(state: FilterState, figures: tuple[str, ...]) -> list[Tile]:
    """The tiles, worked out (see core_tiles)."""
    avail = src.availability()
    bases = tuple(b for f in figures if (b := RESTS_ON.get(f)) and b not in figures and avail.get(b) is None)
    now = figure_table(state, figures + bases, by=("service_area",))
    if "period" in now.columns:
        return _summary_tiles(state, figures, now, avail)
    before_date = add_months(state.as_of, -12) if state.as_of else None
    before = figure_table(state, figures, by=("service_area",), as_of=before_date) if before_date else now.iloc[0:0]
    year = benchmark_year(state.as_of)
    name = row_name(state)
    view_bench = for_group(name, figures, year)
    tiles = []
    for fid in figures:
        fig = metrics.FIGURES[fid]
        if avail.get(fid) is not None:
            tiles.append(Tile(fig, None, reason=avail.get(fid)))
            continue
        value, prior = value_of(now, fid), value_of(before, fid)
        base = RESTS_ON.get(fid)
        if base and avail.get(base) is None and as_number(value_of(now, base)) is None:
            value = None  # e.g. newly qualified above their protected caseload where nobody holds a case
        comparisons, missing = _comparisons(state, now, fid, name, view_bench.get(fid), year)
        tiles.append(Tile(fig, value, prior, before_date, since=since_words(before_date),
                          empty="" if as_number(value) is not None else empty_reason(fid),
                          comparisons=comparisons, missing=missing))
    return tiles


def _comparisons(state: FilterState, table: pd.DataFrame, figure_id: str, name: str | None,
                 bench: Benchmark | None, year: int | None) -> tuple[tuple, str]:
    """((name, value, Benchmark) of each group compared, sentence naming groups without a comparator).

    A filtered view is compared as its own group; the whole council as each of its service areas that has a
    comparator (no comparator describes the council as a whole).
    """
    if bench is None:
        return (), ""
    if name is not None:
        if not bench.comparators:
            return (), bench.missing_sentence()
        return ((name, value_of(table, figure_id), bench),), ""
    if "service_area" not in table.columns:
        return (), ""
    rows = table[table["service_area"].astype(str) != ALL_LABEL]
    found, without = [], []
    for area in rows["service_area"].astype(str):
        area_bench = for_group(area, [figure_id], year).get(figure_id)
        if area_bench is not None and area_bench.comparators:
            found.append((area, value_of(table, figure_id, area), area_bench))
        else:
            without.append(area)
    missing = ""
    if without and found:
        missing = f"No England comparator for {_listed(without)}."
    elif without:
        missing = (f"No England comparator for {_listed(without)}" + (f" in {year}" if year else "") +
                   ": no verdict is drawn.")
    return tuple(found), missing


def _listed(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _summary_tiles(state: FilterState, figures: tuple[str, ...], now: pd.DataFrame,
                   avail: dict[str, str | None]) -> list[Tile]:
    """Tiles of a summary table: one row's figures (the filtered service area's, else the DfE service area's,
    else the only row), against that row's previous period, compared with comparators of the row's own year."""
    from ui.benchmarks import dfe_service_area

    filtered = dict(state.filters).get("service_area")
    rows = _service_rows(now)
    area, note = filtered, ""
    own = council.own_area(rows["service_area"]) if filtered is None else None
    if own is not None:
        # a multi-authority DfE upload: the chosen council's row is its own figure, the rest are comparators
        area, note = own, f"{own}: your council's row of the uploaded file (the other areas are comparators)."
    elif area is None:
        if len(rows) == 1:
            area = str(rows["service_area"].iloc[0])
        else:
            area = dfe_service_area() if (rows["service_area"].astype(str) == dfe_service_area()).any() else None
            if area is not None:
                note = f"{area} (the summary table has no whole-council row)."
            else:
                note = "Several areas, none of them the whole council: choose “Our council” in the sidebar to show its row."
    row = row_of(now, area) if area else None
    everything = summary_view(state)
    tiles = []
    for fid in figures:
        fig = metrics.FIGURES[fid]
        if avail.get(fid) is not None or row is None:
            tiles.append(Tile(fig, None, reason=avail.get(fid) or "The summary table has no whole-council row: "
                              "choose “Our council” in the sidebar, or a service area, to see its figures."))
            continue
        when = row_date(row)
        prior_row = _previous_row(everything, row)
        prior = None if prior_row is None else value_of(pd.DataFrame([prior_row]), fid, area)
        prior_date = row_date(prior_row) if prior_row is not None else None
        since = since_words(prior_date, prior_row.get("period")) if prior_row is not None else ""
        bench = for_group(area, [fid], benchmark_year(when)).get(fid)
        value = value_of(now, fid, area)
        comparisons = ((area, value, bench),) if bench is not None and bench.comparators else ()
        missing = bench.missing_sentence() if bench is not None and not bench.comparators else ""
        tiles.append(Tile(fig, value, prior, prior_date, since=since, note=note, comparisons=comparisons,
                          missing=missing, as_of=when,
                          no_prior="No earlier period of this row in the table to compare with.",
                          empty="" if as_number(value) is not None else empty_reason(fid)))
    return tiles


def _previous_row(rows: pd.DataFrame, row: pd.Series) -> pd.Series | None:
    """The same group's row with the latest period before `row`'s (None when it has no earlier period)."""
    if rows.empty:
        return None
    when = row_date(row)
    if when is None:
        return None
    mine = rows[rows["service_area"].astype(str) == str(row["service_area"])]
    if "team" in rows.columns:
        team = row.get("team")
        mine = mine[[(_blank(t) and _blank(team)) or (not _blank(t) and str(t) == str(team)) for t in mine["team"]]]
    earlier = [(d, i) for i, d in zip(mine.index, (period_date(p) for p in mine["period"]), strict=True)
               if d is not None and d < when]
    if not earlier:
        return None
    return mine.loc[max(earlier)[1]]


# ── the committee table ───────────────────────────────────────────────────────


def committee_table(state: FilterState) -> pd.DataFrame:
    """One row per service area (and All) with the core figures, as a committee paper's table.

    A summary table keeps its periods and its sub-service rows, after their service area's and named with it:
    "Health visitors (Public Health Nursing)".
    """
    df = figure_table(state, metrics.CORE, by=("service_area",))
    if df.empty:
        return df
    cols = ["service_area", *(f for f in metrics.CORE if f in df.columns)]
    keep = cols + [f"{f}_symbol" for f in metrics.CORE if f"{f}_symbol" in df.columns]
    if "period" in df.columns:
        keep.insert(1, "period")
        if "team" in df.columns and not all(_blank(t) for t in df["team"]):
            df = df.assign(service_area=[a if _blank(t) else f"{t} ({a})"  # "Health visitors (Public Health Nursing)"
                                         for a, t in zip(df["service_area"], df["team"], strict=True)])
    return df[keep].reset_index(drop=True)


def one_series(df: pd.DataFrame, figure_id: str, group: str | None = None, by: str | None = None) -> pd.DataFrame:
    """month, value of one figure from the long series view (the All rows, or one group's)."""
    if df.empty or "figure" not in df.columns:
        return pd.DataFrame(columns=["month", "value"])
    part = df[df["figure"] == figure_id]
    if by and by in part.columns:
        part = part[part[by].astype(str) == (group or ALL_LABEL)]
    return part[["month", "value"]].reset_index(drop=True)


def series_by_group(df: pd.DataFrame, figure_id: str, by: str) -> pd.DataFrame:
    """month, group, value of one figure per group (All included) from the long series view."""
    if df.empty or "figure" not in df.columns or by not in df.columns:
        return pd.DataFrame(columns=["month", by, "value"])
    return df.loc[df["figure"] == figure_id, ["month", by, "value"]].reset_index(drop=True)


def starters_leavers_long(df: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """month, measure ('Starters'/'Leavers'), headcount, for the All rows of starters_leavers_by_month."""
    if df.empty:
        return pd.DataFrame(columns=["month", "measure", "people"])
    part = df[df[by].astype(str) == ALL_LABEL] if by and by in df.columns else df
    starters = pd.DataFrame({"month": part["month"], "measure": "Starters", "people": part["starters_headcount"]})
    leavers = pd.DataFrame({"month": part["month"], "measure": "Leavers", "people": part["leavers_headcount"]})
    return pd.concat([starters, leavers], ignore_index=True)


def rows_for(df: pd.DataFrame, column: str, value: str = ALL_LABEL) -> pd.DataFrame:
    """The rows of a view whose `column` is `value` (the All rows by default); the whole table without it."""
    if df.empty or column not in df.columns:
        return df
    return df[df[column].astype(str) == value].reset_index(drop=True)


def without_all(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """The rows of a view other than the All row(s) of `column`."""
    if df.empty or column not in df.columns:
        return df
    return df[df[column].astype(str) != ALL_LABEL].reset_index(drop=True)


def role_grade(df: pd.DataFrame) -> pd.DataFrame:
    """Salary gap rows with one 'Role – grade' label column (the All row left out)."""
    if df.empty:
        return df
    part = df[df["role"].astype(str) != ALL_LABEL].copy()
    part["role_grade"] = [f"{r} – {g}" if isinstance(g, str) and g and g != ALL_LABEL else str(r)
                          for r, g in zip(part["role"], part["grade"], strict=True)]
    return part.reset_index(drop=True)


def funnel_stages(df: pd.DataFrame, by: str = "service_area") -> pd.DataFrame:
    """stage (in words), count for the All rows of the recruitment funnel."""
    if df.empty:
        return pd.DataFrame(columns=["stage", "count"])
    part = df[df[by].astype(str) == ALL_LABEL] if by in df.columns else df
    return pd.DataFrame({"stage": [str(s).capitalize() for s in part["stage"]], "count": part["count"].to_numpy()})


def gender_quartiles_long(df: pd.DataFrame) -> pd.DataFrame:
    """quartile, gender ('Women'/'Men'), share, people for the four pay quartiles (the All row left out)."""
    if df.empty:
        return pd.DataFrame(columns=["quartile", "gender", "share", "people"])
    part = df[df["quartile"].astype(str) != ALL_LABEL]
    women = pd.DataFrame({"quartile": part["quartile"], "gender": "Women", "share": part["women_share"],
                          "people": part["women"]})
    men = pd.DataFrame({"quartile": part["quartile"], "gender": "Men", "share": part["men_share"],
                        "people": part["men"]})
    return pd.concat([women, men], ignore_index=True)


def thresholds() -> metrics.Settings:
    """The configured thresholds (caseload, span of control…) from workforce_lens.toml."""
    from metrics.settings import resolve

    return resolve(None)


def bands_above(df: pd.DataFrame) -> tuple[str, ...]:
    """Span-of-control bands flagged above the threshold."""
    if df.empty or "above_threshold" not in df.columns:
        return ()
    return tuple(str(b) for b in df.loc[df["above_threshold"].astype(bool), "band"])


def shown_columns(df: pd.DataFrame) -> list[str]:
    """A table's columns other than the `<figure>_symbol` companions (their symbols show in the figure's cell)."""
    return [c for c in df.columns if not str(c).endswith("_symbol")]


def last_point_words(series: pd.DataFrame, column: str = "month") -> str:
    """' (29 September 2026, part of the month)' when a series' last point is mid-month, else ''."""
    if series.empty or column not in series.columns:
        return ""
    last = pd.Timestamp(max(series[column])).date()
    if (last + dt.timedelta(days=1)).day == 1:
        return ""
    return f" ({last.day} {last:%B %Y}, part of the month)"


def with_base(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """The rows whose `column` (the people a figure rests on, e.g. case holders) is above zero: a figure cannot
    exist for a group without them, so it is not drawn as a bar of zero."""
    if df.empty or column not in df.columns:
        return df
    return df[pd.to_numeric(df[column], errors="coerce").fillna(0) > 0].reset_index(drop=True)


def standards_by_row(state: FilterState, column: str, values: Sequence[object], measure: str = "caseload"
                     ) -> dict[str, tuple[str, float] | None]:
    """Each row's standard for `measure` (its service area's, or its role family's), as (label, value), at the
    view's census year; None for a row whose group has none. Labels say what each is ('England average 2025
    (DfE)', 'Local standard'), never just 'threshold'."""
    from ui.benchmarks import team_areas

    settings = thresholds()
    chosen = dict(state.filters)
    year = benchmark_year(state.as_of)
    areas = team_areas() if column == "team" or chosen.get("team") else {}
    out: dict[str, tuple[str, float] | None] = {}
    for value in values:
        text = str(value)
        if text == ALL_LABEL:
            continue
        role = text if column == "role" else chosen.get("role")
        team = text if column == "team" else chosen.get("team")
        area = text if column == "service_area" else chosen.get("service_area") or areas.get(str(team))
        found = settings.standard(measure, area, role, year, team=team)
        out[text] = None if found is None else (found.label, found.value)
    return out


def standard_sources(state: FilterState, column: str, values: Sequence[object], measure: str = "caseload"
                     ) -> list[str]:
    """Sentences naming each standard used by the rows and its source (for a chart's notes)."""
    from ui.benchmarks import team_areas

    settings = thresholds()
    chosen = dict(state.filters)
    year = benchmark_year(state.as_of)
    areas = team_areas() if column == "team" or chosen.get("team") else {}
    notes: list[str] = []
    for value in values:
        text = None if value is None else str(value)  # None: the view itself, as its filters say
        if text == ALL_LABEL:
            continue
        role = text if column == "role" and text else chosen.get("role")
        team = text if column == "team" and text else chosen.get("team")
        area = (text if column == "service_area" and text else chosen.get("service_area")) or areas.get(str(team))
        found = settings.standard(measure, area, role, year, team=team)
        if found is not None:
            notes.append(f"{found.label}: {found.source}" if found.source else found.label)
    return list(dict.fromkeys(notes))


def shared_standard(per_row: dict[str, tuple[str, float] | None]) -> tuple[str, float] | None:
    """The one standard every row has, when they all have the same (drawn as a single labelled line)."""
    found = set(per_row.values())
    if len(found) == 1:
        only = next(iter(found))
        return only
    return None
