"""The figures in DuckDB SQL: one statement per family of figures, for one or many as-of dates.

Every statement groups by GROUPING SETS ((date, cuts...), (date)), so the "All"
row is computed from the rows themselves (never averaged from groups). Values
reach SQL only as parameters; column names only from the fixed CUTS whitelist.
The same statements serve `compute` (one date) and `series` (24 month-ends).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ingest.schema import EMPLOYED_TYPES
from metrics.dates import default_as_of, parse_as_of
from metrics.figures import FIGURES
from metrics.registry import CUTS, Params
from metrics.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from ingest.workforce import Workforce

NOT_RECORDED = "Not recorded"
"""Label of a group whose cut column is blank."""
ALL = "All"
"""Label of the organisation-wide row in every cut column."""

_EMPLOYED_SQL = "(" + ", ".join(f"'{t}'" for t in EMPLOYED_TYPES) + ")"  # code constants, not user values


# ── helpers ────────────────────────────────────────────────────────────────────


def check_cuts(columns: tuple[str, ...] | list[str]) -> None:
    """Raise ValueError unless every column is one of the fixed CUTS (the only names that reach SQL)."""
    for column in columns:
        if column not in CUTS:
            raise ValueError(f"Cannot cut by '{column}': choose from {', '.join(CUTS)}.")


def resolve_as_of(workforce: Workforce, params: Params) -> dt.date:
    """The as-of date a request means: the one asked for, else the data's default."""
    return parse_as_of(params.as_of) or default_as_of(workforce)


