"""Distributions and funnels: counts per band (length of service, caseload, salary) and recruitment stages.

Bands come binned from metrics (charts do no arithmetic on people's records);
every bar is labelled with its count, and an optional threshold rule is labelled.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import altair as alt
import pandas as pd

from charts.bars import label_positions, reference_rules, value_axis
from charts.fit import LEGEND_ORIENT, NARROW_TEST, room_for_labels
from charts.format import as_number, axis_format, axis_max, axis_ticks, format_value
from charts.theme import BAR_STEP, NEUTRAL, OKABE_ITO, REFERENCE, configure, title_props

HIGHLIGHT_MARK = "▲"
"""Written after a highlighted band's name on the axis and before the legend's words for it."""


def histogram(df: pd.DataFrame, *, band: str, count: str, title: str = "", band_title: str = "",
              count_title: str = "People", order: Sequence[str] | None = None,
              highlight: Sequence[str] = (), highlight_label: str = "") -> alt.Chart:
    """Vertical bars of a count per band in the given order, each labelled with its count.

    `highlight` bands (e.g. under 2 years' service, spans above the standard) are
    marked three ways, never by colour alone: another colour, a dashed black
    outline, and a ▲ after the band's name on the axis; the legend names them
    ("▲ Under 2 years' service") with the same colour and outline.
    """
    data = df[[band, count]].copy()
    data[band] = data[band].astype(str)
    data["label"] = [format_value(v, "count") for v in data[count]]  # `c` where a count is hidden, never 0 or –
    data[count] = pd.to_numeric(data[count], errors="coerce")
    data["label_at"] = data[count].fillna(0)
    bands = list(order) if order else list(dict.fromkeys(data[band]))
    marked = [b for b in bands if b in set(highlight)] if order else [b for b in dict.fromkeys(data[band])
                                                                      if b in set(highlight)]
    named = f"{HIGHLIGHT_MARK} {highlight_label}" if highlight_label else HIGHLIGHT_MARK
    kinds = [named, "Other bands"]
    data["kind"] = [named if b in set(marked) else "Other bands" for b in data[band]]
    base = alt.Chart(data)
    marks: dict = {}
    if marked:
        legend = alt.Legend(orient=LEGEND_ORIENT, title=None, symbolStrokeWidth=2)
        marks = {
            "color": alt.Color("kind:N", title=None, legend=legend,
                               scale=alt.Scale(domain=kinds, range=[OKABE_ITO["orange"], NEUTRAL])),
            "stroke": alt.Stroke("kind:N", title=None, legend=legend,
                                 scale=alt.Scale(domain=kinds, range=[REFERENCE, "transparent"])),
            "strokeDash": alt.StrokeDash("kind:N", title=None, legend=legend,
                                         scale=alt.Scale(domain=kinds, range=[[5, 3], [1, 0]])),
        }
        axis_labels = (f"indexof({json.dumps(marked, ensure_ascii=False)}, datum.value) >= 0 ? "
                       f"datum.label + ' {HIGHLIGHT_MARK}' : datum.label")
    else:
        marks = {"color": alt.ColorValue(OKABE_ITO["blue"])}
        axis_labels = None
    x = alt.X(f"{band}:N", sort=bands, title=band_title or band.replace("_", " ").capitalize(),
              axis=alt.Axis(labelAngle=0, labelExpr=axis_labels) if axis_labels else alt.Axis(labelAngle=0))
    top = axis_max([as_number(v) for v in data[count]], "count")
    bars = base.mark_bar(strokeWidth=2).encode(
        x=x, y=alt.Y(f"{count}:Q", title=count_title, scale=alt.Scale(domain=[0, top], nice=False),
                     axis=alt.Axis(format=axis_format("count"), tickMinStep=1)), **marks,
        tooltip=[alt.Tooltip(f"{band}:N", title=band_title or band), alt.Tooltip("label:N", title=count_title),
                 *([alt.Tooltip("kind:N", title="Band")] if marked else [])])
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
    end = room_for_labels(list(data["label_at"]), list(data["label"]), floor=top)
    base = alt.Chart(data)
    y = alt.Y(f"{stage}:N", sort=stages, title=None)
    bars = base.mark_bar(color=OKABE_ITO["blue"]).encode(
        y=y, x=alt.X(f"{value}:Q", title="Number", scale=alt.Scale(domain=[0, end], nice=False),
                     axis=value_axis("count", axis_ticks(0.0, top, "count"))),
        tooltip=[alt.Tooltip(f"{stage}:N", title="Stage"), alt.Tooltip("label:N", title="Number")])
    labels = base.mark_text(align="left", dx=5, fontSize=13, color=REFERENCE).encode(
        y=y, x=alt.X("label_at:Q"), text=alt.Text("label:N"))
    chart = alt.layer(bars, labels, **title_props(title), height=alt.Step(BAR_STEP))
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
    data["short"] = ["c" if v is None else format_value(v, unit) + (" (above)" if s == "above" else "")
                     for v, s in zip(data["value"], data["status"], strict=True)]
    positions = label_positions(list(data["value"]), [r[1] if r else None for r in refs])
    data["label_at"] = [0.0 if at is None else at for at in positions]
    top = axis_max([v for v in data["value"] if v is not None] + [r[1] for r in refs if r], unit)
    end = room_for_labels(list(data["label_at"]), list(data["label"]), list(data["short"]), floor=top)
    base = alt.Chart(data)
    order = list(data.sort_values("value", ascending=False, kind="stable")[group])
    y = alt.Y(f"{group}:N", sort=order, title=None)
    x = alt.X("value:Q", title=value_title, scale=alt.Scale(domain=[0, end], nice=False),
              axis=value_axis(unit, axis_ticks(0.0, top, unit)))
    present = [s for s in ("above", "at or below", "no standard", "hidden") if s in set(data["status"])]
    colours = {"above": OKABE_ITO["vermillion"], "at or below": OKABE_ITO["blue"], "no standard": NEUTRAL,
               "hidden": NEUTRAL}
    against = threshold_label if per_row is None else "its own group's standard"
    colour = alt.Color("status:N", title=f"Against {against}", legend=alt.Legend(orient=LEGEND_ORIENT),
                       scale=alt.Scale(domain=present, range=[colours[s] for s in present]))
    bars = base.mark_bar().encode(y=y, x=x, color=colour,
                                  tooltip=[alt.Tooltip(f"{group}:N"), alt.Tooltip("label:N", title=value_title),
                                           alt.Tooltip("limit_text:N", title="Standard")])
    labels = base.transform_calculate(said=f"{NARROW_TEST} ? datum.short : datum.label").mark_text(
        align="left", dx=5, fontSize=13, color=REFERENCE).encode(y=y, x=alt.X("label_at:Q"), text=alt.Text("said:N"))
    layers = [bars, labels]
    if limit is not None:
        layers += reference_rules(limit, threshold_label, unit, title="Standard")
    elif per_row is not None and any(refs):
        layers.append(base.transform_filter("isValid(datum.limit)").mark_tick(
            color=REFERENCE, thickness=3, size=BAR_STEP - 6, orient="vertical").encode(
            y=y, x=alt.X("limit:Q"), tooltip=[alt.Tooltip(f"{group}:N"), alt.Tooltip("limit_text:N", title="Standard")]))
    chart = alt.layer(*layers, **title_props(title), height=alt.Step(BAR_STEP))
    return configure(chart)
