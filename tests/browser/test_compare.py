"""The compare page in Debian's Chromium: /compare?la=Leeds shows Leeds's DfE figures against England.

The expected values are read from data/reference/csww_indicators.csv in the test (2025 rows), so the
check is the page against the file, not the code against itself.
"""

from __future__ import annotations

import csv

from playwright.sync_api import expect

from reference.store import INDICATORS_FILE, REFERENCE_DIR
from tests.browser.conftest import screenshot, wait_for_app

LA = "Leeds"


def _file_value(area: str, column: str, year: str = "2025") -> str:
    """The cell as printed in the DfE file (a percentage for rates)."""
    with (REFERENCE_DIR / INDICATORS_FILE).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["la_name"] or ("England" if row["geographic_level"] == "National" else "")
            if row["time_period"] == year and name == area:
                return row[column]
    raise AssertionError(f"{area} {year} not in the file")


def test_compare_page_shows_the_chosen_authority(page, app_url):
    page.goto(f"{app_url}/compare?la={LA}")
    wait_for_app(page)
    main = page.locator('[data-testid="stMainBlockContainer"]')
    expect(main.get_by_text(f"{LA} at a glance")).to_be_visible(timeout=60_000)
    # the first figure shown is the vacancy rate: the chosen authority's 2025 value and England's, as the DfE
    # file prints them (one decimal place), must be on the page
    la_rate = f"{float(_file_value(LA, 'vacancy_rate_fte')):.1f}%"
    england_rate = f"{float(_file_value('England', 'vacancy_rate_fte')):.1f}%"
    expect(main.get_by_text(f"Vacancy rate for {LA} was", exact=False).first).to_be_visible(timeout=60_000)
    expect(main.get_by_text(f"and {la_rate} in 2025", exact=False).first).to_be_visible()
    expect(main.get_by_text(f"England: {england_rate}", exact=False).first).to_be_visible()
    expect(main.get_by_text(f"{LA}: {la_rate}", exact=False).first).to_be_visible()  # the peer-bar description
    assert "la=Leeds" in page.url
    screenshot(page, "compare_leeds")


def test_compare_page_with_an_unknown_authority_shows_a_notice(page, app_url):
    page.goto(f"{app_url}/compare?la=Atlantis")
    wait_for_app(page)
    expect(page.get_by_text("'Atlantis' is not a local authority", exact=False)).to_be_visible(timeout=60_000)
