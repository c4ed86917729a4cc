"""Comparators for what a page shows: the same group, the same year, named with its source; cached.

A verdict (better or worse) is drawn only against a comparator of the **same
group** — the service area or role family of what is shown (reference.groups:
a Social Worker row is children's social work, a School Nurse row school nursing)
— and the **same year**: the year to 30 September on or before the as-of date
(`benchmark_year`). Comparators come from reference.comparators: the DfE file for
children's social work (England; the chosen council's region and neighbours'
median), the shipped file, workforce_lens.toml, and the council's own uploaded
`comparators` sheet (the Source's "comparators" view, so a shared link has the same).
Where a group has none, `Benchmark.missing_sentence` says so and nothing is judged.
If the reference data cannot be read, the page shows no comparator rather than failing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import streamlit as st

import settings
from reference.comparators import Comparator

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Benchmark:
    """The comparators of one figure for one group and year (England first), or none, and what that means."""

    figure: str
    name: str | None
    """What is compared, as the data writes it: "Children's Social Work", "Health Visitor"; None: the whole council."""
    group: str | None
    """The comparator group (role family) of `name`, e.g. "Children's social work"."""
    year: int | None
    comparators: tuple[Comparator, ...] = ()
    nearest: Comparator | None = None
    """When there is none for the year: the nearest comparator of another year (to say what exists)."""

    @property
    def main(self) -> Comparator | None:
        """The comparator a verdict is drawn against (England when there is one)."""
        return self.comparators[0] if self.comparators else None

    @property
    def england(self) -> float | None:
        """The main comparator's value (England's when there is one), or None."""
        return self.main.value if self.main else None

    @property
    def label(self) -> str:
        """'England 2025 (DfE)': the main comparator named with its source ('' when there is none)."""
        return self.main.named if self.main else ""

    def references(self) -> list[tuple[str, float]]:
        """(label, value) of each comparator, England first, each label naming year and source."""
        return [(c.named, c.value) for c in self.comparators]

    def missing_sentence(self) -> str:
        """'No England comparator for Education Psychology.' (with the nearest other year, when there is one)."""
        who = self.name or "the whole council"
        if self.name is None:
            return ("No England comparator for the whole council: national figures describe one workforce group "
                    "(the DfE's, children's social work), so choose a service area or role to compare.")
        text = f"No England comparator for {who}"
        if self.group and self.group.lower() != who.lower():
            text += f" ({self.group.lower()})"
        if self.nearest is not None and self.year is not None:
            text += (f" in {self.year} (the nearest is {self.nearest.named}; figures are judged only against "
                     "the same year)")
        return text + "."

    def source_note(self) -> str:
        """Where the comparators come from, with their licences, for a chart's or tile's notes."""
        by_source: dict[tuple[str, str], list[str]] = {}
        for comp in self.comparators:
            by_source.setdefault((comp.source, comp.licence), []).append(comp.label)
        parts = []
        for (source, licence), labels in by_source.items():
            listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
            group = f" ({self.group.lower()})" if self.group else ""
            parts.append(f"{listed}{group}: {source}" + (f" ({licence})" if licence else ""))
        return "; ".join(parts) + ("." if parts else "")


def benchmark_year(as_of: dt.date | None) -> int | None:
    """The comparison year of an as-of date: the year to 30 September on or before it (the DfE census year)."""
    from metrics.dates import census_date

    return census_date(as_of).year if as_of is not None else None


def dfe_service_area() -> str:
    """The service area the DfE statistics cover (from workforce_lens.toml)."""
    return str(settings.section("reference").get("dfe_service_area", "Children's Social Work"))


def chosen_la() -> str | None:
    """The local authority chosen in the sidebar ("Our council", URL key `la`), if any."""
    from ui import council

    return council.current_la()


def supplied() -> tuple[Comparator, ...]:
    """The comparators the council uploaded (the Source's "comparators" view; none when it has none)."""
    from metrics.registry import Params
    from reference.comparators import uploaded
    from ui import source as src

    try:
        table = src.view("comparators", Params(by=()))
    except Exception:  # noqa: BLE001 - a council without comparators, or a snapshot without them
        return ()
    return tuple(uploaded(table))


@st.cache_data(max_entries=256, show_spinner=False)
def _find(name: str, figure_ids: tuple[str, ...], year: int | None, la: str | None,
          extra: tuple[Comparator, ...]) -> dict[str, tuple[tuple[Comparator, ...], Comparator | None]]:
    """figure id → (comparators of the group for the year, nearest of another year when there are none)."""
    from reference import comparators

    found = comparators.find(name, figure_ids, year, la, extra)
    out = {}
    for fid in figure_ids:
        comps = tuple(found.get(fid, ()))
        nearest = None
        if not comps:
            others = comparators.other_years(name, fid, year, la, extra)
            nearest = others[0] if others else None
        out[fid] = (comps, nearest)
    return out


def comparable(figure_id: str) -> bool:
    """True for figures a council can sit beside a comparator on: rates and averages (not totals) that some
    comparator describes (the DfE publishes it, or a shipped, configured or uploaded comparator names it)."""
    import metrics

    fig = metrics.FIGURES.get(figure_id)
    if fig is None or fig.unit not in ("percent", "cases", "ratio", "days"):
        return False
    return bool(fig.dfe_column) or figure_id in _other_figures()


def _other_figures() -> frozenset[str]:
    """Figures that a comparator other than the DfE's describes (shipped, settings, or the council's upload)."""
    from reference import comparators

    try:
        return frozenset(c.figure for c in (*comparators.shipped(), *comparators.from_settings(), *supplied()))
    except Exception:  # noqa: BLE001 - no comparators readable: only the DfE's figures
        log.exception("comparators unavailable")
        return frozenset()


def for_group(name: str | None, figure_ids: Iterable[str], year: int | None) -> dict[str, Benchmark]:
    """A Benchmark per comparable figure for what `name` is (a service area, team, sub-service or role), and year.

    Every comparable figure is in the result: one without comparators says so (`missing_sentence`).
    """
    from reference.groups import group_of

    ids = tuple(f for f in figure_ids if comparable(f))
    if not ids:
        return {}
    if name is None:
        return {fid: Benchmark(fid, None, None, year) for fid in ids}
    try:
        found = _find(str(name), ids, year, chosen_la(), supplied())
    except Exception:  # noqa: BLE001 - missing reference data must not break a page
        log.exception("comparators unavailable")
        found = {}
    group = group_of(name)
    return {fid: Benchmark(fid, str(name), group, year, *found.get(fid, ((), None))) for fid in ids}


def team_areas() -> dict[str, str]:
    """Team (as the filters and tables key it) → its service area, from the figures view by service area and team."""
    from metrics.registry import Params
    from ui import source as src

    table = src.view("figures", Params(by=("service_area", "team"), figures=("fte_in_post",)))
    if table.empty or "team" not in table.columns:
        return {}
    pairs = table[(table["team"].astype(str) != "All") & (table["service_area"].astype(str) != "All")]
    out: dict[str, str] = {}
    for team, area in zip(pairs["team"].astype(str), pairs["service_area"].astype(str), strict=True):
        out.setdefault(team, area)
    return out


def row_name(state, column: str | None = None, value: object = None, areas: dict[str, str] | None = None
             ) -> str | None:
    """What a row (or, without `column`, the whole view) is compared as: the role, team or service area.

    The view's filters fill in what the row does not say: a role filter makes every row that role's family.
    Returns a name as the data writes it (its group is reference.groups.group_of(name)), or None for the
    whole council.
    """
    from reference.groups import family_of

    chosen = dict(getattr(state, "filters", ()) or ())
    role = value if column == "role" else chosen.get("role")
    team = value if column == "team" else chosen.get("team")
    area = value if column == "service_area" else chosen.get("service_area")
    if team and not area:
        area = (areas if areas is not None else team_areas()).get(str(team))
    for candidate in (role, team):
        if candidate and family_of(candidate) is not None:
            return str(candidate)
    if area:
        return str(area)
    if role:
        return str(role)
    return None


def view_benchmarks(state, figure_ids: Sequence[str]) -> dict[str, Benchmark]:
    """Benchmarks of the whole view (its filters' group; none for the whole council) at the view's year."""
    return for_group(row_name(state), figure_ids, benchmark_year(getattr(state, "as_of", None)))


def row_benchmarks(state, column: str, values: Iterable[object], figure_id: str, year: int | None = None
                   ) -> dict[str, Benchmark]:
    """Per row value of `column` (service area, team, role; anything else is the view's group): its Benchmark."""
    year = benchmark_year(getattr(state, "as_of", None)) if year is None else year
    areas = team_areas() if column == "team" or dict(getattr(state, "filters", ()) or ()).get("team") else {}
    cut = column if column in ("service_area", "team", "role") else None
    out: dict[str, Benchmark] = {}
    for value in values:
        text = str(value)
        if text == "All":
            continue
        name = row_name(state, cut, text if cut else None, areas)
        bench = for_group(name, [figure_id], year).get(figure_id)
        if bench is not None:
            out[text] = bench
    return out


def england(figure_ids: tuple[str, ...] | list[str]) -> dict[str, Benchmark]:
    """The comparators of the current view per figure (its filters' group and year), keyed by figure id.

    Kept under its old name for pages: for the whole council there is no comparator of the same group,
    so the Benchmarks it returns have none (and say so).
    """
    from ui import filters

    try:
        return view_benchmarks(filters.current(), figure_ids)
    except Exception:  # noqa: BLE001 - a missing benchmark must not break a page
        log.exception("benchmarks unavailable")
        return {}
