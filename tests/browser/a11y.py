"""Helpers for the accessibility browser tests: axe-core (installed from tests/browser/axe/package-lock.json) and
waiting until a Streamlit page has finished drawing.

axe-core is the accessibility engine of Deque Systems (MPL-2.0), pinned in
tests/browser/axe/package.json. `make test` installs it with `npm ci`; `axe_script()`
does the same when it is missing, so `pytest tests/browser` works on a fresh clone too.
"""

from __future__ import annotations

import shutil
import subprocess

from tests.browser.conftest import ROOT

AXE_DIR = ROOT / "tests" / "browser" / "axe"
AXE_FILE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
"""The WCAG 2.0, 2.1 and 2.2 level A and AA rules."""
SIZES: dict[str, tuple[int, int]] = {"desktop": (1400, 1000), "tablet": (768, 1024), "phone": (390, 844)}
"""Laptop or projector, a tablet upright, a phone."""
TALLEST = 20_000
"""The tallest window used to put a whole page on screen (axe checks the contrast of what is on screen)."""

BUSY = '[data-testid="stSkeleton"], [data-testid="stStatusWidget"], [data-stale="true"]'
HEIGHT = "() => Math.max(...Array.from(document.querySelectorAll('*')).map(e => e.scrollHeight))"


def axe_script() -> str:
    """axe.min.js, installed with `npm ci` from the lock file when it is not there yet."""
    if not AXE_FILE.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("axe-core is not installed and npm is missing: run `make test` (it installs both)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=AXE_DIR, check=True,
                       timeout=600)
    return AXE_FILE.read_text(encoding="utf-8")


def settled(page, timeout_s: float = 120, checks: int = 3, every_ms: int = 250) -> int:
    """Wait until the script has run, nothing is loading or faded (stale) and the height is steady; the height.

    `every_ms`: how often the height is read; `checks` readings in a row must agree.
    """
    page.wait_for_function(
        """() => { const app = document.querySelector('[data-testid="stApp"]');
                   return app && app.getAttribute('data-test-script-state') === 'notRunning'; }""",
        timeout=timeout_s * 1000)
    last, stable = -1, 0
    for _ in range(int(timeout_s * 1000 / every_ms)):
        page.wait_for_timeout(every_ms)
        height = page.evaluate(HEIGHT)
        busy = page.locator(BUSY).count()
        stable = stable + 1 if (height == last and busy == 0) else 0
        last = height
        if stable >= checks:
            break
    return last


_RUN = """async ([tags, rules]) => {
  const options = {runOnly: rules ? {type: 'rule', values: rules} : {type: 'tag', values: tags},
                   resultTypes: ['violations']};
  const result = await axe.run(document, options);
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                              summary: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 300)}))}));
}"""


def resized(page) -> int:
    """Wait for the layout after a window resize (no script run: charts and columns reflow within a few frames)."""
    return settled(page, checks=2, every_ms=120)


def run_axe(page, axe: str, rules: list[str] | None = None) -> list[dict]:
    """axe's violations on the page as it is now (every WCAG A/AA rule, or only `rules`)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe)
    return page.evaluate(_RUN, [list(TAGS), rules])


_SCROLL_MAIN = """(top) => {
  const boxes = Array.from(document.querySelectorAll('*')).filter(
    e => e.scrollHeight > e.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(e).overflowY));
  boxes.sort((a, b) => b.scrollHeight - a.scrollHeight);
  if (boxes.length) boxes[0].scrollTop = top;
}"""
"""Scroll the page's main scrolling box (Streamlit scrolls inside its own container, not the document)."""


def audit(page, axe: str, where: str) -> list[str]:
    """Every axe violation of the page at its window size, as readable lines ('where: rule (impact) …').

    axe judges colour contrast only for what is on screen, so the window is first
    made as tall as the page (same width: the layout is the one of that size); a page taller
    than TALLEST is scrolled a window at a time and its contrast checked at each step.
    The window is left that tall: the caller sets the next size it wants (`every_size` does), so
    the page is not laid out again at a size nobody looks at.
    """
    size = page.viewport_size
    height = page.evaluate(HEIGHT)
    if height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(height + 40, TALLEST)})
        resized(page)
    found = run_axe(page, axe)
    shown = TALLEST - 1_000  # a page taller than the tallest window: its contrast checked a window at a time
    for top in range(shown, height if height > TALLEST else 0, shown):
        page.evaluate(_SCROLL_MAIN, top)
        resized(page)
        found += run_axe(page, axe, ["color-contrast"])
    if height > TALLEST:
        page.evaluate(_SCROLL_MAIN, 0)
    lines, seen = [], set()
    for violation in found:
        for node in violation["nodes"]:
            key = (violation["id"], node["target"])
            if key in seen:
                continue
            seen.add(key)
            lines.append(f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}\n"
                         f"    at {node['target']}\n    {node['html']}\n    {node['summary']}")
    return lines


def sidebar_collapsed(page) -> bool:
    """True when the sidebar is closed (Streamlit marks it data-collapsed)."""
    return page.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "true"
