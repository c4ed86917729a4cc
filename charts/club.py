"""Charts of the benchmarking club: every member's value of a figure, and a member's trend against the club.

Pure functions: tidy DataFrames and the registry Figure in, an Altair chart (or a
sentence describing it) out. The signed-in member's bar is drawn darker and
labelled "(you)" in text, and the club's median and quartiles are labelled
rules, so nothing is told by colour alone. Hidden (`c`) values have no bar; their
label says `c`.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from charts.bars import label_positions, reference_rules, value_axis
from charts.fit import LEGEND_ORIENT, room_for_labels
from charts.format import as_number, axis_format, axis_max, axis_ticks, axis_title, format_value, label_format
from charts.theme import BAR_STEP, NEUTRAL, OKABE_ITO, REFERENCE, configure
from metrics.registry import Figure

OWN = OKABE_ITO["blue"]
OTHERS = "#6F777B"
"""Other members' bars: a grey of 4.6:1 on white (graphics need 3:1); ours blue and named "(you)"."""


def member_data(values: pd.DataFrame, figure: Figure, own: str | None) -> pd.DataFrame:
    """One row per member: name (with "(you)"), numeric value (None when hidden), its label, and whether it is ours."""
    rows = []
    for record in values.to_dict("records"):
        hidden = bool(record.get("suppressed"))
        number = None if hidden else as_number(record.get("value"))
        mine = record.get("authority") == own
        name = f"{record['name']} (you)" if mine else str(record["name"])
        rows.append({"member": name, "value": number, "who": "Your council" if mine else "Other members",
                     "label": "c" if hidden else format_value(number, figure.unit)})
    return pd.DataFrame(rows, columns=["member", "value", "who", "label"])


def member_bars(values: pd.DataFrame, figure: Figure, statistics: dict[str, float | None], own: str | None,
                title: str | None = None) -> alt.LayerChart:
    """Horizontal bars of every member's value, largest first, with the club's median (solid) and quartiles (dashed)
    as rules named with their values in a legend; each value label starts past its bar and past the rules."""
    data = member_data(values, figure, own)
    known = data.dropna(subset=["value"]).sort_values("value", ascending=False, kind="stable")
    order = [*known["member"], *data.loc[data["value"].isna(), "member"]]
    marks = [(name, statistics.get(key)) for name, key in (("Club median", "median"),
                                                           ("Lower quartile", "lower_quartile"),
                                                           ("Upper quartile", "upper_quartile"))]
    marks = [(name, float(v)) for name, v in marks if v is not None and not pd.isna(v)]
    rule_top = max([v for _, v in marks], default=None)
    data["label_at"] = [0.0 if at is None else at
                        for at in label_positions(list(data["value"]), [rule_top] * len(data))]
    top = axis_max([v for v in data["value"] if v is not None] + [v for _, v in marks], figure.unit)
    end = room_for_labels(list(data["label_at"]), list(data["label"]), floor=top)
    x = alt.X("value:Q", title=axis_title(figure), axis=value_axis(figure.unit, axis_ticks(0.0, top, figure.unit)),
              scale=alt.Scale(domain=[0, end], nice=False))
    y = alt.Y("member:N", sort=order, title="Member")
    colour = alt.Color("who:N", title=None, scale=alt.Scale(domain=["Your council", "Other members"],
                                                            range=[OWN, OTHERS]),
                       legend=alt.Legend(orient=LEGEND_ORIENT))
    base = alt.Chart(data)
    bars = base.mark_bar().encode(x=x, y=y, color=colour, tooltip=[
        alt.Tooltip("member:N", title="Member"), alt.Tooltip("label:N", title=figure.label)])
    labels = base.mark_text(align="left", dx=5, fontSize=13, color=REFERENCE).encode(
        x=alt.X("label_at:Q"), y=y, text="label:N")
    rules = reference_rules(marks, "", figure.unit, title="The club",
                            dashes=[[1, 0] if name == "Club median" else [4, 4] for name, _ in marks])
    chart = alt.layer(bars, labels, *rules, title=alt.TitleParams(title or figure.label), height=alt.Step(BAR_STEP))
    return configure(chart)


