"""Make sure every page runs inside app.py (sidebar, filters, data), even on a fresh server's first request.

Streamlit treats an app with a `pages/` folder as a legacy multipage app until
app.py calls st.navigation; until then a first request for /recruitment runs
pages/recruitment.py on its own (no sidebar, no filters, the legacy page list).
`through_app()` at the top of a page notices that mode, switches it off exactly
as st.navigation does, and reruns, so the request goes through app.py.
"""

from __future__ import annotations

import streamlit as st


def legacy_pages_mode() -> bool:
    """True when Streamlit is running this page file directly (legacy pages/ folder mode)."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # pragma: no cover - a future Streamlit without the legacy mode
        return False
    return bool(PagesManager.uses_pages_directory)


def through_app() -> None:
    """Rerun through app.py when this page was run directly by Streamlit's legacy pages/ folder mode."""
    if legacy_pages_mode():
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False  # what st.navigation itself does
        st.rerun()