def div(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator ÷ denominator, NaN where the denominator is 0 or missing (never inf)."""
    num = pd.to_numeric(numerator, errors="coerce").astype("float64")
    den = pd.to_numeric(denominator, errors="coerce").astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den.where(den > 0)
    return out.astype("float64")


def filter_sql(filters: tuple[tuple[str, str], ...], sqlp: dict, allowed: set[str] | None = None,
               alias: str = "", coalesce: bool = True) -> str | None:
    """A WHERE clause (without WHERE) for the filters, adding parameters to `sqlp`.

    Filters on the same column are alternatives (OR); different columns combine
    with AND. Returns None when a filter names a column not in `allowed` (the
    table cannot be restricted that way), '' when there are no filters.
    """
    by_column: dict[str, list[str]] = {}
    for column, value in filters:
        check_cuts([column])
        by_column.setdefault(column, []).append(value)
    clauses = []
    for column, values in by_column.items():
        if allowed is not None and column not in allowed:
            return None
        name = f"f_{column}"
        sqlp[name] = list(values)
        ref = f'{alias}"{column}"'
        expr = f"coalesce(CAST({ref} AS VARCHAR), '{NOT_RECORDED}')" if coalesce else ref
        clauses.append(f"list_contains(${name}, {expr})")
    return " AND ".join(clauses)


def label_all(df: pd.DataFrame, by: tuple[str, ...], flag: str = "_g") -> pd.DataFrame:
    """Set the cut columns of the grouped-out (organisation-wide) rows to "All" and drop the flag."""
    df = df.copy()
    if flag in df.columns:
        mask = df[flag].fillna(0).astype(int) > 0 if by else pd.Series(True, index=df.index)
        for column in by:
            df[column] = df[column].astype("object").where(~mask, ALL).astype("str")
        df = df.drop(columns=[flag])
    elif not by:
        pass
    return df


def grouping_sets(by: tuple[str, ...], lead: tuple[str, ...] = ()) -> tuple[str, str, str]:
    """(select-list of cut columns, GROUPING flag expression, GROUP BY clause) for cuts plus an All row."""
    lead_cols = [f'"{c}"' for c in lead]
    cols = [f'"{c}"' for c in by]
    select = ", ".join(lead_cols + cols)
    flag = f"GROUPING({', '.join(cols)})" if cols else "1"
    detailed = "(" + ", ".join(lead_cols + cols) + ")"
    total = "(" + ", ".join(lead_cols) + ")"
    clause = f"GROUP BY GROUPING SETS ({detailed}, {total})" if cols else (
        f"GROUP BY {', '.join(lead_cols)}" if lead_cols else "")
    return select, flag, clause


# ── the staff statement ───────────────────────────────────────────────────────


@dataclass(frozen=True)
class Agg:
    """One aggregate over the per-date staff rows `x`, and the extra joins it needs."""

    sql: str
    joins: frozenset[str] = field(default_factory=frozenset)
    zero: bool = True
    """Coalesce to 0 (sums and counts) rather than leaving NULL (medians)."""


def _cnt(cond: str, joins: tuple[str, ...] = ()) -> Agg:
    return Agg(f"count(DISTINCT worker_id) FILTER (WHERE {cond})", frozenset(joins))


def _sum(expr: str, cond: str, joins: tuple[str, ...] = ()) -> Agg:
    return Agg(f"sum({expr}) FILTER (WHERE {cond})", frozenset(joins))


def _med(expr: str, cond: str, joins: tuple[str, ...] = ()) -> Agg:
    return Agg(f"median({expr}) FILTER (WHERE {cond})", frozenset(joins), zero=False)


def _avg(expr: str, cond: str, joins: tuple[str, ...] = ()) -> Agg:
    return Agg(f"avg({expr}) FILTER (WHERE {cond})", frozenset(joins), zero=False)


EIP = "employed AND in_post"
CASE_HOLDER = "in_post AND caseload >= 1 AND fte > 0"
HOURLY = "annual_salary / (52 * $hours)"

AGGS: dict[str, Agg] = {
    "n_rows": Agg("count(*)"),
    "fte_ip": _sum("fte", EIP),
    "hc_ip": _cnt(EIP),
    "ag_fte": _sum("fte", "agency AND in_post"),
    "ag_hc": _cnt("agency AND in_post"),
    "lv_fte": _sum("fte", "employed AND left_w"),
    "lv_hc": _cnt("employed AND left_w"),
    "st_fte": _sum("fte", "employed AND started_w"),
    "st_hc": _cnt("employed AND started_w"),
    "hc_before": _cnt("employed AND in_post_w"),
    "hc_stayed": _cnt("employed AND in_post_w AND in_post"),
    "hc_u2": _cnt(f"{EIP} AND start_date > y2"),
    "hc_q": _cnt(f"{EIP} AND qualified_date <= as_of"),
    "hc_q1": _cnt(f"{EIP} AND qualified_date <= as_of AND qualified_date > y1"),
    "hc_q3": _cnt(f"{EIP} AND qualified_date <= as_of AND qualified_date > y3"),
    "lv_first": _cnt("employed AND left_w AND end_date < start_date + INTERVAL 1 YEAR"),
    "lv_agency": _cnt("employed AND left_w AND leaving_reason = 'moved to agency work'"),
    "ag_12": _cnt("agency AND in_post AND start_date <= w"),
    "ag_cost": _sum("hourly_rate * $hours * 52 * fte", "agency AND in_post AND hourly_rate IS NOT NULL"),
    "prem_num": _sum("hourly_rate * $hours * 52 * fte",
                     "agency AND in_post AND hourly_rate IS NOT NULL AND role_med > 0", ("role_median",)),
    "prem_den": _sum("fte * role_med * $on_cost",
                     "agency AND in_post AND hourly_rate IS NOT NULL AND role_med > 0", ("role_median",)),
    "cap_br": _cnt("agency AND in_post AND hourly_rate > cap", ("caps",)),
    "cases": _sum("caseload", CASE_HOLDER),
    "case_fte": _sum("fte", CASE_HOLDER),
    "ch_hc": _cnt(CASE_HOLDER),
    "ch_above": _cnt(f"{CASE_HOLDER} AND caseload / fte > cl_limit", ("limits",)),
    "ch_std": _cnt(f"{CASE_HOLDER} AND cl_limit IS NOT NULL", ("limits",)),
    "nq_above": _cnt(f"{CASE_HOLDER} AND qualified_date <= as_of AND qualified_date > y1 "
                     "AND caseload / fte > ps_share * team_avg", ("team_avg", "limits")),
    "nq_hc": _cnt(f"{CASE_HOLDER} AND qualified_date <= as_of AND qualified_date > y1"),
    "nq_cases": _sum("caseload", f"{CASE_HOLDER} AND qualified_date <= as_of AND qualified_date > y1"),
    "nq_fte": _sum("fte", f"{CASE_HOLDER} AND qualified_date <= as_of AND qualified_date > y1"),
    "abs_hc": _cnt(f"{EIP} AND absence_days IS NOT NULL"),
    "abs_days": _sum("absence_days", f"{EIP} AND absence_days IS NOT NULL"),
    "abs_fte": _sum("fte", f"{EIP} AND absence_days IS NOT NULL"),
    "sal_med": _med("annual_salary", f"{EIP} AND annual_salary IS NOT NULL"),
    "sal_hc": _cnt(f"{EIP} AND annual_salary IS NOT NULL"),
    "gap_med": _med("annual_salary / market - 1", f"{EIP} AND annual_salary IS NOT NULL AND market > 0",
                    ("market",)),
    "gap_hc": _cnt(f"{EIP} AND annual_salary IS NOT NULL AND market > 0", ("market",)),
    "m_mean": _avg(HOURLY, f"{EIP} AND annual_salary IS NOT NULL AND gender = 'male'"),
    "f_mean": _avg(HOURLY, f"{EIP} AND annual_salary IS NOT NULL AND gender = 'female'"),
    "m_med": _med(HOURLY, f"{EIP} AND annual_salary IS NOT NULL AND gender = 'male'"),
    "f_med": _med(HOURLY, f"{EIP} AND annual_salary IS NOT NULL AND gender = 'female'"),
    "m_hc": _cnt(f"{EIP} AND annual_salary IS NOT NULL AND gender = 'male'"),
    "f_hc": _cnt(f"{EIP} AND annual_salary IS NOT NULL AND gender = 'female'"),
    "pay_bill": _sum("annual_salary * fte * $on_cost", f"{EIP} AND annual_salary IS NOT NULL"),
}
"""Every aggregate the staff statement can compute (only those a request needs are selected)."""

FigureFn = Callable[[pd.DataFrame, Settings], pd.Series]


def _gap(men: str, women: str) -> FigureFn:
    return lambda a, s: div(a[men] - a[women], a[men])


STAFF_FIGURES: dict[str, tuple[tuple[str, ...], FigureFn]] = {
    "fte_in_post": (("fte_ip",), lambda a, s: a["fte_ip"]),
    "headcount_in_post": (("hc_ip",), lambda a, s: a["hc_ip"]),
    "agency_fte": (("ag_fte",), lambda a, s: a["ag_fte"]),
    "agency_headcount": (("ag_hc",), lambda a, s: a["ag_hc"]),
    "agency_rate": (("ag_fte", "fte_ip"), lambda a, s: div(a["ag_fte"], a["ag_fte"] + a["fte_ip"])),
    "agency_rate_headcount": (("ag_hc", "hc_ip"), lambda a, s: div(a["ag_hc"], a["ag_hc"] + a["hc_ip"])),
    "turnover_rate": (("lv_fte", "fte_ip"), lambda a, s: div(a["lv_fte"], a["fte_ip"])),
    "turnover_rate_headcount": (("lv_hc", "hc_ip"), lambda a, s: div(a["lv_hc"], a["hc_ip"])),
    "crude_turnover_cipd": (("lv_hc", "hc_ip", "hc_before"),
                            lambda a, s: div(a["lv_hc"], (a["hc_before"] + a["hc_ip"]) / 2)),
    "starters_fte": (("st_fte",), lambda a, s: a["st_fte"]),
    "starters_headcount": (("st_hc",), lambda a, s: a["st_hc"]),
    "leavers_fte": (("lv_fte",), lambda a, s: a["lv_fte"]),
    "leavers_headcount": (("lv_hc",), lambda a, s: a["lv_hc"]),
    "net_change_fte": (("st_fte", "lv_fte"), lambda a, s: a["st_fte"] - a["lv_fte"]),
    "stability_index": (("hc_stayed", "hc_before"), lambda a, s: div(a["hc_stayed"], a["hc_before"])),
    "share_under_2_years_service": (("hc_u2", "hc_ip"), lambda a, s: div(a["hc_u2"], a["hc_ip"])),
    "share_newly_qualified": (("hc_q1", "hc_q"), lambda a, s: div(a["hc_q1"], a["hc_q"])),
    "share_under_3_years_qualified": (("hc_q3", "hc_q"), lambda a, s: div(a["hc_q3"], a["hc_q"])),
    "leavers_first_year": (("lv_first",), lambda a, s: a["lv_first"]),
    "leavers_to_agency": (("lv_agency",), lambda a, s: a["lv_agency"]),
    "agency_over_12_months": (("ag_12",), lambda a, s: a["ag_12"]),
    "agency_annual_cost": (("ag_cost",), lambda a, s: a["ag_cost"]),
    "agency_premium": (("prem_num", "prem_den"), lambda a, s: div(a["prem_num"], a["prem_den"])),
    "cap_breaches": (("cap_br",), lambda a, s: a["cap_br"]),
    "average_caseload": (("cases", "case_fte"), lambda a, s: div(a["cases"], a["case_fte"])),
    "share_above_caseload_threshold": (("ch_above", "ch_std"), lambda a, s: div(a["ch_above"], a["ch_std"])),
    "nq_above_protected_caseload": (("nq_above",), lambda a, s: a["nq_above"]),
    "absence_rate": (("abs_days", "abs_fte"),
                     lambda a, s: div(a["abs_days"], a["abs_fte"] * s.working_days_per_fte)),
    "median_salary": (("sal_med",), lambda a, s: a["sal_med"].astype("float64")),
    "salary_gap": (("gap_med",), lambda a, s: a["gap_med"].astype("float64")),
    "gender_pay_gap_mean": (("m_mean", "f_mean"), _gap("m_mean", "f_mean")),
    "gender_pay_gap_median": (("m_med", "f_med"), _gap("m_med", "f_med")),
    "employed_annual_cost": (("pay_bill",), lambda a, s: a["pay_bill"].astype("float64")),
    "workforce_annual_cost": (("pay_bill", "ag_cost"),
                              lambda a, s: (a["pay_bill"] + a["ag_cost"]).astype("float64")),
    "agency_premium_cost": (("prem_num", "prem_den"),
                            lambda a, s: (a["prem_num"] - a["prem_den"]).astype("float64")),
}
"""Figures computed from the staff statement: the aggregates each needs and its formula."""

SERIES_FIGURES: tuple[str, ...] = (
    "fte_in_post", "headcount_in_post", "agency_fte", "agency_headcount", "agency_rate", "agency_rate_headcount", "turnover_rate",
    "turnover_rate_headcount", "crude_turnover_cipd", "starters_fte", "starters_headcount", "leavers_fte",
    "leavers_headcount", "net_change_fte", "stability_index", "share_under_2_years_service",
    "share_newly_qualified", "share_under_3_years_qualified", "leavers_first_year", "leavers_to_agency",
    "agency_over_12_months", "applications_per_advert", "readvertised_share", "offers_declined_share",
    "days_advert_to_start", "vacancies_filled",
)
"""Figures the dates in the data let us rebuild month by month (stocks and rolling 12-month flows).

Salary, hourly rate, caseload, absence and the establishment are known only as
at the extract, so their figures have no history."""


_STAFF_COLUMNS = ("worker_id", "leaving_reason", "annual_salary", "hourly_rate", "caseload", "qualified_date",
                  "manager_id", "gender", "absence_days", "start_date", "end_date")


def prepared_staff(workforce: Workforce) -> str:
    """The table of staff rows as every statement reads them, built once per upload (see Workforce.derived).

    Cut columns are labelled ("Not recorded" for blanks), the assumptions chosen
    for missing columns are applied, and each row's market comparator (matched on
    role and grade, else role) and agency cap are looked up: the steps every
    figure's statement shared, which cost more than the figures themselves.
    """
    sqlp: dict = {}
    cuts = ", ".join(
        f"{team_key_sql(workforce, 'st.')} AS team" if c == "team"
        else f"coalesce(CAST(st.\"{c}\" AS VARCHAR), '{NOT_RECORDED}') AS \"{c}\"" for c in CUTS)
    worker_type = "st.worker_type"
    if "worker_type" in workforce.assumptions and "worker_type" in workforce.missing_columns.get("staff", []):
        sqlp["assume_worker_type"] = workforce.assumptions["worker_type"]
        worker_type = "coalesce(st.worker_type, $assume_worker_type)"
    fte = "st.fte"
    if "fte" in workforce.assumptions and "fte" in workforce.missing_columns.get("staff", []):
        sqlp["assume_fte"] = float(workforce.assumptions["fte"])
        fte = "coalesce(st.fte, $assume_fte)"
    market, market_join = "CAST(NULL AS DOUBLE)", ""
    if "market_pay" in workforce.tables:
        # the comparator is looked up once per distinct (role, grade), then joined on equality (a hash join)
        market_join = """
            LEFT JOIN (
                SELECT k.role, k.grade, coalesce(mg.mm, mr.mm) AS mm
                FROM (SELECT DISTINCT role, grade FROM staff) k
                LEFT JOIN (SELECT lower(trim(role)) AS rk, lower(trim(grade)) AS gk, avg(market_median_salary) AS mm
                           FROM market_pay WHERE market_median_salary > 0 AND grade IS NOT NULL GROUP BY ALL) mg
                       ON mg.rk = lower(trim(k.role)) AND mg.gk = lower(trim(k.grade))
                LEFT JOIN (SELECT lower(trim(role)) AS rk, avg(market_median_salary) AS mm
                           FROM market_pay WHERE market_median_salary > 0 AND grade IS NULL GROUP BY ALL) mr
                       ON mr.rk = lower(trim(k.role))) mk
                   ON mk.role = st.role AND mk.grade IS NOT DISTINCT FROM st.grade"""
        market = "mk.mm"
    cap, cap_join = "CAST(NULL AS DOUBLE)", ""
    if "agency_caps" in workforce.tables:
        cap_join = """
            LEFT JOIN (SELECT lower(trim(role)) AS rk, min(max_hourly_rate) AS cap FROM agency_caps GROUP BY ALL) cp
                   ON cp.rk = lower(trim(st.role))"""
        cap = "cp.cap"
    plain = ", ".join(f"st.{c}" for c in _STAFF_COLUMNS)
    sql = f"""
        SELECT {plain}, {cuts}, st.team AS team_name, {worker_type} AS worker_type, CAST({fte} AS DOUBLE) AS fte,
               {market} AS market, {cap} AS cap,
               coalesce({worker_type} IN {_EMPLOYED_SQL}, false) AS is_employed,
               coalesce({worker_type} = 'agency', false) AS is_agency,
               year(st.start_date) * 12 + month(st.start_date) AS start_month,
               year(st.end_date) * 12 + month(st.end_date) AS end_month
        FROM staff st {market_join} {cap_join}"""
    return workforce.derived("staff", sql, sqlp)


def repeated_teams(workforce: Workforce) -> str:
    """The working table of team names used in more than one service area (staff and establishment together).

    Such a team is keyed "Team (Service area)" everywhere (see `team_key_sql`), so three "Service
    Management" teams of three services stay three teams in every cut, filter, URL and export.
    """
    parts = ["SELECT DISTINCT team, service_area FROM staff WHERE team IS NOT NULL"]
    if "establishment" in workforce.tables:
        parts.append("SELECT DISTINCT team, service_area FROM establishment WHERE team IS NOT NULL")
    sql = f"""SELECT team FROM ({" UNION ".join(parts)})
              GROUP BY team HAVING count(DISTINCT coalesce(service_area, '{NOT_RECORDED}')) > 1"""
    return workforce.derived("repeated_teams", sql)


def team_key_sql(workforce: Workforce, alias: str = "") -> str:
    """SQL of a row's team key: the team's name, or "Team (Service area)" where the name repeats across service areas.

    Blank teams are "Not recorded". `alias` prefixes the team and service_area columns (e.g. 'st.').
    """
    table = repeated_teams(workforce) if "staff" in workforce.tables else None
    team, area = f'CAST({alias}"team" AS VARCHAR)', f'CAST({alias}"service_area" AS VARCHAR)'
    if table is None:
        return f"coalesce({team}, '{NOT_RECORDED}')"
    return (f"CASE WHEN {team} IS NULL THEN '{NOT_RECORDED}' "
            f"WHEN {team} IN (SELECT team FROM \"{table}\") "
            f"THEN {team} || ' (' || coalesce({area}, '{NOT_RECORDED}') || ')' ELSE {team} END")


def team_keys(workforce: Workforce) -> pd.DataFrame:
    """service_area, team (as written) and team_key of every team in the staff table (blank teams left out)."""
    if "staff" not in workforce.tables:
        return pd.DataFrame(columns=["service_area", "team", "team_key"])
    return workforce.df(f"""SELECT DISTINCT coalesce(CAST(service_area AS VARCHAR), '{NOT_RECORDED}') AS service_area,
                                   CAST(team AS VARCHAR) AS team, {team_key_sql(workforce)} AS team_key
                            FROM staff WHERE team IS NOT NULL ORDER BY 1, 2""")


# ── standards (caseload, span of control, protected caseload) per group ─────────


def _groups_table(workforce: Workforce) -> str:
    """The working table of distinct (service_area, team, role) cut values, for looking standards up per group."""
    return workforce.derived("cut_groups", f'SELECT DISTINCT service_area, team, role FROM "{prepared_staff(workforce)}"')


def standard_lists(workforce: Workforce, settings: Settings, measure: str, year: int | None
                   ) -> tuple[list[str], list[float | None]]:
    """(group keys, standards) of every (service area, team, role) in the data: see `standard_sql`."""
    groups = workforce.df(f'SELECT * FROM "{_groups_table(workforce)}"')
    keys, values, seen = [], [], set()
    for area, team, role in zip(groups["service_area"], groups["team"], groups["role"], strict=True):
        key = f"{area}\x1f{team}\x1f{role}"
        if key in seen:  # only if a cell itself holds the separator: the first group keeps the key
            continue
        seen.add(key)
        found = settings.standard(measure, area, role, year, team=team)
        keys.append(key)
        values.append(None if found is None else float(found.value))
    return keys, values


def standard_sql(workforce: Workforce, settings: Settings, measure: str, year: int | None, sqlp: dict,
                 alias: str = "") -> str:
    """SQL of each row's standard for `measure` (NULL where its group has none), given as parameters.

    Each row's group (service area, team, role) is looked up in metrics.settings in Python once per
    distinct group, then matched in SQL by equality: a subquery DuckDB turns into a hash join. (A
    list lookup per row searched every group: 38 s for one figure on a million rows with 64,000
    groups, against under 0.1 s now.)
    """
    keys, values = standard_lists(workforce, settings, measure, year)
    sqlp[f"std_{measure}_k"] = keys
    sqlp[f"std_{measure}_v"] = values
    row = f"{alias}service_area || chr(31) || {alias}team || chr(31) || {alias}role"
    return (f"(SELECT std.v FROM (SELECT unnest(${{name}}_k::VARCHAR[]) AS k, unnest(${{name}}_v::DOUBLE[]) AS v) std "
            f"WHERE std.k = {row})").replace("{name}", f"std_{measure}")


def staff_base_sql(workforce: Workforce, filters: tuple[tuple[str, str], ...], sqlp: dict) -> str:
    """SELECT of the filtered staff rows `s` with cut columns labelled, assumptions applied, comparators joined.

    Every row carries its `market` comparator and agency `cap` (NULL where there
    is none): see `prepared_staff`.
    """
    table = prepared_staff(workforce)
    where = filter_sql(filters, sqlp, alias="st.", coalesce=False)
    return f"""
        SELECT st.* FROM "{table}" st
        {"WHERE " + where if where else ""}"""


def dated_sql(workforce: Workforce, filters: tuple[tuple[str, str], ...], dates: list[dt.date], sqlp: dict,
              joins: frozenset[str] = frozenset(), settings: Settings | None = None) -> str:
    """WITH-clauses ending in `x`: each filtered staff row once per as-of date, with its status flags."""
    sqlp["dates"] = list(dates)
    base = staff_base_sql(workforce, filters, sqlp)
    lo, hi = min(dates), max(dates)
    sqlp["lo"] = dt.date(lo.year - 3, lo.month, min(lo.day, 28))  # enough history for every window
    sqlp["hi"] = hi
    ctes = [
        f"s AS ({base})",
        """d AS (SELECT as_of, CAST(as_of - INTERVAL 12 MONTH AS DATE) AS w,
                        CAST(as_of - INTERVAL 1 YEAR AS DATE) AS y1, CAST(as_of - INTERVAL 2 YEAR AS DATE) AS y2,
                        CAST(as_of - INTERVAL 3 YEAR AS DATE) AS y3
                 FROM (SELECT unnest($dates::DATE[]) AS as_of))""",
        """x0 AS (SELECT d.*, s.*,
                    s.is_employed AS employed,
                    s.is_agency AS agency,
                    s.start_date <= d.as_of AND (s.end_date IS NULL OR s.end_date > d.as_of) AS in_post,
                    s.start_date <= d.w AND (s.end_date IS NULL OR s.end_date > d.w) AS in_post_w,
                    s.end_date > d.w AND s.end_date <= d.as_of AS left_w,
                    s.start_date > d.w AND s.start_date <= d.as_of AS started_w
                 FROM s CROSS JOIN d
                 WHERE s.start_date <= $hi AND (s.end_date IS NULL OR s.end_date > $lo))""",
    ]
    x_extra, x_join = "", ""
    if "role_median" in joins:
        ctes.append("""rm AS (SELECT as_of, role, median(annual_salary) AS role_med FROM x0
                              WHERE employed AND in_post AND annual_salary IS NOT NULL GROUP BY ALL)""")
        x_join += " LEFT JOIN rm ON rm.as_of = x0.as_of AND rm.role = x0.role"
        x_extra += ", rm.role_med"
    if "limits" in joins:
        from metrics.dates import census_date

        year = census_date(max(dates)).year
        x_extra += (f", {standard_sql(workforce, settings or Settings(), 'caseload', year, sqlp, 'x0.')} AS cl_limit"
                    f", {standard_sql(workforce, settings or Settings(), 'protected_caseload_share', year, sqlp, 'x0.')}"
                    " AS ps_share")
    if "team_avg" in joins:
        ctes.append(f"""ta AS (SELECT as_of, team, sum(caseload) / sum(fte) AS team_avg FROM x0
                               WHERE {CASE_HOLDER} GROUP BY ALL)""")
        x_join += " LEFT JOIN ta ON ta.as_of = x0.as_of AND ta.team = x0.team"
        x_extra += ", ta.team_avg"
    ctes.append(f"x AS (SELECT x0.*{x_extra} FROM x0{x_join})")
    return "WITH " + ",\n".join(ctes)


def staff_aggregates(workforce: Workforce, by: tuple[str, ...], filters: tuple[tuple[str, str], ...],
                     dates: list[dt.date], agg_names: list[str], settings: Settings) -> pd.DataFrame:
    """One row per (as_of, group) plus an All row per as_of, one column per named aggregate."""
    check_cuts(by)
    sqlp: dict = {"hours": settings.standard_weekly_hours, "on_cost": settings.on_cost_factor}
    joins = frozenset().union(*(AGGS[n].joins for n in agg_names)) if agg_names else frozenset()
    with_sql = dated_sql(workforce, filters, dates, sqlp, joins, settings)
    select, flag, group = grouping_sets(by, lead=("as_of",))
    aggs = ", ".join(
        f"coalesce({AGGS[n].sql}, 0) AS {n}" if AGGS[n].zero else f"{AGGS[n].sql} AS {n}" for n in agg_names
    ) or "count(*) AS _rows"
    used = {k: v for k, v in sqlp.items() if f"${k}" in with_sql + aggs}
    sql = f"{with_sql}\nSELECT {select}, {flag} AS _g, {aggs} FROM x {group}"
    df = workforce.cursor().execute(sql, used).df()
    return label_all(df, by)


# ── establishment (vacancies) ─────────────────────────────────────────────────


def establishment_lines(workforce: Workforce, filters: tuple[tuple[str, str], ...], as_of: dt.date,
                        by: tuple[str, ...]) -> pd.DataFrame | None:
    """Per-line vacancy arithmetic grouped by `by` plus an All row, or None when the filters cannot apply.

    Columns: funded_fte, fte_ip, hc_ip, vac_fte, ag_fte, ag_hc, covered_fte, lines. Staff are matched to
    a line on service area, and on team and role where the line gives them. When a cut column is
    not in the establishment, only the All row is returned.
    """
    present = {c for c in CUTS if workforce.has_column("establishment", c) and c != "grade"}
    sqlp: dict = {"as_of": as_of}
    e_where = filter_sql(filters, sqlp, allowed=present, alias="e.")
    if e_where is None:
        return None
    staff = staff_base_sql(workforce, (), sqlp)
    group_by = tuple(c for c in by if c in present) if all(c in present for c in by) else ()
    line_cols = ", ".join(f"coalesce(e.\"{c}\", '{NOT_RECORDED}') AS \"{c}\"" for c in CUTS if c != "grade")
    staff_match_filter = filter_sql(tuple((c, v) for c, v in filters if c not in present), sqlp, alias="s.")
    select, flag, group = grouping_sets(group_by)
    sql = f"""
        WITH s AS ({staff}),
        sp AS (SELECT * FROM s WHERE start_date <= $as_of AND (end_date IS NULL OR end_date > $as_of)
               {"AND " + staff_match_filter if staff_match_filter else ""}),
        e0 AS (SELECT row_number() OVER () AS line,
                      * REPLACE (CASE WHEN team IS NULL THEN NULL ELSE {team_key_sql(workforce)} END AS team)
               FROM establishment),
        e AS (SELECT * FROM e0 e {"WHERE " + e_where if e_where else ""}),
        g AS (SELECT service_area, team, role,
                     coalesce(sum(fte) FILTER (WHERE is_employed), 0) AS fte_ip,
                     count(*) FILTER (WHERE is_employed) AS hc_ip,
                     coalesce(sum(fte) FILTER (WHERE is_agency), 0) AS ag_fte,
                     count(*) FILTER (WHERE is_agency) AS ag_hc
              FROM sp GROUP BY ALL),
        m AS ({_line_matches()}),
        l AS (SELECT {line_cols}, e.funded_fte, coalesce(m.fte_ip, 0) AS fte_ip, coalesce(m.hc_ip, 0) AS hc_ip,
                     coalesce(m.ag_fte, 0) AS ag_fte, coalesce(m.ag_hc, 0) AS ag_hc,
                     CASE WHEN e.funded_fte IS NOT NULL THEN greatest(e.funded_fte - coalesce(m.fte_ip, 0), 0)
                          ELSE e.vacancy_fte END AS vac_fte
              FROM e LEFT JOIN m USING (line))
        SELECT {select + ", " if select else ""}{flag} AS _g,
               sum(funded_fte) AS funded_fte, sum(fte_ip) AS fte_ip, sum(hc_ip) AS hc_ip,
               sum(vac_fte) AS vac_fte, sum(ag_fte) AS ag_fte, sum(ag_hc) AS ag_hc,
               sum(least(ag_fte, vac_fte)) AS covered_fte, count(*) AS lines
        FROM l {group}"""
    used = {k: v for k, v in sqlp.items() if f"${k}" in sql}
    df = workforce.cursor().execute(sql, used).df()
    return label_all(df, group_by)


def _line_matches() -> str:
    """SQL matching establishment lines `e` to staff groups `g` with equality joins only (fast hash joins).

    A line matches staff on service area, and on team and role where the line
    gives them: one equi-join per kind of line (which of team and role it has).
    """
    parts = []
    for team, role in ((False, False), (True, False), (False, True), (True, True)):
        on = ["g.service_area = coalesce(e.service_area, '" + NOT_RECORDED + "')"]
        where = ["e.team IS NOT NULL" if team else "e.team IS NULL", "e.role IS NOT NULL" if role else "e.role IS NULL"]
        if team:
            on.append("g.team = e.team")
        if role:
            on.append("g.role = e.role")
        parts.append(f"""SELECT e.line, sum(g.fte_ip) AS fte_ip, sum(g.hc_ip) AS hc_ip, sum(g.ag_fte) AS ag_fte,
                                sum(g.ag_hc) AS ag_hc
                         FROM e JOIN g ON {" AND ".join(on)} WHERE {" AND ".join(where)} GROUP BY e.line""")
    return "\n UNION ALL \n".join(parts)


VACANCY_FIGURES: dict[str, FigureFn] = {
    "vacancy_fte": lambda a, s: a["vac_fte"],
    "vacancy_rate": lambda a, s: div(a["vac_fte"], a["vac_fte"] + a["fte_ip"]),
    "agency_covering_vacancies": lambda a, s: div(a["covered_fte"], a["vac_fte"]),
}


# ── span of control ───────────────────────────────────────────────────────────


def span_rows_sql(workforce: Workforce, as_of: dt.date, sqlp: dict) -> str:
    """SQL of one row per manager in post-date terms: manager_id, reports, and the manager's cut columns."""
    sqlp["as_of"] = as_of
    staff = staff_base_sql(workforce, (), sqlp)
    mins = ", ".join(f'min("{c}") AS "{c}"' for c in CUTS)
    cols = ", ".join(f'coalesce(mg."{c}", r."{c}") AS "{c}"' for c in CUTS)
    return f"""
        WITH s AS ({staff}),
        sp AS (SELECT * FROM s WHERE start_date <= $as_of AND (end_date IS NULL OR end_date > $as_of)),
        r AS (SELECT manager_id, count(DISTINCT worker_id) AS reports, {mins}
              FROM sp WHERE manager_id IS NOT NULL GROUP BY manager_id),
        mg AS (SELECT worker_id, {mins} FROM sp GROUP BY worker_id)
        SELECT r.manager_id, r.reports, {cols} FROM r LEFT JOIN mg ON mg.worker_id = r.manager_id"""


