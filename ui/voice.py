"""Shaping the staff voice views for /voice: tiles, survey tables with change in words, trends, the association.

Pages do no arithmetic and no SQL: the few steps /voice needs beyond the views
(picking a theme's rows, putting each survey change into words, lining up the
survey results by team beside the turnover and agency figures by team) live
here. Everything works on the tables a Source gives, so a shared link (where
small groups are `c`) is shaped exactly like a live session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pandas as pd

import charts.voice as voice_charts
import metrics
from charts.bars import ALL_LABEL
from charts.format import as_number
from ingest.schema import RECOMMEND_THEME, SURVEY_THEMES
from metrics.registry import Figure
from metrics.voice import TABLE_REASONS as VOICE_TABLE_REASONS
from ui import layout
from ui import source as src
from ui.filters import FilterState, long_date
from ui.layout import Tile

TILE_FIGURES: tuple[str, ...] = ("recommend_share", "case_supervision_held", "wellbeing_supervision_held",
                                 "induction_on_time", "nq_above_caseload_cap")
"""The figures at the top of /voice (the change since the last survey is the first tile's change)."""

NO_PRIOR: frozenset[str] = frozenset({"nq_above_caseload_cap"})
"""Tiles without a 12-months-earlier value: caseloads are known only as at the extract."""

VIEW_LABEL = "Whole view"
"""The series name of the view's own line (the whole council, or the group the sidebar filters to)."""

COLUMN_LABELS: dict[str, str] = {
    "theme": "Theme", "survey": "Survey", "survey_date": "Survey closed", "respondents": "Respondents",
    "percent_agree": "Agreeing", "mean_score": "Mean score", "scale_max": "Out of", "previous_survey": "Previous survey",
    "previous_date": "Previous survey closed", "previous_respondents": "Respondents, previous survey",
    "previous_percent": "Agreeing, previous survey", "previous_score": "Mean score, previous survey",
    "change_points": "Change since the previous survey", "score_change": "Score change since the previous survey",
    "change_words": "Change in words", "comparator_percent": "Comparator (agreeing)",
    "comparator_score": "Comparator (mean score)", "comparator_source": "Comparator source",
    "recommend_respondents": "Respondents (would recommend)", "recommend_previous_share": "Would recommend, previous survey",
    "recommend_previous_respondents": "Respondents, previous survey",
    "case_supervisees": "Workers expecting case supervision", "case_sessions_held": "Case sessions held (up to the number expected)",
    "case_sessions_expected": "Case sessions expected", "wellbeing_supervisees": "Workers expecting wellbeing supervision",
    "wellbeing_sessions_held": "Wellbeing sessions held (up to the number expected)",
    "wellbeing_sessions_expected": "Wellbeing sessions expected", "induction_due": "Starters due to finish induction",
    "induction_completed_on_time": "Finished induction on time", "starters": "Starters in the 12 months",
    "starters_mentor_known": "Starters with mentor recorded", "starters_with_mentor": "Starters with a mentor",
    "mentor_share": "Starters with a mentor (share)", "nq_in_post": "Newly qualified in post",
    "nq_with_cap": "Newly qualified with a caseload cap", "series": "Series",
}
"""Headers of the staff voice columns that are not registry figures."""

COLUMN_UNITS: dict[str, str] = {
    "respondents": "count", "percent_agree": "percent", "mean_score": "cases", "scale_max": "count",
    "previous_respondents": "count", "previous_percent": "percent", "previous_score": "cases",
    "change_points": "points", "score_change": "cases", "comparator_percent": "percent", "comparator_score": "cases",
    "recommend_respondents": "count", "recommend_previous_share": "percent", "recommend_previous_respondents": "count",
    "case_supervisees": "count", "case_sessions_held": "count", "case_sessions_expected": "count",
    "wellbeing_supervisees": "count", "wellbeing_sessions_held": "count", "wellbeing_sessions_expected": "count",
    "induction_due": "count", "induction_completed_on_time": "count", "starters": "count",
    "starters_mentor_known": "count", "starters_with_mentor": "count", "mentor_share": "percent",
    "nq_in_post": "count", "nq_with_cap": "count",
}
"""Units of those columns (scores shown to one decimal place, as `cases` are)."""

layout.COLUMN_LABELS.update({k: v for k, v in COLUMN_LABELS.items() if k not in layout.COLUMN_LABELS})
layout.COLUMN_UNITS.update({k: v for k, v in COLUMN_UNITS.items() if k not in layout.COLUMN_UNITS})

STANDARD_THEMES: set[str] = set(SURVEY_THEMES)
"""Themes where agreeing is good, so a rise is 'better' (other questions are not judged)."""


# ── tiles ─────────────────────────────────────────────────────────────────────


def _value(df: pd.DataFrame, column: str) -> object:
    """The view's own (first) row's value of a column, or None."""
    if df is None or df.empty or column not in df.columns:
        return None
    value = df[column].iloc[0]
    return None if value is None or (isinstance(value, float) and value != value) else value


def _recommend_row(results: pd.DataFrame) -> pd.Series | None:
    """The view's own 'would recommend' survey row, if there is one."""
    if results.empty or "theme" not in results.columns:
        return None
    rows = results[results["theme"] == RECOMMEND_THEME]
    return rows.iloc[0] if len(rows) else None


def _survey_note(row: pd.Series | None) -> str:
    """'Staff survey 2025 (412 respondents), against Staff survey 2024.'"""
    if row is None:
        return ""
    respondents = row.get("respondents")
    count = as_number(respondents)
    who = f" ({count:,.0f} respondents)" if count is not None else (" (c respondents)" if respondents == "c" else "")
    text = f"{row['survey']}{who}"
    previous = row.get("previous_survey")
    if isinstance(previous, str) and previous:
        text += f", against {previous}"
    return text + "."


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(stamp) else stamp.date()


def tiles(state: FilterState) -> list[Tile]:
    """KPI tiles for the view: 'would recommend' against the previous survey (named), supervision and induction
    against 12 months earlier, newly qualified staff above their cap now."""
    avail = src.availability()
    now = src.view("voice_figures", state.params(by=()))
    before_state = state.year_earlier()
    before = src.view("voice_figures", before_state.params(by=()))
    recommend = _recommend_row(src.view("survey_results", state.params(by=())))
    out = []
    for fid in TILE_FIGURES:
        figure = metrics.FIGURES[fid]
        reason = avail.get(fid, "Not in this data: a snapshot published before the Staff voice page existed.")
        if reason is not None:
            out.append(Tile(figure, None, reason=reason))
            continue
        if fid == "recommend_share":
            prior_date = _date(recommend.get("previous_date")) if recommend is not None else None
            out.append(Tile(figure, _value(now, fid), _value(now, "recommend_previous_share"), prior_date,
                            note=_survey_note(recommend)))
            continue
        prior = None if fid in NO_PRIOR else _value(before, fid)
        out.append(Tile(figure, _value(now, fid), prior, before_state.as_of))
    return out


# ── survey results ────────────────────────────────────────────────────────────


def with_words(df: pd.DataFrame) -> pd.DataFrame:
    """The survey results with 'change_words' beside each change (`c` where the change is hidden)."""
    if df.empty:
        return df.assign(change_words=pd.Series(dtype="object"))
    words = [voice_charts.change_words(change, previous, theme in STANDARD_THEMES)
             for change, previous, theme in zip(df["change_points"], df["previous_survey"], df["theme"], strict=True)]
    return df.assign(change_words=words)


def own_rows(df: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """The view's own rows (one per theme): the 'All' rows when the table is grouped."""
    if df.empty or by is None or by not in df.columns:
        return df.reset_index(drop=True)
    return df[df[by].astype(str) == ALL_LABEL].reset_index(drop=True)


def theme_rows(df: pd.DataFrame, theme: str) -> pd.DataFrame:
    """One theme's rows (each group's, and the view's own)."""
    if df.empty or "theme" not in df.columns:
        return df
    return df[df["theme"] == theme].reset_index(drop=True)


def themes(df: pd.DataFrame) -> list[str]:
    """Themes present with a share agreeing, standard themes first."""
    if df.empty or "theme" not in df.columns:
        return []
    from metrics.voice import theme_order

    return theme_order(list(dict.fromkeys(df["theme"])))


def survey_name(df: pd.DataFrame) -> str | None:
    """The survey the view's own rows mostly come from (the latest), for titles."""
    if df.empty or "survey" not in df.columns:
        return None
    names = [s for s in df["survey"] if isinstance(s, str) and s != "c"]
    return max(set(names), key=names.count) if names else None


def percent_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Rows reported as a share agreeing (shown, or hidden as `c`); scores are in the table only."""
    if df.empty or "percent_agree" not in df.columns:
        return df
    keep = [as_number(v) is not None or v == "c" for v in df["percent_agree"]]
    return df[keep].reset_index(drop=True)


def history_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Survey history rows with a share agreeing (for the trend)."""
    return percent_rows(df)


# ── supervision and induction over time ───────────────────────────────────────


def rows_with(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """The rows that have a value (or a hidden `c`) in `column`: groups a table reports nothing for are left out."""
    if df.empty or column not in df.columns:
        return df
    return df[[as_number(v) is not None or v == "c" for v in df[column]]].reset_index(drop=True)


def teams_in(df: pd.DataFrame, by: str = "team") -> list[str]:
    """Groups of a by-team table other than All, in order."""
    if df.empty or by not in df.columns:
        return []
    return [t for t in dict.fromkeys(df[by].astype(str)) if t != ALL_LABEL]


def series(df: pd.DataFrame, value: str, base: str, teams: Sequence[str] = (), by: str = "team") -> pd.DataFrame:
    """month, series, the figure and the count it rests on: the view's own line and one per chosen team."""
    columns = ["month", "series", value, base]
    if df.empty or value not in df.columns:
        return pd.DataFrame(columns=columns)
    part = df[df[by].astype(str).isin([ALL_LABEL, *teams])] if by in df.columns else df
    out = pd.DataFrame({
        "month": part["month"].to_numpy(),
        "series": [VIEW_LABEL if str(t) == ALL_LABEL else str(t) for t in part[by]] if by in part.columns
        else VIEW_LABEL,
        value: part[value].to_numpy(), base: part[base].to_numpy() if base in part.columns else None,
    })
    out = out[[as_number(v) is not None or v == "c" for v in out[value]]]
    return out.reset_index(drop=True)


# ── survey themes beside turnover and agency use ──────────────────────────────

ASSOCIATION_FIGURES: tuple[str, ...] = ("turnover_rate", "agency_rate", "headcount_in_post", "agency_headcount")
ASSOCIATION_CAPTION = (
    "**Association, not cause.** Teams are listed with what their staff said beside their turnover and agency use. "
    "A team can score low and lose staff for the same underlying reason (a reorganisation, a hard caseload), or by "
    "chance in a small team: read the two side by side, not one as the cause of the other. Survey results are the "
    "latest survey's; turnover is over the 12 months and agency use at the as-of date."
)


def association(state: FilterState, theme: str) -> pd.DataFrame:
    """One row per team with survey results for `theme`, beside its turnover and agency rate (and the view's row).

    Both halves come from their own views (suppressed by their own rules in a shared link); teams are
    matched on their names, ignoring case. Teams with the best survey result first; the view's row last.
    """
    survey = theme_rows(src.view("survey_results", state.params(by=("team",))), theme)
    columns = ["team", "respondents", "percent_agree", "mean_score", "turnover_rate", "agency_rate"]
    if survey.empty:
        return pd.DataFrame(columns=columns)
    staff = src.view("figures", state.params(by=("team",), figures=ASSOCIATION_FIGURES))
    table = survey[["team", "respondents", "percent_agree", "mean_score"]].copy()
    table["_k"] = table["team"].astype(str).str.strip().str.lower()
    if not staff.empty and "team" in staff.columns:
        right = staff[["team", *(f for f in ("turnover_rate", "agency_rate") if f in staff.columns)]].copy()
        right["_k"] = right["team"].astype(str).str.strip().str.lower()
        table = table.merge(right.drop(columns=["team"]), on="_k", how="left")
    for figure in ("turnover_rate", "agency_rate"):
        if figure not in table.columns:
            table[figure] = None
    table["_all"] = table["team"].astype(str) == ALL_LABEL
    table["_v"] = [as_number(v) for v in table["percent_agree"]]
    table = table.sort_values(["_all", "_v"], ascending=[True, False], na_position="last", kind="stable")
    return table[columns].reset_index(drop=True)


def staff_figures_note() -> str | None:
    """Why turnover and agency use are blank, when the data has no staff extract."""
    avail = src.availability()
    reason = avail.get("turnover_rate")
    return reason if reason else None


# ── placing blocks ────────────────────────────────────────────────────────────


def block(*, question: str, figure: Figure | None, data: pd.DataFrame, key: str, as_of: dt.date | None,
          build: Callable, describe: Callable[[], str], columns: Sequence[str], definition: str | None = None,
          off: str | None = None, notes: Sequence[str] = ()) -> None:
    """A figure block that says why it is off (the figure's reason, or no rows) instead of drawing an empty chart."""
    if off is None and figure is not None and not src.is_available(figure.id):
        off = src.why_not(figure.id)
    if off is None and (data is None or data.empty):
        off = "Nothing to show for this selection."
    layout.figure_block(question=question, figure=figure, chart=None if off else build,
                        data=data if off is None else data.iloc[0:0], columns=list(columns),
                        description="" if off else describe(), key=key, as_of=as_of, empty_message=off,
                        definition=definition, extra_notes=notes)


def survey_off(results: pd.DataFrame) -> str | None:
    """Why the survey blocks are off (no survey table, or nothing on or before the as-of date), or None."""
    reason = src.availability().get("recommend_share")
    if reason == VOICE_TABLE_REASONS["survey"]:
        return reason
    if results.empty:
        return "No survey results on or before this date for this selection."
    return None


def survey_definition(state: FilterState, results: pd.DataFrame) -> str:
    """'**Staff survey 2025** (closed 14 November 2025), each theme against the survey before it …'"""
    name = survey_name(results) or "The latest survey"
    dates = [d for d in results.get("survey_date", []) if isinstance(d, dt.date)] if not results.empty else []
    closed = f" (closed {long_date(max(dates))})" if dates else ""
    return (f"**{name}**{closed}: the share of respondents agreeing with each theme, in the latest survey on or "
            "before the as-of date, against the survey before it (◆) and any comparator (▲), with its source.")


def induction_weeks() -> str:
    """The agreed weeks for induction (workforce_lens.toml [metrics] induction_weeks), as shown in a question."""
    from metrics.settings import resolve

    return f"{resolve(None).induction_weeks:g}"


def association_caption() -> str:
    """The association table's caption, with why the staff figures are blank when there is no staff extract."""
    note = staff_figures_note()
    return ASSOCIATION_CAPTION + (f" Turnover and agency use are blank here: {note}" if note else "")
