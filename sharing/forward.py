"""The committee pack's forward look: the written summary (its first section) and a chosen scenario.

A committee paper is public, so the pack hands `summary` the Source every
published table comes through (sharing.published, the one door): the summary is
written from suppressed figures and never states a hidden one. (An exact pack,
marked "Not for publication", hands it the live Source.) The scenario table hides
a service area's figures when it has fewer people (or agency workers) than the
threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

import settings as app_settings
from metrics import narrative
from metrics import scenario as sc
from metrics.engine import ALL
from metrics.figures import FIGURES
from metrics.format import as_number, format_value
from metrics.registry import Params
from sharing import suppress


def comparators_from(bench: pd.DataFrame | None, figure_ids: Sequence[str]) -> dict[str, list[tuple[str, float]]]:
    """(label, value) references per figure from the pack's benchmark table, else England's from the reference data."""
    out: dict[str, list[tuple[str, float]]] = {}
    if bench is not None and not bench.empty:
        for r in bench.to_dict("records"):
            year = f" {int(r['year'])}" if as_number(r.get("year")) is not None else ""
            refs = [(f"England{year}", r.get("england")), (f"{r.get('region_name') or 'Region'}{year}", r.get("region")),
                    (f"Neighbours (median){year}", r.get("neighbour_median"))]
            out[str(r["figure"])] = [(name, float(v)) for name, v in refs if as_number(v) is not None]
        return out
    try:
        import reference

        for r in reference.england(list(figure_ids)).to_dict("records"):
            if as_number(r.get("england")) is not None:
                out[str(r["figure"])] = [(f"England {int(r['year'])}", float(r["england"]))]
    except Exception:  # noqa: BLE001 - no reference data: the summary has no comparator sentence
        return {}
    return out


def summary(source: Any, as_of: str | None, targets: Sequence = (), bench: pd.DataFrame | None = None,
            figure_ids: Sequence[str] = ("vacancy_rate", "agency_rate", "turnover_rate")) -> list[narrative.Sentence]:
    """The pack's written summary: whole council, each sentence with what it states, from the pack's Source (the
    door for a published pack, so hidden figures stay hidden)."""
    from metrics.targets import from_view

    shared = source
    when = as_of or (source.default_as_of().isoformat() if source.default_as_of() else None)
    uploaded = from_view(_safe(shared, "targets", Params(when, ())))
    group = str(app_settings.section("reference").get("dfe_service_area", "Children's Social Work"))
    try:
        return narrative.summary(shared, Params(when, ("service_area",)), [*uploaded, *targets],
                                 comparators_from(bench, figure_ids), group, suppress.threshold())
    except Exception:  # noqa: BLE001 - the pack is still made without a summary
        return []


def _safe(source: Any, view: str, params: Params) -> pd.DataFrame:
    try:
        return source.get(view, params)
    except Exception:  # noqa: BLE001
        return pd.DataFrame()


SCENARIO_PEOPLE = ("headcount_in_post", "agency_headcount")


def scenario_section(source: Any, scenario: sc.Scenario | None,
                     as_of: str | None) -> tuple[list[str], list[list[str]], list[str]] | None:
    """(header, rows, assumptions) of the chosen scenario for the whole council and the areas it changes.

    None when no scenario was chosen; a row of `c` where a group is under the threshold.
    """
    if scenario is None or scenario.is_empty():
        return None
    workforce = getattr(source, "workforce", None)
    if workforce is None:
        return (["Scenario"], [["Scenarios need the council's own data; a shared snapshot has only totals."]], [])
    table, applied = sc.compare(workforce, scenario, Params(as_of, ("service_area",)),
                                figures=(*sc.HEADLINE, *SCENARIO_PEOPLE))
    limit = suppress.threshold()
    groups = [ALL, *[g for g in dict.fromkeys([scenario.convert_in, scenario.supplement_in, scenario.extra_posts_in])
                     if g and g in set(table["service_area"])]]
    header = ["Figure"] + [f"{'Whole council' if g == ALL else g}: {side}" for g in groups
                           for side in ("today", "scenario")]
    rows = []
    for fid in sc.HEADLINE:
        cells = [FIGURES[fid].label]
        for group in groups:
            part = table[(table["service_area"] == group)]
            for side in ("today", "scenario"):
                counts = [as_number(part.loc[part["figure"] == p, side].squeeze()) for p in _bases(fid)]
                small = any(c is not None and 0 < c < limit for c in counts)
                value = part.loc[part["figure"] == fid, side]
                cells.append(suppress.SYMBOL if small else format_value(
                    value.iloc[0] if len(value) else None, FIGURES[fid].unit))
        rows.append(cells)
    return header, rows, sc.assumptions(scenario, applied)


def _bases(figure_id: str) -> tuple[str, ...]:
    """The people counts a scenario figure rests on (as the figures view declares them)."""
    if figure_id in ("agency_rate", "workforce_annual_cost"):
        return SCENARIO_PEOPLE
    return ("headcount_in_post",)
