"""The /data page under Streamlit's AppTest: demo switch, upload report, mapping, assumptions, coverage.

Uploads go through AppTest's own file_uploader support (Streamlit 1.67 registers
the bytes as a browser upload would), so the page's real code path is exercised.
Inputs are small CSV files written here, so every expectation can be checked by hand.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ingest
from ingest.model import ASSUMPTIONS, Problem
from ui import upload

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "data.py")

STAFF_HEADER = "worker_id,service_area,team,role,grade,worker_type,fte,start_date,end_date"
STAFF_ROWS = [
    "W001,Children's Social Work,First Response,Social Worker,Level 3,permanent,1.0,2021-04-01,",
    "W002,Children's Social Work,First Response,Social Worker,Level 3,agency,0.8,2022-01-10,",
    "W003,Children's Social Work,Child Protection,Team Manager,Level 5,permanent,37,2020-05-01,",  # Excel row 4: fte 37
    "W004,SEND 0-25,SEND Casework,Caseworker,Level 2,permanent,0.5,2019-09-02,2024-03-31",
]
STAFF_CSV = ("\n".join([STAFF_HEADER, *STAFF_ROWS]) + "\n").encode()


def _texts(at: AppTest) -> str:
    """Every piece of text the page drew (markdown, alerts, captions), joined for searching."""
    parts = []
    for kind in ("markdown", "info", "success", "warning", "error", "caption", "subheader", "title"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def _frames(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def _run(at: AppTest) -> AppTest:
    at.run(timeout=60)
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.fixture
def at(tmp_path, monkeypatch) -> AppTest:
    """A fresh session on the /data page (demo data), with remembered mappings kept in a temporary folder."""
    monkeypatch.setenv("WORKFORCE_LENS_MAPPINGS", str(tmp_path / "mappings.json"))
    app = AppTest.from_file(PAGE, default_timeout=60)
    return _run(app)


def _upload(at: AppTest, name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    at.file_uploader[0].set_value([(name, data, mime)])
    return _run(at)


def test_page_opens_on_demo_with_limit_privacy_and_template(at):
    text = _texts(at)
    workforce = at.session_state["workforce"]
    assert workforce.is_demo
    assert "demo data" in text and "Tables: staff extract, establishment" in text
    assert f"Up to {ingest.MAX_UPLOAD_MB} MB per file" in text
    assert "not saved to disk" in text and "not logged" in text
    assert at.download_button[0].label.startswith("Download the blank template")
    assert not [b for b in at.button if b.label == "Back to demo data"]  # nothing to go back from


def test_upload_reports_bad_row_and_switches_session_to_upload(at):
    _upload(at, "staff.csv", STAFF_CSV)
    workforce = at.session_state["workforce"]
    assert not workforce.is_demo
    assert "staff.csv" in workforce.label
    assert workforce.con.execute("SELECT count(*) FROM staff").fetchone()[0] == 3
    tables = _frames(at)[0]
    staff = tables[tables["Sheet name"] == "staff"].iloc[0]
    assert (staff["Rows loaded"], staff["Rows set aside"]) == (3, 1)
    rows = next(f for f in _frames(at) if "Excel row" in f.columns)
    bad = rows[rows["Column"] == "fte"]
    assert list(bad["Excel row"]) == [4]
    assert "your own data" in _texts(at)
    assert upload.K_FILES not in at.session_state  # nothing to map: the uploaded bytes are not kept


def test_report_states_the_problem_in_words_with_sheet_row_and_column(at):
    _upload(at, "staff.csv", STAFF_CSV)
    text = _texts(at)
    assert "Upload read: 3 rows loaded" in text and "1 set aside" in text
    line = next(m for m in text.splitlines() if "column **fte**" in m)
    assert line.startswith("- **Error** · staff.csv") and "Excel row 4" in line
    assert at.download_button(key="upload.problems_csv").label == "Download the problem rows (CSV)"
    assert not at.exception


def test_not_a_spreadsheet_keeps_demo_and_explains(at):
    _upload(at, "staff.xlsx", b"\x00\x01 definitely not a workbook \xff" * 20,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert at.session_state["workforce"].is_demo  # nothing loaded: the demo stays
    text = _texts(at)
    assert "Nothing could be loaded" in text
    assert "staff.xlsx" in text and "Traceback" not in text


def test_unexpected_failure_is_a_sentence_not_a_traceback(at, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(ingest, "load", broken)
    _upload(at, "staff.csv", STAFF_CSV)
    assert at.session_state["workforce"].is_demo
    assert any("something unexpected went wrong" in e.value for e in at.error)
    assert "boom" not in _texts(at)


def test_dfe_indicator_file_loads_as_summary(at):
    dfe = (ROOT / "data" / "reference" / "csww_indicators_2017_to_2025.csv").read_bytes()
    _upload(at, "csww_indicators_2017_to_2025.csv", dfe)
    workforce = at.session_state["workforce"]
    assert workforce.tables == ["summary"]
    tables = _frames(at)[0]
    assert tables.iloc[0]["Sheet name"] == "summary" and tables.iloc[0]["Rows loaded"] > 100


def test_several_files_at_once_each_become_a_table(at):
    establishment = b"service_area,funded_fte\nChildren's Social Work,3.0\nSEND 0-25,1.0\n"
    at.file_uploader[0].set_value([("staff.csv", STAFF_CSV, "text/csv"), ("establishment.csv", establishment, "text/csv")])
    _run(at)
    workforce = at.session_state["workforce"]
    assert workforce.tables == ["staff", "establishment"]
    assert workforce.label == "Your upload: staff.csv, establishment.csv"
    tables = _frames(at)[0].set_index("Sheet name")
    assert tables.loc["establishment", "Rows loaded"] == 2 and tables.loc["staff", "Rows loaded"] == 3


def test_back_to_demo_forgets_the_upload(at):
    _upload(at, "staff.csv", STAFF_CSV)
    back = next(b for b in at.button if b.label == "Back to demo data")
    back.click()
    _run(at)
    assert at.session_state["workforce"].is_demo
    assert upload.K_RESULT not in at.session_state
    assert upload.K_FILES not in at.session_state
    assert "demo data" in _texts(at)


def test_assumption_is_offered_chosen_and_stated(at):
    header = "worker_id,service_area,role,fte,start_date"
    body = "\n".join(["A1,Children's Social Work,Social Worker,1.0,2021-04-01", "A2,SEND 0-25,Caseworker,0.6,2022-02-01"])
    _upload(at, "staff.csv", f"{header}\n{body}\n".encode())
    radio = at.radio(key="assume.worker_type")
    assert radio.value == upload.NO_ASSUMPTION
    assert at.session_state["workforce"].assumptions == {}
    radio.set_value("permanent")
    _run(at)
    workforce = at.session_state["workforce"]
    assert workforce.assumptions == {"worker_type": "permanent"}
    assert ASSUMPTIONS["worker_type"].options["permanent"] in _texts(at)


def test_mapping_is_applied_and_remembered(at):
    header = "worker_id,service_area,role,worker_type,fte,Date Joined Council"
    body = "\n".join(
        ["M1,Children's Social Work,Social Worker,permanent,1.0,2021-04-01", "M2,SEND 0-25,Caseworker,agency,0.6,2022-02-01"]
    )
    data = f"{header}\n{body}\n".encode()
    _upload(at, "staff.csv", data)
    at.selectbox(key="map.table.staff.csv|").set_value("staff")  # whatever ingest guessed, the user says staff
    _run(at)
    assert at.session_state[upload.K_FILES][0].data == data  # kept in memory for the re-read
    unmatched = [s for s in at.selectbox if s.label == "“Date Joined Council” is"]
    assert unmatched, "the unmatched header is offered for mapping"
    unmatched[0].set_value("start_date")
    _run(at)
    next(b for b in at.button if b.label == "Apply mapping").click()
    _run(at)
    assert "remembered" in _texts(at)
    workforce = at.session_state["workforce"]
    assert workforce.con.execute("SELECT count(*) FROM staff WHERE start_date IS NOT NULL").fetchone()[0] == 2
    # A new upload with the same headers is matched without asking.
    again = ingest.load([("people_again.csv", data)])
    assert not again.unmatched
    assert len(again.tables["staff"]) == 2


def test_coverage_lists_figures_on_and_off(at):
    frames = [f for f in _frames(at) if "Why it is off / what would switch it on" in f.columns]
    assert frames, "coverage tables are shown"
    statuses = set(pd.concat(frames)["Status"])
    assert "✓ On" in statuses


# ---- pure helpers ---------------------------------------------------------------------------


def test_preview_with_mapping_renames_and_drops_ignored():
    preview = pd.DataFrame({"Emp No": ["1", "2"], "Notes": ["a", "b"], "role": ["SW", "TM"]})
    shown = upload.preview_with_mapping(preview, {"Emp No": "worker_id", "Notes": upload.IGNORE})
    assert list(shown.columns) == ["worker_id", "role"]
    assert list(shown["worker_id"]) == ["1", "2"]


def test_chosen_assumptions_drop_dont_assume():
    assert upload.chosen_assumptions({"worker_type": upload.NO_ASSUMPTION, "fte": "1.0"}) == {"fte": "1.0"}


def test_problem_rows_keep_excel_location():
    rows = upload.problem_rows([
        Problem("a.xlsx", "staff", 12, "fte", "FTE of 37 looks like hours", value="37"),
        Problem("a.xlsx", "staff", None, "fte", "FTE of 37 looks like hours", count=40),
    ])
    assert rows.iloc[0][["File", "Sheet", "Excel row", "Column", "Value"]].tolist() == ["a.xlsx", "staff", 12, "fte", "37"]
    assert rows.iloc[1]["Rows"] == 40 and "40 more rows" in rows.iloc[1]["Problem"]


def test_coverage_table_groups_and_states_reason():
    class Fig:
        def __init__(self, fid, label, group):
            self.id, self.label, self.group = fid, label, group

    figures = {"a": Fig("a", "Agency rate", "agency"), "v": Fig("v", "Vacancy rate", "core")}
    groups = {"core": "Core figures", "agency": "Agency"}
    table = upload.coverage_table({"a": None, "v": "Needs the establishment table"}, figures, groups)
    assert list(table["Group"]) == ["Core figures", "Agency"]
    assert list(table["Figure"]) == ["Vacancy rate", "Agency rate"]
    assert table.iloc[0]["Status"] == "Off"
    assert table.iloc[0]["Why it is off / what would switch it on"] == "Needs the establishment table"


def test_off_by_reason_gathers_figures_sharing_a_reason():
    table = pd.DataFrame({
        "Group": ["Core", "Core", "Pay", "Pay"],
        "Figure": ["FTE in post", "Vacancy rate", "Salary gap", "Gender pay gap"],
        "Status": ["On", "Off", "Off", "Off"],
        "Why it is off / what would switch it on": ["", "Add establishment", "Add annual_salary", "Add annual_salary"],
    })
    assert upload.off_by_reason(table) == [
        ("Add annual_salary", ["Salary gap", "Gender pay gap"]),
        ("Add establishment", ["Vacancy rate"]),
    ]


def test_problem_rows_csv_is_safe_to_open_in_excel():
    from sharing.export import to_csv_bytes

    rows = upload.problem_rows([Problem("a.csv", None, 3, "worker_id", "Text cell", value='=HYPERLINK("http://x","y")')])
    text = to_csv_bytes(rows).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
