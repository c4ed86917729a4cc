"""Bar charts: a figure by group with a reference rule, salary gap behind/ahead, starters vs leavers.

Pure functions: a tidy DataFrame and the registry Figure in, an Altair chart out.
Groups run down the y axis (long service-area names stay readable); every bar
carries its value as a text label, so colour is never the only signal.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from charts.fit import LEGEND_ORIENT, NARROW_TEST, TWO_LINES, axis_label_expr, room_for_labels, text_px
from charts.format import as_number, axis_format, axis_max, axis_ticks, axis_title, format_value, judge
from charts.theme import (
    BAR_STEP,
    NEUTRAL,
    OKABE_ITO,
    PAIR_COLOURS,
    REFERENCE,
    SERIES_COLOURS,
    STATUS_COLOURS,
    configure,
    title_props,
)
from metrics.registry import Figure

ALL_LABEL = "All"
"""The organisation-wide row of a metrics table (left out of bars; shown as a rule if asked)."""

CUT_TITLES: dict[str, str] = {
    "service_area": "Service area",
    "team": "Team",
    "role": "Role",
    "grade": "Grade",
    "role_grade": "Role and grade",
    "leaving_reason": "Leaving reason",
    "quartile": "Pay quartile",
}
"""Axis titles of the cut columns."""


def cut_title(column: str) -> str:
    """A cut column's name in words."""
    return CUT_TITLES.get(column, column.replace("_", " ").capitalize())


def groups_only(df: pd.DataFrame, group: str) -> pd.DataFrame:
    """The rows of a metrics table other than the organisation-wide 'All' row."""
    if group not in df.columns:
        return df.iloc[0:0]
    return df[df[group].astype(str) != ALL_LABEL]


def status_word(status: str | None, reference_label: str) -> str:
    """'worse than England' etc. for a judgement; 'no comparison' when there is none."""
    if status is None:
        return "no comparison"
    if status == "same":
        return f"same as {reference_label}"
    return f"{status} than {reference_label}"


def bar_data(df: pd.DataFrame, figure: Figure, group: str, value: str,
             reference: float | None, reference_label: str,
             per_row: dict[str, tuple[str, float] | None] | None = None) -> pd.DataFrame:
    """The tidy table a bar chart draws: group, numeric value, its label and its judgement against the reference.

    With `per_row` (group → (comparator label, value), or None where the group has none), each bar is judged
    against its own group's comparator and bars without one say "no comparator". Built from plain lists
    (the tables are a handful of rows; pandas' per-step cost dominated).
    """
    if group in df.columns:
        names = [str(g) for g in df[group].tolist()]
        raws = df[value].tolist() if value in df.columns else [None] * len(names)
        rows = [(g, r) for g, r in zip(names, raws, strict=True) if g != ALL_LABEL]
    else:
        rows = []
    groups = [g for g, _ in rows]
    raw = [r for _, r in rows]
    numbers = [as_number(v) for v in raw]
    if per_row is None:
        refs: list[tuple[str, float] | None] = [(reference_label, reference) if as_number(reference) is not None
                                                else None] * len(groups)
    else:
        refs = [per_row.get(g) for g in groups]
    statuses = [("same" if v is not None and format_value(v, figure.unit) == format_value(ref[1], figure.unit)
                 and figure.polarity != "neutral" else judge(v, ref[1], figure.polarity)) if ref else None
                for v, ref in zip(numbers, refs, strict=True)]  # equal as shown (13.0% and 13.0%) is the same
    statuses = [s or "no comparison" for s in statuses]
    texts = [status_word(None if st == "no comparison" else st, ref[0] if ref else reference_label)
             if ref or per_row is None else "no comparator of its own group"
             for st, ref in zip(statuses, refs, strict=True)]
    labels, short = [], []
    for r, st, ref in zip(raw, statuses, refs, strict=True):
        extra = f" ({st})" if st in ("worse", "better") else (
            " (no comparator)" if per_row is not None and ref is None and figure.polarity != "neutral" else "")
        labels.append(format_value(r, figure.unit) + extra)
        short.append(format_value(r, figure.unit) + (extra if st in ("worse", "better") else ""))
    return pd.DataFrame({
        "group": pd.array(groups, dtype="str"),
        "value": pd.array(numbers, dtype="object") if not numbers else numbers,
        "status": pd.array(statuses, dtype="str"),
        "status_text": pd.array(texts, dtype="str"),
        "label": pd.array(labels, dtype="str"),
        "short": pd.array(short, dtype="str"),
        "reference": pd.array([ref[1] if ref else None for ref in refs], dtype="object") if refs else [],
        "reference_text": pd.array([f"{ref[0]}: {format_value(ref[1], figure.unit)}" if ref else "none"
                                    for ref in refs], dtype="str"),
    })


