"""The /data page under Streamlit's AppTest: upload, the mapping step, the load report, assumptions, coverage,
and (through app.py) the way to the user's own overview.

Uploads go through AppTest's own file_uploader support (Streamlit 1.67 registers the bytes as a
browser upload would), so the page's real code path is exercised. Inputs are small CSV files
written here, or the HRIS-shaped fixture of tests/ingest, so every expectation can be checked by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ingest
from ingest import Mapping
from ingest.model import ASSUMPTIONS, Problem
from ui import mapping as mapping_ui
from ui import upload

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "data.py")
APP = str(ROOT / "app.py")
HRIS = ROOT / "tests" / "ingest" / "fixtures" / "hris_extract.csv"

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


def _tables(at: AppTest) -> list[pd.DataFrame]:
    """The page's data tables (HTML tables in the page text, ui.tables) as DataFrames of their text."""
    from ui import tables

    return [tables.to_frame(h.value) for h in at.html if tables.is_table(h.value)]


def _frame(at: AppTest, column: str) -> pd.DataFrame:
    """The first table the page drew that has `column` (cells as the page writes them: 1,463)."""
    return next(t for t in _tables(at) if column in t.columns)


def _run(at: AppTest) -> AppTest:
    at.run(timeout=60)
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.fixture
def at(tmp_path, monkeypatch) -> AppTest:
    """A fresh session on the /data page (demo data), with any server-side mapping library pointed at a temp folder."""
    monkeypatch.setenv("WORKFORCE_LENS_MAPPINGS", str(tmp_path / "mappings.json"))
    app = AppTest.from_file(PAGE, default_timeout=60)
    return _run(app)


