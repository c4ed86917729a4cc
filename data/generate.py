"""Deterministic synthetic workforce for "Shireford County Council", a fictional council.

The demo data of the app and the input of every benchmark. Everything is drawn
from one seeded numpy Generator and built with vectorised numpy, so the same
seed gives the same tables (and the same workbook bytes), and a million staff
rows take seconds, not minutes.

Shape (default, the demo): four service areas sized like a real spotlight
review, each built from an establishment of funded posts per team and role.
Posts are filled so that, at the as-of date, employed FTE in post, vacancy
rate, agency rate and turnover land where those services really are
(see SERVICES). `--rows N` repeats every team as often as needed (and scales
posts) to make a staff table of exactly N rows with the same shape.

Usage::

    python -m data.generate --out data/demo/demo_council.xlsx
    python -m data.generate --rows 100000 --format csv --out /tmp/bench
    python -m data.generate --rows 1000000 --format csv --out /tmp/staff_1m.csv
    python -m data.generate --summary --out data/demo/demo_summary.csv

Writing: `write_xlsx` streams with xlsxwriter's constant_memory mode; sheets
longer than FAST_XLSX_ROWS get their rows as XML built column-wise by Arrow (same
cells, ~10x faster). `write_csv` uses pyarrow.csv. `summary()` turns the
row-level tables into the committee-paper `summary` table.

Nothing here is real: worker ids are "W000123"-style numbers, never names.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ingest.readers import excel_letters
from ingest.schema import TABLES

COUNCIL = "Shireford County Council"
DEFAULT_SEED = 2026
DEFAULT_AS_OF = "2026-09-30"
HISTORY_YEARS = 3
"""Starters and leavers are generated for this many years before the as-of date."""

DEMO_TABLES: tuple[str, ...] = ("staff", "establishment", "market_pay", "agency_caps", "recruitment", "survey",
                                "supervision", "induction")
"""Tables the generator writes (every DATA.md table that row-level data has; `summary` is the alternative to staff).
The last three, the staff voice tables, only for councils up to VOICE_MAX_ROWS staff rows."""


@dataclass(frozen=True)
class Role:
    """What a job role looks like: grade and pay, qualification, caseload, management and agency use."""

    grade: str
    pay: tuple[float, float]
    """Bottom and top of the grade's pay range (FTE annual salary, £)."""
    points: int = 5
    """Pay points in the range; longer service sits higher."""
    qualified: tuple[float, float] | None = None
    """Years of post-qualifying experience at start (uniform range), None if not a qualified role."""
    asye: float = 0.0
    """Share of hires who join newly qualified (qualified weeks before starting)."""
    caseload: tuple[float, float] | None = None
    """Mean and sd of cases held (CSW case-holding roles only)."""
    manager: int = 0
    """0 no reports, 1 manages a team, 2 manages the service's team managers."""
    vacancy: float = 1.0
    """Relative vacancy: >1 is harder to fill than the service's average post."""
    agency: float = 0.0
    """Relative use of agency cover."""
    rate: tuple[float, float] = (0.0, 0.0)
    """Agency hourly charge mean and sd for roles without a regional cap."""
    male: float = 0.15
    """Share of men."""
    applications: float = 8.0
    """Mean applications per advert."""
    leaving: float = 1.0
    """Relative chance of leaving."""


_L1, _L2, _L3, _L4, _L5, _L6 = (24_000, 26_500), (27_000, 31_500), (35_000, 39_500), (40_000, 44_000), (44_500, 48_000), (50_000, 56_000)

ROLES: dict[str, Role] = {
    # Children's social work: council Levels 1-6.
    "Social Worker": Role("Level 3", _L3, 6, (1, 8), 0.3, (17.5, 3.2), 0, 1.35, 1.6, male=0.13, applications=9, leaving=1.3),
    "Senior Practitioner": Role("Level 4", _L4, 4, (3, 12), 0.0, (15.0, 3.0), 0, 1.0, 1.1, male=0.15, applications=6),
    "Advanced Practitioner": Role("Level 5", _L5, 4, (5, 15), 0.0, (11.0, 3.0), 0, 0.8, 0.8, male=0.17, applications=4),
    "Team Manager": Role("Level 6", (50_000, 54_500), 4, (6, 18), 0.0, None, 1, 0.6, 0.7, male=0.22, applications=5, leaving=0.8),
    "Service Manager": Role("Level 6", (56_000, 62_000), 4, (10, 25), 0.0, None, 2, 0.3, 0.2, (65.0, 6.0), male=0.3, applications=6, leaving=0.6),
    "Principal Social Worker": Role("Level 6", (52_000, 56_000), 3, (12, 25), 0.0, None, 0, 0.0, 0.0, male=0.2, leaving=0.5),
    "Independent Reviewing Officer": Role("Level 5", _L5, 4, (8, 20), 0.0, None, 0, 0.8, 0.6, male=0.2, applications=5, leaving=0.8),
    "Family Support Worker": Role("Level 2", _L2, 5, None, 0.0, None, 0, 0.6, 0.15, (24.0, 2.0), male=0.12, applications=25),
    "Personal Adviser": Role("Level 2", _L2, 5, None, 0.0, None, 0, 0.6, 0.1, (25.0, 2.0), male=0.25, applications=18),
    "Contact Supervisor": Role("Level 1", _L1, 4, None, 0.0, None, 0, 0.6, 0.05, (21.0, 1.5), male=0.15, applications=20),
    # Educational psychology: Soulbury (EP scale A, senior and principal scale B).
    "Educational Psychologist": Role("Soulbury A", (48_000, 62_000), 8, (0, 8), 0.0, None, 0, 1.25, 1.0, (68.0, 8.0), male=0.2, applications=2.5),
    "Senior Educational Psychologist": Role("Soulbury B", (60_000, 66_500), 4, (5, 15), 0.0, None, 1, 0.6, 0.3, (75.0, 6.0), male=0.2, applications=2),
    "Principal Educational Psychologist": Role("Soulbury B", (66_500, 70_000), 3, (10, 20), 0.0, None, 2, 0.0, 0.0, male=0.25, leaving=0.4),
    "Assistant Psychologist": Role("Level 2", _L2, 4, None, 0.0, None, 0, 0.4, 0.0, male=0.2, applications=40),
    # Public health nursing: NHS Agenda for Change bands (illustrative 2026/27 values).
    "Health Visitor": Role("Band 6", (39_840, 47_980), 6, (1, 12), 0.0, None, 0, 1.2, 1.0, (44.0, 4.0), male=0.03, applications=5),
    "School Nurse": Role("Band 6", (39_840, 47_980), 6, (1, 12), 0.0, None, 0, 1.0, 0.8, (42.0, 4.0), male=0.04, applications=6),
    "Community Staff Nurse": Role("Band 5", (31_980, 38_930), 6, (0, 10), 0.0, None, 0, 0.9, 0.6, (35.0, 3.0), male=0.06, applications=10),
    "Nursery Nurse": Role("Band 4", (28_310, 31_070), 3, None, 0.0, None, 0, 0.7, 0.1, (26.0, 2.0), male=0.02, applications=15),
    "Family Nurse": Role("Band 7", (49_240, 56_350), 5, (3, 12), 0.0, None, 0, 1.0, 0.4, (48.0, 4.0), male=0.03, applications=4),
    "Team Leader": Role("Band 7", (49_240, 56_350), 5, (5, 15), 0.0, None, 1, 0.6, 0.3, (52.0, 4.0), male=0.05, applications=4, leaving=0.8),
    "FNP Supervisor": Role("Band 8a", (57_360, 64_560), 4, (6, 15), 0.0, None, 1, 0.3, 0.0, male=0.05, applications=3, leaving=0.6),
    "Service Lead": Role("Band 8a", (57_360, 64_560), 4, (10, 20), 0.0, None, 2, 0.0, 0.0, male=0.08, leaving=0.5),
    # SEND 0-25: council Levels.
    "SEND Caseworker": Role("Level 3", (33_000, 37_500), 5, None, 0.0, None, 0, 1.2, 1.0, (30.0, 3.0), male=0.18, applications=12, leaving=1.2),
    "SEND Officer": Role("Level 2", _L2, 5, None, 0.0, None, 0, 1.0, 0.5, (25.0, 2.0), male=0.2, applications=20),
    "SEND Team Manager": Role("Level 5", (46_000, 50_000), 4, None, 0.0, None, 1, 0.6, 0.3, (45.0, 4.0), male=0.2, applications=5),
    "SEND Service Manager": Role("Level 6", (56_000, 62_000), 3, None, 0.0, None, 2, 0.0, 0.0, male=0.3, leaving=0.5),
}

AGENCY_CAPS: dict[str, float] = {
    "Social Worker": 38.0,
    "Senior Practitioner": 41.0,
    "Advanced Practitioner": 44.0,
    "Team Manager": 48.0,
    "Independent Reviewing Officer": 45.0,
}
"""Illustrative regional maximum hourly rates for the five role groups (roles named as in staff)."""

