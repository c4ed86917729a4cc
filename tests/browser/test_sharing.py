"""Sharing in a real browser: publish in one context, open the link in another, restart the server, same figures.

The server publishes the whole-council tables only (WORKFORCE_LENS_SHARING_FILTER_CUTS empty) so the publish
takes seconds; the per-filter tables are covered by tests/sharing.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from metrics import CORE
from tests.browser.conftest import screenshot, start_app, stop_app, wait_for_app

PASSWORD = "publish-me-please"
TIMEOUT = 240_000


@pytest.fixture(scope="module")
def sharing_env(tmp_path_factory):
    path = tmp_path_factory.mktemp("snapshots") / "snapshots.duckdb"
    return {
        "WORKFORCE_LENS_SNAPSHOT_PATH": str(path),
        "WORKFORCE_LENS_PUBLISHER_PASSWORD": PASSWORD,
        "WORKFORCE_LENS_VIEWER_PASSWORD": "",
        "WORKFORCE_LENS_SHARING_FILTER_CUTS": "",
    }


def _new_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def _publish(page, base: str, name: str) -> str:
    page.goto(f"{base}/publish")
    wait_for_app(page)
    page.get_by_label("Publisher password").fill(PASSWORD)
    page.get_by_role("button", name="Unlock publishing").click()
    page.get_by_label("Snapshot name").wait_for()
    page.get_by_label("Snapshot name").fill(name)
    page.get_by_role("button", name="Publish").click()
    page.get_by_text(f"Published “{name}”").wait_for(timeout=TIMEOUT)
    link = page.locator("a", has_text="open the snapshot").first.get_attribute("href")
    match = re.search(r"snapshot=([A-Za-z0-9_-]+)", link or "")
    assert match, link
    return match.group(1)


def _overview_figures(page, url: str) -> list[str]:
    page.goto(url)
    wait_for_app(page)
    values = page.locator('[data-testid="stMetricValue"]')
    expect(values).to_have_count(len(CORE), timeout=TIMEOUT)  # every tile drawn, not just the first
    wait_for_app(page)
    return [v.inner_text().strip() for v in values.all()]


def test_publish_then_open_link_in_another_context_and_after_restart(browser, sharing_env):
    proc, base = start_app(sharing_env)
    try:
        publisher_ctx, publisher = _new_page(browser)
        sid = _publish(publisher, base, "Scrutiny committee")
        screenshot(publisher, "sharing_published")
        publisher_ctx.close()

        viewer_ctx, viewer = _new_page(browser)
        before = _overview_figures(viewer, f"{base}/?snapshot={sid}")
        assert before and any(v not in ("–", "") for v in before)
        viewer.get_by_text("A published snapshot").first.wait_for()
        screenshot(viewer, "sharing_viewer")
        viewer_ctx.close()
    finally:
        stop_app(proc)

    proc, base = start_app(sharing_env)
    try:
        ctx, page = _new_page(browser)
        after = _overview_figures(page, f"{base}/?snapshot={sid}")
        assert after == before
        page.goto(f"{base}/?snapshot=no-such-snapshot-123")
        page.get_by_text("This shared link is not available").wait_for()
        screenshot(page, "sharing_unknown")
        ctx.close()
    finally:
        stop_app(proc)
