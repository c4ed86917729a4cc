"""Small-number suppression for shared views: pure functions over DataFrames, no Streamlit.

Primary suppression: a count of people from 1 to threshold − 1 is shown as `c`
(the DfE symbol for confidential), and so is every rate, average or median built
on it (a View's `rate_columns` say which count each derived column rests on; a
median of a group under the threshold is therefore never shown). Zero is shown:
"nobody" discloses nothing about an individual.

Secondary suppression: a table cut by a column (service area, team, role) adds
up to a total that is shown somewhere (the "All" row, the unfiltered view, or
the filtered view of that one group). If exactly one cell of such a sum were
hidden, total − shown cells would reveal it, so the next smallest shown cell is
hidden too. Cells are identified across every table of a snapshot by what they
count (column + the filters and group values that define them), so a cell hidden
in one table is hidden in every table that shows it, and each sum is checked
until nothing changes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

import settings as app_settings

SYMBOL = "c"
"""DfE symbol for a confidential (suppressed) figure."""

DEFAULT_THRESHOLD = 5

TOTAL_LABELS = frozenset({"all", "total", "overall", "all service areas", "all teams", "all roles", "all grades"})
"""Group labels that mark a total row (compared case-insensitively)."""

NON_ADDITIVE_KEYS = frozenset({"month", "date", "as_of", "period", "year", "series_date"})
"""Key columns that index time: rows over time do not add up to a total."""

CellKey = tuple[str, frozenset]
Implied = Mapping[tuple[str, str], Iterable[tuple[str, str]]]
"""(column, value) → the (column, value) pairs it implies, e.g. ('team', 'Duty') → [('service_area', 'CSW')]."""


def threshold() -> int:
    """Counts of people under this are suppressed: [sharing] suppression_threshold, default 5."""
    return int(app_settings.section("sharing").get("suppression_threshold", DEFAULT_THRESHOLD))


def note(limit: int | None = None) -> str:
    """The sentence to show beside every suppressed view, table, chart and download."""
    n = threshold() if limit is None else limit
    return (
        f"To protect individuals, counts of fewer than {n} people, and any rate, average or median based on "
        f"them, are shown as “{SYMBOL}” (confidential); a few other figures are also shown as “{SYMBOL}” so that "
        "a hidden figure cannot be worked out by subtracting the others from a total."
    )


@dataclass
class Table:
    """One published table: a View's DataFrame for one set of filters and one grouping."""

    df: pd.DataFrame
    by: tuple[str, ...] = ()
    filters: tuple[tuple[str, str], ...] = ()
    meta: dict = field(default_factory=dict)
    """Anything the caller wants carried along (e.g. the view name); not used here."""


def is_total_label(value: object) -> bool:
    """True for a group label such as 'All' or 'Total' that marks a total row."""
    return isinstance(value, str) and value.strip().lower() in TOTAL_LABELS


def _number(value: object) -> float | None:
    """A finite float, or None for missing, symbols and non-numbers."""
    if value is None or isinstance(value, bool | str):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def is_small(value: object, limit: int) -> bool:
    """True for a count of people that must be hidden: more than zero and under the threshold."""
    number = _number(value)
    return number is not None and 0 < number < limit


def _key_columns(df: pd.DataFrame, measures: set[str]) -> list[str]:
    """Columns that identify a row (labels, dates), i.e. every column that is not a figure."""
    return [c for c in df.columns if c not in measures and not pd.api.types.is_numeric_dtype(df[c])]


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _row_conditions(table: Table, row: pd.Series, keys: Sequence[str]) -> dict[str, str]:
    """What a row counts: the table's filters plus the row's labels (a total label means 'any')."""
    cond = {col: str(val) for col, val in table.filters}
    for col in keys:
        value = row[col]
        if col in table.by and is_total_label(value):
            continue
        cond[col] = _text(value)
    return cond


def _cell(column: str, cond: Mapping[str, str], implied: Implied | None = None) -> CellKey:
    """A cell's identity: the column and the conditions defining its group, minus any implied by another."""
    pairs = set(cond.items())
    if implied:
        for pair in list(pairs):
            pairs.difference_update(p for p in implied.get(pair, ()) if p != pair)
    return (column, frozenset(pairs))


