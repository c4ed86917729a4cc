"""Trend lines: a figure month by month (rolling 12 months for flows), optionally one line per series.

Series are told apart by colour, by stroke dash and by point shape, and the
last point of each line is labelled with its value, so no line relies on colour.
Points are month-ends, except the last, which is the as-of date itself (so the
line ends on the tile's value). Each point is drawn at its own month (31 August
at "Aug", never under "Sep"); a mid-month last point is drawn at its month and
the tooltip and description name its day and call it part of a month.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from charts.bars import reference_rules
from charts.fit import LEGEND_ORIENT, longest_px
from charts.format import as_number, axis_format, axis_max, axis_title, format_value, label_format
from charts.theme import SERIES_COLOURS, configure
from metrics.registry import Figure

DASHES: list[list[int]] = [[1, 0], [8, 4], [2, 3], [12, 3, 2, 3], [4, 4], [1, 6]]
"""Stroke dash per series (solid first)."""
SHAPES: list[str] = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"]
"""Point shape per series."""


def point_date(value: object) -> dt.date:
    """A series point's date as a date."""
    return pd.Timestamp(value).date()


def is_partial(day: dt.date) -> bool:
    """True for a point that is not a month-end: the as-of date in the middle of a month (a partial month)."""
    return (day + dt.timedelta(days=1)).day != 1


def date_words(day: dt.date) -> str:
    """'Aug 2026' for a month-end point, '29 Sep 2026' for a point in the middle of a month."""
    return f"{day.day} {day:%b %Y}" if is_partial(day) else f"{day:%b %Y}"


def trend_data(df: pd.DataFrame, figure: Figure, x: str, value: str, series: str | None) -> pd.DataFrame:
    """date (ISO text: read as UTC by Vega), value (numeric), series, the point's date in words and a label for
    the last point of each series."""
    days = [point_date(v) for v in df[x]] if len(df) else []
    data = pd.DataFrame({
        "day": pd.Series(days, dtype="object"),
        "value": [as_number(v) for v in df[value]] if value in df.columns else [None] * len(df),
        "series": df[series].astype(str).to_numpy() if series and series in df.columns else figure.label,
    })
    data = data.sort_values(["series", "day"], kind="stable").reset_index(drop=True)
    data["date"] = pd.Series([d.isoformat() for d in data["day"]], dtype="object")
    data["when"] = pd.Series([date_words(d) + (" (part of the month, to the as-of date)" if is_partial(d) else "")
                              for d in data["day"]], dtype="object")
    data = data.drop(columns=["day"])
    data["label"] = ""
    for _, part in data.dropna(subset=["value"]).groupby("series", sort=False):
        last = part.index[-1]
        data.loc[last, "label"] = format_value(part.loc[last, "value"], figure.unit)
    return data


def trend(df: pd.DataFrame, figure: Figure, *, x: str = "as_of", value: str | None = None, series: str | None = None,
          reference: float | None = None, reference_label: str = "England", title: str | None = None) -> alt.Chart:
    """A line per series over months, the last value labelled, with an optional labelled reference rule."""
    value = value or figure.id
    data = trend_data(df, figure, x, value, series)
    names = list(dict.fromkeys(data["series"]))
    n = max(len(names), 1)
    colour = alt.Color("series:N", title=None, sort=names,
                       scale=alt.Scale(domain=names, range=(SERIES_COLOURS * 2)[:n]),
                       legend=alt.Legend(orient=LEGEND_ORIENT) if n > 1 else None)
    dash = alt.StrokeDash("series:N", sort=names, scale=alt.Scale(domain=names, range=(DASHES * 2)[:n]), legend=None)
    shape = alt.Shape("series:N", sort=names, scale=alt.Scale(domain=names, range=(SHAPES * 2)[:n]),
                      legend=alt.Legend(orient=LEGEND_ORIENT, title=None) if n > 1 else None)
    x_enc = alt.X("date:T", timeUnit="utcyearmonth", title="Month (the last point: the as-of date)",
                  axis=alt.Axis(format="%b %Y", labelAngle=-45, labelOverlap=True))
    numbers = [v for v in data["value"] if v is not None] + ([float(reference)] if as_number(reference) is not None
                                                             else [])
    scale = (alt.Scale(zero=False) if figure.unit == "gbp" else
             alt.Scale(domain=[0, axis_max(numbers, figure.unit)], nice=False))
    y_enc = alt.Y("value:Q", title=axis_title(figure), axis=alt.Axis(format=axis_format(figure.unit)), scale=scale)
    tooltip = [alt.Tooltip("series:N", title="Series"), alt.Tooltip("when:N", title="Date"),
               alt.Tooltip("value:Q", title=figure.label, format=label_format(figure.unit))]
    base = alt.Chart(data)
    line = base.mark_line(strokeWidth=3).encode(x=x_enc, y=y_enc, color=colour, strokeDash=dash)
    points = base.mark_point(size=60, filled=True).encode(x=x_enc, y=y_enc, color=colour, shape=shape,
                                                          tooltip=tooltip)
    labels = base.transform_filter("datum.label != ''").mark_text(
        align="left", dx=8, fontSize=13, fontWeight="bold").encode(x=x_enc, y=y_enc, text=alt.Text("label:N"), color=colour)
    layers: list[alt.Chart] = [line, points, labels]
    layers += reference_rules(reference, reference_label, figure.unit, orient="horizontal")
    room = longest_px([v for v in data["label"] if v], 13) + 8  # the last value of each line, written at its end
    chart = alt.layer(*layers, title=alt.TitleParams(title or figure.label), height=340,
                      padding={"left": 5, "top": 5, "right": int(room) + 8, "bottom": 5})
    return configure(chart)
