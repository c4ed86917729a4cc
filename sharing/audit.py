"""Disclosure audit: attack published tables the way an outsider would, and list every hidden cell that falls.

The attacker sees only what is published (every table of a snapshot, or of a
committee pack) and knows how each figure is defined (the methodology page is
public). The audit tries, for every cell shown as `c`:

- **shown elsewhere**: the same cell printed as a number in another table;
- **totals minus listed parts**, along every additive dimension: grouping
  columns (service area, team, role, grade, both margins of a role × grade
  table) and category columns (leaving reason, length-of-service band, pay
  quartile, sex) — including totals no table prints but a share or another
  view gives away (sharing.cells);
- **rate × denominator and share × total**: every shown rate or share of
  counts is an equation between its numerator and denominator cells
  (`leavers = turnover × headcount`; `total = count ÷ share`);
- **complements**: men and women of a pay quartile add up to the quartile
  (`men = women ÷ women's share − women`);

and solves the whole system (a linear programme per connected group of cells:
the smallest and largest value each hidden cell can take, counts at least 0).
A hidden cell the attacker can pin to an interval of width 2 or less (its
value to within ±1) is a finding (the programmes are solved by HiGHS, the solver
τ-ARGUS uses). Independent rule checks add: a count of 1 to
threshold − 1 printed as a number; a rate, share, average or median printed
while a count it rests on is hidden or small; pay figures not rounded.

`python -m sharing.audit SNAPSHOT_ID [--path FILE]` audits a published snapshot
and prints the findings (exit 0: nothing recoverable; 1: findings; 2: no such
snapshot). The publisher runs `attack` on everything before it writes
(sharing.published), and refuses to publish while anything is found.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sharing.cells import (
    CellKey,
    Implied,
    Model,
    Table,
    base_keys,
    bases_of,
    build_model,
    key_columns,
    number,
    row_conditions,
    wide,
)
from sharing.cells import cell_key as make_key

SYMBOL = "c"
WIDTH = 2.0
"""A hidden count whose possible values span this much or less is recovered (to within ±1)."""

ATTACKER_FORMULAS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "turnover_rate_headcount": (("leavers_headcount",), ("headcount_in_post",)),
    "agency_rate_headcount": (("agency_headcount",), ("agency_headcount", "headcount_in_post")),
    "share_over_12_months": (("agency_over_12_months",), ("agency_headcount",)),
    "men_share": (("men",), ("men", "women")),
    "women_share": (("women",), ("men", "women")),
    "share": (("{count}",), ("total:{count}",)),
    "share_under_2_years_service": (("headcount_in_post[band=Under 2 years]",), ("headcount_in_post",)),
}
"""What a published rate or share of counts is, as the methodology page tells anyone: column → (numerator,
denominator), each a sum of bases (sharing.cells.Bases; `{count}` is the table's first count column)."""

MONEY_STEPS: dict[str, float] = {"median_salary": 100.0, "market_median_salary": 1.0}
"""Pay columns and the rounding a published value must show (a multiple of the step)."""


@dataclass(frozen=True)
class Finding:
    """One hidden cell an attacker can work out (or one rule broken), and how."""

    cell: CellKey
    how: str
    """'shown elsewhere', 'sums', 'rate', 'small count shown', 'rate on a hidden count', 'money'."""
    low: float | None = None
    high: float | None = None
    where: str = ""
    """The table it was printed in, in words."""

    def sentence(self) -> str:
        """The finding in words, e.g. 'leavers_headcount (as_of=…, team=Duty): between 2 and 3, from sums'."""
        measure, cond = self.cell
        what = ", ".join(f"{k}={v}" for k, v in sorted(cond))
        span = ""
        if self.low is not None and self.high is not None:
            span = f": {self.low:g}" if self.low == self.high else f": between {self.low:g} and {self.high:g}"
        place = f" [{self.where}]" if self.where else ""
        return f"{measure} ({what}){span}, {self.how}{place}"


def _where(table: Table) -> str:
    parts = [table.view or "table"]
    if table.by:
        parts.append("by " + ", ".join(table.by))
    if table.filters:
        parts.append("; ".join(f"{c}={v}" for c, v in table.filters))
    if table.as_of:
        parts.append(f"as of {table.as_of}")
    return " · ".join(parts)


def _hidden_places(tables: Sequence[Table], model: Model) -> dict[CellKey, str]:
    """Printed cells shown as `c` (first table naming each)."""
    marked: dict[tuple[int, str], list] = {}
    out: dict[CellKey, str] = {}
    for key, places in model.places.items():
        for index, pos, col in places:
            values = marked.get((index, col))
            if values is None:
                values = marked[(index, col)] = tables[index].df[col].tolist()
            if isinstance(values[pos], str) and values[pos] == SYMBOL:
                out.setdefault(key, _where(tables[index]))
                break
    return out


def _formula_bases(table: Table, column: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    formula = ATTACKER_FORMULAS.get(column)
    if formula is None:
        return None
    first = next((c for c in table.people if c in table.df.columns), None)
    if any("{count}" in spec for part in formula for spec in part):
        if first is None:
            return None
        formula = tuple(tuple(spec.replace("{count}", first) for spec in part) for part in formula)
    return formula


def attack(tables: Sequence[Table], limit: int, implied: Implied | None = None) -> list[Finding]:
    """Every hidden cell of these published tables that an outsider can recover (and every rule broken)."""
    tables = [wide(t) for t in tables]
    model = build_model(tables, implied)
    hidden = _hidden_places(tables, model)
    findings: list[Finding] = []
    for key, where in hidden.items():
        if key in model.values:
            findings.append(Finding(key, "shown elsewhere", model.value(key), model.value(key), where))
    for key, values in model.values.items():
        if key not in model.implicit and any(0 < v < limit for v in values):
            findings.append(Finding(key, "small count shown", min(values), min(values)))
    equations: list[tuple[dict[CellKey, float], float]] = []
    for table in tables:
        findings += _row_rules(table, model, hidden, limit, implied, equations)
    for rel in model.relations:
        equations.append(({rel.total: 1.0, **{p: -1.0 for p in rel.parts}}, 0.0))
    findings += _solve(model, hidden, equations, limit)
    return _unique(findings)


def _unique(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        marker = (f.cell, f.how)
        if marker not in seen:
            seen.add(marker)
            out.append(f)
    return out


@dataclass(frozen=True)
class RateRow:
    """One shown rate of one row: its value, the cells it rests on, and its equation when it is a rate of counts."""

    column: str
    value: float
    bases: tuple[CellKey, ...]
    numerator: tuple[CellKey, ...] = ()
    denominator: tuple[CellKey, ...] = ()
    cond: tuple = ()
    pos: int = 0
    """The row's position in its table."""


def rate_rows(table: Table, implied: Implied | None = None, extra: Sequence[str] = ()) -> list[RateRow]:
    """Every shown rate, share, average or median of a (wide) table, with the cells it rests on.

    Bases are the table's own declaration plus what the attacker knows of the
    formula (ATTACKER_FORMULAS); `extra` adds columns to look at (e.g. pay).
    """
    df = table.df
    people = [c for c in table.people if c in df.columns]
    rate_cols = [c for c in df.columns if c not in people and (c in table.rates or c in ATTACKER_FORMULAS
                                                               or c in extra)]
    if df.empty or not rate_cols:
        return []
    keys = key_columns(table, set(people) | set(rate_cols))
    records = df[keys].to_dict("records") if keys else [{}] * len(df)
    columns = {c: df[c].tolist() for c in rate_cols}
    formulas = {c: _formula_bases(table, c) for c in rate_cols}
    out: list[RateRow] = []
    for pos, row in enumerate(records):
        cond = None
        cells: dict[str, list[CellKey]] = {}  # this row's cells by base (rates of a row share their bases)
        for col in rate_cols:
            value = number(columns[col][pos])
            if value is None:
                continue
            if cond is None:
                cond = row_conditions(table, row, keys)
            declared = _cells_of(table, cond, bases_of(table.rates.get(col, ())), implied, cells)
            formula = formulas[col]
            numerator: list[CellKey] = []
            denominator: list[CellKey] = []
            if formula is not None:
                numerator = _cells_of(table, cond, formula[0], implied, cells)
                denominator = _cells_of(table, cond, formula[1], implied, cells)
            bases = tuple(dict.fromkeys([*declared, *numerator, *denominator]))
            out.append(RateRow(col, value, bases, tuple(numerator), tuple(denominator), tuple(sorted(cond.items())),
                               pos))
    return out


def _cells_of(table: Table, cond: dict[str, str], specs: Sequence[str], implied: Implied | None,
              cells: dict[str, list[CellKey]]) -> list[CellKey]:
    """The cells these bases name for one row, each base worked out once per row (`cells` remembers them)."""
    found: list[CellKey] = []
    for spec in specs:
        if spec not in cells:
            cells[spec] = base_keys(table, cond, spec, implied)
        found += cells[spec]
    return found


def _row_rules(table: Table, model: Model, hidden: dict[CellKey, str], limit: int, implied: Implied | None,
               equations: list) -> list[Finding]:
    """Per row: rates shown over hidden or small counts (a finding), shown rates of counts (an equation), pay."""
    out: list[Finding] = []
    where = _where(table)
    for rate in rate_rows(table, implied, extra=tuple(MONEY_STEPS)):
        for key in rate.bases:
            known = model.value(key)
            if key in hidden and known is None:
                out.append(Finding(key, f"rate on a hidden count ({rate.column} is shown)", where=where))
            elif known is not None and 0 < known < limit:
                out.append(Finding(key, f"rate on a small count ({rate.column} is shown)", known, known, where))
        if rate.numerator or rate.denominator:
            equations.append(equation(rate))
        step = MONEY_STEPS.get(rate.column)
        if step and step > 1 and abs(rate.value / step - round(rate.value / step)) > 1e-9:
            out.append(Finding(make_key(rate.column, dict(rate.cond), implied),
                               f"pay not rounded to the nearest £{step:,.0f}", rate.value, rate.value, where))
    return out


def equation(rate: RateRow) -> tuple[dict[CellKey, float], float]:
    """A shown rate of counts as an equation: numerator − rate × denominator = 0."""
    coeffs: dict[CellKey, float] = {}
    for key in rate.numerator:
        coeffs[key] = coeffs.get(key, 0.0) + 1.0
    for key in rate.denominator:
        coeffs[key] = coeffs.get(key, 0.0) - rate.value
    return coeffs, 0.0


def attack_hidden(model: Model, hidden: set[CellKey], rates: Sequence[RateRow], limit: int,
                  memo: dict | None = None) -> list[Finding]:
    """The sums-and-rates attack on a choice of hidden cells, before any table is drawn (the suppressor's loop).

    `model` holds every cell's true value; the attacker knows the printed cells
    that are not hidden, and an equation for each rate in `rates` (those shown).
    `memo` keeps each group of cells' answer between calls (it changes only when
    a cell of the group does). `attack` on the drawn tables remains the last word.
    """
    known = Model(values={k: v for k, v in model.values.items() if k in model.places and k not in hidden},
                  relations=model.relations, places=model.places)
    printed_hidden = {k: "" for k in hidden if k in model.places}
    equations = [equation(r) for r in rates if r.numerator or r.denominator]
    equations += [({rel.total: 1.0, **{p: -1.0 for p in rel.parts}}, 0.0) for rel in model.relations]
    return _solve(known, printed_hidden, equations, limit, memo)


BIG = 1e7
"""Upper bound on any count (keeps every programme bounded; no council has ten million staff)."""


def _solve(model: Model, hidden: dict[CellKey, str], equations: list, limit: int,
           memo: dict | None = None) -> list[Finding]:
    """Bounds of each unknown cell from every equation (a linear programme per connected group of unknowns)."""
    rows: list[tuple[dict[CellKey, float], float]] = []
    for coeffs, rhs in equations:
        unknown: dict[CellKey, float] = {}
        constant = rhs
        for key, coef in coeffs.items():
            if coef == 0:
                continue
            known = model.value(key)
            if known is None:
                unknown[key] = unknown.get(key, 0.0) + coef
            else:
                constant -= coef * known
        unknown = {k: c for k, c in unknown.items() if abs(c) > 1e-12}
        if unknown:
            rows.append((unknown, constant))
    index: dict[CellKey, int] = {}
    for unknown, _ in rows:
        for key in unknown:
            index.setdefault(key, len(index))
    parent = list(range(len(index)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for unknown, _ in rows:
        ids = [index[k] for k in unknown]
        for other in ids[1:]:
            a, b = find(ids[0]), find(other)
            if a != b:
                parent[a] = b
    groups: dict[int, list[int]] = {}
    for row_id, (unknown, _) in enumerate(rows):
        groups.setdefault(find(index[next(iter(unknown))]), []).append(row_id)
    keys = list(index)
    findings: list[Finding] = []
    solver = _Solver()
    for row_ids in groups.values():
        members = sorted({index[k] for r in row_ids for k in rows[r][0]})
        # printed hidden cells, and totals nobody prints (a finding only if they come out small)
        targets = [g for g in members if keys[g] in hidden or keys[g] not in model.places]
        if not targets:
            continue
        local = {g: i for i, g in enumerate(members)}
        system = [({local[index[k]]: c for k, c in rows[r][0].items()}, rows[r][1]) for r in row_ids]
        signature = None
        if memo is not None:
            signature = (tuple(keys[g] for g in members), tuple(local[g] for g in targets),
                         tuple((tuple(sorted(eq.items())), round(rhs, 9)) for eq, rhs in system))
        answer = memo.get(signature) if memo is not None else None
        if answer is None:
            answer = solver.bounds(system, len(members), [local[g] for g in targets], {local[g]: g for g in targets})
            answer = {keys[g]: b for g, b in answer.items()}
            if memo is not None:
                memo[signature] = answer
        for key, (low, high) in answer.items():
            low, high = math.ceil(low - 1e-6), math.floor(high + 1e-6)
            if high - low > WIDTH or high <= 0:
                continue  # wide enough, or nobody (zero is published openly: it discloses no one)
            if key in hidden:
                findings.append(Finding(key, "sums and rates", low, high, hidden[key]))
            elif 0 < high < limit or 0 < low < limit:
                findings.append(Finding(key, "small total worked out from sums and rates", low, high))
    return findings


class _Solver:
    """Smallest and largest value of chosen unknowns of a linear system (counts: 0 ≤ x ≤ BIG).

    One equation is solved by hand. Otherwise HiGHS: a few cheap objectives first
    give feasible points, and an unknown seen to vary by more than the width
    between them needs no programme of its own; the rest get two (min and max).
    """

    def __init__(self) -> None:
        self._rng = np.random.default_rng(0)

    def bounds(self, system: list[tuple[dict[int, float], float]], n: int, targets: list[int],
               names: dict[int, int]) -> dict[int, tuple[float, float]]:
        """{global id: (low, high)} for the targets whose interval is WIDTH or less (others are left out)."""
        if len(system) == 1:
            return {names[t]: b for t, b in self._one(system[0], targets).items()}
        highs = _highs(system, n)
        points: list[np.ndarray] = []
        for cost in (np.ones(n), -np.ones(n), self._rng.choice([-1.0, 1.0], n)):
            got = _run(highs, cost)
            if got is None:
                return {}
            points.append(got)
        out: dict[int, tuple[float, float]] = {}
        for t in targets:
            values = [p[t] for p in points]
            if max(values) - min(values) > WIDTH + 1e-6:
                continue
            cost = np.zeros(n)
            cost[t] = 1.0
            low_point = _run(highs, cost)
            high_point = _run(highs, -cost)
            if low_point is None or high_point is None:
                continue
            points += [low_point, high_point]
            out[names[t]] = (float(low_point[t]), float(high_point[t]))
        return out

    @staticmethod
    def _one(equation: tuple[dict[int, float], float], targets: list[int]) -> dict[int, tuple[float, float]]:
        """One equation Σ a_i x_i = b, 0 ≤ x ≤ BIG: exact bounds by hand."""
        coeffs, rhs = equation
        if len(coeffs) == 1:
            ((i, a),) = coeffs.items()
            return {i: (rhs / a, rhs / a)} if i in targets else {}
        signs = {a > 0 for a in coeffs.values()}
        if len(signs) > 1:
            return {}  # a total and its parts all unknown: each can grow without end
        scale = 1.0 if True in signs else -1.0
        total = rhs * scale
        out = {}
        for i in targets:
            a = coeffs[i] * scale
            high = total / a
            if high <= WIDTH:
                out[i] = (0.0, high)
        return out


def _highs(system: list[tuple[dict[int, float], float]], n: int):
    """A HiGHS model of the system, ready to be solved for different objectives."""
    import highspy

    try:
        from highspy._core import _Highs as Highs  # the plain solver: no banner on stdout
    except ImportError:  # pragma: no cover
        Highs = highspy.Highs
    solver = Highs()
    solver.setOptionValue("output_flag", False)
    columns: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for r, (coeffs, _) in enumerate(system):
        for c, a in coeffs.items():
            columns[c].append((r, a))
    start, index, value = [0], [], []
    for col in columns:
        for r, a in col:
            index.append(r)
            value.append(a)
        start.append(len(index))
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(system)
    lp.col_cost_ = np.zeros(n)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.full(n, BIG)
    rhs = np.array([b for _, b in system], dtype=float)
    lp.row_lower_ = rhs
    lp.row_upper_ = rhs
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array(start, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=float)
    solver.passModel(lp)
    return solver


def _run(solver, cost: np.ndarray) -> np.ndarray | None:
    """Minimise cost · x; the optimal point, or None when the system has no solution (it always should)."""
    import highspy

    solver.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost.astype(float))
    solver.run()
    if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return np.asarray(solver.getSolution().col_value, dtype=float)


# ── auditing a published snapshot ─────────────────────────────────────────────


def snapshot_tables(snapshot_id: str, path=None) -> tuple[list[Table], int, Implied] | None:
    """A published snapshot's tables, declared as their Views declare them; None when there is no such snapshot."""
    from sharing import published, snapshots

    source = snapshots.open_snapshot(snapshot_id, path=path)
    if source is None:
        return None
    tables = []
    own = source.info.as_of.isoformat() if source.info.as_of else None
    for view, params, df in source.stored_tables():
        tables.append(published.declare(view, params, df, own))
    return tables, source.threshold, source.implied()


def main(argv: Sequence[str] | None = None, out=None) -> int:
    """`python -m sharing.audit SNAPSHOT_ID`: print what an attacker could recover from a published snapshot."""
    out = sys.stdout if out is None else out
    parser = argparse.ArgumentParser(prog="python -m sharing.audit", description=__doc__.split("\n")[0])
    parser.add_argument("snapshot", help="the snapshot id (the part after ?snapshot= in its link; an older id that "
                        "starts with - goes last, after --: python -m sharing.audit --path P -- -Ab3…)")
    parser.add_argument("--path", help="the snapshot database (default: [sharing] snapshot_path)")
    args = parser.parse_args(argv)
    try:
        got = snapshot_tables(args.snapshot, args.path)
    except Exception as exc:  # noqa: BLE001 - a plain sentence, never a traceback
        print(f"Could not read the snapshot: {type(exc).__name__}.", file=sys.stderr)
        return 2
    if got is None:
        print(f"No snapshot {args.snapshot!r} in that database.", file=sys.stderr)
        return 2
    tables, limit, implied = got
    findings = attack(tables, limit, implied)
    cells = sum(int((t.df.map(lambda v: isinstance(v, str) and v == SYMBOL)).to_numpy().sum()) for t in tables)
    print(f"Audited {len(tables):,} tables ({cells:,} cells shown as c), threshold {limit}.", file=out)
    if not findings:
        print("Nothing hidden can be worked out: 0 recoverable cells.", file=out)
        return 0
    print(f"{len(findings):,} finding(s):", file=out)
    for finding in findings:
        print(f"  {finding.sentence()}", file=out)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