MARKET_FACTOR: dict[str, float] = {
    "Social Worker": 1.05,
    "Senior Practitioner": 1.04,
    "Advanced Practitioner": 1.03,
    "Team Manager": 1.03,
    "Service Manager": 1.02,
    "Independent Reviewing Officer": 1.02,
    "Family Support Worker": 1.0,
    "Personal Adviser": 1.01,
    "Educational Psychologist": 1.09,
    "Senior Educational Psychologist": 1.06,
    "Principal Educational Psychologist": 1.04,
    "SEND Caseworker": 1.06,
    "SEND Officer": 1.02,
    "SEND Team Manager": 1.04,
}
"""Market median ÷ the grade's mid-point: the council lags the market most for EPs and social workers."""

# Establishment: service area -> team -> role -> funded FTE (the demo council).
STRUCTURE: dict[str, dict[str, dict[str, float]]] = {
    "Children's Social Work": {
        "First Response/MASH": {"Team Manager": 3, "Advanced Practitioner": 1, "Senior Practitioner": 4, "Social Worker": 16},
        "Assessment": {"Team Manager": 4, "Advanced Practitioner": 2, "Senior Practitioner": 5, "Social Worker": 26},
        "Child Protection": {"Team Manager": 5, "Advanced Practitioner": 2, "Senior Practitioner": 7, "Social Worker": 32},
        "Children in Care": {"Team Manager": 4, "Advanced Practitioner": 1, "Senior Practitioner": 5, "Social Worker": 24},
        "Care Leavers": {"Team Manager": 3, "Senior Practitioner": 2, "Social Worker": 6, "Personal Adviser": 14},
        "Fostering": {"Team Manager": 3, "Senior Practitioner": 3, "Social Worker": 14, "Contact Supervisor": 8},
        "Strengthening Families": {"Team Manager": 5, "Senior Practitioner": 3, "Social Worker": 10, "Family Support Worker": 30},
        "Disabled Children": {"Team Manager": 3, "Senior Practitioner": 3, "Social Worker": 14, "Family Support Worker": 8},
        "IRO & Safeguarding Unit": {"Team Manager": 2, "Independent Reviewing Officer": 20},
        "Service Management": {"Service Manager": 4, "Principal Social Worker": 1},
    },
    "Education Psychology": {
        "Educational Psychology Service": {
            "Principal Educational Psychologist": 1,
            "Senior Educational Psychologist": 3,
            "Educational Psychologist": 18,
            "Assistant Psychologist": 3,
        },
        "Early Years": {"Senior Educational Psychologist": 1, "Educational Psychologist": 6, "Assistant Psychologist": 2},
    },
    "Public Health Nursing": {
        "Health Visiting North": {"Team Leader": 5, "Health Visitor": 36, "Community Staff Nurse": 12, "Nursery Nurse": 10},
        "Health Visiting South": {"Team Leader": 6, "Health Visitor": 36, "Community Staff Nurse": 12, "Nursery Nurse": 10},
        "School Nursing": {"Team Leader": 4, "School Nurse": 26, "Community Staff Nurse": 14},
        "Family Nurse Partnership": {"FNP Supervisor": 2, "Family Nurse": 14},
        "Service Management": {"Service Lead": 2},
    },
    "SEND 0-25": {
        "SEND Casework North": {"SEND Team Manager": 2, "SEND Caseworker": 17, "SEND Officer": 5},
        "SEND Casework South": {"SEND Team Manager": 2, "SEND Caseworker": 17, "SEND Officer": 5},
        "Preparing for Adulthood": {"SEND Team Manager": 1, "SEND Caseworker": 9, "SEND Officer": 2},
        "SEND Assessment": {"SEND Team Manager": 3, "SEND Caseworker": 18, "SEND Officer": 9},
        "Service Management": {"SEND Service Manager": 2},
    },
}


@dataclass(frozen=True)
class Service:
    """Targets per service area at the as-of date (vacancy follows from STRUCTURE and in_post)."""

    in_post: float
    """Employed FTE in post."""
    agency_rate: float
    """Agency FTE ÷ (agency FTE + employed FTE in post)."""
    turnover: float
    """Employed leavers' FTE in the 12 months ÷ employed FTE in post."""
    campaigns: int
    """Recruitment campaigns over the history window."""
    service_years: float
    """Mean length of service (years) of staff with more than a year's service."""


SERVICES: dict[str, Service] = {
    "Children's Social Work": Service(245.0, 0.27, 0.18, 75, 5.0),
    "Education Psychology": Service(24.0, 0.10, 0.15, 14, 7.0),
    "Public Health Nursing": Service(168.0, 0.03, 0.12, 45, 8.0),
    "SEND 0-25": Service(78.0, 0.08, 0.16, 25, 5.5),
}

CASE_TEAMS_EXCLUDED = ("IRO & Safeguarding Unit", "Service Management")
"""Children's social work teams whose staff do not hold cases."""

LEAVING_REASONS_P: dict[str, list[tuple[str, float]]] = {
    "Children's Social Work": [
        ("resignation", 0.44), ("moved to agency work", 0.15), ("internal transfer", 0.10), ("retirement", 0.08),
        ("end of contract", 0.07), ("dismissal", 0.02), ("redundancy", 0.01), ("other", 0.06), ("not known", 0.07),
    ],
    "other": [
        ("resignation", 0.52), ("moved to agency work", 0.04), ("internal transfer", 0.10), ("retirement", 0.12),
        ("end of contract", 0.08), ("dismissal", 0.02), ("redundancy", 0.01), ("other", 0.06), ("not known", 0.05),
    ],
}

DEMO_ROWS_ESTIMATE = 1_105
"""Roughly how many staff rows the demo shape has (used to pick the scale for --rows)."""

MIN_SCALE = 0.3
"""Smaller councils are built at this scale and trimmed to the rows asked for (below it posts round to nothing)."""

_PART_TIME_SHARE = 0.15
"""Share of people drawn part time (the gap-filling last post of a line adds a few more: ~20% overall)."""
_PART_TIME = np.array([0.4, 0.5, 0.6, 0.6, 0.7, 0.8, 0.8, 0.9])


# --------------------------------------------------------------------------- helpers


def _as_date(value: str | dt.date | None) -> np.datetime64:
    """The as-of date as numpy datetime64[D]."""
    if value is None:
        value = DEFAULT_AS_OF
    if isinstance(value, dt.datetime):
        value = value.date()
    return np.datetime64(value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)), "D")


def _group_starts(counts: np.ndarray) -> np.ndarray:
    """Index of the first row of each group when groups of `counts` rows are laid end to end."""
    return np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)


