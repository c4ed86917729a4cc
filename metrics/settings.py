"""The configurable values the figures use, with defaults from workforce_lens.toml [metrics]."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import settings as app_settings

_DEFAULTS: dict[str, float] = {
    "standard_weekly_hours": 37.0,
    "on_cost_factor": 1.3,
    "caseload_threshold": 15.2,
    "protected_caseload_share": 0.9,
    "span_of_control_threshold": 8.0,
    "working_days_per_fte": 253.0,
    "induction_weeks": 12.0,
}


def _from_toml(name: str) -> float:
    """The [metrics] value called `name`, or its default when the file does not set it."""
    return float(app_settings.section("metrics").get(name, _DEFAULTS[name]))


@dataclass(frozen=True)
class Settings:
    """Thresholds and factors used by the figures (hashable, so it can key caches).

    Defaults are read from workforce_lens.toml [metrics] (code defaults when the file omits a
    value); pass values to override.
    """

    standard_weekly_hours: float = _from_toml("standard_weekly_hours")
    """Hours in a full-time week: agency annual cost and the gender pay gap's hourly pay."""
    on_cost_factor: float = _from_toml("on_cost_factor")
    """Employer on-costs multiplier on salary, for the agency premium."""
    caseload_threshold: float = _from_toml("caseload_threshold")
    """Cases per FTE above which a case holder is counted as above the threshold (England average 2025)."""
    protected_caseload_share: float = _from_toml("protected_caseload_share")
    """Newly qualified workers' protected caseload, as a share of their team's average."""
    span_of_control_threshold: float = _from_toml("span_of_control_threshold")
    """Managers with more direct reports than this are flagged."""
    working_days_per_fte: float = _from_toml("working_days_per_fte")
    """Working days in a year per FTE: the absence rate's denominator (DfE uses 253)."""
    induction_weeks: float = _from_toml("induction_weeks")
    """Weeks after the start date within which a new starter's induction should be completed."""

    @classmethod
    def from_file(cls, **overrides: Any) -> Settings:
        """Settings from workforce_lens.toml [metrics], with any keyword overrides applied."""
        values = {f.name: _from_toml(f.name) for f in fields(cls)}
        values.update(overrides)
        return cls(**values)


def resolve(settings: Settings | None) -> Settings:
    """`settings`, or the settings file's values when None."""
    return settings if settings is not None else Settings.from_file()
