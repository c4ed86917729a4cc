"""Distributions and funnels: counts per band (length of service, caseload, salary) and recruitment stages.

Bands come binned from metrics (charts do no arithmetic on people's records);
every bar is labelled with its count, and an optional threshold rule is labelled.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from charts.fit import LEGEND_ORIENT
from charts.format import as_number, axis_format, axis_max, format_value, label_format
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
    colour = (alt.Color("kind:N", title=None, legend=alt.Legend(orient=LEGEND_ORIENT),
                        scale=alt.Scale(domain=[highlight_label, "Other bands"],
                                        range=[OKABE_ITO["orange"], NEUTRAL]))
              if marked else alt.ColorValue(OKABE_ITO["blue"]))
    x = alt.X(f"{band}:N", sort=bands, title=band_title or band.replace("_", " ").capitalize(),
              axis=alt.Axis(labelAngle=0, labelLimit=160))
    top = axis_max([as_number(v) for v in data[count]], "count")
    bars = base.mark_bar().encode(
        x=x, y=alt.Y(f"{count}:Q", title=count_title, scale=alt.Scale(domain=[0, top], nice=False),
                     axis=alt.Axis(format=axis_format("count"), tickMinStep=1)), color=colour,
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
    top = axis_max([as_number(v) for v in data[value]], "count")
    base = alt.Chart(data)
    y = alt.Y(f"{stage}:N", sort=stages, title=None, axis=alt.Axis(labelLimit=280))
    bars = base.mark_bar(color=OKABE_ITO["blue"]).encode(
        y=y, x=alt.X(f"{value}:Q", title="Number", scale=alt.Scale(domain=[0, top], nice=False),
                     axis=alt.Axis(format=axis_format("count"), tickMinStep=1)),
        tooltip=[alt.Tooltip(f"{stage}:N", title="Stage"), alt.Tooltip(f"{value}:Q", title="Number", format=",.0f")])
    labels = base.mark_text(align="left", dx=4, fontSize=13, color=REFERENCE).encode(
        y=y, x=alt.X("label_at:Q"), text=alt.Text("label:N"))
    chart = alt.layer(bars, labels, **title_props(title),
                                               height=alt.Step(BAR_STEP))
    return configure(chart)


def threshold_bars(df: pd.DataFrame, *, group: str, value: str, threshold: float | None, value_title: str,
                   threshold_label: str, unit: str = "cases", title: str = "",
                   per_row: dict[str, tuple[str, float] | None] | None = None) -> alt.Chart:
    """Horizontal bars per group against a standard (e.g. average caseload per team against its standard).

    One standard for every group (`threshold`, named by `threshold_label`, e.g.
    "England average 2025 (DfE)" or "Local standard") is a labelled dashed rule;
    `per_row` gives each group its own (group → (label, value), None where it has
    none), marked by a black tick on the group's row. Bars above their standard
    are vermillion and labelled "above"; bars without one say so, so the message
    never depends on colour.
    """
    data = df[[group, value]].copy()
    data[group] = data[group].astype(str)
    data["value"] = [as_number(v) for v in data[value]]
    hidden = [isinstance(v, str) and v == "c" for v in data[value]]  # suppressed: kept, labelled `c`
    data = data[data["value"].notna() | pd.Series(hidden, index=data.index)].reset_index(drop=True)
    limit = None if per_row is not None else as_number(threshold)
    refs = [per_row.get(g) if per_row is not None else ((threshold_label, limit) if limit is not None else None)
            for g in data[group]]
    data["limit"] = pd.array([r[1] if r else None for r in refs], dtype="object")
    data["limit_text"] = [f"{r[0]}: {format_value(r[1], unit)}" if r else "no standard for this group" for r in refs]
    data["status"] = ["no standard" if r is None else ("hidden" if v is None else
                                                       ("above" if v > r[1] else "at or below"))
                      for v, r in zip(data["value"], refs, strict=True)]
    data["label"] = ["c" if v is None else
                     format_value(v, unit) + {"above": " (above)", "no standard": " (no standard)"}.get(s, "")
                     for v, s in zip(data["value"], data["status"], strict=True)]
    data["label_at"] = [0.0 if v is None else v for v in data["value"]]
    top = axis_max([v for v in data["value"] if v is not None] + [r[1] for r in refs if r], unit)
    base = alt.Chart(data)
    order = list(data.sort_values("value", ascending=False, kind="stable")[group])
    y = alt.Y(f"{group}:N", sort=order, title=None, axis=alt.Axis(labelLimit=280))
    x = alt.X("value:Q", title=value_title, scale=alt.Scale(domain=[0, top], nice=False),
              axis=alt.Axis(format=axis_format(unit)))
    present = [s for s in ("above", "at or below", "no standard", "hidden") if s in set(data["status"])]
    colours = {"above": OKABE_ITO["vermillion"], "at or below": OKABE_ITO["blue"], "no standard": NEUTRAL,
               "hidden": NEUTRAL}
    against = threshold_label if per_row is None else "its own group's standard"
    colour = alt.Color("status:N", title=f"Against {against}", legend=alt.Legend(orient=LEGEND_ORIENT),
                       scale=alt.Scale(domain=present, range=[colours[s] for s in present]))
    bars = base.mark_bar().encode(y=y, x=x, color=colour,
                                  tooltip=[alt.Tooltip(f"{group}:N"), alt.Tooltip("value:Q", title=value_title,
                                                                                   format=label_format(unit)),
                                           alt.Tooltip("limit_text:N", title="Standard")])
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
    elif per_row is not None and any(refs):
        layers.append(base.transform_filter("isValid(datum.limit)").mark_tick(
            color=REFERENCE, thickness=3, size=BAR_STEP - 6, orient="vertical").encode(
            y=y, x=alt.X("limit:Q"), tooltip=[alt.Tooltip(f"{group}:N"), alt.Tooltip("limit_text:N", title="Standard")]))
    chart = alt.layer(*layers, **title_props(title), height=alt.Step(BAR_STEP))
    return configure(chart)
