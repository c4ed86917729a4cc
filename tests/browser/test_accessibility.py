"""WCAG 2.2 AA in Debian's Chromium: axe-core on every page at three sizes on three kinds of data, and by hand.

- axe (WCAG 2.0/2.1/2.2 A and AA rules) finds no violation on any page at 1400×1000,
  768×1024 and 390×844: on the demo council, on an upload
  (the workbook of test_upload, through the file chooser), on the Data page's mapping
  step (the HRIS-style extract of test_upload), on the benchmarking club signed out
  (its sign-in form) and signed in, and on a published snapshot (the demo, published
  here, opened by its link). A failure lists every violation with its page, size, rule
  and element.
- each page has its own browser title;
- the page text has no code names (snake_case column ids) outside Methodology's
  "For analysts" section (after an upload and on the mapping step, a column's template
  name may follow its words in brackets: "FTE (fte)");
- a keyboard alone maps the HRIS extract (selectboxes, a value map, an assumption,
  Apply), sets a scenario (a number and a selectbox) and signs in to the club (a form),
  with the focus visible on every stop on the way;
- keyboard focus is visible on every tab stop of the overview, and on the current page's
  navigation link looks different from its "current page" highlight;
- below 1024 px the sidebar starts closed and its filters open from the menu button;
- KPI tiles wrap rather than cut their text (scroll width ≤ client width) at 768 and 390 px.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.a11y import SIZES, audit, axe_script, settled, sidebar_collapsed
from tests.browser.conftest import screenshot, start_app, stop_app
from tests.browser.test_pages import PATHS, TITLES
from tests.browser.test_upload import HEADER, HRIS_HEADER, HRIS_ROWS, ROWS, _drop, _workbook
from tests.sharing.club_fixtures import A as CLUB_MEMBER
from tests.sharing.club_fixtures import pool

DEMO_COUNCIL = "Shireford County Council"
PAGE_NAMES = {**TITLES, "compare": "Compare with England"}
LIVE_ONLY = ("data", "scenarios", "club")
"""Pages a shared view does not link to (they work on a council's own live data)."""
CODE_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
"""A snake_case identifier (a column id such as vacancy_rate_fte)."""


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_script()


def _context(browser, size: str):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(90_000)
    return context, page


_MAIN_TEXT = """() => {
  const main = document.querySelector('[data-testid="stMainBlockContainer"]').cloneNode(true);
  main.querySelectorAll('[data-testid="stIconMaterial"], [aria-hidden="true"], style, script').forEach(e => e.remove());
  document.body.appendChild(main);  // innerText needs the copy laid out
  const text = main.innerText;
  main.remove();
  return text;
}"""
"""The main area's text as read aloud: without icon names (Material icons are ligatures of words like key_off)."""


def _code_names(page, path: str, brackets_ok: bool = False) -> list[str]:
    """snake_case words in the page's main text (Methodology: above its 'For analysts' section).

    `brackets_ok`: a template name in brackets after its words ("FTE (fte)", "worker type (worker_type)") or a
    sheet name in quotes ('market_pay') is allowed, as after an upload: it is what the user types in a file.
    """
    text = page.evaluate(_MAIN_TEXT)
    if path == "methodology":
        text = text.split("For analysts")[0]
    text = re.sub(r"\S+\.(xlsx|csv|pdf|toml|json)\b", "", text)  # file names are the user's own
    if brackets_ok:
        text = re.sub(r"\([a-z0-9_]+\)|'[a-z0-9_]+'|‘[a-z0-9_]+’", "", text)
    return sorted(set(CODE_NAME.findall(text)))


def _nav(page, name: str) -> None:
    """Follow the app's own link to a page (same session), opening the sidebar first when it is closed."""
    if sidebar_collapsed(page):
        page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=name, exact=True).click()


def _every_size(page, axe: str, where: str, shots: str | None = None) -> list[str]:
    """axe at each size in turn on the page already open (the window resized), back to the first size after.

    Resizing is what a tablet turned sideways does; the sidebar closes below 768 px
    as on a first visit (test_narrow_screens_start_with_the_sidebar_closed checks
    first visits at those sizes).
    """
    first = page.viewport_size
    found = []
    for size, (width, height) in SIZES.items():
        if (width, height) != (page.viewport_size["width"], page.viewport_size["height"]):
            page.set_viewport_size({"width": width, "height": height})
            settled(page, checks=2)
        if width < 1024:
            assert sidebar_collapsed(page), f"{where} {size}: the sidebar covers the page"
        found += audit(page, axe, f"{where} {size}")
        if shots and size != "desktop":
            screenshot(page, f"{shots}_{size}")
    page.set_viewport_size(first)
    settled(page, checks=2)
    return found


