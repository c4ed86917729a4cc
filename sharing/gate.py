"""Entry point app.py calls on every run to decide whether this is a shared (snapshot) view.

`?snapshot=<id>` in the URL means a shared, read-only, suppressed view, and a
browser session that has opened one *stays* on it: a page reached without the
parameter gets it back (`shared_snapshot_id`), and the sidebar's page links
carry it (`navigation`). Before anything is shown: Streamlit's OIDC login when
`[auth]` is configured in secrets, then the viewer password when one is
configured (st.secrets `viewer_password` or env WORKFORCE_LENS_VIEWER_PASSWORD),
compared in constant time.

A right viewer password authorises the browser session, not the URL: the
server signs a short token (HMAC-SHA256, with an expiry; [sharing]
viewer_token_hours, default 8) that the page keeps in a session cookie, so a
reload or another page of the same browser session does not ask again, and the
password never travels in a link. The signing key is `secret_key` in secrets or
env WORKFORCE_LENS_SECRET_KEY (set one when running several replicas; without
it each process makes its own, so tokens end with a restart) and includes the
viewer password, so changing the password ends every token.

Wrong passwords are slowed down per client (`Throttle`): after three wrong
tries each further try must wait, doubling from 2 seconds up to 15 minutes; each
wrong try is logged with a hash of the client's address, never the password.

Downloads (st.download_button) are served by Streamlit from `/media/<id>` for
as long as a session refers to them; `start_media_sweeper` makes sure a file is
gone within about a minute of the session that made it ending.
An unknown or deleted snapshot gets a plain page saying so, and so does a
store that cannot be reached (e.g. the PostgreSQL server is restarting).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets as _secrets
import threading
import time

import streamlit as st

import settings as app_settings
from sharing import snapshots
from sharing.store import StoreError

log = logging.getLogger(__name__)

VIEWER_ENV = "WORKFORCE_LENS_VIEWER_PASSWORD"
PUBLISHER_ENV = "WORKFORCE_LENS_PUBLISHER_PASSWORD"
SECRET_ENV = "WORKFORCE_LENS_SECRET_KEY"
COOKIE = "workforce_lens_viewer"
"""Session cookie holding the signed viewer token."""
_OK_KEY = "sharing.viewer_ok"
_SHARED_KEY = "sharing.snapshot_id"
_COOKIE_PENDING = "sharing.cookie_pending"
_PROCESS_KEY = _secrets.token_bytes(32)
"""Signing key when none is configured (tokens then last as long as this process)."""


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


# ── throttling wrong passwords ────────────────────────────────────────────────


class Throttle:
    """Wrong passwords per client: after FREE_TRIES, each try waits twice as long as the last (up to MAX_WAIT)."""

    FREE_TRIES = 3
    FIRST_WAIT = 2.0
    MAX_WAIT = 900.0
    FORGET_AFTER = 3600.0

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._lock = threading.Lock()
        self._clients: dict[str, tuple[int, float, float]] = {}
        """client → (wrong tries, not before (monotonic), last seen)."""

    def wait(self, client: str, now: float | None = None) -> float:
        """Seconds this client must still wait before a try is checked (0 when it may try now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tries, not_before, _ = self._clients.get(client, (0, 0.0, now))
        return max(0.0, not_before - now)

    def failed(self, client: str, now: float | None = None) -> float:
        """Record a wrong try; the wait before the next one. Logs the try (a hash of the client, no password)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._forget(now)
            tries, _, _ = self._clients.get(client, (0, 0.0, now))
            tries += 1
            first = _first_wait(self.FIRST_WAIT)
            wait = 0.0 if tries < self.FREE_TRIES else min(self.MAX_WAIT, first * 2 ** (tries - self.FREE_TRIES))
            self._clients[client] = (tries, now + wait, now)
        log.warning("%s password: wrong try %d from client %s; next try allowed in %.0f s", self.kind, tries,
                    hashlib.sha256(client.encode()).hexdigest()[:12], wait)
        return wait

    def succeeded(self, client: str) -> None:
        """A right password: forget the client's wrong tries."""
        with self._lock:
            self._clients.pop(client, None)

    def _forget(self, now: float) -> None:
        for client, (_, not_before, seen) in list(self._clients.items()):
            if now - max(seen, not_before) > self.FORGET_AFTER:
                del self._clients[client]


def _first_wait(default: float) -> float:
    """The first wait after the free tries: [sharing] password_first_wait_seconds (env WORKFORCE_LENS_PASSWORD_WAIT)."""
    raw = os.environ.get("WORKFORCE_LENS_PASSWORD_WAIT") or app_settings.section("sharing").get(
        "password_first_wait_seconds")
    try:
        return float(raw) if raw is not None else default
    except (TypeError, ValueError):
        return default


VIEWER_THROTTLE = Throttle("viewer")
PUBLISHER_THROTTLE = Throttle("publisher")


def client_key() -> str:
    """Who is trying a password: the address a reverse proxy last added (X-Forwarded-For), else the connection's."""
    try:
        forwarded = st.context.headers.get("X-Forwarded-For")
        ip = st.context.ip_address
    except Exception:  # noqa: BLE001 - outside a browser session (AppTest)
        return "local"
    hop = forwarded.split(",")[-1].strip() if isinstance(forwarded, str) else ""
    return hop or (ip if isinstance(ip, str) and ip else "local")


def check_password(throttle: Throttle, given: str | None, expected: str | None) -> tuple[bool, str | None]:
    """(right?, message to show): a try while the client must wait is not checked at all."""
    client = client_key()
    wait = throttle.wait(client)
    if wait > 0:
        return False, (f"Too many wrong passwords from your connection. Wait {wait:,.0f} seconds, then try again "
                       "(check the password with the person who sent the link).")
    if password_matches(given, expected):
        throttle.succeeded(client)
        return True, None
    wait = throttle.failed(client)
    if wait > 0:
        return False, f"That password is not right. Wait {wait:,.0f} seconds before the next try."
    return False, "That password is not right. Check it with the person who sent the link."


# ── viewer tokens ─────────────────────────────────────────────────────────────


def token_hours() -> float:
    """How long a viewer's authorisation lasts: [sharing] viewer_token_hours (default 8)."""
    try:
        return float(app_settings.section("sharing").get("viewer_token_hours", 8))
    except (TypeError, ValueError):
        return 8.0


def _signing_key(password: str) -> bytes:
    configured = os.environ.get(SECRET_ENV) or _secret("secret_key")
    base = configured.encode("utf-8") if configured else _PROCESS_KEY
    return hashlib.sha256(base + b"\0" + password.encode("utf-8")).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(password: str, now: float | None = None) -> str:
    """A signed token saying 'this browser session gave the viewer password', valid for token_hours()."""
    now = time.time() if now is None else now
    payload = _b64(json.dumps({"v": 1, "exp": int(now + token_hours() * 3600)}).encode())
    signature = _b64(hmac.new(_signing_key(password), payload.encode(), hashlib.sha256).digest())
    return f"{payload}.{signature}"


def token_valid(token: str | None, password: str | None, now: float | None = None) -> bool:
    """True for an unexpired token signed with this server's key and the current viewer password."""
    if not token or not password or token.count(".") != 1:
        return False
    payload, signature = token.split(".")
    expected = _b64(hmac.new(_signing_key(password), payload.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(signature.encode(), expected.encode()):
        return False
    try:
        claims = json.loads(_unb64(payload))
    except (ValueError, TypeError):
        return False
    now = time.time() if now is None else now
    return isinstance(claims, dict) and isinstance(claims.get("exp"), int) and claims["exp"] > now


def _cookie_token() -> str | None:
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - outside a browser session (AppTest)
        return None
    return token if isinstance(token, str) else None


def remember_authorisation() -> None:
    """Write the signed token into a session cookie (once, after the password was right)."""
    token = st.session_state.pop(_COOKIE_PENDING, None)
    if not token:
        return
    script = (
        "<script>(function(){var secure = window.location.protocol === 'https:' ? '; Secure' : '';"
        f"document.cookie = '{COOKIE}={token}; path=/; SameSite=Strict' + secure;}})();</script>"
    )
    st.html(script, unsafe_allow_javascript=True)


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


def viewer_authorised() -> bool:
    """True when no viewer password is set, or this browser session has given it (or holds a valid token)."""
    expected = viewer_password()
    if not expected or st.session_state.get(_OK_KEY):
        return True
    if token_valid(_cookie_token(), expected):
        st.session_state[_OK_KEY] = True
        return True
    return False


def _require_viewer_password() -> None:
    """Ask for the viewer password (when one is configured) and stop until it is right."""
    if viewer_authorised():
        return
    expected = viewer_password()
    st.title("This shared view needs a password")
    st.write("Ask the officer who sent you the link for the viewer password.")
    with st.form("viewer_password"):
        given = st.text_input("Viewer password", type="password")
        submitted = st.form_submit_button("Open", type="primary")
    if submitted:
        ok, message = check_password(VIEWER_THROTTLE, given, expected)
        if ok:
            st.session_state[_OK_KEY] = True
            st.session_state[_COOKIE_PENDING] = issue_token(expected)
            st.rerun()
        st.error(message)
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


def shared_snapshot_id() -> str | None:
    """The snapshot this browser session shows: the URL's `snapshot`, else the one it opened before (put back in
    the URL), else None for a live session. A session that has opened a shared link stays on it."""
    raw = st.query_params.get("snapshot")
    if raw:
        st.session_state[_SHARED_KEY] = str(raw)
        return str(raw)
    sticky = st.session_state.get(_SHARED_KEY)
    if sticky:
        st.query_params["snapshot"] = sticky
        return str(sticky)
    return None


def shared_source():
    """Return the read-only Source for `?snapshot=<id>` (after any password check), or None for a live session.

    May render a sign-in page, a password form or a friendly 'unknown snapshot' page and call st.stop().
    """
    snapshot_id = shared_snapshot_id()
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


def navigation(pages) -> None:
    """The sidebar's page links for a shared view: each keeps the URL's parameters (the snapshot, filters, council)."""
    keep = {key: value for key, value in st.query_params.to_dict().items() if value}
    for page in pages:
        st.sidebar.page_link(page, query_params=keep)


_sweeper_started = threading.Event()


def start_media_sweeper(interval: float = 30.0) -> None:
    """Once per process: every `interval` seconds, drop download files no live session refers to.

    Streamlit deletes a download file on the second clean-up after its session
    ended, and cleans up only when some script run finishes; on a quiet server a
    file's `/media/...` address could keep working for hours. With the sweeper it
    is gone within two intervals.
    """
    if _sweeper_started.is_set():
        return
    _sweeper_started.set()

    def sweep() -> None:
        while True:
            time.sleep(interval)
            try:
                from streamlit import runtime

                if runtime.exists():
                    runtime.get_instance().media_file_mgr.remove_orphaned_files()
            except Exception:  # noqa: BLE001 - never let the sweeper die
                log.debug("media sweep failed", exc_info=True)

    threading.Thread(target=sweep, name="workforce-lens-media-sweeper", daemon=True).start()
