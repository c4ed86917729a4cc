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

from charts.bars import label_positions, reference_rules, value_axis
from charts.fit import LEGEND_ORIENT, NARROW_TEST, TWO_LINES, room_for_labels
from charts.format import as_number, axis_format, axis_max, axis_ticks, format_change, format_value
from charts.theme import BAR_STEP, OKABE_ITO, REFERENCE, configure
from ingest.symbols import symbol_meaning

ROLE_STYLE: dict[str, tuple[str, list[int], str]] = {
    # role: (colour, stroke dash, point shape)
    "la": (OKABE_ITO["blue"], [1, 0], "circle"),
    "england": (OKABE_ITO["black"], [8, 4], "square"),
    "region": (OKABE_ITO["vermillion"], [2, 3], "triangle-up"),
    "neighbours": (OKABE_ITO["bluish_green"], [12, 3, 2, 3], "diamond"),
    "predecessor": (OKABE_ITO["reddish_purple"], [4, 4], "cross"),
    "successor": (OKABE_ITO["reddish_purple"], [4, 4], "cross"),
}
EXTRA_STYLES: list[tuple[str, list[int], str]] = [
    ("#B35900", [1, 0], "triangle-down"),
    ("#6F777B", [6, 2], "triangle-left"),
    (OKABE_ITO["reddish_purple"], [1, 0], "triangle-right"),
    ("#000000", [3, 1], "stroke"),
    ("#7F7F7F", [10, 2], "wedge"),
    ("#5B6770", [2, 6], "arrow"),
]
"""Styles for extra authorities and further predecessor/successor lines, in order."""
OTHER_AUTHORITY = "#6F777B"
"""The other authorities' bars: a grey of 4.6:1 on white (graphics need 3:1), the chosen one blue and outlined."""
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
    """Lines by year: the authority against England, its region, its neighbours' median and any extras.

    Each line is named in the legend with its latest value ('Devon: 27.1% (2025)'), told apart by colour, dash
    and point shape; names are not written at the lines' ends, where close values overprinted each other and long
    names ran off a phone's screen.
    """
    data = trend_data(series, unit, shown)
    names, colours, dashes, shapes = _style(data if len(data) else series)
    last = {row["series"]: f"{row['label']} ({int(row['year'])})" for row in data.to_dict("records") if row["label"]}
    keys = [last.get(n, n) for n in names]
    data = data.assign(key=[last.get(n, n) for n in data["series"]])
    legend = alt.Legend(orient=LEGEND_ORIENT, columns={"expr": f"{NARROW_TEST} ? 1 : 2"}, symbolStrokeWidth=3,
                        labelExpr=TWO_LINES)
    colour = alt.Color("key:N", title=None, sort=keys, scale=alt.Scale(domain=keys, range=colours), legend=legend)
    dash = alt.StrokeDash("key:N", sort=keys, scale=alt.Scale(domain=keys, range=dashes), legend=None)
    shape = alt.Shape("key:N", title=None, sort=keys, scale=alt.Scale(domain=keys, range=shapes), legend=legend)
    x_enc = alt.X("year:Q", title="Year to 30 September", axis=alt.Axis(format="d", tickMinStep=1),
                  scale=alt.Scale(nice=False))
    y_enc = alt.Y("value:Q", title=label, axis=alt.Axis(format=axis_format(unit)), scale=alt.Scale(zero=True))
    tooltip = [alt.Tooltip("series:N", title="Series"), alt.Tooltip("year:Q", title="Year", format="d"),
               alt.Tooltip("shown:N", title=label), alt.Tooltip("note:N", title="Note")]
    base = alt.Chart()
    line = base.mark_line(strokeWidth=3).encode(x=x_enc, y=y_enc, color=colour, strokeDash=dash, detail="segment:N")
    points = base.mark_point(size=70, filled=True).encode(x=x_enc, y=y_enc, color=colour, shape=shape,
                                                          tooltip=tooltip)
    chart = alt.layer(line, points, data=data, title=alt.TitleParams(title or label), height=360)
    return configure(chart)


BREAK = "//"
"""The mark drawn across the end of a bar cut short (and named in the words that explain it)."""
OUTLIER_RATIO = 2.0
"""A value more than twice the next one down (with at least three others) is far above the rest: its bar is cut."""


def outliers(values: list[float | None]) -> int:
    """How many of the largest values (0, 1 or 2) stand far above the rest: each more than twice the next one
    below the group (e.g. one authority at 100% when the others run to 32%). Their bars are cut short so the
    others can be told apart."""
    known = sorted((v for v in values if v is not None and v == v), reverse=True)
    cut = 0
    for k in (1, 2):
        if len(known) >= k + 3 and known[k] > 0 and known[k - 1] > OUTLIER_RATIO * known[k]:
            cut = k
    return cut