def _rank_within(groups: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random 0-based rank of each row within its group (groups are integer ids)."""
    order = np.lexsort((rng.random(len(groups)), groups))
    sorted_groups = groups[order]
    first = np.r_[True, sorted_groups[1:] != sorted_groups[:-1]] if len(groups) else np.array([], bool)
    starts = np.maximum.accumulate(np.where(first, np.arange(len(groups)), 0))
    ranks = np.empty(len(groups), dtype=np.int64)
    ranks[order] = np.arange(len(groups)) - starts
    return ranks


def _draw_fte(rng: np.random.Generator, n: int, part_share: float = _PART_TIME_SHARE) -> np.ndarray:
    """FTE of n people: full time, or a part-time fraction for about `part_share` of them."""
    part = rng.random(n) < part_share
    return np.where(part, rng.choice(_PART_TIME, n), 1.0)


def _fill(targets: np.ndarray, rng: np.random.Generator, part_share: float = _PART_TIME_SHARE) -> tuple[np.ndarray, np.ndarray]:
    """People filling each line up to its target FTE: (line index, fte) per person.

    People are drawn in turn until the line's FTE reaches its target; the last
    one takes the remaining gap as a part-time FTE (at least 0.4), so each
    line lands within 0.2 FTE of its target and service totals hit theirs.
    """
    targets = np.asarray(targets, dtype=float)
    counts = np.where(targets >= 0.2, np.ceil(targets / 0.4).astype(np.int64) + 1, 0)
    line = np.repeat(np.arange(len(targets)), counts)
    fte = _draw_fte(rng, len(line), part_share)
    before = np.cumsum(fte) - fte - np.concatenate([[0.0], np.cumsum(fte)])[_group_starts(counts)][line]
    gap = targets[line] - before
    keep = gap >= 0.2
    partial = keep & (gap < fte - 1e-9)
    fte = np.where(partial, np.clip(np.round(gap, 1), 0.4, 1.0), fte)
    return line[keep], fte[keep]


def _pick(rng: np.random.Generator, labels: list[str], probs: list[float], n: int) -> np.ndarray:
    """n labels drawn with the given probabilities (object array)."""
    p = np.asarray(probs, dtype=float)
    return np.asarray(labels, dtype=object)[rng.choice(len(labels), n, p=p / p.sum())]


# --------------------------------------------------------------------------- structure


@dataclass
class _Lines:
    """The establishment lines (service area, team, role, funded FTE) and per-line targets."""

    service: np.ndarray  # object
    team: np.ndarray  # object
    role: np.ndarray  # object
    team_id: np.ndarray  # int
    funded: np.ndarray
    in_post: np.ndarray
    agency: np.ndarray


def _role_array(roles: np.ndarray, attr: str) -> np.ndarray:
    """Attribute `attr` of ROLES for each role name in `roles`."""
    lookup = {name: getattr(spec, attr) for name, spec in ROLES.items()}
    return np.array([lookup[r] for r in roles])


def _lines(scale: float) -> _Lines:
    """Establishment lines for a council `scale` times the demo's size (teams repeated, posts scaled)."""
    copies = max(1, round(scale))
    factor = scale / copies
    base = [(s, t, r, f) for s, teams in STRUCTURE.items() for t, roles in teams.items() for r, f in roles.items()]
    service, team, role, funded = [], [], [], []
    for i in range(copies):
        suffix = "" if copies == 1 else f" {i + 1}"
        for s, t, r, f in base:
            service.append(s)
            team.append(t + suffix)
            role.append(r)
            funded.append(f)
    service_a = np.array(service, dtype=object)
    role_a = np.array(role, dtype=object)
    funded_a = np.round(np.array(funded, dtype=float) * factor, 1)
    team_a = np.array(team, dtype=object)
    team_id = pd.factorize(pd.Series(service_a) + "|" + pd.Series(team_a))[0]
    vac_w = _role_array(role_a, "vacancy").astype(float)
    agency_w = _role_array(role_a, "agency").astype(float)
    in_post = np.zeros(len(role_a))
    agency = np.zeros(len(role_a))
    for name, svc in SERVICES.items():
        m = service_a == name
        f_s = funded_a[m].sum()
        target = svc.in_post * scale
        vacancy_rate = max(0.0, 1 - target / f_s)
        weight = funded_a[m] * vac_w[m]
        v_line = np.clip(vacancy_rate * f_s * vac_w[m] / weight.sum(), 0, 0.9)
        in_post[m] = funded_a[m] * (1 - v_line)
        in_post[m] *= target / in_post[m].sum()  # undo the clip's small effect
        agency_fte = target * svc.agency_rate / (1 - svc.agency_rate)
        aw = funded_a[m] * agency_w[m]
        agency[m] = agency_fte * aw / aw.sum() if aw.sum() else 0.0
    return _Lines(service_a, team_a, role_a, team_id, funded_a, np.minimum(in_post, funded_a), agency)


# --------------------------------------------------------------------------- staff


def _staff_rows(lines: _Lines, rng: np.random.Generator, as_of: np.datetime64, scale: float) -> dict[str, np.ndarray]:
    """Every staff row (current employees, current agency, leavers, ended agency placements) before ids."""
    # Kind 0: employees in post; kind 1: agency in post; kind 2: employed leavers; kind 3: ended agency placements.
    cur_line, cur_fte = _fill(lines.in_post, rng)
    ag_line, ag_fte = _fill(lines.agency, rng, part_share=0.1)
    services = list(SERVICES)
    leave_w = _role_array(lines.role, "leaving").astype(float)
    agency_w = _role_array(lines.role, "agency").astype(float)
    lv_line, pa_line = [], []
    for name in services:
        idx = np.flatnonzero(lines.service == name)
        svc = SERVICES[name]
        n_leavers = round(svc.turnover * svc.in_post * scale * HISTORY_YEARS / 0.95)
        w = lines.funded[idx] * leave_w[idx]
        lv_line.append(rng.choice(idx, n_leavers, p=w / w.sum()))
        n_agency_now = int(np.isin(ag_line, idx).sum())
        aw = lines.funded[idx] * agency_w[idx]
        if aw.sum() > 0:
            pa_line.append(rng.choice(idx, round(n_agency_now * 1.3), p=aw / aw.sum()))
    lv_line = np.concatenate(lv_line)
    pa_line = np.concatenate(pa_line) if pa_line else np.array([], dtype=np.int64)
    line = np.concatenate([cur_line, ag_line, lv_line, pa_line])
    kind = np.repeat(np.arange(4), [len(cur_line), len(ag_line), len(lv_line), len(pa_line)])
    fte = np.concatenate([cur_fte, ag_fte, _draw_fte(rng, len(lv_line)), _draw_fte(rng, len(pa_line), 0.1)])
    return {"line": line, "kind": kind, "fte": fte}


def _dates(rows: dict[str, np.ndarray], lines: _Lines, rng: np.random.Generator, as_of: np.datetime64) -> None:
    """Start and end dates: length of service, placements, and leavers spread evenly over the history."""
    kind, line = rows["kind"], rows["line"]
    n = len(kind)
    svc_years = np.array([SERVICES[s].service_years for s in lines.service])[line]
    turnover = np.array([SERVICES[s].turnover for s in lines.service])[line]
    horizon = int(HISTORY_YEARS * 365.25)
    # Employees in post: recent starters in proportion to turnover, the rest with a long tail of service.
    recent = rng.random(n) < turnover * 1.05
    service_days = np.where(recent, rng.integers(0, 365, n), 365 + rng.exponential(svc_years * 365.25, n))
    service_days = np.minimum(service_days, 38 * 365)
    # Agency in post: placements so far, a quarter running beyond a year.
    placement_days = np.minimum(rng.exponential(240, n), 3 * 365)
    # Leavers: end dates spread evenly over the history window within each service area.
    end_back = np.zeros(n)
    for k in (2, 3):
        for s in SERVICES:
            m = np.flatnonzero((kind == k) & (lines.service[line] == s))
            if len(m):
                u = (rng.permutation(len(m)) + rng.random(len(m))) / len(m)
                end_back[m] = np.floor(u * horizon)
    first_year = rng.random(n) < 0.2
    tenure = np.where(first_year, rng.integers(60, 365, n), 365 + rng.exponential(4 * 365.25, n))
    tenure = np.minimum(tenure, 38 * 365)
    agency_tenure = rng.integers(30, 540, n)
    end = as_of - end_back.astype("timedelta64[D]")
    start = np.select(
        [kind == 0, kind == 1, kind == 2],
        [
            as_of - service_days.astype(np.int64).astype("timedelta64[D]"),
            as_of - placement_days.astype(np.int64).astype("timedelta64[D]"),
            end - tenure.astype(np.int64).astype("timedelta64[D]"),
        ],
        end - agency_tenure.astype("timedelta64[D]"),
    )
    rows["start_date"] = start.astype("datetime64[D]")
    rows["end_date"] = np.where(kind >= 2, end, np.datetime64("NaT")).astype("datetime64[D]")


def _worker_types(rows: dict[str, np.ndarray], lines: _Lines, rng: np.random.Generator) -> np.ndarray:
    """permanent mostly; some fixed-term; apprentices and casuals in support roles; agency for kinds 1 and 3."""
    kind, role = rows["kind"], lines.role[rows["line"]]
    n = len(kind)
    u = rng.random(n)
    support = np.isin(role, ["Family Support Worker", "Nursery Nurse", "SEND Officer", "Contact Supervisor"])
    wt = np.full(n, "permanent", dtype=object)
    wt[u < 0.06] = "fixed_term"
    wt[support & (u >= 0.06) & (u < 0.12)] = "apprentice"
    wt[np.isin(role, ["Contact Supervisor", "Family Support Worker"]) & (u >= 0.12) & (u < 0.17)] = "casual"
    wt[(kind == 1) | (kind == 3)] = "agency"
    return wt


def _pay(rows: dict[str, np.ndarray], lines: _Lines, rng: np.random.Generator, as_of: np.datetime64) -> None:
    """Annual salary on pay points (employees) and hourly rates (agency, some above the cap)."""
    kind = rows["kind"]
    n = len(kind)
    employed = rows["worker_type"] != "agency"
    lo = _role_array(lines.role, "pay")[:, 0][rows["line"]]
    hi = _role_array(lines.role, "pay")[:, 1][rows["line"]]
    points = _role_array(lines.role, "points")[rows["line"]]
    until = np.where(kind == 2, rows["end_date"], as_of)
    years = (until - rows["start_date"]).astype(np.int64) / 365.25
    point = np.minimum(points - 1, np.floor(years / 1.6 + rng.random(n) * 1.2)).astype(np.int64)
    salary = lo + (hi - lo) * point / np.maximum(points - 1, 1)
    salary = np.where(rows["worker_type"] == "apprentice", lo * 0.8, salary)
    rows["annual_salary"] = np.where(employed, np.round(salary), np.nan)
    caps = np.array([AGENCY_CAPS.get(r, np.nan) for r in lines.role])[rows["line"]]
    mean = _role_array(lines.role, "rate")[:, 0][rows["line"]]
    sd = _role_array(lines.role, "rate")[:, 1][rows["line"]]
    free = mean + sd * rng.standard_normal(n)
    u = rng.random(n)
    capped = np.where(u < 0.15, caps * rng.uniform(1.02, 1.25, n), np.where(u < 0.45, caps, caps * rng.uniform(0.88, 1.0, n)))
    rate = np.where(np.isnan(caps), free, capped)
    rows["hourly_rate"] = np.where(~employed, np.round(rate, 2), np.nan)


def _qualified(rows: dict[str, np.ndarray], lines: _Lines, rng: np.random.Generator, as_of: np.datetime64) -> None:
    """Qualification dates: experience before starting, newly qualified hires for social workers."""
    n = len(rows["kind"])
    spec = [ROLES[r].qualified for r in lines.role]
    has = np.array([s is not None for s in spec])[rows["line"]]
    lo = np.array([s[0] if s else 0 for s in spec], dtype=float)[rows["line"]]
    hi = np.array([s[1] if s else 0 for s in spec], dtype=float)[rows["line"]]
    asye = _role_array(lines.role, "asye").astype(float)[rows["line"]]
    recent = (as_of - rows["start_date"]).astype(np.int64) < 365
    # Newly qualified workers join as employees (the ASYE year), hardly ever through an agency.
    agency = rows["kind"] % 2 == 1
    asye_now = np.where(agency, asye * 0.05, np.where(recent, np.minimum(1.0, asye * 2.5), asye))
    newly = rng.random(n) < asye_now
    before = np.where(newly, rng.integers(15, 120, n), rng.uniform(lo, hi, n) * 365.25 + 30).astype(np.int64)
    q = rows["start_date"] - before.astype("timedelta64[D]")
    rows["qualified_date"] = np.where(has, q, np.datetime64("NaT")).astype("datetime64[D]")


def _caseloads(rows: dict[str, np.ndarray], lines: _Lines, rng: np.random.Generator, as_of: np.datetime64) -> None:
    """Cases held at the as-of date by children's social workers in case-holding teams (some ASYEs high)."""
    n = len(rows["kind"])
    spec = [ROLES[r].caseload for r in lines.role]
    holds = np.array(
        [c is not None and s == "Children's Social Work" and t.rstrip(" 0123456789") not in CASE_TEAMS_EXCLUDED for c, s, t in zip(spec, lines.service, lines.team, strict=True)]
    )[rows["line"]]
    holds &= rows["kind"] <= 1
    mean = np.array([c[0] if c else 0 for c in spec], dtype=float)[rows["line"]]
    sd = np.array([c[1] if c else 0 for c in spec], dtype=float)[rows["line"]]
    asye = (as_of - rows["qualified_date"]).astype("timedelta64[D]").astype(np.int64) < 365
    asye &= ~np.isnat(rows["qualified_date"])
    high = rng.random(n) < 0.35
    mean = np.where(asye, np.where(high, 19.0, 12.0), mean)
    cases = np.clip(np.round((mean + sd * rng.standard_normal(n)) * np.minimum(rows["fte"] + 0.1, 1.0)), 3, 30)
    rows["caseload"] = np.where(holds, cases, np.nan)


def _people(rows: dict[str, np.ndarray], lines: _Lines, rng: np.random.Generator) -> None:
    """Gender (more men among managers, for a pay gap) and sickness absence of employees in post."""
    n = len(rows["kind"])
    male = _role_array(lines.role, "male").astype(float)[rows["line"]]
    u = rng.random(n)
    gender = np.where(u < male, "male", "female").astype(object)
    v = rng.random(n)
    gender[v < 0.015] = "not known"
    gender[(v >= 0.015) & (v < 0.02)] = "other"
    rows["gender"] = gender
    long_term = rng.random(n) < 0.05
    days = np.where(rng.random(n) < 0.4, 0.0, rng.gamma(1.2, 8.0, n))
    days = np.where(long_term, rng.uniform(25, 110, n), days)
    days = np.round(days * rows["fte"] * 2) / 2
    rows["absence_days"] = np.where((rows["kind"] == 0), days, np.nan)


def _leaving(rows: dict[str, np.ndarray], lines: _Lines, rng: np.random.Generator) -> np.ndarray:
    """Leaving reasons of employed leavers; ended agency placements end by 'end of contract'."""
    kind = rows["kind"]
    n = len(kind)
    reason = np.full(n, None, dtype=object)
    is_csw = lines.service[rows["line"]] == "Children's Social Work"
    for key, mask in (("Children's Social Work", is_csw), ("other", ~is_csw)):
        labels, probs = zip(*LEAVING_REASONS_P[key], strict=True)
        m = (kind == 2) & mask
        reason[m] = _pick(rng, list(labels), list(probs), int(m.sum()))
    reason[(kind == 2) & (rows["worker_type"] == "fixed_term") & (rng.random(n) < 0.8)] = "end of contract"
    reason[kind == 3] = "end of contract"
    return reason


def _ids_and_managers(rows: dict[str, np.ndarray], lines: _Lines, rng: np.random.Generator) -> None:
    """Worker numbers (random order) and each row's manager's number: team managers, then service managers above them."""
    n = len(rows["kind"])
    rows["number"] = rng.permutation(n) + 1
    level = _role_array(lines.role, "manager").astype(np.int64)[rows["line"]]
    team = lines.team_id[rows["line"]]
    service = pd.factorize(lines.service)[0][rows["line"]]
    current = rows["kind"] <= 1
    manager = np.full(n, -1, dtype=np.int64)

    def assign(members: np.ndarray, member_group: np.ndarray, bosses: np.ndarray, boss_group: np.ndarray, balanced: bool) -> np.ndarray:
        """For each member, a boss in the same group (balanced round robin or random); -1 where the group has none."""
        order = np.argsort(boss_group, kind="stable")
        bosses, boss_group = bosses[order], boss_group[order]
        n_groups = int(max(member_group.max(initial=-1), boss_group.max(initial=-1))) + 1
        count = np.bincount(boss_group, minlength=n_groups)
        start = _group_starts(count)
        c = count[member_group]
        pick = _rank_within(member_group, rng) if balanced else np.floor(rng.random(len(members)) * np.maximum(c, 1)).astype(np.int64)
        return np.where(c > 0, bosses[np.minimum(start[member_group] + pick % np.maximum(c, 1), len(bosses) - 1)] if len(bosses) else -1, -1)

    team_bosses = np.flatnonzero(current & (level == 1))
    svc_bosses = np.flatnonzero(current & (level == 2))
    for cur in (True, False):
        members = np.flatnonzero((level == 0) & (current == cur))
        boss = assign(members, team[members], team_bosses, team[team_bosses], balanced=cur)
        missing = boss < 0
        boss[missing] = assign(members[missing], service[members[missing]], svc_bosses, service[svc_bosses], balanced=cur)
        manager[members] = boss
    members = np.flatnonzero(level == 1)
    manager[members] = assign(members, service[members], svc_bosses, service[svc_bosses], balanced=True)
    rows["manager_number"] = np.where(manager >= 0, rows["number"][np.maximum(manager, 0)], -1)


def _trim(rows: dict[str, np.ndarray], lines: _Lines, target: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Drop random non-manager rows so the staff table has exactly `target` rows."""
    n = len(rows["kind"])
    if n <= target:
        return rows
    level = _role_array(lines.role, "manager").astype(np.int64)[rows["line"]]
    candidates = np.flatnonzero(level == 0)
    if len(candidates) < n - target:  # a tiny council: managers go too
        candidates = np.arange(n)
    drop = rng.choice(candidates, n - target, replace=False)
    keep = np.ones(n, bool)
    keep[drop] = False
    return {k: v[keep] for k, v in rows.items()}


_STR = pd.StringDtype("pyarrow", na_value=np.nan)
"""pandas' default string dtype (pandas 3), built straight from Arrow for speed."""


def _text(values: np.ndarray, index: np.ndarray | None = None) -> pd.Series:
    """A str Series of `values` (an object array, None = blank), optionally taken at `index`; fast for millions of rows."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if index is not None:
        codes = codes[index]
    taken = pa.array(np.asarray(uniques, dtype=object), type=pa.string()).take(pa.array(codes, mask=codes < 0))
    return pd.Series(pd.arrays.ArrowStringArray(taken, dtype=_STR))


def _worker_ids(numbers: np.ndarray, width: int) -> pd.Series:
    """'W' + zero-padded number for each number (blank where the number is negative)."""
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers, mask=numbers < 0), pa.string()), width=width, padding="0")
    ids = pc.binary_join_element_wise(pa.scalar("W"), digits, pa.scalar(""))
    return pd.Series(pd.arrays.ArrowStringArray(ids, dtype=_STR))


def _staff_frame(rows: dict[str, np.ndarray], lines: _Lines) -> pd.DataFrame:
    """The staff table in canonical column order, sorted by worker id like an HR extract."""
    order = np.argsort(rows["number"])
    ln = rows["line"][order]
    width = max(6, len(str(len(order))))

    def date(col: str) -> pd.Series:
        return pd.Series(rows[col][order].astype("datetime64[s]"))

    caseload = pd.array(rows["caseload"][order], dtype="Float64").astype("Int64")
    frame = pd.DataFrame(
        {
            "worker_id": _worker_ids(rows["number"][order], width),
            "service_area": _text(lines.service, ln),
            "team": _text(lines.team, ln),
            "role": _text(lines.role, ln),
            "grade": _text(_role_array(lines.role, "grade").astype(object), ln),
            "worker_type": _text(rows["worker_type"][order]),
            "fte": np.round(rows["fte"][order], 2),
            "start_date": date("start_date"),
            "end_date": date("end_date"),
            "leaving_reason": _text(rows["leaving_reason"][order]),
            "annual_salary": rows["annual_salary"][order],
            "hourly_rate": rows["hourly_rate"][order],
            "caseload": caseload,
            "qualified_date": date("qualified_date"),
            "manager_id": _worker_ids(rows["manager_number"][order], width),
            "gender": _text(rows["gender"][order]),
            "absence_days": rows["absence_days"][order],
        }
    )
    return frame[[c for c in TABLES["staff"].column_names if c in frame.columns]]


def _build_staff(lines: _Lines, rng: np.random.Generator, as_of: np.datetime64, scale: float, rows_target: int | None) -> pd.DataFrame:
    """The staff table for the given establishment lines."""
    rows = _staff_rows(lines, rng, as_of, scale)
    _dates(rows, lines, rng, as_of)
    if rows_target is not None:
        rows = _trim(rows, lines, rows_target, rng)
    rows["worker_type"] = _worker_types(rows, lines, rng)
    _pay(rows, lines, rng, as_of)
    _qualified(rows, lines, rng, as_of)
    _caseloads(rows, lines, rng, as_of)
    _people(rows, lines, rng)
    rows["leaving_reason"] = _leaving(rows, lines, rng)
    _ids_and_managers(rows, lines, rng)
    return _staff_frame(rows, lines)


# --------------------------------------------------------------------------- other tables


def _establishment(lines: _Lines) -> pd.DataFrame:
    """Funded FTE per service area, team and role."""
    frame = pd.DataFrame(
        {
            "service_area": pd.Series(lines.service, dtype="str"),
            "team": pd.Series(lines.team, dtype="str"),
            "role": pd.Series(lines.role, dtype="str"),
            "funded_fte": lines.funded,
        }
    )
    return frame[[c for c in TABLES["establishment"].column_names if c in frame.columns]]


def _market_pay() -> pd.DataFrame:
    """Market median salary per role and grade, with where each comparator comes from."""
    rows = []
    for name, role in ROLES.items():
        mid = (role.pay[0] + role.pay[1]) / 2
        if role.grade.startswith("Band"):
            source, median = "NHS Agenda for Change 2026/27", mid
        elif role.grade.startswith("Soulbury"):
            source, median = "Regional salary survey 2026 (Soulbury)", mid * MARKET_FACTOR.get(name, 1.0)
        else:
            source, median = "Regional salary survey 2026", mid * MARKET_FACTOR.get(name, 1.0)
        rows.append({"role": name, "grade": role.grade, "market_median_salary": float(round(median / 50) * 50), "source": source})
    frame = pd.DataFrame(rows).astype({"role": "str", "grade": "str", "source": "str"})
    return frame[[c for c in TABLES["market_pay"].column_names if c in frame.columns]]


def _agency_caps() -> pd.DataFrame:
    """The five regional role groups' maximum hourly rates, named as the roles appear in staff."""
    frame = pd.DataFrame({"role": pd.Series(list(AGENCY_CAPS), dtype="str"), "max_hourly_rate": list(AGENCY_CAPS.values())})
    return frame[[c for c in TABLES["agency_caps"].column_names if c in frame.columns]]


def _recruitment(lines: _Lines, rng: np.random.Generator, as_of: np.datetime64, scale: float) -> pd.DataFrame:
    """Advert campaigns over the history window, with the funnel from applications to appointment."""
    picked = []
    for name, svc in SERVICES.items():
        idx = np.flatnonzero(lines.service == name)
        w = lines.funded[idx] * _role_array(lines.role[idx], "vacancy").astype(float)
        picked.append(rng.choice(idx, max(1, round(svc.campaigns * scale)), p=w / w.sum()))
    line = np.concatenate(picked)
    n = len(line)
    role = lines.role[line]
    horizon = int(HISTORY_YEARS * 365.25)
    advert = as_of - rng.integers(35, horizon, n).astype("timedelta64[D]")
    closing = advert + rng.choice([14, 21, 28], n).astype("timedelta64[D]")
    apps = rng.poisson(_role_array(role, "applications").astype(float))
    shortlisted = rng.binomial(apps, 0.45)
    interviewed = rng.binomial(shortlisted, 0.8)
    offers = rng.binomial(interviewed, 0.5)
    csw = lines.service[line] == "Children's Social Work"
    declined = rng.binomial(offers, np.where(csw, 0.25, 0.15))
    appointed = offers - declined
    hard = np.clip(_role_array(role, "vacancy").astype(float), 0.5, 2.0)
    times = 1 + rng.poisson(0.5 * hard + np.where(appointed == 0, 0.8, 0.0))
    start = closing + rng.integers(45, 120, n).astype("timedelta64[D]")
    start = np.where((appointed > 0) & (start <= as_of), start, np.datetime64("NaT")).astype("datetime64[D]")
    frame = pd.DataFrame(
        {
            "service_area": pd.Series(lines.service[line], dtype="str"),
            "role": pd.Series(role, dtype="str"),
            "advert_date": advert.astype("datetime64[s]"),
            "closing_date": closing.astype("datetime64[s]"),
            "applications": apps,
            "shortlisted": shortlisted,
            "interviewed": interviewed,
            "offers": offers,
            "offers_declined": declined,
            "appointed": appointed,
            "times_advertised": times,
            "start_date": start.astype("datetime64[s]"),
        }
    )
    frame = frame.sort_values(["advert_date", "service_area", "role"], kind="stable").reset_index(drop=True)
    return frame[[c for c in TABLES["recruitment"].column_names if c in frame.columns]]


# --------------------------------------------------------------------------- staff voice (survey, supervision, induction)

VOICE_MAX_ROWS = 5_000
"""Councils up to this many staff rows get the staff voice tables too (a worker-month supervision log of a
million-row council is not what the benchmarks measure)."""

SURVEY_RESPONSE_RATE = 0.55
"""Share of employees in post who answer each staff survey."""

# (theme, question wording, base share agreeing per service area in the latest survey, yearly rise in CSW)
SURVEY_QUESTIONS: tuple[tuple[str, str, dict[str, float], float], ...] = (
    ("Would recommend as an employer", "I would recommend the council as a place to work",
     {"Children's Social Work": 0.58, "Education Psychology": 0.64, "Public Health Nursing": 0.66, "SEND 0-25": 0.52},
     0.07),
    ("Manageable workload", "My workload is manageable",
     {"Children's Social Work": 0.36, "Education Psychology": 0.44, "Public Health Nursing": 0.52, "SEND 0-25": 0.34},
     0.02),
    ("Quality of supervision", "I receive good quality supervision",
     {"Children's Social Work": 0.72, "Education Psychology": 0.82, "Public Health Nursing": 0.70, "SEND 0-25": 0.66},
     0.0),
    ("Support from my manager", "My manager supports me",
     {"Children's Social Work": 0.78, "Education Psychology": 0.80, "Public Health Nursing": 0.76, "SEND 0-25": 0.72},
     0.0),
    ("Intend to stay", "I intend to be working here in 12 months' time",
     {"Children's Social Work": 0.60, "Education Psychology": 0.70, "Public Health Nursing": 0.74, "SEND 0-25": 0.62},
     0.03),
    ("I have the equipment I need to do my job", "I have the equipment I need to do my job",
     {"Children's Social Work": 0.70, "Education Psychology": 0.74, "Public Health Nursing": 0.68, "SEND 0-25": 0.71},
     0.0),
)
WELLBEING_MEAN: dict[str, float] = {"Children's Social Work": 3.3, "Education Psychology": 3.6,
                                    "Public Health Nursing": 3.6, "SEND 0-25": 3.4}
"""Mean wellbeing score (1-5 scale) per service area: the one theme reported as a score."""
SECTOR_BENCHMARK: dict[str, float] = {"Would recommend as an employer": 0.61, "Manageable workload": 0.41,
                                      "Quality of supervision": 0.74, "Support from my manager": 0.77,
                                      "Intend to stay": 0.66}
BENCHMARK_SOURCE = "Illustrative sector benchmark (demo data, not a published figure)"
CASE_SUPERVISED_QUARTERLY = ("Public Health Nursing",)
"""Services whose case (safeguarding) supervision is expected quarterly rather than monthly."""
INDUCTION_DAYS = 84
"""The demo's agreed induction period (12 weeks), as the default setting."""
PROTECTED_CAP = 12
"""Protected caseload cap agreed for the demo's newly qualified social workers."""


def _in_post(staff: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    return (staff["start_date"] <= day) & (staff["end_date"].isna() | (staff["end_date"] > day))


def _team_turnover(staff: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """Employed leavers in the 12 months to `day` ÷ employed headcount in post at `day`, per team."""
    employed = staff["worker_type"] != "agency"
    now = staff[employed & _in_post(staff, day)].groupby("team").size()
    left = staff[employed & (staff["end_date"] > day - pd.DateOffset(years=1)) & (staff["end_date"] <= day)]
    return (left.groupby("team").size().reindex(now.index, fill_value=0) / now).fillna(0.0)


def _survey(staff: pd.DataFrame, rng: np.random.Generator, as_of: np.datetime64) -> pd.DataFrame:
    """Three annual staff surveys (closing mid-November), answered person by person and reported by group.

    Each respondent agrees with each question with a chance set by their service area, the year (children's
    social work improving) and their team's turnover (teams losing staff say less), so every group's result
    is a true share of its own respondents: whole council, service areas, teams (2+ respondents) and the
    larger roles (10+).
    """
    end = pd.Timestamp(as_of)
    rows = []
    employed = staff["worker_type"] != "agency"
    for back in (3, 2, 1):
        closing = end - pd.DateOffset(years=back) + pd.Timedelta(days=46)
        name = f"Staff survey {closing.year}"
        people = staff[employed & _in_post(staff, closing)]
        people = people[rng.random(len(people)) < SURVEY_RESPONSE_RATE]
        if people.empty:  # a council too small to have anyone answer
            continue
        turnover = _team_turnover(staff, closing)
        team_turnover = pd.to_numeric(people["team"].map(turnover), errors="coerce").astype("float64").fillna(0.0)
        deviation = (team_turnover - team_turnover.groupby(people["service_area"]).transform("mean")).to_numpy()
        team_noise = {t: rng.normal(0, 0.03) for t in sorted(people["team"].unique())}
        shift = np.clip(-0.8 * deviation, -0.12, 0.12) + people["team"].map(team_noise).to_numpy()
        answers = {}
        for theme, _, base, rise in SURVEY_QUESTIONS:
            start = people["service_area"].map(base).to_numpy()
            csw = (people["service_area"] == "Children's Social Work").to_numpy()
            chance = np.clip(start - np.where(csw, rise * (back - 1), 0.0) + shift, 0.05, 0.95)
            answers[theme] = rng.random(len(people)) < chance
        scores = np.clip(np.round(rng.normal(people["service_area"].map(WELLBEING_MEAN).to_numpy()
                                             + shift * 3, 1.0)), 1, 5)
        frame = people[["service_area", "team", "role"]].assign(_score=scores, **{f"_a{i}": answers[q[0]] for i, q in
                                                                               enumerate(SURVEY_QUESTIONS)})
        groups = [("whole council", None, frame)]
        groups += [("service area", a, part) for a, part in frame.groupby("service_area", sort=True)]
        groups += [("team", t, part) for t, part in frame.groupby("team", sort=True) if len(part) >= 2]
        groups += [("role", r, part) for r, part in frame.groupby("role", sort=True) if len(part) >= 10]
        for kind, group, part in groups:
            if part.empty:
                continue
            parent = part["service_area"].iloc[0] if kind == "team" else None
            for i, (theme, question, _, _) in enumerate(SURVEY_QUESTIONS):
                benchmark = SECTOR_BENCHMARK.get(theme) if back == 1 and kind in ("whole council", "service area") \
                    else None
                rows.append({"survey": name, "survey_date": closing, "theme": theme, "question": question,
                             "group_type": kind, "group_name": group, "service_area": parent,
                             "respondents": len(part), "percent_agree": round(part[f"_a{i}"].mean() * 100, 1),
                             "comparator_percent": None if benchmark is None else round(benchmark * 100, 1),
                             "comparator_source": None if benchmark is None else BENCHMARK_SOURCE})
            rows.append({"survey": name, "survey_date": closing, "theme": "Wellbeing",
                         "question": "Overall, how would you rate your wellbeing at work? (1 = very poor, 5 = very good)",
                         "group_type": kind, "group_name": group, "service_area": parent, "respondents": len(part),
                         "mean_score": round(float(part["_score"].mean()), 2), "scale_max": 5.0})
    frame = pd.DataFrame(rows, columns=[c for c in TABLES["survey"].column_names if c != "comparator_score"])
    frame["survey_date"] = frame["survey_date"].astype("datetime64[s]")
    for column in ("survey", "theme", "question", "group_type", "group_name", "service_area", "comparator_source"):
        frame[column] = frame[column].astype("str").where(frame[column].notna(), None) if column in frame else None
    return frame[[c for c in TABLES["survey"].column_names if c in frame.columns]]


def _supervision(staff: pd.DataFrame, rng: np.random.Generator, as_of: np.datetime64) -> pd.DataFrame:
    """A worker-month supervision log for the 24 months to the as-of date.

    Case supervision is expected monthly (twice a month in a newly qualified social worker's first six months;
    quarterly safeguarding supervision in public health nursing), wellbeing supervision quarterly (January,
    April, July, October). Sessions are held less often in the busiest children's social work teams and for
    agency workers; wellbeing supervision improves after a 'wellbeing offer' a year before the as-of date.
    """
    end = pd.Timestamp(as_of)
    months = [pd.Timestamp(d) for d in pd.date_range(end=end, periods=24, freq="ME")]
    frames = []
    for index, month_end in enumerate(months):
        people = staff[_in_post(staff, month_end)]
        qualified = (month_end - people["qualified_date"]).dt.days
        newly = (qualified >= 0) & (qualified < 183) & (people["role"] == "Social Worker")
        quarterly = people["service_area"].isin(CASE_SUPERVISED_QUARTERLY)
        case_expected = np.where(quarterly, int(month_end.month % 3 == 0), np.where(newly, 2, 1))
        wellbeing_expected = np.full(len(people), int(month_end.month % 3 == 1))
        busy = people["team"].isin(["Child Protection", "Assessment", "First Response/MASH"]).to_numpy()
        agency = (people["worker_type"] == "agency").to_numpy()
        p_case = np.clip(0.9 - 0.12 * busy - 0.06 * agency + 0.002 * index, 0.3, 0.98)
        p_wellbeing = np.where(index >= 12, 0.82, 0.62) - 0.08 * busy
        case_held = rng.binomial(case_expected, p_case) + (rng.random(len(people)) < 0.03)
        wellbeing_held = rng.binomial(wellbeing_expected, p_wellbeing)
        part = pd.DataFrame({"worker_id": people["worker_id"].to_numpy(), "team": people["team"].to_numpy(),
                             "month": month_end.replace(day=1), "case_supervision_held": case_held,
                             "case_supervision_expected": case_expected,
                             "wellbeing_supervision_held": wellbeing_held,
                             "wellbeing_supervision_expected": wellbeing_expected})
        frames.append(part[(part["case_supervision_expected"] > 0) | (part["wellbeing_supervision_expected"] > 0)])
    frame = pd.concat(frames, ignore_index=True)
    frame["month"] = frame["month"].astype("datetime64[s]")
    for column in ("worker_id", "team"):
        frame[column] = frame[column].astype("str")
    frame = frame.sort_values(["month", "worker_id"], kind="stable").reset_index(drop=True)
    return frame[[c for c in TABLES["supervision"].column_names if c in frame.columns]]


def _induction(staff: pd.DataFrame, rng: np.random.Generator, as_of: np.datetime64) -> pd.DataFrame:
    """The new starters' tracker: employees who started in the 24 months to the as-of date (leavers included).

    Induction is finished within the agreed 12 weeks by most starters (fewer in children's social work, improving
    over the two years); a mentor for most; newly qualified social workers with a protected caseload cap, which
    the staff table's caseloads exceed for some.
    """
    end = pd.Timestamp(as_of)
    starters = staff[(staff["worker_type"] != "agency") & (staff["start_date"] > end - pd.DateOffset(years=2))
                     & (staff["start_date"] <= end)].sort_values("worker_id").reset_index(drop=True)
    n = len(starters)
    csw = (starters["service_area"] == "Children's Social Work").to_numpy()
    age = (end - starters["start_date"]).dt.days.to_numpy()
    on_time = rng.random(n) < np.where(csw, 0.75 - 0.2 * age / 730, 0.82)
    days = np.where(on_time, rng.integers(28, INDUCTION_DAYS + 1, n), rng.integers(INDUCTION_DAYS + 1, 170, n))
    completed = starters["start_date"] + pd.to_timedelta(days, unit="D")
    done = (rng.random(n) > 0.08) & (completed <= end) & (starters["end_date"].isna() | (completed <= starters["end_date"]))
    qualified = starters["qualified_date"]
    newly = (qualified > end - pd.DateOffset(years=1)) & (qualified <= end)
    mentor = np.where(rng.random(n) < np.where(newly, 0.95, 0.78), "yes", np.where(rng.random(n) < 0.6, "no", None))
    frame = pd.DataFrame({
        "worker_id": starters["worker_id"].astype("str"), "team": starters["team"].astype("str"),
        "start_date": starters["start_date"],
        "induction_completed_date": completed.where(done),
        "mentor_assigned": pd.Series(mentor, dtype="object"),
        "newly_qualified": np.where(newly, "yes", "no"),
        "protected_caseload_cap": pd.array(np.where(newly & starters["caseload"].notna(), PROTECTED_CAP, np.nan),
                                           dtype="Float64").astype("Int64"),
    })
    frame["induction_completed_date"] = frame["induction_completed_date"].astype("datetime64[s]")
    frame["start_date"] = frame["start_date"].astype("datetime64[s]")
    for column in ("mentor_assigned", "newly_qualified"):
        frame[column] = frame[column].astype("str").where(frame[column].notna(), None)
    return frame[[c for c in TABLES["induction"].column_names if c in frame.columns]]


def staff_voice(staff: pd.DataFrame, seed: int = DEFAULT_SEED, as_of: str | dt.date = DEFAULT_AS_OF
                ) -> dict[str, pd.DataFrame]:
    """The survey, supervision and induction tables of the council whose staff table is `staff` (seeded)."""
    rng = np.random.default_rng([seed, 15])
    day = _as_date(as_of)
    return {"survey": _survey(staff, rng, day), "supervision": _supervision(staff, rng, day),
            "induction": _induction(staff, rng, day)}


# --------------------------------------------------------------------------- public API


def generate(rows: int | None = None, seed: int = DEFAULT_SEED, as_of: str | dt.date = DEFAULT_AS_OF,
             voice: bool | None = None) -> dict[str, pd.DataFrame]:
    """The synthetic council's tables, by canonical table name (staff, establishment, market_pay, agency_caps,
    recruitment, and the staff voice tables survey, supervision, induction).

    `rows=None` gives the demo council; `rows=N` a council with a staff table
    of exactly N rows and the same shape (teams repeated, posts scaled).
    `voice` adds the staff voice tables (default: for councils up to VOICE_MAX_ROWS staff rows).
    Deterministic: the same arguments give equal frames.
    """
    as_of_d = _as_date(as_of)
    scale = 1.0 if rows is None else max(rows / DEMO_ROWS_ESTIMATE * 1.01, MIN_SCALE)
    for _ in range(4):
        rng = np.random.default_rng(seed)
        lines = _lines(scale)
        staff = _build_staff(lines, rng, as_of_d, scale, rows)
        if rows is None or len(staff) >= rows:
            break
        scale *= rows / max(len(staff), 1) * 1.02
    frames = {
        "staff": staff,
        "establishment": _establishment(lines),
        "market_pay": _market_pay(),
        "agency_caps": _agency_caps(),
        "recruitment": _recruitment(lines, rng, as_of_d, scale),
    }
    if voice if voice is not None else (rows is None or rows <= VOICE_MAX_ROWS):
        frames.update(staff_voice(staff, seed, as_of))
    return frames


def summary(frames: dict[str, pd.DataFrame], as_of: str | dt.date = DEFAULT_AS_OF, years: int = HISTORY_YEARS) -> pd.DataFrame:
    """The council's committee-paper table: one row per service area and year (30 Sept style as-of dates).

    What a council without a row-level extract would upload as `summary`,
    computed from the generated staff and establishment with the METRICS.md
    definitions (rates as fractions 0-1, as the summary table stores them).
    """
    staff, est = frames["staff"], frames["establishment"]
    end = pd.Timestamp(_as_date(as_of))
    employed = staff["worker_type"] != "agency"
    funded = est.groupby(["service_area", "team", "role"])["funded_fte"].sum()
    rows = []
    for back in range(years - 1, -1, -1):
        day = end - pd.DateOffset(years=back)
        year_ago = day - pd.DateOffset(years=1)
        in_post = (staff["start_date"] <= day) & (staff["end_date"].isna() | (staff["end_date"] > day))
        now = staff[in_post & employed]
        by_line = now.groupby(["service_area", "team", "role"])["fte"].sum().reindex(funded.index, fill_value=0.0)
        vacancy = (funded - by_line).clip(lower=0).groupby(level="service_area").sum()
        agency = staff[in_post & ~employed].groupby("service_area")["fte"].sum()
        left = employed & (staff["end_date"] > year_ago) & (staff["end_date"] <= day)
        started = employed & (staff["start_date"] > year_ago) & (staff["start_date"] <= day)
        leavers = staff[left].groupby("service_area")["fte"].sum()
        starters = staff[started].groupby("service_area")["fte"].sum()
        holders = staff[in_post & (staff["caseload"].fillna(0) > 0)] if back == 0 else staff.iloc[0:0]
        for area, group in now.groupby("service_area"):
            fte, vac, ag = group["fte"].sum(), vacancy.get(area, 0.0), agency.get(area, 0.0)
            held = holders[holders["service_area"] == area]
            rows.append(
                {
                    "service_area": area,
                    "period": str(day.year),
                    "fte": round(fte, 1),
                    "headcount": float(len(group)),
                    "vacancy_fte": round(vac, 1),
                    "vacancy_rate": round(vac / (vac + fte), 4),
                    "agency_fte": round(ag, 1),
                    "agency_rate": round(ag / (ag + fte), 4),
                    "leavers_fte": round(leavers.get(area, 0.0), 1),
                    "starters_fte": round(starters.get(area, 0.0), 1),
                    "turnover_rate": round(leavers.get(area, 0.0) / fte, 4),
                    "cases": float(held["caseload"].sum()) if len(held) else np.nan,
                    "case_holders_fte": round(held["fte"].sum(), 1) if len(held) else np.nan,
                }
            )
    frame = pd.DataFrame(rows).astype({"service_area": "str", "period": "str"})
    return frame[[c for c in TABLES["summary"].column_names if c in frame.columns]]


# --------------------------------------------------------------------------- writers

_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")


def _column_cells(series: pd.Series, kind: str) -> list:
    """A column as Python values ready for xlsxwriter: None for blanks, Excel serials for dates."""
    if kind == "date":
        days = series.to_numpy(dtype="datetime64[D]")
        serial = (days - _EXCEL_EPOCH).astype(np.int64).astype(float)
        return np.where(np.isnat(days), None, serial).tolist()
    if kind == "text":
        return series.astype(object).where(series.notna(), None).tolist()
    values = series.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return np.where(np.isnan(values), None, values).tolist()


FAST_XLSX_ROWS = 5_000
"""Sheets longer than this have their rows written as XML built by Arrow, not cell by cell (same content)."""


def _formats(workbook, frame: pd.DataFrame, table: str) -> tuple[list[str], list]:
    """Each column's canonical type and xlsxwriter number format (None for text)."""
    spec = TABLES[table]
    cache = workbook.__dict__.setdefault("_wl_formats", {})

    def fmt(key: str, num_format: str):
        if key not in cache:
            cache[key] = workbook.add_format({"num_format": num_format})
        return cache[key]

    kinds, fmts = [], []
    for col in frame.columns:
        ctype = spec.column(col).type
        kinds.append(ctype)
        if ctype == "date":
            fmts.append(fmt("date", "dd/mm/yyyy"))
        elif col in ("annual_salary", "market_median_salary"):
            fmts.append(fmt("money", "#,##0"))
        elif col in ("hourly_rate", "max_hourly_rate"):
            fmts.append(fmt("rate", "0.00"))
        elif ctype == "integer":
            fmts.append(fmt("integer", "0"))
        elif ctype == "number":
            fmts.append(fmt("number", "0.##"))
        else:
            fmts.append(None)
    return kinds, fmts


def _write_cells(sheet, frame: pd.DataFrame, kinds: list[str], fmts: list) -> None:
    """Write the data rows cell by cell through xlsxwriter (rows in order, for constant_memory)."""
    columns = [_column_cells(frame[c], k) for c, k in zip(frame.columns, kinds, strict=True)]
    writers = [sheet.write_string if k == "text" else sheet.write_number for k in kinds]
    plan = list(zip(columns, writers, fmts, strict=True))
    for i in range(len(frame)):
        r = i + 1
        for j, (values, write, fmt) in enumerate(plan):
            v = values[i]
            if v is not None:
                write(r, j, v, fmt) if fmt is not None else write(r, j, v)


def _rows_xml(frame: pd.DataFrame, kinds: list[str], styles: list[int | None], first: int, last: int) -> str:
    """<row> elements for frame rows [first, last) (Excel rows first+2 ...), built column-wise with Arrow."""
    chunk = frame.iloc[first:last]
    row_numbers = pc.cast(pa.array(np.arange(first + 2, last + 2)), pa.string())
    cells = []
    for j, (col, kind, style) in enumerate(zip(chunk.columns, kinds, styles, strict=True)):
        ref = pc.binary_join_element_wise(pa.scalar(excel_letters(j)), row_numbers, pa.scalar(""))
        s_attr = f' s="{style}"' if style else ""
        if kind == "text":
            text = pa.array(chunk[col], type=pa.string(), from_pandas=True)
            for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
                text = pc.replace_substring(text, raw, escaped)
            parts = ['<c r="', ref, '" t="inlineStr"><is><t>', text, "</t></is></c>"]
        else:
            if kind == "date":
                days = chunk[col].to_numpy(dtype="datetime64[D]")
                values = pa.array((days - _EXCEL_EPOCH).astype(np.int64), mask=np.isnat(days))
            else:
                values = pa.array(chunk[col].astype("Float64").to_numpy(dtype=float, na_value=np.nan), from_pandas=True)
                values = pc.if_else(pc.equal(pc.round(values), values), pc.cast(pc.round(values), pa.int64()).cast(pa.string()), values.cast(pa.string()))
            parts = ['<c r="', ref, f'"{s_attr}><v>', pc.cast(values, pa.string()), "</v></c>"]
        joined = pc.binary_join_element_wise(*[pa.scalar(p) if isinstance(p, str) else p for p in parts], pa.scalar(""))
        cells.append(pc.fill_null(joined, ""))
    rows = pc.binary_join_element_wise(
        pa.scalar("<row r=\""), row_numbers, pa.scalar("\">"), *cells, pa.scalar("</row>"), pa.scalar("")
    )
    return "".join(rows.to_pylist())


def _splice_rows(target, fast: dict[str, tuple[pd.DataFrame, list[str], list]]) -> None:
    """Put Arrow-built data rows into the header-only sheets xlsxwriter wrote (rewrites the zip, streaming).

    Rows are built and compressed 50,000 at a time, so memory stays near the
    frame's own size; entries keep xlsxwriter's fixed timestamps, so output
    stays byte-for-byte deterministic.
    """
    import io
    import os
    import re
    import zipfile

    is_path = isinstance(target, str | Path)
    source = zipfile.ZipFile(str(target) if is_path else io.BytesIO(target.getvalue()))
    names = re.findall(r'<sheet name="([^"]+)" sheetId="\d+"', source.read("xl/workbook.xml").decode())
    paths = {f"xl/worksheets/sheet{i + 1}.xml": name for i, name in enumerate(names) if name in fast}
    temp = Path(f"{target}.tmp") if is_path else None
    sink = temp.open("wb") if is_path else io.BytesIO()
    with source, zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as new:
        for info in source.infolist():
            if info.filename not in paths:
                new.writestr(info, source.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
                continue
            frame, kinds, fmts = fast[paths[info.filename]]
            styles = [f.xf_index if f is not None else None for f in fmts]
            xml = source.read(info.filename).decode()
            last_col = excel_letters(len(frame.columns) - 1)
            xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last_col}{len(frame) + 1}"/>', xml, count=1)
            head, tail = xml.split("</sheetData>", 1)
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            for attr in ("compress_level", "_compresslevel"):  # level 1: this entry is most of the file (3.13+ / older name)
                if attr in zipfile.ZipInfo.__slots__:
                    setattr(entry, attr, 1)
            with new.open(entry, "w", force_zip64=True) as handle:
                handle.write(head.encode())
                for i in range(0, len(frame), 50_000):
                    handle.write(_rows_xml(frame, kinds, styles, i, min(i + 50_000, len(frame))).encode())
                handle.write(("</sheetData>" + tail).encode())
    if is_path:
        sink.close()
        os.replace(temp, target)
    else:
        target.seek(0)
        target.truncate()
        target.write(sink.getvalue())


def write_xlsx(frames: dict[str, pd.DataFrame], target, fast_rows: int = FAST_XLSX_ROWS) -> None:
    """Write each frame as a sheet named after its table (header row, real dates) to a path or binary buffer.

    Streams rows with xlsxwriter's constant_memory mode; creation time is
    fixed so the same frames give the same bytes. Sheets of more than
    `fast_rows` rows get their data rows as XML built column-wise by Arrow
    (the same cells, an order of magnitude faster than cell-by-cell calls).
    """
    import xlsxwriter

    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(str(target) if isinstance(target, Path) else target, options)
    workbook.set_properties({"title": f"{COUNCIL}: synthetic workforce (demo)", "author": "Workforce Lens", "created": dt.datetime(2026, 1, 1)})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    fast: dict[str, tuple[pd.DataFrame, list[str], list]] = {}
    for name, frame in frames.items():
        sheet = workbook.add_worksheet(name)
        kinds, fmts = _formats(workbook, frame, name)
        is_fast = len(frame) > fast_rows
        for j, col in enumerate(frame.columns):
            width = max(11, min(len(col) + 3, 30))
            # a column format registers the style index the Arrow-built cells refer to
            sheet.set_column(j, j, width, fmts[j]) if is_fast and fmts[j] is not None else sheet.set_column(j, j, width)
        sheet.freeze_panes(1, 0)
        for j, col in enumerate(frame.columns):
            sheet.write_string(0, j, col, header)
        if is_fast:
            fast[name] = (frame, kinds, fmts)
        else:
            _write_cells(sheet, frame, kinds, fmts)
    workbook.close()
    if fast:
        _splice_rows(target, fast)


def xlsx_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """The workbook write_xlsx would write, as bytes."""
    import io

    buffer = io.BytesIO()
    write_xlsx(frames, buffer)
    return buffer.getvalue()


def _arrow(frame: pd.DataFrame, table: str) -> pa.Table:
    """A frame as an Arrow table with canonical types (dates as date32, so CSV holds ISO dates)."""
    spec = TABLES[table]
    arrays, names = [], []
    for col in frame.columns:
        ctype = spec.column(col).type
        s = frame[col]
        if ctype == "date":
            arr = pa.array(s.to_numpy(dtype="datetime64[D]"), type=pa.date32(), from_pandas=True)
        elif ctype == "integer":
            arr = pa.array(s.astype("Int64"), type=pa.int64(), from_pandas=True)
        elif ctype == "number":
            arr = pa.array(s.astype("Float64"), type=pa.float64(), from_pandas=True)
        else:
            arr = pa.array(s, type=pa.string(), from_pandas=True)
        arrays.append(arr)
        names.append(col)
    return pa.Table.from_arrays(arrays, names=names)


def write_csv(frames: dict[str, pd.DataFrame], out: str | Path) -> list[Path]:
    """Write CSVs: one per table into directory `out`, or only staff (else the one table) to `out` if it ends in .csv."""
    out = Path(out)
    if out.suffix.lower() == ".csv":
        name = "staff" if "staff" in frames else next(iter(frames))
        out.parent.mkdir(parents=True, exist_ok=True)
        pacsv.write_csv(_arrow(frames[name], name), out)
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in frames.items():
        path = out / f"{name}.csv"
        pacsv.write_csv(_arrow(frame, name), path)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line: generate the council and write it as xlsx or csv."""
    parser = argparse.ArgumentParser(prog="python -m data.generate", description=f"Synthetic workforce for {COUNCIL} (fictional).")
    parser.add_argument("--rows", type=int, default=None, help="staff rows (default: the demo council, ~1,100 rows)")
    parser.add_argument("--format", choices=("xlsx", "csv"), default=None, help="default: from --out's suffix, else xlsx")
    parser.add_argument("--out", required=True, help="xlsx file; for csv a directory (one file per table) or a .csv path (staff only)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--as-of", default=DEFAULT_AS_OF, help="as-of date, ISO (all dates are on or before it)")
    parser.add_argument("--summary", action="store_true", help="write only the summary table (one row per service area and year)")
    args = parser.parse_args(argv)
    if args.rows is not None and args.rows < 1:
        parser.error("--rows must be at least 1")
    try:
        as_of = dt.date.fromisoformat(args.as_of)
    except ValueError:
        parser.error(f"--as-of must be an ISO date like 2026-09-30, not {args.as_of!r}")
    fmt = args.format or ("csv" if not args.out.lower().endswith(".xlsx") else "xlsx")
    if fmt == "xlsx" and args.rows is not None and args.rows > 1_048_575:
        parser.error("an Excel sheet holds at most 1,048,575 data rows: use --format csv")
    frames = generate(rows=args.rows, seed=args.seed, as_of=as_of)
    rows_note = f"staff rows: {len(frames['staff']):,}"
    if args.summary:
        frames = {"summary": summary(frames, as_of)}
        rows_note = f"summary rows: {len(frames['summary']):,}"
    out = Path(args.out)
    if fmt == "xlsx":
        out.parent.mkdir(parents=True, exist_ok=True)
        write_xlsx(frames, out)
        written = [out]
    else:
        written = write_csv(frames, out)
    for path in written:
        print(f"wrote {path}")
    print(rows_note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
