"""Published tables as cells and sums: the model both the suppressor and the disclosure audit reason over.

A *cell* is one number about a set of people, identified by what it counts,
not by where it is printed: `(measure, conditions)`, e.g. ("leavers_headcount",
{as_of=2025-09-30, service_area=Children's Social Work, leaving_reason=Resignation}).
The same cell printed in two tables (a team's headcount in the council table
and in its service area's table; leavers to agency work in the figure table and
in the leavers-by-reason table) is one cell, so it is hidden everywhere or
nowhere.

A *relation* says a total is the sum of its parts along one additive
dimension: a grouping column (service area, team, role, grade), a category
column (leaving reason, length-of-service band, pay quartile) or a category a
measure carries (sex, for the men and women columns). Totals a table does not
print (the leavers of a service area summed over reasons; the men and women of
one pay quartile; a role's total in a role × grade table) are *implicit* cells:
an attacker can often learn them elsewhere (another table, a share column, the
quartile sizes), so they are treated as published unless hidden, and anything
that would reveal a hidden one (a share of it) is hidden too.

Time does not add up: months of a series and as-of dates are conditions, never
additive dimensions (a series' month is the as-of date of its value, so a
series at the as-of date is the same cell as the figure table's).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

TOTAL_LABELS = frozenset({"all", "total", "overall", "all service areas", "all teams", "all roles", "all grades"})
"""Group labels that mark a total row (compared case-insensitively)."""

NON_ADDITIVE_KEYS = frozenset({"month", "date", "as_of", "period", "year", "series_date"})
"""Key columns that index time: rows over time do not add up to a total."""

LONG_FIGURE, LONG_VALUE = "figure", "value"

Conditions = frozenset
CellKey = tuple[str, frozenset]
Measure = str | tuple[str, tuple[tuple[str, str], ...]]
"""A column's measure: a name, or a name and extra conditions (('people', (('sex', 'male'),)))."""
Bases = str | tuple[str, ...]
"""What a rate, share, average or median rests on: count columns of its row, `total:<column>` (the column's
total over the table's categories), or `measure[dim=value]` (another cell of the same group)."""
Implied = Mapping[tuple[str, str], Iterable[tuple[str, str]]]
"""(column, value) → the (column, value) pairs it implies, e.g. ('team', 'Duty') → [('service_area', 'CSW')]."""


@dataclass
class Table:
    """One published table and what its columns mean (a View's DataFrame for one set of parameters)."""

    df: pd.DataFrame
    by: tuple[str, ...] = ()
    filters: tuple[tuple[str, str], ...] = ()
    meta: dict = field(default_factory=dict)
    """Anything the caller wants carried along (e.g. the view name and Params)."""
    view: str = ""
    as_of: str | None = None
    """The as-of date of every value (ISO), unless `as_of_column` gives one per row."""
    people: tuple[str, ...] = ()
    """Columns that count people."""
    rates: dict = field(default_factory=dict)
    """Derived column → Bases it rests on."""
    categories: tuple[str, ...] = ()
    """Dimensions whose values split a group into parts that add up: key columns (leaving reason, band,
    quartile) or a measure's extra condition when every part is a column of the table (sex: men, women)."""
    measures: dict = field(default_factory=dict)
    """Count column → Measure, when it counts the same people as a measure of another view (default: its name)."""
    as_of_column: str | None = None
    """A column holding each row's as-of date (a series' month)."""

    @property
    def declared(self) -> bool:
        """True when the table says what its columns are (a View's table); False for a bare frame."""
        return bool(self.view)


def is_total_label(value: object) -> bool:
    """True for a group label such as 'All' or 'Total' that marks a total row."""
    return isinstance(value, str) and value.strip().lower() in TOTAL_LABELS