def span_limit_sql(workforce: Workforce, settings: Settings, as_of: dt.date, sqlp: dict, alias: str = "") -> str:
    """SQL of a manager's span-of-control standard: their group's, else the default for every group."""
    from metrics.dates import census_date

    sqlp["span_default"] = settings.span_of_control_threshold
    own = standard_sql(workforce, settings, "span_of_control", census_date(as_of).year, sqlp, alias)
    return f"coalesce({own}, $span_default)"


def span_aggregates(workforce: Workforce, by: tuple[str, ...], filters: tuple[tuple[str, str], ...],
                    as_of: dt.date, settings: Settings) -> pd.DataFrame:
    """Managers, reports, and managers above the threshold per group of the managers' own cut columns."""
    sqlp: dict = {}
    rows = span_rows_sql(workforce, as_of, sqlp)
    limit = span_limit_sql(workforce, settings, as_of, sqlp, "j.")
    where = filter_sql(filters, sqlp, alias="j.", coalesce=False)
    select, flag, group = grouping_sets(by)
    sql = f"""
        WITH j AS ({rows})
        SELECT {select + ", " if select else ""}{flag} AS _g, count(*) AS managers, sum(reports) AS reports,
               count(*) FILTER (WHERE reports > {limit}) AS above
        FROM j {"WHERE " + where if where else ""} {group}"""
    df = workforce.cursor().execute(sql, sqlp).df()
    return label_all(df, by)