@dataclass
class _Relation:
    """A shown or implied total and the cells that add up to it."""

    total: CellKey
    cells: list[CellKey]


def _index(tables: Sequence[Table], people: set[str], measures: set[str], implied: Implied | None):
    """Every people-count cell's value, and every sum relation between cells, across all tables."""
    values: dict[CellKey, float] = {}
    relations: dict[tuple, _Relation] = {}
    for table in tables:
        df = table.df
        keys = _key_columns(df, measures)
        cols = [c for c in df.columns if c in people]
        if not cols or df.empty:
            continue
        conds = [_row_conditions(table, row, keys) for _, row in df.iterrows()]
        for col in cols:
            for cond, value in zip(conds, df[col].tolist(), strict=True):
                number = _number(value)
                if number is not None:
                    values.setdefault(_cell(col, cond, implied), number)
        additive = [b for b in table.by if b in keys and b.lower() not in NON_ADDITIVE_KEYS]
        for dim in additive:
            groups: dict[frozenset, list[dict[str, str]]] = {}
            for cond, (_, row) in zip(conds, df.iterrows(), strict=True):
                if is_total_label(row[dim]):
                    continue
                margin = frozenset((k, v) for k, v in cond.items() if k != dim)
                groups.setdefault(margin, []).append(cond)
            for margin, members in groups.items():
                for col in cols:
                    total = _cell(col, dict(margin), implied)
                    cells = [_cell(col, c, implied) for c in members]
                    relations.setdefault((total, frozenset(cells)), _Relation(total, cells))
    return values, list(relations.values())


def hidden_cells(tables: Sequence[Table], people_columns: Iterable[str], limit: int | None = None,
                 measures: Iterable[str] = (), implied: Implied | None = None) -> set[CellKey]:
    """The people-count cells to hide (primary and secondary) across a set of related tables."""
    limit = threshold() if limit is None else limit
    people = set(people_columns)
    values, relations = _index(tables, people, people | set(measures), implied)
    hidden = {key for key, value in values.items() if 0 < value < limit}
    changed = True
    while changed:
        changed = False
        for rel in relations:
            members = [rel.total, *rel.cells]
            if sum(1 for m in members if m in hidden) != 1:
                continue
            candidates = [c for c in rel.cells if c not in hidden and values.get(c, 0) > 0]
            if candidates:
                hidden.add(min(candidates, key=lambda c: (values[c], sorted(c[1]))))
            elif rel.total not in hidden and rel.total in values:
                hidden.add(rel.total)
            else:
                continue
            changed = True
    return hidden


Bases = str | tuple[str, ...]
"""The people count(s) a rate, average or median is built on: it is hidden when any of them is."""


def bases_of(base: Bases) -> tuple[str, ...]:
    """The count columns of a rate's base, as a tuple."""
    return (base,) if isinstance(base, str) else tuple(base)


def apply(table: Table, hidden: set[CellKey], people_columns: Iterable[str],
          rate_columns: Mapping[str, Bases], limit: int | None = None, implied: Implied | None = None) -> pd.DataFrame:
    """A copy of the table's DataFrame with hidden counts, and the rates built on them, shown as `c`."""
    limit = threshold() if limit is None else limit
    people = [c for c in people_columns if c in table.df.columns]
    rates = {r: base for r, base in rate_columns.items() if r in table.df.columns}
    measures = set(people) | set(rates) | set(people_columns)
    df = table.df.copy()
    keys = _key_columns(df, measures)
    out = {col: df[col].astype(object).tolist() for col in [*people, *rates]}
    for i, (_, row) in enumerate(df.iterrows()):
        cond = _row_conditions(table, row, keys)
        for col in people:
            if _cell(col, cond, implied) in hidden or is_small(row[col], limit):
                out[col][i] = SYMBOL
        for col, base in rates.items():
            if any(b in df.columns and (_cell(b, cond, implied) in hidden or is_small(row[b], limit))
                   for b in bases_of(base)):
                out[col][i] = SYMBOL
    for col, cells in out.items():
        if any(v == SYMBOL for v in cells):
            df[col] = pd.Series(cells, index=df.index, dtype=object)
    return df