References = float | None | Sequence[tuple[str, float | None]]
"""One reference value (labelled by `reference_label`) or several (label, value) pairs, the first the main one."""

REFERENCE_DASHES: tuple[list[int], ...] = ([6, 4], [2, 3], [12, 3, 2, 3], [1, 6])
"""Dash pattern of the 1st, 2nd, 3rd… reference rule: each reference is told apart by its dash and its name in the
legend, never by colour alone."""


def references_of(reference: References, label: str = "England") -> list[tuple[str, float]]:
    """The (label, value) pairs of a `reference` argument, those without a value left out."""
    if reference is None:
        return []
    if isinstance(reference, str | int | float) or not isinstance(reference, Sequence):
        number = as_number(reference)
        return [] if number is None else [(label, number)]
    out = []
    for name, value in reference:
        number = as_number(value)
        if number is not None:
            out.append((str(name), number))
    return out


def reference_rules(reference: References, label: str, unit: str, orient: str = "vertical",
                    title: str = "Compared with", dashes: Sequence[list[int]] | None = None) -> list[alt.Chart]:
    """A black rule at each reference value, each with its own dash pattern, named with its value in a legend
    ('- - England 2025 (DfE): 13.0%').

    The names are in the legend under the chart (a lane of their own), not written over the plot, where they
    crossed bars and value labels and ran off a phone's screen. Empty when there is no reference.
    """
    found = references_of(reference, label)
    if not found:
        return []
    texts = [f"{name}: {format_value(value, unit)}" for name, value in found]
    ref = pd.DataFrame({"reference": [v for _, v in found], "text": texts, "name": [n for n, _ in found]})
    dashes = list(dashes or [])[:len(found)] or [REFERENCE_DASHES[i % len(REFERENCE_DASHES)]
                                                 for i in range(len(found))]
    axis = alt.X("reference:Q") if orient == "vertical" else alt.Y("reference:Q")
    rule = alt.Chart(ref).mark_rule(color=REFERENCE, strokeWidth=2).encode(
        **{"x" if orient == "vertical" else "y": axis},
        strokeDash=alt.StrokeDash("text:N", title=title, sort=texts, scale=alt.Scale(domain=texts, range=dashes),
                                  legend=alt.Legend(orient=LEGEND_ORIENT, symbolType="stroke", symbolStrokeColor=REFERENCE,
                                                    symbolStrokeWidth=2, symbolSize=400, labelExpr=TWO_LINES)),
        tooltip=[alt.Tooltip("text:N", title="Reference")])
    return [rule]


def label_positions(values: Sequence[float | None], references: Sequence[float | None]) -> list[float | None]:
    """Where each bar's value label starts: past the bar's end and past any reference line on its row that lies
    beyond it (its own comparator's tick, or a rule across every row), so no line ever crosses a label."""
    out: list[float | None] = []
    for value, ref in zip(values, references, strict=True):
        if value is None or value != value:
            out.append(None)
        elif value < 0:
            out.append(value)
        else:
            out.append(max(value, ref) if ref is not None and ref == ref else value)
    return out


