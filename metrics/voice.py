"""Staff voice: survey results, supervision and induction, as Views over the session's DuckDB.

Three upload tables feed these figures (ingest.schema SURVEY, SUPERVISION,
INDUCTION); each works with or without a staff extract, which, when present,
supplies a worker's service area, team, role, grade, start date, caseload and
qualification date where the voice table leaves them blank.

* **Survey results** are taken as the survey provider reports them, one row per
  survey, theme and group. For a request (grouping `by`, filters, as-of date)
  the "All" row is the result of the group the view is filtered to (the whole
  council when unfiltered), and the group rows are the results reported for
  each service area, team or role. Each shows the latest survey on or before
  the as-of date and the survey before it for the same theme and group.
* **Supervision**: each worker's month counts at most the sessions expected
  (extra sessions for one person never hide missed ones for another); a
  worker-month given on several rows adds up the sessions held and keeps the
  largest number expected. Team rows (no worker id) count their supervisees.
* **Induction**: a starter's induction falls due the agreed number of weeks
  (Settings.induction_weeks) after their start date.

Every rate carries the people count it rests on (respondents, supervisees,
starters due), declared in VIEWS, so shared views hide what small numbers would
reveal. Values reach SQL only as parameters; column names only from fixed lists.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ingest.schema import RECOMMEND_THEME, SURVEY_THEMES, VOICE_TABLES
from metrics.dates import month_ends
from metrics.engine import ALL, NOT_RECORDED, check_cuts, div, filter_sql, grouping_sets, label_all, resolve_as_of
from metrics.figures import FIGURES
from metrics.registry import CUTS, Params, View
from metrics.settings import Settings, resolve

if TYPE_CHECKING:  # pragma: no cover
    from ingest.workforce import Workforce

VOICE_FIGURES: tuple[str, ...] = tuple(f.id for f in FIGURES.values() if f.group == "voice")
"""The staff voice figures, in registry order."""

LEVEL_OF_CUT: dict[str, str] = {"service_area": "service area", "team": "team", "role": "role"}
"""The survey group type reported for each cut column."""

SPECIFIC_FIRST: tuple[str, ...] = ("team", "role", "service_area")
"""When a view is filtered on several cuts, the survey group it stands for is the most specific one."""

BY_OPTIONS: tuple[tuple[str, ...], ...] = ((), ("service_area",), ("team",), ("role",))

SURVEY_COLUMNS: tuple[str, ...] = (
    "theme", "survey", "survey_date", "respondents", "percent_agree", "mean_score", "scale_max", "previous_survey",
    "previous_date", "previous_respondents", "previous_percent", "previous_score", "change_points", "score_change",
    "comparator_percent", "comparator_score", "comparator_source",
)
"""Columns of survey_results after the grouping columns."""

SUPERVISION_COLUMNS: tuple[str, ...] = (
    "case_supervisees", "case_sessions_held", "case_sessions_expected", "case_supervision_held",
    "wellbeing_supervisees", "wellbeing_sessions_held", "wellbeing_sessions_expected", "wellbeing_supervision_held",
)
INDUCTION_COLUMNS: tuple[str, ...] = (
    "induction_due", "induction_completed_on_time", "induction_on_time", "starters", "starters_mentor_known",
    "starters_with_mentor", "mentor_share", "nq_in_post", "nq_with_cap", "nq_above_caseload_cap",
)
RECOMMEND_COLUMNS: tuple[str, ...] = (
    "recommend_respondents", "recommend_share", "recommend_previous_respondents", "recommend_previous_share",
    "recommend_change",
)
FIGURE_COLUMNS: tuple[str, ...] = (*RECOMMEND_COLUMNS, *SUPERVISION_COLUMNS, *INDUCTION_COLUMNS)
"""Columns of voice_figures after the grouping columns."""

_COUNTS = frozenset({"respondents", "previous_respondents", "recommend_respondents", "recommend_previous_respondents",
                     "case_supervisees", "wellbeing_supervisees", "case_sessions_held", "case_sessions_expected",
                     "wellbeing_sessions_held", "wellbeing_sessions_expected", "induction_due",
                     "induction_completed_on_time", "starters", "starters_mentor_known", "starters_with_mentor",
                     "nq_in_post", "nq_with_cap", "nq_above_caseload_cap"})


# ── shared helpers ────────────────────────────────────────────────────────────


def has_voice(workforce: Workforce) -> bool:
    """True when any staff voice table has rows."""
    return any(workforce.has(t) for t in VOICE_TABLES)


def _run(workforce: Workforce, sql: str, sqlp: dict) -> pd.DataFrame:
    """Execute with only the parameters the SQL uses."""
    return workforce.cursor().execute(sql, {k: v for k, v in sqlp.items() if f"${k}" in sql}).df()


def _empty(by: tuple[str, ...], columns: tuple[str, ...], lead: tuple[str, ...] = ()) -> pd.DataFrame:
    return pd.DataFrame(columns=[*lead, *by, *columns])


def _people_sql(workforce: Workforce) -> str:
    """One row per worker_id from the staff table (the latest record), or no rows without staff."""
    if not workforce.has("staff"):
        return ("SELECT CAST(NULL AS VARCHAR) AS worker_id, CAST(NULL AS VARCHAR) AS service_area, "
                "CAST(NULL AS VARCHAR) AS team, CAST(NULL AS VARCHAR) AS role, CAST(NULL AS VARCHAR) AS grade, "
                "CAST(NULL AS DATE) AS start_date, CAST(NULL AS DATE) AS end_date, CAST(NULL AS BIGINT) AS caseload, "
                "CAST(NULL AS DATE) AS qualified_date WHERE false")
    return """SELECT DISTINCT ON (worker_id) worker_id, CAST(service_area AS VARCHAR) AS service_area,
                     CAST(team AS VARCHAR) AS team, CAST(role AS VARCHAR) AS role, CAST(grade AS VARCHAR) AS grade,
                     start_date, end_date, caseload, qualified_date
              FROM staff WHERE worker_id IS NOT NULL
              ORDER BY worker_id, start_date DESC NULLS LAST, end_date DESC NULLS FIRST"""


def _team_area_sql(workforce: Workforce) -> str:
    """Teams that sit in exactly one service area of the staff table: k (lower-case team) → area."""
    if not workforce.has("staff"):
        return "SELECT CAST(NULL AS VARCHAR) AS k, CAST(NULL AS VARCHAR) AS area WHERE false"
    return """SELECT lower(trim(CAST(team AS VARCHAR))) AS k, min(CAST(service_area AS VARCHAR)) AS area
              FROM staff WHERE team IS NOT NULL AND service_area IS NOT NULL
              GROUP BY 1 HAVING count(DISTINCT service_area) = 1"""


def _labels(prefix: str, staff: str, fallback_area: str = "") -> str:
    """The cut columns of a voice row: its own value, else the staff record's, else 'Not recorded'."""
    area = f"coalesce({prefix}.service_area, {staff}.service_area{fallback_area}, '{NOT_RECORDED}')"
    return (f"{area} AS service_area, coalesce({prefix}.team, {staff}.team, '{NOT_RECORDED}') AS team, "
            f"coalesce({prefix}.role, {staff}.role, '{NOT_RECORDED}') AS role, "
            f"coalesce({staff}.grade, '{NOT_RECORDED}') AS grade")


