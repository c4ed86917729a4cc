"""Session state: which Workforce this browser session is looking at.

Each browser session gets its own Workforce (its own in-memory DuckDB); it is
never shared. Pages read it through these functions rather than poking
st.session_state keys directly.
"""

from __future__ import annotations

import streamlit as st

from ingest.workforce import Workforce

_KEY = "workforce"


def get_workforce() -> Workforce | None:
    """The session's active Workforce, or None before anything is loaded."""
    return st.session_state.get(_KEY)


def set_workforce(workforce: Workforce) -> None:
    """Make `workforce` the session's active data (closing the previous one)."""
    old = st.session_state.get(_KEY)
    if old is not None and old is not workforce:
        old.close()
    st.session_state[_KEY] = workforce
