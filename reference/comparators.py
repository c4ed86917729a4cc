"""Comparators: the benchmark a figure of one group is set beside, for one year, named with its source.

One long table, whatever the comparator's origin — columns `group` (a service
area, sub-service, role or role family), `figure` (a figure id such as
`vacancy_rate`, or its label), `value`, `year` (the year to 30 September it
describes), `geography` (England, a region, statistical neighbours…), `source`
and `licence`:

- **DfE** (children's social work only): the DfE children's social work workforce
  indicator file in the reference database (England; the chosen council's region
  and statistical neighbours' median). It stays the one source for that group.
- **Shipped**: data/reference/comparators.csv — only figures with real, citable
  provenance (see data/reference/README.md).
- **Settings**: `[[comparators]]` entries in workforce_lens.toml (a deployment's own).
- **Uploaded**: a `comparators` sheet in the council's upload (same columns).

`find` returns, per figure, the comparators of the same group (reference.groups)
and the same year only: a verdict is never drawn across groups or years. Rates
are fractions 0–1 (a value above 1 given for a percentage figure is read as a
percentage). No Streamlit here.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

import settings
from reference.groups import CHILDRENS_SOCIAL_WORK, group_of, key

log = logging.getLogger(__name__)

COLUMNS: tuple[str, ...] = ("group", "figure", "value", "year", "geography", "source", "licence")
"""The comparator table's columns, in order (shipped file, settings, upload)."""
SHIPPED_FILE = "comparators.csv"
DFE_SOURCE = "DfE: Children's social work workforce (Explore Education Statistics)"
DFE_LICENCE = "Open Government Licence v3.0"
ENGLAND = "England"
NEIGHBOURS = "Statistical neighbours (median)"


@dataclass(frozen=True)
class Comparator:
    """One benchmark value: what it is of (group, figure, year, geography) and where it comes from."""

    group: str
    figure: str
    value: float
    year: int
    geography: str
    source: str
    licence: str = ""
    origin: str = "shipped"
    """dfe, shipped, settings or uploaded."""

    @property
    def kind(self) -> str:
        """england, region, neighbours or other (England first when several are shown)."""
        k = key(self.geography)
        if k == "england":
            return "england"
        if "neighbour" in k:
            return "neighbours"
        if self.origin == "dfe":
            return "region"
        return "other"

    @property
    def short_source(self) -> str:
        """The source's first words, e.g. 'DfE' or 'LGA' (before its first colon or comma)."""
        text = self.source.strip()
        cut = min([i for i in (text.find(":"), text.find(",")) if i > 0] or [len(text)])
        return text[:cut].strip() or "source not given"

    @property
    def label(self) -> str:
        """'England 2025': the geography and year (what a rule or tile names)."""
        return f"{self.geography} {self.year}"

    @property
    def named(self) -> str:
        """'England 2025 (DfE)': label and source, as every verdict names its comparator."""
        return f"{self.label} ({self.short_source})"


_ORDER = {"england": 0, "region": 1, "neighbours": 2, "other": 3}


# ── reading and checking comparator tables ────────────────────────────────────


def figure_id(name: object) -> str | None:
    """The figure id a comparator row names: an id, a registry label or a DfE column (None if unknown)."""
    from metrics.figures import FIGURES

    wanted = key(name)
    for fid, fig in FIGURES.items():
        if wanted in (key(fid), key(fig.label)) or (fig.dfe_column and wanted == key(fig.dfe_column)):
            return fid
    return None