def number(value: object) -> float | None:
    """A finite float, or None for missing, symbols and non-numbers."""
    if value is None or isinstance(value, bool | str):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def text(value: object) -> str:
    """A key value as text ('' for missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()[:10]
    return str(value)


def is_long(df: pd.DataFrame) -> bool:
    """True for a long-form series (columns `figure` and `value`, one row per figure per group)."""
    return LONG_FIGURE in df.columns and LONG_VALUE in df.columns


ATTRIBUTES = frozenset({"source", "band_from", "band_to", "max_hourly_rate", "market_median_salary", "order",
                        "above_threshold"})
"""Columns that describe a row without defining its group (a comparator's source, a band's bounds, a cap)."""


def is_measure_column(series: pd.Series) -> bool:
    """True for a column of figures: numbers, blanks and `c` (a suppressed figure), never text labels."""
    if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return True
    if series.dtype != object:
        return False
    values = [v for v in series.tolist() if not (v is None or (isinstance(v, float) and math.isnan(v)))]
    return bool(values) and all((isinstance(v, int | float) and not isinstance(v, bool)) or v == "c" for v in values)


def key_columns(table: Table, measures: set[str]) -> list[str]:
    """Columns that say which group a row is about: its labels (text), grouping, category and time columns.

    A declared table leaves out ATTRIBUTES (they describe the row); a bare frame
    takes every text column that is not a figure.
    """
    df = table.df
    if table.declared:
        keep = set(table.by) | set(table.categories) | {table.as_of_column or ""}
        return [c for c in df.columns if c not in measures and c not in ATTRIBUTES
                and (c in keep or not is_measure_column(df[c]))]
    return [c for c in df.columns if c not in measures and not is_measure_column(df[c])]


def row_conditions(table: Table, row: Mapping, keys: Sequence[str]) -> dict[str, str]:
    """What a row counts: the table's filters and as-of date plus the row's labels (a total label means 'any')."""
    cond = {col: str(val) for col, val in table.filters}
    if table.as_of:
        cond["as_of"] = str(table.as_of)
    for col in keys:
        value = row[col]
        if col == table.as_of_column:
            cond["as_of"] = text(value)
            continue
        if (col in table.by or col in table.categories) and is_total_label(value):
            continue
        cond[col] = text(value)
    return cond


def measure_of(table: Table, column: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """(measure name, extra conditions) of a count column."""
    given = table.measures.get(column)
    if given is None:
        return column, ()
    if isinstance(given, str):
        return given, ()
    name, extra = given
    return name, tuple(extra)


def cell_key(measure: str, cond: Mapping[str, str], implied: Implied | None = None) -> CellKey:
    """A cell's identity: the measure and the conditions defining its group, minus any implied by another."""
    items = frozenset(cond.items())
    if not implied:
        return (measure, items)
    return (measure, _without_implied(items, implied))


_implied_memo: tuple[object, int, dict[frozenset, frozenset]] = (None, 0, {})
"""The last implied mapping seen and, per set of conditions, those conditions without the implied ones.

Publishing the demo asks for about 300,000 cell keys (170,000 once each row's bases are worked
out once, sharing.audit.rate_rows) over a few thousand distinct sets of conditions, all with one
mapping. With both, the demo's suppression and audit took 8.6–9.6 s instead of 11.3 s, drawing
the same tables. The mapping itself is held (not its id), so a new mapping never meets an old
answer, nor one that has grown since; a mapping is not otherwise changed once built
(sharing.published.implied_groups).
"""


def _without_implied(items: frozenset, implied: Implied) -> frozenset:
    """The conditions less the pairs another of them implies (e.g. a team's service area)."""
    global _implied_memo
    seen, size, answers = _implied_memo
    if seen is not implied or size != len(implied):
        answers = {}
        _implied_memo = (implied, len(implied), answers)
    got = answers.get(items)
    if got is not None:
        return got
    drop: set[tuple[str, str]] = set()
    for pair in items:
        implies = implied.get(pair)
        if implies:
            drop.update(p for p in implies if p != pair)
    got = items - drop if drop else items
    answers[items] = got
    return got


def additive_dims(table: Table) -> set[str]:
    """Dimensions whose parts add up to a total: grouping and category columns (not time).

    A measure's extra condition (sex for men and women) is additive only when the table lists it among its
    categories, i.e. when the table holds every part (men and women); one reason on its own adds up to nothing.
    """
    dims = {b for b in table.by if b.lower() not in NON_ADDITIVE_KEYS}
    return dims | {c for c in table.categories if c.lower() not in NON_ADDITIVE_KEYS}


@dataclass
class Relation:
    """A total and the cells that add up to it (along one dimension)."""

    total: CellKey
    parts: tuple[CellKey, ...]
    dim: str


@dataclass
class Model:
    """Every count cell's value(s) and every sum relation, across a set of tables."""

    values: dict[CellKey, list[float]] = field(default_factory=dict)
    """Each appearance's value (the same cell may be printed in several tables)."""
    implicit: set[CellKey] = field(default_factory=set)
    """Totals no table prints (their value is the sum of their parts)."""
    relations: list[Relation] = field(default_factory=list)
    places: dict[CellKey, list[tuple[int, int, str]]] = field(default_factory=dict)
    """Where each cell is printed: (table index, row position, column)."""

    def value(self, key: CellKey) -> float | None:
        """The cell's value (its first appearance), or None."""
        got = self.values.get(key)
        return got[0] if got else None

    def relations_of(self) -> dict[CellKey, list[int]]:
        """Cell → indexes of the relations it takes part in (as total or part); worked out once."""
        cached = getattr(self, "_by_cell", None)
        if cached is not None and cached[0] == len(self.relations):
            return cached[1]
        out: dict[CellKey, list[int]] = {}
        for i, rel in enumerate(self.relations):
            for key in (rel.total, *rel.parts):
                out.setdefault(key, []).append(i)
        self._by_cell = (len(self.relations), out)
        return out


