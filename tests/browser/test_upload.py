"""Upload through the real file chooser in Debian's Chromium: the report, then the overview on the upload.

The workbook is written here (four staff rows, one with an FTE of 37 on Excel
row 4), so the expected report can be checked by hand.
"""

from __future__ import annotations

import io
import re

import xlsxwriter
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


def _workbook() -> bytes:
    """A one-sheet `staff` workbook with one bad row (fte 37, hours not FTE) on Excel row 4."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("staff")
    for r, row in enumerate([HEADER, *ROWS]):
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def _upload(page, name: str, data: bytes) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": name, "mimeType": XLSX_MIME, "buffer": data}]
    )
    page.locator('[data-testid="stMainBlockContainer"]').get_by_text("Upload read", exact=False).wait_for(timeout=60_000)  # the notice after the rerun
    wait_for_app(page)


def _nav(page, name: str) -> None:
    """Go to another page through the app's own navigation (same browser session, same uploaded data)."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=name).click()
    wait_for_app(page)


def test_upload_shows_report_and_overview_uses_it(page, app_url):
    page.goto(f"{app_url}/data")  # a deep link: must still run app.py (its navigation, its sidebar)
    wait_for_app(page)
    expect(page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Your data")).to_be_visible(
        timeout=60_000)  # the server's first run imports everything and loads the demo
    main = page.locator('[data-testid="stMainBlockContainer"]')
    expect(main.get_by_text("You are looking at demo data", exact=False)).to_be_visible(timeout=60_000)
    expect(page.locator('[data-testid="stFileUploaderDropzone"]')).to_be_visible(timeout=60_000)
    expect(main.get_by_text("not saved to disk", exact=False)).to_be_visible()
    screenshot(page, "upload_01_demo")

    _upload(page, "upload_test.xlsx", _workbook())
    expect(main.get_by_text("You are looking at your own data", exact=False)).to_be_visible()
    tables = page.locator('[data-testid="stDataFrame"]').first
    expect(tables).to_contain_text("Staff extract")
    expect(tables).to_contain_text("3")  # rows loaded
    page.get_by_text(re.compile(r"Show every problem row")).click()
    wait_for_app(page)
    rows = page.locator('[data-testid="stExpander"]').filter(has_text="Show every problem row")
    expect(rows).to_contain_text("upload_test.xlsx")
    expect(rows).to_contain_text("staff")
    expect(rows).to_contain_text("fte")
    expect(rows).to_contain_text("4")
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, "upload_02_report")
    rows.scroll_into_view_if_needed()
    screenshot(page, "upload_03_problem_rows")

    _nav(page, "Overview")
    expect(page).to_have_url(re.compile(r"/(overview)?$"))  # the default page may show as /
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("Your upload: upload_test.xlsx")
    main = page.locator('[data-testid="stMainBlockContainer"]')
    expect(main).to_contain_text("Upload Test Service", timeout=30_000)  # text, table cells and chart descriptions
    expect(page.get_by_text("Shireford", exact=False)).to_have_count(0)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, "upload_04_overview")
