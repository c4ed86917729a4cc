"""Where a page's figures come from: a live session's Workforce, or a published snapshot.

Pages only ever talk to a Source, so the same page code serves an officer's own
upload (exact figures) and a shared link (stored aggregates, suppressed). The
live implementation is here; the snapshot one is in sharing/.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

import pandas as pd

from metrics.registry import Params


class Source(Protocol):
    """What every page may ask of its data."""

    label: str
    """What the data is, e.g. 'Demo: Shireford County Council' or a snapshot's name and date."""
    is_shared: bool
    """True for a published snapshot (read-only, suppressed)."""

    def get(self, view: str, params: Params) -> pd.DataFrame:
        """The DataFrame of the named View (metrics.VIEWS) for these parameters."""
        ...

    def filter_options(self) -> dict[str, list[str]]:
        """Values a user can filter by, per cut (service_area, team, role, grade)."""
        ...

    def default_as_of(self) -> dt.date | None:
        """The as-of date a page opens on."""
        ...

    def availability(self) -> dict[str, str | None]:
        """Per figure id: None when it can be computed, else the reason it cannot (and what would switch it on)."""
        ...

    def notes(self) -> list[str]:
        """Sentences to state beside every figure: assumptions in force, rows excluded, suppression."""
        ...
