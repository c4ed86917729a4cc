"""What-if scenarios, recomputed through the same metrics engine on a copy of the session's data.

A Scenario states changes a council is weighing — convert N agency FTE to
permanent posts in a service area, a market supplement of £X for a role, a pay
award of Y%, Z extra funded posts — and the assumptions they rest on (each
editable). `apply` builds a *separate* Workforce (its own in-memory DuckDB)
holding a copy of the uploaded tables with the changes made; `compare` runs
metrics.compute on both and sets them side by side. The uploaded data is never
touched: the copy is made first, and every change is SQL on the copy.

How each change is made (the page lists these as the scenario's assumptions):

- **Convert agency to permanent**: agency workers in post at the as-of date in
  the service area (all areas when none is named), longest-running placements
  first, until N FTE; the last placement may be converted in part. Each
  converted placement ends on the as-of date (so it is no longer in post, as
  "in post" needs an end date after it) and a permanent post of the same
  FTE, role, team and grade starts on it, paid the median salary of employed
  staff in the role (after any pay award and supplement; else the role's market
  median, else the service area's median salary), unless a salary is given.
  The recruitment it needs is the number of placements converted.
- **Market supplement**: £X a year added to the salary of every employed worker
  in the role (in the service area, when one is named), after any pay award.
- **Pay award**: every employed worker's salary × (1 + Y%).
- **Extra funded posts**: Z FTE added to the establishment of the service area
  (of the role, when one is named), shared over its lines in proportion to their
  funded FTE; the new posts start vacant.
- Assumptions: employer on-costs and standard weekly hours (the settings file's
  values by default), a change in market pay (0% by default: the market stands
  still) and in agency charge rates (0%).
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from dataclasses import asdict, dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from ingest.schema import EMPLOYED_TYPES
from metrics.compute import compute
from metrics.engine import ALL, resolve_as_of
from metrics.figures import FIGURES
from metrics.format import as_number, format_value
from metrics.registry import Params
from metrics.settings import Settings, resolve

if TYPE_CHECKING:  # pragma: no cover
    from ingest.workforce import Workforce

OUTCOMES: tuple[str, ...] = ("agency_rate", "vacancy_rate", "salary_gap", "workforce_annual_cost",
                             "employed_annual_cost", "agency_annual_cost", "agency_premium_cost", "fte_in_post",
                             "agency_fte", "vacancy_fte", "median_salary")
"""Figures a scenario is judged on, in the order the page shows them."""

HEADLINE: tuple[str, ...] = ("agency_rate", "vacancy_rate", "salary_gap", "workforce_annual_cost")
"""The four the issue asks for: agency rate, vacancy rate, salary gap, annual cost including agency premium."""

SCENARIO_ID_PREFIX = "SCENARIO-"
"""worker_id of the permanent posts a scenario creates (never a real worker's)."""


@dataclass(frozen=True)
class Scenario:
    """The changes and assumptions of one what-if (hashable: it keys caches and the URL)."""

    convert_fte: float = 0.0
    """Agency FTE to convert to permanent posts."""
    convert_in: str | None = None
    """Service area of the conversion (None: the whole council)."""
    convert_salary: float | None = None
    """Salary of a converted post (None: the role's median, see module docstring)."""
    supplement: float = 0.0
    """Market supplement, £ a year, for the role below."""
    supplement_role: str | None = None
    supplement_in: str | None = None
    pay_award: float = 0.0
    """Pay award, percent (e.g. 3.5 for 3.5%)."""
    extra_posts: float = 0.0
    """Funded FTE to add to the establishment."""
    extra_posts_in: str | None = None
    extra_posts_role: str | None = None
    market_change: float = 0.0
    """Assumed change in market median pay, percent."""
    agency_rate_change: float = 0.0
    """Assumed change in agency charge rates, percent."""
    on_cost_factor: float | None = None
    """Employer on-costs multiplier (None: the settings file's)."""
    standard_weekly_hours: float | None = None
    """Hours in a full-time week (None: the settings file's)."""
    name: str = ""

    def is_empty(self) -> bool:
        """True when the scenario changes nothing (every change 0, every assumption at its default)."""
        return self == Scenario(name=self.name)

    def settings(self, base: Settings | None = None) -> Settings:
        """The metrics settings with this scenario's on-cost and hours assumptions (used for today too)."""
        base = resolve(base)
        changes = {k: v for k, v in (("on_cost_factor", self.on_cost_factor),
                                     ("standard_weekly_hours", self.standard_weekly_hours)) if v is not None}
        return replace(base, **changes) if changes else base


@dataclass
class Applied:
    """What `apply` did: the scenario's Workforce and, in words, each change as made."""

    workforce: Any
    as_of: dt.date
    converted_fte: float = 0.0
    converted_placements: int = 0
    available_fte: float = 0.0
    salaries: dict[str, float | None] = field(default_factory=dict)
    """Role → salary given to its converted posts."""
    supplement_people: int = 0
    extra_posts_added: float = 0.0
    extra_posts_cost: float | None = None
    adverts_needed: int | None = None
    notes: list[str] = field(default_factory=list)


# ── the copy ──────────────────────────────────────────────────────────────────


def copy_workforce(workforce: Workforce) -> Workforce:
    """A separate Workforce (its own DuckDB) holding a copy of every canonical table, flags and assumptions kept."""
    from ingest.workforce import Workforce as _Workforce
    from ingest.workforce import connect

    twin = _Workforce(con=connect(), assumptions=dict(workforce.assumptions),
                      sources=list(workforce.sources), label=f"{workforce.label} (scenario)",
                      is_demo=workforce.is_demo, rows_set_aside=dict(workforce.rows_set_aside),
                      missing_columns=copy.deepcopy(workforce.missing_columns))
    for table in workforce.tables:
        arrow = workforce.cursor().sql(f'SELECT * FROM "{table}"').to_arrow_table()
        twin.fit_threads(table, arrow.num_rows)
        twin.con.register("_source", arrow)
        try:
            twin.con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM _source')
        finally:
            twin.con.unregister("_source")
    twin.version = twin.version + 1
    return twin


def _employed_sql(workforce: Workforce) -> str:
    """SQL condition for an employed row of the raw staff table (the worker_type assumption applied)."""
    types = ", ".join(f"'{t}'" for t in EMPLOYED_TYPES)  # code constants, not user values
    assumed = workforce.assumptions.get("worker_type") if "worker_type" in workforce.missing_columns.get(
        "staff", []) else None
    expr = f"coalesce(worker_type, '{assumed}')" if assumed in EMPLOYED_TYPES else "worker_type"
    return f"{expr} IN ({types})"


def _fte_sql(workforce: Workforce) -> str:
    """SQL of a raw staff row's FTE (the fte assumption applied)."""
    if "fte" in workforce.missing_columns.get("staff", []) and "fte" in workforce.assumptions:
        return f"coalesce(fte, {float(workforce.assumptions['fte'])!r})"
    return "fte"


def _area_sql(name: str, value: str | None, params: dict) -> str:
    """'AND service_area = $x' for a named service area ('' for the whole council)."""
    if not value or value == ALL:
        return ""
    params[name] = value
    return f" AND CAST(service_area AS VARCHAR) = ${name}"


# ── the changes ───────────────────────────────────────────────────────────────


def apply(workforce: Workforce, scenario: Scenario, as_of: dt.date | None = None) -> Applied:
    """A copy of the workforce with the scenario's changes made (see module docstring); the original is untouched."""
    as_of = as_of or resolve_as_of(workforce, Params())
    twin = copy_workforce(workforce)
    applied = Applied(twin, as_of)
    if not twin.has("staff"):
        applied.notes.append("Scenarios need a staff extract: a summary table has no workers to change.")
        return applied
    con = twin.con
    employed = _employed_sql(twin)
    if scenario.pay_award and twin.has_column("staff", "annual_salary"):
        con.execute(f"UPDATE staff SET annual_salary = annual_salary * (1 + $award / 100) "
                    f"WHERE annual_salary IS NOT NULL AND {employed}", {"award": float(scenario.pay_award)})
    if scenario.supplement and scenario.supplement_role and twin.has_column("staff", "annual_salary"):
        p: dict = {"supp": float(scenario.supplement), "role": scenario.supplement_role}
        where = (f"annual_salary IS NOT NULL AND {employed} AND lower(trim(role)) = lower(trim($role))"
                 + _area_sql("area", scenario.supplement_in, p))
        p_count = {**{k: v for k, v in p.items() if k != "supp"}, "as_of": as_of}
        applied.supplement_people = con.execute(
            f"SELECT count(DISTINCT worker_id) FROM staff WHERE {where} AND start_date <= $as_of "
            "AND (end_date IS NULL OR end_date > $as_of)", p_count).fetchone()[0]
        con.execute(f"UPDATE staff SET annual_salary = annual_salary + $supp WHERE {where}", p)
    if scenario.market_change and twin.has("market_pay"):
        con.execute("UPDATE market_pay SET market_median_salary = market_median_salary * (1 + $m / 100)",
                    {"m": float(scenario.market_change)})
    if scenario.agency_rate_change and twin.has_column("staff", "hourly_rate"):
        con.execute(f"UPDATE staff SET hourly_rate = hourly_rate * (1 + $r / 100) "
                    f"WHERE hourly_rate IS NOT NULL AND NOT ({employed})", {"r": float(scenario.agency_rate_change)})
    if scenario.convert_fte > 0:
        _convert(twin, scenario, as_of, applied)
    if scenario.extra_posts > 0:
        _extra_posts(twin, scenario, as_of, applied)
    twin.version = twin.version + 1  # the tables changed: derived tables and caches are rebuilt
    return applied


def _median_salary(twin: Workforce, as_of: dt.date, where: str, params: dict) -> float | None:
    """Median salary of employed staff in post matching `where` (None when there are none)."""
    row = twin.con.execute(
        f"SELECT median(annual_salary) FROM staff WHERE annual_salary IS NOT NULL AND {_employed_sql(twin)} "
        f"AND start_date <= $as_of AND (end_date IS NULL OR end_date > $as_of) AND {where}",
        {**params, "as_of": as_of}).fetchone()
    return as_number(row[0]) if row else None


def _salary_for(twin: Workforce, role: str, area: str, as_of: dt.date) -> float | None:
    """A converted post's salary: the role's median, else its market median, else the service area's median."""
    if not twin.has_column("staff", "annual_salary"):
        return None
    value = _median_salary(twin, as_of, "lower(trim(role)) = lower(trim($role))", {"role": role})
    if value is None and twin.has("market_pay"):
        row = twin.con.execute("SELECT avg(market_median_salary) FROM market_pay WHERE lower(trim(role)) = "
                               "lower(trim($role))", {"role": role}).fetchone()
        value = as_number(row[0]) if row else None
    if value is None:
        value = _median_salary(twin, as_of, "CAST(service_area AS VARCHAR) = $area", {"area": area})
    return value


def _convert(twin: Workforce, scenario: Scenario, as_of: dt.date, applied: Applied) -> None:
    """End agency placements (longest-running first) and start permanent posts of the same FTE in their place."""
    con = twin.con
    p: dict = {"as_of": as_of}
    fte = _fte_sql(twin)
    area = _area_sql("area", scenario.convert_in, p)
    candidates = con.execute(
        f"""SELECT rowid AS _rid, {fte} AS _fte, * FROM staff
            WHERE NOT ({_employed_sql(twin)}) AND {fte} > 0 AND start_date <= $as_of
              AND (end_date IS NULL OR end_date > $as_of){area}
            ORDER BY start_date, worker_id""", p).df()
    applied.available_fte = float(candidates["_fte"].sum()) if len(candidates) else 0.0
    remaining = float(scenario.convert_fte)
    new_rows, ended, reduced = [], [], []
    for row in candidates.to_dict("records"):
        if remaining <= 1e-9:
            break
        take = min(float(row["_fte"]), remaining)
        remaining -= take
        if take >= float(row["_fte"]) - 1e-9:
            ended.append(int(row["_rid"]))
        else:
            reduced.append((int(row["_rid"]), float(row["_fte"]) - take))
        role, area_name = str(row["role"]), str(row["service_area"])
        if role not in applied.salaries:
            applied.salaries[role] = (scenario.convert_salary if scenario.convert_salary is not None
                                      else _salary_for(twin, role, area_name, as_of))
        new_rows.append({"worker_id": f"{SCENARIO_ID_PREFIX}{len(new_rows) + 1:04d}",
                         "service_area": row["service_area"], "team": row["team"], "role": row["role"],
                         "grade": row["grade"], "worker_type": "permanent", "fte": round(take, 6),
                         "start_date": as_of, "annual_salary": applied.salaries[role]})
        applied.converted_fte += take
    applied.converted_placements = len(new_rows)
    if ended:
        con.execute("UPDATE staff SET end_date = $as_of WHERE list_contains($ids, rowid)",
                    {"as_of": as_of, "ids": ended})
    for rid, left in reduced:
        con.execute("UPDATE staff SET fte = $left WHERE rowid = $rid", {"left": left, "rid": rid})
    if new_rows:
        frame = pd.DataFrame(new_rows)
        con.register("_new", frame)
        try:
            cols = ", ".join(f'"{c}"' for c in frame.columns)
            con.execute(f"INSERT INTO staff ({cols}) SELECT {cols} FROM _new")
        finally:
            con.unregister("_new")
    where = scenario.convert_in or "the whole council"
    if applied.converted_fte + 1e-9 < scenario.convert_fte:
        applied.notes.append(f"Only {applied.available_fte:,.1f} agency FTE are in post in {where} at the as-of "
                             "date, so all of them were converted.")
    applied.adverts_needed = _adverts_needed(twin, scenario.convert_in, as_of, applied.converted_placements)


def _adverts_needed(twin: Workforce, area: str | None, as_of: dt.date, posts: int) -> int | None:
    """Adverts likely needed to appoint `posts` people at the last 12 months' appointments per advert (None: unknown)."""
    if not posts or not twin.has("recruitment"):
        return None
    p: dict = {"as_of": as_of}
    where = _area_sql("area", area, p)
    row = twin.con.execute(
        f"""SELECT count(*), sum(appointed) FROM recruitment
            WHERE advert_date > CAST($as_of - INTERVAL 12 MONTH AS DATE) AND advert_date <= $as_of{where}""",
        p).fetchone()
    adverts, appointed = (row or (0, None))
    appointed = as_number(appointed)
    if not adverts or not appointed:
        return None
    return math.ceil(posts / (appointed / adverts))


def _extra_posts(twin: Workforce, scenario: Scenario, as_of: dt.date, applied: Applied) -> None:
    """Add funded FTE to the establishment lines of the service area (and role), in proportion to their size."""
    con = twin.con
    if not twin.has("establishment"):
        applied.notes.append("Extra funded posts need an establishment table (funded posts), so they were left "
                             "out.")
        return
    p: dict = {}
    where = "TRUE" + _area_sql("area", scenario.extra_posts_in, p)
    if scenario.extra_posts_role:
        p["role"] = scenario.extra_posts_role
        where += " AND lower(trim(role)) = lower(trim($role))"
    size = "coalesce(funded_fte, vacancy_fte, 0)"
    total = as_number(con.execute(f"SELECT sum({size}) FROM establishment WHERE {where}", p).fetchone()[0])
    z = float(scenario.extra_posts)
    if total:
        con.execute(f"""UPDATE establishment SET
                            funded_fte = CASE WHEN funded_fte IS NULL THEN NULL ELSE funded_fte + $z * {size} / $t END,
                            vacancy_fte = CASE WHEN funded_fte IS NULL THEN coalesce(vacancy_fte, 0) + $z * {size} / $t
                                               ELSE vacancy_fte END
                        WHERE {where}""", {**p, "z": z, "t": total})
    else:
        if not scenario.extra_posts_in:
            applied.notes.append("No establishment lines to add the extra posts to, so they were left out.")
            return
        con.execute("INSERT INTO establishment (service_area, role, funded_fte) VALUES ($area, $role, $z)",
                    {"area": scenario.extra_posts_in, "role": scenario.extra_posts_role, "z": z})
        applied.notes.append("The extra posts are a new establishment line (no line matched the service area and "
                             "role).")
    applied.extra_posts_added = z
    salary = None
    if scenario.extra_posts_role:
        salary = _salary_for(twin, scenario.extra_posts_role, scenario.extra_posts_in or "", as_of)
    elif scenario.extra_posts_in and twin.has_column("staff", "annual_salary"):
        salary = _median_salary(twin, as_of, "CAST(service_area AS VARCHAR) = $area",
                                {"area": scenario.extra_posts_in})
    elif twin.has_column("staff", "annual_salary"):
        salary = _median_salary(twin, as_of, "TRUE", {})
    if salary is not None:
        applied.extra_posts_cost = z * salary * scenario.settings().on_cost_factor


# ── the comparison ────────────────────────────────────────────────────────────


def compare(workforce: Workforce, scenario: Scenario, params: Params, settings: Settings | None = None,
            figures: tuple[str, ...] = OUTCOMES) -> tuple[pd.DataFrame, Applied]:
    """Today and the scenario side by side: one row per service area (and All) and figure.

    Columns: service_area, figure, today, scenario, change. Both sides are
    computed by metrics.compute with the scenario's on-cost and hours assumptions.
    """
    as_of = resolve_as_of(workforce, params)
    settings = scenario.settings(settings)
    applied = apply(workforce, scenario, as_of)
    ask = Params(as_of.isoformat(), ("service_area",), tuple(params.filters), tuple(figures))
    try:
        today = compute(workforce, ask, settings)
        after = compute(applied.workforce, ask, settings)
    finally:
        applied.workforce.close()
    rows = []
    for fid in figures:
        if fid not in today.columns:
            continue
        merged = today[["service_area", fid]].merge(after[["service_area", fid]], on="service_area", how="outer",
                                                     suffixes=("_today", "_scenario"))
        for group, a, b in zip(merged["service_area"], merged[f"{fid}_today"], merged[f"{fid}_scenario"],
                               strict=True):
            x, y = as_number(a), as_number(b)
            rows.append({"service_area": str(group), "figure": fid, "today": x, "scenario": y,
                         "change": (y - x) if x is not None and y is not None else None})
    out = pd.DataFrame(rows, columns=["service_area", "figure", "today", "scenario", "change"])
    return out, applied


def side_by_side(table: pd.DataFrame, group: str = ALL, figures: tuple[str, ...] = OUTCOMES) -> pd.DataFrame:
    """One group's rows of a comparison, in figure order, with the figure's label."""
    part = table[table["service_area"] == group]
    part = part[part["figure"].isin(figures)].copy()
    part["_o"] = part["figure"].map({f: i for i, f in enumerate(figures)})
    part = part.sort_values("_o").drop(columns="_o")
    part.insert(1, "label", [FIGURES[f].label for f in part["figure"]])
    return part.reset_index(drop=True)


def assumptions(scenario: Scenario, applied: Applied | None = None, settings: Settings | None = None) -> list[str]:
    """Every change and assumption of the scenario, in words (the page lists them; the pack prints them)."""
    s = scenario.settings(settings)
    out = []
    where = scenario.convert_in or "the whole council"
    if scenario.convert_fte > 0:
        text = (f"Convert {scenario.convert_fte:,.1f} agency FTE to permanent posts in {where}: the longest-running "
                "placements in post at the as-of date first (the last may be converted in part); each becomes a "
                "permanent post of the same FTE, role and team starting on the as-of date")
        if scenario.convert_salary is not None:
            text += f", paid {format_value(scenario.convert_salary, 'gbp')} a year"
        else:
            text += ", paid the median salary of employed staff in the role"
        if applied is not None and applied.salaries:
            paid = "; ".join(f"{role} {format_value(v, 'gbp')}" for role, v in sorted(applied.salaries.items()))
            text += f" ({paid})"
        out.append(text + ".")
        if applied is not None:
            need = (f"The recruitment it needs: {applied.converted_placements:,} permanent appointment"
                    f"{'s' if applied.converted_placements != 1 else ''} ({applied.converted_fte:,.1f} FTE)")
            if applied.adverts_needed is not None:
                need += (f", about {applied.adverts_needed:,} advert{'s' if applied.adverts_needed != 1 else ''} at "
                         "the last 12 months' appointments per advert")
            out.append(need + ".")
    if scenario.supplement and scenario.supplement_role:
        area = f" in {scenario.supplement_in}" if scenario.supplement_in else ""
        text = (f"A market supplement of {format_value(scenario.supplement, 'gbp')} a year for every employed "
                f"{scenario.supplement_role}{area}, on top of salary (and of any pay award)")
        if applied is not None:
            text += f": {applied.supplement_people:,} people in post"
        out.append(text + ".")
    if scenario.pay_award:
        out.append(f"A pay award of {scenario.pay_award:g}% on every employed worker's salary.")
    if scenario.extra_posts > 0:
        area = scenario.extra_posts_in or "the whole council"
        role = f" for {scenario.extra_posts_role}" if scenario.extra_posts_role else ""
        text = (f"{scenario.extra_posts:,.1f} extra funded FTE in {area}{role}, added to the establishment in "
                "proportion to its lines' funded FTE; the new posts start vacant")
        if applied is not None and applied.extra_posts_cost is not None:
            text += (f" (once filled at the median salary they would cost about "
                     f"{format_value(applied.extra_posts_cost, 'gbp')} a year)")
        out.append(text + ".")
    out.append(f"Market median pay {'changes by ' + format(scenario.market_change, 'g') + '%' if scenario.market_change else 'stays as it is'}; "
               f"agency charge rates {'change by ' + format(scenario.agency_rate_change, 'g') + '%' if scenario.agency_rate_change else 'stay as they are'}.")
    out.append(f"Costs use employer on-costs of ×{s.on_cost_factor:g} on salary and a {s.standard_weekly_hours:g}-hour "
               "week for agency charge rates, for today and the scenario alike; everyone in post is assumed to stay "
               "a full year.")
    if applied is not None:
        out += applied.notes
    return out


# ── the URL form ──────────────────────────────────────────────────────────────

QUERY_KEYS: dict[str, str] = {
    "convert_fte": "sc_convert", "convert_in": "sc_convert_in", "convert_salary": "sc_convert_salary",
    "supplement": "sc_supplement", "supplement_role": "sc_supplement_role", "supplement_in": "sc_supplement_in",
    "pay_award": "sc_award", "extra_posts": "sc_posts", "extra_posts_in": "sc_posts_in",
    "extra_posts_role": "sc_posts_role", "market_change": "sc_market", "agency_rate_change": "sc_rates",
    "on_cost_factor": "sc_oncost", "standard_weekly_hours": "sc_hours", "name": "sc_name",
}
"""Scenario field → URL query key (`sc_` keeps them apart from the filters)."""


def to_query(scenario: Scenario) -> dict[str, str]:
    """The URL query parameters of a scenario (fields at their defaults are left out)."""
    default = Scenario()
    out = {}
    for f in fields(Scenario):
        value = getattr(scenario, f.name)
        if value != getattr(default, f.name) and value not in (None, ""):
            out[QUERY_KEYS[f.name]] = f"{value:g}" if isinstance(value, float) else str(value)
    return out


def from_query(query: dict[str, str]) -> tuple[Scenario, list[str]]:
    """A scenario from URL query parameters, and a notice for each value that is not usable (ignored)."""
    values: dict[str, Any] = {}
    notices = []
    kinds = {f.name: f.type for f in fields(Scenario)}
    for name, key in QUERY_KEYS.items():
        raw = query.get(key)
        if raw is None or str(raw).strip() == "":
            continue
        if "float" in str(kinds[name]):
            try:
                number = float(raw)
                if not math.isfinite(number):
                    raise ValueError(raw)
            except ValueError:
                notices.append(f"The link's scenario value “{str(raw)[:40]}” for {key} is not a number, so it was "
                               "ignored.")
                continue
            values[name] = number
        else:
            values[name] = str(raw)[:120]
    scenario = Scenario(**values)
    return scenario, notices


def as_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario's fields (for tests and exports)."""
    return asdict(scenario)