def _filters_where(filters: tuple[tuple[str, str], ...], sqlp: dict, alias: str = "") -> str:
    """' AND <filters>' on the labelled cut columns ('' when unfiltered)."""
    where = filter_sql(filters, sqlp, alias=alias, coalesce=False)
    return f" AND {where}" if where else ""


def _by(params: Params) -> tuple[str, ...]:
    by = tuple(params.by)
    check_cuts(by)
    return by


def _str_keys(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    for key in keys:
        if key in df.columns:
            df[key] = df[key].astype("str")
    return df


def _merge(frames: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    """Outer-join per-table frames on their grouping columns (a single row each when there are none)."""
    frames = [f for f in frames if f is not None and len(f)]
    if not frames:
        return pd.DataFrame(columns=keys)
    out = frames[0]
    for frame in frames[1:]:
        out = out.merge(frame, on=keys, how="outer") if keys else pd.concat(
            [out.reset_index(drop=True), frame.reset_index(drop=True)], axis=1)
    return out


def _sort(df: pd.DataFrame, by: tuple[str, ...], lead: tuple[str, ...] = ()) -> pd.DataFrame:
    from metrics.compute import _sort as sort_groups  # the same group order as every other table

    return sort_groups(df, by, lead)


def latest_date(workforce: Workforce) -> dt.date | None:
    """The latest date in the staff voice tables that is not after today (survey, supervision month, induction)."""
    parts = []
    if workforce.has("survey"):
        parts.append("SELECT max(survey_date) AS d FROM survey WHERE survey_date <= current_date")
    if workforce.has("supervision"):
        parts.append("SELECT max(last_day(month)) AS d FROM supervision WHERE last_day(month) <= current_date")
    if workforce.has("induction"):
        parts.append("SELECT max(greatest(start_date, coalesce(induction_completed_date, start_date))) AS d "
                     "FROM induction WHERE start_date <= current_date")
    if not parts:
        return None
    row = workforce.cursor().execute(f"SELECT max(d) FROM ({' UNION ALL '.join(parts)})").fetchone()
    return row[0] if row else None


def _dates(column: pd.Series) -> pd.Series:
    """A column of datetime.date objects (None where blank)."""
    stamps = pd.to_datetime(column)
    return pd.Series([d.date() if pd.notna(d) else None for d in stamps], index=column.index, dtype="object")


def _as_of(workforce: Workforce, params: Params) -> dt.date:
    return resolve_as_of(workforce, params)


# ── survey ────────────────────────────────────────────────────────────────────


def survey_table(workforce: Workforce) -> str:
    """The survey rows with cut labels: a service area's row is labelled with it, a team's with the team and its
    service area (as given, else from the staff table), a role's with the role; built once per upload."""
    sql = f"""
        WITH tm AS ({_team_area_sql(workforce)})
        SELECT s.survey, s.survey_date, s.theme, s.question, coalesce(s.group_type, 'whole council') AS group_type,
               s.group_name, s.respondents, s.percent_agree, s.mean_score, s.scale_max, s.comparator_percent,
               s.comparator_score, s.comparator_source,
               CASE coalesce(s.group_type, 'whole council') WHEN 'whole council' THEN NULL
                    WHEN 'service area' THEN s.group_name ELSE coalesce(s.service_area, tm.area) END AS service_area,
               CASE WHEN s.group_type = 'team' THEN s.group_name END AS team,
               CASE WHEN s.group_type = 'role' THEN s.group_name END AS role,
               CAST(NULL AS VARCHAR) AS grade
        FROM survey s LEFT JOIN tm ON s.group_type = 'team' AND tm.k = lower(trim(s.group_name))"""
    return workforce.derived("voice_survey", sql)


def _all_level(filters: tuple[tuple[str, str], ...]) -> str | None:
    """The survey group type the 'All' row of a filtered view is (None when no survey group can be: grade)."""
    columns = {c for c, _ in filters}
    if "grade" in columns:
        return None
    for column in SPECIFIC_FIRST:
        if column in columns:
            return LEVEL_OF_CUT[column]
    return "whole council"


def survey_rows(workforce: Workforce, by: tuple[str, ...], filters: tuple[tuple[str, str], ...], as_of: dt.date,
                themes: tuple[str, ...] = (), history: bool = False) -> pd.DataFrame:
    """Survey results for the view: the All row's group and (with `by`) each group's, per theme.

    The latest survey on or before `as_of`, with the survey before it for the same theme and group
    (or, with `history`, every survey up to `as_of`). Grouping columns hold 'All' on the view's own rows.
    """
    check_cuts(by)
    if not workforce.has("survey"):
        return _empty(by, SURVEY_COLUMNS)
    table = survey_table(workforce)
    sqlp: dict = {"as_of": as_of}
    theme_where = ""
    if themes:
        sqlp["themes"] = list(themes)
        theme_where = " AND list_contains($themes, theme)"
    parts = []
    level = _all_level(filters)
    if level is not None:
        sqlp["all_level"] = level
        labels = ", ".join(f"'{ALL}' AS \"{c}\"" for c in by)
        parts.append(f"""SELECT {labels + ", " if labels else ""}TRUE AS is_all, l.* EXCLUDE ({", ".join(CUTS)})
                         FROM "{table}" l WHERE survey_date <= $as_of AND group_type = $all_level{theme_where}
                         {_filters_where(filters, sqlp, "l.")}""")
    if by and by[-1] in LEVEL_OF_CUT and not history:
        sqlp["group_level"] = LEVEL_OF_CUT[by[-1]]
        labels = ", ".join(f"coalesce(l.\"{c}\", '{NOT_RECORDED}') AS \"{c}\"" for c in by)
        where = filter_sql(filters, sqlp, alias="l.", coalesce=True)
        parts.append(f"""SELECT {labels}, FALSE AS is_all, l.* EXCLUDE ({", ".join(CUTS)})
                         FROM "{table}" l WHERE survey_date <= $as_of AND group_type = $group_level{theme_where}
                         {" AND " + where if where else ""}""")
    if not parts:
        return _empty(by, SURVEY_COLUMNS)
    keys = ", ".join(f"lower(\"{c}\")" for c in by)
    partition = f"is_all, theme{', ' + keys if keys else ''}"
    same = " AND ".join(["p.is_all = c.is_all", "p.theme = c.theme", *(f"lower(p.\"{c}\") = lower(c.\"{c}\")"
                                                                          for c in by)])
    if history:
        sql = f"SELECT * FROM ({' UNION ALL BY NAME '.join(parts)}) ORDER BY survey_date, survey"
    else:
        sql = f"""
            WITH sel AS ({" UNION ALL BY NAME ".join(parts)}),
            r AS (SELECT *, row_number() OVER (PARTITION BY {partition} ORDER BY survey_date DESC, survey DESC) AS k
                  FROM sel)
            SELECT c.*, p.survey AS previous_survey, p.survey_date AS previous_date,
                   p.respondents AS previous_respondents, p.percent_agree AS previous_percent,
                   p.mean_score AS previous_score, p.scale_max AS previous_scale
            FROM r c LEFT JOIN r p ON p.k = 2 AND {same}
            WHERE c.k = 1"""
    df = _run(workforce, sql, sqlp)
    return _shape_survey(df, by, history)


def theme_order(themes: list[str]) -> list[str]:
    """Themes in the order pages show them: the standard themes first (in their order), then the rest A–Z."""
    standard = [t for t in SURVEY_THEMES if t in themes]
    return standard + sorted((t for t in dict.fromkeys(themes) if t not in SURVEY_THEMES), key=str.lower)


def _shape_survey(df: pd.DataFrame, by: tuple[str, ...], history: bool) -> pd.DataFrame:
    """Typed columns, the changes since the previous survey, groups in order within each theme."""
    columns = ("theme", "survey", "survey_date", "respondents", "percent_agree", "mean_score", "scale_max") \
        if history else SURVEY_COLUMNS
    if df.empty:
        return _empty(by, columns)
    for column in ("survey_date", "previous_date"):
        if column in df.columns:
            df[column] = _dates(df[column])
    if not history:
        df["change_points"] = (df["percent_agree"] - df["previous_percent"]) * 100.0
        same_scale = (df["scale_max"] == df["previous_scale"]) | (df["scale_max"].isna() & df["previous_scale"].isna())
        df["score_change"] = (df["mean_score"] - df["previous_score"]).where(same_scale)
        df["previous_respondents"] = pd.to_numeric(df["previous_respondents"], errors="coerce").astype("float64")
    df["respondents"] = pd.to_numeric(df["respondents"], errors="coerce").astype("Int64").astype("float64")
    for column in ("percent_agree", "mean_score", "scale_max", "previous_percent", "previous_score",
                   "comparator_percent", "comparator_score"):
        if column in df.columns:
            df[column] = pd.to_numeric(df[column], errors="coerce").astype("float64")
    df = _str_keys(df, list(by))
    order = {t: i for i, t in enumerate(theme_order(df["theme"].tolist()))}
    df = _sort(df, by) if by else df.reset_index(drop=True)
    df["_t"] = df["theme"].map(order)
    sort_keys = ["survey_date", "_t"] if history else ["_t"]
    df = df.sort_values(sort_keys, kind="stable").drop(columns="_t")
    return df[[*by, *columns]].reset_index(drop=True)


def survey_results(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Each theme's latest result for the view and its groups, against the survey before and any comparator."""
    by = _by(params)
    return survey_rows(workforce, by, tuple(params.filters), _as_of(workforce, params))


def survey_history(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Every survey's result for the view's own group, theme by theme, oldest first (for 'is it getting better?')."""
    return survey_rows(workforce, (), tuple(params.filters), _as_of(workforce, params), history=True)


def _recommend(workforce: Workforce, by: tuple[str, ...], filters: tuple[tuple[str, str], ...],
               as_of: dt.date) -> pd.DataFrame | None:
    """The 'would recommend' columns of voice_figures."""
    if not workforce.has("survey"):
        return None
    rows = survey_rows(workforce, by, filters, as_of, themes=(RECOMMEND_THEME,))
    rows = rows[rows["percent_agree"].notna()] if len(rows) else rows
    if rows.empty:
        return None
    out = rows[list(by)].copy()
    out["recommend_respondents"] = rows["respondents"].to_numpy()
    out["recommend_share"] = rows["percent_agree"].to_numpy()
    previous = rows["previous_percent"].notna()
    out["recommend_previous_respondents"] = rows["previous_respondents"].where(previous).to_numpy()
    out["recommend_previous_share"] = rows["previous_percent"].to_numpy()
    out["recommend_change"] = rows["change_points"].to_numpy()
    return out


# ── supervision ───────────────────────────────────────────────────────────────


def supervision_table(workforce: Workforce) -> str:
    """Supervision rows with cut labels (the row's own, else the worker's staff record) and month ends."""
    sql = f"""
        WITH p AS ({_people_sql(workforce)}), tm AS ({_team_area_sql(workforce)})
        SELECT {_labels("sv", "p", ", tm.area")},
               coalesce(sv.worker_id, 'team: ' || coalesce(sv.team, '')) AS unit, sv.worker_id IS NULL AS team_row,
               last_day(sv.month) AS month_end,
               sv.case_supervision_held AS ch, sv.case_supervision_expected AS ce,
               sv.wellbeing_supervision_held AS wh, sv.wellbeing_supervision_expected AS we, sv.supervisees
        FROM supervision sv
        LEFT JOIN p ON p.worker_id = sv.worker_id
        LEFT JOIN tm ON tm.k = lower(trim(coalesce(sv.team, p.team)))
        WHERE sv.month IS NOT NULL"""
    return workforce.derived("voice_supervision", sql)


_UNIT_MONTHS = """wm AS (
    SELECT service_area, team, role, grade, unit, team_row, month_end,
           sum(ch) AS ch, CASE WHEN team_row THEN sum(ce) ELSE max(ce) END AS ce,
           sum(wh) AS wh, CASE WHEN team_row THEN sum(we) ELSE max(we) END AS we,
           CASE WHEN team_row THEN sum(supervisees) ELSE 1 END AS people
    FROM sv GROUP BY service_area, team, role, grade, unit, team_row, month_end)"""
"""Each worker's (or team's) month once: sessions held added up, the largest number expected kept."""


def _supervision_sums(held: str, expected: str, people: str) -> dict[str, str]:
    """SQL of one kind's sessions counted (capped at expected), expected, and the people they rest on."""
    return {
        "held": f"coalesce(sum(least(coalesce({held}, 0), {expected})) FILTER (WHERE {expected} IS NOT NULL), 0)",
        "expected": f"coalesce(sum({expected}), 0)",
        "people": f"count(DISTINCT unit) FILTER (WHERE NOT team_row AND {expected} > 0) + "
                  f"coalesce(sum({people}) FILTER (WHERE team_row AND {expected} > 0), 0)",
    }


def supervision_aggregates(workforce: Workforce, by: tuple[str, ...], filters: tuple[tuple[str, str], ...],
                           as_of: dt.date, monthly: bool = False, months: int = 24) -> pd.DataFrame | None:
    """Sessions held (capped) and expected, and supervisees, per group plus All.

    Over the 12 months ending on `as_of` (one row per group), or, `monthly`, for each of the
    `months` months ending on or before it (one row per month and group). None without the table.
    """
    check_cuts(by)
    if not workforce.has("supervision"):
        return None
    table = supervision_table(workforce)
    ends = month_ends(as_of, months if monthly else 12)
    sqlp: dict = {"lo": ends[0], "hi": ends[-1]}
    where = _filters_where(filters, sqlp, "l.")
    lead = ("month_end",) if monthly else ()
    select, flag, group = grouping_sets(by, lead=lead)
    if monthly:
        source, parts = "wm", []
    else:
        source = "u"
        parts = ["""u AS (
            SELECT service_area, team, role, grade, unit, team_row,
                   sum(least(coalesce(ch, 0), ce)) FILTER (WHERE ce IS NOT NULL) AS ch, sum(ce) AS ce,
                   sum(least(coalesce(wh, 0), we)) FILTER (WHERE we IS NOT NULL) AS wh, sum(we) AS we,
                   max(people) FILTER (WHERE ce > 0) AS cp, max(people) FILTER (WHERE we > 0) AS wp
            FROM wm GROUP BY service_area, team, role, grade, unit, team_row)"""]
    case = _supervision_sums("ch", "ce", "people" if monthly else "cp")
    wellbeing = _supervision_sums("wh", "we", "people" if monthly else "wp")
    if not monthly:  # already capped per worker-month in u
        case["held"] = "coalesce(sum(ch), 0)"
        wellbeing["held"] = "coalesce(sum(wh), 0)"
    ctes = ",\n".join([f"""sv AS (SELECT * FROM "{table}" l WHERE l.month_end >= $lo AND l.month_end <= $hi{where})""",
                       _UNIT_MONTHS, *parts])
    sql = f"""WITH {ctes}
        SELECT {select + ", " if select else ""}{flag} AS _g,
               {case["people"]} AS case_supervisees, {case["held"]} AS case_sessions_held,
               {case["expected"]} AS case_sessions_expected,
               {wellbeing["people"]} AS wellbeing_supervisees, {wellbeing["held"]} AS wellbeing_sessions_held,
               {wellbeing["expected"]} AS wellbeing_sessions_expected
        FROM {source} {group}"""
    df = label_all(_run(workforce, sql, sqlp), by)
    if monthly:
        df = df.rename(columns={"month_end": "month"})
        df["month"] = _dates(df["month"])
    for column in ("case_supervisees", "wellbeing_supervisees", "case_sessions_held", "case_sessions_expected",
                   "wellbeing_sessions_held", "wellbeing_sessions_expected"):
        df[column] = pd.to_numeric(df[column], errors="coerce").fillna(0).astype("int64")
    df["case_supervision_held"] = div(df["case_sessions_held"], df["case_sessions_expected"])
    df["wellbeing_supervision_held"] = div(df["wellbeing_sessions_held"], df["wellbeing_sessions_expected"])
    return _str_keys(df, list(by))[[*(["month"] if monthly else []), *by, *SUPERVISION_COLUMNS]]


# ── induction ─────────────────────────────────────────────────────────────────


def induction_table(workforce: Workforce) -> str:
    """Induction rows with cut labels, start date, caseload and staff dates (the induction table's own first)."""
    sql = f"""
        WITH p AS ({_people_sql(workforce)}), tm AS ({_team_area_sql(workforce)})
        SELECT {_labels("i", "p", ", tm.area")}, i.worker_id,
               coalesce(i.start_date, p.start_date) AS start_date, i.induction_completed_date AS completed,
               i.mentor_assigned AS mentor, i.newly_qualified AS nq_flag, p.qualified_date,
               i.protected_caseload_cap AS cap, coalesce(i.caseload, p.caseload) AS caseload,
               p.start_date AS staff_start, p.end_date AS staff_end, p.worker_id IS NOT NULL AS in_staff
        FROM (SELECT * FROM induction WHERE worker_id IS NOT NULL
              QUALIFY row_number() OVER (PARTITION BY worker_id ORDER BY start_date NULLS LAST) = 1) i
        LEFT JOIN p ON p.worker_id = i.worker_id
        LEFT JOIN tm ON tm.k = lower(trim(coalesce(i.team, p.team)))"""
    return workforce.derived("voice_induction", sql)  # one row per worker: plain counts count people


def induction_aggregates(workforce: Workforce, by: tuple[str, ...], filters: tuple[tuple[str, str], ...],
                         dates: list[dt.date], settings: Settings) -> pd.DataFrame | None:
    """Per date and group plus All: starters due to finish induction and those on time, mentors, newly
    qualified workers and their caseload caps. None without the table."""
    check_cuts(by)
    if not workforce.has("induction"):
        return None
    table = induction_table(workforce)
    sqlp: dict = {"dates": list(dates), "due_days": int(round(settings.induction_weeks * 7))}
    where = _filters_where(filters, sqlp, "i.")
    select, flag, group = grouping_sets(by, lead=("as_of",))
    due_now = "due > w AND due <= as_of"
    started = "start_date > w AND start_date <= as_of"
    sql = f"""
        WITH d AS (SELECT as_of, CAST(as_of - INTERVAL 12 MONTH AS DATE) AS w,
                          CAST(as_of - INTERVAL 1 YEAR AS DATE) AS y1
                   FROM (SELECT unnest($dates::DATE[]) AS as_of)),
        x AS (SELECT d.*, i.*, CAST(i.start_date + to_days(CAST($due_days AS INTEGER)) AS DATE) AS due,
                     coalesce(i.nq_flag = 'yes', i.qualified_date <= d.as_of AND i.qualified_date > d.y1, false) AS nq,
                     CASE WHEN i.in_staff THEN i.staff_start <= d.as_of AND (i.staff_end IS NULL OR i.staff_end > d.as_of)
                          ELSE i.start_date IS NULL OR i.start_date <= d.as_of END AS in_post
              FROM "{table}" i CROSS JOIN d WHERE TRUE{where})
        SELECT {select}, {flag} AS _g,
               count(*) FILTER (WHERE {due_now}) AS induction_due,
               count(*) FILTER (WHERE {due_now} AND completed IS NOT NULL AND completed <= due)
                   AS induction_completed_on_time,
               count(*) FILTER (WHERE {started}) AS starters,
               count(*) FILTER (WHERE {started} AND mentor IS NOT NULL) AS starters_mentor_known,
               count(*) FILTER (WHERE {started} AND mentor = 'yes') AS starters_with_mentor,
               count(*) FILTER (WHERE nq AND in_post) AS nq_in_post,
               count(*) FILTER (WHERE nq AND in_post AND cap IS NOT NULL AND caseload IS NOT NULL)
                   AS nq_with_cap,
               count(*) FILTER (WHERE nq AND in_post AND caseload > cap) AS nq_above_caseload_cap
        FROM x {group}"""
    df = label_all(_run(workforce, sql, sqlp), by)
    df["as_of"] = _dates(df["as_of"])
    for column in _COUNTS & set(df.columns):
        df[column] = pd.to_numeric(df[column], errors="coerce").fillna(0).astype("int64")
    df["induction_on_time"] = div(df["induction_completed_on_time"], df["induction_due"])
    df["mentor_share"] = div(df["starters_with_mentor"], df["starters_mentor_known"])
    return _str_keys(df, list(by))[["as_of", *by, *INDUCTION_COLUMNS]]


# ── the Views ─────────────────────────────────────────────────────────────────


def voice_figures(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """The staff voice figures per group plus All, with the people each rests on (see FIGURE_COLUMNS)."""
    by = _by(params)
    if not has_voice(workforce):
        return _empty(by, FIGURE_COLUMNS)
    settings = resolve(settings)
    filters = tuple(params.filters)
    as_of = _as_of(workforce, params)
    frames = [_recommend(workforce, by, filters, as_of), supervision_aggregates(workforce, by, filters, as_of)]
    induction = induction_aggregates(workforce, by, filters, [as_of], settings)
    frames.append(None if induction is None else induction.drop(columns=["as_of"]))
    df = _merge([_str_keys(f, list(by)) if f is not None else None for f in frames], list(by))
    for column in FIGURE_COLUMNS:
        if column not in df.columns:
            df[column] = np.nan
    df = _sort(df[[*by, *FIGURE_COLUMNS]], by) if by else df[list(FIGURE_COLUMNS)].reset_index(drop=True)
    return _counts_as_numbers(df)


def _counts_as_numbers(df: pd.DataFrame) -> pd.DataFrame:
    """Counts as float (NaN where a table gives none for a group, never 0 made up), rates as float."""
    for column in df.columns:
        if column in _COUNTS or column in FIGURES or column.endswith(("_share", "_held", "_on_time", "_change")):
            df[column] = pd.to_numeric(df[column], errors="coerce").astype("float64")
    return df


def voice_by_month(workforce: Workforce, params: Params, settings: Settings | None = None) -> pd.DataFrame:
    """Month by month for the 24 months to the as-of date: supervision held that month, induction on time over
    the 12 months ending that month, per group plus All."""
    by = _by(params)
    columns = (*SUPERVISION_COLUMNS, "induction_due", "induction_completed_on_time", "induction_on_time")
    if not (workforce.has("supervision") or workforce.has("induction")):
        return _empty(by, columns, lead=("month",))
    settings = resolve(settings)
    filters = tuple(params.filters)
    as_of = _as_of(workforce, params)
    ends = month_ends(as_of, 24)
    supervision = supervision_aggregates(workforce, by, filters, as_of, monthly=True)
    induction = induction_aggregates(workforce, by, filters, ends, settings)
    if induction is not None:
        induction = induction.rename(columns={"as_of": "month"})[
            ["month", *by, "induction_due", "induction_completed_on_time", "induction_on_time"]]
        induction = induction[(induction["induction_due"] > 0) | induction[list(by)].eq(ALL).all(axis=1)] \
            if by else induction
    df = _merge([supervision, induction], ["month", *by])
    for column in columns:
        if column not in df.columns:
            df[column] = np.nan
    df = _sort(df[["month", *by, *columns]], by, lead=("month",))
    return _counts_as_numbers(df)


VIEWS: dict[str, View] = {v.name: v for v in (
    View("voice_figures", "Staff voice figures", voice_figures, by_options=((), ("team",), ("service_area",)),
         people_columns=("recommend_respondents", "recommend_previous_respondents", "case_supervisees",
                         "wellbeing_supervisees", "induction_due", "induction_completed_on_time", "starters",
                         "starters_mentor_known", "starters_with_mentor", "nq_in_post", "nq_with_cap",
                         "nq_above_caseload_cap"),
         rate_columns={"recommend_share": "recommend_respondents",
                       "recommend_previous_share": "recommend_previous_respondents",
                       "recommend_change": ("recommend_respondents", "recommend_previous_respondents"),
                       "case_sessions_held": "case_supervisees", "case_sessions_expected": "case_supervisees",
                       "case_supervision_held": "case_supervisees",
                       "wellbeing_sessions_held": "wellbeing_supervisees",
                       "wellbeing_sessions_expected": "wellbeing_supervisees",
                       "wellbeing_supervision_held": "wellbeing_supervisees",
                       "induction_on_time": ("induction_due", "induction_completed_on_time"),
                       "mentor_share": ("starters_mentor_known", "starters_with_mentor")},
         needs=()),
    View("survey_results", "Staff survey results", survey_results, by_options=BY_OPTIONS,
         people_columns=("respondents", "previous_respondents"),
         rate_columns={"percent_agree": "respondents", "mean_score": "respondents",
                       "previous_percent": "previous_respondents", "previous_score": "previous_respondents",
                       "change_points": ("respondents", "previous_respondents"),
                       "score_change": ("respondents", "previous_respondents")},
         needs=("survey",)),
    View("survey_history", "Staff survey results over time", survey_history, by_options=((),),
         people_columns=("respondents",), rate_columns={"percent_agree": "respondents", "mean_score": "respondents"},
         needs=("survey",)),
    View("voice_by_month", "Supervision and induction by month", voice_by_month, by_options=(("team",),),
         people_columns=("case_supervisees", "wellbeing_supervisees", "induction_due", "induction_completed_on_time"),
         rate_columns={"case_sessions_held": "case_supervisees", "case_sessions_expected": "case_supervisees",
                       "case_supervision_held": "case_supervisees",
                       "wellbeing_sessions_held": "wellbeing_supervisees",
                       "wellbeing_sessions_expected": "wellbeing_supervisees",
                       "wellbeing_supervision_held": "wellbeing_supervisees",
                       "induction_on_time": ("induction_due", "induction_completed_on_time")},
         needs=()),
)}
"""The staff voice datasets the /voice page shows (merged into metrics.VIEWS)."""


# ── which figures the data allows ─────────────────────────────────────────────

TABLE_REASONS: dict[str, str] = {
    "survey": "No staff survey results: add a 'survey' sheet (one row per survey, theme and group, as the survey "
              "provider reports them) to switch on what staff say.",
    "supervision": "No supervision log: add a 'supervision' sheet (sessions held and expected per worker or team "
                   "and month) to switch on supervision figures.",
    "induction": "No induction table: add an 'induction' sheet (one row per new starter: start, induction "
                 "completed, mentor, newly qualified, protected caseload) to switch on induction figures.",
}


def reasons(known) -> dict[str, str | None]:
    """Per staff voice figure: None when the data allows it, else why not and what would switch it on.

    `known` answers has(table) and has_column(table, column) (metrics.availability's), and holds the Workforce.
    """
    out: dict[str, str | None] = {}
    survey = _survey_reasons(known) if known.has("survey") else (TABLE_REASONS["survey"],) * 2
    out["recommend_share"], out["recommend_change"] = survey
    for kind in ("case", "wellbeing"):
        figure = f"{kind}_supervision_held"
        if not known.has("supervision"):
            out[figure] = TABLE_REASONS["supervision"]
        elif not known.has_column("supervision", f"{kind}_supervision_expected"):
            out[figure] = (f"The supervision table has no {kind}_supervision_expected column: add the {kind} "
                           "sessions expected each month (and those held) to switch this figure on.")
        else:
            out[figure] = None
    if not known.has("induction"):
        out["induction_on_time"] = out["nq_above_caseload_cap"] = TABLE_REASONS["induction"]
        return out
    staff = known.has("staff")
    out["induction_on_time"] = None
    if not known.has_column("induction", "induction_completed_date"):
        out["induction_on_time"] = ("The induction table has no induction_completed_date column: add the date each "
                                    "starter completed induction.")
    elif not known.has_column("induction", "start_date") and not staff:
        out["induction_on_time"] = ("The induction table has no start_date column and there is no staff extract to "
                                    "take it from: add each starter's start date.")
    out["nq_above_caseload_cap"] = None
    if not known.has_column("induction", "protected_caseload_cap"):
        out["nq_above_caseload_cap"] = ("The induction table has no protected_caseload_cap column: add the caseload "
                                        "cap agreed for each newly qualified worker.")
    elif not known.has_column("induction", "caseload") and not (staff and known.has_column("staff", "caseload")):
        out["nq_above_caseload_cap"] = ("No caseloads: add a caseload column to the induction table, or a staff "
                                        "extract with caseloads.")
    elif not known.has_column("induction", "newly_qualified") and not (
            staff and known.has_column("staff", "qualified_date")):
        out["nq_above_caseload_cap"] = ("No way to tell who is newly qualified: add a newly_qualified column (yes/no) "
                                        "to the induction table, or qualified_date to the staff extract.")
    return out


def _survey_reasons(known) -> tuple[str | None, str | None]:
    """(recommend_share, recommend_change) reasons when a survey table is present."""
    row = known.workforce.cursor().execute(
        "SELECT count(*), count(DISTINCT survey_date) FROM survey WHERE theme = ? AND percent_agree IS NOT NULL",
        [RECOMMEND_THEME]).fetchone()
    if not row or not row[0]:
        missing = (f"The survey results have no '{RECOMMEND_THEME}' theme with a percentage agreeing: add that "
                   "question's results (any wording with 'recommend' is recognised).")
        return missing, missing
    if row[1] < 2:
        return None, (f"Only one survey has '{RECOMMEND_THEME}' results: the change needs the survey before it "
                      "too (add its rows with their own survey name and date).")
    return None, None
