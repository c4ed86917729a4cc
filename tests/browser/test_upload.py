"""Upload through the real file chooser in Debian's Chromium.

1. A clean workbook (four staff rows, one with an FTE of 37 on Excel row 4) goes straight to the
   user's own overview, with a notice linking back to the load report.
2. An HRIS-style extract with none of our column names (EmpID, Department, Team, Team Name,
   Position, Contract, EmploymentStatus, DateofHire, DateofTermination, TermReason, Salary; US dates)
   stays on the Data page: the user overrides an automatic match (Team holds cost-centre codes,
   Team Name the names), maps a value (Agency/Locum/Interim → agency), accepts FTE 1.0, applies,
   and sees the overview as at the data's own date with the figures worked out by hand below.
"""

from __future__ import annotations

import io
import re

import xlsxwriter
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_for_app

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["worker_id", "service_area", "team", "role", "worker_type", "fte", "start_date"]
ROWS = [
    ["U001", "Upload Test Service", "Alpha Team", "Social Worker", "permanent", 1.0, "2021-04-01"],
    ["U002", "Upload Test Service", "Alpha Team", "Social Worker", "permanent", 0.6, "2022-01-10"],
    ["U003", "Upload Test Service", "Beta Team", "Team Manager", "permanent", 37, "2020-05-01"],  # Excel row 4
    ["U004", "Upload Test Service", "Beta Team", "Social Worker", "agency", 1.0, "2023-02-01"],
]

HRIS_HEADER = ["EmpID", "Employee_Name", "Department", "Team", "Team Name", "Position", "Contract",
               "EmploymentStatus", "DateofHire", "DateofTermination", "TermReason", "Salary"]
HRIS_ROWS = [
    ["1", "Ann A", "Children's Social Work", "CC101", "Assessment", "Social Worker", "Permanent", "Active",
     "1/15/2019", "", "N/A-StillEmployed", "41000"],
    ["2", "Bob B", "Children's Social Work", "CC101", "Assessment", "Social Worker", "Agency/Locum/Interim", "Active",
     "3/1/2024", "", "N/A-StillEmployed", ""],
    ["3", "Cat C", "Children's Social Work", "CC102", "Child Protection", "Team Manager", "Permanent", "Active",
     "6/20/2017", "", "N/A-StillEmployed", "52000"],
    ["4", "Dan D", "Children's Social Work", "CC102", "Child Protection", "Social Worker", "Permanent",
     "Voluntarily Terminated", "2/1/2020", "10/31/2024", "more money", "39000"],
    ["5", "Eve E", "SEND 0-25", "CC201", "SEND Casework", "Caseworker", "Permanent", "Active", "9/1/2021", "",
     "N/A-StillEmployed", "30000"],
    ["6", "Fay F", "SEND 0-25", "CC201", "SEND Casework", "Caseworker", "Fixed Term", "Active", "4/12/2023", "",
     "N/A-StillEmployed", "28500"],
    ["7", "Gus G", "Children's Social Work", "CC101", "Assessment", "Social Worker", "Agency/Locum/Interim", "Active",
     "11/4/2024", "", "N/A-StillEmployed", ""],
    ["8", "Hal H", "SEND 0-25", "CC201", "SEND Casework", "Caseworker", "Permanent", "Voluntarily Terminated",
     "5/5/2018", "1/17/2025", "relocation out of area", "29000"],
]
"""By hand, as at 17 January 2025 (the latest date in the file): in post are 1, 3, 5, 6 (employed, FTE 1.0
each: 4.0) and the agency workers 2 and 7 (agency rate 2 ÷ 6 = 33.3%). Leavers in the 12 months to then:
4 (31 Oct 2024) and 8 (17 Jan 2025): turnover 2 ÷ 4 = 50.0%."""


