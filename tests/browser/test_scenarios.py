"""/scenarios in Debian's Chromium: a link with a scenario opens it, and a change goes into the link."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlparse

from playwright.sync_api import expect

from tests.browser.test_pages import no_exception, settle, tall_screenshot


def _rows(block) -> dict[str, list[str]]:
    """The comparison table of a block: figure → [today, scenario, change]."""
    table = block.locator("table.wl-table").first
    table.wait_for()
    rows = [[c.strip() for c in row.locator("th, td").all_inner_texts()] for row in table.locator("tr").all()]
    return {r[-4]: r[-3:] for r in rows[1:]}


def test_scenario_link_opens_the_scenario_and_a_change_goes_into_the_link(page, app_url):
    area = quote("Children's Social Work")
    page.goto(f"{app_url}/scenarios?sc_convert=20&sc_convert_in={area}")
    settle(page)
    no_exception(page)
    main = page.locator('[data-testid="stMainBlockContainer"]')
    expect(main.get_by_role("heading", name="Scenarios", exact=True)).to_be_visible()
    block = main.locator('[data-testid="stLayoutWrapper"]').filter(
        has=page.get_by_role("heading", name="Children's Social Work: today and with the scenario")).last
    rows = _rows(block)
    assert rows["Agency FTE"][:2] == ["91.0 FTE", "71.0 FTE"]
    assert rows["Agency rate"][0] == "27.1%"
    assert rows["Estimated annual workforce cost"][2].startswith("-£")
    tall_screenshot(page, "pages_scenarios")

    award = main.get_by_label("Pay award (%)")
    award.fill("3")
    award.press("Enter")
    page.wait_for_url("**sc_award=3*", timeout=30_000)
    settle(page)
    no_exception(page)
    query = parse_qs(urlparse(page.url).query)
    assert query["sc_convert"] == ["20"] and query["sc_award"] == ["3"]
    whole = main.locator('[data-testid="stLayoutWrapper"]').filter(
        has=page.get_by_role("heading", name="The whole view: today and with the scenario")).last
    assert _rows(whole)["Median salary"][2] != "no change"  # the award raised salaries
