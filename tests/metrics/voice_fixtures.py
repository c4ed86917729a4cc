"""A small council's staff voice tables written out by hand, so every staff voice figure can be checked on paper.

As-of date 2025-09-30: the 12 months are 2024-10-01 .. 2025-09-30 (W = 2024-09-30); the supervision window is
the months ending October 2024 .. September 2025; induction falls due 12 weeks (84 days) after the start.

Staff (service area, team, role, start, end, caseload, qualified):

| id | area | team | role | start | end | cases | qualified | notes |
|----|------|------|------|-------|-----|-------|-----------|-------|
| a1 | A | T1 | Social Worker | 2020-01-01 | | 14 | 2019-06-01 | |
| a2 | A | T1 | Social Worker | 2025-01-06 | | 15 | 2024-12-01 | starter, newly qualified |
| a3 | A | T2 | Social Worker | 2025-03-03 | | 10 | 2025-02-01 | starter, NQ by qualified date only |
| a4 | A | T2 | Team Manager | 2018-05-01 | | | 2010-01-01 | |
| a5 | A | T1 | Social Worker | 2024-10-07 | 2025-06-30 | 20 | 2024-09-01 | starter who left |
| b1 | B | T3 | Educational Psychologist | 2024-11-04 | | | 2015-07-01 | starter |
| b2 | B | T3 | Educational Psychologist | 2025-08-04 | | | | starter, not yet due |
| b3 | B | T3 | Educational Psychologist | 2025-09-30 | | | | starts on the as-of date (the data's latest date) |

Survey (three surveys; the 2026 one closes after the as-of date and is never used at 2025-09-30):

| survey | closed | theme | group | respondents | agree |
|--------|--------|-------|-------|-------------|-------|
| Staff survey 2024 | 2024-11-15 | recommend | whole council | 40 | 50% |
| Staff survey 2024 | 2024-11-15 | recommend | service area A | 20 | 40% |
| Staff survey 2024 | 2024-11-15 | recommend | team T1 | 10 | 30% |
| Staff survey 2024 | 2024-11-15 | workload | whole council | 40 | 30% |
| Staff survey 2025 | 2025-06-15 | recommend | whole council | 44 | 55%, comparator 60% (Benchmark X) |
| Staff survey 2025 | 2025-06-15 | recommend | service area A | 22 | 45% |
| Staff survey 2025 | 2025-06-15 | recommend | team T1 | 3 | 33.3% |
| Staff survey 2025 | 2025-06-15 | recommend | team T2 | 8 | 50% |
| Staff survey 2025 | 2025-06-15 | recommend | role Social Worker | 12 | 42% |
| Staff survey 2025 | 2025-06-15 | workload | whole council | 44 | 35% |
| Staff survey 2025 | 2025-06-15 | wellbeing | whole council | 44 | mean 3.4 of 5 |
| Staff survey 2026 | 2026-03-15 | recommend | whole council | 50 | 70% |
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ingest.workforce import Workforce

D = dt.date
AS_OF = "2025-09-30"
RECOMMEND = "Would recommend as an employer"
WORKLOAD = "Manageable workload"


def staff_frame() -> pd.DataFrame:
    rows = [
        ("a1", "A", "T1", "Social Worker", D(2020, 1, 1), None, 14, D(2019, 6, 1)),
        ("a2", "A", "T1", "Social Worker", D(2025, 1, 6), None, 15, D(2024, 12, 1)),
        ("a3", "A", "T2", "Social Worker", D(2025, 3, 3), None, 10, D(2025, 2, 1)),
        ("a4", "A", "T2", "Team Manager", D(2018, 5, 1), None, None, D(2010, 1, 1)),
        ("a5", "A", "T1", "Social Worker", D(2024, 10, 7), D(2025, 6, 30), 20, D(2024, 9, 1)),
        ("b1", "B", "T3", "Educational Psychologist", D(2024, 11, 4), None, None, D(2015, 7, 1)),
        ("b2", "B", "T3", "Educational Psychologist", D(2025, 8, 4), None, None, None),
        ("b3", "B", "T3", "Educational Psychologist", D(2025, 9, 30), None, None, None),
    ]
    frame = pd.DataFrame(rows, columns=["worker_id", "service_area", "team", "role", "start_date", "end_date",
                                        "caseload", "qualified_date"])
    frame["worker_type"] = "permanent"
    frame["fte"] = 1.0
    frame["caseload"] = frame["caseload"].astype("Int64")
    return frame


def _survey_row(survey, closed, theme, group_type, group, respondents, agree=None, **extra) -> dict:
    return dict(survey=survey, survey_date=closed, theme=theme, group_type=group_type, group_name=group,
                respondents=respondents, percent_agree=agree, **extra)


def survey_frame() -> pd.DataFrame:
    s24, s25, s26 = ("Staff survey 2024", D(2024, 11, 15)), ("Staff survey 2025", D(2025, 6, 15)), \
        ("Staff survey 2026", D(2026, 3, 15))
    rows = [
        _survey_row(*s24, RECOMMEND, "whole council", None, 40, 0.50),
        _survey_row(*s24, RECOMMEND, "service area", "A", 20, 0.40),
        _survey_row(*s24, RECOMMEND, "team", "T1", 10, 0.30),
        _survey_row(*s24, WORKLOAD, "whole council", None, 40, 0.30),
        _survey_row(*s25, RECOMMEND, "whole council", None, 44, 0.55, comparator_percent=0.60,
                    comparator_source="Benchmark X"),
        _survey_row(*s25, RECOMMEND, "service area", "A", 22, 0.45),
        _survey_row(*s25, RECOMMEND, "team", "T1", 3, 1 / 3),
        _survey_row(*s25, RECOMMEND, "team", "T2", 8, 0.50),
        _survey_row(*s25, RECOMMEND, "role", "Social Worker", 12, 0.42),
        _survey_row(*s25, WORKLOAD, "whole council", None, 44, 0.35),
        _survey_row(*s25, "Wellbeing", "whole council", None, 44, None, mean_score=3.4, scale_max=5.0),
        _survey_row(*s26, RECOMMEND, "whole council", None, 50, 0.70),
    ]
    return pd.DataFrame(rows)


def supervision_frame() -> pd.DataFrame:
    """Worker months (a2's September on two rows) and a team row for T3; a1's September 2024 is outside."""
    columns = ["worker_id", "team", "month", "case_supervision_held", "case_supervision_expected",
               "wellbeing_supervision_held", "wellbeing_supervision_expected", "supervisees"]
    rows = [
        ("a1", None, D(2025, 9, 1), 1, 1, 0, 1, None),
        ("a1", None, D(2025, 8, 1), 3, 1, None, None, None),  # extra sessions: counts 1
        ("a2", None, D(2025, 9, 1), 0, 2, 1, 1, None),
        ("a2", None, D(2025, 9, 15), 1, 2, None, None, None),  # same month: held 0 + 1, expected max(2, 2)
        ("a3", None, D(2025, 7, 1), 1, 1, None, None, None),
        (None, "T3", D(2025, 9, 1), 3, 4, None, None, 3),
        (None, "T3", D(2025, 8, 1), 4, 4, None, None, 2),
        ("a1", None, D(2024, 9, 1), 0, 1, None, None, None),  # ends 2024-09-30, before the 12 months
    ]
    frame = pd.DataFrame(rows, columns=columns)
    for column in columns[3:]:
        frame[column] = frame[column].astype("Int64")
    return frame


def induction_frame() -> pd.DataFrame:
    """Starters: start dates from the staff table; a3's newly qualified status from its qualified date."""
    rows = [
        ("a2", D(2025, 3, 20), "yes", "yes", 12),
        ("a3", D(2025, 6, 30), "no", None, 12),
        ("a5", D(2024, 12, 1), None, "yes", 12),
        ("b1", None, "yes", "no", None),
        ("b2", None, "yes", None, None),
    ]
    frame = pd.DataFrame(rows, columns=["worker_id", "induction_completed_date", "mentor_assigned", "newly_qualified",
                                        "protected_caseload_cap"])
    frame["protected_caseload_cap"] = frame["protected_caseload_cap"].astype("Int64")
    return frame


def make_workforce(staff: bool = True, survey: bool = True, supervision: bool = True,
                   induction: bool = True) -> Workforce:
    """The council with the chosen tables (present_columns as an upload of these frames would record)."""
    wf = Workforce(label="Voice test council")
    for name, wanted, frame in (("staff", staff, staff_frame), ("survey", survey, survey_frame),
                                ("supervision", supervision, supervision_frame),
                                ("induction", induction, induction_frame)):
        if wanted:
            data = frame()
            wf.add_table(name, data, present_columns=list(data.columns))
    return wf
