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


class LiveSource:
    """A live session's Source: exact figures computed from the session's Workforce through metrics.VIEWS."""

    is_shared = False

    def __init__(self, workforce, settings=None) -> None:
        from metrics.settings import resolve

        self.workforce = workforce
        self.settings = resolve(settings)
        self.label = workforce.label or "Uploaded data"

    def get(self, view: str, params: Params) -> pd.DataFrame:
        """The DataFrame of the named View for these parameters (KeyError for an unknown view)."""
        from metrics.views import VIEWS

        return VIEWS[view].compute(self.workforce, params, settings=self.settings)

    def filter_options(self) -> dict[str, list[str]]:
        """Values a user can filter by, per cut present in the data."""
        from metrics.compute import filter_options

        return filter_options(self.workforce)

    def default_as_of(self) -> dt.date | None:
        """The latest date in the data that is not after today."""
        from metrics.dates import default_as_of

        return default_as_of(self.workforce)

    def availability(self) -> dict[str, str | None]:
        """Per figure id: None when computable, else why not."""
        from metrics.availability import availability

        return availability(self.workforce)

    def notes(self) -> list[str]:
        """Assumptions in force and rows set aside, as sentences to show beside the figures."""
        notes = list(self.workforce.assumption_notes())
        for table, count in sorted(self.workforce.rows_set_aside.items()):
            if count:
                rows = "row" if count == 1 else "rows"
                notes.append(f"{count:,} {rows} of the {table} table were set aside because of errors and are "
                             "not in these figures.")
        return notes