SPAN_FIGURES: dict[str, FigureFn] = {
    "average_span_of_control": lambda a, s: div(a["reports"], a["managers"]),
    "managers_above_span": lambda a, s: a["above"].fillna(0).astype("float64"),
}


# ── recruitment ───────────────────────────────────────────────────────────────

RECRUITMENT_CUTS = ("service_area", "role")


def recruitment_aggregates(workforce: Workforce, by: tuple[str, ...], filters: tuple[tuple[str, str], ...],
                           dates: list[dt.date]) -> pd.DataFrame | None:
    """Advert aggregates per (as_of, group) for adverts placed in the 12 months to each date.

    None when a filter names a column the recruitment table lacks (team, grade);
    only All rows when a cut does.
    """
    sqlp: dict = {"dates": list(dates)}
    where = filter_sql(filters, sqlp, allowed=set(RECRUITMENT_CUTS), alias="r.")
    if where is None:
        return None
    group_by = by if all(c in RECRUITMENT_CUTS for c in by) else ()
    select, flag, group = grouping_sets(group_by, lead=("as_of",))
    sql = f"""
        WITH d AS (SELECT as_of, CAST(as_of - INTERVAL 12 MONTH AS DATE) AS w
                   FROM (SELECT unnest($dates::DATE[]) AS as_of)),
        rr AS (SELECT * REPLACE (coalesce(r.service_area, '{NOT_RECORDED}') AS service_area,
                                 coalesce(r.role, '{NOT_RECORDED}') AS role)
               FROM recruitment r {"WHERE " + where if where else ""}),
        x AS (SELECT d.as_of, rr.* FROM rr JOIN d ON rr.advert_date > d.w AND rr.advert_date <= d.as_of)
        SELECT {select}, {flag} AS _g,
               count(applications) AS adverts_with_apps, coalesce(sum(applications), 0) AS applications,
               count(times_advertised) AS adverts_known,
               count(*) FILTER (WHERE times_advertised > 1) AS readvertised,
               sum(offers) AS offers, sum(offers_declined) AS offers_declined,
               median(datediff('day', advert_date, start_date)) FILTER (WHERE start_date IS NOT NULL)
                   AS days_to_start,
               count(start_date) AS starts, coalesce(sum(appointed), 0) AS appointed, count(*) AS adverts
        FROM x {group}"""
    df = workforce.cursor().execute(sql, sqlp).df()
    return label_all(df, group_by)