def _workbook(header: list, rows: list, sheet: str = "staff") -> bytes:
    """A one-sheet workbook."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    worksheet = book.add_worksheet(sheet)
    for r, row in enumerate([header, *rows]):
        worksheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def data_uploader(page):
    """The Data page's file input for workforce spreadsheets (by its label: the page has a second uploader, for a
    saved mapping)."""
    return page.get_by_role("region", name="Upload your workforce spreadsheet(s)", exact=True).locator(
        'input[type="file"]')


def _drop(page, name: str, data: bytes) -> None:
    data_uploader(page).set_input_files(
        files=[{"name": name, "mimeType": XLSX_MIME, "buffer": data}]
    )


def _open_data(page, app_url) -> None:
    page.goto(f"{app_url}/data")  # a deep link: must still run app.py (its navigation, its sidebar)
    wait_for_app(page)
    expect(page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Your data")).to_be_visible(
        timeout=60_000)  # the server's first run imports everything and loads the demo
    expect(page.locator('[data-testid="stFileUploaderDropzone"]').first).to_be_visible(timeout=60_000)


_ONE_BOX = """(label) => {
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const boxes = main ? Array.from(main.querySelectorAll('[role="combobox"]')) : [];
  return boxes.filter(b => b.getAttribute('aria-label') === label).length === 1;
}"""
"""True when the main area holds one selectbox with this label (not also a stale copy from the last run)."""


def _choose(page, label: str, option: str) -> None:
    """Pick an option of a selectbox in the main area by its label, and wait for the rerun.

    The previous choice's rerun may still be redrawing the form: until it is done the page can
    hold the stale copy of a box beside the new one, or replace the box while it is scrolled to
    ("Element is not attached to the DOM"). So the box is awaited alone, and found afresh up to
    three times. The explicit scroll is needed: a click that scrolls by itself lands before the
    list can open.
    """
    box = page.locator('[data-testid="stMainBlockContainer"]').get_by_role("combobox", name=label)
    for attempt in range(3):
        page.wait_for_function(_ONE_BOX, arg=label, timeout=30_000)
        try:
            box.scroll_into_view_if_needed()
            box.click()
            break
        except PlaywrightError as error:
            if attempt == 2 or not ("not attached" in str(error) or "strict mode violation" in str(error)):
                raise
            wait_for_app(page)
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def test_clean_upload_goes_straight_to_the_overview_with_the_report_one_click_away(page, app_url):
    _open_data(page, app_url)
    main = page.locator('[data-testid="stMainBlockContainer"]')
    expect(main.get_by_text("You are looking at demo data", exact=False)).to_be_visible(timeout=60_000)
    expect(main.get_by_text("not saved to disk", exact=False)).to_be_visible()
    screenshot(page, "upload_01_demo")

    _drop(page, "upload_test.xlsx", _workbook(HEADER, ROWS))
    page.wait_for_url(re.compile(r"/overview"), timeout=60_000)
    wait_for_app(page)
    expect(main.get_by_text("Showing your upload: 3 rows loaded, 1 set aside", exact=False)).to_be_visible()
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("Your upload: upload_test.xlsx")
    expect(main).to_contain_text("Upload Test Service", timeout=30_000)  # text, table cells and chart descriptions
    expect(page.get_by_text("Shireford", exact=False)).to_have_count(0)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, "upload_02_overview")

    main.get_by_role("link", name="see the load report").click()
    wait_for_app(page)
    page.wait_for_url(re.compile(r"/data"), timeout=30_000)
    page.get_by_text(re.compile(r"Show every problem row")).click()
    wait_for_app(page)
    rows = page.locator('[data-testid="stExpander"]').filter(has_text="Show every problem row")
    expect(rows).to_contain_text("upload_test.xlsx")
    expect(rows).to_contain_text("fte")
    expect(rows).to_contain_text("4")
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, "upload_03_report")


def test_hris_extract_mapped_in_the_browser_becomes_the_right_figures(page, app_url):
    _open_data(page, app_url)
    main = page.locator('[data-testid="stMainBlockContainer"]')
    _drop(page, "hris_export.xlsx", _workbook(HRIS_HEADER, HRIS_ROWS, sheet="Export"))
    expect(main.get_by_role("heading", name="Check how your columns were read")).to_be_visible(timeout=60_000)
    wait_for_app(page)
    assert page.url.rstrip("/").endswith("/data")  # an assumption to answer: the user stays here
    expect(main).to_contain_text("“EmploymentStatus” is")
    screenshot(page, "upload_04_mapping")

    _choose(page, "“Team” is", "Not loaded")  # Team holds cost-centre codes...
    _choose(page, "“Team Name” is", "Team")  # ...the names are in Team Name
    values = main.get_by_text(re.compile(r"Values of “Contract”"))
    if not main.get_by_role("combobox", name="“Agency/Locum/Interim” (2 rows)").is_visible():
        values.click()
        wait_for_app(page)
    _choose(page, "“Agency/Locum/Interim” (2 rows)", "agency")
    main.get_by_text("Assumption: everyone works full time", exact=False).click()
    wait_for_app(page)
    expect(main.get_by_text("If you apply this: 8 rows will load and 0 will be set aside.")).to_be_visible()
    screenshot(page, "upload_05_preview")

    main.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"/overview"), timeout=60_000)
    wait_for_app(page)
    expect(main.get_by_text("Showing your upload: 8 rows loaded, 0 set aside", exact=False)).to_be_visible()
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(main.get_by_text("Showing: as of 17 January 2025")).to_be_visible()  # the data's date
    expect(sidebar).to_contain_text("The latest date in this data is 17 January 2025, more than 12 months ago")
    metrics = page.locator('[data-testid="stMetric"]')
    expect(metrics.filter(has_text="FTE in post")).to_contain_text("4.0")
    expect(metrics.filter(has_text="Agency rate")).to_contain_text("33.3%")
    expect(metrics.filter(has_text="Turnover rate")).to_contain_text("50.0%")
    sidebar.get_by_role("combobox", name="Team").click()
    expect(page.get_by_role("option", name="Child Protection", exact=True)).to_be_visible()  # names, not codes
    expect(page.get_by_role("option", name="CC101", exact=True)).to_have_count(0)
    page.keyboard.press("Escape")
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, "upload_06_overview")
