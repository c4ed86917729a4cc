"""Accessibility for every page at once: the stylesheet, the narrow-screen sidebar, each page's browser title.

app.py calls `apply()` once per run, so no page carries its own styling. What it
adds on top of the Streamlit theme (.streamlit/config.toml [theme]):

- text contrast: captions (the as-of line, England comparisons, definitions) in a
  grey of 7:1 on white instead of Streamlit's 3.9:1;
- a focus indicator on every focusable element (a black ring outside a yellow
  halo, as GOV.UK does), distinct from the current page's highlight in the
  navigation (a bar at its left edge), and never hidden: anything that contains
  the keyboard focus (chart toolbars, heading links) is made opaque;
- KPI tiles whose label, value and change wrap onto more lines instead of being
  cut off with an ellipsis;
- tables (ui.tables) that scroll sideways inside their own box, with shadows at
  the edge that has more columns and a written hint on narrow screens;
- below 1024 px the sidebar starts closed (Streamlit closes it by itself only up
  to 768 px), unless the user has opened or closed it before, and a line tells
  where the filters are.
"""

from __future__ import annotations

import streamlit as st

NARROW_PX = 1024
"""Below this width (tablets, phones) the sidebar starts closed and the narrow-screen hints show."""

CAPTION_GREY = "#505a5f"
"""Secondary text: 7.0:1 on white (WCAG AA asks 4.5:1)."""
TEXT = "#0b0c0c"
FOCUS_RING = "#0b0c0c"
FOCUS_HALO = "#ffdd00"
SELECTED_BAR = "#1d70b8"

APP_NAME = "Workforce Lens"
PAGE_NAMES = {"Home": "Overview"}
"""The root URL's hidden page shows the overview, so its tab says so."""

STYLESHEET = f"""
<style id="wl-a11y">
/* Captions: the as-of line, England comparisons, definitions, notes. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {{ color: {CAPTION_GREY} !important; }}
[data-testid="stCaptionContainer"] {{ opacity: 1 !important; }}

/* Widget labels stay at full contrast, even on a control that is switched off for now. */
[data-testid="stWidgetLabel"], [data-testid="stWidgetLabel"] * {{ color: {TEXT} !important; opacity: 1 !important; }}

/* A visible focus indicator on everything a keyboard can reach (WCAG 2.4.7, 2.4.11). */
:focus-visible {{
  outline: 3px solid {FOCUS_RING} !important;
  outline-offset: 3px !important;
  box-shadow: 0 0 0 3px {FOCUS_HALO} !important;
}}
/* Whatever holds the focus is shown in full, even parts that appear only on hover (chart toolbars, heading links). */
:focus-visible, *:has(:focus-visible) {{ opacity: 1 !important; visibility: visible !important; transition: none !important; }}
[data-testid="stElementToolbar"]:has(:focus-visible) {{ z-index: 10; }}
/* The current page in the navigation: a bar at its left and bold text, so it never looks like the focus. */
[data-testid="stSidebarNavLink"][aria-current="page"] {{ box-shadow: inset 5px 0 0 {SELECTED_BAR}; }}
[data-testid="stSidebarNavLink"][aria-current="page"] p {{ font-weight: 700; color: {TEXT}; }}
[data-testid="stSidebarNavLink"][aria-current="page"]:focus-visible {{
  box-shadow: inset 5px 0 0 {SELECTED_BAR}, 0 0 0 3px {FOCUS_HALO} !important;
}}

/* The date's day, month and year boxes: at least 24 px square to tap (WCAG 2.5.8). */
[data-testid="stDateInputField"] [role="spinbutton"], [data-testid="stDateInput"] [role="spinbutton"] {{
  display: inline-flex; align-items: center; justify-content: center; min-width: 24px; min-height: 24px;
}}

/* KPI tiles: wrap, never cut a verdict off with an ellipsis. */
[data-testid="stMetric"] [data-testid="stMarkdownContainer"],
[data-testid="stMetric"] .stMarkdownEllipsis,
[data-testid="stMetric"] p {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere;
}}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] > div {{ overflow: visible !important; max-width: 100%; }}
[data-testid="stMetricValue"] {{ overflow: visible !important; white-space: normal !important; }}
[data-testid="stMetricDelta"] {{ flex-wrap: wrap; height: auto !important; }}
[data-testid="stMetricDelta"] > div {{ overflow: visible !important; }}

/* Tables (ui.tables): scroll sideways inside their own box; shadows show the side with more columns. */
.wl-table-scroll {{
  overflow-x: auto; max-width: 100%;
  background:
    linear-gradient(to right, #fff 30%, rgba(255,255,255,0)) left center / 40px 100% no-repeat local,
    linear-gradient(to left, #fff 30%, rgba(255,255,255,0)) right center / 40px 100% no-repeat local,
    radial-gradient(farthest-side at 0 50%, rgba(0,0,0,.25), rgba(0,0,0,0)) left center / 14px 100% no-repeat scroll,
    radial-gradient(farthest-side at 100% 50%, rgba(0,0,0,.25), rgba(0,0,0,0)) right center / 14px 100% no-repeat scroll;
}}
.wl-table {{ border-collapse: collapse; width: 100%; font-size: 0.95rem; color: {TEXT}; }}
.wl-table caption {{ text-align: left; caption-side: top; padding: 0 0 .4rem; color: {TEXT}; font-weight: 600; }}
.wl-table th, .wl-table td {{ border-bottom: 1px solid #b1b4b6; padding: .4rem .6rem; vertical-align: top; }}
.wl-table thead th {{ text-align: left; border-bottom: 2px solid {TEXT}; white-space: normal; }}
.wl-table td.wl-num, .wl-table th.wl-num {{ text-align: right; white-space: nowrap; }}
.wl-table tbody th {{ text-align: left; font-weight: 600; }}
.wl-table tr.wl-total th, .wl-table tr.wl-total td {{ border-top: 2px solid {TEXT}; font-weight: 700; }}
.wl-sr-only {{
  position: absolute !important; width: 1px !important; height: 1px !important; margin: -1px !important;
  padding: 0 !important; overflow: hidden !important; clip: rect(0 0 0 0) !important; white-space: nowrap !important;
  border: 0 !important;
}}
.wl-hint {{ color: {CAPTION_GREY}; font-size: .875rem; margin: .25rem 0 0; }}

/* Narrow screens only: where the filters are, and that tables scroll. */
.wl-narrow-only {{ display: none; }}
@media (max-width: {NARROW_PX - 0.02}px) {{
  .wl-narrow-only {{ display: block; }}
}}
</style>
"""
"""The one stylesheet for every page."""