RECRUITMENT_FIGURES: dict[str, FigureFn] = {
    "applications_per_advert": lambda a, s: div(a["applications"], a["adverts_with_apps"]),
    "readvertised_share": lambda a, s: div(a["readvertised"], a["adverts_known"]),
    "offers_declined_share": lambda a, s: div(a["offers_declined"], a["offers"]),
    "days_advert_to_start": lambda a, s: a["days_to_start"].astype("float64"),
    "vacancies_filled": lambda a, s: a["appointed"].astype("float64"),
}

FAMILY: dict[str, str] = {
    **{f: "staff" for f in STAFF_FIGURES},
    **{f: "establishment" for f in VACANCY_FIGURES},
    **{f: "span" for f in SPAN_FIGURES},
    **{f: "recruitment" for f in RECRUITMENT_FIGURES},
    **{f.id: "voice" for f in FIGURES.values() if f.group == "voice"},
}
"""Which statement computes each figure ("voice": not these statements but metrics.voice's views)."""

assert set(FAMILY) == set(FIGURES), sorted(set(FIGURES) ^ set(FAMILY))


# ── fast monthly series for additive stock and flow figures ───────────────────

EVENT_AGGS: frozenset[str] = frozenset({"n_rows", "fte_ip", "hc_ip", "ag_fte", "ag_hc", "lv_fte", "lv_hc", "st_fte",
                                        "st_hc"})
