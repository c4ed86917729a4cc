"""Declarations: every figure and every page dataset, each defined once.

A Figure is what a tile, table column, chart axis, export header and the
methodology page all read: id, label, definition, unit, polarity. A View is a
named dataset a page shows (a figure table, a series, a distribution), with the
function that computes it; the snapshot publisher enumerates Views, so a shared
link can show exactly what a live session shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ingest.workforce import Workforce

Unit = Literal["fte", "percent", "gbp", "days", "count", "ratio", "cases", "years", "average", "points"]
"""ratio: how many times one amount is another (shown 1.46×); average: a number per person or advert (8.3);
points: a change in percentage points, stored as points (6.0 = six points), shown signed (+6.0 pts)."""
Polarity = Literal["higher_is_better", "lower_is_better", "neutral"]

CUTS: tuple[str, ...] = ("service_area", "team", "role", "grade")
"""Columns every figure can be cut (grouped or filtered) by."""


@dataclass(frozen=True)
class Figure:
    """One figure: the single source of its label, definition, unit and polarity."""

    id: str
    label: str
    definition: str
    unit: Unit
    polarity: Polarity
    needs: tuple[str, ...] = ("staff",)
    """Canonical tables (or 'staff.column') the figure needs to be computed."""
    dfe_column: str | None = None
    """Column of the DfE indicator file holding the same measure, if any."""
    source: str = ""
    """Where the formula comes from: 'DfE', 'CIPD', 'Equality Act 2010 regulations', 'Workforce Lens'."""
    formula: str = ""
    caveats: str = ""
    flow: bool = False
    """True for figures over the 12 months ending on the as-of date (turnover, starters...)."""
    people_count: bool = False
    """True when the figure is itself a count of people (suppressed in shared views when small)."""
    group: str = "core"
    """Section it belongs to: core, retention, agency, workload, pay, recruitment, voice."""


@dataclass(frozen=True)
class Params:
    """What a page asks for: as-of date, grouping and filters. Hashable, so it keys caches and snapshots."""

    as_of: str | None = None  # ISO date; None = the data's default
    by: tuple[str, ...] = ("service_area",)
    filters: tuple[tuple[str, str], ...] = ()  # ((column, value), ...) sorted by column
    figures: tuple[str, ...] = ()  # empty = every figure the view has

    def filter_dict(self) -> dict[str, str]:
        """Filters as a dict."""
        return dict(self.filters)


@dataclass(frozen=True)
class View:
    """A named dataset a page shows, and how to compute it from a Workforce.

    `people_columns` are counts of people in the result (suppressed when under
    the threshold in shared views); `rate_columns` map a derived column (rate,
    share, average, median) to the people counts it is built on — numerator and
    denominator — (it is hidden when any of them is). A base is a count column
    of the same row, `total:<column>` (that column summed over the categories:
    a share's denominator), or `measure[dim=value]` (a cell of another view for
    the same group, e.g. `headcount_in_post[band=Under 2 years]`).

    `categories` are key columns whose values split a group into parts that add
    up (leaving reason, length-of-service band, pay quartile), and `measures`
    name what a count column counts when it is the same people as another
    view's column (by default a column is its own measure; a measure may carry
    extra conditions, e.g. men = ("gender_pay.people", (("sex", "male"),))).
    Disclosure control (sharing.cells) uses both to find every sum an attacker
    could subtract from.
    """

    name: str
    title: str
    compute: Callable[[Workforce, Params], pd.DataFrame]
    by_options: tuple[tuple[str, ...], ...] = (("service_area",),)
    people_columns: tuple[str, ...] = ()
    rate_columns: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    needs: tuple[str, ...] = ("staff",)
    """Tables (or 'table.column') the View needs to be published; 'staff|summary' means either will do."""
    categories: tuple[str, ...] = ()
    measures: dict[str, str | tuple[str, tuple[tuple[str, str], ...]]] = field(default_factory=dict)
