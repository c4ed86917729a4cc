"""Three small synthetic councils for the club tests, each figure easy to work out by hand.

Every council has one service area (Children's Social Work), employees on 1.0 FTE and agency social workers on
1.0 FTE with the hourly rates given. The latest date in each staff table is the as-of date, so it decides the
quarter the figures are submitted for.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ingest.workforce import Workforce

AREA = "Children's Social Work"
A, B, C = "E06000001", "E06000002", "E06000003"
NAMES = {A: "Aldershire Council", B: "Brookford Council", C: "Carrow Borough Council"}
Q3 = dt.date(2025, 9, 30)
Q4 = dt.date(2025, 12, 31)

COUNCILS: dict[tuple[str, dt.date], tuple[int, list[float]]] = {
    # (council, as of): (employees, agency hourly rates)
    (A, Q3): (20, [35, 36, 37, 38, 40]),
    (B, Q3): (30, [41] * 6 + [39] * 4),
    (C, Q3): (14, [45] * 5 + [30]),
    (A, Q4): (20, [35, 36, 37, 38, 40]),
    (B, Q4): (30, [41] * 6 + [39] * 4),
    (C, Q4): (14, [45, 45, 30]),
}
"""Agency rate = agency ÷ everyone in post: Q3 A 5/25 = 20%, B 10/40 = 25%, C 6/20 = 30%; Q4 C has 3 agency
workers (hidden). Above a £40 cap (2025 Q3): A 0 of 5, B 6 of 10, C 5 of 6; above £42 (from 2025 Q4): A 0 of 5,
B 0 of 10, C 2 of 3 (hidden)."""


def staff(code: str, as_of: dt.date) -> pd.DataFrame:
    """The staff table of one council at one date (worker ids start with the council code)."""
    employees, rates = COUNCILS[(code, as_of)]
    rows = []
    for i in range(employees):
        rows.append({"worker_id": f"{code}-EMP-{i:03d}", "service_area": AREA, "team": "Assessment",
                     "role": "Team Manager" if i == 0 else "Social Worker", "worker_type": "permanent", "fte": 1.0,
                     "start_date": dt.date(2020, 4, 1), "end_date": None, "annual_salary": 41_000.0 + 17 * i,
                     "hourly_rate": None})
    for i, rate in enumerate(rates):
        rows.append({"worker_id": f"{code}-AGY-{i:03d}", "service_area": AREA, "team": "Assessment",
                     "role": "Social Worker", "worker_type": "agency", "fte": 1.0,
                     "start_date": dt.date(2024, 1, 1), "end_date": None, "annual_salary": None,
                     "hourly_rate": float(rate)})
    rows[-1]["start_date"] = as_of  # the latest date in the data: the as-of date
    return pd.DataFrame(rows)


def council(code: str, as_of: dt.date) -> Workforce:
    """A council's session data (its own agency caps differ from the club's, to show the club's are used)."""
    wf = Workforce(label=NAMES[code])
    wf.add_table("staff", staff(code, as_of))
    wf.add_table("agency_caps", pd.DataFrame({"role": ["Social Worker"], "max_hourly_rate": [30.0]}))
    return wf


def club_views():
    """Figures by service area and the cap table by role: what the club page reads (quick to build)."""
    import dataclasses

    import metrics

    return {name: dataclasses.replace(metrics.VIEWS[name], by_options=(metrics.VIEWS[name].by_options[0],))
            for name in ("figures", "agency_cap_breaches")}


def pool(target) -> dict[str, str]:
    """Three members with a publisher key each, the agreed caps (£40 from 2025 Q1, £42 from 2025 Q4), and both
    quarters submitted by all three. Returns each member's publisher key."""
    from sharing import club

    keys = {}
    for code in (A, B, C):
        club.add_member(code, NAMES[code], store=target)
        keys[code] = club.issue_key(code, "publisher", store=target)
    club.record_cap(club.sign_in(keys[A], store=target), "Social Worker", 40, "2025Q1", store=target)
    club.record_cap(club.sign_in(keys[B], store=target), "social worker", 42, "2025Q4", store=target)
    for code, when in COUNCILS:
        club.publish(council(code, when), club.sign_in(keys[code], store=target), store=target, views=club_views())
    return keys
