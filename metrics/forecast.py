"""The forecast: leavers, starters and vacancies for the next 12 months per service area, and its back-test.

The model is deliberately simple enough to explain in a committee:

- **History**: employed starters and leavers (people and FTE) in each of the 24
  months ending on the as-of date (month *k* is the month ending on the as-of
  date's day, so the last 12 months add up to the starters and leavers figures).
- **Model**: each month's count is the average month of those 24, raised or
  lowered by a yearly cycle (one peak and one trough a year, e.g. newly
  qualified social workers starting in the autumn): a Poisson regression of the
  monthly counts on sin and cos of the calendar month (`poisson_regression`,
  fitted as statistical packages fit it: checked against statsmodels' GLM in
  the tests, but not imported here, as it would add seconds to the first page). With
  fewer than 24 events in the 24 months there is too little to see a cycle, and
  every month is forecast as the average month.
- **Uncertainty**: the range (80% by default, `[forecast] interval` in
  workforce_lens.toml) covers both the chance variation of a count — at least a
  Poisson count's, more when the months varied more than that (quasi-Poisson
  dispersion) — and the uncertainty in the average and the cycle. Drawn as a
  gamma distribution with that mean and variance (scipy), so it never goes below zero.
- **Vacancies**: today's vacancy FTE, less projected starters' FTE, plus projected
  leavers' FTE, month by month (never below zero). The establishment is held as
  it is today, and every starter is assumed to fill a vacant post.
- **Back-test**: the same forecast made 12 months before the as-of date from the
  24 months before that, set beside what happened in the 12 months since, with
  the error. It needs 36 months of leavers in the data.

Pure functions over a Workforce (SQL on DuckDB, numbers in numpy); no Streamlit.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

import settings as app_settings
from metrics import engine
from metrics.dates import add_months, parse_as_of
from metrics.engine import ALL, check_cuts, resolve_as_of
from metrics.registry import Params

if TYPE_CHECKING:  # pragma: no cover
    from ingest.workforce import Workforce

HISTORY_MONTHS = 24
HORIZON_MONTHS = 12
BACKTEST_MONTHS = HISTORY_MONTHS + HORIZON_MONTHS
MIN_EVENTS_FOR_CYCLE = 24
"""Events needed in the history before a yearly cycle is fitted (else every month is the average month)."""

MEASURES: dict[str, str] = {"leavers": "Leavers", "starters": "Starters", "vacancies": "Vacancies (FTE)"}
"""Measure id → how it is named on pages."""
FLOWS = ("starters", "leavers")


def interval() -> float:
    """The share of outcomes the forecast range covers: [forecast] interval, default 0.8."""
    return float(app_settings.section("forecast").get("interval", 0.8))


# ── history ───────────────────────────────────────────────────────────────────


def periods(as_of: dt.date, months: int, ahead: int = 0) -> list[tuple[dt.date, dt.date]]:
    """(after, up to) of consecutive months: the `months` ending on `as_of`, then `ahead` months after it."""
    ends = [add_months(as_of, -k) for k in range(months - 1, -1, -1)] + [add_months(as_of, k)
                                                                         for k in range(1, ahead + 1)]
    return [(add_months(as_of, k - months), end) for k, end in enumerate(ends)]


def monthly_flows(workforce: Workforce, as_of: dt.date, months: int, by: tuple[str, ...] = ("service_area",),
                  filters: tuple[tuple[str, str], ...] = ()) -> pd.DataFrame:
    """Employed starters and leavers (people and FTE) per month and group (plus All) in the `months` to `as_of`.

    Columns: month (the month's last day), the cuts, starters, starters_fte, leavers, leavers_fte.
    Every (month, group) pair is present, zero-filled.
    """
    check_cuts(by)
    spans = periods(as_of, months)
    sqlp: dict = {"lo": spans[0][0], "hi": spans[-1][1], "months": [b for _, b in spans]}
    base = engine.staff_base_sql(workforce, filters, sqlp)
    cuts = "".join(f'"{c}", ' for c in by)
    select, flag, group = engine.grouping_sets(by, lead=("month",))
    # each event's month is the first month-end on or after its day (the spans are consecutive): an ASOF join
    sql = f"""
        WITH s AS ({base}),
        ev AS (SELECT {cuts}worker_id, fte, start_date AS day, 'starters' AS kind FROM s
               WHERE is_employed AND start_date > $lo AND start_date <= $hi
               UNION ALL
               SELECT {cuts}worker_id, fte, end_date AS day, 'leavers' AS kind FROM s
               WHERE is_employed AND end_date > $lo AND end_date <= $hi),
        m AS (SELECT unnest($months) AS month)
        SELECT {select}, {flag} AS _g,
               count(DISTINCT worker_id) FILTER (WHERE kind = 'starters') AS starters,
               sum(fte) FILTER (WHERE kind = 'starters') AS starters_fte,
               count(DISTINCT worker_id) FILTER (WHERE kind = 'leavers') AS leavers,
               sum(fte) FILTER (WHERE kind = 'leavers') AS leavers_fte
        FROM ev ASOF JOIN m ON ev.day <= m.month
        {group}"""
    df = engine.label_all(workforce.cursor().execute(sql, sqlp).df(), by)
    df["month"] = pd.to_datetime(df["month"]).dt.date if len(df) else pd.Series([], dtype=object)
    groups = _groups(workforce, by, filters, df)
    grid = groups.assign(_k=1).merge(pd.DataFrame({"month": [b for _, b in spans], "_k": 1}), on="_k")
    out = grid.drop(columns="_k").merge(df, on=["month", *by], how="left")
    for c in ("starters", "starters_fte", "leavers", "leavers_fte"):
        out[c] = out[c].fillna(0).astype("float64") if c in out.columns else 0.0
    return out[["month", *by, "starters", "starters_fte", "leavers", "leavers_fte"]]


def _groups(workforce: Workforce, by: tuple[str, ...], filters: tuple[tuple[str, str], ...],
            seen: pd.DataFrame) -> pd.DataFrame:
    """Every group of the filtered staff (a group with no starters or leavers still gets a forecast of none)."""
    if not by:
        return pd.DataFrame(index=[0])
    sqlp: dict = {}
    base = engine.staff_base_sql(workforce, filters, sqlp)
    cols = ", ".join(f'"{c}"' for c in by)
    groups = workforce.cursor().execute(f"WITH s AS ({base}) SELECT DISTINCT {cols} FROM s", sqlp).df()
    groups = pd.concat([groups, seen[list(by)], pd.DataFrame({c: [ALL] for c in by})]).drop_duplicates()
    for c in by:
        groups[c] = groups[c].astype("str")
    return groups.reset_index(drop=True)


def history_start(workforce: Workforce) -> dt.date | None:
    """The earliest leaving date in the staff data: how far back the extract keeps leavers (None without any)."""
    if not workforce.has("staff") or not workforce.has_column("staff", "end_date"):
        return None
    row = workforce.cursor().execute("SELECT min(end_date) FROM staff WHERE end_date IS NOT NULL").fetchone()
    return row[0] if row and row[0] is not None else None


def covers(workforce: Workforce, as_of: dt.date, months: int) -> bool:
    """True when the data keeps leavers from (the first month of) the `months` ending on `as_of`."""
    start = history_start(workforce)
    return start is not None and start <= add_months(as_of, -(months - 1))


def why_not(workforce: Workforce, as_of: dt.date, months: int = HISTORY_MONTHS) -> str | None:
    """Why a forecast (24 months) or back-test (36) cannot be made from this data, or None when it can."""
    what = "a forecast" if months <= HISTORY_MONTHS else "the back-test"
    if not workforce.has("staff"):
        return f"{what.capitalize()} needs a staff extract (starters and leavers by date); a summary table has none."
    if not workforce.has_column("staff", "end_date"):
        return f"{what.capitalize()} needs leavers: add leaving dates (end_date) to the staff extract."
    start = history_start(workforce)
    if start is None:
        return f"{what.capitalize()} needs leavers, and the staff extract has none."
    if not covers(workforce, as_of, months):
        return (f"{what.capitalize()} needs {months} months of starters and leavers before the as-of date; the "
                f"extract keeps leavers from {start:%B %Y} only. Keep {months // 12} years of leavers in the "
                "extract to switch it on.")
    return None


# ── the model ─────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Fit:
    """A fitted monthly count model: what it predicts for given calendar months, and how sure it is."""

    coef: np.ndarray
    cov: np.ndarray
    dispersion: float
    seasonal: bool

    def design(self, months: np.ndarray) -> np.ndarray:
        """The model's columns for calendar months (1–12): constant, and sin/cos of the yearly cycle."""
        months = np.asarray(months, dtype="float64")
        if not self.seasonal:
            return np.ones((len(months), 1))
        angle = 2 * np.pi * months / 12
        return np.column_stack([np.ones(len(months)), np.sin(angle), np.cos(angle)])

    def mean(self, months: np.ndarray) -> np.ndarray:
        """Expected count in each month."""
        return np.exp(self.design(months) @ self.coef) if self.coef.size else np.zeros(len(months))

    def total(self, months: np.ndarray) -> tuple[float, float]:
        """(expected total, its variance) over the months: count variation plus the fit's own uncertainty."""
        mu = self.mean(months)
        total = float(mu.sum())
        if total <= 0:
            return 0.0, 0.0
        gradient = self.design(months).T @ mu
        return total, float(self.dispersion * total + gradient @ self.cov @ gradient)


def fit(counts: np.ndarray, months: np.ndarray) -> Fit:
    """The Poisson regression of monthly counts on the yearly cycle (or the average month: see module docstring).

    Counts may be FTE (not whole numbers): the quasi-Poisson fit only needs them to be ≥ 0.
    """
    counts = np.asarray(counts, dtype="float64")
    if counts.sum() <= 0:
        return Fit(np.array([]), np.zeros((0, 0)), 1.0, False)
    if counts.sum() < MIN_EVENTS_FOR_CYCLE:
        return fit_average(counts)
    design = Fit(np.zeros(3), np.zeros((3, 3)), 1.0, True).design(months)
    try:
        coef, information = poisson_regression(design, counts)
        mean = np.exp(design @ coef)
        pearson = float(((counts - mean) ** 2 / mean).sum()) / max(len(counts) - design.shape[1], 1)
        dispersion = max(pearson, 1.0)
        cov = np.linalg.inv(information) * dispersion
        if not np.all(np.isfinite(coef)) or not np.all(np.isfinite(cov)) or math.hypot(coef[1], coef[2]) > math.log(4):
            raise ValueError("unstable fit")
        return Fit(coef, cov, dispersion, True)
    except (ValueError, np.linalg.LinAlgError):
        return fit_average(counts)


def poisson_regression(design: np.ndarray, counts: np.ndarray, iterations: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood coefficients of a Poisson regression with a log link, and the Fisher information X'WX.

    Iteratively reweighted least squares, the textbook method (McCullagh and Nelder, *Generalized Linear Models*,
    2nd ed., §2.5), as statistical packages fit it; started from the average month.
    """
    coef = np.zeros(design.shape[1])
    coef[0] = math.log(counts.mean())
    for _ in range(iterations):
        mean = np.exp(design @ coef)
        information = design.T @ (design * mean[:, None])
        step = np.linalg.solve(information, design.T @ (counts - mean))
        coef = coef + step
        if np.max(np.abs(step)) < 1e-10:
            break
    else:
        raise ValueError("did not converge")
    mean = np.exp(design @ coef)
    return coef, design.T @ (design * mean[:, None])


def fit_average(counts: np.ndarray) -> Fit:
    """Every month as the average month (the model without a cycle), as a Poisson fit gives it in closed form."""
    counts = np.asarray(counts, dtype="float64")
    mean = counts.mean()
    dispersion = max(float(((counts - mean) ** 2 / mean).sum() / max(len(counts) - 1, 1)), 1.0)
    return Fit(np.array([math.log(mean)]), np.array([[dispersion / counts.sum()]]), dispersion, False)


def gamma_range(mean: float, variance: float, level: float) -> tuple[float, float]:
    """The central `level` range of a gamma distribution with this mean and variance ((0, 0) for a mean of 0)."""
    if mean <= 0:
        return 0.0, 0.0
    if variance <= 0:
        return mean, mean
    from scipy.special import gammaincinv

    shape, scale = mean * mean / variance, variance / mean
    low, high = (float(gammaincinv(shape, p)) * scale for p in ((1 - level) / 2, (1 + level) / 2))
    return low, high


def normal_range(mean: float, variance: float, level: float) -> tuple[float, float]:
    """The central `level` range of a normal distribution (for vacancies, which move both ways)."""
    z = NormalDist().inv_cdf((1 + level) / 2)
    half = z * math.sqrt(max(variance, 0.0))
    return mean - half, mean + half


# ── forecasts ─────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Projection:
    """One group's projection of one flow: per month and over the 12 months."""

    months: list[dt.date]
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    total: float
    total_lower: float
    total_upper: float
    total_variance: float
    cumulative: np.ndarray
    cumulative_variance: np.ndarray
    seasonal: bool
    history_total: float


def project(history: np.ndarray, history_months: list[dt.date], future_months: list[dt.date],
            level: float) -> Projection:
    """Fit a flow's history and project it over the future months."""
    cal = np.array([m.month for m in history_months])
    model = fit(history, cal)
    future = np.array([m.month for m in future_months])
    mean = model.mean(future)
    lower, upper = np.zeros(len(future)), np.zeros(len(future))
    cumulative = np.cumsum(mean)
    cumulative_var = np.zeros(len(future))
    for i in range(len(future)):
        _, var = model.total(future[i:i + 1])
        lower[i], upper[i] = gamma_range(float(mean[i]), var, level)
        cumulative_var[i] = model.total(future[:i + 1])[1]
    total, variance = model.total(future)
    low, high = gamma_range(total, variance, level)
    return Projection(list(future_months), mean, lower, upper, total, low, high, variance, cumulative, cumulative_var,
                      model.seasonal, float(np.sum(history)))


@dataclass(frozen=True)
class GroupForecast:
    """Starters, leavers and vacancies projected for one group."""

    group: str
    starters: Projection
    leavers: Projection
    starters_fte: Projection
    leavers_fte: Projection
    vacancy_now: float | None
    vacancy_mean: np.ndarray | None
    vacancy_lower: np.ndarray | None
    vacancy_upper: np.ndarray | None


def forecast_groups(workforce: Workforce, as_of: dt.date, by: tuple[str, ...] = ("service_area",),
                    filters: tuple[tuple[str, str], ...] = (), level: float | None = None,
                    vacancies: dict[str, float] | None = None) -> tuple[pd.DataFrame, dict[str, GroupForecast]]:
    """The monthly history (24 months to `as_of`) and each group's forecast for the 12 months after it.

    `vacancies` (group → vacancy FTE at `as_of`) switches on the vacancy projection.
    """
    level = interval() if level is None else level
    flows = monthly_flows(workforce, as_of, HISTORY_MONTHS, by, filters)
    history_months = [b for _, b in periods(as_of, HISTORY_MONTHS)]
    future_months = [add_months(as_of, k) for k in range(1, HORIZON_MONTHS + 1)]
    key = by[0] if by else None
    out: dict[str, GroupForecast] = {}
    groups = flows[key].unique() if key else [ALL]
    for group in groups:
        part = flows[flows[key] == group] if key else flows
        part = part.set_index("month").reindex(history_months).fillna(0)
        proj = {c: project(part[c].to_numpy(), history_months, future_months, level)
                for c in ("starters", "leavers", "starters_fte", "leavers_fte")}
        vac_now = (vacancies or {}).get(str(group))
        vac = lower = upper = None
        if vac_now is not None and not math.isnan(vac_now):
            net = proj["leavers_fte"].cumulative - proj["starters_fte"].cumulative
            var = proj["leavers_fte"].cumulative_variance + proj["starters_fte"].cumulative_variance
            vac = np.maximum(vac_now + net, 0.0)
            ranges = [normal_range(vac_now + n, v, level) for n, v in zip(net, var, strict=True)]
            lower = np.maximum([r[0] for r in ranges], 0.0)
            upper = np.maximum([r[1] for r in ranges], 0.0)
        out[str(group)] = GroupForecast(str(group), proj["starters"], proj["leavers"], proj["starters_fte"],
                                        proj["leavers_fte"], vac_now, vac, lower, upper)
    return flows, out


def _vacancy_now(workforce: Workforce, as_of: dt.date, by: tuple[str, ...],
                 filters: tuple[tuple[str, str], ...]) -> dict[str, float]:
    """Vacancy FTE per group at `as_of` from the metrics engine (empty without an establishment)."""
    from metrics.availability import availability
    from metrics.compute import compute

    if availability(workforce).get("vacancy_fte") is not None:
        return {}
    df = compute(workforce, Params(as_of.isoformat(), by, filters, ("vacancy_fte",)))
    key = by[0] if by else None
    if key is None:
        return {ALL: float(df["vacancy_fte"].iloc[0])} if len(df) else {}
    return {str(g): float(v) for g, v in zip(df[key], df["vacancy_fte"], strict=True) if pd.notna(v)}


FORECAST_COLUMNS = ["measure", "month", "kind", "value", "lower", "upper", "annual_lower", "annual_upper", "people",
                    "history_people"]


def forecast_view(workforce: Workforce, params: Params, settings=None) -> pd.DataFrame:
    """The forecast as a long table: per group (plus All) and measure, 24 actual months then 12 projected.

    Columns: the cut, measure (Leavers, Starters, Vacancies (FTE)), month, kind ('actual' or
    'projection'), value, lower and upper (the month's range, projections only), annual_lower and
    annual_upper (the range of the 12 months' total, starters and leavers projections), people (the
    month's people, actual rows) and history_people (the people the projection rests on).
    """
    by = tuple(params.by)
    check_cuts(by)
    if not workforce.has("staff"):
        return pd.DataFrame(columns=[*by, *FORECAST_COLUMNS])
    as_of = resolve_as_of(workforce, params)
    if why_not(workforce, as_of) is not None:
        return pd.DataFrame(columns=[*by, *FORECAST_COLUMNS])
    filters = tuple(params.filters)
    flows, groups = forecast_groups(workforce, as_of, by, filters,
                                    vacancies=_vacancy_now(workforce, as_of, by, filters))
    key = by[0] if by else None
    rows = []
    for name, gf in groups.items():
        hist = flows[flows[key] == name] if key else flows
        for measure in FLOWS:
            proj: Projection = getattr(gf, measure)
            for month, value in zip(hist["month"], hist[measure], strict=True):
                rows.append((name, MEASURES[measure], month, "actual", value, np.nan, np.nan, np.nan, np.nan, value,
                             proj.history_total))
            for i, month in enumerate(proj.months):
                rows.append((name, MEASURES[measure], month, "projection", proj.mean[i], proj.lower[i], proj.upper[i],
                             proj.total_lower, proj.total_upper, np.nan, proj.history_total))
        if gf.vacancy_mean is not None:
            base = min(gf.starters.history_total, gf.leavers.history_total)
            rows.append((name, MEASURES["vacancies"], as_of, "actual", gf.vacancy_now, np.nan, np.nan, np.nan, np.nan,
                         np.nan, base))
            for i, month in enumerate(gf.starters.months):
                rows.append((name, MEASURES["vacancies"], month, "projection", gf.vacancy_mean[i],
                             gf.vacancy_lower[i], gf.vacancy_upper[i], np.nan, np.nan, np.nan, base))
    df = pd.DataFrame(rows, columns=["_group", *FORECAST_COLUMNS])
    if key:
        df.insert(0, key, df.pop("_group").astype("str"))
    else:
        df = df.drop(columns="_group")
    return _ordered(df, by)


def _ordered(df: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    """Groups alphabetically with All last, then measure order, then months."""
    from metrics.compute import _sort

    order = {label: i for i, label in enumerate(MEASURES.values())}
    df = df.assign(_m=df["measure"].map(order)).sort_values(["_m", "month"], kind="stable").drop(columns="_m")
    return _sort(df, by) if by else df.reset_index(drop=True)


BACKTEST_COLUMNS = ["measure", "made_on", "forecast", "lower", "upper", "actual", "error", "error_share", "within",
                    "people", "history_people"]


def backtest_view(workforce: Workforce, params: Params, settings=None) -> pd.DataFrame:
    """The forecast made 12 months before the as-of date beside what happened since, per group and measure.

    Columns: the cut, measure, made_on (the date the forecast was made as of), forecast,
    lower, upper (its range for the 12 months), actual (what happened: starters or leavers in
    the 12 months to the as-of date, or vacancy FTE at it), error (actual − forecast),
    error_share (error ÷ actual), within (1 when the actual fell in the range, else 0), people and
    history_people (the people the actual and the forecast rest on).
    """
    by = tuple(params.by)
    check_cuts(by)
    empty = pd.DataFrame(columns=[*by, *BACKTEST_COLUMNS])
    if not workforce.has("staff"):
        return empty
    as_of = resolve_as_of(workforce, params)
    if why_not(workforce, as_of, BACKTEST_MONTHS) is not None:
        return empty
    made_on = add_months(as_of, -HORIZON_MONTHS)
    filters = tuple(params.filters)
    _, groups = forecast_groups(workforce, made_on, by, filters,
                                vacancies=_vacancy_now(workforce, made_on, by, filters))
    actual = monthly_flows(workforce, as_of, HORIZON_MONTHS, by, filters)
    key = by[0] if by else None
    vac_actual = _vacancy_now(workforce, as_of, by, filters)
    rows = []
    for name, gf in groups.items():
        part = actual[actual[key] == name] if key else actual
        for measure in FLOWS:
            proj: Projection = getattr(gf, measure)
            happened = float(part[measure].sum())
            rows.append(_backtest_row(name, MEASURES[measure], made_on, proj.total, proj.total_lower,
                                      proj.total_upper, happened, happened, proj.history_total))
        if gf.vacancy_mean is not None and name in vac_actual:
            happened_people = min(float(part["starters"].sum()), float(part["leavers"].sum()))
            base = min(gf.starters.history_total, gf.leavers.history_total)
            rows.append(_backtest_row(name, MEASURES["vacancies"], made_on, float(gf.vacancy_mean[-1]),
                                      float(gf.vacancy_lower[-1]), float(gf.vacancy_upper[-1]), vac_actual[name],
                                      happened_people, base))
    df = pd.DataFrame(rows, columns=["_group", *BACKTEST_COLUMNS])
    if key:
        df.insert(0, key, df.pop("_group").astype("str"))
    else:
        df = df.drop(columns="_group")
    order = {label: i for i, label in enumerate(MEASURES.values())}
    df = df.assign(_m=df["measure"].map(order)).sort_values("_m", kind="stable").drop(columns="_m")
    from metrics.compute import _sort

    return _sort(df, by) if by else df.reset_index(drop=True)


def _backtest_row(group: str, measure: str, made_on: dt.date, forecast: float, lower: float, upper: float,
                  actual: float, people: float, history: float) -> tuple:
    error = actual - forecast
    share = error / actual if actual else np.nan
    within = 1.0 if lower - 1e-9 <= actual <= upper + 1e-9 else 0.0
    return (group, measure, made_on, forecast, lower, upper, actual, round(error, 9), share, within, people, history)


def as_of_of(params: Params, workforce: Workforce) -> dt.date:
    """The as-of date a request means (the one asked for, else the data's default)."""
    return parse_as_of(params.as_of) or resolve_as_of(workforce, params)
