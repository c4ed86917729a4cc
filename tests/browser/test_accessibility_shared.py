"""WCAG 2.2 AA on a shared snapshot and the benchmarking club: axe on every page a shared view links to, at three
sizes; the club signed in by keyboard alone and audited.

See test_accessibility.py for what the audit checks and how.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import settled
from tests.browser.a11y_walk import code_names, context_at, every_size, tab_to, type_choice
from tests.browser.conftest import start_app, stop_app
from tests.browser.test_pages import PATHS
from tests.sharing.club_fixtures import A as CLUB_MEMBER
from tests.sharing.club_fixtures import pool

LIVE_ONLY = ("data", "scenarios", "club")
"""Pages a shared view does not link to (they work on a council's own live data)."""


@pytest.fixture(scope="module")
def shared_link(tmp_path_factory):
    """A server whose store holds the demo council, published here (whole-council tables only), and the club of
    tests/sharing/club_fixtures.py; yields its URL, the snapshot's id and a publisher key of Aldershire Council."""
    import os

    import ingest
    from sharing import snapshots

    path = tmp_path_factory.mktemp("a11y_snapshots") / "snapshots.duckdb"
    before = os.environ.get("WORKFORCE_LENS_SHARING_FILTER_CUTS")
    os.environ["WORKFORCE_LENS_SHARING_FILTER_CUTS"] = ""
    try:
        workforce = ingest.load_demo()
        sid = snapshots.publish(workforce, "Accessibility check", path=path)
        workforce.close()
        keys = pool(path)  # and a benchmarking club of three councils, in the same store
    finally:
        if before is None:
            os.environ.pop("WORKFORCE_LENS_SHARING_FILTER_CUTS", None)
        else:
            os.environ["WORKFORCE_LENS_SHARING_FILTER_CUTS"] = before
    proc, base = start_app({"WORKFORCE_LENS_SNAPSHOT_PATH": str(path), "WORKFORCE_LENS_VIEWER_PASSWORD": "",
                            "WORKFORCE_LENS_SHARING_FILTER_CUTS": ""})
    try:
        yield base, sid, keys[CLUB_MEMBER]
    finally:
        stop_app(proc)


def test_shared_snapshot_pages_pass_axe_at_every_size(browser, shared_link, axe):
    base, sid, _ = shared_link
    context, page = context_at(browser, "desktop")
    problems = []
    try:
        for path in [p for p in PATHS if p not in LIVE_ONLY]:  # the pages a shared view links to
            page.goto(f"{base}/{path}?snapshot={sid}")
            settled(page)
            expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("A published snapshot")
            problems += every_size(page, axe, f"/{path} snapshot")
    finally:
        context.close()
    assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems)


def test_club_signed_in_by_keyboard_passes_axe_at_every_size(browser, shared_link, axe):
    """The club's sign-in form by keyboard alone (Tab, type the key, Enter), then the signed-in page audited; its
    quarter chosen and its tabs changed by keyboard."""
    base, _, key = shared_link
    context, page = context_at(browser, "desktop")
    try:
        page.goto(f"{base}/club")
        settled(page)
        main = page.locator('[data-testid="stMainBlockContainer"]')
        page.locator('[data-testid="stMainBlockContainer"] h1').first.click()
        tab_to(page, "Club key", exact=True)
        page.keyboard.type(key)
        page.keyboard.press("Enter")  # submits the form
        settled(page)
        expect(main).to_contain_text("Signed in for Aldershire Council")
        problems = every_size(page, axe, "/club signed in", shots="a11y_club_signed_in")
        assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems)
        assert not code_names(page, "club"), code_names(page, "club")
        summary = main.locator(".wl-table", has=page.locator("caption", has_text="Where do we stand in"))
        expect(summary).to_contain_text("Oct–Dec 2025")
        type_choice(page, "Quarter", "Jul–Sep 2025")
        expect(main.locator(".wl-table", has=page.locator("caption", has_text="Where do we stand in"))).to_contain_text(
            "Jul–Sep 2025")
        tab_to(page, "Compare", exact=True)  # the tab list: arrow keys move between tabs
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        settled(page, checks=2)
        expect(page.get_by_role("tab", name="Trends", exact=True)).to_have_attribute("aria-selected", "true")
    finally:
        context.close()


