"""The configurable values the figures use, with defaults from workforce_lens.toml [metrics] and [[standards]].

Standards (a caseload a case holder should not exceed, a span of control a
manager should not exceed, the share of the team's average caseload a newly
qualified worker is protected to) are set per service area or role family,
each with what it is and where it comes from, so a line on a chart says
"England average 2025 (DfE)" or "Local standard", never just "Threshold".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, fields
from typing import Any

import settings as app_settings

log = logging.getLogger(__name__)

_DEFAULTS: dict[str, float | None] = {
    "standard_weekly_hours": 37.0,
    "on_cost_factor": 1.3,
    "caseload_threshold": None,
    "protected_caseload_share": 0.9,
    "span_of_control_threshold": 8.0,
    "working_days_per_fte": 253.0,
    "induction_weeks": 12.0,
}

MEASURES: dict[str, str] = {
    "caseload": "Caseload standard (cases per FTE)",
    "span_of_control": "Span of control standard (direct reports)",
    "protected_caseload_share": "Newly qualified protected caseload (share of the team's average)",
}
"""The kinds of standard a group can have, in words."""

DFE = "dfe"
"""A caseload standard's value meaning: the England average caseload of the census year (DfE)."""
LOCAL = "Local standard"
DFE_CASELOAD_SOURCE = ("DfE: Children's social work workforce, average caseload of children and family social "
                       "workers (cases ÷ case-holder FTE), England")


def _from_toml(name: str) -> float | None:
    """The [metrics] value called `name`, or its default when the file does not set it."""
    value = app_settings.section("metrics").get(name, _DEFAULTS[name])
    return None if value is None else float(value)


@dataclass(frozen=True)
class Standard:
    """One standard: which measure, for which group (a service area, role or role family; '' = every other
    group), its value (None for caseload = the DfE England average of the year), what it is and its source."""

    measure: str
    group: str
    value: float | None
    label: str = LOCAL
    source: str = ""


@dataclass(frozen=True)
class Resolved:
    """A standard as it applies to a group on a date: value, what it is ('England average 2025 (DfE)') and source."""

    measure: str
    value: float
    label: str
    source: str
    group: str = ""

    @property
    def is_average(self) -> bool:
        """True when the standard is an average of others (a comparison), not a standard someone set."""
        return "average" in self.label.lower()


def _standards_from_toml() -> tuple[Standard, ...]:
    """The [[standards]] entries of workforce_lens.toml (entries that cannot be read are skipped and logged)."""
    entries = app_settings.load_settings().get("standards", [])
    out = []
    for entry in entries if isinstance(entries, list) else []:
        try:
            measure = str(entry["measure"]).strip()
            if measure not in MEASURES:
                raise ValueError(f"unknown measure {measure!r}")
            raw = entry.get("value", DFE)
            value = None if str(raw).strip().lower() == DFE else float(raw)
            if value is None and measure != "caseload":
                raise ValueError("only a caseload standard can be the DfE England average")
            label = str(entry.get("label") or ("England average (DfE)" if value is None else LOCAL))
            source = str(entry.get("source") or (DFE_CASELOAD_SOURCE if value is None else ""))
            out.append(Standard(measure, str(entry.get("group", "")).strip(), value, label, source))
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("workforce_lens.toml [[standards]] entry skipped: %s", exc)
    return tuple(out)