def _year(value: object) -> int | None:
    """A year as an integer (2024, '2024', '2023/24' → 2024, 2024.0), or None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    if "/" in text or "-" in text:
        head, _, tail = text.replace("-", "/").partition("/")
        tail = tail.strip()
        if head.strip().isdigit() and tail.isdigit():
            return int(tail) if len(tail) == 4 else int(head.strip()[:2] + tail)
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() and 1990 <= number <= 2100 else None


def _value(raw: object, fid: str) -> float | None:
    """A comparator value as the figure stores it: percentages as fractions ('17.2%', 17.2 and 0.172 alike)."""
    from metrics.figures import FIGURES

    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    text = str(raw).strip().replace(",", "")
    percent = text.endswith("%")
    try:
        number = float(text.rstrip("%").strip())
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    if FIGURES[fid].unit == "percent" and (percent or number > 1):
        number /= 100
    return number


def _missing(value: object) -> bool:
    """True for a blank cell: None, NaN or pandas' NA."""
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def normalise(table: pd.DataFrame | Iterable[dict], origin: str) -> tuple[list[Comparator], list[str]]:
    """Comparators from rows with the COLUMNS (any case), and a sentence for each row left out and why.

    A row needs a group, a known figure, a number, a year and a source: a comparator
    without a source is never shown, since every verdict must name where it comes from.
    """
    rows = table.to_dict("records") if isinstance(table, pd.DataFrame) else list(table)
    out: list[Comparator] = []
    problems: list[str] = []
    for number, raw in enumerate(rows, start=1):
        row = {key(k).replace(" ", "_"): (None if _missing(v) else v) for k, v in raw.items()}
        group = str(row.get("group") or "").strip()
        fid = figure_id(row.get("figure"))
        year = _year(row.get("year"))
        source = str(row.get("source") or "").strip()
        value = _value(row.get("value"), fid) if fid else None
        missing = [name for name, ok in (("group", group), ("figure", fid), ("value", value is not None),
                                         ("year", year), ("source", source)) if not ok]
        if missing:
            problems.append(f"Comparator row {number} ({origin}) left out: no usable {', '.join(missing)}.")
            continue
        geography = str(row.get("geography") or "").strip() or ENGLAND
        licence = str(row.get("licence") or row.get("license") or "").strip()
        out.append(Comparator(group, fid, float(value), int(year), geography, source, licence, origin))
    return out, problems


def reference_dir() -> Path:
    """Where the shipped comparators file lives (the reference data folder)."""
    from reference.store import reference_dir as folder

    return folder()


@cache
def _shipped(folder: str) -> tuple[Comparator, ...]:
    path = Path(folder) / SHIPPED_FILE
    if not path.exists():
        return ()
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    found, problems = normalise(table, "shipped")
    for problem in problems:
        log.warning(problem)
    return tuple(found)


def shipped() -> list[Comparator]:
    """The comparators shipped with the app (data/reference/comparators.csv)."""
    return list(_shipped(str(reference_dir())))


def from_settings() -> list[Comparator]:
    """The comparators set in workforce_lens.toml ([[comparators]] entries with the COLUMNS)."""
    entries = settings.load_settings().get("comparators", [])
    if isinstance(entries, dict):
        entries = [entries]
    found, problems = normalise([e for e in entries if isinstance(e, dict)], "workforce_lens.toml")
    for problem in problems:
        log.warning(problem)
    return found


def uploaded(table: pd.DataFrame | None) -> list[Comparator]:
    """The comparators of a council's upload (the `comparators` view), rows without what they need left out."""
    if table is None or table.empty:
        return []
    named = table.rename(columns={"comparator_figure": "figure", "comparator_value": "value"})
    return normalise(named, "upload")[0]


# ── DfE comparators for children's social work ────────────────────────────────


