"""Text descriptions of charts, generated from the same data, for screen readers and the 'Show data' caption.

Each function says what the chart shows in one or two sentences: the highest
and lowest groups, the reference and how many groups are worse than it, or where
a trend went. Values are formatted exactly as the chart labels them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from charts.bars import ALL_LABEL, References, bar_data, cut_title, references_of
from charts.format import as_number, format_change, format_value, judge
from metrics.registry import Figure


def _plural(word: str) -> str:
    return word if word.endswith("s") else word + "s"


def describe_bars(df: pd.DataFrame, figure: Figure, reference: References = None, *, group: str = "service_area",
                  value: str | None = None, reference_label: str = "England",
                  per_row: dict[str, tuple[str, float] | None] | None = None) -> str:
    """E.g. 'Agency rate is highest in Children's Social Work (31.2%) and lowest in SEND (4.0%). England: 17.9%;
    2 of 5 service areas are worse.' Several references (label, value) are all named; the first is judged against.

    With `per_row` (each group's own comparator, None where it has none) each comparison is named, and the
    groups without a comparator are listed as such: 'No comparator for Education Psychology or SEND 0-25.'
    """
    value = value or figure.id
    refs = [] if per_row is not None else references_of(reference, reference_label)
    reference, reference_label = (refs[0][1], refs[0][0]) if refs else (None, reference_label)
    data = bar_data(df, figure, group, value, reference, reference_label, per_row)
    known = data.dropna(subset=["value"]).sort_values("value", ascending=False)
    what = cut_title(group).lower()
    if known.empty:
        return f"{figure.label}: no values to show by {what}."
    hi, lo = known.iloc[0], known.iloc[-1]
    if len(known) == 1:
        text = f"{figure.label} in {hi['group']} is {format_value(hi['value'], figure.unit)}."
    else:
        text = (f"{figure.label} is highest in {hi['group']} ({format_value(hi['value'], figure.unit)}) "
                f"and lowest in {lo['group']} ({format_value(lo['value'], figure.unit)}).")
    if value in df.columns and group in df.columns:
        everyone = df.loc[df[group].astype(str) == ALL_LABEL, value]
        if len(everyone):
            text += f" Overall: {format_value(everyone.iloc[0], figure.unit)}."
    if per_row is not None:
        by_comparator: dict[tuple[str, float], list[tuple[str, str]]] = {}
        for _, r in known.iterrows():
            comp = per_row.get(r["group"])
            if comp:
                by_comparator.setdefault((comp[0], comp[1]), []).append((r["group"], r["status"]))
        for (name, number), rows in by_comparator.items():
            text += f" Against {name}, {format_value(number, figure.unit)}:"
            parts = []
            for status in ("worse", "better", "same"):
                groups = [g for g, st in rows if st == status]
                if groups:
                    parts.append(f" {status} — {_joined(groups)}")
            shown = [g for g, st in rows if st == "no comparison"]
            if shown:
                parts.append(f" {_joined(shown)} (no better or worse for this figure)")
            text += ";".join(parts) + "."
        with_value = set(known["group"])
        without = [g for g in data["group"] if g in with_value and not per_row.get(g)]  # in the table's order
        if without:
            listed = without[0] if len(without) == 1 else ", ".join(without[:-1]) + " or " + without[-1]
            text += f" No comparator of the same group and year for {listed}, so no verdict."
    elif as_number(reference) is not None:
        text += f" {reference_label}: {format_value(reference, figure.unit)}."
        if figure.polarity != "neutral":
            worse = int((known["status"] == "worse").sum())
            text += f" {worse} of {len(known)} {_plural(what)} are worse than {reference_label}."
        for name, number in refs[1:]:
            text += f" {name}: {format_value(number, figure.unit)}."
    missing = len(data) - len(known)
    if missing:
        hidden = [str(g) for g, lab in zip(data["group"], data["label"], strict=True) if lab == "c"]
        if hidden:
            text += f" Shown as c (fewer than 5 people, or hidden so they cannot be worked out): {', '.join(hidden)}."
        if missing > len(hidden):
            rest = missing - len(hidden)
            text += f" {rest} {what if rest == 1 else _plural(what)} {'has' if rest == 1 else 'have'} no value."
    return text


def _joined(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe_trend(df: pd.DataFrame, figure: Figure, *, x: str = "as_of", value: str | None = None,
                   series: str | None = None) -> str:
    """E.g. 'Turnover rate went from 12.0% in October 2023 to 15.1% in September 2025 (+3.1 pts, worse).'"""
    value = value or figure.id
    if df.empty or value not in df.columns:
        return f"{figure.label}: no monthly values to show."
    parts = []
    groups = df.groupby(series, sort=False) if series and series in df.columns else [(figure.label, df)]
    for name, part in groups:
        part = part.assign(_v=[as_number(v) for v in part[value]]).dropna(subset=["_v"]).sort_values(x)
        if part.empty:
            continue
        first, last = part.iloc[0], part.iloc[-1]
        start = pd.Timestamp(first[x]).strftime("%B %Y")
        end_day = pd.Timestamp(last[x]).date()
        partial = (end_day + dt.timedelta(days=1)).day != 1
        end = f"{end_day.day} {end_day:%B %Y} (part of the month)" if partial else f"{end_day:%B %Y}"
        change = last["_v"] - first["_v"]
        verdict = judge(last["_v"], first["_v"], figure.polarity)
        tail = f"{format_change(change, figure.unit)}" + (f", {verdict}" if verdict in ("better", "worse") else "")
        who = f"{figure.label}" if series is None else f"{name}"
        parts.append(f"{who} went from {format_value(first['_v'], figure.unit)} in {start} to "
                     f"{format_value(last['_v'], figure.unit)} {'on' if partial else 'in'} {end} ({tail}).")
    return " ".join(parts) if parts else f"{figure.label}: no monthly values to show."


def describe_diverging(df: pd.DataFrame, figure: Figure, *, group: str = "role", value: str | None = None) -> str:
    """E.g. 'Pay is behind the market median for 4 of 6 roles; furthest behind: Social Worker (−6.2%).'"""
    value = value or figure.id
    if group not in df.columns or value not in df.columns:
        return f"{figure.label}: no values to show."
    part = df[df[group].astype(str) != ALL_LABEL]
    vals = [(str(g), as_number(v)) for g, v in zip(part[group], part[value], strict=True)]
    vals = [(g, v) for g, v in vals if v is not None]
    if not vals:
        return f"{figure.label}: no values to show."
    behind = sorted([gv for gv in vals if gv[1] < 0], key=lambda gv: gv[1])
    what = _plural(cut_title(group).lower())
    text = f"{figure.label}: behind the market for {len(behind)} of {len(vals)} {what}"
    if behind:
        g, v = behind[0]
        text += f"; furthest behind: {g} ({format_value(v, figure.unit)})"
    ahead = sorted([gv for gv in vals if gv[1] >= 0], key=lambda gv: -gv[1])
    if ahead:
        g, v = ahead[0]
        text += f"; furthest ahead: {g} (+{format_value(v, figure.unit)})"
    return text + "."


def _hidden(value: object) -> bool:
    return isinstance(value, str) and value == "c"


def describe_counts(df: pd.DataFrame, *, label: str, category: str, value: str, unit: str = "count",
                    highlight: Sequence[str] = (), highlight_label: str = "") -> str:
    """E.g. 'Leavers by reason: largest is Resignation (23), then Moved to agency work (9); 48 in all.'

    A hidden count is named as `c`, and a total with a hidden part is `c` too: never 0. `highlight` bands (marked
    ▲ on the chart) are named with their total: 'Marked ▲ (Under 2 years' service): Under 2 years, 120.'
    """
    marked = _marked(df, category, value, highlight, highlight_label, unit)
    if df.empty or category not in df.columns or value not in df.columns:
        return f"{label}: no values to show."
    hidden = sorted({str(c) for c, v in zip(df[category], df[value], strict=True) if _hidden(v)})
    totals = df.assign(_v=pd.to_numeric(df[value], errors="coerce")).groupby(category, sort=False)["_v"].sum(
        min_count=1)
    totals = totals.drop(labels=[h for h in hidden if h in totals.index]).dropna().sort_values(ascending=False)
    if totals.empty and not hidden:
        return f"{label}: no values to show."
    top = [f"{name} ({format_value(v, unit)})" for name, v in totals.head(3).items()]
    text = f"{label}: largest is {top[0]}" if top else f"{label}:"
    if len(top) > 1:
        text += ", then " + ", ".join(top[1:])
    if hidden:
        text += (("; " if top else " ") + ", ".join(hidden)
                 + " c (fewer than 5 people, or hidden so they cannot be worked out)")
        return text + "; the total is c." + marked
    return text + f"; {format_value(totals.sum(), unit)} in all." + marked


def _marked(df: pd.DataFrame, category: str, value: str, highlight: Sequence[str], words: str, unit: str) -> str:
    """' Marked ▲ (above the span threshold): 9–10 and 11+, 7 in all.' for the highlighted bands ('' for none)."""
    if not highlight or df.empty or category not in df.columns:
        return ""
    rows = df[df[category].astype(str).isin([str(h) for h in highlight])]
    if rows.empty:
        return ""
    names = [str(n) for n in dict.fromkeys(rows[category].astype(str))]
    values = rows[value].tolist()
    total = "c" if any(_hidden(v) for v in values) else format_value(
        sum(as_number(v) or 0 for v in values), unit)
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f" Marked ▲{f' ({words})' if words else ''}: {listed}, {total} in all."


def describe_pairs(df: pd.DataFrame, *, label: str, group: str, category: str, value: str,
                   share: str | None = None) -> str:
    """E.g. 'Men and women in each pay quartile: Lower — Women 125 (90.6%), Men 13 (9.4%); Upper — …'.

    Every group with every category's count (and share of the group), in the table's order; a hidden count is `c`.
    """
    if df.empty or group not in df.columns or category not in df.columns or value not in df.columns:
        return f"{label}: no values to show."
    parts = []
    for name, part in df.groupby(group, sort=False):
        items = []
        for _, row in part.iterrows():
            count = row[value]
            text = f"{row[category]} {count if _hidden(count) else format_value(count, 'count')}"
            if share and as_number(row.get(share)) is not None and not _hidden(count):
                text += f" ({format_value(row[share], 'percent')})"
            items.append(text)
        parts.append(f"{name} — {', '.join(items)}")
    return f"{label}: " + "; ".join(parts) + "."


def describe_series_pair(df: pd.DataFrame, *, label: str, x: str, category: str, value: str,
                         unit: str = "count") -> str:
    """E.g. 'Starters vs leavers over 24 months: 120 starters and 98 leavers in all.'

    A series with a hidden (`c`) month has its total given as `c`, never as the sum of the others.
    """
    if df.empty:
        return f"{label}: no values to show."
    months = df[x].nunique()
    parts = []
    for name, part in df.groupby(category, sort=False):
        if any(_hidden(v) for v in part[value]):
            parts.append(f"c {str(name).lower()} (some months are hidden as c)")
        else:
            parts.append(f"{format_value(pd.to_numeric(part[value], errors='coerce').sum(), unit)} "
                         f"{str(name).lower()}")
    return f"{label} over {months} months: " + " and ".join(parts) + " in all."


def describe_funnel(df: pd.DataFrame, *, stage: str = "stage", value: str = "count",
                    order: Sequence[str] | None = None) -> str:
    """E.g. 'Recruitment funnel: 640 applications, 120 shortlisted, 40 offers, 6 declined, 31 appointed.'"""
    if df.empty:
        return "Recruitment funnel: no adverts in the period."
    parts = [f"{format_value(v, 'count')} {str(s).lower()}" for s, v in zip(df[stage], df[value], strict=True)]
    return "Recruitment funnel: " + ", ".join(parts) + "."


def describe_threshold(df: pd.DataFrame, *, group: str, value: str, threshold: float | None, label: str,
                       threshold_label: str, unit: str = "cases",
                       per_row: dict[str, tuple[str, float] | None] | None = None) -> str:
    """E.g. 'Average caseload: 3 of 9 teams are above the England average (15.2); highest: Assessment (21.0).'

    With `per_row` (each group's own standard, None where it has none) the groups are counted against their
    own standards, the standards named, and the groups without one listed.
    """
    vals = [(str(g), as_number(v)) for g, v in zip(df[group], df[value], strict=True)] if len(df) else []
    vals = [(g, v) for g, v in vals if v is not None]
    if not vals:
        return f"{label}: no values to show."
    g, v = max(vals, key=lambda gv: gv[1])
    text = f"{label}: highest in {g} ({format_value(v, unit)})"
    if per_row is not None:
        held = [(name, x, per_row[name]) for name, x in vals if per_row.get(name)]
        if held:
            above = sum(1 for _, x, std in held if x > std[1])
            named = sorted({f"{std[0]} ({format_value(std[1], unit)})" for _, _, std in held})
            text += f"; {above} of {len(held)} are above their standard: " + "; ".join(named)
        without = [name for name, _ in vals if not per_row.get(name)]
        if without:
            text += f". No standard for {len(without)} of {len(vals)}, so no verdict for them"
        return text + "."
    limit = as_number(threshold)
    if limit is not None:
        above = sum(1 for _, x in vals if x > limit)
        text += f"; {above} of {len(vals)} are above {threshold_label} ({format_value(limit, unit)})"
    return text + "."
