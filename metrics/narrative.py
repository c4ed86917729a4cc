"""The written summary: five to eight plain-English sentences generated from the figures, each traceable.

Deterministic templates, no language model. Every sentence carries the figures
it states (figure, group, date, value as shown), so a page can footnote them and
a reader can check each against the tables. The figures come through a Source
(`gather`), so in a shared view or the committee pack they are the suppressed
ones: a suppressed value is never stated — it is shown as `c`, left out of a
ranking, or the sentence is dropped when its point rests on it.

Sentences, in order (each only when the data allows it):

1. where the council stands: FTE in post, agency, vacancy and turnover rates;
2. what changed most since the same date a year earlier (the rate that moved
   most, in percentage points), with the change in FTE in post;
3. where it stands against its comparators (England, and the region and
   neighbours when a council is chosen) for the figures the DfE publishes;
4. which service areas stand out (highest vacancy, agency and turnover rates);
5. which teams stand out (teams of at least the suppression threshold's size);
6. where pay is furthest behind the market;
7. progress to targets;
8. what the forecast says, and how close last year's forecast came.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from metrics.dates import add_months
from metrics.engine import ALL
from metrics.figures import FIGURES
from metrics.format import as_number, format_value
from metrics.registry import Params

if TYPE_CHECKING:  # pragma: no cover
    from metrics.source import Source
    from metrics.targets import Progress, Target

log = logging.getLogger(__name__)

SUPPRESSED = "c"
MAX_SENTENCES = 8
RATES = ("vacancy_rate", "agency_rate", "turnover_rate")
"""The rates compared across time, groups and teams (in this order when they tie)."""
HEADLINE = ("fte_in_post", "agency_fte", "agency_rate", "vacancy_rate", "turnover_rate")
TEAM_FIGURES = ("turnover_rate", "agency_rate", "vacancy_rate", "headcount_in_post")


@dataclass(frozen=True)
class Stated:
    """One figure a sentence states: what, for whom, when, and the value as the sentence shows it."""

    figure: str
    label: str
    group: str
    when: str
    value: str


@dataclass(frozen=True)
class Sentence:
    """One sentence of the summary and the figures it states (its footnote)."""

    kind: str
    text: str
    figures: tuple[Stated, ...]

    def footnote(self) -> str:
        """'Agency rate, All, 29 Sep 2026: 17.1%; …' — what a reader checks the sentence against."""
        return "; ".join(f"{s.label}, {s.group}, {s.when}: {s.value}" for s in self.figures)


@dataclass
class Inputs:
    """Everything the sentences are made from (tables as a Source gives them; `c` where suppressed)."""

    as_of: dt.date
    now: pd.DataFrame
    """The figures view by service area (with the All row) at the as-of date."""
    before: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The same 12 months earlier."""
    teams: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The figures view by team at the as-of date."""
    comparators: Mapping[str, Sequence[tuple[str, float]]] = field(default_factory=dict)
    """Figure id → (label, value) of each comparator, e.g. ('England 2025', 0.176)."""
    comparator_group: str | None = None
    """The service area the comparators describe (the DfE statistics cover children's social work)."""
    progress: Sequence[Progress] = ()
    forecast: pd.DataFrame = field(default_factory=pd.DataFrame)
    backtest: pd.DataFrame = field(default_factory=pd.DataFrame)
    where: str = "the council"
    """What the All row is: 'the council', or the one service area the view is filtered to."""
    threshold: int = 5
    """Teams smaller than this (headcount in post) are not singled out."""


# ── reading values ────────────────────────────────────────────────────────────


def value(df: pd.DataFrame, figure_id: str, group: str = ALL, by: str = "service_area") -> object:
    """A figure's value for one group: a number, `c` when suppressed, None when absent."""
    if df is None or df.empty or figure_id not in df.columns or by not in df.columns:
        return None
    rows = df[df[by].astype(str) == group]
    if rows.empty:
        return None
    raw = rows.iloc[0][figure_id]
    if isinstance(raw, str):
        return raw if raw else None
    return as_number(raw)


def _by_group(df: pd.DataFrame, figure_id: str, by: str) -> dict[str, object]:
    """Every group's value of a figure, each read as `value` reads it (the group's first row), in one pass.

    A ranking over hundreds of teams asks for every team's value: one pass instead of a filter per team.
    """
    if df is None or df.empty or figure_id not in df.columns or by not in df.columns:
        return {}
    out: dict[str, object] = {}
    for group, raw in zip(df[by].astype(str), df[figure_id], strict=True):
        if group not in out:
            out[group] = (raw if raw else None) if isinstance(raw, str) else as_number(raw)
    return out


def _hidden(v: object) -> bool:
    return isinstance(v, str) and v == SUPPRESSED


def shown(figure_id: str, v: object) -> str:
    """A value as a sentence shows it (`c` stays `c`)."""
    return format_value(v, FIGURES[figure_id].unit) if figure_id in FIGURES else format_value(v, "count")


def _date(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def _short(d: dt.date) -> str:
    return f"{d.day} {d:%b %Y}"


def _stated(figure_id: str, group: str, when: dt.date, v: object) -> Stated:
    return Stated(figure_id, FIGURES[figure_id].label, group, _short(when), shown(figure_id, v))


def _points(change: float) -> str:
    return f"{abs(change) * 100:.1f} percentage points"


def _lower(label: str) -> str:
    """A label inside a sentence: 'Agency rate' → 'agency rate' (acronyms such as FTE kept)."""
    return label[0].lower() + label[1:] if label[:2] != label[:2].upper() else label


def _groups(df: pd.DataFrame, by: str = "service_area") -> list[str]:
    if df is None or df.empty or by not in df.columns:
        return []
    return [str(g) for g in df[by] if str(g) != ALL]


# ── the sentences ─────────────────────────────────────────────────────────────


def headline(i: Inputs) -> Sentence | None:
    """Where the council stands now."""
    fte = value(i.now, "fte_in_post")
    if fte is None:
        return None
    stated = [_stated("fte_in_post", ALL, i.as_of, fte)]
    text = f"As at {_date(i.as_of)}, {i.where} had {shown('fte_in_post', fte)} of employed staff in post"
    agency_fte = value(i.now, "agency_fte")
    if agency_fte is not None:
        stated.append(_stated("agency_fte", ALL, i.as_of, agency_fte))
        text += f" and {shown('agency_fte', agency_fte)} of agency workers"
    parts = []
    for fid, words in (("agency_rate", "an agency rate of"), ("vacancy_rate", "a vacancy rate of"),
                       ("turnover_rate", "turnover over the last 12 months of")):
        v = value(i.now, fid)
        if v is not None:
            parts.append(f"{words} {shown(fid, v)}")
            stated.append(_stated(fid, ALL, i.as_of, v))
    if parts:
        text += ": " + _join(parts)
    return Sentence("headline", text + ".", tuple(stated))


def _join(parts: Sequence[str]) -> str:
    parts = list(parts)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _verdict(figure_id: str, change: float) -> str:
    polarity = FIGURES[figure_id].polarity
    if change == 0 or polarity not in ("lower_is_better", "higher_is_better"):
        return ""
    better = (change < 0) == (polarity == "lower_is_better")
    return " (better)" if better else " (worse)"


def biggest_change(i: Inputs) -> Sentence | None:
    """The rate that moved most since the same date a year earlier, and the change in FTE in post."""
    before_date = add_months(i.as_of, -12)
    moves = []
    for fid in RATES + ("stability_index",):
        a, b = value(i.now, fid), value(i.before, fid)
        x, y = as_number(a), as_number(b)
        if x is not None and y is not None:
            moves.append((abs(x - y), -list(RATES + ("stability_index",)).index(fid), fid, x, y))
    if not moves:
        return None
    _, _, fid, x, y = max(moves)
    label = _lower(FIGURES[fid].label)
    stated = [_stated(fid, ALL, before_date, y), _stated(fid, ALL, i.as_of, x)]
    if x == y:
        text = (f"Since {_date(before_date)} none of the rates has moved: the {label} is {shown(fid, x)} now, as "
                "it was then")
    else:
        text = (f"The biggest change since {_date(before_date)} is in the {label}, which "
                f"{'rose' if x > y else 'fell'} by {_points(x - y)}, from {shown(fid, y)} to {shown(fid, x)}"
                f"{_verdict(fid, x - y)}")
    fte_now, fte_before = as_number(value(i.now, "fte_in_post")), as_number(value(i.before, "fte_in_post"))
    if fte_now is not None and fte_before is not None:
        stated += [_stated("fte_in_post", ALL, before_date, fte_before)]
        diff = fte_now - fte_before
        text += (f"; FTE in post {'rose' if diff > 0 else 'fell'} by {format_value(abs(diff), 'fte')}"
                 if round(diff, 1) else "; FTE in post did not change")
    return Sentence("change", text + ".", tuple(stated))


def against_comparators(i: Inputs) -> Sentence | None:
    """The comparator group's figures against England (and the region and neighbours where given)."""
    group = i.comparator_group
    if not group or not i.comparators:
        return None
    clauses, stated = [], []
    for fid in (*RATES, *[f for f in i.comparators if f not in RATES]):
        refs = list(i.comparators.get(fid) or [])
        own = value(i.now, fid, group)
        if not refs or own is None or _hidden(own) or as_number(own) is None:
            continue
        x = as_number(own)
        label = _lower(FIGURES[fid].label)
        ref_label, ref_value = refs[0]
        diff = x - ref_value
        direction = "higher than" if diff > 0 else ("lower than" if diff < 0 else "the same as")
        clause = f"its {label} ({shown(fid, x)}) is {direction} {ref_label} ({shown(fid, ref_value)})"
        others = [f"{name} {shown(fid, v)}" for name, v in refs[1:]]
        if others:
            clause += f", against {_join(others)}"
        clauses.append(clause)
        stated.append(_stated(fid, group, i.as_of, x))
        stated += [Stated(fid, FIGURES[fid].label, name, "DfE statistics", shown(fid, v)) for name, v in refs]
        if len(clauses) == 3:
            break
    if not clauses:
        return None
    text = f"Against the DfE statistics for children's social workers, in {group} " + _join(clauses)
    return Sentence("comparators", text + ".", tuple(stated))


def _any_hidden(df: pd.DataFrame, figures: Sequence[str], by: str) -> bool:
    """True when some group's value of one of the figures is suppressed (so a ranking is of the shown ones only)."""
    return any(_hidden(v) for f in figures for g, v in _by_group(df, f, by).items() if g != ALL)


def _highest(df: pd.DataFrame, fid: str, by: str, allowed: Sequence[str] | None = None) -> tuple[str, float] | None:
    """The group with the highest shown value of a figure (suppressed values cannot be ranked, so are left out)."""
    best = None
    values = _by_group(df, fid, by)
    allowed = set(allowed) if allowed is not None else None
    for group in _groups(df, by):
        if allowed is not None and group not in allowed:
            continue
        x = as_number(values.get(group))
        if x is not None and (best is None or x > best[1] or (x == best[1] and group < best[0])):
            best = (group, x)
    return best


def service_areas_standing_out(i: Inputs) -> Sentence | None:
    """The service area with the highest vacancy, agency and turnover rates (when there are two or more)."""
    if len(_groups(i.now)) < 2:
        return None
    clauses, stated = [], []
    for fid in RATES:
        top = _highest(i.now, fid, "service_area")
        council = value(i.now, fid)
        if top is None:
            continue
        label = _lower(FIGURES[fid].label)
        clause = f"{top[0]} has the highest {label} ({shown(fid, top[1])}"
        if as_number(council) is not None:
            clause += f", against {shown(fid, council)} across {i.where}"
            stated.append(_stated(fid, ALL, i.as_of, council))
        clauses.append(clause + ")")
        stated.append(_stated(fid, top[0], i.as_of, top[1]))
    if not clauses:
        return None
    lead = ("Of the service areas whose figures can be shown (the others are suppressed), "
            if _any_hidden(i.now, RATES, "service_area") else "Of the service areas, ")
    return Sentence("service_areas", lead + _join(clauses) + ".", tuple(stated))


def teams_standing_out(i: Inputs) -> Sentence | None:
    """The teams (of at least `threshold` people) with the highest turnover, agency and vacancy rates."""
    heads = _by_group(i.teams, "headcount_in_post", "team")
    big = [g for g in _groups(i.teams, "team") if (as_number(heads.get(g)) or 0) >= i.threshold]
    if len(big) < 2:
        return None
    clauses, stated = [], []
    for fid in TEAM_FIGURES[:-1]:
        top = _highest(i.teams, fid, "team", big)
        if top is None or top[1] <= 0:
            continue
        council = value(i.now, fid)
        clause = f"{top[0]} has the highest {_lower(FIGURES[fid].label)} ({shown(fid, top[1])}"
        if as_number(council) is not None:
            clause += f"; {i.where}: {shown(fid, council)}"
        clauses.append(clause + ")")
        stated.append(Stated(fid, FIGURES[fid].label, f"team {top[0]}", _short(i.as_of), shown(fid, top[1])))
    if not clauses:
        return None
    shown_only = " whose figures can be shown" if _any_hidden(i.teams, TEAM_FIGURES, "team") else ""
    text = f"Among teams of {i.threshold} or more people{shown_only}, " + _join(clauses)
    return Sentence("teams", text + ".", tuple(stated))


def pay_behind_market(i: Inputs) -> Sentence | None:
    """The service area whose pay is furthest behind the market (when any is behind)."""
    worst = None
    gaps = _by_group(i.now, "salary_gap", "service_area")
    for group in _groups(i.now):
        x = as_number(gaps.get(group))
        if x is not None and x < 0 and (worst is None or x < worst[1]):
            worst = (group, x)
    if worst is None:
        return None
    council = value(i.now, "salary_gap")
    text = (f"Pay is furthest behind the market in {worst[0]}, where the median salary gap is "
            f"{shown('salary_gap', worst[1])}")
    stated = [_stated("salary_gap", worst[0], i.as_of, worst[1])]
    if as_number(council) is not None:
        text += f" ({shown('salary_gap', council)} across {i.where})"
        stated.append(_stated("salary_gap", ALL, i.as_of, council))
    return Sentence("pay", text + ".", tuple(stated))


def targets_progress(i: Inputs) -> Sentence | None:
    """How many targets are met, on track and off track, naming the first that is off track (or missed)."""
    from metrics.targets import points

    items = [p for p in i.progress if p.status != "not known"]
    if not items:
        return None
    counts = {s: sum(1 for p in items if p.status == s) for s in ("met", "on track", "off track", "missed",
                                                                  "no trend yet")}
    parts = [f"{k} {'is' if k == 1 else 'are'} {status}" for status, k in counts.items() if k]
    n = len(items)
    text = f"Of {n} target{'s' if n != 1 else ''} set, " + _join(parts)
    focus = next((p for p in items if p.status in ("off track", "missed")), None)
    stated = []
    for p in items:
        stated.append(Stated(p.target.figure, FIGURES[p.target.figure].label, p.target.group, _short(p.as_of),
                             shown(p.target.figure, p.now)))
        stated.append(Stated(p.target.figure, f"Target: {FIGURES[p.target.figure].label}", p.target.group,
                             _short(p.target.by), shown(p.target.figure, p.target.value)))
    if focus is not None and focus.status == "off track" and focus.pace_needed is not None:
        fid = focus.target.figure
        needed = focus.pace_needed
        unit = FIGURES[fid].unit
        size = points(needed) if unit == "percent" else format_value(abs(needed), unit)
        text += (f"; the {_lower(FIGURES[fid].label)} for {focus.target.where} needs to "
                 f"{'rise' if needed > 0 else 'fall'} by {size} a month to reach {shown(fid, focus.target.value)} "
                 f"by {_date(focus.target.by)}")
        if focus.recent_pace is not None:
            recent = focus.recent_pace
            rsize = points(recent) if unit == "percent" else format_value(abs(recent), unit)
            text += (f", but over the last 12 months it {'rose' if recent > 0 else 'fell'} by {rsize} a month"
                     if recent else ", but it did not change over the last 12 months")
    elif focus is not None:
        fid = focus.target.figure
        text += (f"; the {_lower(FIGURES[fid].label)} for {focus.target.where} missed its target of "
                 f"{shown(fid, focus.target.value)} by {_date(focus.target.by)}")
    return Sentence("targets", text + ".", tuple(stated))


def _forecast_totals(df: pd.DataFrame, measure: str) -> tuple[float, float, float] | None:
    """(total, lower, upper) of a flow's 12 projected months for All, from the forecast view (None if hidden)."""
    if df is None or df.empty:
        return None
    part = df[(df.iloc[:, 0].astype(str) == ALL) & (df["measure"] == measure) & (df["kind"] == "projection")]
    if part.empty or any(_hidden(v) for v in part["value"]):
        return None
    return (float(pd.to_numeric(part["value"]).sum()), float("nan"), float("nan"))


def forecast_outlook(i: Inputs) -> Sentence | None:
    """What the forecast says for the next 12 months (All), and how close last year's forecast came."""
    bt = i.backtest
    rows = {}
    if bt is not None and not bt.empty:
        key = bt.columns[0]
        for r in bt[bt[key].astype(str) == ALL].to_dict("records"):
            rows[r["measure"]] = r
    totals = {m: _forecast_totals(i.forecast, m) for m in ("Leavers", "Starters")}
    if not any(totals.values()):
        return None
    ranges = _ranges(i.forecast)
    end = add_months(i.as_of, 12)
    parts, stated = [], []
    for measure, verb in (("Leavers", "leave"), ("Starters", "start")):
        t = totals.get(measure)
        if t is None:
            continue
        low, high = ranges.get(measure, (None, None))
        span = f" (likely between {low:,.0f} and {high:,.0f})" if low is not None else ""
        parts.append(f"about {t[0]:,.0f} people to {verb}{span}")
        stated.append(Stated(measure.lower(), f"Forecast: {measure.lower()} (people)", ALL,
                             f"12 months to {_short(end)}", f"{t[0]:,.0f}" + (f" ({low:,.0f}–{high:,.0f})"
                                                                             if low is not None else "")))
    text = (f"If the pattern of the last two years holds, the forecast expects {_join(parts)} in the 12 months to "
            f"{_date(end)}")
    vac = _last_projection(i.forecast, "Vacancies (FTE)")
    if vac is not None:
        text += f", leaving about {vac[0]:,.1f} vacant FTE ({vac[1]:,.1f} to {vac[2]:,.1f})"
        stated.append(Stated("vacancy_fte", "Forecast: vacancy FTE", ALL, _short(end),
                             f"{vac[0]:,.1f} ({vac[1]:,.1f}–{vac[2]:,.1f})"))
    check = rows.get("Leavers")
    if check is not None and not any(_hidden(check.get(c)) for c in ("forecast", "actual")) and as_number(
            check.get("actual")) is not None:
        f, a = as_number(check["forecast"]), as_number(check["actual"])
        text += (f"; made the same way a year ago, it expected {f:,.0f} leavers and {a:,.0f} left")
        stated.append(Stated("leavers", "Back-test: leavers forecast a year ago", ALL, _short(i.as_of), f"{f:,.0f}"))
        stated.append(Stated("leavers", "Back-test: leavers who left", ALL, f"12 months to {_short(i.as_of)}",
                             f"{a:,.0f}"))
    return Sentence("forecast", text + ".", tuple(stated))


def _ranges(df: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """The 12-month range of each flow for All, from the forecast's own annual range when it is in the view.

    The view holds monthly ranges; the annual range is worked out by metrics.forecast and
    carried in `annual_lower`/`annual_upper` columns when present.
    """
    out = {}
    if df is None or df.empty or "annual_lower" not in df.columns:
        return out
    key = df.columns[0]
    for measure in ("Leavers", "Starters"):
        part = df[(df[key].astype(str) == ALL) & (df["measure"] == measure) & (df["kind"] == "projection")]
        if part.empty:
            continue
        low, high = part["annual_lower"].iloc[0], part["annual_upper"].iloc[0]
        if as_number(low) is not None and as_number(high) is not None:
            out[measure] = (float(low), float(high))
    return out


def _last_projection(df: pd.DataFrame, measure: str) -> tuple[float, float, float] | None:
    """(value, lower, upper) of a measure's last projected month for All (None when absent or suppressed)."""
    if df is None or df.empty:
        return None
    key = df.columns[0]
    part = df[(df[key].astype(str) == ALL) & (df["measure"] == measure) & (df["kind"] == "projection")]
    if part.empty:
        return None
    last = part.iloc[-1]
    values = [as_number(last[c]) for c in ("value", "lower", "upper")]
    if any(v is None for v in values):
        return None
    return values[0], values[1], values[2]


BUILDERS = (headline, biggest_change, against_comparators, service_areas_standing_out, teams_standing_out,
            pay_behind_market, targets_progress, forecast_outlook)
"""Each sentence's builder, in order."""
DROP_FIRST = ("pay", "service_areas", "teams")
"""Kinds left out first when there are more than MAX_SENTENCES."""


def _built(build, inputs: Inputs) -> Sentence | None:
    """One sentence, or None when its tables are not what it needs (the others are still written)."""
    try:
        return build(inputs)
    except (KeyError, ValueError, TypeError, IndexError, AttributeError):
        log.warning("summary sentence %s left out", build.__name__)
        return None


def sentences(inputs: Inputs) -> list[Sentence]:
    """The summary: up to eight sentences, in order, each with the figures it states."""
    out = [s for s in (_built(build, inputs) for build in BUILDERS) if s is not None]
    for kind in DROP_FIRST:
        if len(out) <= MAX_SENTENCES:
            break
        out = [s for s in out if s.kind != kind]
    return out[:MAX_SENTENCES]


# ── gathering the inputs through a Source ─────────────────────────────────────


def gather(source: Source, params: Params, targets: Sequence[Target] = (),
           comparators: Mapping[str, Sequence[tuple[str, float]]] | None = None,
           comparator_group: str | None = None, threshold: int = 5) -> Inputs:
    """The summary's tables, each asked of `source` (so a shared source gives suppressed values)."""
    from metrics.targets import progress

    as_of = dt.date.fromisoformat(params.as_of) if params.as_of else source.default_as_of()
    filters = tuple(params.filters)
    iso, before_iso = as_of.isoformat(), add_months(as_of, -12).isoformat()

    def get(view: str, p: Params) -> pd.DataFrame:
        try:
            df = source.get(view, p)
        except Exception:  # noqa: BLE001 - a missing table drops its sentence, never the summary
            return pd.DataFrame()
        return df if df is not None else pd.DataFrame()

    wanted = tuple(dict.fromkeys((*HEADLINE, *RATES, "stability_index", "salary_gap", "headcount_in_post",
                                  *(comparators or {}))))
    avail = source.availability() if hasattr(source, "availability") else {}
    wanted = tuple(f for f in wanted if f in FIGURES and avail.get(f, None) is None) or wanted
    now = get("figures", Params(iso, ("service_area",), filters, wanted))
    before = get("figures", Params(before_iso, ("service_area",), filters, wanted))
    teams = get("figures", Params(iso, ("team",), filters, tuple(f for f in TEAM_FIGURES if f in wanted)))
    forecast = get("forecast", Params(iso, ("service_area",), filters))
    backtest = get("forecast_backtest", Params(iso, ("service_area",), filters))
    if "period" in now.columns:  # a summary upload: each area's latest period, no All row, no teams
        now, before, teams = latest_periods(now, as_of), latest_periods(before, add_months(as_of, -12)), pd.DataFrame()
    areas = [v for c, v in filters if c == "service_area"]
    where = areas[0] if len(areas) == 1 else "the council"
    items = progress(source, Params(iso, ("service_area",), filters), list(targets)) if targets else []
    return Inputs(as_of, now, before, teams, dict(comparators or {}), comparator_group, items, forecast, backtest,
                  where, threshold)


def latest_periods(df: pd.DataFrame, on_or_before: dt.date) -> pd.DataFrame:
    """Summary rows (service area × period): each service area's latest period on or before the date."""
    from metrics.dates import period_date

    if df is None or df.empty or "period" not in df.columns:
        return df
    dates = [period_date(p) for p in df["period"]]
    part = df.assign(_d=[d or dt.date.min for d in dates])
    part = part[part["_d"] <= on_or_before]
    return part.sort_values("_d").groupby("service_area", sort=False).tail(1).drop(columns="_d").reset_index(drop=True)


def summary(source: Source, params: Params, targets: Sequence[Target] = (),
            comparators: Mapping[str, Sequence[tuple[str, float]]] | None = None,
            comparator_group: str | None = None, threshold: int = 5) -> list[Sentence]:
    """The written summary of a Source's figures (see module docstring)."""
    return sentences(gather(source, params, targets, comparators, comparator_group, threshold))
