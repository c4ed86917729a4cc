"""What the accessibility browser tests share: a window of a given size, the page's text as read aloud, code
names in it, the app's own links, axe at every size, and moving with the Tab key alone."""

from __future__ import annotations

import re

from tests.browser.a11y import SIZES, audit, resized, settled, sidebar_collapsed
from tests.browser.conftest import screenshot

CODE_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
"""A snake_case identifier (a column id such as vacancy_rate_fte)."""


def context_at(browser, size: str):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(90_000)
    return context, page


MAIN_TEXT = """() => {
  const main = document.querySelector('[data-testid="stMainBlockContainer"]').cloneNode(true);
  main.querySelectorAll('[data-testid="stIconMaterial"], [aria-hidden="true"], style, script').forEach(e => e.remove());
  document.body.appendChild(main);  // innerText needs the copy laid out
  const text = main.innerText;
  main.remove();
  return text;
}"""
"""The main area's text as read aloud: without icon names (Material icons are ligatures of words like key_off)."""


def code_names(page, path: str, brackets_ok: bool = False) -> list[str]:
    """snake_case words in the page's main text (Methodology: above its 'For analysts' section).

    `brackets_ok`: a template name in brackets after its words ("FTE (fte)", "worker type (worker_type)") or a
    sheet name or the user's own header in quotes ('market_pay', “worker_type”) is allowed, as after an upload: it is
    what the user typed in their file.
    """
    text = page.evaluate(MAIN_TEXT)
    if path == "methodology":
        text = text.split("For analysts")[0]
    text = re.sub(r"\S+\.(xlsx|csv|pdf|toml|json)\b", "", text)  # file names are the user's own
    if brackets_ok:
        text = re.sub(r"\([a-z0-9_]+\)|'[a-z0-9_]+'|‘[a-z0-9_]+’|“[a-z0-9_]+”", "", text)
    return sorted(set(CODE_NAME.findall(text)))


def nav(page, name: str) -> None:
    """Follow the app's own link to a page (same session), opening the sidebar first when it is closed."""
    if sidebar_collapsed(page):
        page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=name, exact=True).click()


def every_size(page, axe: str, where: str, shots: str | None = None) -> list[str]:
    """axe at each size in turn on the page already open (the window resized), back to the first size after.

    Resizing is what a tablet turned sideways does; the sidebar closes below 768 px
    as on a first visit (test_narrow_screens_start_with_the_sidebar_closed checks
    first visits at those sizes).
    """
    first = dict(page.viewport_size)
    found = []
    for size, (width, height) in SIZES.items():
        if (width, height) != (page.viewport_size["width"], page.viewport_size["height"]):
            page.set_viewport_size({"width": width, "height": height})
            resized(page)
        if width < 1024:
            assert sidebar_collapsed(page), f"{where} {size}: the sidebar covers the page"
        if shots:
            screenshot(page, f"{shots}_{size}")  # the window as a user sees it, before audit makes it page-tall
        found += audit(page, axe, f"{where} {size}")
    page.set_viewport_size(first)
    resized(page)
    return found


FOCUSED = """() => {
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


def tab_to(page, name: str, limit: int = 400, exact: bool = False) -> None:
    """Press Tab (only Tab) until the focused element's name contains `name` (is `name`, when `exact`); every stop
    on the way, and the target, shows the focus ring."""
    hidden = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUSED)
        if focus is None:
            continue
        if not focus["ring"]:
            hidden.append(f"{focus['tag']} {focus['name'][:60]}")
        if (focus["name"] == name) if exact else (name in focus["name"]):
            assert not hidden, f"focus not visible on the way to {name!r}: {hidden}"
            return
    raise AssertionError(f"{name!r} is not reached with the Tab key")


def type_choice(page, combobox: str, option: str) -> None:
    """With the keyboard only: Tab to a selectbox, type to filter its options, Enter to choose; wait for the rerun."""
    tab_to(page, combobox, exact=True)
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).wait_for()
    page.keyboard.press("Enter")
    settled(page, checks=2)
