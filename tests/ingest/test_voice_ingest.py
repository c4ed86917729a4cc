"""The staff voice upload tables in the shapes real exports come in: a survey provider's results, a supervision
log, an induction (ASYE) tracker. Every problem names its sheet, row and column; the rest still loads."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
import xlsxwriter

import ingest
from ingest.voice_rules import month_as_date, standard_theme, year_as_date

D = dt.date


def load_csv(name: str, text: str):
    return ingest.load([(name, text.encode())])


def problems(result, severity: str | None = None) -> list:
    return [p for p in result.problems if severity is None or p.severity == severity]


# ── survey ────────────────────────────────────────────────────────────────────

PROVIDER_EXPORT = """Survey,Year,Question,Breakdown,Group,Responses,% positive,Benchmark,Benchmark source
Staff survey 2024,2024,I would recommend the council as a place to work,Organisation,Shireford,40,55%,60%,Sector
Staff survey 2025,2025,I would recommend the council as a place to work,Team,Child Protection,3,33.3%,,
Staff survey 2025,2025,My workload is manageable,Directorate,Children's Social Work,12,40%,,
Staff survey 2025,2025,I get the training I need,Job role,Social Worker,20,70%,,
Staff survey 2025,2025,My workload is manageable,,Bad group,20,70%,,
Staff survey 2025,2025,My workload is manageable,Postcode,NW1,20,70%,,
Staff survey 2025,2025,,,,20,50%,,
Staff survey 2025,2025,My workload is manageable,Team,,20,50%,,
Staff survey 2025,2025,My workload is manageable,Directorate,Children's Social Work,12,41%,,
Staff survey 2025,2025,Overall I am satisfied,Organisation,,44,,,
"""


@pytest.fixture(scope="module")
def provider():
    return load_csv("staff survey results.csv", PROVIDER_EXPORT)


def test_provider_export_loads_as_survey_with_its_own_headers(provider):
    table = provider.tables["survey"]
    assert len(table) == 4  # 10 data rows, 6 set aside (below)
    assert table["survey_date"].tolist()[:2] == [pd.Timestamp("2024-09-30"), pd.Timestamp("2025-09-30")]
    assert table["percent_agree"].tolist() == pytest.approx([0.55, 0.333, 0.40, 0.70])
    assert table["comparator_percent"].iloc[0] == pytest.approx(0.60)
    assert table["group_type"].tolist() == ["whole council", "team", "service area", "role"]
    assert table["group_name"].tolist()[1:] == ["Child Protection", "Children's Social Work", "Social Worker"]


def test_question_wordings_are_read_as_the_standard_themes_and_kept(provider):
    table = provider.tables["survey"]
    assert table["theme"].tolist() == ["Would recommend as an employer", "Would recommend as an employer",
                                       "Manageable workload", "I get the training I need"]
    assert table["question"].tolist()[:3] == ["I would recommend the council as a place to work"] * 2 + [
        "My workload is manageable"]
    notes = [p for p in problems(provider, "info") if p.column == "theme"]
    assert notes and "read as the standard themes" in notes[0].message


@pytest.mark.parametrize(("row", "column", "words"), [
    (6, "Breakdown (group_type)", "group_type is blank but the row names a group"),
    (7, "Breakdown (group_type)", "Group type not recognised"),
    (8, "Question", "theme is blank"),
    (9, "Group (group_name)", "group_name is blank"),
    (10, "Question", "same survey, theme and group as an earlier row"),
    (11, "% positive (percent_agree)", "No result on this row"),
])
def test_each_bad_survey_row_is_named_by_row_and_column(provider, row, column, words):
    found = [p for p in problems(provider, "error") if p.row == row]
    assert found, [(p.row, p.column, p.message) for p in problems(provider)]
    assert found[0].column == column and words in found[0].message
    assert found[0].file == "staff survey results.csv"
    assert provider.rows_set_aside["survey"] == 6


def test_year_alone_and_percentages_say_how_they_were_read(provider):
    info = {(p.column, p.message) for p in problems(provider, "info")}
    assert ("Year (survey_date)", "Survey dates given as a year alone were read as 30 September of that year.") in info
    assert any(c == "% positive (percent_agree)" and "fractions 0–1" in m for c, m in info)


def test_a_workbook_with_only_a_survey_sheet_loads_on_its_own():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Engagement survey")
    percent = book.add_format({"num_format": "0%"})
    sheet.write_row(0, 0, ["Survey name", "Survey closed", "Theme", "Breakdown", "Group", "Base", "Agree %",
                           "Mean", "Scale"])
    sheet.write_row(1, 0, ["Pulse 2026", dt.datetime(2026, 3, 31), "recommend", "all", None, 51])
    sheet.write_number(1, 6, 0.62, percent)
    sheet.write_row(2, 0, ["Pulse 2026", dt.datetime(2026, 3, 31), "Wellbeing", "team", "Duty", 7, None, 6.5, 5])
    book.close()
    result = ingest.load([("pulse.xlsx", buffer.getvalue())])
    assert list(result.tables) == ["survey"] and result.loaded_anything
    table = result.tables["survey"]
    assert table["theme"].tolist() == ["Would recommend as an employer", "Wellbeing"]
    assert table["percent_agree"].iloc[0] == pytest.approx(0.62)  # a %-formatted cell is already a fraction
    assert pd.isna(table["mean_score"].iloc[1])  # 6.5 out of 5: left blank with a warning
    warning = next(p for p in problems(result, "warning") if p.column == "Mean (mean_score)")
    assert warning.row == 3 and "above the top of its scale" in warning.message
    workforce = result.to_workforce(label="Pulse only")
    assert workforce.tables == ["survey"]


@pytest.mark.parametrize(("text", "theme"), [
    ("I would recommend Shireford as a place to work", "Would recommend as an employer"),
    ("eNPS", "Would recommend as an employer"),
    ("Workload", "Manageable workload"),
    ("I intend to stay with the council for the next 12 months", "Intend to stay"),
    ("My line manager supports my development", "Support from my manager"),
    ("I receive regular reflective supervision", "Quality of supervision"),
    ("I feel valued", None),
])
def test_standard_themes_from_what_providers_write(text, theme):
    assert standard_theme(text) == theme


# ── supervision ───────────────────────────────────────────────────────────────

SUPERVISION_LOG = """Supervisee,Team,Supervision month,Supervisions completed,Supervisions due,Wellbeing held,Wellbeing due,Workers
W1,Duty,2026-03,1,1,0,1,
W1,Duty,Mar 2026,1,,,,
W2,Duty,03/2026,0,2,,,
,Court,March 2026,3,4,,,5
,Court,2026-04,3,4,,,
,,2026-04,1,1,,,
W3,Duty,2026-04,2,,,,
W4,Duty,not a month,1,1,,,
"""


@pytest.fixture(scope="module")
def log():
    return load_csv("supervision log.csv", SUPERVISION_LOG)


def test_supervision_log_months_in_any_spelling(log):
    table = log.tables["supervision"]
    assert table["month"].tolist() == [pd.Timestamp("2026-03-01")] * 4 + [pd.Timestamp("2026-04-01")]
    assert table["worker_id"].tolist()[:3] == ["W1", "W1", "W2"] and pd.isna(table["worker_id"].iloc[3])
    assert table["supervisees"].tolist()[3] == 5


def test_supervision_problems_name_row_and_column(log):
    errors = {(p.row, p.column): p.message for p in problems(log, "error")}
    assert "needs supervisees" in errors[(6, "Workers (supervisees)")]
    assert "Neither a worker_id nor a team" in errors[(7, "Supervisee (worker_id)")]
    assert "Date not recognised" in errors[(9, "Supervision month (month)")]
    warnings = {(p.row, p.column): p.message for p in problems(log, "warning")}
    assert "No sessions expected" in warnings[(8, "Supervisions due (case_supervision_expected)")]
    assert "repeat a worker and month" in next(p.message for p in problems(log, "info") if p.column ==
                                               "Supervisee (worker_id)")
    assert log.rows_set_aside["supervision"] == 3


@pytest.mark.parametrize(("text", "iso"), [("2026-03", "2026-03-01"), ("3/2026", "2026-03-01"),
                                           ("Mar 2026", "2026-03-01"), ("September 2025", "2025-09-01"),
                                           ("Sep-25", "2025-09-01"), ("2026-13", None), ("Smarch 2026", None)])
def test_month_spellings(text, iso):
    assert month_as_date(text) == iso


def test_survey_years():
    assert year_as_date("2025") == "2025-09-30" and year_as_date("2025.0") == "2025-09-30"
    assert year_as_date("25") is None and year_as_date("2025-11-14") is None


# ── induction ─────────────────────────────────────────────────────────────────

ASYE_TRACKER = """Employee number,Team,ASYE start date,Induction signed off,Mentor,NQSW,Protected caseload
W1,Duty,01/02/2026,15/04/2026,M. Mentor (W900),yes,12
W2,Duty,01/03/2026,28/02/2026,No,maybe,
W3,Court,13/03/2026,,n/a,N,
W1,Duty,01/02/2026,,,,
"""


def test_induction_tracker_reads_yes_and_no_and_never_keeps_a_mentors_name():
    result = load_csv("ASYE tracker.csv", ASYE_TRACKER)
    table = result.tables["induction"]
    assert table["worker_id"].tolist() == ["W1", "W3"]
    assert table["mentor_assigned"].tolist() == ["yes", "no"]
    assert table["newly_qualified"].tolist() == ["yes", "no"]
    assert table["protected_caseload_cap"].tolist()[0] == 12
    assert "Mentor" not in " ".join(str(v) for v in table.to_numpy().ravel())  # the name is gone
    errors = {(p.row, p.column): p.message for p in problems(result, "error")}
    assert errors[(3, "Induction signed off (induction_completed_date)")] == "Induction completed before the start date."
    assert "Same worker_id as an earlier row" in errors[(5, "Employee number (worker_id)")]
    warning = next(p for p in problems(result, "warning") if p.column == "NQSW (newly_qualified)")
    assert warning.row == 3 and warning.value == "maybe" and "Not recognised as yes or no" in warning.message
    assert any("name a mentor" in p.message for p in problems(result, "info"))


def test_sheets_are_recognised_by_their_names_and_a_staff_extract_stays_staff():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, header, row in (
        ("Staff", ["Employee Number", "Directorate", "Job Title", "Date Joined", "Team"],
         ["E1", "CSW", "Social Worker", "01/02/2020", "Duty"]),
        ("People survey 2025", ["Survey", "Date", "Theme", "Respondents", "% agree"],
         ["People survey", "2025-11-14", "Workload", 30, 0.4]),
        ("Supervision", ["Employee Number", "Month", "Supervision held", "Supervision due"], ["E1", "2026-01", 1, 1]),
        ("New starters", ["Employee Number", "Induction completed", "Mentor"], ["E1", "2020-03-01", "yes"]),
    ):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, header)
        sheet.write_row(1, 0, row)
    book.close()
    result = ingest.load([("everything.xlsx", buffer.getvalue())])
    assert list(result.tables) == ["staff", "survey", "supervision", "induction"]
    assert [p for p in result.problems if p.severity == "error"] == []


def test_a_year_typed_into_a_date_cell_and_mixed_percentages_are_reported():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("survey")
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["survey", "survey_date", "theme", "respondents", "percent_agree"])
    sheet.write_row(1, 0, ["Staff survey 2025", None, "Workload", 30, 40])
    sheet.write_number(1, 1, 2025, date)  # Excel shows 17/07/1905
    sheet.write_row(2, 0, ["Staff survey 2025", None, "Wellbeing", 30, 0.7])
    sheet.write_datetime(2, 1, dt.datetime(2025, 11, 14), date)
    book.close()
    result = ingest.load([("survey.xlsx", buffer.getvalue())])
    table = result.tables["survey"]
    assert table["survey_date"].tolist() == [pd.Timestamp("2025-09-30"), pd.Timestamp("2025-11-14")]
    assert any("a year typed into a date cell (e.g. 2025 shows as 17/07/1905)" in p.message for p in result.problems)
    assert table["percent_agree"].tolist() == pytest.approx([0.40, 0.007])  # 0.7 among percentages: 0.7%, and said
    warning = next(p for p in problems(result, "warning") if p.column == "percent_agree")
    assert warning.row == 3 and warning.value == "0.7" and "read as a percentage too" in warning.message