def wide(table: Table) -> Table:
    """A long-form series as one column per figure (keys kept), so counts sit beside the rates built on them."""
    if not is_long(table.df):
        return table
    df = table.df
    keys = [c for c in df.columns if c not in (LONG_FIGURE, LONG_VALUE)]
    if df.empty:
        frame = df[keys].copy()
    else:
        frame = df.pivot_table(index=keys, columns=LONG_FIGURE, values=LONG_VALUE, aggfunc="first", dropna=False,
                               sort=False, observed=True)
        frame.columns = [str(c) for c in frame.columns]
        frame = frame.reset_index()
    return Table(frame, table.by, table.filters, table.meta, table.view, table.as_of, table.people, table.rates,
                 table.categories, table.measures, table.as_of_column)


def build_model(tables: Sequence[Table], implied: Implied | None = None) -> Model:
    """The cells and relations of a set of (wide) tables."""
    model = Model()
    seen: set[tuple] = set()
    for index, table in enumerate(tables):
        df = table.df
        cols = [c for c in table.people if c in df.columns]
        if not cols or df.empty:
            continue
        measures = set(cols) | set(table.rates)
        keys = key_columns(table, measures)
        dims = additive_dims(table)
        records = df[keys].to_dict("records") if keys else [{}] * len(df)
        conds = [row_conditions(table, row, keys) for row in records]
        by_measure: dict[str, dict[frozenset, CellKey]] = {}
        for col in cols:
            name, extra = measure_of(table, col)
            nodes = by_measure.setdefault(name, {})  # men and women: one measure, so sex adds up across columns
            for pos, (cond, raw) in enumerate(zip(conds, df[col].tolist(), strict=True)):
                full = {**cond, **dict(extra)}
                key = cell_key(name, full, implied)
                value = number(raw)
                if value is not None:
                    model.values.setdefault(key, []).append(value)
                model.places.setdefault(key, []).append((index, pos, col))
                nodes[frozenset(full.items())] = key
        for name, nodes in by_measure.items():
            _close(model, nodes, dims, name, implied, seen)
    return model


def _close(model: Model, nodes: dict[frozenset, CellKey], dims: set[str], measure: str,
           implied: Implied | None, seen: set[tuple]) -> None:
    """Add the relations of one table's cells along each additive dimension, with implicit totals, level by level.

    Groups are worked out on each row's full conditions (before implied labels are
    dropped), so every total gets all of its parts, e.g. in a service area × team
    table both the service areas' and the teams' totals add up to the council's.
    """
    known = set(nodes)
    frontier = dict(nodes)
    while frontier:
        groups: dict[tuple[str, frozenset], list[CellKey]] = {}
        for full, key in frontier.items():
            present = {k for k, _ in full}
            for dim in dims & present:
                parent = frozenset(item for item in full if item[0] != dim)
                groups.setdefault((dim, parent), []).append(key)
        frontier = {}
        for (dim, parent), parts in groups.items():
            total = cell_key(measure, dict(parent), implied)
            if parent not in known:
                known.add(parent)
                frontier[parent] = total
            members = tuple(sorted(set(parts), key=_order))
            if total in members:  # a group implied by its parts' other labels: no sum
                continue
            sig = (total, dim, frozenset(members))
            if sig in seen:
                continue
            seen.add(sig)
            model.relations.append(Relation(total, members, dim))
            if total not in model.values:
                got = [model.value(p) for p in members]
                if all(v is not None for v in got):
                    model.values[total] = [float(sum(got))]
                    model.implicit.add(total)


def _order(key: CellKey) -> tuple:
    return (key[0], sorted(key[1]))


def base_keys(table: Table, row_cond: Mapping[str, str], base: str, implied: Implied | None = None) -> list[CellKey]:
    """The cell(s) a rate's base names for one row (see Bases)."""
    if base.startswith("total:"):
        column = base.removeprefix("total:")
        name, extra = measure_of(table, column)
        cond = {**row_cond, **dict(extra)}
        for dim in set(table.categories) | {d for d, _ in extra}:
            cond.pop(dim, None)
        return [cell_key(name, cond, implied)]
    if "[" in base and base.endswith("]"):
        name, _, rest = base[:-1].partition("[")
        cond = dict(row_cond)
        for part in rest.split(","):
            dim, _, value = part.partition("=")
            cond[dim.strip()] = value.strip()
        return [cell_key(name, cond, implied)]
    name, extra = measure_of(table, base)
    return [cell_key(name, {**row_cond, **dict(extra)}, implied)]


def bases_of(base: Bases) -> tuple[str, ...]:
    """The bases of a rate, as a tuple."""
    return (base,) if isinstance(base, str) else tuple(base)