def peer_bars(peers: pd.DataFrame, label: str, unit: str, england: float | None = None,
              title: str | None = None) -> alt.Chart:
    """Horizontal bars of peer authorities, best first; the chosen one marked '◆ … (selected)' and outlined.

    Authorities without a value get no bar, only their symbol in words. England is a
    dashed rule named in the legend, and each value label starts past its bar and the
    rule. A value far above the rest (see `outliers`: e.g. one authority at 100%) does
    not squash every other bar: the axis stops above the others, its bar runs to the
    axis end with a break mark (//), its label says "off the scale", and the chart's
    subtitle names it.
    """
    data = peers.copy()
    values = [as_number(v) for v in data["value"]]
    cut = outliers(values)
    known = sorted((v for v in values if v is not None), reverse=True)
    rest = known[cut:]
    ref = as_number(england)
    top = axis_max(rest + ([ref] if ref is not None else []), unit)
    over = [v is not None and cut and v > top for v in values]
    data["shown"] = [format_value(v, unit) if v is not None else (f"{s}: {symbol_meaning(s)}" if s else "no value")
                     for v, s in zip(values, data["symbol"], strict=True)]
    data["label_text"] = [f"{shown} (off the scale)" if o else shown
                          for shown, o in zip(data["shown"], over, strict=True)]
    data["value"] = pd.Series(values, index=data.index, dtype="float64")
    data["drawn"] = [top if o else v for v, o in zip(values, over, strict=True)]
    data["label_at"] = [0.0 if at is None else at for at in
                        label_positions([top if o else v for v, o in zip(values, over, strict=True)],
                                        [ref] * len(data))]
    data["kind"] = ["Chosen authority" if s else "Other authority" for s in data["selected"]]
    order = data["label"].tolist()
    end = room_for_labels(list(data["label_at"]), list(data["label_text"]), floor=top, size=12)
    y_enc = alt.Y("label:N", sort=order, title=None)
    x_enc = alt.X("drawn:Q", title=label, axis=value_axis(unit, axis_ticks(0.0, top, unit)),
                  scale=alt.Scale(domain=[0, end], nice=False))
    colour = alt.Color("kind:N", title=None, scale=alt.Scale(domain=["Chosen authority", "Other authority"],
                                                           range=[OKABE_ITO["blue"], OTHER_AUTHORITY]),
                       legend=alt.Legend(orient=LEGEND_ORIENT))
    tooltip = [alt.Tooltip("area:N", title="Authority"), alt.Tooltip("shown:N", title=label),
               alt.Tooltip("rank:Q", title="Rank in group")]
    base = alt.Chart(data)
    bars = base.transform_filter("isValid(datum.value)").mark_bar(stroke=REFERENCE).encode(
        y=y_enc, x=x_enc, color=colour, tooltip=tooltip,
        strokeWidth=alt.condition("datum.selected", alt.value(3), alt.value(0)))
    text = base.mark_text(align="left", dx=5, fontSize=12).encode(y=y_enc, x=alt.X("label_at:Q"), text="label_text:N")
    layers: list[alt.Chart] = [bars, text]
    if cut:
        layers.append(base.transform_filter(f"isValid(datum.value) && datum.value > {top!r}").mark_text(
            align="right", dx=-6, fontSize=20, fontWeight="bold", color="white").encode(
            y=y_enc, x=alt.X("drawn:Q"), text=alt.value(BREAK)))
    layers += reference_rules(ref, "England", unit) if ref is not None else []
    far = [(a, v) for a, v in zip(data["area"], values, strict=True) if v is not None and cut and v > top]
    subtitle = (f"{' and '.join(f'{a} ({format_value(v, unit)})' for a, v in far)} "
                f"{'is' if len(far) == 1 else 'are'} far above the rest: "
                f"{'its bar is' if len(far) == 1 else 'their bars are'} cut short (marked {BREAK}) so the others can be read."
                if far else None)
    chart = alt.layer(*layers, title=alt.TitleParams(title or label, **({"subtitle": subtitle} if subtitle else {})),
                      height=alt.Step(BAR_STEP))
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
        cut = outliers([as_number(v) for v in peers["value"]])
        if cut:
            far = with_value.sort_values("value", ascending=False).head(cut)
            names = " and ".join(f"{a} ({format_value(v, unit)})" for a, v in zip(far["area"], far["value"],
                                                                                 strict=True))
            text += (f" {names} {'is' if cut == 1 else 'are'} far above the rest: the chart cuts "
                     f"{'its bar' if cut == 1 else 'their bars'} short (marked {BREAK}) so the others can be compared.")
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
