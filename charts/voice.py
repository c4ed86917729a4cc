"""Staff survey charts: results by theme or group against the previous survey and a comparator, and over time.

Pure functions (no Streamlit, no SQL): a survey results table in, an Altair chart
or a sentence out. Each bar is labelled with its value and its change since the
previous survey in words; the previous survey and the comparator are marked by
shape (and named in the legend), so no meaning rests on colour alone. A hidden
(`c`) result has no bar and is labelled `c`, and its change is `c` too.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from charts.bars import ALL_LABEL, cut_title
from charts.fit import LEGEND_ORIENT, room_for_labels
from charts.format import as_number, format_value, judge
from charts.theme import BAR_STEP, NEUTRAL, REFERENCE, STATUS_COLOURS, configure, title_props
from charts.trend import trend
from metrics.registry import Figure

SHARE_AGREEING = Figure(id="share_agreeing", label="Share agreeing", definition="", unit="percent",
                        polarity="higher_is_better")
"""Axis and label formats of a survey's percent agreeing (a chart axis, not a registry figure)."""

MARKERS: dict[str, str] = {"Previous survey": "diamond", "Comparator": "triangle-up"}
"""Shape of each reference mark on the bars."""


def is_hidden(value: object) -> bool:
    """True for a suppressed cell (`c`)."""
    return isinstance(value, str) and value.strip() == "c"


def change_words(change: object, previous_survey: object, judged: bool = True) -> str:
    """'up 6.0 pts since Staff survey 2024 (better)', 'no previous survey', or 'c' when hidden."""
    if is_hidden(change):
        return "c"
    points = as_number(change)
    name = previous_survey if isinstance(previous_survey, str) and previous_survey and not is_hidden(
        previous_survey) else "the previous survey"
    if points is None:
        return "no previous survey to compare with" if name == "the previous survey" else f"not compared with {name}"
    if round(points, 1) == 0:
        return f"no change since {name}"
    direction = "up" if points > 0 else "down"
    verdict = (" (better)" if points > 0 else " (worse)") if judged else ""
    return f"{direction} {abs(points):.1f} pts since {name}{verdict}"


def survey_data(df: pd.DataFrame, category: str, judged: set[str] | None = None) -> pd.DataFrame:
    """The rows a survey bar chart draws: category, value, label, status (vs the previous survey) and the marks."""
    rows = []
    for _, row in df.iterrows():
        name = str(row[category])
        if name == ALL_LABEL and category != "theme":
            continue
        value, before = row.get("percent_agree"), row.get("previous_percent")
        number = as_number(value)
        is_judged = judged is None or str(row.get("theme")) in judged
        words = change_words(row.get("change_points"), row.get("previous_survey"), is_judged)
        status = judge(number, as_number(before), "higher_is_better") if is_judged else None
        label = "c" if is_hidden(value) else format_value(number, "percent")
        if not is_hidden(value) and as_number(row.get("change_points")) is not None:
            label += f" ({words.split(' since ')[0]})"
        marks = [v for v in (number, as_number(before), as_number(row.get("comparator_percent"))) if v is not None]
        rows.append({"category": name, "value": number, "label": label, "words": words,
                     "label_at": max(marks) if marks else 0.0,
                     "status": status or "no comparison",
                     "previous": as_number(before), "comparator": as_number(row.get("comparator_percent")),
                     "comparator_source": row.get("comparator_source") if isinstance(
                         row.get("comparator_source"), str) else ""})
    return pd.DataFrame(rows, columns=["category", "value", "label", "label_at", "words", "status", "previous",
                                       "comparator", "comparator_source"])


def survey_bars(df: pd.DataFrame, *, category: str = "theme", title: str = "",
                judged: set[str] | None = None) -> alt.Chart:
    """Horizontal bars of the share agreeing per theme (or group), with the previous survey and comparator marked.

    Bars are coloured better/worse than the previous survey and labelled in words; `judged` limits the
    judgement to themes where agreeing is good (the standard themes), the rest are one colour.
    """
    data = survey_data(df, category, judged)
    order = list(data["category"])
    y = alt.Y("category:N", sort=order, title=cut_title(category) if category != "theme" else None)
    end = room_for_labels(list(data["label_at"]), list(data["label"]), floor=1.0, gap=18)
    x = alt.X("value:Q", title="Share agreeing (%)",
              axis=alt.Axis(format=".0%", values=[0, 0.2, 0.4, 0.6, 0.8, 1.0], domain=False, labelOverlap=True),
              scale=alt.Scale(domain=[0, end], nice=False))
    statuses = [s for s in STATUS_COLOURS if s in set(data["status"])]
    colour = alt.Color("status:N", title="Since the previous survey",
                       scale=alt.Scale(domain=statuses, range=[STATUS_COLOURS[s] for s in statuses]),
                       legend=alt.Legend(orient=LEGEND_ORIENT)) if statuses else alt.ColorValue(NEUTRAL)
    tooltip = [alt.Tooltip("category:N", title="Theme" if category == "theme" else cut_title(category)),
               alt.Tooltip("value:Q", title="Share agreeing", format=".1%"),
               alt.Tooltip("words:N", title="Change")]
    base = alt.Chart(data)
    bars = base.mark_bar().encode(y=y, x=x, color=colour, tooltip=tooltip)
    labels = base.mark_text(align="left", dx=12, fontSize=13, color=REFERENCE).encode(
        y=y, x=alt.X("label_at:Q"), text=alt.Text("label:N"))  # right of the bar and of both marks
    marks = pd.concat([
        pd.DataFrame({"category": data["category"], "value": data["previous"], "mark": "Previous survey"}),
        pd.DataFrame({"category": data["category"], "value": data["comparator"],
                      "mark": [f"Comparator{': ' + s if s else ''}" for s in data["comparator_source"]]}),
    ], ignore_index=True).dropna(subset=["value"])
    layers = [bars, labels]
    if len(marks):
        names = list(dict.fromkeys(marks["mark"]))
        shapes = [MARKERS["Previous survey"] if n == "Previous survey" else MARKERS["Comparator"] for n in names]
        layers.append(alt.Chart(marks).mark_point(size=160, filled=True, color=REFERENCE, opacity=1).encode(
            y=y, x=alt.X("value:Q"), shape=alt.Shape("mark:N", title=None, scale=alt.Scale(domain=names, range=shapes),
                                                     legend=alt.Legend(orient=LEGEND_ORIENT)),
            tooltip=[alt.Tooltip("mark:N", title="Mark"), alt.Tooltip("value:Q", title="Share agreeing",
                                                                       format=".1%")]))
    chart = alt.layer(*layers, **title_props(title), height=alt.Step(BAR_STEP) if len(data) else 60).resolve_scale(
        color="independent", shape="independent")
    return configure(chart)


