"""Which of our figures the DfE publishes, and the registry entry (label, unit, polarity) of each.

The label, definition, unit and polarity of a figure belong to the metrics
registry (`metrics.FIGURES`); this module reads them from there when the
registry has the figure. The fallback table below only keeps the benchmarks
working while the registry is incomplete: it names the DfE column of each
figure id (the ids are fixed project-wide) and a plain label.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

FALLBACK: dict[str, tuple[str, str, str, str]] = {
    # id: (dfe_column, label, unit, polarity)
    "fte_in_post": ("inpost_fte", "FTE in post", "fte", "neutral"),
    "headcount_in_post": ("inpost_headcount", "Headcount in post", "count", "neutral"),
    "vacancy_rate": ("vacancy_rate_fte", "Vacancy rate", "percent", "lower_is_better"),
    "agency_rate": ("agency_rate_fte", "Agency rate", "percent", "lower_is_better"),
    "turnover_rate": ("turnover_rate_fte", "Turnover rate", "percent", "lower_is_better"),
    "turnover_rate_headcount": ("turnover_rate_headcount", "Turnover rate (headcount)", "percent", "lower_is_better"),
    "agency_rate_headcount": ("agency_rate_headcount", "Agency rate (headcount)", "percent", "lower_is_better"),
    "average_caseload": ("caseload_fte", "Average caseload", "cases", "lower_is_better"),
    "absence_rate": ("absence_rate_fte", "Absence rate", "percent", "lower_is_better"),
    "starters_fte": ("starters_fte", "Starters (FTE)", "fte", "neutral"),
    "leavers_fte": ("leavers_fte", "Leavers (FTE)", "fte", "neutral"),
    "vacancy_fte": ("vacancy_fte", "Vacancies (FTE)", "fte", "lower_is_better"),
    "agency_fte": ("agency_fte", "Agency workers (FTE)", "fte", "lower_is_better"),
}
"""Figure id → (DfE column, label, unit, polarity), used only where metrics.FIGURES lacks the figure."""

COMPARE_FIGURES: tuple[str, ...] = (
    "vacancy_rate",
    "agency_rate",
    "turnover_rate",
    "average_caseload",
    "absence_rate",
    "fte_in_post",
)
"""The figures the compare page shows, in its order."""


@dataclass(frozen=True)
class RefFigure:
    """What the benchmarks need to know about one figure."""

    id: str
    dfe_column: str
    label: str
    unit: str
    polarity: str
    definition: str = ""

    @property
    def is_rate(self) -> bool:
        """True when values are fractions 0–1 (shown as percentages)."""
        return self.unit == "percent"


def _registry() -> dict[str, object]:
    """metrics.FIGURES as {id: Figure}, or {} while the registry is not there yet."""
    try:
        from metrics import FIGURES  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - the registry is optional for the reference package
        return {}
    if isinstance(FIGURES, dict):
        return dict(FIGURES)
    return {getattr(f, "id", None): f for f in FIGURES}


@cache
def figure(figure_id: str) -> RefFigure:
    """The benchmark description of a figure id (KeyError if the DfE does not publish it)."""
    entry = _registry().get(figure_id)
    fallback = FALLBACK.get(figure_id)
    if entry is not None and getattr(entry, "dfe_column", None):
        return RefFigure(
            id=figure_id,
            dfe_column=entry.dfe_column,
            label=entry.label,
            unit=entry.unit,
            polarity=entry.polarity,
            definition=getattr(entry, "definition", ""),
        )
    if fallback is None:
        raise KeyError(f"{figure_id!r} has no DfE equivalent")
    column, label, unit, polarity = fallback
    return RefFigure(figure_id, column, label, unit, polarity, "")


def benchmark_figures() -> list[str]:
    """Every figure id that has a DfE column (registry figures first, then the fallback list)."""
    ids = [fid for fid, f in _registry().items() if getattr(f, "dfe_column", None)]
    return ids + [fid for fid in FALLBACK if fid not in ids]