def describe_members(values: pd.DataFrame, figure: Figure, statistics: dict[str, float | None], own: str | None,
                     rank: tuple[int | None, int]) -> str:
    """The bars in words: the club's median and quartiles, our value and rank, how many are hidden."""
    data = member_data(values, figure, own)
    shown = data.dropna(subset=["value"])
    hidden = int((data["label"] == "c").sum())
    if shown.empty:
        return f"No member has a {figure.label.lower()} that can be shown for this quarter."
    median = statistics.get("median")
    parts = [f"{figure.label} of {len(shown)} member{'s' if len(shown) != 1 else ''}: the club median is "
             f"{format_value(median, figure.unit)} (middle half between "
             f"{format_value(statistics.get('lower_quartile'), figure.unit)} and "
             f"{format_value(statistics.get('upper_quartile'), figure.unit)})."]
    mine = data[data["who"] == "Your council"]
    if not mine.empty:
        place, of = rank
        if place is not None:
            best = "best" if figure.polarity != "neutral" else "highest"
            parts.append(f"Yours is {mine['label'].iloc[0]}, {_ordinal(place)} of {of} (1 = {best}).")
        else:
            parts.append(f"Yours is shown as {mine['label'].iloc[0]}.")
    if hidden:
        parts.append(f"{hidden} value{'s are' if hidden != 1 else ' is'} hidden (c) to protect individuals.")
    return " ".join(parts)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def trend_data(trend: pd.DataFrame) -> pd.DataFrame:
    """Long form of a club trend: period, series (Your council, Club median), value."""
    rows = []
    for record in trend.to_dict("records"):
        rows.append({"period": record["period"], "quarter": record["quarter"], "series": "Club median",
                     "value": as_number(record.get("median"))})
        rows.append({"period": record["period"], "quarter": record["quarter"], "series": "Your council",
                     "value": as_number(record.get("own"))})
    return pd.DataFrame(rows, columns=["period", "quarter", "series", "value"])


def club_trend(trend: pd.DataFrame, figure: Figure, title: str | None = None) -> alt.LayerChart:
    """Our value and the club median by quarter (solid vs dashed, with point shapes), over the quartile band."""
    data = trend_data(trend)
    order = trend["period"].tolist()
    x = alt.X("period:N", sort=order, title="Quarter", axis=alt.Axis(labelAngle=0),
              scale=alt.Scale(paddingOuter=0.3))
    fmt = label_format(figure.unit)
    band = alt.Chart(trend.assign(lower=pd.to_numeric(trend["lower_quartile"]),
                                  upper=pd.to_numeric(trend["upper_quartile"]))).mark_area(
        opacity=0.18, color=NEUTRAL).encode(x=x, y=alt.Y("lower:Q", title=axis_title(figure)), y2="upper:Q",
                                            tooltip=[alt.Tooltip("period:N", title="Quarter"),
                                                     alt.Tooltip("lower:Q", title="Lower quartile", format=fmt),
                                                     alt.Tooltip("upper:Q", title="Upper quartile", format=fmt)])
    lines = alt.Chart(data.dropna(subset=["value"])).mark_line(point=True, strokeWidth=3).encode(
        x=x, y=alt.Y("value:Q", title=axis_title(figure), axis=alt.Axis(format=axis_format(figure.unit))),
        color=alt.Color("series:N", title=None, scale=alt.Scale(domain=["Your council", "Club median"],
                                                                range=[OWN, REFERENCE])),
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=["Your council", "Club median"],
                                                              range=[[1, 0], [6, 4]]), legend=None),
        shape=alt.Shape("series:N", scale=alt.Scale(domain=["Your council", "Club median"],
                                                    range=["circle", "square"]), legend=None),
        tooltip=[alt.Tooltip("period:N", title="Quarter"), alt.Tooltip("series:N", title="Series"),
                 alt.Tooltip("value:Q", title=figure.label, format=fmt)])
    return configure(alt.layer(band, lines, title=alt.TitleParams(
        title or f"{figure.label}: your council and the club",
        subtitle="Solid: your council. Dashed: the club median. Shaded: the middle half of the club."),
        width=alt.Step(110)))


def describe_trend(trend: pd.DataFrame, figure: Figure) -> str:
    """The trend in words: first and latest quarter, ours against the club median."""
    if trend.empty:
        return "No quarters have been submitted yet."
    first, last = trend.iloc[0], trend.iloc[-1]
    parts = [f"{len(trend)} quarter{'s' if len(trend) != 1 else ''}, {first['period']} to {last['period']}."]
    own = last["own"]
    shown = "c (hidden)" if own == "c" else format_value(own, figure.unit)
    parts.append(f"In {last['period']} yours was {shown}; the club median was "
                 f"{format_value(last['median'], figure.unit)} across {int(last['members'])} members. The shaded "
                 "band is the middle half of the club.")
    return " ".join(parts)