def value_axis(unit: str, ticks: Sequence[float] | None = None) -> alt.Axis:
    """The value axis of a unit: its format (£ and × written where d3 cannot), whole-number ticks for counts of
    people, and few enough ticks that their labels never run together on a phone. `ticks`: the tick values, when
    the scale runs on past the data to make room for labels (the axis then stops at the last tick)."""
    extra: dict = {"labelExpr": axis_label_expr(unit)} if axis_label_expr(unit) else {}
    if ticks is not None:
        extra.update(values=list(ticks), domain=False)
    if unit == "count":
        return alt.Axis(format=axis_format(unit), tickMinStep=1, labelOverlap=True, **extra)
    return alt.Axis(format=axis_format(unit), labelOverlap=True, **extra)


def sorted_groups(data: pd.DataFrame) -> list[str]:
    """Groups largest value first (groups without a value last), the order bars are drawn in."""
    known = data.dropna(subset=["value"]).sort_values("value", ascending=False, kind="stable")
    return [*known["group"], *data.loc[data["value"].isna(), "group"]]


def bar_by_group(df: pd.DataFrame, figure: Figure, reference: References = None, *, group: str = "service_area",
                 value: str | None = None, reference_label: str = "England", title: str | None = None,
                 per_row: dict[str, tuple[str, float] | None] | None = None) -> alt.Chart:
    """Horizontal bars of one figure per group, sorted by value, with reference rules named in a legend.

    `reference` is one value (labelled `reference_label`, e.g. England) or a
    list of (label, value) pairs (e.g. England, the region, the neighbours'
    median): each is drawn as a rule with its own dash pattern, named with its
    value in the legend, for groups that all share those comparators. `per_row`
    instead gives each group its own comparator (group → (label, value), None
    where it has none): a black tick on each bar's row marks it, and each bar is
    judged against its own. For figures with a polarity, bars are coloured
    worse/better and the label says so in words; neutral figures are one colour.

    Each value label starts past its bar and past any reference line beyond it, so
    no line crosses a label, and the axis reaches far enough for the longest label
    to fit at the chart's width (on a phone, labels keep only the verdict's words).
    Otherwise the axis stops at a round number just above the data (never past
    100% for rates that do not).
    """
    value = value or figure.id
    refs = [] if per_row is not None else references_of(reference, reference_label)
    main, reference_label = (refs[0][1], refs[0][0]) if refs else (None, reference_label)
    data = bar_data(df, figure, group, value, main, reference_label, per_row)
    rule_top = max([v for _, v in refs], default=None)
    beyond = list(data["reference"]) if per_row is not None else [rule_top] * len(data)
    positions = label_positions(list(data["value"]), beyond)
    # a hidden value's label (`c`) sits at zero, so a suppressed group reads `c`, never an empty gap or 0
    data = data.assign(label_at=[0.0 if at is None and lab == "c" else at for at, lab in
                                 zip(positions, data["label"], strict=True)],
                       shown=[format_value(v, figure.unit) if v is not None else lab.split(" (")[0]
                              for v, lab in zip(data["value"], data["label"], strict=True)])
    n = max(len(data), 1)
    row_refs = [v for v in data["reference"] if v is not None] if per_row is not None else []
    known = [v for v in data["value"] if v is not None]
    top = axis_max(known + [v for _, v in refs] + row_refs, figure.unit)
    low = min(known + [0.0])
    start = -axis_max([-low], figure.unit) if low < 0 else 0.0
    end = room_for_labels(list(data["label_at"]), list(data["label"]), list(data["short"]), floor=top, start=start)
    order = sorted_groups(data)
    base = alt.Chart(data)
    y = alt.Y("group:N", sort=order, title=cut_title(group))
    x = alt.X("value:Q", title=axis_title(figure), axis=value_axis(figure.unit, axis_ticks(start, top, figure.unit)),
              scale=alt.Scale(domain=[start, end], nice=False))
    judged = figure.polarity != "neutral" and (main is not None or bool(row_refs))
    statuses = [s for s in STATUS_COLOURS if s in set(data["status"])]
    against = "own comparator (tick)" if per_row is not None else reference_label
    colour = (
        alt.Color("status:N", title=f"Against {against}",
                  scale=alt.Scale(domain=statuses, range=[STATUS_COLOURS[s] for s in statuses]),
                  legend=alt.Legend(orient=LEGEND_ORIENT))
        if judged else alt.ColorValue(NEUTRAL if figure.polarity == "neutral" else OKABE_ITO["blue"])
    )
    tooltip = [
        alt.Tooltip("group:N", title=cut_title(group)),
        alt.Tooltip("shown:N", title=figure.label),
        alt.Tooltip("status_text:N", title=f"Against {against}"),
    ]
    if per_row is not None:
        tooltip.append(alt.Tooltip("reference_text:N", title="Comparator"))
    bars = base.mark_bar().encode(y=y, x=x, color=colour, tooltip=tooltip)
    label_y = alt.Y("group:N", sort=order)
    text = alt.Text("said:N")  # the label, or its short form in a narrow box
    base = base.transform_calculate(said=f"{NARROW_TEST} ? datum.short : datum.label")
    labels = base.transform_filter("datum.label_at >= 0").mark_text(align="left", dx=5, fontSize=13,
                                                                 color=REFERENCE).encode(
        y=label_y, x=alt.X("label_at:Q"), text=text)
    below = base.transform_filter("datum.value < 0").mark_text(align="right", dx=-4, fontSize=13,
                                                               color=REFERENCE).encode(
        y=label_y, x=alt.X("value:Q"), text=text)
    layers = [bars, labels, below, *reference_rules(refs, reference_label, figure.unit)]
    if row_refs:
        layers.append(base.transform_filter("isValid(datum.reference)").mark_tick(
            color=REFERENCE, thickness=3, size=BAR_STEP - 6, orient="vertical").encode(
            y=label_y, x=alt.X("reference:Q"),
            tooltip=[alt.Tooltip("group:N", title=cut_title(group)), alt.Tooltip("reference_text:N",
                                                                                 title="Comparator")]))
    chart = alt.layer(*layers, title=alt.TitleParams(title or figure.label), height=alt.Step(BAR_STEP) if n else 60)
    return configure(chart)


