"""A small council written out by hand, so every figure can be checked on paper.

As-of date 2024-09-30; the 12 months are 2023-10-01 .. 2024-09-30 (W = 2023-09-30).

| id | area | team | role | grade | type | fte | start | end | notes |
|----|------|------|------|-------|------|-----|-------|-----|-------|
| s1 | CSW | A | Social Worker | L3 | permanent | 1.0 | 2018-01-01 | | 16 cases, qualified 2017 |
| s2 | CSW | A | Social Worker | L3 | permanent | 0.5 | 2023-11-01 | | part-time starter, NQ (2024-06), 10 cases |
| s3 | CSW | A | Social Worker | L3 | permanent | 1.0 | 2021-05-01 | 2024-09-30 | leaves ON the as-of date |
| s4 | CSW | B | Social Worker | L4 | agency | 1.0 | 2022-06-01 | | £50/h, 20 cases, > 12 months |
| s5 | CSW | B | Social Worker | L4 | agency | 0.6 | 2024-03-01 | | £40/h, 9 cases |
| m1 | CSW | A | Team Manager | L6 | permanent | 1.0 | 2010-04-01 | | manages s1 s2 s3 |
| m2 | CSW | B | Team Manager | L6 | fixed_term | 1.0 | 2024-01-15 | | starter; manages s4 s5 s8 s9 |
| s8 | CSW | B | Social Worker | L4 | permanent | 1.0 | 2023-01-01 | 2023-12-31 | left in first year, to agency |
| s9 | CSW | B | Social Worker | L4 | permanent | 1.0 | 2024-10-15 | | starts AFTER the as-of date |
| e1 | EP | EP | Educational Psychologist | L5 | permanent | 0.8 | 2023-03-01 | | no market comparator |
| e2 | EP | EP | Educational Psychologist | L5 | permanent | 1.0 | 2019-02-01 | 2023-06-30 | left before the 12 months |
| e3 | EP | EP | Assistant Psychologist | | apprentice | 1.0 | 2023-09-30 | | starts exactly on W; manager e1 |
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ingest.workforce import Workforce

D = dt.date
AS_OF = "2024-09-30"
CSW = "Children's Social Work"
EP = "Education Psychology"


def _row(worker_id, area, team, role, grade, worker_type, fte, start, end=None, **extra) -> dict:
    return dict(worker_id=worker_id, service_area=area, team=team, role=role, grade=grade, worker_type=worker_type,
                fte=fte, start_date=start, end_date=end, **extra)


STAFF_ROWS: list[dict] = [
    _row("s1", CSW, "A", "Social Worker", "L3", "permanent", 1.0, D(2018, 1, 1), annual_salary=40000.0,
         caseload=16, qualified_date=D(2017, 6, 1), manager_id="m1", gender="female", absence_days=10.0),
    _row("s2", CSW, "A", "Social Worker", "L3", "permanent", 0.5, D(2023, 11, 1), annual_salary=36000.0,
         caseload=10, qualified_date=D(2024, 6, 1), manager_id="m1", gender="female", absence_days=4.0),
    _row("s3", CSW, "A", "Social Worker", "L3", "permanent", 1.0, D(2021, 5, 1), D(2024, 9, 30),
         leaving_reason="resignation", annual_salary=39000.0, qualified_date=D(2020, 7, 1), manager_id="m1",
         gender="male"),
    _row("s4", CSW, "B", "Social Worker", "L4", "agency", 1.0, D(2022, 6, 1), hourly_rate=50.0, caseload=20,
         manager_id="m2"),
    _row("s5", CSW, "B", "Social Worker", "L4", "agency", 0.6, D(2024, 3, 1), hourly_rate=40.0, caseload=9,
         manager_id="m2"),
    _row("m1", CSW, "A", "Team Manager", "L6", "permanent", 1.0, D(2010, 4, 1), annual_salary=60000.0,
         qualified_date=D(2008, 1, 1), gender="male", absence_days=2.0),
    _row("m2", CSW, "B", "Team Manager", "L6", "fixed_term", 1.0, D(2024, 1, 15), annual_salary=58000.0,
         qualified_date=D(2022, 3, 1), gender="female", absence_days=0.0),
    _row("s8", CSW, "B", "Social Worker", "L4", "permanent", 1.0, D(2023, 1, 1), D(2023, 12, 31),
         leaving_reason="moved to agency work", annual_salary=42000.0, manager_id="m2", gender="male"),
    _row("s9", CSW, "B", "Social Worker", "L4", "permanent", 1.0, D(2024, 10, 15), annual_salary=41000.0,
         manager_id="m2", gender="female"),
    _row("e1", EP, "EP", "Educational Psychologist", "L5", "permanent", 0.8, D(2023, 3, 1), annual_salary=55000.0,
         gender="female", absence_days=8.0),
    _row("e2", EP, "EP", "Educational Psychologist", "L5", "permanent", 1.0, D(2019, 2, 1), D(2023, 6, 30),
         leaving_reason="retirement", annual_salary=54000.0, gender="female"),
    _row("e3", EP, "EP", "Assistant Psychologist", None, "apprentice", 1.0, D(2023, 9, 30), annual_salary=30000.0,
         manager_id="e1", gender="male", absence_days=0.0),
]

ESTABLISHMENT_ROWS = [
    dict(service_area=CSW, team="A", funded_fte=3.0),
    dict(service_area=CSW, team="B", funded_fte=2.0),
    dict(service_area=EP, team="EP", funded_fte=1.5),  # 1.8 FTE in post: over establishment
]
MARKET_ROWS = [
    dict(role="Social Worker", grade="L3", market_median_salary=42000.0, source="Regional survey 2024"),
    dict(role="Social Worker", grade=None, market_median_salary=41000.0, source="Regional survey 2024"),
    dict(role="Team Manager", grade=None, market_median_salary=62000.0, source="LGA benchmark"),
]
CAP_ROWS = [dict(role="Social Worker", max_hourly_rate=45.0), dict(role="Team Manager", max_hourly_rate=60.0)]
RECRUITMENT_ROWS = [
    dict(service_area=CSW, role="Social Worker", advert_date=D(2024, 1, 10), applications=12, shortlisted=6,
         interviewed=4, offers=2, offers_declined=1, appointed=1, times_advertised=1, start_date=D(2024, 4, 10)),
    dict(service_area=CSW, role="Team Manager", advert_date=D(2024, 5, 1), applications=3, shortlisted=2,
         interviewed=2, offers=1, offers_declined=0, appointed=1, times_advertised=2, start_date=D(2024, 8, 1)),
    dict(service_area=EP, role="Educational Psychologist", advert_date=D(2024, 8, 1), applications=0, shortlisted=0,
         interviewed=0, offers=0, offers_declined=0, appointed=0, times_advertised=3),
    dict(service_area=CSW, role="Social Worker", advert_date=D(2023, 6, 1), applications=50, offers=1,
         offers_declined=0, appointed=1, times_advertised=1),  # before the 12 months
]


def staff_frame(rows: list[dict] | None = None) -> pd.DataFrame:
    """The staff rows as a DataFrame (all canonical columns that any row uses)."""
    return pd.DataFrame(rows if rows is not None else STAFF_ROWS)


def make_workforce(staff: pd.DataFrame | None = None, *, establishment: bool = True, market: bool = True,
                   caps: bool = True, recruitment: bool = True) -> Workforce:
    """A Workforce holding the fixture tables (each optional table can be left out)."""
    wf = Workforce(label="Test council")
    wf.add_table("staff", staff if staff is not None else staff_frame())
    if establishment:
        wf.add_table("establishment", pd.DataFrame(ESTABLISHMENT_ROWS))
    if market:
        wf.add_table("market_pay", pd.DataFrame(MARKET_ROWS))
    if caps:
        wf.add_table("agency_caps", pd.DataFrame(CAP_ROWS))
    if recruitment:
        wf.add_table("recruitment", pd.DataFrame(RECRUITMENT_ROWS))
    return wf
