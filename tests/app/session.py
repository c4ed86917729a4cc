"""What the AppTest tests share: a session of the whole app (app.py) on given data, its text and its tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TEXT_KINDS = ("markdown", "info", "success", "warning", "error", "caption", "subheader", "title", "header")


def start(workforce=None, query: dict[str, str] | None = None, page: str | None = None,
          timeout: float = 180) -> AppTest:
    """The app run once (through app.py: navigation, sidebar) on `workforce` (the demo when None), with the URL's
    query, then switched to `page` ("agency" or "pages/agency.py"); fails on any exception box."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if workforce is not None:
        at.session_state["workforce"] = workforce
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    if page:
        at.switch_page(page if page.endswith(".py") else f"pages/{page}.py").run()
        assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Every piece of text the page drew (markdown, alerts, captions, headings), joined for searching."""
    return "\n".join(str(e.value) for kind in TEXT_KINDS for e in getattr(at, kind))


def html_tables(at: AppTest) -> list[pd.DataFrame]:
    """The page's data tables (ui.tables draws them as HTML in the page text) as frames of their text, in order."""
    from ui import tables

    return [tables.to_frame(h.value) for h in at.html if tables.is_table(h.value)]
