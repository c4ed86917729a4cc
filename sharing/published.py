"""The one door out: a Source whose every table is safe to publish.

Everything that leaves a council's own session — a published snapshot, every
download of a shared view, the committee pack — gets its tables here, so
small-number suppression is a property of the door, not of each exit.

The interface is small, for other exits to build on:

    door = published.door(live_source, as_of=None, filters=())   # cached per data
    door.get(view, params)   -> DataFrame   # suppressed (`c`), pay rounded; empty if not published
    door.tables()            -> [(view, Params, DataFrame)]   # all it publishes: what a snapshot stores
    door.findings            -> [audit.Finding]   # non-empty: refuse to publish (`door.check()` raises)
    door.is_shared, door.label, door.notes(), door.filter_options(), door.default_as_of(), door.availability()

A door publishes a *family* of tables together: every View (metrics.VIEWS) for
each of its groupings, for no filter and for each value of the shared filter
cuts ([sharing] filter_cuts) plus any filter the caller asks for, at one as-of
date (and the figure table 12 months earlier, for the tiles' change). The
whole family is suppressed at once (sharing.suppress.protect: primary,
secondary across every table, then rounds of the disclosure audit), so a cell
hidden in one table is hidden in all, and the audit's verdict covers
everything the family could print. A snapshot stores exactly `tables()`; the
committee pack and a shared view's downloads read `get()`.

Building a family computes a few hundred tables (seconds to tens of seconds),
so doors are remembered per (data, as-of date, filters).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

import settings as app_settings
from metrics.registry import Params, View
from sharing import suppress
from sharing.cells import ATTRIBUTES, LONG_FIGURE, LONG_VALUE, Implied, Table, bases_of, is_long, is_measure_column

if TYPE_CHECKING:  # pragma: no cover
    from ingest.workforce import Workforce

ProgressFn = Callable[[float, str], None]

FILTER_CUTS: tuple[str, ...] = ("service_area", "team", "role")
"""Cuts a shared view can be filtered by: one filter at a time, as the pages offer."""

AS_OF_COLUMNS: dict[str, str] = {"series": "month"}
"""Views whose rows each hold their own as-of date (a series' month), by view name."""

ROUNDING: dict[str, float] = {
    "median_salary": 100.0, "agency_annual_cost": 100.0, "median_hourly_rate": 0.5, "salary_gap": 0.005,
    "gender_pay_gap_mean": 0.001, "gender_pay_gap_median": 0.001, "mean_gap": 0.001, "median_gap": 0.001,
}
"""Pay figures as published: salaries to the nearest £100, hourly rates to 50p, pay gaps to 0.5 or 0.1 points,
so no published figure equals one person's pay."""

FORBIDDEN_COLUMNS = frozenset({
    "worker_id", "manager_id", "source_row", "annual_salary", "hourly_rate", "date_of_birth", "name",
    "first_name", "last_name", "surname", "email", "ni_number", "payroll_number", "start_date", "end_date",
    "qualified_date", "caseload", "absence_days",
})
"""Worker-level columns (identifiers and one person's values) that must never appear in a published table."""

PRIOR_VIEWS: dict[str, tuple[tuple[str, ...], ...]] = {"figures": (("service_area",),), "voice_figures": ((),)}
"""Views also published 12 months before the as-of date (the tiles' 'change against 12 months earlier')."""

KNOWN_BASES = {"starters_fte": "starters_headcount", "leavers_fte": "leavers_headcount",
               "net_change_fte": "headcount_in_post"}


class PublishRefused(Exception):
    """The disclosure audit could still work out hidden cells: nothing may be published."""

    def __init__(self, findings: list) -> None:
        self.findings = findings
        super().__init__(f"{len(findings)} hidden figure(s) could still be worked out")


# ── which tables ─────────────────────────────────────────────────────────────


def filter_cuts() -> tuple[str, ...]:
    """Cuts published one filter value at a time: [sharing] filter_cuts (env WORKFORCE_LENS_SHARING_FILTER_CUTS)."""
    raw = os.environ.get("WORKFORCE_LENS_SHARING_FILTER_CUTS")
    cuts = raw.split(",") if raw is not None else app_settings.section("sharing").get("filter_cuts", FILTER_CUTS)
    return tuple(c.strip() for c in cuts if c.strip())


def filter_states(options: Mapping[str, Sequence[str]], cuts: Sequence[str] = FILTER_CUTS) -> list[tuple]:
    """No filter, then one filter per value of each cut (the states a shared view's sidebar offers)."""
    states: list[tuple] = [()]
    for cut in cuts:
        states += [((cut, str(value)),) for value in options.get(cut, [])]
    return states


def implied_groups(workforce: Workforce) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Teams that sit in exactly one service area: ('team', T) → [('service_area', A)]."""
    if not workforce.has("staff"):
        return {}
    from metrics.engine import team_keys  # teams as every view keys them: "Team (Service area)" where names repeat

    keys = team_keys(workforce)
    areas = keys.groupby("team_key")["service_area"].agg(lambda a: sorted(set(a)))
    return {("team", t): [("service_area", a[0])] for t, a in areas.items() if len(a) == 1}


def frozen(workforce: Workforce) -> Workforce:
    """The same data with its table lookups memoised: nothing changes while a family is built.

    metrics asks `tables`/`has` many times per view; each is a catalogue query, and
    a family is hundreds of views. The connection is shared, not copied.
    """
    from dataclasses import fields

    from ingest.workforce import Workforce as _Workforce

    class _Memo(_Workforce):
        _memo: dict

        @property
        def tables(self) -> list[str]:
            if "tables" not in self._memo:
                self._memo["tables"] = _Workforce.tables.fget(self)
            return self._memo["tables"]

        def has(self, name: str) -> bool:
            key = ("has", name)
            if key not in self._memo:
                self._memo[key] = _Workforce.has(self, name)
            return self._memo[key]

        def close(self) -> None:  # the session owns the connection
            return None

    memo = _Memo(**{f.name: getattr(workforce, f.name) for f in fields(workforce) if f.init})
    memo._memo = {}
    return memo


def needs_met(workforce: Workforce, needs: Sequence[str]) -> bool:
    """True when the data has every table (and 'table.column') a View needs; 'staff|summary' means either."""
    for need in needs:
        if not any(_has(workforce, option) for option in need.split("|")):
            return False
    return True


def _has(workforce: Workforce, need: str) -> bool:
    table, _, column = need.partition(".")
    return workforce.has(table) and (not column or workforce.has_column(table, column))


def prior_date(as_of: dt.date | None) -> str | None:
    """The as-of date 12 months earlier, as the pages compute it (ISO), or None."""
    if as_of is None:
        return None
    from metrics.dates import add_months

    return add_months(as_of, -12).isoformat()


def check_aggregate(view: str, df: pd.DataFrame) -> None:
    """Refuse a table with a worker-level column: nothing may ever publish one."""
    bad = sorted(FORBIDDEN_COLUMNS & {str(c).lower() for c in df.columns})
    if bad:
        from sharing.snapshots import SnapshotError

        raise SnapshotError(f"View {view!r} has worker-level column(s) {', '.join(bad)}; it cannot be published.")


# ── what each table's columns are ─────────────────────────────────────────────


def _present(df: pd.DataFrame) -> set[str]:
    present = set(map(str, df.columns))
    if is_long(df):
        present |= set(map(str, df[LONG_FIGURE].unique()))
    return present


def _numeric_present(df: pd.DataFrame) -> set[str]:
    if is_long(df):
        return set(map(str, df[LONG_FIGURE].unique()))
    return {str(c) for c in df.columns if is_measure_column(df[c])}


def _figure_people(present: set[str]) -> set[str]:
    from metrics.figures import FIGURES

    return {f.id for f in FIGURES.values() if f.people_count and f.id in present}


def _rate_fallbacks(views: Mapping[str, View], view: View, present: set[str], numeric: set[str],
                    people: set[str]) -> dict[str, suppress.Bases]:
    """Rates of columns a View did not declare: another View's declaration, else its group size.

    Belt and braces: a figure of a group under the threshold is hidden even when
    nobody said what it is built on.
    """
    known: dict[str, suppress.Bases] = {}
    for other in views.values():
        for rate, base in other.rate_columns.items():
            known.setdefault(rate, base)
    out = {rate: base for rate, base in known.items()
           if rate in present and any(b in present or "[" in b or b.startswith("total:") for b in bases_of(base))}
    out.update({c: KNOWN_BASES[c] for c in numeric if c in KNOWN_BASES and KNOWN_BASES[c] in present})
    candidates = [*view.people_columns, "headcount_in_post", "headcount"]
    base = next((c for c in candidates if c in people and c in present), None)
    if base is not None:
        out.update({c: base for c in numeric if c not in people and c not in out and c != base
                    and c not in ATTRIBUTES})
    return out


def declare(view_name: str, params: Params, df: pd.DataFrame, own_as_of: str | None,
            views: Mapping[str, View] | None = None) -> Table:
    """A View's table for one set of parameters, with everything disclosure control needs to know about it."""
    views = _views() if views is None else views
    view = views.get(view_name) or View(view_name, view_name, lambda w, p: df)
    present = _present(df)
    numeric = _numeric_present(df)
    people = [c for c in dict.fromkeys([*view.people_columns, *sorted(_figure_people(present))]) if c in present]
    rates = {**_rate_fallbacks(views, view, present, numeric, set(people)), **view.rate_columns}
    rates = {r: b for r, b in rates.items() if r in present and r not in people}
    return Table(df=df, by=tuple(params.by), filters=tuple(params.filters), meta={"view": view_name, "params": params},
                 view=view_name, as_of=params.as_of or own_as_of, people=tuple(people), rates=rates,
                 categories=tuple(view.categories), measures=dict(view.measures),
                 as_of_column=AS_OF_COLUMNS.get(view_name))


def _views() -> dict[str, View]:
    import metrics

    return dict(metrics.VIEWS)


def round_pay(df: pd.DataFrame) -> pd.DataFrame:
    """Pay figures rounded as published (ROUNDING); `c` and blanks untouched."""
    out = df
    if is_long(df):
        steps = df[LONG_FIGURE].map(ROUNDING)
        if steps.notna().any():
            out = df.copy()
            values = out[LONG_VALUE].astype(object).tolist()
            for i, step in enumerate(steps.tolist()):
                if step == step and step is not None:
                    values[i] = _round(values[i], step)
            out[LONG_VALUE] = pd.Series(values, index=out.index, dtype=out[LONG_VALUE].dtype
                                        if not any(isinstance(v, str) for v in values) else object)
        return out
    for col, step in ROUNDING.items():
        if col in df.columns:
            if out is df:
                out = df.copy()
            rounded = [_round(v, step) for v in out[col].tolist()]
            out[col] = pd.Series(rounded, index=out.index,
                                 dtype=object if any(isinstance(v, str) for v in rounded) else "float64")
    return out


def _round(value: Any, step: float) -> Any:
    from sharing.cells import number

    got = number(value)
    if got is None:
        return value
    return round(round(got / step) * step, 6)


# ── building a family ─────────────────────────────────────────────────────────


@dataclass
class Family:
    """Everything one door publishes, suppressed, and what the audit still finds (nothing, when safe)."""

    as_of: dt.date | None
    tables: list[tuple[str, Params, pd.DataFrame]]
    findings: list
    filter_options: dict[str, list[str]]
    availability: dict[str, str | None]
    notes: list[str]
    label: str
    threshold: int
    implied: dict


def _workers() -> int:
    """Threads used to compute views while publishing (2 by default: DuckDB does the work)."""
    return max(1, int(os.environ.get("WORKFORCE_LENS_PUBLISH_THREADS", "2")))


def build_family(workforce: Workforce, *, as_of: dt.date | None = None, filters: Sequence[tuple[str, str]] = (),
                 views: Mapping[str, View] | None = None, progress: ProgressFn | None = None,
                 limit: int | None = None, audit: bool = True) -> Family:
    """Compute, suppress and audit every table a door publishes (see the module docstring)."""
    from metrics.source import LiveSource

    views = _views() if views is None else dict(views)
    limit = suppress.threshold() if limit is None else limit
    workforce = frozen(workforce)
    live = LiveSource(workforce)
    as_of = as_of or live.default_as_of()
    iso = as_of.isoformat() if as_of else None
    options = live.filter_options()
    cuts = filter_cuts()
    states = filter_states(options, cuts)
    extra = tuple(sorted(filters))
    if extra and extra not in states:
        states.append(extra)
    shared_options = {cut: list(values) for cut, values in options.items() if cut in cuts}
    usable = {name: v for name, v in views.items() if needs_met(workforce, v.needs)}
    implied = implied_groups(workforce)
    tasks = [(name, tuple(by), state, iso) for name, view in usable.items() for by in view.by_options
             for state in states if not any(col in by for col, _ in state)]
    prior = prior_date(as_of)
    if prior:
        tasks += [(name, tuple(by), state, prior) for name, groupings in PRIOR_VIEWS.items() if name in usable
                  for by in groupings for state in states if not any(col in by for col, _ in state)]
    results: dict[tuple, pd.DataFrame] = {}

    def run(task: tuple) -> pd.DataFrame:
        name, by, state, when = task
        return usable[name].compute(workforce, Params(as_of=when, by=by, filters=state))

    with ThreadPoolExecutor(max_workers=_workers()) as pool:  # DuckDB releases the GIL while querying
        futures = {pool.submit(run, task): task for task in tasks}
        for done, future in enumerate(as_completed(futures), start=1):
            task = futures[future]
            results[task] = future.result()
            check_aggregate(task[0], results[task])
            if progress is not None and (done % 10 == 0 or done == len(tasks)):
                progress(done / max(len(tasks), 1) * 0.7, f"Computed {done:,} of {len(tasks):,} tables")
    if progress is not None:
        progress(0.72, "Hiding small numbers and checking nothing hidden can be worked out")
    order = list(tasks)
    params = [Params(as_of=None if when == iso else when, by=by, filters=state) for _, by, state, when in order]
    declared = [declare(task[0], p, round_pay(results[task]), iso, views) for task, p in zip(order, params,
                                                                                          strict=True)]
    frames, findings = suppress.protect(declared, limit, implied, audit=audit)
    published = [(task[0], p, df) for task, p, df in zip(order, params, frames, strict=True)]
    if progress is not None:
        progress(0.9, "Checked" if not findings else "The audit still finds figures that could be worked out")
    notes = [*live.notes(), suppress.note(limit)]
    return Family(as_of, published, findings, shared_options, dict(live.availability()), notes,
                  live.label, limit, {f"{k[0]}={k[1]}": [list(p) for p in v] for k, v in implied.items()})


def implied_from_meta(stored: Mapping[str, Any]) -> Implied:
    """The implied-groups mapping back from its stored (JSON) form."""
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for key, pairs in stored.items():
        column, _, value = key.partition("=")
        out[(column, value)] = [tuple(p) for p in pairs]
    return out


def _key(params: Params) -> tuple:
    return (tuple(params.by), tuple(sorted(params.filters)), params.as_of or None)


class PublishedSource:
    """A live Source seen through the door: suppressed, audited tables only (metrics.source.Source)."""

    is_shared = True

    def __init__(self, family: Family) -> None:
        self.family = family
        self.label = family.label
        self.findings = list(family.findings)
        own = family.as_of.isoformat() if family.as_of else None
        self._own = own
        self._index: dict[tuple[str, tuple], pd.DataFrame] = {}
        for view, params, df in family.tables:
            self._index[(view, _key(params))] = df

    def get(self, view: str, params: Params) -> pd.DataFrame:
        """The published table for this view and parameters (empty when the family does not publish it)."""
        when = None if params.as_of in (None, "", self._own) else params.as_of
        got = self._index.get((view, _key(Params(when, tuple(params.by), tuple(params.filters)))))
        if got is None:
            return pd.DataFrame()
        if params.figures:
            from metrics.figures import FIGURES

            keep = [c for c in got.columns if c not in FIGURES or c in params.figures]
            got = got[keep]
            if is_long(got):
                got = got[got[LONG_FIGURE].isin(params.figures)].reset_index(drop=True)
        return got.copy()

    def tables(self) -> list[tuple[str, Params, pd.DataFrame]]:
        """Every table the door publishes (what a snapshot stores)."""
        return list(self.family.tables)

    def check(self) -> None:
        """Raise PublishRefused while the audit finds anything."""
        if self.findings:
            raise PublishRefused(self.findings)

    def filter_options(self) -> dict[str, list[str]]:
        """The filter values published one at a time."""
        return {k: list(v) for k, v in self.family.filter_options.items()}

    def default_as_of(self) -> dt.date | None:
        """The door's (only) as-of date."""
        return self.family.as_of

    def availability(self) -> dict[str, str | None]:
        """Which figures the data allows."""
        return dict(self.family.availability)

    def notes(self) -> list[str]:
        """Assumptions in force and the suppression note."""
        return list(self.family.notes)


def _data_key(workforce: Workforce) -> str:
    """What identifies the data: every session's unchanged demo council is the same data (one family for all)."""
    if getattr(workforce, "is_demo", False) and not workforce.assumptions:
        demo = app_settings.ROOT / "data" / "demo" / "demo_council.xlsx"
        with contextlib.suppress(OSError):
            stat = demo.stat()
            return f"demo:{stat.st_size}:{stat.st_mtime_ns}"
    return f"live:{workforce.fingerprint}"


_doors: OrderedDict[tuple, PublishedSource] = OrderedDict()
_doors_lock = threading.Lock()
_DOORS_KEPT = 4


def door(source: Any, as_of: dt.date | str | None = None, filters: Sequence[tuple[str, str]] = (),
         progress: ProgressFn | None = None) -> Any:
    """The published (suppressed, audited) Source for a Source, remembered per (data, as-of date, filters).

    A Source that is already shared (a snapshot, or a door) is returned as it is.
    """
    if getattr(source, "is_shared", False):
        return source
    workforce = getattr(source, "workforce", None)
    if workforce is None:
        raise TypeError("Only a council's own data (a live Source with its Workforce) can be published.")
    when = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    key = (_data_key(workforce), when, tuple(sorted(filters)), filter_cuts(), suppress.threshold())
    with _doors_lock:
        if key in _doors:
            _doors.move_to_end(key)
            return _doors[key]
    made = PublishedSource(build_family(workforce, as_of=when, filters=filters, progress=progress))
    with _doors_lock:
        _doors[key] = made
        while len(_doors) > _DOORS_KEPT:
            _doors.popitem(last=False)
    return made
