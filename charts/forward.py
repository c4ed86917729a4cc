"""Charts of the forward look: a forecast with its range, and a figure's path to its target (no Streamlit).

The projection is told apart from what happened by a dashed line, its own
point shape, a shaded range and the words "Projection" in the legend and
title, never by colour alone.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from charts.fit import LEGEND_ORIENT
from charts.format import as_number, axis_format, axis_title, format_value, label_format
from charts.theme import OKABE_ITO, REFERENCE, configure
from metrics.registry import Figure

ACTUAL, PROJECTION = "What happened", "Projection"


def forecast_data(df: pd.DataFrame, measure: str) -> pd.DataFrame:
    """date, value, lower, upper, series ('What happened' / 'Projection') for one measure of one group.

    The projection starts from the last actual month so the two lines join.
    """
    part = df[df["measure"] == measure]
    rows = []
    for r in part.to_dict("records"):
        series = ACTUAL if r["kind"] == "actual" else PROJECTION
        rows.append({"date": pd.Timestamp(r["month"]), "value": as_number(r["value"]), "lower": as_number(r["lower"]),
                     "upper": as_number(r["upper"]), "series": series})
    data = pd.DataFrame(rows, columns=["date", "value", "lower", "upper", "series"])
    actual = data[data["series"] == ACTUAL].dropna(subset=["value"])
    if len(actual) and (data["series"] == PROJECTION).any():
        join = actual.iloc[[-1]].assign(series=PROJECTION, lower=actual["value"].iloc[-1],
                                        upper=actual["value"].iloc[-1])
        data = pd.concat([data, join], ignore_index=True).sort_values(["series", "date"], kind="stable")
    return data.reset_index(drop=True)


def forecast_chart(df: pd.DataFrame, measure: str, unit: str = "count", title: str | None = None) -> alt.Chart:
    """What happened month by month, then the projection (dashed) with its range shaded."""
    data = forecast_data(df, measure)
    names = [ACTUAL, PROJECTION]
    colour = alt.Color("series:N", title=None, sort=names,
                       scale=alt.Scale(domain=names, range=[OKABE_ITO["blue"], OKABE_ITO["vermillion"]]),
                       legend=alt.Legend(orient=LEGEND_ORIENT))
    dash = alt.StrokeDash("series:N", sort=names, scale=alt.Scale(domain=names, range=[[1, 0], [8, 4]]), legend=None)
    shape = alt.Shape("series:N", sort=names, scale=alt.Scale(domain=names, range=["circle", "triangle-up"]),
                      legend=alt.Legend(orient=LEGEND_ORIENT, title=None))
    fmt = ",.1f" if unit == "fte" else ",.0f"
    x = alt.X("date:T", title="Month", axis=alt.Axis(format="%b %Y", labelAngle=-45, labelOverlap=True))
    y = alt.Y("value:Q", title=measure + (" (people a month)" if unit == "count" else ""),
              axis=alt.Axis(format=fmt), scale=alt.Scale(zero=True))
    tooltip = [alt.Tooltip("series:N", title="Series"), alt.Tooltip("date:T", title="Month", format="%B %Y"),
               alt.Tooltip("value:Q", title=measure, format=fmt), alt.Tooltip("lower:Q", title="Range from", format=fmt),
               alt.Tooltip("upper:Q", title="Range to", format=fmt)]
    base = alt.Chart(data)
    band = base.transform_filter(f"datum.series == '{PROJECTION}'").mark_area(
        opacity=0.25, color=OKABE_ITO["orange"]).encode(x=x, y=alt.Y("lower:Q"), y2=alt.Y2("upper:Q"))
    line = base.mark_line(strokeWidth=3).encode(x=x, y=y, color=colour, strokeDash=dash)
    points = base.mark_point(size=50, filled=True).encode(x=x, y=y, color=colour, shape=shape, tooltip=tooltip)
    chart = alt.layer(band, line, points, title=alt.TitleParams(
        title or f"{measure}: what happened and the projection (shaded: its range)"), height=420)
    return configure(chart)


def describe_forecast(df: pd.DataFrame, measure: str, unit: str = "count", level: float = 0.8) -> str:
    """The forecast chart in words: the last 12 months, the next 12 projected, and the range."""
    part = df[df["measure"] == measure]
    actual = part[part["kind"] == "actual"]
    projected = part[part["kind"] == "projection"]
    if projected.empty:
        return f"No projection of {measure.lower()} for this selection."
    name = measure.lower()
    words = "people" if unit == "count" else "FTE"
    if unit == "count":
        last = pd.to_numeric(actual["value"], errors="coerce").tail(12).sum()
        total = pd.to_numeric(projected["value"], errors="coerce").sum()
        low, high = as_number(projected["annual_lower"].iloc[0]), as_number(projected["annual_upper"].iloc[0])
        text = (f"{last:,.0f} {words} in the last 12 months ({name}); projected {total:,.0f} in the next 12 months")
        if low is not None and high is not None:
            text += f", likely between {low:,.0f} and {high:,.0f} ({level:.0%} range)"
        peak = projected.loc[pd.to_numeric(projected["value"], errors="coerce").idxmax()]
        return text + f". The busiest projected month is {pd.Timestamp(peak['month']):%B %Y}."
    now = as_number(actual["value"].iloc[-1]) if len(actual) else None
    end = projected.iloc[-1]
    text = f"{measure} now: {format_value(now, 'fte')}" if now is not None else measure
    return (text + f"; projected {format_value(end['value'], 'fte')} by {pd.Timestamp(end['month']):%B %Y}, likely "
            f"between {format_value(end['lower'], 'fte')} and {format_value(end['upper'], 'fte')} ({level:.0%} range).")


def target_chart(history: pd.DataFrame, path: pd.DataFrame, figure: Figure, target: float,
                 title: str | None = None) -> alt.Chart:
    """A figure's monthly values (where it has a history), the straight path to its target and, dashed, where the
    recent pace would take it; the target itself as a labelled point."""
    rows = [{"date": pd.Timestamp(r["month"]), "value": as_number(r["value"]), "line": "What happened"}
            for r in history.to_dict("records")]
    rows += [{"date": pd.Timestamp(r["date"]), "value": as_number(r["value"]), "line": r["line"]}
             for r in path.to_dict("records")]
    data = pd.DataFrame(rows, columns=["date", "value", "line"]).dropna(subset=["value"])
    names = [n for n in ("What happened", "Path to target", "At the recent pace") if n in set(data["line"])]
    palette = {"What happened": OKABE_ITO["blue"], "Path to target": OKABE_ITO["bluish_green"],
               "At the recent pace": OKABE_ITO["vermillion"]}
    dashes = {"What happened": [1, 0], "Path to target": [2, 3], "At the recent pace": [8, 4]}
    x = alt.X("date:T", title="Month", axis=alt.Axis(format="%b %Y", labelAngle=-45, labelOverlap=True,
                                                     tickCount="month"))
    y = alt.Y("value:Q", title=axis_title(figure), axis=alt.Axis(format=axis_format(figure.unit)),
              scale=alt.Scale(zero=False))
    colour = alt.Color("line:N", title=None, sort=names, legend=alt.Legend(orient=LEGEND_ORIENT),
                       scale=alt.Scale(domain=names, range=[palette[n] for n in names]))
    dash = alt.StrokeDash("line:N", sort=names, scale=alt.Scale(domain=names, range=[dashes[n] for n in names]),
                          legend=None)
    tooltip = [alt.Tooltip("line:N", title="Line"), alt.Tooltip("date:T", title="Date", format="%d %B %Y"),
               alt.Tooltip("value:Q", title=figure.label, format=label_format(figure.unit))]
    base = alt.Chart(data)
    lines = base.mark_line(strokeWidth=3, point=True).encode(x=x, y=y, color=colour, strokeDash=dash, tooltip=tooltip)
    end = path[path["line"] == "Path to target"].tail(1)
    goal = pd.DataFrame({"date": [pd.Timestamp(end["date"].iloc[0])] if len(end) else [],
                         "value": [target] if len(end) else [],
                         "text": [f"Target {format_value(target, figure.unit)}"] if len(end) else []})
    mark = alt.Chart(goal).mark_point(shape="diamond", size=220, filled=True, color=REFERENCE).encode(
        x=alt.X("date:T"), y=alt.Y("value:Q"))
    label = alt.Chart(goal).mark_text(align="right", dx=-10, dy=-12, fontSize=13, fontWeight="bold",
                                      color=REFERENCE).encode(x=alt.X("date:T"), y=alt.Y("value:Q"),
                                                              text=alt.Text("text:N"))
    chart = alt.layer(lines, mark, label, title=alt.TitleParams(title or f"{figure.label}: path to the target"),
                      height=380)
    return configure(chart)
