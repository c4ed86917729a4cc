"""Metrics: every figure defined once (FIGURES), computed in DuckDB SQL, for pages, exports and the CLI.

Public API (see docs/METHODOLOGY.md for the definitions):

- FIGURES, CORE, GROUPS: the registry of figures (metrics.figures).
- compute(workforce, params, settings=None): one row per group plus "All", one column per figure.
- series(workforce, params, months=24, settings=None): long monthly series.
- availability(workforce): figure id -> None or the reason it cannot be computed.
- default_as_of(workforce), census_date(d), filter_options(workforce).
- VIEWS: every dataset a page shows (metrics.views), Settings, LiveSource (metrics.source).

The names are imported when first used (PEP 562), not with the package, so `python -m metrics`
can start reading a file before it pays for pandas and DuckDB (see metrics.cli).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

_HOME = {
    "availability": "metrics.availability",
    "compute": "metrics.compute", "filter_options": "metrics.compute", "series": "metrics.compute",
    "census_date": "metrics.dates", "default_as_of": "metrics.dates",
    "CORE": "metrics.figures", "FIGURES": "metrics.figures", "GROUPS": "metrics.figures",
    "CUTS": "metrics.registry", "Figure": "metrics.registry", "Params": "metrics.registry", "View": "metrics.registry",
    "Settings": "metrics.settings",
    "VIEWS": "metrics.views",
    "LiveSource": "metrics.source",
}

__all__ = [
    "CORE", "CUTS", "FIGURES", "GROUPS", "VIEWS", "Figure", "LiveSource", "Params", "Settings", "View", "availability",
    "census_date", "compute", "default_as_of", "filter_options", "series",
]

if TYPE_CHECKING:  # pragma: no cover
    from metrics.availability import availability
    from metrics.compute import compute, filter_options, series
    from metrics.dates import census_date, default_as_of
    from metrics.figures import CORE, FIGURES, GROUPS
    from metrics.registry import CUTS, Figure, Params, View
    from metrics.settings import Settings
    from metrics.source import LiveSource
    from metrics.views import VIEWS


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use."""
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'metrics' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """This package, whose functions `compute` and `availability` are never shadowed by their own modules.

    Importing a submodule sets it as an attribute of the package; `metrics.compute` must stay the
    function (as it was when this package imported everything eagerly), so that setting is skipped
    and the name resolves through `__getattr__`. `sys.modules` still holds the submodules.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _HOME.get(name) == f"{__name__}.{name}":
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