def diverging_bar(df: pd.DataFrame, figure: Figure, *, group: str = "role", value: str | None = None,
                  title: str | None = None) -> alt.Chart:
    """Bars left (behind) or right (ahead) of zero, e.g. salary gap to the market median by role.

    Position (left/right of the zero line), colour and the label's words
    ("behind" / "ahead") all say the same thing. A hidden value (`c`) has no bar
    and is labelled `c` at zero. The axis reaches far enough either side for the
    longest label to fit beside its bar at the chart's width (a phone's included).
    """
    value = value or figure.id
    part = df[df[group].astype(str) != ALL_LABEL] if group in df.columns else df.iloc[0:0]
    raw = part[value].tolist() if value in part.columns else []
    values = [as_number(v) for v in raw]
    data = pd.DataFrame({"group": part[group].astype(str).to_numpy() if len(part) else [],
                         "value": pd.array(values, dtype="object") if values else []})
    data["side"] = ["behind" if (v or 0) < 0 else "ahead" for v in values]
    data["label"] = [
        (r if isinstance(r, str) and r.strip() else "–") if v is None else
        f"{format_value(v, figure.unit)} {'behind' if v < 0 else 'ahead'}" for v, r in zip(values, raw, strict=True)
    ]
    data["label_at"] = [0.0 if v is None else v for v in values]
    known = [abs(v) for v in values if v is not None]
    most = max(known + [0.01])
    room = max([text_px(lab) for lab, v in zip(data["label"], values, strict=True) if v is not None] + [0.0]) + 8
    # the half-axis E must leave `room` pixels beside the longest bar: (E - most) / (2E) * width >= room
    extent = {"expr": f"max({most * 1.25!r}, {most!r} * width / max(width - {2 * room:.0f}, width * 0.2))"}
    base = alt.Chart(data)
    colour = alt.Color("side:N", title="Against the market", legend=alt.Legend(orient=LEGEND_ORIENT),
                       scale=alt.Scale(domain=["behind", "ahead"], range=[STATUS_COLOURS["worse"],
                                                                           STATUS_COLOURS["better"]]))
    order = [*data.dropna(subset=["value"]).sort_values("value", kind="stable")["group"],
             *data.loc[data["value"].isna(), "group"]]
    y = alt.Y("group:N", sort=order, title=None)
    x = alt.X("value:Q", title=axis_title(figure), axis=value_axis(figure.unit),
              scale=alt.Scale(domain=[{"expr": f"-({extent['expr']})"}, extent], nice=False))
    bars = base.transform_filter("isValid(datum.value)").mark_bar().encode(
        y=y, x=x, color=colour,
        tooltip=[alt.Tooltip("group:N", title=cut_title(group)), alt.Tooltip("label:N", title=figure.label),
                 alt.Tooltip("side:N", title="Against the market")])
    left = base.transform_filter("isValid(datum.value) && datum.value < 0").mark_text(
        align="right", dx=-4, fontSize=13).encode(y=alt.Y("group:N", sort=order), x=alt.X("label_at:Q"),
                                                  text=alt.Text("label:N"))
    right = base.transform_filter("!isValid(datum.value) || datum.value >= 0").mark_text(
        align="left", dx=4, fontSize=13).encode(y=alt.Y("group:N", sort=order), x=alt.X("label_at:Q"),
                                                text=alt.Text("label:N"))
    zero = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color=REFERENCE, strokeWidth=2).encode(x=alt.X("zero:Q"))
    chart = alt.layer(bars, left, right, zero, title=alt.TitleParams(title or figure.label), height=alt.Step(BAR_STEP))
    return configure(chart)


