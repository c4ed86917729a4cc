"""England (and the council's own DfE) benchmark values for tiles and reference rules, cached.

The DfE statistics cover children's social workers, so England is compared with
the council's DfE service area (settings [reference] dfe_service_area). Values
come from reference.latest_benchmarks (rates as fractions, with their year); if
the reference data cannot be read the page simply shows no England figure.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import streamlit as st

import settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Benchmark:
    """England's value of one figure and the year it is for."""

    figure: str
    england: float | None
    year: int | None

    @property
    def label(self) -> str:
        """'England 2025' for rules and tiles."""
        return f"England {self.year}" if self.year else "England"


def dfe_service_area() -> str:
    """The service area the DfE statistics cover (from workforce_lens.toml)."""
    return str(settings.section("reference").get("dfe_service_area", "Children's Social Work"))


def chosen_la() -> str | None:
    """The local authority named in the URL (`la`) or the settings, if any."""
    value = st.query_params.get("la")
    return value or None


@st.cache_data(max_entries=64, show_spinner=False)
def _england(figure_ids: tuple[str, ...], la: str | None) -> dict[str, tuple[float | None, int | None]]:
    """figure id → (England value, year) from the reference data."""
    import reference
    from reference.figures import benchmark_figures

    known = set(benchmark_figures())
    ids = [f for f in figure_ids if f in known]
    if not ids:
        return {}
    name = reference.resolve(la) if la else None
    name = name or reference.default_la()
    if name is None:
        table = reference.authorities()
        current = table[table["current"]]
        name = str((current if len(current) else table)["la"].iloc[0])
    df = reference.latest_benchmarks(name, ids, year=reference.latest_year())
    out: dict[str, tuple[float | None, int | None]] = {}
    for row in df.itertuples():
        value = None if row.england != row.england else float(row.england)
        out[str(row.figure)] = (value, int(row.year))
    return out


def england(figure_ids: tuple[str, ...] | list[str]) -> dict[str, Benchmark]:
    """England's latest value per figure the DfE publishes (empty when the reference data is unavailable)."""
    try:
        values = _england(tuple(figure_ids), chosen_la())
    except Exception:  # noqa: BLE001 - a missing benchmark must not break a page
        log.exception("England benchmarks unavailable")
        return {}
    return {fid: Benchmark(fid, v, y) for fid, (v, y) in values.items() if v is not None and comparable(fid)}


def comparable(figure_id: str) -> bool:
    """True for figures a council can sit beside England on (rates and averages, not national totals)."""
    import metrics

    fig = metrics.FIGURES.get(figure_id)
    return fig is not None and fig.unit in ("percent", "cases", "ratio", "days")