def _upload(at: AppTest, name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    at.file_uploader[0].set_value([(name, data, mime)])
    return _run(at)


def _apply(at: AppTest) -> AppTest:
    at.button(key="upload.apply_mapping").click()
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
    files = _frame(at, "Rows in the file").iloc[0]
    assert (files["File"], files["Rows in the file"], files["Rows loaded"], files["Rows set aside"]) == (
        "staff.csv", "4", "3", "1")
    rows = _frame(at, "Excel row")
    assert list(rows.loc[rows["Column"] == "fte", "Excel row"]) == ["4"]
    assert "your own data" in _texts(at)


def test_report_states_the_problem_in_words_with_sheet_row_and_column(at):
    _upload(at, "staff.csv", STAFF_CSV)
    text = _texts(at)
    assert "Upload read: 3 rows loaded, 1 set aside" in text
    line = next(m for m in text.splitlines() if "column **fte**" in m)
    assert line.startswith("- **Error** · staff.csv") and "Excel row 4" in line
    assert at.download_button(key="upload.problems_csv").label == "Download the problem rows (CSV)"


def test_not_a_spreadsheet_keeps_demo_says_so_in_red(at):
    _upload(at, "staff.xlsx", b"\x00\x01 definitely not a workbook \xff" * 20,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert at.session_state["workforce"].is_demo  # nothing loaded: the demo stays...
    errors = " ".join(e.value for e in at.error)
    assert "Nothing was loaded from staff.xlsx" in errors and "not a spreadsheet" in errors
    assert "still looking at the demo data" in errors  # ...and is never passed off as the user's
    assert not [s for s in at.success if "Upload read" in s.value]  # no green for a failure
    assert "Traceback" not in _texts(at)


def test_failed_upload_after_own_data_names_the_data_still_shown(at):
    _upload(at, "staff.csv", STAFF_CSV)
    _upload(at, "junk.csv", b"")
    errors = " ".join(e.value for e in at.error)
    assert "Nothing was loaded from junk.csv" in errors
    assert "your earlier upload (Your upload: staff.csv)" in errors
    assert at.session_state["workforce"].label == "Your upload: staff.csv"


def test_unexpected_failure_is_a_sentence_not_a_traceback(at, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(ingest, "read_upload", broken)
    _upload(at, "staff.csv", STAFF_CSV)
    assert at.session_state["workforce"].is_demo
    assert any("something unexpected went wrong" in e.value for e in at.error)
    assert "boom" not in _texts(at)


def test_dfe_indicator_file_loads_as_summary(at):
    dfe = (ROOT / "data" / "reference" / "csww_indicators_2017_to_2025.csv").read_bytes()
    _upload(at, "csww_indicators_2017_to_2025.csv", dfe)
    workforce = at.session_state["workforce"]
    assert workforce.tables == ["summary"]
    files = _frame(at, "Rows in the file").iloc[0]
    assert files["Read as"] == "Summary figures" and files["Rows loaded"] == "1,463"
    assert any("choose “Our council” in the sidebar" in c.value for c in at.caption)  # no council chosen yet


def test_several_files_at_once_each_become_a_table(at):
    establishment = b"service_area,funded_fte\nChildren's Social Work,3.0\nSEND 0-25,1.0\n"
    at.file_uploader[0].set_value([("staff.csv", STAFF_CSV, "text/csv"), ("establishment.csv", establishment, "text/csv")])
    _run(at)
    workforce = at.session_state["workforce"]
    assert workforce.tables == ["staff", "establishment"]
    assert workforce.label == "Your upload: staff.csv, establishment.csv"
    files = _frame(at, "Rows in the file").set_index("File")
    assert files.loc["establishment.csv", "Rows loaded"] == "2" and files.loc["staff.csv", "Rows loaded"] == "3"


def test_back_to_demo_forgets_the_upload(at):
    _upload(at, "staff.csv", STAFF_CSV)
    next(b for b in at.button if b.label == "Back to demo data").click()
    _run(at)
    assert at.session_state["workforce"].is_demo
    assert upload.K_RESULT not in at.session_state and upload.K_UPLOAD not in at.session_state
    assert "demo data" in _texts(at)


def test_assumption_is_offered_previewed_applied_and_stated(at):
    header = "worker_id,service_area,role,fte,start_date"
    body = "\n".join(["A1,Children's Social Work,Social Worker,1.0,2021-04-01", "A2,SEND 0-25,Caseworker,0.6,2022-02-01"])
    _upload(at, "staff.csv", f"{header}\n{body}\n".encode())
    radio = at.radio(key="assume.worker_type")
    assert radio.value == upload.NO_ASSUMPTION
    assert at.session_state["workforce"].assumptions == {}
    radio.set_value("permanent")
    _run(at)
    assert at.session_state["workforce"].assumptions == {}  # a choice changes the preview, not yet the data
    _apply(at)
    workforce = at.session_state["workforce"]
    assert workforce.assumptions == {"worker_type": "permanent"}
    assert "Applied: 2 rows loaded, 0 set aside." in _texts(at)
    assert ASSUMPTIONS["worker_type"].options["permanent"] in " ".join(workforce.assumption_notes())


def test_unmatched_header_mapped_by_hand_and_nothing_written_to_disk(at, tmp_path):
    header = "worker_id,service_area,role,worker_type,fte,Date Joined Council"
    body = "\n".join(["M1,Children's Social Work,Social Worker,permanent,1.0,2021-04-01",
                      "M2,SEND 0-25,Caseworker,agency,0.6,2022-02-01"])
    _upload(at, "staff.csv", f"{header}\n{body}\n".encode())
    assert "not loaded yet: a column is missing" in " ".join(e.label for e in at.expander)
    box = next(s for s in at.selectbox if s.label == "“Date Joined Council” is")
    assert box.value == mapping_ui.AUTO
    box.set_value("start_date")
    _run(at)
    assert any("2 rows will load and 0 will be set aside" in i.value for i in at.info)
    _apply(at)
    workforce = at.session_state["workforce"]
    assert workforce.con.execute("SELECT count(*) FROM staff WHERE start_date IS NOT NULL").fetchone()[0] == 2
    assert not (tmp_path / "mappings.json").exists()  # the mapping belongs to the user, not the server
    assert "remembered" not in _texts(at)
    assert at.download_button(key="map.download.toml").label == "Download this mapping (TOML)"
    assert at.session_state[upload.K_MAPPING].columns == {"Date Joined Council": "start_date"}


def test_an_automatic_match_can_be_unset_and_set_back(at):
    _upload(at, "staff.csv", STAFF_CSV)
    team = next(s for s in at.selectbox if s.label == "“team” is")
    team.set_value(mapping_ui.NOT_LOADED)
    _run(at)
    assert at.session_state[upload.K_MAPPING].columns == {"team": ""}
    _apply(at)
    workforce = at.session_state["workforce"]
    assert workforce.df("SELECT count(*) AS n FROM staff WHERE team IS NOT NULL")["n"].item() == 0
    assert "team" in workforce.missing_columns["staff"]
    next(s for s in at.selectbox if s.label == "“team” is").set_value(mapping_ui.AUTO)
    _run(at)
    assert at.session_state[upload.K_MAPPING].columns == {}
    _apply(at)
    assert at.session_state["workforce"].df("SELECT count(*) AS n FROM staff WHERE team IS NOT NULL")["n"].item() == 3


def test_values_of_a_categorical_column_can_be_mapped(at):
    csv = (b"worker_id,service_area,role,Contract,fte,start_date\n"
           b"V1,CSW,Social Worker,Permanent,1,2021-04-01\n"
           b"V2,CSW,Social Worker,Agency/Locum/Interim,1,2022-01-10\n"
           b"V3,CSW,Social Worker,Agency/Locum/Interim,1,2022-02-10\n")
    _upload(at, "staff.csv", csv)
    contract = next(s for s in at.selectbox if s.label == "“Contract” is")
    assert contract.value == mapping_ui.AUTO  # refused automatically: most values are not worker types
    assert any("most values" in c.value and "are not worker types" in c.value for c in at.caption)
    contract.set_value("worker_type")
    _run(at)
    assert any("2 will be set aside" in i.value for i in at.info)  # 'Agency/Locum/Interim' is not recognised
    value = next(s for s in at.selectbox if s.label == "“Agency/Locum/Interim” (2 rows)")
    assert value.value == mapping_ui.AUTO
    value.set_value("agency")
    _run(at)
    _apply(at)
    workforce = at.session_state["workforce"]
    assert workforce.df("SELECT count(*) AS n FROM staff WHERE worker_type = 'agency'")["n"].item() == 2
    assert at.session_state[upload.K_MAPPING].values == {"worker_type": {"Agency/Locum/Interim": "agency"}}
    assert at.session_state[upload.K_MAPPING].columns == {"Contract": "worker_type"}


def test_a_saved_mapping_file_is_applied_to_the_next_upload(at):
    saved = Mapping(columns={"Date Joined Council": "start_date"}, assume={"fte": "1.0"}).to_toml().encode()
    at.file_uploader(key="upload.mapping_uploader").set_value([("mine.toml", saved, "application/toml")])
    _run(at)
    assert "Mapping mine.toml loaded" in _texts(at)
    csv = b"worker_id,service_area,role,worker_type,Date Joined Council\nM1,CSW,SW,permanent,2021-04-01\n"
    _upload(at, "staff.csv", csv)
    workforce = at.session_state["workforce"]
    assert workforce.df("SELECT start_date, fte FROM staff").iloc[0].tolist() == [pd.Timestamp(2021, 4, 1), 1.0]


def test_an_unusable_mapping_file_is_a_plain_message(at):
    at.file_uploader(key="upload.mapping_uploader").set_value([("bad.toml", b"[columns]\nX = 'colour'\n", "text/plain")])
    _run(at)
    assert any("That mapping could not be used" in e.value and "'colour'" in e.value for e in at.error)


def test_headline_figures_of_the_upload_on_the_data_page(at):
    _upload(at, "staff.csv", STAFF_CSV)
    assert "Your headline figures" in [s.value for s in at.subheader]
    fte = next(m for m in at.metric if m.label == "FTE in post")
    assert fte.value == "1.0"  # W001 only: W002 is agency, W003 set aside, W004 left in March 2024


def test_coverage_lists_figures_on_and_off(at):
    frames = [t for t in _tables(at) if "Why it is off / what would switch it on" in t.columns]
    assert frames, "coverage tables are shown"
    assert "✓ On" in set(pd.concat(frames)["Status"])


# ---- through app.py: from the drop to the user's own overview --------------------------------


def _app(la: str | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    if la:
        app.query_params["la"] = la
    app.run()
    app.switch_page("pages/data.py").run()
    assert not app.exception
    return app


def test_a_clean_upload_goes_straight_to_the_overview_with_a_notice_and_the_council_kept():
    app = _app("Devon")
    app.session_state["as_of"] = dt.date(2026, 9, 29)  # left over from the demo
    csv = b"worker_id,service_area,role,worker_type,fte,start_date,end_date\n" \
          b"W1,CSW,SW,permanent,1,2021-04-01,\nW2,CSW,SW,permanent,1,2021-04-01,2023-06-30\n"
    app.file_uploader[0].set_value([("staff.csv", csv, "text/csv")]).run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Overview"]
    assert any("Showing your upload: 2 rows loaded, 0 set aside" in s.value for s in app.success)
    assert app.sidebar.selectbox(key="la").value == "Devon"
    assert app.sidebar.date_input(key="as_of").value == dt.date(2023, 6, 30)  # the data's own latest date
    assert any("more than 12 months ago" in w.value for w in app.sidebar.warning)


def test_hris_extract_stays_on_the_data_page_until_the_assumptions_are_answered_then_shows_its_figures():
    app = _app()
    app.file_uploader[0].set_value([("hris_extract.csv", HRIS.read_bytes(), "text/csv")]).run()
    assert [t.value for t in app.title] == ["Your data"]  # two assumptions to answer
    app.radio(key="assume.worker_type").set_value("permanent").run()
    app.radio(key="assume.fte").set_value("1.0").run()
    app.button(key="upload.apply_mapping").click().run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Overview"]
    assert app.sidebar.date_input(key="as_of").value == dt.date(2018, 9, 12)
    tiles = {m.label: m.value for m in app.metric}
    assert tiles["FTE in post"] == "5.0" and tiles["Turnover rate"] == "40.0%"


def test_our_council_picks_its_rows_of_a_multi_authority_dfe_upload():
    """Devon's 2025 row of the DfE file: inpost_fte 367.1, vacancy_rate_fte 20.0, agency_rate_fte 24.3."""
    app = _app("Devon")
    dfe = (ROOT / "data" / "reference" / "csww_indicators_2017_to_2025.csv").read_bytes()
    app.file_uploader[0].set_value([("csww_indicators_2017_to_2025.csv", dfe, "text/csv")]).run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Overview"]
    tiles = {m.label: m.value for m in app.metric}
    assert (tiles["FTE in post"], tiles["Vacancy rate"], tiles["Agency rate"]) == ("367.1", "20.0%", "24.3%")
    assert any("Devon: your council's row of the uploaded file" in c.value for c in app.caption)


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


def test_effective_mapping_keeps_every_header_as_read_for_next_month():
    result = ingest.load([HRIS], Mapping(columns={"Termd": ""}, assume={"worker_type": "permanent"}))
    kept = mapping_ui.effective_mapping(result)
    assert kept.columns["DateofHire"] == "start_date" and kept.columns["EmploymentStatus"] == "employment_status"
    assert kept.columns["Termd"] == "" and "Employee_Name" not in kept.columns
    assert kept.assume == {"worker_type": "permanent"}
    again = ingest.load([HRIS], Mapping.from_text(kept.to_toml()))
    assert [m.column for m in again.plans[0].matches] == [m.column for m in result.plans[0].matches]


def test_value_counts_put_unrecognised_values_first():
    csv = b"worker_id,service_area,role,Contract,fte,start_date\n" + b"".join(
        f"V{i},CSW,SW,{kind},1,2021-04-01\n".encode() for i, kind in enumerate(["Permanent"] * 3 + ["Locum cover"]))
    data = [("staff.csv", csv)]
    upload_read = ingest.read_upload(data)
    [plan] = ingest.plan_upload(upload_read)
    counts = mapping_ui.value_counts(upload_read, plan, "worker_type")
    assert counts.values.tolist() == [["Locum cover", 1], ["Permanent", 3]]
    assert mapping_ui.automatic_value("worker_type", "Locum cover", "Contract").startswith("not recognised")


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
