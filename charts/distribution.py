"""Distributions and funnels: counts per band (length of service, caseload, salary) and recruitment stages.

Bands come binned from metrics (charts do no arithmetic on people's records);
every bar is labelled with its count, and an optional threshold rule is labelled.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from charts.format import as_number, format_value
from charts.theme import BAR_STEP, NEUTRAL, OKABE_ITO, REFERENCE, configure, title_props


def histogram(df: pd.DataFrame, *, band: str, count: str, title: str = "", band_title: str = "",
              count_title: str = "People", order: Sequence[str] | None = None,
              highlight: Sequence[str] = (), highlight_label: str = "") -> alt.Chart:
    """Vertical bars of a count per band in the given order; `highlight` bands are drawn in another colour and
    named in the legend (e.g. "under 2 years' service"), as well as labelled with their count.
    """
    data = df[[band, count]].copy()
    data[band] = data[band].astype(str)
    data["label"] = [format_value(v, "count") for v in data[count]]  # `c` where a count is hidden, never 0 or –
    data[count] = pd.to_numeric(data[count], errors="coerce")
    data["label_at"] = data[count].fillna(0)
    bands = list(order) if order else list(dict.fromkeys(data[band]))
    marked = set(highlight)
    data["kind"] = [highlight_label if b in marked else "Other bands" for b in data[band]]
    base = alt.Chart(data)
    colour = (alt.Color("kind:N", title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=[highlight_label, "Other bands"],
                                        range=[OKABE_ITO["orange"], NEUTRAL]))
              if marked else alt.ColorValue(OKABE_ITO["blue"]))
    x = alt.X(f"{band}:N", sort=bands, title=band_title or band.replace("_", " ").capitalize(),
              axis=alt.Axis(labelAngle=0, labelLimit=160))
    bars = base.mark_bar().encode(
        x=x, y=alt.Y(f"{count}:Q", title=count_title), color=colour,
        tooltip=[alt.Tooltip(f"{band}:N", title=band_title or band), alt.Tooltip(f"{count}:Q", title=count_title)])
    labels = base.mark_text(dy=-8, fontSize=13, color=REFERENCE).encode(x=x, y=alt.Y("label_at:Q"),
                                                                        text=alt.Text("label:N"))
    chart = alt.layer(bars, labels, **title_props(title), height=300)
    return configure(chart)


def funnel(df: pd.DataFrame, *, stage: str = "stage", value: str = "count", title: str = "",
           order: Sequence[str] | None = None) -> alt.Chart:
    """Horizontal bars per recruitment stage in order (applications → appointed), each labelled with its count
    and its share of the first stage.
    """
    data = df[[stage, value]].copy()
    data[stage] = data[stage].astype(str)
    shown = [v if isinstance(v, str) else None for v in data[value]]  # `c` where a count is hidden
    data[value] = pd.to_numeric(data[value], errors="coerce")
    data["label_at"] = data[value].fillna(0)
    stages = list(order) if order else list(dict.fromkeys(data[stage]))
    first = as_number(data[value].iloc[0]) if len(data) else None
    data["label"] = [
        s or format_value(v, "count") + (f" ({v / first:.0%} of {stages[0].lower()})" if first and as_number(v) else "")
        for s, v in zip(shown, data[value], strict=True)
    ]
    top = max([as_number(v) or 0 for v in data[value]] + [1.0])
    base = alt.Chart(data)
    y = alt.Y(f"{stage}:N", sort=stages, title=None, axis=alt.Axis(labelLimit=280))
    bars = base.mark_bar(color=OKABE_ITO["blue"]).encode(
        y=y, x=alt.X(f"{value}:Q", title="Number", scale=alt.Scale(domain=[0, top * 1.6], nice=False)),
        tooltip=[alt.Tooltip(f"{stage}:N", title="Stage"), alt.Tooltip(f"{value}:Q", title="Number", format=",.0f")])
    labels = base.mark_text(align="left", dx=4, fontSize=13, color=REFERENCE).encode(
        y=y, x=alt.X("label_at:Q"), text=alt.Text("label:N"))
    chart = alt.layer(bars, labels, **title_props(title),
                                               height=alt.Step(BAR_STEP))
    return configure(chart)


def threshold_bars(df: pd.DataFrame, *, group: str, value: str, threshold: float | None, value_title: str,
                   threshold_label: str, unit: str = "cases", title: str = "") -> alt.Chart:
    """Horizontal bars per group against a threshold (e.g. average caseload per team vs the safe level).

    Bars above the threshold are vermillion and labelled "above"; the threshold
    is a labelled dashed rule, so the message never depends on colour.
    """
    data = df[[group, value]].copy()
    data[group] = data[group].astype(str)
    data["value"] = [as_number(v) for v in data[value]]
    hidden = [isinstance(v, str) and v == "c" for v in data[value]]  # suppressed: kept, labelled `c`
    data = data[data["value"].notna() | pd.Series(hidden, index=data.index)].reset_index(drop=True)
    limit = as_number(threshold)
    data["status"] = ["above" if limit is not None and v is not None and v > limit else "at or below"
                      for v in data["value"]]
    data["label"] = ["c" if v is None else format_value(v, unit) + (" (above)" if s == "above" else "")
                     for v, s in zip(data["value"], data["status"], strict=True)]
    data["label_at"] = [0.0 if v is None else v for v in data["value"]]
    top = max([v for v in data["value"] if v is not None] + [limit or 0.0, 1.0])
    base = alt.Chart(data)
    order = list(data.sort_values("value", ascending=False, kind="stable")[group])
    y = alt.Y(f"{group}:N", sort=order, title=None, axis=alt.Axis(labelLimit=280))
    x = alt.X("value:Q", title=value_title, scale=alt.Scale(domain=[0, top * 1.35], nice=False))
    colour = alt.Color("status:N", title=f"Against {threshold_label}", legend=alt.Legend(orient="bottom"),
                       scale=alt.Scale(domain=["above", "at or below"], range=[OKABE_ITO["vermillion"],
                                                                                OKABE_ITO["blue"]]))
    bars = base.mark_bar().encode(y=y, x=x, color=colour,
                                  tooltip=[alt.Tooltip(f"{group}:N"), alt.Tooltip("value:Q", title=value_title,
                                                                                   format=",.1f")])
    labels = base.mark_text(align="left", dx=4, fontSize=13, color=REFERENCE).encode(y=y, x=alt.X("label_at:Q"),
                                                                                     text=alt.Text("label:N"))
    layers = [bars, labels]
    if limit is not None:
        ref = pd.DataFrame({"reference": [limit], "text": [f"{threshold_label}: {format_value(limit, unit)}"]})
        layers.append(alt.Chart(ref).mark_rule(color=REFERENCE, strokeDash=[6, 4], strokeWidth=2).encode(
            x=alt.X("reference:Q")))
        layers.append(alt.Chart(ref).mark_text(align="left", dx=4, dy=-6, baseline="bottom", fontSize=13,
                                               fontWeight="bold", color=REFERENCE).encode(
            x=alt.X("reference:Q"), y=alt.YValue(0), text=alt.Text("text:N")))
    chart = alt.layer(*layers, **title_props(title),
                                          height=alt.Step(BAR_STEP))
    return configure(chart)
