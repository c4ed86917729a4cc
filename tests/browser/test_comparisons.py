"""In Chromium, on the demo council: a tile, the end of its trend line and the committee table show one value,
on a month-end, mid-month and the census day; verdicts are drawn only for the group a comparator describes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import _table_rows, no_exception, settle, tall_screenshot


def _tile_value(page, label: str) -> str:
    """The big number of the KPI tile called `label`."""
    tile = page.locator('[data-testid="stMetric"]').filter(has=page.get_by_text(label, exact=True)).first
    return tile.locator('[data-testid="stMetricValue"]').inner_text().strip()


def _trend_words(page) -> str:
    """The 'In words' sentence of the agency trend."""
    words = page.get_by_text(re.compile(r"^In words: Agency rate went from")).first
    words.wait_for()
    return words.inner_text()


@pytest.mark.parametrize(("as_of", "when"), [
    ("2026-08-31", "in August 2026"),                              # a month-end
    ("2026-09-15", "on 15 September 2026 (part of the month)"),    # mid-month
    ("2025-09-30", "in September 2025"),                           # the census day
])
def test_tile_trend_end_and_committee_table_show_one_value(page, app_url, as_of, when):
    page.goto(f"{app_url}/overview?as_of={as_of}")
    settle(page)
    no_exception(page)
    tile = _tile_value(page, "Agency rate")
    rows = _table_rows(page)
    column = rows[0].index("Agency rate")
    committee = next(r for r in rows[1:] if r[rows[0].index("Service area")] == "All")[column]
    page.goto(f"{app_url}/agency?as_of={as_of}")
    settle(page)
    no_exception(page)
    words = _trend_words(page)
    last = re.search(r"to (\d+\.\d%) (?:in|on) ", words).group(1)
    assert _tile_value(page, "Agency rate") == tile
    assert tile == committee == last, (as_of, tile, committee, last)
    assert f"to {last} {when}" in words
    tall_screenshot(page, f"comparisons_agency_{as_of}")


def test_only_childrens_social_work_gets_a_verdict_against_the_dfe(page, app_url):
    page.goto(f"{app_url}/overview")
    settle(page)
    main = page.locator('[data-testid="stMainBlockContainer"]')
    expect(main.get_by_text(re.compile(r"Children's Social Work 27\.1%: .* than England 2025 \(DfE\) \(worse\)"))
           .first).to_be_visible()
    expect(main.get_by_text("No England comparator for Education Psychology, Public Health Nursing or SEND 0-25.")
           .first).to_be_visible()
    words = main.get_by_text(re.compile(r"^In words: Agency rate is highest in")).first.inner_text()
    assert "worse — Children's Social Work" in words and "Public Health Nursing is worse" not in words
    page.goto(f"{app_url}/overview?role=School+Nurse")
    settle(page)
    no_exception(page)
    main = page.locator('[data-testid="stMainBlockContainer"]')
    expect(main.get_by_text("No England comparator for School Nurse (school nursing).").first).to_be_visible()
    assert main.get_by_text(re.compile(r"\(DfE\)")).count() == 0
    tall_screenshot(page, "comparisons_school_nurse")
