"""Charts, tables and text descriptions for the compare page (DfE benchmarks). Pure: no Streamlit.

Every line is told apart by colour (Okabe–Ito), stroke dash and point shape,
and its last point is labelled with its name and value, so colour is never the
only signal. Values the DfE did not publish (symbols c, x, z, u, low) are NULL:
they are left out of the marks (a line breaks at them) and listed in words,
never drawn as zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import altair as alt
import pandas as pd

from charts.fit import LEGEND_ORIENT
from charts.format import as_number, axis_format, format_change, format_value, label_format
from charts.theme import BAR_STEP, OKABE_ITO, REFERENCE, configure
from ingest.symbols import symbol_meaning

ROLE_STYLE: dict[str, tuple[str, list[int], str]] = {
    # role: (colour, stroke dash, point shape)
    "la": (OKABE_ITO["blue"], [1, 0], "circle"),
    "england": (OKABE_ITO["black"], [8, 4], "square"),
    "region": (OKABE_ITO["orange"], [2, 3], "triangle-up"),
    "neighbours": (OKABE_ITO["bluish_green"], [12, 3, 2, 3], "diamond"),
    "predecessor": (OKABE_ITO["reddish_purple"], [4, 4], "cross"),
    "successor": (OKABE_ITO["reddish_purple"], [4, 4], "cross"),
}
EXTRA_STYLES: list[tuple[str, list[int], str]] = [
    (OKABE_ITO["vermillion"], [1, 0], "triangle-down"),
    (OKABE_ITO["sky_blue"], [6, 2], "triangle-left"),
    (OKABE_ITO["reddish_purple"], [1, 0], "triangle-right"),
    (OKABE_ITO["yellow"], [3, 1], "stroke"),
    ("#7F7F7F", [10, 2], "wedge"),
    ("#5B6770", [2, 6], "arrow"),
]
"""Styles for extra authorities and further predecessor/successor lines, in order."""
ROLE_WORDS: dict[str, str] = {
    "la": "the chosen authority", "england": "England", "region": "its region",
    "neighbours": "the median of its statistical neighbours", "predecessor": "predecessor authority",
    "successor": "successor authority", "extra": "comparison authority",
}


def _style(frame: pd.DataFrame) -> tuple[list[str], list[str], list[list[int]], list[str]]:
    """Series names in order and their colour, dash and shape."""
    names, colours, dashes, shapes = [], [], [], []
    spare = iter(EXTRA_STYLES * 3)
    used_roles: set[str] = set()
    for name, role in frame[["series", "role"]].drop_duplicates("series").itertuples(index=False):
        style = ROLE_STYLE.get(role) if role not in used_roles else None
        style = style or next(spare)
        used_roles.add(role)
        names.append(name)
        colours.append(style[0])
        dashes.append(style[1])
        shapes.append(style[2])
    return names, colours, dashes, shapes


def trend_data(series: pd.DataFrame, unit: str, shown: Iterable[str] | None = None) -> pd.DataFrame:
    """Plottable rows of a reference series: NULLs dropped, a `segment` per unbroken run, last point labelled.

    `shown` limits the roles drawn (the authority itself is always drawn).
    """
    roles = set(shown) | {"la"} if shown is not None else None
    data = series if roles is None else series[series["role"].isin(roles)]
    data = data.sort_values(["series", "year"]).reset_index(drop=True)
    rows = []
    for name, part in data.groupby("series", sort=False):
        segment = 0
        previous_missing = False
        for rec in part.itertuples():
            value = as_number(rec.value)
            if value is None:
                previous_missing = True
                continue
            if previous_missing:
                segment += 1
                previous_missing = False
            rows.append({"year": int(rec.year), "series": name, "role": rec.role, "value": value,
                         "segment": f"{name}#{segment}", "note": rec.note or "",
                         "shown": format_value(value, unit)})
    out = pd.DataFrame(rows, columns=["year", "series", "role", "value", "segment", "note", "shown", "label"])
    out["label"] = ""
    for _, part in out.groupby("series", sort=False):
        last = part.index[-1]
        out.loc[last, "label"] = f"{part.loc[last, 'series']}: {part.loc[last, 'shown']}"
    return out


def benchmark_trend(series: pd.DataFrame, label: str, unit: str, shown: Iterable[str] | None = None,
                    title: str | None = None) -> alt.Chart:
    """Lines by year: the authority against England, its region, its neighbours' median and any extras."""
    data = trend_data(series, unit, shown)
    names, colours, dashes, shapes = _style(data if len(data) else series)
    colour = alt.Color("series:N", title=None, sort=names, scale=alt.Scale(domain=names, range=colours),
                       legend=alt.Legend(orient=LEGEND_ORIENT, columns=2, symbolStrokeWidth=3))
    dash = alt.StrokeDash("series:N", sort=names, scale=alt.Scale(domain=names, range=dashes), legend=None)
    shape = alt.Shape("series:N", sort=names, scale=alt.Scale(domain=names, range=shapes), legend=None)
    x_enc = alt.X("year:Q", title="Year to 30 September", axis=alt.Axis(format="d", tickMinStep=1),
                  scale=alt.Scale(nice=False))
    y_enc = alt.Y("value:Q", title=label, axis=alt.Axis(format=axis_format(unit)), scale=alt.Scale(zero=True))
    tooltip = [alt.Tooltip("series:N", title="Series"), alt.Tooltip("year:Q", title="Year", format="d"),
               alt.Tooltip("value:Q", title=label, format=label_format(unit)), alt.Tooltip("note:N", title="Note")]
    base = alt.Chart()
    line = base.mark_line(strokeWidth=3).encode(x=x_enc, y=y_enc, color=colour, strokeDash=dash, detail="segment:N")
    points = base.mark_point(size=70, filled=True).encode(x=x_enc, y=y_enc, color=colour, shape=shape,
                                                          tooltip=tooltip)
    labels = base.transform_filter("datum.label != ''").mark_text(
        align="left", dx=8, fontSize=12, fontWeight="bold").encode(x=x_enc, y=y_enc, text="label:N", color=colour)
    chart = alt.layer(line, points, labels, data=data, title=alt.TitleParams(title or label), height=360, padding={"left": 5, "top": 5, "right": 220, "bottom": 5})
    return configure(chart)