def describe_survey(df: pd.DataFrame, *, category: str = "theme", judged: set[str] | None = None,
                    survey: str | None = None) -> str:
    """Theme by theme: 'Staff survey 2025: Would recommend as an employer 58.0% agreeing (up 6.0 pts since Staff
    survey 2024, better; comparator 61.0%); …'. Group by group: the highest and lowest, and how many rose or fell."""
    data = survey_data(df, category, judged)
    if data.empty:
        return "No survey results to show."
    if category != "theme":
        return _describe_groups(data, category, survey)
    parts = []
    for _, row in data.iterrows():
        value = row["label"].split(" (")[0]
        text = f"{row['category']} {value}" + (" agreeing" if not parts and value != "c" else "")
        words = row["words"].replace(" (better)", ", better").replace(" (worse)", ", worse")
        if parts and " since " in words:  # the previous survey is named once, in the first theme
            words = words.split(" since ")[0] + (", " + words.rsplit(", ", 1)[1] if words.endswith(
                (", better", ", worse")) else "")
        notes = [] if value == "c" else [words]
        if row["comparator"] is not None and not pd.isna(row["comparator"]):
            notes.append(f"comparator {format_value(row['comparator'], 'percent')}")
        parts.append(text + (f" ({'; '.join(notes)})" if notes else ""))
    sources = sorted({s for s in data["comparator_source"] if s})
    tail = f" Comparator: {', '.join(sources)}." if sources else ""
    lead = f"{survey}: " if survey else ""
    return lead + "; ".join(parts) + "." + tail


def _describe_groups(data: pd.DataFrame, category: str, survey: str | None) -> str:
    """'Would recommend as an employer, by team: highest Family Nurse Partnership (88.9%), lowest …; 12 of 20 up.'"""
    what = cut_title(category).lower()
    known = data.dropna(subset=["value"]).sort_values("value", ascending=False, kind="stable")
    hidden = int((data["label"] == "c").sum())
    lead = f"{survey}, by {what}: " if survey else f"By {what}: "
    if known.empty:
        text = lead + "no results to show"
    else:
        hi, lo = known.iloc[0], known.iloc[-1]
        text = lead + f"highest {hi['category']} ({format_value(hi['value'], 'percent')})"
        if len(known) > 1:
            text += f", lowest {lo['category']} ({format_value(lo['value'], 'percent')})"
        up = sum(w.startswith("up ") for w in known["words"])
        down = sum(w.startswith("down ") for w in known["words"])
        if up or down:
            text += f"; since the previous survey {up} of {len(known)} rose and {down} fell"
    if hidden:
        text += f"; {hidden} {what if hidden == 1 else what + 's'} with too few respondents shown as c"
    return text + "."


def survey_trend(df: pd.DataFrame, *, title: str = "Share agreeing, survey by survey") -> alt.Chart:
    """One line per theme across the surveys (x: the date each closed), the last value labelled."""
    data = df.rename(columns={"survey_date": "when"})
    return trend(data, SHARE_AGREEING, x="when", value="percent_agree", series="theme", title=title)


def describe_survey_trend(df: pd.DataFrame) -> str:
    """E.g. 'Would recommend as an employer: 48.0% (Staff survey 2023) → 58.0% (Staff survey 2025), +10.0 pts.'"""
    if df.empty:
        return "No survey results to show over time."
    parts = []
    for theme, part in df.groupby("theme", sort=False):
        part = part.assign(_v=[as_number(v) for v in part["percent_agree"]]).dropna(subset=["_v"])
        if part.empty:
            continue
        first, last = part.iloc[0], part.iloc[-1]
        if len(part) == 1:
            parts.append(f"{theme}: {format_value(last['_v'], 'percent')} ({last['survey']}), one survey only")
            continue
        change = (last["_v"] - first["_v"]) * 100
        parts.append(f"{theme}: {format_value(first['_v'], 'percent')} ({first['survey']}) to "
                     f"{format_value(last['_v'], 'percent')} ({last['survey']}), {change:+.1f} pts")
    return ("; ".join(parts) + ".") if parts else "No survey results to show over time (hidden or scores only)."


def series_chart(df: pd.DataFrame, figure: Figure, *, value: str, title: str) -> alt.Chart:
    """A voice figure month by month, one line per series (the view, and any teams chosen)."""
    return trend(df, figure, x="month", value=value, series="series", title=title)


__all__ = ["change_words", "describe_survey", "describe_survey_trend", "series_chart", "survey_bars", "survey_data",
           "survey_trend"]