def suppress_tables(tables: Sequence[Table], people_columns: Iterable[str], rate_columns: Mapping[str, Bases],
                    limit: int | None = None, implied: Implied | None = None) -> list[pd.DataFrame]:
    """Suppress a set of related tables together (the same View for every filter and grouping).

    `implied` says which group labels imply others (a team belongs to one service area), so the
    same people counted in two tables are recognised as one cell.
    """
    people = tuple(people_columns)
    wide = [Table(to_wide(t.df), t.by, t.filters, t.meta) if is_long(t.df) else t for t in tables]
    hidden = hidden_cells(wide, people, limit, measures=rate_columns.keys(), implied=implied)
    out = []
    for original, table in zip(tables, wide, strict=True):
        frame = apply(table, hidden, people, rate_columns, limit, implied)
        out.append(to_long(frame, original.df) if table is not original else frame)
    return out


def suppress_frame(df: pd.DataFrame, people_columns: Iterable[str], rate_columns: Mapping[str, Bases] | None = None,
                   by: Sequence[str] = (), filters: Sequence[tuple[str, str]] = (),
                   limit: int | None = None) -> pd.DataFrame:
    """Suppress one table on its own (its cut columns `by` add up to a total that is assumed shown)."""
    table = Table(df=df, by=tuple(by), filters=tuple(filters))
    return suppress_tables([table], people_columns, dict(rate_columns or {}), limit)[0]


def is_suppressed(value: object) -> bool:
    """True for a cell shown as `c`."""
    return isinstance(value, str) and value == SYMBOL


def numeric(df: pd.DataFrame, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """A copy with `c` cells turned into missing values, for charts that need numbers (tables keep `c`)."""
    out = df.copy()
    for col in columns if columns is not None else out.columns:
        if col in out.columns and out[col].dtype == object and out[col].map(is_suppressed).any():
            out[col] = pd.to_numeric(out[col].where(~out[col].map(is_suppressed)), errors="coerce")
    return out


LONG_FIGURE, LONG_VALUE = "figure", "value"


def is_long(df: pd.DataFrame) -> bool:
    """True for a long-form series (columns `figure` and `value`, one row per figure per group)."""
    return LONG_FIGURE in df.columns and LONG_VALUE in df.columns


def to_wide(df: pd.DataFrame) -> pd.DataFrame:
    """A long-form series as one column per figure (keys kept), so counts sit beside the rates built on them."""
    keys = [c for c in df.columns if c not in (LONG_FIGURE, LONG_VALUE)]
    if df.empty:
        return df[keys].copy()
    wide = df.pivot_table(index=keys, columns=LONG_FIGURE, values=LONG_VALUE, aggfunc="first", dropna=False,
                          sort=False, observed=True)
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index()


def to_long(wide: pd.DataFrame, original: pd.DataFrame) -> pd.DataFrame:
    """Back to the original long form and row order, with the (possibly `c`) values from `wide`."""
    keys = [c for c in original.columns if c not in (LONG_FIGURE, LONG_VALUE)]
    if original.empty:
        return original.copy()
    figures = [c for c in wide.columns if c not in keys]
    long = wide.astype({f: object for f in figures}).melt(id_vars=keys, value_vars=figures,
                                                          var_name=LONG_FIGURE, value_name="_v")
    merged = original.drop(columns=[LONG_VALUE]).reset_index(drop=True)
    merged["_order"] = range(len(merged))
    for k in keys:  # join on text, so dates and categories match
        merged[f"_k_{k}"] = merged[k].astype(str)
        long[f"_k_{k}"] = long[k].astype(str)
    long = long.drop(columns=keys)
    out = merged.merge(long, on=[*(f"_k_{k}" for k in keys), LONG_FIGURE], how="left").sort_values("_order")
    values = out["_v"].tolist()
    result = original.copy()
    if any(is_suppressed(v) for v in values):
        result[LONG_VALUE] = pd.Series(values, index=original.index, dtype=object)
    return result
