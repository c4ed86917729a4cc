"""Entry point app.py calls on every run to decide whether this is a shared (snapshot) view.

STUB owned by the sharing helper: returns None (a live session) until snapshots exist.
"""

from __future__ import annotations


def shared_source():
    """Return the read-only Source for `?snapshot=<id>` (after any password check), or None for a live session.

    May render a password form or a friendly 'unknown snapshot' page and call st.stop().
    """
    return None
