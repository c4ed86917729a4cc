"""Ready-made figure blocks: a view table → the right chart, its description and layout.figure_block.

Each helper checks the figure is available (else says why, from
metrics.availability), builds the chart with charts/, the text description with
charts.describe_*, and places them the standard way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pandas as pd

import charts
import metrics
from charts.bars import cut_title
from ui import assemble, filters, layout
from ui import benchmarks as benchmarks_mod
from ui import source as src
from ui.benchmarks import Benchmark

QUESTIONS: dict[str, str] = {
    "fte_in_post": "Where are our staff? (FTE in post by service area)",
    "vacancy_rate": "Where are vacancy rates highest?",
    "agency_rate": "Where do we rely most on agency staff?",
    "turnover_rate": "Where is turnover highest?",
    "salary_gap": "Where is pay furthest behind the market?",
}
"""The question a bar chart of each core figure answers."""


def _fig(figure_id: str) -> metrics.Figure:
    return metrics.FIGURES[figure_id]


def _off(figure_id: str, df: pd.DataFrame, column: str | None = None) -> str | None:
    """Why a block cannot be drawn (figure off, no rows, or no value for any group), or None."""
    if not src.is_available(figure_id):
        return src.why_not(figure_id)
    if df is None or df.empty or (column is not None and column not in df.columns):
        return f"Nothing to chart: {assemble.empty_reason(figure_id)}."
    return None


def nothing_to_draw(df: pd.DataFrame, columns: Sequence[str], figure_id: str) -> str | None:
    """Why a chart of these columns would show nothing but zeros or blanks (then it is not drawn), or None.

    E.g. caseloads for a service that records none: every band holds 0 case holders, which is not a
    chart of anything. The sentence names what is missing, from assemble.empty_reason.
    """
    values = []
    for column in columns:
        if column in df.columns:
            values += [v for v in pd.to_numeric(df[column], errors="coerce").tolist() if v == v]
    if values and any(v != 0 for v in values):
        return None
    return f"Nothing to chart: {assemble.empty_reason(figure_id)}."


def bars(df: pd.DataFrame, figure_id: str, *, key: str, as_of: dt.date | None, group: str = "service_area",
         question: str | None = None, benchmarks: dict[str, Benchmark] | None = None,
         columns: Sequence[str] | None = None, value: str | None = None) -> None:
    """A figure by group as horizontal bars, each bar judged only against a comparator of its own group and year.

    When every bar is the same group (e.g. teams within Children's Social Work, or one role), its comparators
    (England; region and neighbours when a council is chosen) are drawn as labelled rules; otherwise each bar
    has its own comparator marked on its row, and bars without one say so. `benchmarks` is no longer needed
    (kept for callers): the rows' groups decide.
    """
    fig = _fig(figure_id)
    value = value or figure_id
    off = _off(figure_id, df, value) or (None if group in df.columns else f"No {cut_title(group).lower()} groups.")
    benches = {} if off or not benchmarks_mod.comparable(figure_id) else _row_benches(df, figure_id, group)
    per_row: dict[str, tuple[str, float] | None] | None = {
        row: (b.label, b.england) if b.main is not None else None for row, b in benches.items()} or None
    refs: list[tuple[str, float]] = []
    notes: list[str] = []
    if per_row is not None:
        same = len({(b.group, b.year) for b in benches.values()}) == 1 and all(per_row.values())
        if same:  # every bar is the same group: its comparators are drawn as labelled rules
            refs = next(iter(benches.values())).references()
            per_row = None
        elif not any(per_row.values()):
            per_row = None  # nothing to compare with: no ticks, no verdicts
        notes += _comparator_notes(benches, cut_title(group).lower())
        if per_row is not None:  # each bar is judged against its main comparator; the others are stated
            for row, bench in benches.items():
                others = bench.references()[1:]
                if others:
                    notes.append(f"{row}'s other comparators: " + " · ".join(
                        f"{name}: {charts.format_value(number, fig.unit)}" for name, number in others))
    label = refs[0][0] if refs else "England"
    if off is None and pd.to_numeric(df.loc[df[group].astype(str) != "All", value], errors="coerce").isna().all():
        off = f"Nothing to chart: {assemble.empty_reason(figure_id)}."  # no group has a value: no empty chart
    layout.figure_block(
        question=question or QUESTIONS.get(figure_id, f"Where is {fig.label} highest?"), figure=fig,
        chart=None if off else lambda: charts.bar_by_group(df, fig, refs, group=group, value=value,
                                                           reference_label=label, per_row=per_row),
        data=df if off is None else df.iloc[0:0], columns=[group, *(columns or [value])],
        description=lambda: charts.describe_bars(df, fig, refs, group=group, value=value, reference_label=label,
                                                 per_row=per_row),
        key=key, as_of=as_of, empty_message=off, extra_notes=notes,
        inputs=(figure_id, tuple(refs), group, value, label, tuple(sorted((per_row or {}).items(), key=str))),
    )


def _row_benches(df: pd.DataFrame, figure_id: str, group: str) -> dict[str, Benchmark]:
    """The Benchmark of each row of a bar chart: its own group, at the view's year (a summary row: its own year)."""
    state = filters.current()
    rows = [(str(g), r) for g, r in zip(df[group], df.to_dict("records"), strict=True)
            if str(g) != charts.bars.ALL_LABEL]
    by_year: dict[int | None, list[str]] = {}
    for name, record in rows:
        year = benchmarks_mod.benchmark_year(assemble.row_date(record)) if "period" in df.columns else None
        by_year.setdefault(year, []).append(name)
    out: dict[str, Benchmark] = {}
    for year, names in by_year.items():
        out.update(benchmarks_mod.row_benchmarks(state, group, names, figure_id, year))
    return {name: out[name] for name, _ in rows if name in out}


def _comparator_notes(benches: dict[str, Benchmark], what: str) -> list[str]:
    """The sources of the comparators used, and which rows have none (each sentence once)."""
    sources = [b.source_note() for b in benches.values() if b.comparators]
    missing = [row for row, b in benches.items() if not b.comparators]
    notes = list(dict.fromkeys(sources))
    if missing:
        plural = what if what.endswith("s") else what + "s"
        listed = (missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " or " + missing[-1]) \
            if len(missing) <= 4 else f"{len(missing)} {plural}"
        notes.append(f"No England comparator of the same group and year for {listed}: no verdict is drawn for "
                     f"{'it' if len(missing) == 1 else 'them'}")
    return notes


def trend(series: pd.DataFrame, figure_id: str, *, key: str, as_of: dt.date | None, question: str | None = None,
          benchmarks: dict[str, Benchmark] | None = None) -> None:
    """One figure's monthly series (the whole view) as a line ending at the as-of date, with the view's comparator
    (same group and year) as a rule where it has one; the whole council has none, and the notes say why."""
    fig = _fig(figure_id)
    data = assemble.one_series(series, figure_id)
    bench = (benchmarks_mod.view_benchmarks(filters.current(), [figure_id]) if benchmarks_mod.comparable(figure_id)
             else {}).get(figure_id)
    reference, ref_label = (bench.england, bench.label) if bench is not None and bench.main is not None else (None, "")
    notes = ([bench.source_note()] if bench.main is not None else [bench.missing_sentence()]) if bench else []
    off = _off(figure_id, data)
    if off is None and data["value"].notna().sum() == 0:
        off = f"No monthly {fig.label.lower()} values for this selection (the data may not go back far enough)."
    last = assemble.last_point_words(data)
    layout.figure_block(
        question=question or f"How has the {fig.label} changed over 24 months?", figure=fig,
        chart=None if off else lambda: charts.trend(data, fig, x="month", value="value", reference=reference,
                                                    reference_label=ref_label or "England"),
        data=data.rename(columns={"value": figure_id}),
        description=lambda: charts.describe_trend(data, fig, x="month", value="value"),
        key=key, as_of=as_of, empty_message=off, inputs=(figure_id, reference, ref_label, tuple(notes)),
        definition=f"**{fig.label}** at each month end and, last, at the as-of date{last}: {fig.definition}",
        extra_notes=notes,
    )


def diverging(df: pd.DataFrame, figure_id: str, *, key: str, as_of: dt.date | None, group: str, question: str,
              columns: Sequence[str]) -> None:
    """A gap figure left (behind) or right (ahead) of zero per group."""
    fig = _fig(figure_id)
    off = _off(figure_id, df, figure_id)
    layout.figure_block(
        question=question, figure=fig,
        chart=None if off else lambda: charts.diverging_bar(df, fig, group=group),
        data=df if off is None else df.iloc[0:0], columns=columns,
        description=lambda: charts.describe_diverging(df, fig, group=group),
        key=key, as_of=as_of, empty_message=off, inputs=(df, figure_id, group),
    )


def tiles(state, figure_ids: Sequence[str], by: tuple[str, ...] = ("service_area",)) -> None:
    """Tiles of figures for the whole view, with the change against 12 months earlier."""
    layout.kpi_tiles(assemble.core_tiles(state, tuple(figure_ids)))


def custom(df: pd.DataFrame, figure_id: str, *, question: str, key: str, as_of: dt.date | None,
           build: Callable[[], object], describe: Callable[[], str], columns: Sequence[str] | None = None,
           definition: str | None = None, extra_notes: Sequence[str] = (), empty_columns: Sequence[str] = ()) -> None:
    """Any chart of a view table: drawn only when the figure is on and the table has rows (else says why).

    `empty_columns` are the counts the chart draws: when they are all zero or blank (a service that records no
    caseloads) no chart of zeros is drawn, and the block says why.
    """
    off = _off(figure_id, df)
    if off is None and empty_columns:
        off = nothing_to_draw(df, empty_columns, figure_id)
    layout.figure_block(
        question=question, figure=_fig(figure_id), chart=None if off else build,
        data=df if off is None else df.iloc[0:0], columns=columns,
        description="" if off else describe(), key=key, as_of=as_of, empty_message=off,
        definition=definition, extra_notes=extra_notes,
    )
