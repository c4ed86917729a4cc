"""DfE benchmark values (England; the chosen council's region and neighbours) for tiles and reference rules, cached.

The DfE statistics cover children's social workers, so England is compared with
the council's DfE service area (settings [reference] dfe_service_area). Values
come from reference.england and, when "Our council" is chosen (ui.council),
reference.latest_benchmarks (rates as fractions, with their year); if the
reference data cannot be read the page simply shows no reference figure.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import streamlit as st

import settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Benchmark:
    """The DfE reference values of one figure and the year they are for: England's, and when a council is
    chosen ("Our council", URL key `la`) its region's and its statistical neighbours' median."""

    figure: str
    england: float | None
    year: int | None
    region_name: str | None = None
    region: float | None = None
    neighbours: float | None = None

    @property
    def label(self) -> str:
        """'England 2025' for rules and tiles."""
        return f"England {self.year}" if self.year else "England"

    def _suffix(self) -> str:
        return f" {self.year}" if self.year else ""

    def references(self) -> list[tuple[str, float]]:
        """(label, value) of each reference with a value, England first: 'England 2025', 'South West 2025',
        'Neighbours (median) 2025'."""
        out: list[tuple[str, float]] = []
        if self.england is not None:
            out.append((self.label, self.england))
        if self.region is not None and self.region_name:
            out.append((f"{self.region_name}{self._suffix()}", self.region))
        if self.neighbours is not None:
            out.append((f"Neighbours (median){self._suffix()}", self.neighbours))
        return out


def dfe_service_area() -> str:
    """The service area the DfE statistics cover (from workforce_lens.toml)."""
    return str(settings.section("reference").get("dfe_service_area", "Children's Social Work"))


def chosen_la() -> str | None:
    """The local authority chosen in the sidebar ("Our council", URL key `la`), if any."""
    from ui import council

    return council.current_la()


def _number(value: object) -> float | None:
    """A float, or None for NULL/NaN."""
    return None if value is None or value != value else float(value)


@st.cache_data(max_entries=64, show_spinner=False)
def _values(figure_ids: tuple[str, ...], la: str | None) -> dict[str, tuple]:
    """figure id → (England value, year, region name, region value, neighbours' median) from the reference data.

    England comes from reference.england (no council needed); the region and the
    neighbours' median only when a council is chosen, for the same (latest) year.
    """
    import reference
    from reference.figures import benchmark_figures

    known = set(benchmark_figures())
    ids = [f for f in figure_ids if f in known]
    if not ids:
        return {}
    year = reference.latest_year()
    out: dict[str, tuple] = {}
    for row in reference.england(ids, year=year).itertuples():
        out[str(row.figure)] = (_number(row.england), int(row.year), None, None, None)
    name = reference.resolve(la) if la else None
    if name is not None:
        for row in reference.latest_benchmarks(name, ids, year=year).itertuples():
            eng, yr, *_ = out.get(str(row.figure), (None, int(row.year), None, None, None))
            out[str(row.figure)] = (eng, yr, str(row.region_name), _number(row.region), _number(row.neighbour_median))
    return out


def england(figure_ids: tuple[str, ...] | list[str]) -> dict[str, Benchmark]:
    """The DfE references per figure the DfE publishes: England's latest value, and the chosen council's region
    and neighbours' median when one is chosen (empty when the reference data is unavailable)."""
    try:
        values = _values(tuple(figure_ids), chosen_la())
    except Exception:  # noqa: BLE001 - a missing benchmark must not break a page
        log.exception("DfE benchmarks unavailable")
        return {}
    return {fid: Benchmark(fid, *v) for fid, v in values.items() if comparable(fid)
            and any(x is not None for x in (v[0], v[3], v[4]))}


def comparable(figure_id: str) -> bool:
    """True for figures a council can sit beside England on (rates and averages, not national totals)."""
    import metrics

    fig = metrics.FIGURES.get(figure_id)
    return fig is not None and fig.unit in ("percent", "cases", "ratio", "days")
