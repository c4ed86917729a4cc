"""The public entry points: compute (a figure table), series (monthly), filter_options."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from metrics import engine
from metrics.availability import availability
from metrics.dates import add_months, month_end, month_ends
from metrics.engine import ALL, NOT_RECORDED, check_cuts, resolve_as_of
from metrics.figures import FIGURES
from metrics.registry import CUTS, Params
from metrics.settings import Settings, resolve
from metrics.summary import summary_figures

if TYPE_CHECKING:  # pragma: no cover
    from ingest.workforce import Workforce


def _requested(params: Params, avail: dict[str, str | None], allowed: tuple[str, ...] | None = None) -> list[str]:
    """Figure ids asked for (validated), or every computable one when none are named."""
    unknown = [f for f in params.figures if f not in FIGURES]
    if unknown:
        raise ValueError(f"Unknown figure(s): {', '.join(unknown)}.")
    if params.figures:
        ids = list(params.figures)
    else:
        ids = [f for f in FIGURES if avail.get(f) is None]
    if allowed is not None:
        ids = [f for f in ids if f in allowed]
    return ids


def _merge(frames: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    """Outer-join the per-statement frames on the key columns (date and cuts)."""
    out = frames[0]
    for frame in frames[1:]:
        out = out.merge(frame, on=keys, how="outer")
    return out


def _sort(df: pd.DataFrame, by: tuple[str, ...], lead: tuple[str, ...] = ()) -> pd.DataFrame:
    """Groups in alphabetical order ("Not recorded" after named groups), the All row last.

    The distinct groups (a few thousand at most) are put in order, then every row
    is ordered by integer codes: a monthly series has 24 rows per group, and
    sorting its strings directly was a tenth of the series' time.
    """
    if df.empty:
        return df.reset_index(drop=True)
    keys: list[np.ndarray] = []  # np.lexsort: the last key is the primary one
    for c in reversed(by):
        codes, uniques = pd.factorize(df[c], use_na_sentinel=False)
        blank = pd.isna(pd.Series(uniques, dtype="object")).to_numpy()
        names = np.array(["" if b else str(v) for v, b in zip(uniques, blank, strict=True)], dtype=object)
        # named groups alphabetically, then "Not recorded", then any blank (the uniques are a few thousand at most)
        rank_of = np.empty(len(uniques), dtype="int64")
        rank_of[np.lexsort((names, names == NOT_RECORDED, blank))] = np.arange(len(uniques))
        keys.append(rank_of[codes])
    if by:
        keys.append((df[by[0]] == ALL).to_numpy(dtype="int64"))
    for c in reversed(lead):
        keys.append(pd.factorize(df[c], sort=True, use_na_sentinel=False)[0])
    order = np.lexsort(keys) if keys else np.arange(len(df))
    return df.take(order).reset_index(drop=True)


def _as_dates(column: pd.Series) -> pd.Series:
    """The column as datetime.date objects, converting each distinct value once (a series repeats 24 dates)."""
    if column.dtype == object and len(column) and type(column.iloc[0]) is dt.date and type(column.iloc[-1]) is dt.date:
        return column  # already dates (the monthly event grid makes them)
    distinct = pd.unique(column)
    mapping = dict(zip(distinct, pd.to_datetime(pd.Series(distinct)).dt.date, strict=True))
    return column.map(mapping).astype("object")


def _own_cursor(workforce: Workforce) -> Workforce:
    """A shallow copy of the workforce whose connection is a cursor of its own, safe to use on another thread."""
    local = copy.copy(workforce)
    local.con = workforce.cursor()
    return local


_POOL = ThreadPoolExecutor(max_workers=6, thread_name_prefix="metrics-families")
"""Threads for the statement families of `figure_frame` (kept, not started per call: a page makes dozens)."""


def _run_concurrently(workforce: Workforce, tasks: dict[str, Callable[[Workforce], pd.DataFrame | None]]
                      ) -> dict[str, pd.DataFrame | None]:
    """Run each family's statement on its own cursor and thread, so they overlap (DuckDB releases the GIL).

    A 100,000-row table is a single DuckDB row group, scanned by one thread, so
    running the statements side by side is what uses a second core.
    """
    if len(tasks) <= 1 or not workforce.materialise:  # one connection, no cursors (see Workforce.cursor)
        return {name: fn(workforce) for name, fn in tasks.items()}
    views = {name: _own_cursor(workforce) for name in tasks}
    futures: dict[str, Future] = {}
    try:
        # the first family here, the others on the pool's threads: no thread is started per call, and a
        # call never waits for a pool thread to itself (a task never calls this again)
        first, *rest = tasks
        futures = {name: _POOL.submit(tasks[name], views[name]) for name in rest}
        out = {first: tasks[first](views[first])}
        out.update({name: future.result() for name, future in futures.items()})
        return out
    finally:
        wait(futures.values())  # every statement over before its cursor closes, even when one failed
        for view in views.values():
            view.con.close()


def figure_frame(workforce: Workforce, by: tuple[str, ...], filters: tuple[tuple[str, str], ...],
                 dates: list[dt.date], figure_ids: list[str], settings: Settings,
                 avail: dict[str, str | None], monthly: bool = False) -> pd.DataFrame:
    """Columns as_of, the cuts and one per figure, for every date: the shared core of compute and series."""
    computable = [f for f in figure_ids if avail.get(f) is None]
    fam = {f: engine.FAMILY[f] for f in computable}
    keys = ["as_of", *by]

    staff_ids = [f for f in computable if fam[f] == "staff"]
    vac_ids = [f for f in computable if fam[f] == "establishment"]
    span_ids = [f for f in computable if fam[f] == "span"]
    rec_ids = [f for f in computable if fam[f] == "recruitment"]

    def staff(wf: Workforce) -> pd.DataFrame:
        aggs = sorted({a for f in staff_ids for a in engine.STAFF_FIGURES[f][0]} | {"n_rows"})
        if monthly and set(aggs) <= engine.EVENT_AGGS:
            a = engine.staff_events(wf, by, filters, dates)
        else:
            a = engine.staff_aggregates(wf, by, filters, dates, aggs, settings)
        out = a[keys].copy()
        for f in staff_ids:
            out[f] = engine.STAFF_FIGURES[f][1](a, settings).to_numpy()
        out["_rows"] = 1
        return out

    def establishment(wf: Workforce) -> pd.DataFrame | None:
        frames_v = []
        for day in dates:
            v = engine.establishment_lines(wf, filters, day, by)
            if v is None:
                continue
            v.insert(0, "as_of", day)
            frames_v.append(v)
        if not frames_v:
            return None
        v = pd.concat(frames_v, ignore_index=True)
        for c in by:
            if c not in v.columns:
                v[c] = ALL
        out = v[keys].copy()
        for f in vac_ids:
            out[f] = engine.VACANCY_FIGURES[f](v, settings).to_numpy()
        return out

    def span(wf: Workforce) -> pd.DataFrame:
        frames_s = []
        for day in dates:
            s = engine.span_aggregates(wf, by, filters, day, settings)
            s.insert(0, "as_of", day)
            frames_s.append(s)
        s = pd.concat(frames_s, ignore_index=True)
        out = s[keys].copy()
        for f in span_ids:
            out[f] = engine.SPAN_FIGURES[f](s, settings).to_numpy()
        return out

    def recruitment(wf: Workforce) -> pd.DataFrame | None:
        r = engine.recruitment_aggregates(wf, by, filters, dates)
        if r is None:
            return None
        for c in by:
            if c not in r.columns:
                r[c] = ALL
        out = r[keys].copy()
        for f in rec_ids:
            out[f] = engine.RECRUITMENT_FIGURES[f](r, settings).to_numpy()
        return out

    # the staff statement always runs: it defines the groups
    tasks = {name: fn for name, fn, wanted in (
        ("staff", staff, workforce.has("staff")), ("establishment", establishment, bool(vac_ids)),
        ("span", span, bool(span_ids)), ("recruitment", recruitment, bool(rec_ids))) if wanted}
    results = {name: out for name, out in _run_concurrently(workforce, tasks).items() if out is not None}

    frames = [results[k] for k in ("staff", "establishment", "span", "recruitment") if k in results]
    for frame in frames:
        frame["as_of"] = _as_dates(frame["as_of"])
        for c in by:
            if frame[c].dtype != "str":
                frame[c] = frame[c].astype("str")
    df = _merge(frames, keys)
    # groups the staff statement did not see (e.g. an establishment line with nobody in post)
    # have no staff rows: their additive staff figures are 0, not unknown.
    missing_staff = df["_rows"].isna()
    for f in staff_ids:
        if FIGURES[f].unit in ("fte", "count", "gbp") and f not in ("median_salary",):
            df.loc[missing_staff, f] = df.loc[missing_staff, f].fillna(0.0)
    df = df.drop(columns=["_rows"])
    for f in figure_ids:
        if f not in df.columns:
            df[f] = np.nan
        df[f] = pd.to_numeric(df[f], errors="coerce").astype("float64")
    return df[[*keys, *figure_ids]]


def compute(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """The figure table: one row per group of `params.by` plus an "All" row, one column per figure.

    The All row is computed from the rows (not averaged from the groups).
    Figures that cannot be computed (for the data, or for a group) are NaN;
    metrics.availability says why. For a summary-only upload, one row per
    summary row (service area and period) with `<figure>_symbol` columns.
    """
    settings = resolve(settings)
    check_cuts(params.by)
    avail = availability(workforce)
    if not workforce.has("staff") and workforce.has("summary"):
        ids = _requested(params, avail) if params.figures else None
        return summary_figures(workforce, params, settings, ids)
    ids = _requested(params, avail)
    if not workforce.has("staff"):
        return pd.DataFrame(columns=[*params.by, *ids])
    as_of = resolve_as_of(workforce, params)
    df = figure_frame(workforce, tuple(params.by), tuple(params.filters), [as_of], ids, settings, avail)
    df = df.drop(columns=["as_of"])
    return _sort(df, tuple(params.by))


def series_dates(as_of: dt.date, months: int = 24) -> list[dt.date]:
    """The dates of a monthly series: the month-ends before the as-of date's month-end, then the as-of date itself.

    `months` dates in all, oldest first. The last is the as-of date whether or not it is a month-end:
    a series always ends where the tiles and tables are (a partial month when it is mid-month).
    """
    if months <= 0:
        return []
    previous_month_end = month_end(add_months(as_of.replace(day=1), -1))
    return [*(month_ends(previous_month_end, months - 1) if months > 1 else []), as_of]


def is_partial_month(day: dt.date) -> bool:
    """True for a series point that is not a month-end (the as-of date, mid-month: a partial month)."""
    return month_end(day) != day


def series(workforce: Workforce, params: Params, months: int = 24, settings: Settings | None = None) -> pd.DataFrame:
    """Long-form monthly series: month (date), the cuts, figure, value.

    For every stock and rolling 12-month flow figure the data allows (or those
    in params.figures), at each month-end before the as-of date and at the
    as-of date itself, `months` points in all (`series_dates`). The last point
    is computed exactly as `compute` computes it, so it equals the figure table's
    value; when the as-of date is mid-month it is a partial month
    (`is_partial_month`). Groups include an "All" row per month.
    """
    settings = resolve(settings)
    check_cuts(params.by)
    by = tuple(params.by)
    columns = ["month", *by, "figure", "value"]
    if not workforce.has("staff"):
        return pd.DataFrame(columns=columns)
    avail = availability(workforce)
    ids = [f for f in _requested(params, avail, allowed=engine.SERIES_FIGURES) if avail.get(f) is None]
    if not ids:
        return pd.DataFrame(columns=columns)
    as_of = resolve_as_of(workforce, params)
    dates = series_dates(as_of, months)
    filters = tuple(params.filters)
    # the month-ends before the as-of date by the quick event method; the as-of date itself by the
    # statement `compute` uses, so the line ends on exactly the tile's and the committee table's value
    frames = [figure_frame(workforce, by, filters, dates[:-1], ids, settings, avail, monthly=True)] if months > 1 else []
    frames.append(figure_frame(workforce, by, filters, dates[-1:], ids, settings, avail))
    wide = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else frames[-1]
    # sorting the wide table (month, then groups) and melting gives figure, month, group order
    # without sorting the long table, which is `len(ids)` times longer
    wide = _sort(wide, by, lead=("as_of",))
    return _long(wide, by, ids)


def _long(wide: pd.DataFrame, by: tuple[str, ...], ids: list[str]) -> pd.DataFrame:
    """The wide monthly table (month, cuts, one column per figure) as month, cuts, figure, value rows.

    Figure by figure, each in the wide table's order (what DataFrame.melt gives, built from arrays).
    """
    times, rows = len(ids), np.tile(np.arange(len(wide)), len(ids))
    out = {"month": np.tile(wide["as_of"].to_numpy(dtype=object), times)}
    for c in by:
        out[c] = wide[c].array.take(rows)
    out["figure"] = pd.array(ids, dtype="str").take(np.repeat(np.arange(times), len(wide)))
    out["value"] = np.concatenate([wide[f].to_numpy(dtype="float64") for f in ids]) if ids else np.array([])
    return pd.DataFrame(out)


def filter_options(workforce: Workforce) -> dict[str, list[str]]:
    """Values a user can filter by, per cut present in the data (sorted; 'Not recorded' last).

    Teams are keyed "Team (Service area)" where a name repeats across service areas (engine.team_key_sql).
    """
    out: dict[str, list[str]] = {}
    if workforce.has("staff"):
        for column in CUTS:
            if not workforce.has_column("staff", column):
                continue
            label = (engine.team_key_sql(workforce) if column == "team"
                     else f"coalesce(CAST(\"{column}\" AS VARCHAR), '{NOT_RECORDED}')")
            values = [r[0] for r in workforce.cursor().execute(f"SELECT DISTINCT {label} FROM staff").fetchall()]
            out[column] = sorted(values, key=lambda v: (v == NOT_RECORDED, v.lower()))
    elif workforce.has("summary"):
        values = [r[0] for r in workforce.cursor().execute(
            "SELECT DISTINCT service_area FROM summary WHERE service_area IS NOT NULL").fetchall()]
        out["service_area"] = sorted(values, key=str.lower)
    return out
