"""Sidebar filters bound to the URL (service, team, role, as_of) and their translation into Params.

The widgets use Streamlit's `bind="query-params"`, so a copied link reopens the
same view and the URL changes when a filter does. A value in the URL that the
data does not have (or a date that is not a date, or outside the data's dates) is
ignored with a notice.

The as-of date follows the data: it opens on the latest date in the data (a new
upload resets it, see ui.upload.reset_view), with a warning when that is more than
12 months ago. The date widget's range always contains the data's date and today,
and a date left over from other data is put back to the data's own, so no date can
fall outside the widget (ingest refuses dates before 1950 or more than a year ahead).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from metrics.dates import add_months, as_of_warning, census_date
from metrics.registry import Params
from ui.text import md_escape

ALL = "All"
"""The 'no filter' choice of each select (the widget's default, so it never appears in the URL)."""

FILTERS: tuple[tuple[str, str, str], ...] = (
    ("service", "service_area", "Service area"),
    ("team", "team", "Team"),
    ("role", "role", "Role"),
)
"""(URL key, cut column, label) of each select filter."""

AS_OF_KEY = "as_of"
MIN_DATE = dt.date(1950, 1, 1)
"""The earliest as-of date offered (ingest refuses earlier dates)."""


@dataclass(frozen=True)
class FilterState:
    """What the sidebar chose: the as-of date and the (column, value) filters."""

    as_of: dt.date | None
    filters: tuple[tuple[str, str], ...]
    default_as_of: dt.date | None

    def params(self, by: tuple[str, ...] = ("service_area",), figures: tuple[str, ...] = ()) -> Params:
        """Params for a view with this state, grouped `by` and restricted to `figures`."""
        return Params(as_of=self.as_of.isoformat() if self.as_of else None, by=tuple(by),
                      filters=self.filters, figures=tuple(figures))

    def year_earlier(self) -> FilterState:
        """The same view 12 months before the as-of date (for 'change against 12 months earlier')."""
        if self.as_of is None:
            return self
        return FilterState(add_months(self.as_of, -12), self.filters, self.default_as_of)

    def filtered_on(self, column: str) -> str | None:
        """The value the view is filtered to on `column`, if any."""
        return dict(self.filters).get(column)

    def describe(self) -> str:
        """The view in words, e.g. 'Children's Social Work · as of 30 September 2025'."""
        parts = [value for _, value in self.filters]
        if self.as_of:
            parts.append(f"as of {long_date(self.as_of)}")
        return " · ".join(parts) if parts else "Whole council"


def long_date(d: dt.date | None) -> str:
    """30 September 2025."""
    return f"{d.day} {d:%B %Y}" if d else "the latest date in the data"


def parse_date(text: str | None) -> dt.date | None:
    """An ISO date from the URL, or None when it is not one."""
    try:
        return dt.date.fromisoformat(str(text).strip()) if text else None
    except ValueError:
        return None


def date_range(default: dt.date, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """(earliest, latest) as-of date the widget offers: always holding the data's date and today."""
    today = today or dt.date.today()
    return min(MIN_DATE, default), max(default, today)


def url_problems(options: dict[str, list[str]], default: dt.date | None = None) -> list[str]:
    """Notices for URL values the data does not have (they are ignored)."""
    notices = []
    for key, column, label in FILTERS:
        raw = st.query_params.get(key)
        if raw is not None and raw != ALL and raw not in options.get(column, []):
            notices.append(f"The link's {label.lower()} “{md_escape(raw)}” is not in this data, so it was ignored.")
    raw_date = st.query_params.get(AS_OF_KEY)
    parsed = parse_date(raw_date)
    if raw_date is not None and parsed is None:
        notices.append(f"The link's as-of date “{md_escape(raw_date)}” is not a date (use YYYY-MM-DD), so it was "
                       "ignored.")
    elif parsed is not None and default is not None:
        low, high = date_range(default)
        if not low <= parsed <= high:
            notices.append(f"The link's as-of date {long_date(parsed)} is outside this data's dates "
                           f"({long_date(low)} to {long_date(high)}), so it was ignored.")
    return notices


_K_RESET = "ui.filters.reset"


def request_reset() -> None:
    """New data: on the next draw, the as-of date goes to the data's own latest date and the filters to 'All'.

    Set before the widgets are drawn (a widget's value sent back by the browser would otherwise win).
    """
    st.session_state[_K_RESET] = True


def _apply_reset(default: dt.date | None) -> None:
    """Carry out a requested reset, before the widgets are drawn."""
    if not st.session_state.pop(_K_RESET, False):
        return
    for key, _, _ in FILTERS:
        st.session_state[key] = ALL
    if default is not None:
        st.session_state[AS_OF_KEY] = default
    else:
        st.session_state.pop(AS_OF_KEY, None)


def keep_in_range(default: dt.date) -> None:
    """Put a remembered as-of date outside the widget's range (from other data) back to the data's own date."""
    current = st.session_state.get(AS_OF_KEY)
    low, high = date_range(default)
    if isinstance(current, dt.date) and not low <= current <= high:
        st.session_state[AS_OF_KEY] = default


def _census(default: dt.date) -> None:
    """Button callback: set the as-of date to the latest 30 September (DfE census) on or before the data's date."""
    st.session_state[AS_OF_KEY] = census_date(default)


def render(options: dict[str, list[str]], default: dt.date | None, fixed_date: bool = False) -> FilterState:
    """Draw the sidebar filters (bound to the URL) and return what they chose.

    `fixed_date` is for a published snapshot: it holds one as-of date only, so the
    date is stated rather than offered for change.
    """
    _apply_reset(default)
    for notice in url_problems(options, default):
        st.sidebar.warning(notice, icon=":material/link_off:")
    chosen: list[tuple[str, str]] = []
    for key, column, label in FILTERS:
        values = options.get(column) or []
        if not values:
            continue
        value = st.sidebar.selectbox(label, [ALL, *values], key=key, bind="query-params",
                                     help=f"Show one {label.lower()} only; 'All' shows the whole council.")
        if value and value != ALL:
            chosen.append((column, str(value)))
    as_of = default
    if default is not None and fixed_date:
        st.sidebar.markdown(f"**As at:** {default:%d %B %Y} (the date the snapshot was published for)")
    elif default is not None:
        keep_in_range(default)
        low, high = date_range(default)
        picked = st.sidebar.date_input(
            "As-of date", value=default, min_value=low, max_value=high,
            key=AS_OF_KEY, bind="query-params", format="DD/MM/YYYY",
            help="Figures are as at this date; flows (turnover, starters, leavers) cover the 12 months ending on it. "
                 "It opens on the latest date in the data.",
        )
        as_of = picked if isinstance(picked, dt.date) and low <= picked <= high else default
        stale = as_of_warning(default)
        if stale:
            st.sidebar.warning(stale, icon=":material/history:")
        census = census_date(default)
        st.sidebar.button(f"30 September (DfE census): {census.year}", on_click=_census, args=(default,),
                          key="as_of_census", icon=":material/event:",
                          help="Set the as-of date to the DfE workforce census date, so figures line up with the "
                               "national statistics.")
    return FilterState(as_of=as_of, filters=tuple(sorted(chosen)), default_as_of=default)


_K_STATE = "ui.filter_state"


def remember(state: FilterState) -> None:
    """Keep this run's filter state for the pages (app.py draws the sidebar, pages read it)."""
    st.session_state[_K_STATE] = state


def current() -> FilterState:
    """The filter state app.py drew this run (no filters and the data's date when run without app.py)."""
    state = st.session_state.get(_K_STATE)
    if state is not None:
        return state
    from ui import source

    default = source.default_as_of()
    return FilterState(as_of=default, filters=(), default_as_of=default)
