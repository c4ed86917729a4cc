"""Bar charts: a figure by group with a reference rule, salary gap behind/ahead, starters vs leavers.

Pure functions: a tidy DataFrame and the registry Figure in, an Altair chart out.
Groups run down the y axis (long service-area names stay readable); every bar
carries its value as a text label, so colour is never the only signal.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from charts.format import as_number, axis_format, axis_max, axis_title, format_value, judge, label_format
from charts.theme import (
    BAR_STEP,
    NEUTRAL,
    OKABE_ITO,
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
    labels = []
    for r, st, ref in zip(raw, statuses, refs, strict=True):
        extra = f" ({st})" if st in ("worse", "better") else (
            " (no comparator)" if per_row is not None and ref is None and figure.polarity != "neutral" else "")
        labels.append(format_value(r, figure.unit) + extra)
    return pd.DataFrame({
        "group": pd.array(groups, dtype="str"),
        "value": pd.array(numbers, dtype="object") if not numbers else numbers,
        "status": pd.array(statuses, dtype="str"),
        "status_text": pd.array(texts, dtype="str"),
        "label": pd.array(labels, dtype="str"),
        "reference": pd.array([ref[1] if ref else None for ref in refs], dtype="object") if refs else [],
        "reference_text": pd.array([f"{ref[0]}: {format_value(ref[1], figure.unit)}" if ref else "none"
                                    for ref in refs], dtype="str"),
    })


References = float | None | Sequence[tuple[str, float | None]]
"""One reference value (labelled by `reference_label`) or several (label, value) pairs, the first the main one."""

REFERENCE_DASHES: tuple[list[int], ...] = ([6, 4], [2, 3], [12, 3, 2, 3], [1, 6])
"""Dash pattern of the 1st, 2nd, 3rd… reference rule: each reference is told apart by its dash and its text label,
never by colour alone."""
REFERENCE_LABEL_STEP = 16
"""Pixels between stacked reference labels above the plot."""


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


def _reference_layers(reference: References, label: str, unit: str, orient: str = "vertical") -> list[alt.Chart]:
    """A black rule at each reference value, each with its own dash pattern, labelled with its name and value.

    Labels are stacked above the plot (the first nearest), so close values do not overprint.
    """
    layers: list[alt.Chart] = []
    for i, (name, value) in enumerate(references_of(reference, label)):
        ref = pd.DataFrame({"reference": [value], "text": [f"{name}: {format_value(value, unit)}"],
                            "name": [name]})
        dash = REFERENCE_DASHES[i % len(REFERENCE_DASHES)]
        axis = "x" if orient == "vertical" else "y"
        base = alt.Chart(ref)
        tip = [alt.Tooltip("text:N", title="Reference")]
        rule = base.mark_rule(color=REFERENCE, strokeDash=dash, strokeWidth=2).encode(
            **{axis: alt.X("reference:Q") if axis == "x" else alt.Y("reference:Q")}, tooltip=tip
        )
        dy = -6 - REFERENCE_LABEL_STEP * i
        if axis == "x":
            text = base.mark_text(align="left", dx=4, dy=dy, baseline="bottom", fontSize=13, fontWeight="bold",
                                  color=REFERENCE).encode(x=alt.X("reference:Q"), y=alt.YValue(0),
                                                          text=alt.Text("text:N"))
        else:
            text = base.mark_text(align="left", dx=4, dy=dy, fontSize=13, fontWeight="bold", color=REFERENCE).encode(
                y=alt.Y("reference:Q"), x=alt.XValue(0), text=alt.Text("text:N"))
        layers += [rule, text]
    return layers


def _title(text: str, references: int) -> alt.TitleParams:
    """The chart title, moved up to make room for stacked reference labels when there are several."""
    if references > 1:
        return alt.TitleParams(text, offset=REFERENCE_LABEL_STEP * (references - 1) + 4)
    return alt.TitleParams(text)


def value_axis(unit: str) -> alt.Axis:
    """The value axis of a unit: its format, and whole-number ticks for counts of people."""
    if unit == "count":
        return alt.Axis(format=axis_format(unit), tickMinStep=1)
    return alt.Axis(format=axis_format(unit))


def sorted_groups(data: pd.DataFrame) -> list[str]:
    """Groups largest value first (groups without a value last), the order bars are drawn in."""
    known = data.dropna(subset=["value"]).sort_values("value", ascending=False, kind="stable")
    return [*known["group"], *data.loc[data["value"].isna(), "group"]]


def bar_by_group(df: pd.DataFrame, figure: Figure, reference: References = None, *, group: str = "service_area",
                 value: str | None = None, reference_label: str = "England", title: str | None = None,
                 per_row: dict[str, tuple[str, float] | None] | None = None) -> alt.Chart:
    """Horizontal bars of one figure per group, sorted by value, with labelled reference rules.

    `reference` is one value (labelled `reference_label`, e.g. England) or a
    list of (label, value) pairs (e.g. England, the region, the neighbours'
    median): each is drawn as a rule with its own dash pattern and a text label,
    for groups that all share those comparators. `per_row` instead gives each
    group its own comparator (group → (label, value), None where it has none):
    a black tick on each bar's row marks it, and each bar is judged against its
    own. For figures with a polarity, bars are coloured worse/better and the label
    says so in words; neutral figures are one colour. The value axis stops at a
    round number just above the data (never past 100% for rates that do not).
    """
    value = value or figure.id
    refs = [] if per_row is not None else references_of(reference, reference_label)
    main, reference_label = (refs[0][1], refs[0][0]) if refs else (None, reference_label)
    data = bar_data(df, figure, group, value, main, reference_label, per_row)
    # a hidden value's label (`c`) sits at zero, so a suppressed group reads `c`, never an empty gap or 0
    data = data.assign(label_at=[0.0 if (v is None or v != v) and lab == "c" else v for v, lab in
                                 zip(data["value"], data["label"], strict=True)])
    fmt = label_format(figure.unit)
    n = max(len(data), 1)
    row_refs = [v for v in data["reference"] if v is not None] if per_row is not None else []
    known = [v for v in data["value"] if v is not None]
    top = axis_max(known + [v for _, v in refs] + row_refs, figure.unit)
    low = min(known + [0.0])
    order = sorted_groups(data)
    base = alt.Chart(data)
    y = alt.Y("group:N", sort=order, title=cut_title(group), axis=alt.Axis(labelLimit=280))
    x = alt.X("value:Q", title=axis_title(figure), axis=value_axis(figure.unit),
              scale=alt.Scale(domain=[-axis_max([-low], figure.unit) if low < 0 else 0, top], nice=False))
    judged = figure.polarity != "neutral" and (main is not None or bool(row_refs))
    statuses = [s for s in STATUS_COLOURS if s in set(data["status"])]
    against = "own comparator (tick)" if per_row is not None else reference_label
    colour = (
        alt.Color("status:N", title=f"Against {against}",
                  scale=alt.Scale(domain=statuses, range=[STATUS_COLOURS[s] for s in statuses]),
                  legend=alt.Legend(orient="bottom"))
        if judged else alt.ColorValue(NEUTRAL if figure.polarity == "neutral" else OKABE_ITO["blue"])
    )
    tooltip = [
        alt.Tooltip("group:N", title=cut_title(group)),
        alt.Tooltip("value:Q", title=figure.label, format=fmt),
        alt.Tooltip("status_text:N", title=f"Against {against}"),
    ]
    if per_row is not None:
        tooltip.append(alt.Tooltip("reference_text:N", title="Comparator"))
    bars = base.mark_bar().encode(y=y, x=x, color=colour, tooltip=tooltip)
    label_y = alt.Y("group:N", sort=order)
    labels = base.transform_filter("datum.label_at >= 0").mark_text(align="left", dx=4, fontSize=13,
                                                                 color=REFERENCE).encode(
        y=label_y, x=alt.X("label_at:Q"), text=alt.Text("label:N"))
    below = base.transform_filter("datum.value < 0").mark_text(align="right", dx=-4, fontSize=13,
                                                               color=REFERENCE).encode(
        y=label_y, x=alt.X("value:Q"), text=alt.Text("label:N"))
    layers = [bars, labels, below, *_reference_layers(refs, reference_label, figure.unit)]
    if row_refs:
        layers.append(base.transform_filter("isValid(datum.reference)").mark_tick(
            color=REFERENCE, thickness=3, size=BAR_STEP - 6, orient="vertical").encode(
            y=label_y, x=alt.X("reference:Q"),
            tooltip=[alt.Tooltip("group:N", title=cut_title(group)), alt.Tooltip("reference_text:N",
                                                                                 title="Comparator")]))
    chart = alt.layer(*layers, title=_title(title or figure.label, len(refs)),
                      height=alt.Step(BAR_STEP) if n else 60)
    return configure(chart)


def diverging_bar(df: pd.DataFrame, figure: Figure, *, group: str = "role", value: str | None = None,
                  title: str | None = None) -> alt.Chart:
    """Bars left (behind) or right (ahead) of zero, e.g. salary gap to the market median by role.

    Position (left/right of the zero line), colour and the label's words
    ("behind" / "ahead") all say the same thing.
    """
    value = value or figure.id
    part = df[df[group].astype(str) != ALL_LABEL] if group in df.columns else df.iloc[0:0]
    raw = list(part[value]) if value in part.columns else []
    values = [as_number(v) for v in raw]
    data = pd.DataFrame({"group": part[group].astype(str).to_numpy() if len(part) else [],
                         "value": pd.array(values, dtype="object")})
    data["side"] = ["behind" if (v or 0) < 0 else "ahead" for v in values]
    # a hidden value (`c`) is labelled `c` at zero, never left blank; a missing one says "–"
    data["label"] = [("c" if isinstance(r, str) and r.strip() == "c" else "–") if v is None else
                     f"{format_value(v, figure.unit)} {'behind' if v < 0 else 'ahead'}" for v, r in zip(values, raw, strict=True)]
    data["label_at"] = [0.0 if v is None else v for v in values]
    extent = max([abs(v) for v in values if v is not None] + [0.01]) * 1.6
    base = alt.Chart(data)
    colour = alt.Color("side:N", title="Against the market", legend=alt.Legend(orient="bottom"),
                       scale=alt.Scale(domain=["behind", "ahead"], range=[STATUS_COLOURS["worse"],
                                                                           STATUS_COLOURS["better"]]))
    order = list(data.sort_values("label_at", kind="stable")["group"])
    y = alt.Y("group:N", sort=order, title=None, axis=alt.Axis(labelLimit=360))
    x = alt.X("value:Q", title=axis_title(figure), axis=alt.Axis(format=axis_format(figure.unit)),
              scale=alt.Scale(domain=[-extent, extent]))
    bars = base.mark_bar().encode(
        y=y, x=x, color=colour,
        tooltip=[alt.Tooltip("group:N", title=cut_title(group)),
                 alt.Tooltip("value:Q", title=figure.label, format=label_format(figure.unit)),
                 alt.Tooltip("side:N", title="Against the market")])
    left = base.transform_filter("datum.label_at < 0").mark_text(align="right", dx=-4, fontSize=13).encode(
        y=alt.Y("group:N", sort=order), x=alt.X("label_at:Q"), text=alt.Text("label:N"))
    right = base.transform_filter("datum.label_at >= 0").mark_text(align="left", dx=4, fontSize=13).encode(
        y=alt.Y("group:N", sort=order), x=alt.X("label_at:Q"), text=alt.Text("label:N"))
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


def stacked(df: pd.DataFrame, *, group: str, category: str, value: str, value_title: str,
            title: str = "", value_format: str = ",.0f", order: Sequence[str] | None = None) -> alt.Chart:
    """Horizontal stacked bars: each group's total split by category (e.g. leavers by reason per service area).

    Each segment is labelled with its category in the tooltip and the legend is
    ordered as the stack; segments big enough carry their value as text.
    """
    data = df[[group, category, value]].copy()
    data["label"] = [v if isinstance(v, str) else format_value(v, "count") for v in data[value]]  # `c` stays `c`
    data[value] = pd.to_numeric(data[value], errors="coerce")  # a hidden segment is not drawn (never as 0)
    cats = list(order) if order else list(dict.fromkeys(data[category].astype(str)))
    data["order"] = [cats.index(str(c)) if str(c) in cats else len(cats) for c in data[category]]
    colours = (SERIES_COLOURS * (len(cats) // len(SERIES_COLOURS) + 1))[: len(cats)]
    base = alt.Chart(data)
    bars = base.mark_bar(stroke="white", strokeWidth=1).encode(
        y=alt.Y(f"{group}:N", title=cut_title(group), sort="-x", axis=alt.Axis(labelLimit=280)),
        x=alt.X(f"sum({value}):Q", title=value_title, axis=alt.Axis(format=value_format)),
        color=alt.Color(f"{category}:N", title=None, sort=cats, scale=alt.Scale(domain=cats, range=colours)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip(f"{group}:N", title=cut_title(group)), alt.Tooltip(f"{category}:N"),
                 alt.Tooltip("label:N", title=value_title)],
    )
    bars.height = alt.Step(BAR_STEP)  # set directly: .properties() validates each value, slowly
    if title:
        bars.title = alt.TitleParams(title)
    return configure(bars)