def dfe(figure_ids: Sequence[str], year: int, la: str | None = None) -> list[Comparator]:
    """The DfE's values for `year`: England, and the chosen council's region and neighbours' median.

    Empty when the DfE file has no such year (a verdict is drawn only within the same year).
    """
    import reference
    from reference.figures import benchmark_figures

    ids = [f for f in figure_ids if f in set(benchmark_figures())]
    if not ids or int(year) not in reference.years():
        return []
    source = f"{DFE_SOURCE}, year to 30 September {int(year)}"
    out = []
    for row in reference.england(ids, year=int(year)).itertuples():
        if row.england == row.england and row.england is not None:
            out.append(Comparator(CHILDRENS_SOCIAL_WORK, str(row.figure), float(row.england), int(year), ENGLAND,
                                  source, DFE_LICENCE, "dfe"))
    name = reference.resolve(la) if la else None
    if name is not None:
        bench = reference.latest_benchmarks(name, ids, year=int(year))
        for row in bench.itertuples():
            if row.region == row.region:
                out.append(Comparator(CHILDRENS_SOCIAL_WORK, str(row.figure), float(row.region), int(year),
                                      str(row.region_name), source, DFE_LICENCE, "dfe"))
            if row.neighbour_median == row.neighbour_median:
                out.append(Comparator(CHILDRENS_SOCIAL_WORK, str(row.figure), float(row.neighbour_median),
                                      int(year), NEIGHBOURS, source, DFE_LICENCE, "dfe"))
    return out


# ── finding the comparators of a group ────────────────────────────────────────


def candidates(group: str, figure_ids: Sequence[str], la: str | None, supplied: Sequence[Comparator] = (),
               years: Sequence[int] = ()) -> list[Comparator]:
    """Every comparator of the group (any year) for the figures: DfE for children's social work, then the rest.

    For children's social work the DfE file is the source: another comparator of the
    same figure, year and geography is left out. `years` are the DfE years to look up.
    """
    wanted = set(figure_ids)
    target = key(group_of(group))
    out: list[Comparator] = []
    if target == key(CHILDRENS_SOCIAL_WORK):
        for year in years:
            out += dfe(list(figure_ids), int(year), la)
    taken = {(c.figure, c.year, key(c.geography)) for c in out}
    for comp in [*supplied, *from_settings(), *shipped()]:
        if comp.figure not in wanted or key(group_of(comp.group)) != target:
            continue
        slot = (comp.figure, comp.year, key(comp.geography))
        if slot in taken:
            continue  # the council's own comes first (uploaded, then settings, then shipped); DfE above all
        taken.add(slot)
        out.append(comp)
    return out


def find(group: str | None, figure_ids: Sequence[str], year: int | None, la: str | None = None,
         supplied: Sequence[Comparator] = ()) -> dict[str, list[Comparator]]:
    """Per figure id, the comparators of `group` for `year` (England first, then region, neighbours, others).

    A figure with none is absent. `group` is a service area, sub-service, role or family
    name as the data writes it (reference.groups maps it); None (the whole council, which
    no comparator describes) finds nothing.
    """
    if group is None or year is None:
        return {}
    found: dict[str, list[Comparator]] = {}
    for comp in candidates(group, figure_ids, la, supplied, years=[int(year)]):
        if comp.year == int(year):
            found.setdefault(comp.figure, []).append(comp)
    return {fid: sorted(comps, key=lambda c: (_ORDER[c.kind], c.geography)) for fid, comps in found.items()}


def other_years(group: str | None, figure_id: str, year: int | None, la: str | None = None,
                supplied: Sequence[Comparator] = ()) -> list[Comparator]:
    """Comparators of the group and figure for years other than `year`, nearest year first (to say what exists).

    DfE years are not listed (the DfE file covers every year it covers for every figure).
    """
    if group is None:
        return []
    others = [c for c in candidates(group, [figure_id], la, supplied) if year is None or c.year != int(year)]
    return sorted(others, key=lambda c: (abs(c.year - (year or c.year)), -c.year, _ORDER[c.kind]))


def as_table(comparators: Iterable[Comparator]) -> pd.DataFrame:
    """Comparators as a table with the COLUMNS (plus origin), for display and download."""
    rows = [{"group": c.group, "figure": c.figure, "value": c.value, "year": c.year, "geography": c.geography,
             "source": c.source, "licence": c.licence, "origin": c.origin} for c in comparators]
    return pd.DataFrame(rows, columns=[*COLUMNS, "origin"])


def reset() -> None:
    """Forget the shipped file (after it changes)."""
    _shipped.cache_clear()