"""Aggregates the event method computes: sums over start/end events, no per-date copy of the table."""


def staff_events(workforce: Workforce, by: tuple[str, ...], filters: tuple[tuple[str, str], ...],
                 month_ends: list[dt.date]) -> pd.DataFrame:
    """Additive stock and rolling 12-month flow aggregates at consecutive month-ends, in one pass.

    Each record adds its FTE at the first month-end on or after its start date
    and removes it at the first month-end on or after its end date, so a running
    total gives "in post" (start ≤ m and end > m) at every month-end; leavers and
    starters are bucketed by month and summed over 12 buckets, which is exactly
    the 12 months ending on each month-end. Headcounts here count records (a
    person with two overlapping records counts twice; `compute` counts people).
    """
    check_cuts(by)
    n = len(month_ends)
    sqlp: dict = {"first_month": month_ends[0].year * 12 + month_ends[0].month, "n": n}
    base = staff_base_sql(workforce, filters, sqlp)
    cuts = "".join(f'"{c}", ' for c in by)
    # one pass: records grouped by (cuts, start bucket, end bucket, type) — a few thousand rows at most
    sql = f"""
        WITH s AS ({base}),
        b AS (SELECT {cuts}fte, is_employed AS emp,
                     least(greatest(start_month - $first_month + 1, -11), $n + 1) AS bs,
                     CASE WHEN end_month IS NULL THEN $n + 1  -- (greatest/least skip NULLs in DuckDB)
                          ELSE least(greatest(end_month - $first_month + 1, -11), $n + 1)
                     END AS be
              FROM s WHERE is_employed OR is_agency)
        SELECT {cuts}bs, be, emp, sum(fte) AS fte, count(*) AS n FROM b GROUP BY ALL"""
    compact = workforce.cursor().execute(sql, sqlp).df()
    return _event_grid(compact, tuple(by), month_ends)