def peer_bars(peers: pd.DataFrame, label: str, unit: str, england: float | None = None,
              title: str | None = None) -> alt.Chart:
    """Horizontal bars of peer authorities, best first; the chosen one marked '◆ … (selected)' and outlined.

    Authorities without a value get no bar, only their symbol in words.
    """
    data = peers.copy()
    values = [as_number(v) for v in data["value"]]
    data["shown"] = [format_value(v, unit) if v is not None else (f"{s}: {symbol_meaning(s)}" if s else "no value")
                     for v, s in zip(values, data["symbol"], strict=True)]
    data["value"] = pd.Series(values, index=data.index, dtype="float64")
    data["kind"] = ["Chosen authority" if s else "Other authority" for s in data["selected"]]
    order = data["label"].tolist()
    y_enc = alt.Y("label:N", sort=order, title=None)
    x_enc = alt.X("value:Q", title=label, axis=alt.Axis(format=axis_format(unit)), scale=alt.Scale(zero=True))
    colour = alt.Color("kind:N", title=None, scale=alt.Scale(domain=["Chosen authority", "Other authority"],
                                                           range=[OKABE_ITO["blue"], OKABE_ITO["sky_blue"]]),
                       legend=alt.Legend(orient=LEGEND_ORIENT))
    tooltip = [alt.Tooltip("area:N", title="Authority"), alt.Tooltip("shown:N", title=label),
               alt.Tooltip("rank:Q", title="Rank in group")]
    base = alt.Chart(data)
    bars = base.transform_filter("isValid(datum.value)").mark_bar(stroke=REFERENCE).encode(
        y=y_enc, x=x_enc, color=colour, tooltip=tooltip,
        strokeWidth=alt.condition("datum.selected", alt.value(3), alt.value(0)))
    text = base.transform_calculate(value_or_zero="isValid(datum.value) ? datum.value : 0").mark_text(
        align="left", dx=4, fontSize=12).encode(y=y_enc, x=alt.X("value_or_zero:Q"), text="shown:N")
    layers: list[alt.Chart] = [bars, text]
    if as_number(england) is not None:
        ref = pd.DataFrame({"reference": [float(england)], "text": [f"England: {format_value(england, unit)}"]})
        layers.append(alt.Chart(ref).mark_rule(color=REFERENCE, strokeDash=[6, 4], strokeWidth=2).encode(
            x="reference:Q"))
        layers.append(alt.Chart(ref).mark_text(align="left", dx=4, y=-8, fontSize=12, fontWeight="bold",
                                               color=REFERENCE).encode(x="reference:Q", text="text:N"))
    chart = alt.layer(*layers, title=alt.TitleParams(title or label), height=max(BAR_STEP * len(data), 120),
        padding={"left": 5, "top": 15, "right": 120, "bottom": 5})
    return configure(chart)


def england_of(bench: pd.DataFrame, figure_id: str) -> float | None:
    """England's latest value of a figure from a `reference.latest_benchmarks` table (None when it has none)."""
    rows = bench.loc[bench["figure"] == figure_id, "england"] if "figure" in bench.columns else []
    return as_number(rows.iloc[0]) if len(rows) else None


