"""Dashboard pages in Debian's Chromium: URL filters, the committee table, Show data, screenshots.

Every page's walk (no exception box, through the app's own links, a screenshot at each size) is in
test_accessibility.py, which visits every page anyway.

Screenshots (test-artifacts/pages_*.png) are taken with the window as tall as
the page, because Streamlit scrolls inside its own container rather than the
document. The committee table is checked against what `python -m metrics`
prints for the same workbook, rounded as the table displays it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import settled
from tests.browser.conftest import ROOT, screenshot

DEMO = ROOT / "data" / "demo" / "demo_council.xlsx"
PATHS = ("overview", "recruitment", "retention", "agency", "pay", "workload", "voice", "scenarios", "compare", "club",
         "data", "methodology", "publish")


def settle(page, timeout_s: float = 90, checks: int = 3) -> int:
    """Wait until the page has a title, nothing is loading and its height has stopped changing; return the height."""
    page.locator('[data-testid="stMainBlockContainer"] h1').first.wait_for(timeout=timeout_s * 1000)
    return settled(page, timeout_s, checks)


def tall_screenshot(page, name: str, height: int | None = None) -> Path:
    """A screenshot of the whole page: the window made as tall as the content, then put back."""
    height = height or settle(page)
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(max(height + 40, size["height"]), 8000)})
    settle(page, checks=2)
    path = screenshot(page, name)
    page.set_viewport_size(size)
    return path


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.url


TITLES = {"overview": "Overview", "recruitment": "Recruitment", "retention": "Retention", "agency": "Agency",
          "pay": "Pay", "workload": "Workload", "voice": "Staff voice", "scenarios": "Scenarios",
          "compare": "Compare with England", "club": "Benchmarking club", "data": "Your data",
          "methodology": "Methodology", "publish": "Share"}
"""Each path's link text in the sidebar navigation."""


def _choose(page, label: str, option: str) -> None:
    """Pick an option of a sidebar selectbox by its label."""
    page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def _table_rows(page) -> list[list[str]]:
    """The committee table (the first data table, ui.tables) as text cells, header first."""
    table = page.locator('table.wl-table').first
    table.wait_for()
    return [[c.strip() for c in row.locator("th, td").all_inner_texts()] for row in table.locator("tr").all()]


def test_filter_changes_url_and_the_link_reopens_the_same_view(page, app_url, browser):
    page.goto(f"{app_url}/overview")
    settle(page)
    _choose(page, "Service area", "SEND 0-25")
    page.wait_for_url("**service=SEND*", timeout=30_000)
    settle(page)
    query = parse_qs(urlparse(page.url).query)
    assert query["service"] == ["SEND 0-25"]
    main = page.locator('[data-testid="stMainBlockContainer"]')
    expect(main.get_by_text("Showing: SEND 0-25", exact=False)).to_be_visible()
    before = _table_rows(page)
    tall_screenshot(page, "pages_overview_filtered")

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        other = context.new_page()
        other.goto(page.url)
        settle(other)
        no_exception(other)
        expect(other.locator('[data-testid="stMainBlockContainer"]').get_by_text(
            "Showing: SEND 0-25", exact=False)).to_be_visible()
        combo = other.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Service area")
        expect(combo).to_have_value("SEND 0-25")
        assert _table_rows(other) == before
        assert [r[0] for r in before[1:]] == ["SEND 0-25", "All"]
    finally:
        context.close()


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def _one(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}"


@pytest.fixture(scope="module")
def cli_rows() -> dict[str, dict]:
    """The figures `python -m metrics <demo workbook> --format json` prints, by service area."""
    out = subprocess.run([sys.executable, "-m", "metrics", str(DEMO), "--format", "json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120, check=True).stdout
    return {row["service_area"]: row for row in json.loads(out)["rows"]}


def test_committee_table_matches_the_metrics_cli(page, app_url, cli_rows):
    page.goto(f"{app_url}/overview")
    settle(page)
    rows = _table_rows(page)
    header, body = rows[0], rows[1:]
    assert header[-6:] == ["Service area", "FTE in post", "Vacancy rate", "Agency rate", "Turnover rate",
                           "Salary gap to market"]
    shown = {r[-6]: r[-5:] for r in body}
    assert set(shown) == set(cli_rows)
    for area, row in cli_rows.items():
        expected = [_one(row["fte_in_post"]), _pct(row["vacancy_rate"]), _pct(row["agency_rate"]),
                    _pct(row["turnover_rate"]), _pct(row["salary_gap"])]
        assert shown[area] == expected, area


def test_show_data_opens_the_table_and_its_downloads(page, app_url):
    """'Show data' under a chart is drawn when opened (the page opens quicker); opening it shows the exact numbers."""
    page.goto(f"{app_url}/overview")
    settle(page)
    main = page.locator('[data-testid="stMainBlockContainer"]')
    before = main.locator("table.wl-table").count()  # the page's own tables (committee table, back-test)
    assert main.locator("table.wl-table", has_text="The numbers behind the chart").count() == 0  # every block closed
    block = main.locator('[data-testid="stLayoutWrapper"]').filter(
        has=page.get_by_role("heading", name="Where are vacancy rates highest?")).last  # the innermost: the block
    block.get_by_text("Show data", exact=True).click()
    table = block.locator("table.wl-table")
    expect(table).to_be_visible(timeout=30_000)
    downloads = block.locator('[data-testid="stDownloadButton"]')
    expect(downloads.filter(has_text="CSV")).to_be_visible()
    assert downloads.count() == 4  # CSV, Excel, PNG, SVG
    settle(page)
    no_exception(page)
    assert main.locator("table.wl-table").count() == before + 1  # only the block that was opened added one
    assert table.locator("th[scope=col]").all_inner_texts() == ["Service area", "Vacancy rate"]
    tall_screenshot(page, "pages_overview_show_data")
