"""WCAG 2.2 AA on an upload: axe on every page of an upload's session at three sizes, no code names in their text;
the Data page's mapping step audited, and an HRIS extract mapped, applied and a scenario set by keyboard alone.

See test_accessibility.py for what the audit checks and how.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

from playwright.sync_api import expect

from tests.browser.a11y import settled
from tests.browser.a11y_walk import code_names, context_at, every_size, nav, tab_to, type_choice
from tests.browser.conftest import screenshot
from tests.browser.test_pages import PATHS, TITLES, no_exception
from tests.browser.test_upload import HEADER, HRIS_HEADER, HRIS_ROWS, ROWS, _drop, _workbook


def test_upload_pages_pass_axe_at_every_size_without_code_names(browser, app_url, axe):
    context, page = context_at(browser, "desktop")
    problems, code = [], {}
    try:
        page.goto(f"{app_url}/data")
        settled(page)
        _drop(page, "upload_test.xlsx", _workbook(HEADER, ROWS))
        page.wait_for_url(re.compile(r"/overview"), timeout=60_000)  # a clean upload opens the user's overview
        settled(page)
        expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("upload_test.xlsx")
        for path in PATHS:
            if path != "overview":
                nav(page, TITLES[path])
                page.wait_for_url(f"**/{path}*")
            settled(page)
            assert "upload_test.xlsx" in page.locator('[data-testid="stSidebar"]').inner_text(), path  # same session
            assert urlparse(page.url).path == f"/{path}"  # the app's own link, through app.py
            no_exception(page)
            code[path] = code_names(page, path, brackets_ok=True)
            problems += every_size(page, axe, f"/{path} upload")
    finally:
        context.close()
    assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems)
    assert not any(code.values()), {p: c for p, c in code.items() if c}


def test_mapping_step_passes_axe_and_a_keyboard_alone_maps_applies_and_sets_a_scenario(browser, app_url, axe):
    """The HRIS extract of test_upload: the mapping step audited at every size, then mapped as test_upload maps it
    with the mouse, by keyboard alone; then a scenario set by keyboard on the data it loaded.

    By hand (see test_upload.HRIS_ROWS), as at 17 January 2025: 4.0 FTE employed in post and 2 agency workers
    (Children's Social Work), agency rate 2 ÷ 6 = 33.3%. Converting 1 agency FTE in Children's Social Work to a
    permanent post: 1 ÷ 6 = 16.7%, 16.7 points lower (better).
    """
    context, page = context_at(browser, "desktop")
    try:
        page.goto(f"{app_url}/data")
        settled(page)
        main = page.locator('[data-testid="stMainBlockContainer"]')
        _drop(page, "hris_export.xlsx", _workbook(HRIS_HEADER, HRIS_ROWS, sheet="Export"))
        expect(main.get_by_role("heading", name="Check how your columns were read")).to_be_visible(timeout=60_000)
        settled(page)
        code = code_names(page, "data", brackets_ok=True)
        problems = every_size(page, axe, "/data mapping step", shots="a11y_mapping")
        assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems)
        assert not code, code
        expect(main.locator(".wl-table caption", has_text="as they will load")).to_have_count(1)  # a real table

        page.locator('[data-testid="stMainBlockContainer"] h1').first.click()  # start at the top, then keys only
        type_choice(page, "“Team” is", "Not loaded")  # Team holds cost-centre codes...
        type_choice(page, "“Team Name” is", "Team")  # ...the names are in Team Name
        type_choice(page, "“Agency/Locum/Interim” (2 rows)", "agency")
        tab_to(page, "Don't assume")  # the assumptions are radio buttons: arrow keys choose
        page.keyboard.press("ArrowDown")
        settled(page, checks=2)
        expect(page.get_by_role("radio", name=re.compile("everyone works full time"))).to_be_checked()
        expect(main.get_by_text("If you apply this: 8 rows will load and 0 will be set aside.")).to_be_visible()
        tab_to(page, "Apply", exact=True)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/overview"), timeout=60_000)
        settled(page)
        expect(main.get_by_text("Showing your upload: 8 rows loaded, 0 set aside", exact=False)).to_be_visible()
        expect(page.locator('[data-testid="stMetric"]').filter(has_text="Agency rate")).to_contain_text("33.3%")

        nav(page, TITLES["scenarios"])
        page.wait_for_url("**/scenarios*")
        settled(page)
        page.locator('[data-testid="stMainBlockContainer"] h1').first.click()
        tab_to(page, "Convert agency FTE to permanent posts")
        page.keyboard.press("Control+A")
        page.keyboard.type("1")
        page.keyboard.press("Enter")
        settled(page, checks=2)
        type_choice(page, "… in", "Children's Social Work")
        table = main.locator(".wl-table", has=page.locator("caption", has_text="The whole view: today and with"))
        row = table.locator("tr", has=page.locator("th", has_text="Agency rate"))
        expect(row).to_contain_text("33.3%")
        expect(row).to_contain_text("16.7%")
        expect(row).to_contain_text("-16.7 pts (better)")
        screenshot(page, "a11y_keyboard_scenario")
    finally:
        context.close()


