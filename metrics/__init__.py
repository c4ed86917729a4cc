"""Metrics: every figure defined once (FIGURES), computed in DuckDB SQL, for pages, exports and the CLI.

Public API (see docs/METHODOLOGY.md for the definitions):

- FIGURES, CORE, GROUPS: the registry of figures (metrics.figures).
- compute(workforce, params, settings=None): one row per group plus "All", one column per figure.
- series(workforce, params, months=24, settings=None): long monthly series.
- availability(workforce): figure id -> None or the reason it cannot be computed.
- default_as_of(workforce), census_date(d), filter_options(workforce).
- VIEWS: every dataset a page shows (metrics.views), Settings, LiveSource (metrics.source).
"""

from __future__ import annotations

from metrics.availability import availability
from metrics.compute import compute, filter_options, series
from metrics.dates import census_date, default_as_of
from metrics.figures import CORE, FIGURES, GROUPS
from metrics.registry import CUTS, Figure, Params, View
from metrics.settings import Settings

__all__ = [
    "CORE", "CUTS", "FIGURES", "GROUPS", "VIEWS", "Figure", "LiveSource", "Params", "Settings", "View", "availability",
    "census_date", "compute", "default_as_of", "filter_options", "series",
]


def __getattr__(name: str):
    """VIEWS and LiveSource are imported lazily (they import compute, which imports this package)."""
    if name == "VIEWS":
        from metrics.views import VIEWS

        return VIEWS
    if name == "LiveSource":
        from metrics.source import LiveSource

        return LiveSource
    raise AttributeError(name)
