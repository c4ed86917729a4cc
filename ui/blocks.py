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
from ui import assemble, layout
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
    """Why a block cannot be drawn (figure off, or no rows), or None."""
    if not src.is_available(figure_id):
        return src.why_not(figure_id)
    if df is None or df.empty or (column is not None and column not in df.columns):
        return f"No {_fig(figure_id).label.lower()} values for this selection."
    return None


def bars(df: pd.DataFrame, figure_id: str, *, key: str, as_of: dt.date | None, group: str = "service_area",
         question: str | None = None, benchmarks: dict[str, Benchmark] | None = None,
         columns: Sequence[str] | None = None, value: str | None = None) -> None:
    """A figure by group as horizontal bars, with the DfE reference rules (England; region and neighbours when a
    council is chosen) where it has them."""
    fig = _fig(figure_id)
    value = value or figure_id
    refs = assemble.references_for(figure_id, benchmarks or {})
    label = refs[0][0] if refs else "England"
    off = _off(figure_id, df, value) or (None if group in df.columns else f"No {cut_title(group).lower()} groups.")
    notes = [reference_note([name for name, _ in refs])] if refs else []
    layout.figure_block(
        question=question or QUESTIONS.get(figure_id, f"Where is {fig.label} highest?"), figure=fig,
        chart=None if off else lambda: charts.bar_by_group(df, fig, refs, group=group, value=value,
                                                   reference_label=label),
        data=df if off is None else df.iloc[0:0], columns=[group, *(columns or [value])],
        description=lambda: charts.describe_bars(df, fig, refs, group=group, value=value, reference_label=label),
        key=key, as_of=as_of, empty_message=off, extra_notes=notes,
        inputs=(figure_id, tuple(refs), group, value, label),
    )


def reference_note(names: Sequence[str]) -> str:
    """'England 2025 and South West 2025 are DfE figures for children's social workers …' for a chart's notes."""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    text = f"{listed} {'is the DfE figure' if len(names) == 1 else 'are DfE figures'} for children's social workers"
    if any(n.startswith("Neighbours") for n in names):
        text += " (neighbours: the median of the chosen council's statistical neighbours)"
    return text + "."


def trend(series: pd.DataFrame, figure_id: str, *, key: str, as_of: dt.date | None, question: str | None = None,
          benchmarks: dict[str, Benchmark] | None = None) -> None:
    """One figure's monthly series (the whole view) as a line, with England's rule where it has one."""
    fig = _fig(figure_id)
    data = assemble.one_series(series, figure_id)
    reference, ref_label = assemble.reference_for(figure_id, benchmarks or {})
    off = _off(figure_id, data)
    if off is None and data["value"].notna().sum() == 0:
        off = f"No monthly {fig.label.lower()} values for this selection (the data may not go back far enough)."
    layout.figure_block(
        question=question or f"How has the {fig.label} changed over 24 months?", figure=fig,
        chart=None if off else lambda: charts.trend(data, fig, x="month", value="value", reference=reference,
                                            reference_label=ref_label or "England"),
        data=data.rename(columns={"value": figure_id}),
        description=lambda: charts.describe_trend(data, fig, x="month", value="value"),
        key=key, as_of=as_of, empty_message=off, inputs=(figure_id, reference, ref_label),
        definition=f"**{fig.label}** at each month end: {fig.definition}",
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
           definition: str | None = None, extra_notes: Sequence[str] = ()) -> None:
    """Any chart of a view table: drawn only when the figure is on and the table has rows (else says why)."""
    off = _off(figure_id, df)
    layout.figure_block(
        question=question, figure=_fig(figure_id), chart=None if off else build,
        data=df if off is None else df.iloc[0:0], columns=columns,
        description="" if off else describe(), key=key, as_of=as_of, empty_message=off,
        definition=definition, extra_notes=extra_notes,
    )
