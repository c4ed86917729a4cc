"""Entry point app.py calls on every run to decide whether this is a shared (snapshot) view.

`?snapshot=<id>` in the URL means a shared, read-only, suppressed view. Before
anything is shown: Streamlit's OIDC login when `[auth]` is configured in
secrets, then the viewer password when one is configured (st.secrets
`viewer_password` or env WORKFORCE_LENS_VIEWER_PASSWORD), compared in constant
time. An unknown or deleted snapshot gets a plain page saying so, and so does a
store that cannot be reached (e.g. the PostgreSQL server is restarting).
"""

from __future__ import annotations

import hmac
import os

import streamlit as st

from sharing import snapshots
from sharing.store import StoreError

VIEWER_ENV = "WORKFORCE_LENS_VIEWER_PASSWORD"
PUBLISHER_ENV = "WORKFORCE_LENS_PUBLISHER_PASSWORD"
_OK_KEY = "sharing.viewer_ok"


def _secret(name: str) -> str | None:
    """A top-level value from st.secrets, or None when there is no secrets file or no such key."""
    try:
        value = st.secrets.get(name)
    except Exception:  # no secrets.toml at all
        return None
    return str(value) if value else None


def viewer_password() -> str | None:
    """The password viewers of shared links must give, if one is configured (env wins over secrets)."""
    return os.environ.get(VIEWER_ENV) or _secret("viewer_password")


def publisher_password() -> str | None:
    """The password needed to publish, rename and delete snapshots (None: publishing is switched off)."""
    return os.environ.get(PUBLISHER_ENV) or _secret("publisher_password")


def password_matches(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison; False when either is missing."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def oidc_configured() -> bool:
    """True when secrets.toml has an [auth] section (Streamlit's st.login)."""
    try:
        return "auth" in st.secrets
    except Exception:
        return False


def _require_login() -> None:
    """Streamlit OIDC login, when configured: stop with a log-in button until the viewer has signed in."""
    if not oidc_configured() or st.user.is_logged_in:
        return
    st.title("Sign in to see this shared view")
    st.write("This council shares its workforce figures with signed-in users only.")
    st.button("Sign in", on_click=st.login, type="primary")
    st.stop()


def _require_viewer_password() -> None:
    """Ask for the viewer password (when one is configured) and stop until it is right."""
    expected = viewer_password()
    if not expected or st.session_state.get(_OK_KEY):
        return
    st.title("This shared view needs a password")
    st.write("Ask the officer who sent you the link for the viewer password.")
    with st.form("viewer_password"):
        given = st.text_input("Viewer password", type="password")
        submitted = st.form_submit_button("Open", type="primary")
    if submitted:
        if password_matches(given, expected):
            st.session_state[_OK_KEY] = True
            st.rerun()
        st.error("That password is not right. Check it with the person who sent the link.")
    st.stop()


def _not_available() -> None:
    st.title("This shared link is not available")
    st.write(
        "The snapshot it points to does not exist: it may have been deleted, or the link may have been "
        "copied incompletely. Ask the officer who sent it for a new link."
    )
    st.link_button("Open the dashboard", "/")
    st.stop()


@st.cache_resource(show_spinner=False, ttl=30)
def _cached_open(snapshot_id: str, path: str, stamp: object):
    """One SnapshotSource per snapshot per store version (`stamp`), shared by every session of this process."""
    return snapshots.open_snapshot(snapshot_id, path=path)


def open_shared(snapshot_id: str):
    """The SnapshotSource for an id as the store is now (None if unknown or deleted).

    The store's stamp changes with every write by any replica, so a deleted snapshot is gone at once everywhere.
    """
    store = snapshots.current_store()
    stamp = store.stamp()
    return _cached_open(snapshot_id, store.url, stamp) if stamp is not None else None


def _store_unavailable(message: str) -> None:
    st.title("This shared link cannot be opened just now")
    st.write(message)
    st.stop()


def shared_source():
    """Return the read-only Source for `?snapshot=<id>` (after any password check), or None for a live session.

    May render a sign-in page, a password form or a friendly 'unknown snapshot' page and call st.stop().
    """
    snapshot_id = st.query_params.get("snapshot")
    if not snapshot_id:
        return None
    _require_login()
    _require_viewer_password()
    try:
        source = open_shared(str(snapshot_id))
    except StoreError as exc:
        _store_unavailable(str(exc))
    if source is None:
        _not_available()
    return source


def share_url(snapshot_id: str) -> str:
    """The full link to a snapshot, from the address this page was opened at (keeps any base path)."""
    try:
        url = str(st.context.url or "")
    except Exception:  # outside a browser session (AppTest)
        url = ""
    base = url.split("?", 1)[0].rstrip("/")
    for suffix in ("/publish",):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
    return f"{base}/?snapshot={snapshot_id}"


def publisher_name() -> str:
    """Who is publishing: the signed-in user's e-mail under OIDC, else 'publisher'."""
    try:
        if oidc_configured() and st.user.is_logged_in:
            return str(st.user.get("email") or st.user.get("name") or "publisher")
    except Exception:
        pass
    return "publisher"