_EVENT_VALUES = ("fte_ip", "hc_ip", "ag_fte", "ag_hc", "lv_fte", "lv_hc", "st_fte", "st_hc")


def _event_grid(compact: pd.DataFrame, by: tuple[str, ...], month_ends: list[dt.date]) -> pd.DataFrame:
    """Running stocks and rolling 12-month flows per (group, month-end) from the bucketed records, in numpy.

    `compact` has the cut columns, bs/be (start/end month bucket, 1 = first month-end,
    clamped to -11..n+1), emp, fte and n. Buckets -10..n form a dense (group × bucket)
    grid, so the running total and the 12-bucket window are array operations
    (a per-group pandas rolling was most of the series' cost with many teams).
    The "All" group is the sum of the groups (these are sums over records).
    """
    n, keys = len(month_ends), list(by)
    width = n + 11  # buckets -10..n at columns 0..n+10
    compact = compact.copy()
    compact["emp"] = compact["emp"].astype(bool)
    for c in keys:
        compact[c] = compact[c].astype("str")
    bs, be = compact["bs"].to_numpy("int64"), compact["be"].to_numpy("int64")
    seen = (bs <= n) | (be <= n)  # a group appears when some record adds or removes within the grid
    if keys:
        compact, bs, be = compact[seen], bs[seen], be[seen]
        grouped = compact.groupby(keys, sort=True)
        code = grouped.ngroup().to_numpy("int64")
        labels = grouped.size().reset_index()[keys]
        if len(compact):
            labels = pd.concat([labels, pd.DataFrame({c: [ALL] for c in keys})], ignore_index=True)
        groups = len(labels)
    else:
        labels, code, groups = None, np.zeros(len(compact), dtype="int64"), 1
    emp = compact["emp"].to_numpy(bool)
    fte, cnt = compact["fte"].to_numpy("float64"), compact["n"].to_numpy("float64")
    plane = groups * width  # one (group × bucket) plane per kind of event

    def planes(kinds: int, cells: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Sum `values` into `kinds` planes at `cells` (outside-the-grid rows already weighted 0)."""
        return np.bincount(cells, weights=values, minlength=kinds * plane).reshape(kinds, groups, width)

    # stocks: +1 at the start bucket, -1 at the end bucket; plane 0 employed, plane 1 agency
    stock_cells = np.concatenate([code * width + np.clip(np.maximum(b, 1), -10, n) + 10 + np.where(emp, 0, plane)
                                  for b in (bs, be)])
    inside = np.concatenate([bs <= n, be <= n])
    sign = np.concatenate([np.ones(len(bs)), -np.ones(len(be))])
    stock_fte = planes(2, stock_cells, np.where(inside, sign * np.tile(fte, 2), 0.0))
    stock_hc = planes(2, stock_cells, np.where(inside, sign * np.tile(cnt, 2), 0.0))
    # flows of employed staff: plane 0 leavers (end bucket), plane 1 starters (start bucket)
    flow_cells = np.concatenate([code * width + np.clip(b, -10, n) + 10 + k * plane for k, b in enumerate((be, bs))])
    counted = np.concatenate([emp & (b >= -10) & (b <= n) for b in (be, bs)])
    flow_fte = planes(2, flow_cells, np.where(counted, np.tile(fte, 2), 0.0))
    flow_hc = planes(2, flow_cells, np.where(counted, np.tile(cnt, 2), 0.0))
    grid = {"fte_ip": stock_fte[0], "ag_fte": stock_fte[1], "hc_ip": stock_hc[0], "ag_hc": stock_hc[1],
            "lv_fte": flow_fte[0], "st_fte": flow_fte[1], "lv_hc": flow_hc[0], "st_hc": flow_hc[1]}
    if keys and len(compact):  # the All row (the last label) adds up every group
        for values in grid.values():
            values[-1] = values[:-1].sum(axis=0)
    out: dict[str, np.ndarray] = {}
    for name in ("fte_ip", "hc_ip", "ag_fte", "ag_hc"):
        out[name] = np.cumsum(grid[name], axis=1)[:, 11:]
    for name in ("lv_fte", "lv_hc", "st_fte", "st_hc"):
        running = np.cumsum(grid[name], axis=1)  # 12 buckets ending at b: running[b] - running[b - 12]
        out[name] = running[:, 11:] - np.concatenate([np.zeros((groups, 1)), running[:, :n - 1]], axis=1)
    df = pd.DataFrame({"as_of": np.tile(np.array(month_ends, dtype=object), groups)})
    rows = np.repeat(np.arange(groups), n)
    for c in keys:
        df[c] = labels[c].astype("str").take(rows).reset_index(drop=True)
    df["n_rows"] = 1
    for name in _EVENT_VALUES:
        df[name] = out[name].reshape(-1).round(9)  # running sums of decimals: drop float noise
    return df[["as_of", *keys, "n_rows", *_EVENT_VALUES]]
