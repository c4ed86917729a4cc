"""Which of our figures the DfE publishes, and the registry entry (label, unit, polarity) of each.

The label, definition, unit, polarity and DfE column of a figure belong to the
metrics registry (`metrics.FIGURES`); this module only selects and reshapes them
for the benchmarks, so nothing here restates a definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from metrics.figures import FIGURES

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


@cache
def figure(figure_id: str) -> RefFigure:
    """The benchmark description of a figure id (KeyError if the DfE does not publish it)."""
    entry = FIGURES.get(figure_id)
    if entry is None or not entry.dfe_column:
        raise KeyError(f"{figure_id!r} has no DfE equivalent")
    return RefFigure(id=figure_id, dfe_column=entry.dfe_column, label=entry.label, unit=entry.unit,
                     polarity=entry.polarity, definition=entry.definition)


def benchmark_figures() -> list[str]:
    """Every figure id that has a DfE column, in registry order."""
    return [fid for fid, f in FIGURES.items() if f.dfe_column]