def grouped(df: pd.DataFrame, *, x: str, category: str, value: str, value_title: str, x_title: str,
            below: Sequence[str] = (), temporal: bool = True, title: str = "", value_format: str = ",.0f") -> alt.Chart:
    """Bars per x (e.g. month) for a few categories side by side; categories in `below` are drawn under zero.

    Starters vs leavers: starters above the zero line, leavers below it, so
    position tells them apart as well as colour (and the tooltip names them).
    """
    data = df[[x, category, value]].copy()
    data["label"] = [v if isinstance(v, str) else "" for v in data[value]]  # `c` where a count is hidden
    data[value] = pd.to_numeric(data[value], errors="coerce")
    data["plotted"] = [-v if c in set(below) else v for c, v in zip(data[category], data[value], strict=True)]
    cats = list(dict.fromkeys(data[category].astype(str)))
    x_enc = (alt.X(f"{x}:T", title=x_title, axis=alt.Axis(format="%b %Y", labelAngle=-45, labelOverlap=True))
             if temporal else alt.X(f"{x}:N", title=x_title, axis=alt.Axis(labelAngle=-45)))
    offset = {} if below else {"xOffset": alt.XOffset(f"{category}:N", sort=cats)}
    chart = alt.Chart(data).mark_bar().encode(
        x=x_enc,
        **offset,
        y=alt.Y("plotted:Q", title=value_title, axis=alt.Axis(format=value_format)),
        color=alt.Color(f"{category}:N", title=None, sort=cats,
                        scale=alt.Scale(domain=cats, range=SERIES_COLOURS[: len(cats)])),
        tooltip=[alt.Tooltip(f"{x}:{'T' if temporal else 'N'}", title=x_title,
                             format="%B %Y" if temporal else ""),
                 alt.Tooltip(f"{category}:N", title="Series"),
                 alt.Tooltip(f"{value}:Q", title=value_title, format=value_format)],
    )
    layers: list[alt.Chart] = [chart]
    if (data["label"] != "").any():  # a hidden month: `c` on the zero line, never an empty gap read as 0
        layers.append(alt.Chart(data).transform_filter("datum.label !== ''").transform_calculate(zero="0").mark_text(
            fontSize=11, baseline="bottom").encode(x=x_enc, **offset, y=alt.Y("zero:Q"), text=alt.Text("label:N")))
    if below:
        layers.append(alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color=REFERENCE).encode(y=alt.Y("zero:Q")))
        notes = pd.DataFrame({"text": [f"▲ {', '.join(c for c in cats if c not in below)} above the line · "
                                       f"▼ {', '.join(below)} below"]})
        layers.append(alt.Chart(notes).mark_text(align="left", baseline="top", fontSize=13, dy=4).encode(
            x=alt.XValue(0), y=alt.YValue(0), text=alt.Text("text:N")))
    out = alt.layer(*layers, **title_props(title), height=320)
    return configure(out)


