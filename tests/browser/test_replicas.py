"""Two app replicas (separate serve.py processes on different ports) against one PostgreSQL: a link published
through one opens through the other, a deletion is seen by the other at once, and both serve the same club."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from metrics import CORE
from sharing import club
from tests.browser.conftest import screenshot, start_app, stop_app, wait_for_app
from tests.browser.test_sharing import PASSWORD, TIMEOUT, _new_page, _publish

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def replicas(pg_cluster):
    """Two replicas sharing one PostgreSQL database, and a club of three councils in it."""
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sharing"))
    from club_fixtures import pool

    url = pg_cluster.create_database()
    os.environ["WORKFORCE_LENS_SHARING_FILTER_CUTS"] = ""
    try:
        keys = pool(url)
    finally:
        os.environ.pop("WORKFORCE_LENS_SHARING_FILTER_CUTS", None)
    env = {"WORKFORCE_LENS_STORE_URL": url, "WORKFORCE_LENS_PUBLISHER_PASSWORD": PASSWORD,
           "WORKFORCE_LENS_VIEWER_PASSWORD": "", "WORKFORCE_LENS_SHARING_FILTER_CUTS": ""}
    first, first_url = start_app(env)
    try:
        second, second_url = start_app(env)
    except Exception:
        stop_app(first)
        raise
    try:
        yield first_url, second_url, keys, url
    finally:
        stop_app(first)
        stop_app(second)


def _tiles(page, url: str) -> list[str]:
    page.goto(url)
    wait_for_app(page)
    values = page.locator('[data-testid="stMetricValue"]')
    expect(values).to_have_count(len(CORE), timeout=TIMEOUT)
    wait_for_app(page)
    return [v.inner_text().strip() for v in values.all()]


def test_a_link_published_on_one_replica_opens_on_the_other(browser, replicas):
    first_url, second_url, _, store_url = replicas
    ctx, page = _new_page(browser)
    sid = _publish(page, first_url, "Published on replica one")
    ctx.close()
    ctx, page = _new_page(browser)
    on_first = _tiles(page, f"{first_url}/?snapshot={sid}")
    on_second = _tiles(page, f"{second_url}/?snapshot={sid}")
    page.get_by_text("A published snapshot").first.wait_for()
    screenshot(page, "replicas_second_opens_link")
    assert on_second == on_first and any(v not in ("–", "") for v in on_second)
    # Deleted through the store (as replica one's Share page does): replica two says so at once.
    from sharing import snapshots

    snapshots.delete(sid, path=store_url)
    page.goto(f"{second_url}/?snapshot={sid}")
    page.get_by_text("This shared link is not available").wait_for()
    ctx.close()


def test_both_replicas_serve_the_same_club(browser, replicas):
    first_url, second_url, keys, store_url = replicas
    viewer = club.issue_key("E06000003", "viewer", store=store_url)
    for base in (first_url, second_url):
        ctx, page = _new_page(browser)
        page.goto(f"{base}/club")
        wait_for_app(page)
        page.get_by_label("Club key", exact=True).fill(viewer)
        page.get_by_role("button", name="Sign in to the club").click()
        page.get_by_role("heading", name="Where do we stand in Oct–Dec 2025?").wait_for(timeout=TIMEOUT)
        wait_for_app(page)
        table = page.locator("table.wl-table").filter(has_text="Your rank").first
        expect(table).to_contain_text("22.5%")  # the club median agency rate, Oct–Dec 2025
        screenshot(page, f"club_{'first' if base == first_url else 'second'}")
        ctx.close()
