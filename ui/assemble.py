"""Shaping view tables for the pages: picking rows, reshaping for a chart, gathering KPI tiles.

Pages do no arithmetic and no SQL; the little data shaping a page needs (one
figure out of a long series, the latest period of a summary table, starters and
leavers side by side, the tiles' values now and a year earlier) lives here.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

import metrics
from charts.bars import ALL_LABEL
from metrics.dates import period_date
from metrics.registry import Params
from ui import council
from ui import source as src
from ui.benchmarks import Benchmark, dfe_service_area, england
from ui.filters import FilterState
from ui.layout import Tile
from ui.memo import memo


def latest_periods(df: pd.DataFrame, as_of: dt.date | None) -> pd.DataFrame:
    """For summary rows (service area × period): each service area's latest period on or before `as_of`."""
    if df.empty or "period" not in df.columns:
        return df
    dates = [period_date(p) for p in df["period"]]
    part = df.assign(_d=dates)
    if as_of is not None:
        before = part[[d is None or d <= as_of for d in part["_d"]]]
        part = before if not before.empty else part
    part = part.assign(_k=[d or dt.date.min for d in part["_d"]]).sort_values("_k")
    return part.groupby("service_area", sort=False).tail(1).sort_values("service_area").drop(columns=["_d", "_k"])


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


def value_of(df: pd.DataFrame, figure_id: str, group: str | None = None, by: str = "service_area") -> object:
    """One figure's value for a group (the All row when `group` is None), or None."""
    if df.empty or figure_id not in df.columns:
        return None
    if group is None:
        row = all_row(df, by)
        if row is None:
            return None
    else:
        if by not in df.columns:
            return None
        rows = df[df[by].astype(str) == group]
        if rows.empty:
            return None
        row = rows.iloc[0]
    value = row[figure_id]
    symbol = row.get(f"{figure_id}_symbol") if hasattr(row, "get") else None
    if (value is None or value != value) and isinstance(symbol, str) and symbol:
        return symbol
    return value


def core_tiles(state: FilterState, figures: tuple[str, ...] = metrics.CORE) -> list[Tile]:
    """KPI tiles for the core figures: whole-view value, 12 months earlier and the DfE references (DfE service area).

    Remembered per (data, view, references): every viewer of a shared link sees the same tiles.
    """
    bench, dfe_area = england(figures), dfe_service_area()
    return memo("core_tiles", lambda: _core_tiles(state, tuple(figures), bench, dfe_area),
                src.source_key(src.current_source()), state, tuple(figures), bench, dfe_area, council.current_la())


def _core_tiles(state: FilterState, figures: tuple[str, ...], bench: dict[str, Benchmark],
                dfe_area: str) -> list[Tile]:
    """The tiles, worked out (see core_tiles)."""
    avail = src.availability()
    now = figure_table(state, figures, by=("service_area",))
    before_state = state.year_earlier()
    before = figure_table(before_state, figures, by=("service_area",), as_of=before_state.as_of)
    tiles = []
    own = council.own_area(now["service_area"]) if "period" in now.columns and "service_area" in now.columns else None
    area = own or dfe_area  # a multi-authority DfE upload: the chosen council's row is its own figure (issue 10)
    for fid in figures:
        fig = metrics.FIGURES[fid]
        if avail.get(fid) is not None:
            tiles.append(Tile(fig, None, reason=avail.get(fid)))
            continue
        value, prior, note = value_of(now, fid), value_of(before, fid), ""
        if value is None and "period" in now.columns and value_of(now, fid, area) is not None:
            # a summary table has no whole-council row: show the council's (or the DfE service area's) own figure
            value, prior = value_of(now, fid, area), value_of(before, fid, area)
            note = (f"{own}: your council's row of the uploaded file (the other areas are comparators)." if own
                    else f"{dfe_area} (the summary table has no whole-council row).")
        elif value is None and "period" in now.columns and own is None and len(now) > 1:
            note = "Several areas, none of them the whole council: choose “Our council” in the sidebar to show its row."
        if "period" in now.columns and prior is not None and prior == value:
            prior = None  # summary data with one period: no year-earlier value
        compared, label = None, ""
        if fid in bench and value_of(now, fid, area) is not None:
            compared, label = value_of(now, fid, area), area
        tiles.append(Tile(fig, value, prior, before_state.as_of, bench.get(fid), compared, label, note=note))
    return tiles


def committee_table(state: FilterState) -> pd.DataFrame:
    """One row per service area (and All) with the core figures, as a committee paper's table."""
    df = figure_table(state, metrics.CORE, by=("service_area",))
    if df.empty:
        return df
    cols = ["service_area", *(f for f in metrics.CORE if f in df.columns)]
    keep = cols + [f"{f}_symbol" for f in metrics.CORE if f"{f}_symbol" in df.columns]
    if "period" in df.columns:
        keep.insert(1, "period")
    return df[keep].reset_index(drop=True)


def references_for(figure_id: str, benchmarks: dict[str, Benchmark]) -> list[tuple[str, float]]:
    """(label, value) of each DfE reference of a figure: England, and the chosen council's region and neighbours'
    median when a council is chosen (empty when there is none)."""
    bench = benchmarks.get(figure_id)
    return [] if bench is None else bench.references()


def reference_for(figure_id: str, benchmarks: dict[str, Benchmark]) -> tuple[float | None, str]:
    """(England value, rule label) for a figure, or (None, '') when England has none."""
    bench = benchmarks.get(figure_id)
    if bench is None or bench.england is None:
        return None, ""
    return bench.england, bench.label


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