def paired_bars(df: pd.DataFrame, *, group: str, category: str, value: str, value_title: str, title: str = "",
                share: str | None = None, order: Sequence[str] | None = None) -> alt.Chart:
    """Bars of a few categories side by side within each group, each labelled with its category's name, its value
    and (with `share`) its share of the group: 'Women: 125 (87.4%)'. E.g. women and men in each pay quartile.

    The category is named in words on every bar (and told apart by colour and
    position), never by colour alone; a hidden value has no bar and reads 'Men: c'.
    Groups keep their order in the data (lowest pay quartile first).
    """
    data = df[[group, category, value] + ([share] if share else [])].copy()
    data[group] = data[group].astype(str)
    data[category] = data[category].astype(str)
    raw = data[value].tolist()
    data["value"] = [as_number(v) for v in raw]
    cats = list(order) if order else list(dict.fromkeys(data[category]))
    groups = list(dict.fromkeys(data[group]))
    shares = data[share].tolist() if share else [None] * len(data)
    data["label"] = [
        f"{c}: {v if isinstance(v, str) and as_number(v) is None else format_value(v, 'count')}"
        + (f" ({format_value(s, 'percent')})" if as_number(s) is not None and as_number(v) is not None else "")
        for c, v, s in zip(data[category], raw, shares, strict=True)]
    data["label_at"] = [0.0 if v is None else v for v in data["value"]]
    known = [v for v in data["value"] if v is not None]
    top = axis_max(known, "count")
    end = room_for_labels(list(data["label_at"]), list(data["label"]), floor=top)
    palette = PAIR_COLOURS if len(cats) == 2 else SERIES_COLOURS
    colours = (palette * (len(cats) // len(palette) + 1))[: len(cats)]
    base = alt.Chart(data.drop(columns=[value] if value not in ("value", "label", "label_at") else []))
    y = alt.Y(f"{group}:N", sort=groups, title=cut_title(group))
    offset = alt.YOffset(f"{category}:N", sort=cats)
    bars = base.transform_filter("isValid(datum.value)").mark_bar().encode(
        y=y, yOffset=offset,
        x=alt.X("value:Q", title=value_title, scale=alt.Scale(domain=[0, end], nice=False),
                axis=value_axis("count", axis_ticks(0.0, top, "count"))),
        color=alt.Color(f"{category}:N", title=None, sort=cats, scale=alt.Scale(domain=cats, range=colours),
                        legend=alt.Legend(orient=LEGEND_ORIENT)),
        tooltip=[alt.Tooltip(f"{group}:N", title=cut_title(group)), alt.Tooltip("label:N", title=value_title)])
    labels = base.mark_text(align="left", dx=5, fontSize=13, color=REFERENCE).encode(
        y=y, yOffset=offset, x=alt.X("label_at:Q"), text=alt.Text("label:N"))
    chart = alt.layer(bars, labels, **title_props(title), height=alt.Step(int(BAR_STEP * 0.8 * max(len(cats), 1))))
    return configure(chart)
