"""The accessibility helpers without a browser: HTML tables, browser titles, the stylesheet's colours."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from ui import a11y, tables


def _contrast(foreground: str, background: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (relative luminance, sRGB)."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_on_known_pairs():
    assert _contrast("#000000") == pytest.approx(21.0)
    assert _contrast("#828180") == pytest.approx(3.88, abs=0.01)  # Streamlit's caption grey, the figure


def test_caption_grey_and_focus_ring_pass_wcag_aa():
    assert _contrast(a11y.CAPTION_GREY) == pytest.approx(7.0, abs=0.1)  # text: at least 4.5:1
    assert _contrast(a11y.TEXT) > 18
    assert _contrast(a11y.FOCUS_RING) >= 3  # a user-interface part: at least 3:1 against white
    assert _contrast(a11y.FOCUS_RING, a11y.FOCUS_HALO) >= 3  # the ring also stands out from its yellow halo
    assert _contrast(a11y.SELECTED_BAR) >= 3


def test_stylesheet_styles_focus_captions_tiles_and_tables():
    css = a11y.STYLESHEET
    assert ":focus-visible" in css and f"outline: 3px solid {a11y.FOCUS_RING}" in css
    assert '[aria-current="page"]' in css  # the current page is marked differently from the focus
    assert f"color: {a11y.CAPTION_GREY} !important" in css
    assert "text-overflow: clip" in css and "white-space: normal" in css  # tiles wrap
    assert ".wl-table-scroll" in css and "overflow-x: auto" in css
    assert f"max-width: {a11y.NARROW_PX - 0.02}px" in css


@pytest.mark.parametrize(("page", "council", "title"), [
    ("Agency", "Devon", "Agency — Workforce Lens — Devon"),
    ("Home", "Shireford County Council", "Overview — Workforce Lens — Shireford County Council"),
    ("Share", None, "Share — Workforce Lens"),
])
def test_each_page_has_its_own_browser_title(page, council, title):
    assert a11y.page_title(a11y.PAGE_NAMES.get(page, page), council) == title


class _Source:
    def __init__(self, label: str, source_label: str | None = None) -> None:
        self.label = label
        if source_label is not None:
            self.info = type("Info", (), {"source_label": source_label})()


def test_council_name_for_the_title():
    assert a11y.council_name(_Source("Demo: Shireford County Council"), None) == "Shireford County Council"
    assert a11y.council_name(_Source("Demo: Shireford County Council"), "Devon") == "Devon"  # the chosen one wins
    assert a11y.council_name(_Source("Your upload: staff.xlsx"), None) is None
    shared = _Source("Scrutiny, March (data as at 30 Sep 2025)", "Demo: Shireford County Council (synthetic)")
    assert a11y.council_name(shared, None) == "Shireford County Council"


TABLE = pd.DataFrame({"Service area": ["Children's <Social> Work", "All"], "Vacancy rate": ["17.5%", "c"],
                      "Comparator source": ["Survey & more", "–"]})


def test_html_table_has_caption_headers_and_a_focusable_labelled_scroll_box():
    html = tables.html_table(TABLE, "How does each service area compare?", table_id="t1")
    assert html.startswith('<div class="wl-table-scroll" role="region" tabindex="0" aria-labelledby="t1-caption">')
    assert '<caption id="t1-caption">How does each service area compare?</caption>' in html
    assert html.count('<th scope="col"') == 3
    assert '<th scope="row">Children&#x27;s &lt;Social&gt; Work</th>' in html  # escaped, and names its row
    assert '<tr class="wl-total"><th scope="row">All</th>' in html  # the whole-council row is set off
    assert '<td class="wl-num">17.5%</td>' in html and '<td class="wl-num">c</td>' in html  # numbers right-aligned
    assert "<td>Survey &amp; more</td>" in html
    assert "<script" not in html


def test_html_table_reads_back_as_the_same_text():
    html = tables.html_table(TABLE, "Caption")
    back = tables.to_frame(html)
    assert back.columns.tolist() == TABLE.columns.tolist()
    assert back.values.tolist() == TABLE.values.tolist()
    assert tables.is_table(html)


def test_scroll_hint_on_narrow_screens_or_always_for_wide_tables():
    narrow_only = tables.html_table(TABLE, "c")
    assert '<p class="wl-hint wl-narrow-only">Scroll sideways' in narrow_only
    wide = pd.DataFrame({f"Column {i}": ["1"] for i in range(7)})
    assert '<p class="wl-hint">Scroll sideways' in tables.html_table(wide, "c")


def test_caption_can_be_for_screen_readers_only():
    html = tables.html_table(TABLE, "Same as the heading above", caption_shown=False, table_id="t2")
    assert re.search(r'<caption id="t2-caption" class="wl-sr-only">', html)
    assert ".wl-sr-only" in a11y.STYLESHEET
