"""Small-number suppression for shared views: pure functions over DataFrames, no Streamlit.

Primary suppression: a count of people from 1 to threshold − 1 is shown as `c`
(the DfE symbol for confidential), and so is every rate, share, average or
median built on it: a table's `rates` say which counts each derived column
rests on — its numerator *and* its denominator (a rate times a shown
denominator would otherwise give the hidden numerator back). Zero is shown:
"nobody" discloses nothing about an individual.

Secondary suppression: the cells of every table published together are one
model (sharing.cells): a cell is identified by what it counts, so it is hidden
in every table that prints it, and totals add up along every additive
dimension — grouping columns (service area, team, role, grade, and both
margins of a two-way table), category columns (leaving reason,
length-of-service band, pay quartile) and sex (men and women of a quartile add
up to the quartile, whose size everyone can work out). While a sum has exactly
one hidden member, the smallest shown part is hidden too (the total when no
part can be). A total no table prints but that could be worked out (a
group's leavers summed over reasons) counts as shown; if it must be hidden,
the shares of it are hidden.

Then the disclosure audit (sharing.audit) attacks the result as an outsider
would — solving every sum and every shown rate and share for the hidden cells —
and any cell it can pin down to within ±1 gets a neighbour hidden, until the
audit finds nothing (`protect`).

Secondary suppression across linked tables is what τ-ARGUS does for
statistical offices (pytauargus); it was considered and not used: it protects
additive tables, while here rates and shares on the same people, implicit
totals and cells shared between views are the ways in, and our own audit
checks exactly those.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

import pandas as pd

import settings as app_settings
from sharing.cells import (
    LONG_FIGURE,
    LONG_VALUE,
    NON_ADDITIVE_KEYS,  # noqa: F401 - re-exported
    TOTAL_LABELS,  # noqa: F401 - re-exported
    Bases,
    CellKey,
    Implied,
    Model,
    Table,
    bases_of,
    build_model,
    is_long,
    is_total_label,  # noqa: F401 - re-exported
    key_columns,
    number,
    row_conditions,
    wide,
)
from sharing.cells import cell_key as _cell_key
from sharing.cells import measure_of as _measure_of

SYMBOL = "c"
"""DfE symbol for a confidential (suppressed) figure."""

DEFAULT_THRESHOLD = 5
AUDIT_ROUNDS = 25
"""Rounds of 'audit, then hide a neighbour of each recoverable cell' before giving up."""

__all__ = ["SYMBOL", "Table", "apply", "bases_of", "hidden_cells", "is_small", "is_suppressed", "note", "numeric",
           "protect", "suppress_frame", "suppress_tables", "threshold", "to_long", "to_wide"]


def threshold() -> int:
    """Counts of people under this are suppressed: [sharing] suppression_threshold, default 5."""
    return int(app_settings.section("sharing").get("suppression_threshold", DEFAULT_THRESHOLD))


def note(limit: int | None = None) -> str:
    """The sentence to show beside every suppressed view, table, chart and download."""
    n = threshold() if limit is None else limit
    return (
        f"To protect individuals, counts of fewer than {n} people, and any rate, share, average or median based on "
        f"them, are shown as “{SYMBOL}” (confidential); a few other figures are also shown as “{SYMBOL}” so that "
        "a hidden figure cannot be worked out from a total or a rate. Pay figures are rounded (salaries to the "
        "nearest £100)."
    )


def is_small(value: object, limit: int) -> bool:
    """True for a count of people that must be hidden: more than zero and under the threshold."""
    got = number(value)
    return got is not None and 0 < got < limit


def is_suppressed(value: object) -> bool:
    """True for a cell shown as `c`."""
    return isinstance(value, str) and value == SYMBOL


# ── choosing the hidden cells ─────────────────────────────────────────────────


def _primary(model: Model, limit: int) -> set[CellKey]:
    return {key for key, values in model.values.items() if any(0 < v < limit for v in values)}


def _secondary(model: Model, hidden: set[CellKey]) -> None:
    """Hide cells until no sum has exactly one hidden member (in place)."""
    by_cell = model.relations_of()
    queue = list(range(len(model.relations)))
    queued = set(queue)
    while queue:
        index = queue.pop()
        queued.discard(index)
        rel = model.relations[index]
        members = (rel.total, *rel.parts)
        if sum(1 for m in members if m in hidden) != 1:
            continue
        pick = _candidate(model, rel, hidden)
        if pick is None:
            continue
        hidden.add(pick)
        for other in by_cell.get(pick, ()):
            if other not in queued:
                queue.append(other)
                queued.add(other)


def _candidate(model: Model, rel, hidden: set[CellKey]) -> CellKey | None:
    """The next cell to hide in a sum: the smallest shown positive part, else the total."""
    parts = [p for p in rel.parts if p not in hidden and (model.value(p) or 0) > 0]
    if parts:
        return min(parts, key=lambda p: (model.value(p), sorted(p[1]), p[0]))
    if rel.total not in hidden and (model.value(rel.total) or 0) > 0:
        return rel.total
    return None


def hidden_cells(tables: Sequence[Table], people_columns: Iterable[str] = (), limit: int | None = None,
                 measures: Iterable[str] = (), implied: Implied | None = None) -> set[CellKey]:
    """The count cells to hide (primary and secondary) across a set of related tables (no audit)."""
    limit = threshold() if limit is None else limit
    model = build_model([_declare(t, people_columns) for t in tables], implied)
    hidden = _primary(model, limit)
    _secondary(model, hidden)
    return hidden


def _declare(table: Table, people_columns: Iterable[str] = (), rates: Mapping[str, Bases] | None = None) -> Table:
    """The table in wide form, with its people columns and rates filled in when it did not say them."""
    people = tuple(table.people) or tuple(c for c in people_columns)
    if is_long(table.df):
        present = set(map(str, table.df[LONG_FIGURE].unique()))
    else:
        present = set(map(str, table.df.columns))
    people = tuple(c for c in dict.fromkeys(people) if c in present)
    merged = {**(rates or {}), **table.rates}
    return wide(replace(table, people=people, rates={r: b for r, b in merged.items() if r in present}))


def protect(tables: Sequence[Table], limit: int | None = None, implied: Implied | None = None,
            audit: bool = True) -> tuple[list[pd.DataFrame], list]:
    """Suppress a set of tables published together; (suppressed frames, findings the audit still has).

    Primary and secondary suppression, then rounds of the disclosure audit: each
    cell it can recover gets the smallest shown neighbour in one of its sums
    hidden, until it finds nothing (or AUDIT_ROUNDS pass; the findings are then
    returned, and a publisher must refuse to publish). The rounds attack the
    chosen hidden cells directly; the drawn tables are then attacked afresh
    (sharing.audit.attack), which is the verdict returned.
    """
    from sharing import audit as auditor

    limit = threshold() if limit is None else limit
    declared = [_declare(t) for t in tables]
    model = build_model(declared, implied)
    plans = [_Plan(t, implied) for t in declared]
    _derive(model, plans)
    hidden = _primary(model, limit)
    _secondary(model, hidden)
    findings: list = []
    frames: list[pd.DataFrame] = []
    memo: dict = {}
    for plan in plans:
        plan.note_small(model, limit)
    for _ in range(AUDIT_ROUNDS if audit else 1):
        if os.environ.get("WORKFORCE_LENS_DEBUG_SUPPRESS"):
            print("round", len(hidden), len(findings), flush=True)
        if audit:
            shown_rates = [r for plan in plans for r in plan.rates if not plan.hides(r, model, hidden, limit)]
            findings = auditor.attack_hidden(model, hidden, shown_rates, limit, memo)
        if not findings:
            frames = [plan.render(model, hidden, limit) for plan in plans]
            if not audit:
                break
            findings = auditor.attack([replace(t, df=df) for t, df in zip(declared, frames, strict=True)], limit,
                                      implied)
            if not findings:
                break
        grew = False
        by_cell = model.relations_of()
        for finding in findings:
            grew |= _widen(model, hidden, finding.cell, by_cell)
        _secondary(model, hidden)
        if not grew:
            frames = [plan.render(model, hidden, limit) for plan in plans]
            break
    if not frames:
        frames = [plan.render(model, hidden, limit) for plan in plans]
    return [_restore(f, original.df, d) for f, original, d in zip(frames, tables, declared, strict=True)], findings


class _Plan:
    """Where each count and each rate of one (wide) table sits, as cells: drawing a choice of hidden cells is then
    a matter of looking them up."""

    def __init__(self, table: Table, implied: Implied | None) -> None:
        from sharing import audit as auditor

        self.table = table
        df = table.df
        self.people = [c for c in table.people if c in df.columns]
        self.cells: dict[str, list[CellKey]] = {c: [] for c in self.people}
        self.rates = auditor.rate_rows(table, implied) if not df.empty else []
        if df.empty or not self.people:
            return
        keys = key_columns(table, set(self.people) | set(table.rates))
        records = df[keys].to_dict("records") if keys else [{}] * len(df)
        for row in records:
            cond = row_conditions(table, row, keys)
            for col in self.people:
                name, extra = _measure_of(table, col)
                self.cells[col].append(_cell_key(name, {**cond, **dict(extra)}, implied))

    def note_small(self, model: Model, limit: int) -> None:
        """Remember which rates rest on a small count (that never changes; only the hidden cells do)."""
        self._small = {id(r) for r in self.rates if any(is_small(model.value(k), limit) for k in r.bases)}

    def hides(self, rate, model: Model, hidden: set[CellKey], limit: int) -> bool:
        """True when a rate must be shown as `c`: a cell it rests on is hidden or small."""
        small = getattr(self, "_small", None)
        if small is not None:
            return id(rate) in small or any(k in hidden for k in rate.bases)
        return any(k in hidden or is_small(model.value(k), limit) for k in rate.bases)

    def render(self, model: Model, hidden: set[CellKey], limit: int) -> pd.DataFrame:
        """The table with hidden counts, and every rate resting on one, as `c`."""
        df = self.table.df.copy()
        out: dict[str, list] = {}
        for col in self.people:
            raw = df[col].tolist()
            marks = [i for i, key in enumerate(self.cells[col]) if key in hidden or is_small(raw[i], limit)]
            if marks:
                for i in marks:
                    raw[i] = SYMBOL
                out[col] = raw
        for rate in self.rates:
            if self.hides(rate, model, hidden, limit):
                if rate.column not in out:
                    out[rate.column] = df[rate.column].tolist()
                out[rate.column][rate.pos] = SYMBOL
        for col, values in out.items():
            df[col] = pd.Series(values, index=df.index, dtype=object)
        return df


def _derive(model: Model, plans: Sequence[_Plan]) -> None:
    """Cells no table prints but a shown rate would give away (rate × denominator), added with their values.

    E.g. the share of staff with under two years' service, times the headcount,
    is the number of them: when that number is small, the share must be hidden.
    """
    for plan in plans:
        for rate in plan.rates:
            if len(rate.numerator) != 1 or not rate.denominator:
                continue
            (key,) = rate.numerator
            if key in model.values:
                continue
            parts = [model.value(k) for k in rate.denominator]
            if all(v is not None for v in parts):
                model.values[key] = [round(rate.value * sum(parts), 6)]
                model.implicit.add(key)


def _widen(model: Model, hidden: set[CellKey], cell: CellKey, by_cell: Mapping[CellKey, list[int]] | None = None,
           depth: int = 4) -> bool:
    """Hide one more cell near a recoverable one: the smallest shown part of a sum it is in, else of a sum one of
    that sum's hidden cells is in, and so on outwards (the cell itself when it is not hidden yet)."""
    if cell not in hidden and cell in model.values:
        hidden.add(cell)
        return True
    by_cell = model.relations_of() if by_cell is None else by_cell
    ring, seen_cells, seen_relations = {cell}, {cell}, set()
    for _ in range(depth):
        best = None
        next_ring: set[CellKey] = set()
        for member in ring:
            for index in by_cell.get(member, ()):
                if index in seen_relations:
                    continue
                seen_relations.add(index)
                rel = model.relations[index]
                pick = _candidate(model, rel, hidden)
                if pick is not None and (best is None or (model.value(pick) or 0) < (model.value(best) or 0)):
                    best = pick
                next_ring.update(m for m in (rel.total, *rel.parts) if m in hidden and m not in seen_cells)
        if best is not None:
            hidden.add(best)
            return True
        seen_cells |= next_ring
        ring = next_ring
        if not ring:
            break
    return False