def test_demo_pages_pass_axe_at_every_size_have_their_own_title_and_no_code_names(browser, app_url, axe):
    context, page = _context(browser, "desktop")
    problems, titles, code = [], {}, {}
    try:
        for path in PATHS:
            page.goto(f"{app_url}/{path}")
            settled(page)
            titles[path] = page.title()
            code[path] = _code_names(page, path)
            problems += _every_size(page, axe, f"/{path} demo", shots=f"a11y_{path}")
    finally:
        context.close()
    assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems)
    for path, title in titles.items():
        assert title == f"{PAGE_NAMES[path]} — Workforce Lens — {DEMO_COUNCIL}", path
    assert not any(code.values()), {p: c for p, c in code.items() if c}


def test_upload_pages_pass_axe_at_every_size_without_code_names(browser, app_url, axe):
    context, page = _context(browser, "desktop")
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
                _nav(page, TITLES[path])
                page.wait_for_url(f"**/{path}*")
            settled(page)
            assert "upload_test.xlsx" in page.locator('[data-testid="stSidebar"]').inner_text(), path  # same session
            code[path] = _code_names(page, path, brackets_ok=True)
            problems += _every_size(page, axe, f"/{path} upload")
    finally:
        context.close()
    assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems)
    assert not any(code.values()), {p: c for p, c in code.items() if c}


_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const control = ['INPUT', 'BUTTON', 'A', 'SELECT', 'TEXTAREA'].includes(e.tagName) ||
                  ['button', 'tab', 'link', 'combobox', 'radio', 'checkbox', 'switch'].includes(e.getAttribute('role'));
  let name = e.getAttribute('aria-label') || '';
  if (!name && control && e.closest('label')) name = e.closest('label').innerText;
  if (!name && control) {  // its own text, without Material icon names (ligatures such as "check")
    const copy = e.cloneNode(true);
    copy.querySelectorAll('[data-testid="stIconMaterial"]').forEach(icon => icon.remove());
    name = copy.textContent || e.value || '';
  }
  const s = getComputedStyle(e);
  return {name: name.replace(/\\s+/g, ' ').trim(), tag: e.tagName, type: e.getAttribute('type') || '',
          ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2};
}"""
"""The focused element: its accessible name (aria-label; for a control, its label's text or its own text; a scrolling
region such as the page's main area has only its aria-label) and whether its focus ring shows."""


def _tab_to(page, name: str, limit: int = 400, exact: bool = False) -> None:
    """Press Tab (only Tab) until the focused element's name contains `name` (is `name`, when `exact`); every stop
    on the way, and the target, shows the focus ring."""
    hidden = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(_FOCUSED)
        if focus is None:
            continue
        if not focus["ring"]:
            hidden.append(f"{focus['tag']} {focus['name'][:60]}")
        if (focus["name"] == name) if exact else (name in focus["name"]):
            assert not hidden, f"focus not visible on the way to {name!r}: {hidden}"
            return
    raise AssertionError(f"{name!r} is not reached with the Tab key")


def _type_choice(page, combobox: str, option: str) -> None:
    """With the keyboard only: Tab to a selectbox, type to filter its options, Enter to choose; wait for the rerun."""
    _tab_to(page, combobox, exact=True)
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).wait_for()
    page.keyboard.press("Enter")
    settled(page, checks=2)


