"""Every dataset a page shows (VIEWS), each computed from a Workforce and Params.

A View's DataFrame always carries the people count(s) each rate, median or
average is built on (`people_columns`, `rate_columns`), so a shared snapshot can
suppress small numbers. No individual's value ever leaves this module: salary
and caseload distributions are binned counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from metrics import engine, voice
from metrics.availability import availability
from metrics.compute import _sort, compute, series
from metrics.dates import census_date, month_end, month_ends
from metrics.engine import ALL, EIP, NOT_RECORDED, check_cuts, div, grouping_sets, label_all, resolve_as_of
from metrics.registry import Params, View
from metrics.settings import Settings, resolve
from metrics.summary import summary_figures

if TYPE_CHECKING:  # pragma: no cover
    from ingest.workforce import Workforce

SERVICE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("Under 2 years", 0, 2), ("2 to under 5 years", 2, 5), ("5 to under 10 years", 5, 10),
    ("10 to under 20 years", 10, 20), ("20 to under 30 years", 20, 30), ("30 years or more", 30, None),
)
"""DfE length-of-service bands: (label, from years, to years)."""

CASELOAD_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("1–5", 1, 5), ("6–10", 6, 10), ("11–15", 11, 15), ("16–20", 16, 20), ("21–25", 21, 25),
    ("26–30", 26, 30), ("31 or more", 31, None),
)
SPAN_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("1–2", 1, 2), ("3–4", 3, 4), ("5–6", 5, 6), ("7–8", 7, 8), ("9–10", 9, 10), ("11–12", 11, 12),
    ("13 or more", 13, None),
)
SALARY_BIN = 2500
"""Width (£) of the salary distribution's bins."""
FUNNEL_STAGES: tuple[str, ...] = ("applications", "shortlisted", "interviewed", "offers", "appointed")


# ── helpers ───────────────────────────────────────────────────────────────────


def _staff_with(workforce: Workforce, params: Params, sqlp: dict) -> str:
    """'WITH s AS (...), p AS (...)': filtered staff, and p = staff rows with their flags at the as-of date."""
    sqlp["as_of"] = resolve_as_of(workforce, params)
    base = engine.staff_base_sql(workforce, tuple(params.filters), sqlp)
    return f"""WITH s AS ({base}),
        p AS (SELECT s.*, worker_type IN {engine._EMPLOYED_SQL} AS employed, worker_type = 'agency' AS agency,
                     start_date <= $as_of AND (end_date IS NULL OR end_date > $as_of) AS in_post,
                     end_date > CAST($as_of - INTERVAL 12 MONTH AS DATE) AND end_date <= $as_of AS left_w
              FROM s)"""


def _run(workforce: Workforce, sql: str, sqlp: dict) -> pd.DataFrame:
    """Execute with only the parameters the SQL uses."""
    return workforce.cursor().execute(sql, {k: v for k, v in sqlp.items() if f"${k}" in sql}).df()


def _band_case(expr: str, bands: tuple[tuple[str, int, int | None], ...]) -> str:
    """CASE expression labelling `expr` with the band it falls in (integer bands, inclusive upper)."""
    whens = " ".join(
        f"WHEN {expr} <= {hi} THEN '{label}'" if hi is not None else f"ELSE '{label}'" for label, _, hi in bands
    )
    return f"CASE {whens} END"


def _complete(df: pd.DataFrame, by: tuple[str, ...], band_col: str, bands: list[str],
              count_cols: list[str]) -> pd.DataFrame:
    """Every (group, band) pair present, zero-filled counts, bands in their natural order."""
    groups = df[list(by)].drop_duplicates() if by else pd.DataFrame(index=[0])
    grid = groups.assign(_k=1).merge(pd.DataFrame({band_col: bands, "_k": 1}), on="_k").drop(columns="_k")
    out = grid.merge(df, on=[*by, band_col], how="left")
    for c in count_cols:
        out[c] = out[c].fillna(0).astype("int64")
    out["_band"] = out[band_col].map({b: i for i, b in enumerate(bands)})
    out = out.sort_values("_band", kind="stable").drop(columns="_band")
    return _sort(out, by) if by else out.reset_index(drop=True)


def _shares(df: pd.DataFrame, by: tuple[str, ...], count: str, share: str) -> pd.DataFrame:
    """Add `share` = count ÷ the group's total count."""
    total = df.groupby(list(by), dropna=False)[count].transform("sum") if by else df[count].sum()
    df[share] = div(df[count], total if by else pd.Series(total, index=df.index))
    return df


def _cuts(params: Params, default: tuple[str, ...]) -> tuple[str, ...]:
    """The grouping to use: params.by, or the view's default when empty."""
    by = tuple(params.by) if params.by else default
    check_cuts(by)
    return by


# ── figure tables ─────────────────────────────────────────────────────────────