def _restore(frame: pd.DataFrame, original: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Back to the original (long) form when the table was a long series."""
    return to_long(frame, original) if is_long(original) else frame


# ── the earlier interface (one view's tables; a single frame) ────────────────


def apply(table: Table, hidden: set[CellKey], people_columns: Iterable[str],
          rate_columns: Mapping[str, Bases], limit: int | None = None, implied: Implied | None = None) -> pd.DataFrame:
    """A copy of the table's DataFrame with hidden counts, and the rates built on them, shown as `c`."""
    limit = threshold() if limit is None else limit
    declared = _declare(table, people_columns, rate_columns)
    model = build_model([declared], implied)
    return _restore(_Plan(declared, implied).render(model, hidden, limit), table.df, declared)


def suppress_tables(tables: Sequence[Table], people_columns: Iterable[str], rate_columns: Mapping[str, Bases],
                    limit: int | None = None, implied: Implied | None = None) -> list[pd.DataFrame]:
    """Suppress a set of related tables together (people columns and rates given for all of them)."""
    people = tuple(people_columns)
    filled = [replace(t, people=tuple(t.people) or people, rates={**rate_columns, **t.rates}) for t in tables]
    frames, _ = protect(filled, limit, implied)
    return frames


def suppress_frame(df: pd.DataFrame, people_columns: Iterable[str], rate_columns: Mapping[str, Bases] | None = None,
                   by: Sequence[str] = (), filters: Sequence[tuple[str, str]] = (),
                   limit: int | None = None) -> pd.DataFrame:
    """Suppress one table on its own (its cut columns `by` add up to a total that is assumed shown)."""
    table = Table(df=df, by=tuple(by), filters=tuple(filters))
    return suppress_tables([table], people_columns, dict(rate_columns or {}), limit)[0]


def numeric(df: pd.DataFrame, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """A copy with `c` cells turned into missing values, for charts that need numbers (tables keep `c`)."""
    out = df.copy()
    for col in columns if columns is not None else out.columns:
        if col in out.columns and out[col].dtype == object and out[col].map(is_suppressed).any():
            out[col] = pd.to_numeric(out[col].where(~out[col].map(is_suppressed)), errors="coerce")
    return out


def to_wide(df: pd.DataFrame) -> pd.DataFrame:
    """A long-form series as one column per figure (keys kept)."""
    return wide(Table(df)).df


def to_long(wide_frame: pd.DataFrame, original: pd.DataFrame) -> pd.DataFrame:
    """Back to the original long form and row order, with the (possibly `c`) values from `wide_frame`."""
    keys = [c for c in original.columns if c not in (LONG_FIGURE, LONG_VALUE)]
    if original.empty:
        return original.copy()
    figures = [c for c in wide_frame.columns if c not in keys]
    long = wide_frame.astype({f: object for f in figures}).melt(id_vars=keys, value_vars=figures,
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