@dataclass(frozen=True)
class Settings:
    """Thresholds and factors used by the figures (hashable, so it can key caches).

    Defaults are read from workforce_lens.toml [metrics] and [[standards]] (code defaults when the file
    omits a value); pass values to override. `caseload_threshold`, `protected_caseload_share` and
    `span_of_control_threshold` apply to every group without a standard of its own; a caseload
    threshold of None means a case holder is judged only against their own group's standard.
    """

    standard_weekly_hours: float = _from_toml("standard_weekly_hours")
    """Hours in a full-time week: agency annual cost and the gender pay gap's hourly pay."""
    on_cost_factor: float = _from_toml("on_cost_factor")
    """Employer on-costs multiplier on salary, for the agency premium."""
    caseload_threshold: float | None = _from_toml("caseload_threshold")
    """A local caseload standard (cases per FTE) for every group without its own; None: none."""
    protected_caseload_share: float = _from_toml("protected_caseload_share")
    """Newly qualified workers' protected caseload, as a share of their team's average."""
    span_of_control_threshold: float = _from_toml("span_of_control_threshold")
    """Managers with more direct reports than this are flagged (every group without its own standard)."""
    working_days_per_fte: float = _from_toml("working_days_per_fte")
    """Working days in a year per FTE: the absence rate's denominator (DfE uses 253)."""
    standards: tuple[Standard, ...] = field(default_factory=_standards_from_toml)
    """Per service area or role family standards ([[standards]] in workforce_lens.toml)."""
    induction_weeks: float = _from_toml("induction_weeks")
    """Weeks after the start date within which a new starter's induction should be completed."""

    @classmethod
    def from_file(cls, **overrides: Any) -> Settings:
        """Settings from workforce_lens.toml, with any keyword overrides applied."""
        values: dict[str, Any] = {f.name: _from_toml(f.name) for f in fields(cls) if f.name in _DEFAULTS}
        values["standards"] = _standards_from_toml()
        values.update(overrides)
        return cls(**values)

    def standard(self, measure: str, service_area: object = None, role: object = None, year: int | None = None,
                 team: object = None) -> Resolved | None:
        """The standard a group is held to: the most specific one set for it — its role's, its team's, its role's
        family's, its team's family's, its service area's or its service area's family's — else the default for
        every group (None when there is none).

        A caseload standard of the DfE England average takes the average of `year` (the census year of the
        as-of date), or the latest published before it, and says which year it is.
        """
        from reference.groups import family_of, key

        def named(value: object) -> str | None:
            return str(value) if value is not None and value == value and str(value).strip() else None

        # most specific first: the role's and the team's own names, their families, then the service area's
        names = [named(role), named(team), family_of(named(role)) if named(role) else None,
                 family_of(named(team)) if named(team) else None, named(service_area),
                 family_of(named(service_area)) if named(service_area) else None]
        order = [key(n) for n in names if n]
        by_group = {key(s.group): s for s in self.standards if s.measure == measure and s.group}
        chosen = next((by_group[g] for g in order if g in by_group), None)
        group_name = chosen.group if chosen else ""
        if chosen is None:
            chosen = next((s for s in self.standards if s.measure == measure and not s.group), None)
        if chosen is None:
            default = self._scalar(measure)
            if default is None:
                return None
            return Resolved(measure, float(default), LOCAL, "the dashboard's settings: the default for every group "
                            "without a standard of its own")
        if chosen.value is not None:
            return Resolved(measure, chosen.value, chosen.label, chosen.source, group_name)
        found = dfe_average_caseload(year)
        if found is None:
            return None
        value, found_year = found
        label = f"England average {found_year} (DfE)"
        if year is not None and found_year != year:
            label = f"England average {found_year} (DfE, the latest published)"
        return Resolved(measure, value, label, f"{chosen.source}, year to 30 September {found_year}", group_name)

    def _scalar(self, measure: str) -> float | None:
        """The every-group default of a measure."""
        return {"caseload": self.caseload_threshold, "span_of_control": self.span_of_control_threshold,
                "protected_caseload_share": self.protected_caseload_share}[measure]


_average_cache: dict[int | None, tuple[float, int] | None] = {}


def dfe_average_caseload(year: int | None) -> tuple[float, int] | None:
    """(England average caseload, its year) from the DfE file: `year`'s, else the latest before it (None if none)."""
    if year in _average_cache:
        return _average_cache[year]
    found = None
    try:
        import reference

        years = [y for y in reference.years() if year is None or y <= year]
        for candidate in reversed(years):
            table = reference.england(["average_caseload"], year=candidate)
            value = table["england"].iloc[0] if len(table) else None
            if value is not None and value == value:
                found = (float(value), int(candidate))
                break
    except Exception:  # noqa: BLE001 - no reference data: no DfE standard, said so where it is shown
        log.exception("DfE average caseload unavailable")
        found = None
    _average_cache[year] = found
    return found


def resolve(settings: Settings | None) -> Settings:
    """`settings`, or the settings file's values when None."""
    return settings if settings is not None else Settings.from_file()