def test_mapping_step_passes_axe_and_a_keyboard_alone_maps_applies_and_sets_a_scenario(browser, app_url, axe):
    """The HRIS extract of test_upload: the mapping step audited at every size, then mapped as test_upload maps it
    with the mouse, by keyboard alone; then a scenario set by keyboard on the data it loaded.

    By hand (see test_upload.HRIS_ROWS), as at 17 January 2025: 4.0 FTE employed in post and 2 agency workers
    (Children's Social Work), agency rate 2 ÷ 6 = 33.3%. Converting 1 agency FTE in Children's Social Work to a
    permanent post: 1 ÷ 6 = 16.7%, 16.7 points lower (better).
    """
    context, page = _context(browser, "desktop")
    try:
        page.goto(f"{app_url}/data")
        settled(page)
        main = page.locator('[data-testid="stMainBlockContainer"]')
        _drop(page, "hris_export.xlsx", _workbook(HRIS_HEADER, HRIS_ROWS, sheet="Export"))
        expect(main.get_by_role("heading", name="Check how your columns were read")).to_be_visible(timeout=60_000)
        settled(page)
        code = _code_names(page, "data", brackets_ok=True)
        problems = _every_size(page, axe, "/data mapping step", shots="a11y_mapping")
        assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems)
        assert not code, code
        expect(main.locator(".wl-table caption", has_text="as they will load")).to_have_count(1)  # a real table

        page.locator('[data-testid="stMainBlockContainer"] h1').first.click()  # start at the top, then keys only
        _type_choice(page, "“Team” is", "Not loaded")  # Team holds cost-centre codes...
        _type_choice(page, "“Team Name” is", "Team")  # ...the names are in Team Name
        _type_choice(page, "“Agency/Locum/Interim” (2 rows)", "agency")
        _tab_to(page, "Don't assume")  # the assumptions are radio buttons: arrow keys choose
        page.keyboard.press("ArrowDown")
        settled(page, checks=2)
        expect(page.get_by_role("radio", name=re.compile("everyone works full time"))).to_be_checked()
        expect(main.get_by_text("If you apply this: 8 rows will load and 0 will be set aside.")).to_be_visible()
        _tab_to(page, "Apply", exact=True)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/overview"), timeout=60_000)
        settled(page)
        expect(main.get_by_text("Showing your upload: 8 rows loaded, 0 set aside", exact=False)).to_be_visible()
        expect(page.locator('[data-testid="stMetric"]').filter(has_text="Agency rate")).to_contain_text("33.3%")

        _nav(page, TITLES["scenarios"])
        page.wait_for_url("**/scenarios*")
        settled(page)
        page.locator('[data-testid="stMainBlockContainer"] h1').first.click()
        _tab_to(page, "Convert agency FTE to permanent posts")
        page.keyboard.press("Control+A")
        page.keyboard.type("1")
        page.keyboard.press("Enter")
        settled(page, checks=2)
        _type_choice(page, "… in", "Children's Social Work")
        table = main.locator(".wl-table", has=page.locator("caption", has_text="The whole view: today and with"))
        row = table.locator("tr", has=page.locator("th", has_text="Agency rate"))
        expect(row).to_contain_text("33.3%")
        expect(row).to_contain_text("16.7%")
        expect(row).to_contain_text("-16.7 pts (better)")
        screenshot(page, "a11y_keyboard_scenario")
    finally:
        context.close()


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
    context, page = _context(browser, "desktop")
    problems = []
    try:
        for path in [p for p in PATHS if p not in LIVE_ONLY]:  # the pages a shared view links to
            page.goto(f"{base}/{path}?snapshot={sid}")
            settled(page)
            expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("A published snapshot")
            problems += _every_size(page, axe, f"/{path} snapshot")
    finally:
        context.close()
    assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems)


def test_club_signed_in_by_keyboard_passes_axe_at_every_size(browser, shared_link, axe):
    """The club's sign-in form by keyboard alone (Tab, type the key, Enter), then the signed-in page audited; its
    quarter chosen and its tabs changed by keyboard."""
    base, _, key = shared_link
    context, page = _context(browser, "desktop")
    try:
        page.goto(f"{base}/club")
        settled(page)
        main = page.locator('[data-testid="stMainBlockContainer"]')
        page.locator('[data-testid="stMainBlockContainer"] h1').first.click()
        _tab_to(page, "Club key", exact=True)
        page.keyboard.type(key)
        page.keyboard.press("Enter")  # submits the form
        settled(page)
        expect(main).to_contain_text("Signed in for Aldershire Council")
        problems = _every_size(page, axe, "/club signed in", shots="a11y_club_signed_in")
        assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems)
        assert not _code_names(page, "club"), _code_names(page, "club")
        summary = main.locator(".wl-table", has=page.locator("caption", has_text="Where do we stand in"))
        expect(summary).to_contain_text("Oct–Dec 2025")
        _type_choice(page, "Quarter", "Jul–Sep 2025")
        expect(main.locator(".wl-table", has=page.locator("caption", has_text="Where do we stand in"))).to_contain_text(
            "Jul–Sep 2025")
        _tab_to(page, "Compare", exact=True)  # the tab list: arrow keys move between tabs
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        settled(page, checks=2)
        expect(page.get_by_role("tab", name="Trends", exact=True)).to_have_attribute("aria-selected", "true")
    finally:
        context.close()


_FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e);
  let hidden = null;
  for (let p = e; p && p !== document.documentElement; p = p.parentElement) {
    const s = getComputedStyle(p);
    if (parseFloat(s.opacity) < 0.99 || s.visibility === 'hidden' || s.display === 'none') {
      hidden = (p.getAttribute('data-testid') || p.tagName) + ' opacity ' + s.opacity; break; }
  }
  const box = e.getBoundingClientRect();
  return {name: (e.getAttribute('aria-label') || e.innerText || e.getAttribute('data-testid') || e.tagName)
                 .trim().split('\\n')[0].slice(0, 60),
          tag: e.tagName, outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
          outlineColor: style.outlineColor, shadow: style.boxShadow, hidden: hidden,
          width: box.width, height: box.height, current: e.getAttribute('aria-current')};
}"""


def test_keyboard_focus_is_visible_on_every_tab_stop_of_the_overview(browser, app_url):
    context, page = _context(browser, "desktop")
    try:
        page.goto(f"{app_url}/overview")
        settled(page)
        stops, invisible = [], []
        for _ in range(250):
            page.keyboard.press("Tab")
            page.wait_for_timeout(30)
            focus = page.evaluate(_FOCUS)
            if focus is None:
                continue
            if stops and focus["name"] == stops[0]["name"] and focus["tag"] == stops[0]["tag"]:
                break  # round the page once
            stops.append(focus)
            ring = focus["outline"] not in ("none", "") and focus["outlineWidth"] >= 2
            if not ring or focus["hidden"] or focus["width"] < 1 or focus["height"] < 1:
                invisible.append(focus)
        assert len(stops) > 40, [s["name"] for s in stops]  # navigation, filters, tiles' help, tables, charts
        toolbar = [s for s in stops if s["name"].startswith("Download as PNG")]
        assert toolbar, "the chart toolbar buttons are tab stops"
        assert not invisible, "focus not visible on:\n" + "\n".join(f"{s['tag']} {s['name']}: outline {s['outline']} "
                                                                     f"{s['outlineWidth']}px, hidden by {s['hidden']}"
                                                                     for s in invisible)

        # the current page's link: focused looks different from merely current
        link = page.locator('[data-testid="stSidebarNavLink"][aria-current="page"]')
        look = "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth, s.boxShadow].join(' | '); }"
        page.locator('[data-testid="stMainBlockContainer"] h1').first.click()  # focus elsewhere, by mouse
        current_only = link.evaluate(look)
        link.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # back onto it by keyboard (focus-visible)
        focused = link.evaluate(look)
        assert focused != current_only, (current_only, focused)
        assert "none" in current_only.split(" | ")[0]
        screenshot(page, "a11y_focus_current_page_link")
    finally:
        context.close()


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_narrow_screens_start_with_the_sidebar_closed_and_filters_reachable(browser, app_url, size):
    context, page = _context(browser, size)
    try:
        page.goto(f"{app_url}/overview")
        settled(page)
        assert sidebar_collapsed(page)
        expect(page.get_by_text("Filters (service area, team, role, date)", exact=False)).to_be_visible()
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        page.wait_for_function("""() => { const s = document.querySelector('[data-testid="stSidebar"]');
            return s && s.dataset.collapsed === 'false' && s.getBoundingClientRect().left >= 0; }""")
        page.wait_for_timeout(500)  # the sidebar has slid in
        combo = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Service area")
        expect(combo).to_be_visible()
        option = page.get_by_role("option", name="SEND 0-25", exact=True)
        for _ in range(3):  # a click during the slide can land before the list is ready: try again
            combo.click()
            try:
                option.wait_for(timeout=10_000)
                break
            except PlaywrightTimeout:
                page.keyboard.press("Escape")
        option.click()
        page.wait_for_url("**service=SEND*")
        settled(page)
        expect(page.locator('[data-testid="stMainBlockContainer"]').get_by_text("Showing: SEND 0-25",
                                                                                exact=False)).to_be_visible()
        screenshot(page, f"a11y_{size}_filters")
    finally:
        context.close()


def test_a_wide_window_starts_with_the_sidebar_open_and_no_narrow_hints(browser, app_url):
    context, page = _context(browser, "desktop")
    try:
        page.goto(f"{app_url}/overview")
        settled(page)
        assert not sidebar_collapsed(page)
        expect(page.get_by_text("Filters (service area, team, role, date)", exact=False)).to_be_hidden()
    finally:
        context.close()


_CUT = """() => Array.from(document.querySelectorAll(
    '[data-testid="stMetric"] p, [data-testid="stMetricValue"], [data-testid="stMetricDelta"], [data-testid="stMetricLabel"]'))
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => `${e.getAttribute('data-testid') || e.tagName}: "${e.innerText}" ${e.scrollWidth} > ${e.clientWidth}`)"""


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_tiles_wrap_rather_than_cut_their_text(browser, app_url, size):
    context, page = _context(browser, size)
    try:
        for path in ("overview", "workload"):
            page.goto(f"{app_url}/{path}")
            settled(page)
            deltas = page.locator('[data-testid="stMetricDelta"]')
            assert deltas.count() >= 1
            assert any("(worse)" in t or "(better)" in t for t in deltas.all_inner_texts()), path  # verdict in words
            assert page.evaluate(_CUT) == [], path
    finally:
        context.close()