def figures_view(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """The figure table (= metrics.compute), with the people counts the rates are built on.

    The counts are staff figures, so asking for them with the others (one statement, not two) adds
    columns and never rows: the table is the one `compute` gives, with the counts after it.
    """
    if not workforce.has("staff") or not params.figures:
        return compute(workforce, params, settings)
    extra = tuple(f for f in ("headcount_in_post", "leavers_headcount") if f not in params.figures)
    return compute(workforce, Params(params.as_of, params.by, params.filters, (*params.figures, *extra)), settings)


def series_view(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """The monthly series (= metrics.series)."""
    return series(workforce, params, settings=settings)


def starters_leavers_by_month(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Employed starters and leavers in each calendar month of the 24 months to the as-of date (not rolling).

    The last month runs to the as-of date and is labelled with it (e.g. 29 September 2026: part of a month).
    """
    by = tuple(params.by)
    check_cuts(by)
    cols = ["month", *by, "starters_headcount", "starters_fte", "leavers_headcount", "leavers_fte"]
    if not workforce.has("staff"):
        return pd.DataFrame(columns=cols)
    sqlp: dict = {}
    with_sql = _staff_with(workforce, params, sqlp)
    months = month_ends(month_end(sqlp["as_of"]), 24)
    sqlp["lo"] = months[0].replace(day=1)
    select, flag, group = grouping_sets(by, lead=("month",))
    sql = f"""{with_sql},
        ev AS (SELECT last_day(start_date) AS month, *, 'start' AS kind FROM p
               WHERE employed AND start_date >= $lo AND start_date <= $as_of
               UNION ALL
               SELECT last_day(end_date) AS month, *, 'leave' AS kind FROM p
               WHERE employed AND end_date >= $lo AND end_date <= $as_of)
        SELECT {select}, {flag} AS _g,
               count(DISTINCT worker_id) FILTER (WHERE kind = 'start') AS starters_headcount,
               coalesce(sum(fte) FILTER (WHERE kind = 'start'), 0) AS starters_fte,
               count(DISTINCT worker_id) FILTER (WHERE kind = 'leave') AS leavers_headcount,
               coalesce(sum(fte) FILTER (WHERE kind = 'leave'), 0) AS leavers_fte
        FROM ev {group}"""
    df = label_all(_run(workforce, sql, sqlp), by)
    df["month"] = pd.to_datetime(df["month"]).dt.date
    as_of = sqlp["as_of"]
    if months[-1] != as_of:  # the as-of date's month is counted up to the as-of date: labelled with that date
        df["month"] = [as_of if m == months[-1] else m for m in df["month"]]
        months = [*months[:-1], as_of]
    groups = df[list(by)].drop_duplicates() if by else pd.DataFrame(index=[0])
    if by and not (groups[by[0]] == ALL).any():
        groups = pd.concat([groups, pd.DataFrame({c: [ALL] for c in by})], ignore_index=True)
    grid = groups.assign(_k=1).merge(pd.DataFrame({"month": months, "_k": 1}), on="_k").drop(columns="_k")
    out = grid.merge(df, on=["month", *by], how="left")
    for c in cols[len(by) + 1:]:
        out[c] = out[c].fillna(0)
    for c in ("starters_headcount", "leavers_headcount"):
        out[c] = out[c].astype("int64")
    return _sort(out[cols], by, lead=("month",))


def leavers_by_reason(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Employed leavers in the 12 months by leaving reason: headcount, FTE and share of the group's leavers."""
    by = tuple(params.by)
    check_cuts(by)
    cols = [*by, "leaving_reason", "leavers_headcount", "leavers_fte", "share"]
    if not workforce.has("staff"):
        return pd.DataFrame(columns=cols)
    sqlp: dict = {}
    with_sql = _staff_with(workforce, params, sqlp)
    select, flag, group = grouping_sets(by, lead=("leaving_reason",))
    sql = f"""{with_sql},
        lv AS (SELECT * REPLACE (coalesce(leaving_reason, 'not known') AS leaving_reason) FROM p
               WHERE employed AND left_w)
        SELECT {select}, {flag} AS _g, count(DISTINCT worker_id) AS leavers_headcount, sum(fte) AS leavers_fte
        FROM lv {group}"""
    df = label_all(_run(workforce, sql, sqlp), by)
    df = _shares(df, by, "leavers_headcount", "share")
    df["leavers_headcount"] = df["leavers_headcount"].astype("int64")
    df = df.sort_values(["leavers_headcount", "leaving_reason"], ascending=[False, True], kind="stable")
    return _sort(df[cols], by)


def length_of_service(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Employed headcount in post by DfE length-of-service band, with each band's share of the group."""
    by = tuple(params.by)
    check_cuts(by)
    cols = [*by, "band", "headcount", "share"]
    if not workforce.has("staff"):
        return pd.DataFrame(columns=cols)
    sqlp: dict = {}
    with_sql = _staff_with(workforce, params, sqlp)
    whens = " ".join(
        f"WHEN start_date > CAST($as_of - INTERVAL {hi} YEAR AS DATE) THEN '{label}'"
        for label, _, hi in SERVICE_BANDS if hi is not None
    )
    band = f"CASE {whens} ELSE '{SERVICE_BANDS[-1][0]}' END"
    select, flag, group = grouping_sets(by, lead=("band",))
    sql = f"""{with_sql},
        b AS (SELECT *, {band} AS band FROM p WHERE {EIP})
        SELECT {select}, {flag} AS _g, count(DISTINCT worker_id) AS headcount FROM b {group}"""
    df = label_all(_run(workforce, sql, sqlp), by)
    df = _complete(df, by, "band", [b[0] for b in SERVICE_BANDS], ["headcount"])
    df = _shares(df, by, "headcount", "share")
    return df[cols]


def turnover_by_role(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Turnover (FTE and headcount) per role, with the counts it is built on."""
    ids = ("fte_in_post", "headcount_in_post", "leavers_fte", "leavers_headcount", "turnover_rate",
           "turnover_rate_headcount")
    by = _cuts(params, ("role",))
    return compute(workforce, Params(params.as_of, by, params.filters, ids), settings)


# ── vacancies and agency ──────────────────────────────────────────────────────


def vacancies(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Per establishment group: funded FTE, FTE in post, vacancy FTE, agency FTE, agency cover, and rates."""
    by = _cuts(params, ("service_area",))
    cols = [*by, "funded_fte", "fte_in_post", "headcount_in_post", "vacancy_fte", "vacancy_rate", "agency_fte",
            "agency_headcount", "covered_fte", "agency_covering_vacancies"]
    if availability(workforce).get("vacancy_rate") is not None or not workforce.has("establishment"):
        return pd.DataFrame(columns=cols)  # off, or (summary upload) given as rates with no establishment lines
    v = engine.establishment_lines(workforce, tuple(params.filters), resolve_as_of(workforce, params), by)
    if v is None:
        return pd.DataFrame(columns=cols)
    for c in by:
        if c not in v.columns:
            v[c] = ALL
    out = pd.DataFrame({c: v[c] for c in by})
    out["funded_fte"] = v["funded_fte"].astype("float64")
    out["fte_in_post"] = v["fte_ip"].astype("float64")
    out["headcount_in_post"] = v["hc_ip"].astype("int64")
    out["vacancy_fte"] = v["vac_fte"].astype("float64")
    out["vacancy_rate"] = div(v["vac_fte"], v["vac_fte"] + v["fte_ip"])
    out["agency_fte"] = v["ag_fte"].astype("float64")
    out["agency_headcount"] = v["ag_hc"].astype("int64")
    out["covered_fte"] = v["covered_fte"].astype("float64")
    out["agency_covering_vacancies"] = div(v["covered_fte"], v["vac_fte"])
    return _sort(out[cols], by)


def agency_placements(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Agency workers in post by team: headcount, FTE, placements over 12 months and their share."""
    by = _cuts(params, ("team",))
    cols = [*by, "agency_headcount", "agency_fte", "agency_over_12_months", "share_over_12_months"]
    if availability(workforce).get("agency_fte") is not None:
        return pd.DataFrame(columns=cols)
    settings = resolve(settings)
    a = engine.staff_aggregates(workforce, by, tuple(params.filters), [resolve_as_of(workforce, params)],
                                ["ag_hc", "ag_fte", "ag_12"], settings)
    out = a[list(by)].copy()
    out["agency_headcount"] = a["ag_hc"].astype("int64")
    out["agency_fte"] = a["ag_fte"].astype("float64")
    out["agency_over_12_months"] = a["ag_12"].astype("int64")
    out["share_over_12_months"] = div(a["ag_12"], a["ag_hc"])
    return _sort(out[cols], by)


def agency_cost(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Agency headcount, FTE, estimated annual cost and premium per group."""
    by = _cuts(params, ("service_area",))
    avail = availability(workforce)
    ids = tuple(f for f in ("agency_fte", "agency_annual_cost", "agency_premium") if avail.get(f) is None)
    if not ids or "agency_annual_cost" not in ids:
        return pd.DataFrame(columns=[*by, "agency_headcount", "agency_fte", "agency_annual_cost", "agency_premium"])
    df = compute(workforce, Params(params.as_of, by, params.filters, ids), settings)
    settings = resolve(settings)
    a = engine.staff_aggregates(workforce, by, tuple(params.filters), [resolve_as_of(workforce, params)],
                                ["ag_hc"], settings)
    a = a.rename(columns={"ag_hc": "agency_headcount"})[[*by, "agency_headcount"]]
    df = df.merge(a, on=list(by), how="left") if by else df.assign(agency_headcount=a["agency_headcount"].iloc[0])
    df["agency_headcount"] = df["agency_headcount"].fillna(0).astype("int64")
    if "agency_premium" not in df.columns:
        df["agency_premium"] = np.nan
    return df[[*by, "agency_headcount", "agency_fte", "agency_annual_cost", "agency_premium"]]


def cap_breaches_by_role(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Per role with a cap: the cap, agency workers in post with a rate, breaches, median hourly rate."""
    cols = ["role", "max_hourly_rate", "agency_headcount", "cap_breaches", "median_hourly_rate"]
    if availability(workforce).get("cap_breaches") is not None:
        return pd.DataFrame(columns=cols)
    sqlp: dict = {}
    with_sql = _staff_with(workforce, params, sqlp)
    sql = f"""{with_sql},
        cp AS (SELECT trim(role) AS role, lower(trim(role)) AS rk, min(max_hourly_rate) AS max_hourly_rate
               FROM agency_caps GROUP BY ALL),
        a AS (SELECT * FROM p WHERE agency AND in_post AND hourly_rate IS NOT NULL)
        SELECT cp.role, any_value(cp.max_hourly_rate) AS max_hourly_rate,
               count(DISTINCT a.worker_id) AS agency_headcount,
               count(DISTINCT a.worker_id) FILTER (WHERE a.hourly_rate > cp.max_hourly_rate) AS cap_breaches,
               median(a.hourly_rate) AS median_hourly_rate
        FROM cp LEFT JOIN a ON lower(trim(a.role)) = cp.rk
        GROUP BY cp.role ORDER BY cp.role"""
    df = _run(workforce, sql, sqlp)
    for c in ("agency_headcount", "cap_breaches"):
        df[c] = df[c].astype("int64")
    return df[cols]


# ── pay ───────────────────────────────────────────────────────────────────────


def salary_gap_by_role_grade(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Per role and grade: headcount, median salary, market median and its source, salary gap; plus All."""
    cols = ["role", "grade", "headcount", "median_salary", "market_median_salary", "source", "salary_gap"]
    if availability(workforce).get("salary_gap") is not None:
        return pd.DataFrame(columns=cols)
    sqlp: dict = {}
    with_sql = _staff_with(workforce, params, sqlp)
    sql = f"""{with_sql},
        mk AS (SELECT lower(trim(role)) AS rk, lower(trim(grade)) AS gk, avg(market_median_salary) AS mm,
                      string_agg(DISTINCT source, '; ') AS src
               FROM market_pay WHERE market_median_salary > 0 GROUP BY ALL),
        e AS (SELECT p.role, p.grade, p.worker_id, p.annual_salary,
                     coalesce(mg.mm, mr.mm) AS market, coalesce(mg.src, mr.src) AS source
              FROM p
              LEFT JOIN mk mg ON mg.rk = lower(trim(p.role)) AND mg.gk IS NOT NULL
                              AND mg.gk = lower(trim(p.grade))
              LEFT JOIN mk mr ON mr.rk = lower(trim(p.role)) AND mr.gk IS NULL
              WHERE {EIP} AND p.annual_salary IS NOT NULL)
        SELECT role, grade, GROUPING(role, grade) AS _g, count(DISTINCT worker_id) AS headcount,
               median(annual_salary) AS median_salary,
               CASE WHEN GROUPING(role, grade) = 0 THEN any_value(market) END AS market_median_salary,
               CASE WHEN GROUPING(role, grade) = 0 THEN any_value(source) END AS source,
               median(annual_salary / market - 1) FILTER (WHERE market > 0) AS salary_gap
        FROM e GROUP BY GROUPING SETS ((role, grade), ())"""
    df = label_all(_run(workforce, sql, sqlp), ("role", "grade"))
    df["headcount"] = df["headcount"].astype("int64")
    for c in ("median_salary", "market_median_salary", "salary_gap"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    return _sort(df[cols], ("role", "grade"))


def salary_distribution(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Counts of employed staff in post per £2,500 salary band (never individual salaries), per group."""
    by = tuple(params.by)
    check_cuts(by)
    cols = [*by, "band_from", "band_to", "band", "headcount"]
    if availability(workforce).get("median_salary") is not None:
        return pd.DataFrame(columns=cols)
    sqlp: dict = {"bin": SALARY_BIN}
    with_sql = _staff_with(workforce, params, sqlp)
    select, flag, group = grouping_sets(by, lead=("band_from",))
    sql = f"""{with_sql},
        b AS (SELECT *, CAST(floor(annual_salary / $bin) * $bin AS BIGINT) AS band_from FROM p
              WHERE {EIP} AND annual_salary IS NOT NULL)
        SELECT {select}, {flag} AS _g, count(DISTINCT worker_id) AS headcount FROM b {group}"""
    df = label_all(_run(workforce, sql, sqlp), by)
    df["band_from"] = df["band_from"].astype("int64")
    df["band_to"] = df["band_from"] + SALARY_BIN
    df["band"] = [f"£{lo:,}–£{hi:,}" for lo, hi in zip(df["band_from"], df["band_to"], strict=True)]
    df["headcount"] = df["headcount"].astype("int64")
    df = df.sort_values("band_from", kind="stable")[cols]
    return _sort(df, by) if by else df.reset_index(drop=True)


def gender_pay(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Gender pay gap (mean, median) and men's and women's shares of each pay quartile.

    Rows: 'Lower', 'Lower middle', 'Upper middle', 'Upper' quartile, and 'All'
    (which carries the mean and median gaps). Quartiles split the employed staff
    in post ranked by hourly pay into four groups as equal as possible.
    """
    cols = ["quartile", "men", "women", "men_share", "women_share", "mean_gap", "median_gap"]
    if availability(workforce).get("gender_pay_gap_mean") is not None:
        return pd.DataFrame(columns=cols)
    settings = resolve(settings)
    sqlp: dict = {"hours": settings.standard_weekly_hours}
    with_sql = _staff_with(workforce, params, sqlp)
    sql = f"""{with_sql},
        h AS (SELECT worker_id, gender, annual_salary / (52 * $hours) AS hourly FROM p
              WHERE {EIP} AND annual_salary IS NOT NULL AND gender IN ('male', 'female')),
        q AS (SELECT *, ntile(4) OVER (ORDER BY hourly, gender, worker_id) AS quartile FROM h)
        SELECT quartile, count(*) FILTER (WHERE gender = 'male') AS men,
               count(*) FILTER (WHERE gender = 'female') AS women,
               avg(hourly) FILTER (WHERE gender = 'male') AS m_mean, avg(hourly) FILTER (WHERE gender = 'female')
                   AS f_mean,
               median(hourly) FILTER (WHERE gender = 'male') AS m_med,
               median(hourly) FILTER (WHERE gender = 'female') AS f_med, GROUPING(quartile) AS _g
        FROM q GROUP BY GROUPING SETS ((quartile), ())"""
    df = _run(workforce, sql, sqlp)
    names = {1: "Lower", 2: "Lower middle", 3: "Upper middle", 4: "Upper"}
    df["order"] = [5 if g else int(q) for q, g in zip(df["quartile"], df["_g"], strict=True)]
    df = pd.DataFrame({"order": [1, 2, 3, 4, 5]}).merge(df.drop(columns=["quartile"]), on="order", how="left")
    df["quartile"] = [names.get(o, ALL) for o in df["order"]]
    for c in ("men", "women"):
        df[c] = df[c].fillna(0)
    total = df["men"] + df["women"]
    df["men_share"] = div(df["men"], total)
    df["women_share"] = div(df["women"], total)
    is_all = df["quartile"] == ALL
    df["mean_gap"] = div(df["m_mean"] - df["f_mean"], df["m_mean"]).where(is_all)
    df["median_gap"] = div(df["m_med"] - df["f_med"], df["m_med"]).where(is_all)
    for c in ("men", "women"):
        df[c] = df[c].astype("int64")
    return df[cols]


# ── workload ──────────────────────────────────────────────────────────────────


def caseload_distribution(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Case holders in post (agency included) per caseload band, per group."""
    by = tuple(params.by)
    check_cuts(by)
    cols = [*by, "band", "case_holders"]
    if availability(workforce).get("average_caseload") is not None:
        return pd.DataFrame(columns=cols)
    sqlp: dict = {}
    with_sql = _staff_with(workforce, params, sqlp)
    select, flag, group = grouping_sets(by, lead=("band",))
    sql = f"""{with_sql},
        b AS (SELECT *, {_band_case("caseload", CASELOAD_BANDS)} AS band FROM p
              WHERE in_post AND caseload >= 1 AND fte > 0)
        SELECT {select}, {flag} AS _g, count(DISTINCT worker_id) AS case_holders FROM b {group}"""
    df = label_all(_run(workforce, sql, sqlp), by)
    return _complete(df, by, "band", [b[0] for b in CASELOAD_BANDS], ["case_holders"])[cols]


def nq_caseload(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Per team: newly qualified case holders, their average caseload, the team average and protected level."""
    by = _cuts(params, ("team",))
    cols = [*by, "nq_case_holders", "nq_average_caseload", "team_average_caseload", "protected_level",
            "nq_above_protected_caseload", "case_holders"]
    if availability(workforce).get("nq_above_protected_caseload") is not None:
        return pd.DataFrame(columns=cols)
    settings = resolve(settings)
    as_of = resolve_as_of(workforce, params)
    a = engine.staff_aggregates(workforce, by, tuple(params.filters), [as_of],
                                ["nq_hc", "nq_cases", "nq_fte", "nq_above", "cases", "case_fte", "ch_hc"], settings)
    out = a[list(by)].copy()
    out["nq_case_holders"] = a["nq_hc"].astype("int64")
    out["nq_average_caseload"] = div(a["nq_cases"], a["nq_fte"])
    out["team_average_caseload"] = div(a["cases"], a["case_fte"])
    out["protected_level"] = np.nan  # the protected level is set per team, at its service area's protected share
    if by == ("team",):
        areas = dict(zip(engine.team_keys(workforce)["team_key"], engine.team_keys(workforce)["service_area"],
                         strict=True))
        year = census_date(as_of).year
        shares = []
        for team in out["team"]:
            found = settings.standard("protected_caseload_share", areas.get(team), None, year, team=team)
            shares.append(np.nan if found is None else found.value)
        out["protected_level"] = out["team_average_caseload"] * pd.Series(shares, index=out.index, dtype="float64")
    out["nq_above_protected_caseload"] = a["nq_above"].astype("int64")
    out["case_holders"] = a["ch_hc"].astype("int64")
    return _sort(out[cols], by)


def span_of_control(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Managers per band of direct reports in post, per group, flagging bands above the threshold."""
    by = tuple(params.by)
    check_cuts(by)
    cols = [*by, "band", "managers", "above_threshold"]
    if availability(workforce).get("average_span_of_control") is not None:
        return pd.DataFrame(columns=cols)
    settings = resolve(settings)
    sqlp: dict = {}
    as_of = resolve_as_of(workforce, params)
    rows = engine.span_rows_sql(workforce, as_of, sqlp)
    limit = engine.span_limit_sql(workforce, settings, as_of, sqlp, "j.")
    where = engine.filter_sql(tuple(params.filters), sqlp, alias="j.", coalesce=False)
    select, flag, group = grouping_sets(by, lead=("band",))
    lows = " ".join(f"WHEN '{label}' THEN {lo}" for label, lo, _ in SPAN_BANDS)
    sql = f"""WITH j AS ({rows}),
        b AS (SELECT *, {_band_case("reports", SPAN_BANDS)} AS band, {limit} AS span_limit
              FROM j {"WHERE " + where if where else ""})
        SELECT {select}, {flag} AS _g, count(*) AS managers,
               bool_and((CASE band {lows} END) > span_limit) AS above_threshold FROM b {group}"""
    df = label_all(_run(workforce, sql, sqlp), by)
    above = df[[*by, "band", "above_threshold"]] if len(df) else None
    df = _complete(df.drop(columns=["above_threshold"]), by, "band", [b[0] for b in SPAN_BANDS], ["managers"])
    # a band is above the standard when every manager in it is above their own group's (an empty band: when
    # it starts above the standard of every group in view)
    default = settings.span_of_control_threshold
    flags = {tuple(r[:-1]): bool(r[-1]) for r in above.itertuples(index=False)} if above is not None else {}
    lows_of = {label: lo for label, lo, _ in SPAN_BANDS}
    df["above_threshold"] = [flags.get((*[getattr(r, c) for c in by], r.band), lows_of[r.band] > default)
                             for r in df.itertuples(index=False)]
    return df[cols]


def absence(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Per group: FTE and headcount in post with absence recorded, days lost, days per FTE, absence rate."""
    by = _cuts(params, ("service_area",))
    cols = [*by, "headcount_in_post", "fte_in_post", "working_days_lost", "days_per_fte", "absence_rate"]
    if availability(workforce).get("absence_rate") is not None:
        return pd.DataFrame(columns=cols)
    settings = resolve(settings)
    a = engine.staff_aggregates(workforce, by, tuple(params.filters), [resolve_as_of(workforce, params)],
                                ["abs_hc", "abs_fte", "abs_days"], settings)
    out = a[list(by)].copy()
    out["headcount_in_post"] = a["abs_hc"].astype("int64")
    out["fte_in_post"] = a["abs_fte"].astype("float64")
    out["working_days_lost"] = a["abs_days"].astype("float64")
    out["days_per_fte"] = div(a["abs_days"], a["abs_fte"])
    out["absence_rate"] = div(a["abs_days"], a["abs_fte"] * settings.working_days_per_fte)
    return _sort(out[cols], by)


# ── recruitment ───────────────────────────────────────────────────────────────


def recruitment_funnel(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Candidates at each stage (applications → appointed) for adverts placed in the 12 months, per group."""
    by = tuple(c for c in (params.by or ("service_area",)) if c in engine.RECRUITMENT_CUTS)
    cols = [*by, "stage", "count", "adverts"]
    if availability(workforce).get("applications_per_advert") is not None:
        return pd.DataFrame(columns=cols)
    sqlp: dict = {"as_of": resolve_as_of(workforce, params)}
    where = engine.filter_sql(tuple(params.filters), sqlp, allowed=set(engine.RECRUITMENT_CUTS), alias="r.")
    if where is None:
        return pd.DataFrame(columns=cols)
    select, flag, group = grouping_sets(by)
    sums = ", ".join(f"coalesce(sum({s}), 0) AS {s}" for s in FUNNEL_STAGES)
    sql = f"""
        WITH r AS (SELECT * REPLACE (coalesce(service_area, '{NOT_RECORDED}') AS service_area,
                                     coalesce(role, '{NOT_RECORDED}') AS role)
                   FROM recruitment r
                   WHERE advert_date > CAST($as_of - INTERVAL 12 MONTH AS DATE) AND advert_date <= $as_of
                   {"AND " + where if where else ""})
        SELECT {select + ", " if select else ""}{flag} AS _g, {sums}, count(*) AS adverts FROM r {group}"""
    df = label_all(_run(workforce, sql, sqlp), by)
    long = df.melt(id_vars=[*by, "adverts"], value_vars=list(FUNNEL_STAGES), var_name="stage", value_name="count")
    long["stage"] = pd.Categorical(long["stage"], categories=list(FUNNEL_STAGES), ordered=True)
    long = long.sort_values("stage", kind="stable")
    long["stage"] = long["stage"].astype("str")
    long["count"] = long["count"].astype("int64")
    return _sort(long[cols], by)


def summary_rows(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """The summary upload's rows with their figures and DfE symbols (empty without a summary table)."""
    if not workforce.has("summary"):
        return pd.DataFrame(columns=["service_area", "period"])
    return summary_figures(workforce, params, resolve(settings))


COMPARATOR_COLUMNS: dict[str, str] = {
    "group": "group", "figure": "comparator_figure", "value": "comparator_value", "year": "year",
    "geography": "geography", "source": "source", "licence": "licence",
}
"""Columns of the comparators view, from the uploaded table's (named so no exit mistakes it for a long series)."""


def comparators_view(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """The benchmarks the council uploaded (the `comparators` table) as loaded: published figures, not people's."""
    cols = list(COMPARATOR_COLUMNS.values())
    if not workforce.has("comparators"):
        return pd.DataFrame(columns=cols)
    select = ", ".join(f'"{source}" AS "{shown}"' for source, shown in COMPARATOR_COLUMNS.items())
    return workforce.df(f"SELECT {select} FROM comparators")


_ON_HC = ("headcount_in_post",)
_ON_LEAVERS = ("headcount_in_post", "leavers_headcount")
_RATE_ON_HC: dict[str, str | tuple[str, ...]] = {
    f: "headcount_in_post" for f in ("fte_in_post", "vacancy_rate", "salary_gap", "median_salary", "absence_rate",
                                     "share_newly_qualified", "share_under_3_years_qualified")}
_RATE_ON_HC.update({f: _ON_LEAVERS for f in ("turnover_rate", "turnover_rate_headcount", "crude_turnover_cipd",
                                             "stability_index")})
_RATE_ON_HC.update({f: ("headcount_in_post", "agency_headcount") for f in ("agency_rate", "agency_rate_headcount")})
_RATE_ON_HC["share_under_2_years_service"] = ("headcount_in_post", f"headcount_in_post[band={SERVICE_BANDS[0][0]}]")
_RATE_ON_HC["net_change_fte"] = ("headcount_in_post", "starters_headcount", "leavers_headcount")
_RATE_ON_AGENCY_HC = {f: "agency_headcount" for f in ("agency_fte", "agency_annual_cost", "agency_premium",
                                                        "agency_covering_vacancies")}
"""What each figure rests on, numerator and denominator: a turnover rate times the headcount would give a
hidden number of leavers back, so turnover rests on both. Agency FTE and money rest on the agency workers
in the group, however many employees it has (one worker's cost would reveal their rate). The agency rate
rests on both the people in post and the agency workers: with FTE in post shown, a rate from one to four
agency workers would give their FTE away."""
_RATE_ON_HC["employed_annual_cost"] = "headcount_in_post"
_RATE_ON_HC["workforce_annual_cost"] = ("headcount_in_post", "agency_headcount")
_RATE_ON_AGENCY_HC["agency_premium_cost"] = "agency_headcount"
"""Costs (issue #16): a pay bill rests on the people paid, a workforce cost on employees and agency workers."""

_AGENCY_TO = ("leavers_headcount", (("leaving_reason", "moved to agency work"),))
"""Leavers to agency work are the leavers-by-reason row of that reason: one cell in two views."""

VIEWS: dict[str, View] = {v.name: v for v in (
    View("figures", "Figures", figures_view,
         by_options=(("service_area",), ("team",), ("role",), ("grade",), ("service_area", "team"), ()),
         people_columns=("headcount_in_post", "agency_headcount", "starters_headcount", "leavers_headcount",
                         "leavers_first_year", "leavers_to_agency", "agency_over_12_months", "cap_breaches",
                         "nq_above_protected_caseload", "managers_above_span", "vacancies_filled"),
         rate_columns={**_RATE_ON_HC, **_RATE_ON_AGENCY_HC, "starters_fte": "starters_headcount",
                       "leavers_fte": "leavers_headcount"},
         measures={"leavers_to_agency": _AGENCY_TO}, needs=("staff|summary",)),
    View("series", "Monthly series", series_view, by_options=(("service_area",), ("team",), ("role",), ())),
    View("starters_leavers_by_month", "Starters and leavers by month", starters_leavers_by_month,
         by_options=((), ("service_area",), ("team",), ("role",)),
         people_columns=("starters_headcount", "leavers_headcount"),
         rate_columns={"starters_fte": "starters_headcount", "leavers_fte": "leavers_headcount"},
         measures={"starters_headcount": "starters_in_month", "leavers_headcount": "leavers_in_month"}),
    View("leavers_by_reason", "Leavers by reason", leavers_by_reason, by_options=((), ("service_area",)),
         people_columns=("leavers_headcount",),
         rate_columns={"leavers_fte": "leavers_headcount", "share": ("leavers_headcount", "total:leavers_headcount")},
         categories=("leaving_reason",)),
    View("length_of_service", "Length of service", length_of_service, by_options=((), ("service_area",)),
         people_columns=("headcount",), rate_columns={"share": ("headcount", "total:headcount")},
         categories=("band",), measures={"headcount": "headcount_in_post"}),
    View("turnover_by_role", "Turnover by role", turnover_by_role, by_options=(("role",), ("role", "grade")),
         people_columns=("headcount_in_post", "leavers_headcount"),
         rate_columns={"fte_in_post": "headcount_in_post", "leavers_fte": "leavers_headcount",
                       "turnover_rate": _ON_LEAVERS, "turnover_rate_headcount": _ON_LEAVERS}),
    View("vacancies", "Vacancies", vacancies,
         by_options=(("service_area",), ("team",), ("role",), ("service_area", "team")),
         people_columns=("headcount_in_post", "agency_headcount"),
         rate_columns={"fte_in_post": "headcount_in_post", "vacancy_rate": "headcount_in_post",
                       "agency_fte": "agency_headcount", "agency_covering_vacancies": "agency_headcount",
                       "covered_fte": "agency_headcount"},
         needs=("staff", "establishment"),
         measures={"headcount_in_post": "vacancies.headcount_in_post",
                   "agency_headcount": "vacancies.agency_headcount"}),
    View("recruitment_funnel", "Recruitment funnel", recruitment_funnel,
         by_options=(("service_area",), ("role",), ()), people_columns=("count",), needs=("recruitment",),
         measures={"count": "recruitment.candidates"}),
    View("agency_placements", "Agency placements", agency_placements, by_options=(("team",), ("service_area",)),
         people_columns=("agency_headcount", "agency_over_12_months"),
         rate_columns={"agency_fte": "agency_headcount",
                       "share_over_12_months": ("agency_headcount", "agency_over_12_months")}),
    View("agency_cost", "Agency cost", agency_cost, by_options=(("service_area",), ("team",), ("role",)),
         people_columns=("agency_headcount",),
         rate_columns={"agency_fte": "agency_headcount", "agency_annual_cost": "agency_headcount",
                       "agency_premium": "agency_headcount"}),
    View("cap_breaches_by_role", "Agency pay cap breaches by role", cap_breaches_by_role, by_options=(("role",),),
         people_columns=("agency_headcount", "cap_breaches"),
         rate_columns={"median_hourly_rate": "agency_headcount"}, needs=("staff", "agency_caps"),
         measures={"agency_headcount": "cap.agency_headcount", "cap_breaches": "cap.cap_breaches"}),
    View("salary_gap_by_role_grade", "Salary gap by role and grade", salary_gap_by_role_grade,
         by_options=(("role", "grade"),), people_columns=("headcount",),
         rate_columns={"median_salary": "headcount", "salary_gap": "headcount"}, needs=("staff", "market_pay"),
         measures={"headcount": "salaried_in_post"}),
    View("salary_distribution", "Salary distribution", salary_distribution,
         by_options=((), ("role",), ("grade",), ("service_area",)), people_columns=("headcount",),
         categories=("band",), measures={"headcount": "salaried_in_post"}),
    View("gender_pay", "Gender pay gap", gender_pay, by_options=((),), people_columns=("men", "women"),
         rate_columns={"men_share": ("men", "women"), "women_share": ("men", "women"), "mean_gap": ("men", "women"),
                       "median_gap": ("men", "women")},
         categories=("quartile", "sex"),
         measures={"men": ("gender_pay.people", (("sex", "male"),)),
                   "women": ("gender_pay.people", (("sex", "female"),))}),
    View("caseload_distribution", "Caseload distribution", caseload_distribution,
         by_options=((), ("service_area",), ("team",)), people_columns=("case_holders",), categories=("band",)),
    View("nq_caseload", "Newly qualified caseloads", nq_caseload, by_options=(("team",),),
         people_columns=("nq_case_holders", "nq_above_protected_caseload", "case_holders"),
         rate_columns={"nq_average_caseload": "nq_case_holders", "team_average_caseload": "case_holders",
                       "protected_level": "case_holders"}),
    View("span_of_control", "Span of control", span_of_control, by_options=((), ("service_area",), ("team",)),
         people_columns=("managers",), categories=("band",), measures={"managers": "span.managers"}),
    View("absence", "Absence", absence, by_options=(("service_area",), ("team",), ("role",)),
         people_columns=("headcount_in_post",),
         rate_columns={"fte_in_post": "headcount_in_post", "working_days_lost": "headcount_in_post",
                       "days_per_fte": "headcount_in_post", "absence_rate": "headcount_in_post"},
         measures={"headcount_in_post": "absence.headcount"}),
    View("summary_rows", "Summary figures", summary_rows, by_options=(("service_area",),), needs=("summary",)),
    View("comparators", "Comparators supplied by the council", comparators_view, by_options=((),),
         needs=("comparators",)),
)}
"""Every dataset a page shows, by name."""


def _forward_views() -> tuple[View, ...]:
    """The forward look's datasets (issue #16): uploaded targets, the forecast and its back-test."""
    from metrics.forecast import backtest_view, forecast_view
    from metrics.targets import targets_view

    on_history = ("people", "history_people")
    return (
        View("targets", "Targets", targets_view, by_options=((),), needs=("targets",)),
        View("forecast", "Forecast of starters, leavers and vacancies", forecast_view,
             by_options=(("service_area",),), people_columns=on_history,
             rate_columns={"value": on_history, **{c: "history_people" for c in ("lower", "upper", "annual_lower",
                                                                                   "annual_upper")}},
             needs=("staff", "staff.end_date")),
        View("forecast_backtest", "Forecast back-test", backtest_view, by_options=(("service_area",),),
             people_columns=on_history,
             rate_columns={c: on_history for c in ("forecast", "lower", "upper", "actual", "error", "error_share",
                                                   "within")},
             needs=("staff", "staff.end_date")),
    )


VIEWS.update({v.name: v for v in _forward_views()})
VIEWS.update(voice.VIEWS)  # the staff voice datasets (metrics/voice.py)


# ── benchmarking club ─────────────────────────────────────────────────────────


def agency_cap_breaches(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Per role with an agency pay cap (cap_breaches_by_role's rows), and for all those roles together ("All"):
    agency workers in post with an hourly rate, and how many are paid above the cap.

    The counts the benchmarking club pools (sharing.club): each member's share of agency workers paid above the
    agreed cap is worked out from its published, suppressed counts (hidden when either is), never from anyone's
    rate. A worker holds one role, so the roles' counts add up to the All row.
    """
    cols = ["role", "max_hourly_rate", "agency_headcount", "cap_breaches"]
    by_role = cap_breaches_by_role(workforce, params, settings)[cols]
    if by_role.empty:
        return by_role
    total = pd.DataFrame({"role": [ALL], "max_hourly_rate": [None],
                          "agency_headcount": [int(by_role["agency_headcount"].sum())],
                          "cap_breaches": [int(by_role["cap_breaches"].sum())]})
    return pd.concat([by_role, total], ignore_index=True).astype({"agency_headcount": "int64",
                                                                   "cap_breaches": "int64"})


VIEWS["agency_cap_breaches"] = View(
    "agency_cap_breaches", "Agency workers paid above the cap", agency_cap_breaches, by_options=(("role",),),
    people_columns=("agency_headcount", "cap_breaches"), needs=("staff", "agency_caps"),
    measures={"agency_headcount": "cap.agency_headcount", "cap_breaches": "cap.cap_breaches"})
"""The same people as cap_breaches_by_role (its measures), with their total over the capped roles: the audit
sees the All row as the sum of the role rows, never as the group's agency workers as a whole."""
