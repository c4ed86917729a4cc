"""The Staff voice page in Debian's Chromium: on the demo, on an upload with only a survey table, on a shared link.

Each check is against numbers worked out by hand: the uploaded survey has 55% of 44 respondents recommending
the council against 50% of 40 the survey before; the shared link publishes tests/metrics/voice_fixtures.py,
whose team T1 has 3 respondents (shown as `c`).
"""

from __future__ import annotations

import io
import re

import pytest
import xlsxwriter
from playwright.sync_api import expect

from sharing import snapshots
from tests.browser.conftest import start_app, stop_app, wait_for_app
from tests.browser.test_pages import no_exception, settle, tall_screenshot
from tests.browser.test_upload import data_uploader
from tests.metrics.voice_fixtures import make_workforce

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TIMEOUT = 120_000


def _tiles(page) -> dict[str, str]:
    """Each KPI tile's label and value."""
    tiles = {}
    for tile in page.locator('[data-testid="stMetric"]').all():
        label = tile.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        tiles[label] = tile.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return tiles


def _open_voice(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page, TIMEOUT)
    expect(page.locator('[data-testid="stMainBlockContainer"] h1').first).to_have_text("Staff voice", timeout=TIMEOUT)
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(5, timeout=TIMEOUT)
    settle(page)


def test_voice_on_the_demo(page, app_url):
    _open_voice(page, f"{app_url}/voice")
    main = page.locator('[data-testid="stMainBlockContainer"]')
    expect(main).to_contain_text("How do staff answer, theme by theme?")
    expect(main).to_contain_text("Is case (practice) supervision happening as agreed, team by team?")
    expect(main).to_contain_text("Association, not cause.")
    expect(main).to_contain_text("against Staff survey 2024")
    assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 8  # every chart drawn
    assert all(v not in ("", "–") for v in _tiles(page).values())
    no_exception(page)
    tall_screenshot(page, "voice_01_demo")


def _survey_workbook() -> bytes:
    """A workbook with one sheet, a survey provider's results: nothing else."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Staff survey")
    rows = [["Survey", "Year", "Question", "Breakdown", "Group", "Responses", "% positive"],
            ["Staff survey 2024", 2024, "I would recommend the council as a place to work", "Organisation", "", 40, 50],
            ["Staff survey 2025", 2025, "I would recommend the council as a place to work", "Organisation", "", 44, 55],
            ["Staff survey 2025", 2025, "My workload is manageable", "Organisation", "", 44, 35]]
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def test_voice_on_an_upload_with_only_a_survey_table(page, app_url):
    page.goto(f"{app_url}/data")
    wait_for_app(page, TIMEOUT)
    data_uploader(page).set_input_files(
        files=[{"name": "survey_only.xlsx", "mimeType": XLSX_MIME, "buffer": _survey_workbook()}])
    main = page.locator('[data-testid="stMainBlockContainer"]')
    page.wait_for_url(re.compile(r"/overview"), timeout=TIMEOUT)  # a clean upload opens the user's own overview
    wait_for_app(page, TIMEOUT)
    expect(main.get_by_text("Showing your upload", exact=False)).to_be_visible()
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Staff voice").click()
    wait_for_app(page, TIMEOUT)
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(5, timeout=TIMEOUT)
    settle(page)
    tiles = _tiles(page)
    assert tiles["Would recommend as an employer"] == "55.0%"
    assert tiles["Case supervision held"] == "–"
    main = page.locator('[data-testid="stMainBlockContainer"]')
    expect(main).to_contain_text("+5.0 pts since 30 Sep 2024 (better)")  # a year alone reads as 30 September
    expect(main).to_contain_text("add a 'supervision' sheet")
    no_exception(page)
    tall_screenshot(page, "voice_02_survey_only")
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Overview").click()
    wait_for_app(page, TIMEOUT)
    expect(page.locator('[data-testid="stMainBlockContainer"]')).to_contain_text("Needs a staff extract",
                                                                                timeout=TIMEOUT)
    no_exception(page)


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """A server whose snapshot file holds the voice fixture council, published with every View."""
    path = tmp_path_factory.mktemp("voice_snapshots") / "snapshots.duckdb"
    mp = pytest.MonkeyPatch()
    mp.setenv("WORKFORCE_LENS_SHARING_FILTER_CUTS", "")
    workforce = make_workforce()
    try:
        sid = snapshots.publish(workforce, "Spotlight review", path=path)
    finally:
        workforce.close()
        mp.undo()
    proc, base = start_app({"WORKFORCE_LENS_SNAPSHOT_PATH": str(path), "WORKFORCE_LENS_VIEWER_PASSWORD": "",
                            "WORKFORCE_LENS_SHARING_FILTER_CUTS": ""})
    try:
        yield base, sid
    finally:
        stop_app(proc)


def test_voice_on_a_shared_link(browser, shared):
    base, sid = shared
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        _open_voice(page, f"{base}/voice?snapshot={sid}")
        tiles = _tiles(page)
        assert tiles["Would recommend as an employer"] == "55.0%"
        assert tiles["Case supervision held"] == "84.6%"  # 11 of 13 sessions
        main = page.locator('[data-testid="stMainBlockContainer"]')
        expect(page.get_by_text("A published snapshot").first).to_be_visible()
        expect(main).to_contain_text("1 team with too few respondents shown as c")
        expect(main).not_to_contain_text("33.3%")  # T1's hidden result appears nowhere
        assert re.search(r"snapshot=", page.url)
        no_exception(page)
        tall_screenshot(page, "voice_03_shared")
    finally:
        context.close()