def describe_benchmark_trend(series: pd.DataFrame, label: str, unit: str) -> str:
    """A text description of the trend chart: the authority's first and last values against each reference."""
    la = series[series["role"] == "la"]
    if la.empty:
        return f"No {label.lower()} figures."
    name = la["series"].iloc[0]
    have = la[la["value"].notna()]
    parts = []
    if have.empty:
        parts.append(f"{name} has no published {label.lower()} in any year.")
    else:
        first, last = have.iloc[0], have.iloc[-1]
        parts.append(f"{label} for {name} was {format_value(first['value'], unit)} in {int(first['year'])} and "
                     f"{format_value(last['value'], unit)} in {int(last['year'])}.")
        for role in ("england", "region", "neighbours"):
            ref = series[(series["role"] == role) & (series["year"] == last["year"])]
            if len(ref) and as_number(ref["value"].iloc[0]) is not None:
                parts.append(f"In {int(last['year'])}, {ref['series'].iloc[0]}: "
                             f"{format_value(ref['value'].iloc[0], unit)} "
                             f"({format_change(last['value'] - ref['value'].iloc[0], unit)} for {name}).")
    gaps = la[la["value"].isna()]
    for note, years in gaps.groupby("note")["year"]:
        span = ", ".join(str(int(y)) for y in years)
        parts.append(f"Not plotted for {span}: {note or 'no value'}.")
    return " ".join(parts)


def describe_peers(peers: pd.DataFrame, label: str, unit: str, group: str) -> str:
    """A text description of the peer bar chart: where the chosen authority sits in its group."""
    if peers.empty:
        return f"No {group} to compare with."
    year = int(peers["year"].iloc[0])
    chosen = peers[peers["selected"]]
    with_value = peers[peers["value"].notna()]
    text = f"{len(peers)} authorities ({group}), {year}, best first."
    if len(chosen) and pd.notna(chosen["rank"].iloc[0]):
        text += (f" {chosen['area'].iloc[0]}: {format_value(chosen['value'].iloc[0], unit)}, "
                 f"{int(chosen['rank'].iloc[0])} of {len(with_value)} with a value.")
    elif len(chosen):
        symbol = chosen["symbol"].iloc[0]
        text += f" {chosen['area'].iloc[0]} has no value ({symbol}: {symbol_meaning(symbol)})." if symbol else \
            f" {chosen['area'].iloc[0]} has no value."
    if len(with_value):
        text += (f" Range {format_value(with_value['value'].min(), unit)} to "
                 f"{format_value(with_value['value'].max(), unit)}.")
    missing = peers[peers["value"].isna()]
    if len(missing):
        text += " Without a value: " + ", ".join(
            f"{a} ({s})" if s else a for a, s in zip(missing["area"], missing["symbol"], strict=True)) + "."
    return text


def _shown(value: Any, symbol: Any, unit: str) -> str:
    if isinstance(symbol, str) and symbol:
        return f"{symbol} ({symbol_meaning(symbol)})"
    return format_value(value, unit)


def series_table(series: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The table behind the trend chart, for reading: year, series, value as text, note."""
    return pd.DataFrame({
        "Year": series["year"].astype(int).to_numpy(),
        "Series": series["series"].to_numpy(),
        "Value": [_shown(v, s, unit) for v, s in zip(series["value"], series["symbol"], strict=True)],
        "Note": series["note"].to_numpy(),
    }).sort_values(["Series", "Year"], kind="stable").reset_index(drop=True)


def peers_table(peers: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The table behind the peer bar chart, for reading."""
    return pd.DataFrame({
        "Rank": peers["rank"].to_numpy(),
        "Authority": peers["label"].to_numpy(),
        "Value": [_shown(v, s, unit) for v, s in zip(peers["value"], peers["symbol"], strict=True)],
    })


def benchmarks_table(bench: pd.DataFrame) -> pd.DataFrame:
    """latest_benchmarks as text: figure, the authority, England, region, neighbours' median, rank and band."""
    rows = []
    for r in bench.itertuples():
        rank = f"{int(r.rank)} of {r.out_of}" if pd.notna(r.rank) else "–"
        rows.append({
            "Figure": r.label, "Year": int(r.year), r.la: _shown(r.la_value, r.la_symbol, r.unit),
            "England": format_value(r.england, r.unit), f"Region ({r.region_name})": format_value(r.region, r.unit),
            "Neighbours (median)": (f"{format_value(r.neighbour_median, r.unit)} ({r.neighbours_used} of "
                                    f"{r.neighbours_total})") if r.neighbours_used else "–",
            "National rank": rank, "Band": r.band if isinstance(r.band, str) else "–",
        })
    return pd.DataFrame(rows)


def reconcile_table(rec: pd.DataFrame) -> pd.DataFrame:
    """reconcile() as text: your figure, the DfE's, the difference and the likely reasons."""
    return pd.DataFrame({
        "Figure": rec["label"].to_numpy(),
        "Yours": [_shown(v, s, u) for v, s, u in zip(rec["council"], rec["council_symbol"], rec["unit"], strict=True)],
        "DfE return": [_shown(v, s, u) for v, s, u in zip(rec["dfe"], rec["dfe_symbol"], rec["unit"], strict=True)],
        "Difference": [format_change(d, u) for d, u in zip(rec["difference"], rec["unit"], strict=True)],
        "England": [format_value(v, u) for v, u in zip(rec["england"], rec["unit"], strict=True)],
        "Region": [format_value(v, u) for v, u in zip(rec["region"], rec["unit"], strict=True)],
        "Neighbours (median)": [format_value(v, u) for v, u in zip(rec["neighbour_median"], rec["unit"],
                                                                   strict=True)],
        "Likely reasons": rec["reasons"].to_numpy(),
    })