SIDEBAR_SCRIPT = f"""
<script>
(() => {{
  if (window.__wlSidebarChecked) return;
  window.__wlSidebarChecked = true;
  if (window.innerWidth >= {NARROW_PX}) return;
  // A choice the user made before (Streamlit remembers it in localStorage) is kept.
  for (let i = 0; i < window.localStorage.length; i++) {{
    if ((window.localStorage.key(i) || "").startsWith("stSidebarCollapsed-")) return;
  }}
  let tries = 0;
  const close = () => {{
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    if (sidebar && sidebar.dataset.collapsed === "true") return;  // already closed: never undo the user opening it
    const button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (sidebar && button) {{
      button.click();
      return;
    }}
    if (tries++ < 50) setTimeout(close, 100);
  }};
  close();
}})();
</script>
"""
"""Closes the sidebar once on a narrow screen (768–1023 px: Streamlit's own 'auto' closes it up to 768 px)."""

FILTERS_HINT = ('<p class="wl-narrow-only wl-hint">Filters (service area, team, role, date) and the other pages are '
                'in the menu: open it with the arrow button at the top left.</p>')


def page_title(page: str, council: str | None) -> str:
    """'Agency — Workforce Lens — Devon': the page first, so a tab strip shows which page each tab is."""
    parts = [page, APP_NAME]
    if council:
        parts.append(council)
    return " — ".join(p for p in parts if p)


def council_name(source: object, chosen_la: str | None) -> str | None:
    """The council the data is about: the authority chosen in the sidebar, else the demo council's name.

    A shared snapshot is named after what it was published from (its source label).
    """
    if chosen_la:
        return chosen_la
    info = getattr(source, "info", None)
    text = str(getattr(info, "source_label", "") or getattr(source, "label", "") or "").strip()
    if text.startswith("Demo: "):
        return text.removeprefix("Demo: ").split(" (")[0].strip() or None
    return None


def apply(page: str, council: str | None) -> None:
    """Set this page's browser title and add the stylesheet, the narrow-screen sidebar script and filters hint."""
    st.set_page_config(page_title=page_title(PAGE_NAMES.get(page, page), council))
    st.html(STYLESHEET)
    st.html(SIDEBAR_SCRIPT + FILTERS_HINT, unsafe_allow_javascript=True)
