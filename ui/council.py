"""'Our council': the local authority the user's data belongs to, chosen in the sidebar and kept in the URL (`la`).

app.py calls `render()` in the sidebar on every run, so the choice follows the
user to every page and into copied links (the selectbox is bound to the URL
key `la`). Pages read it with `current_la()`. When the user's upload is a summary of several
authorities (the DfE indicator file), `own_area` names the row that is the chosen
council, so its figures are the council's own and the rest stay as comparators,
with no second filter to set. The first value comes from the
URL (any spelling `reference.resolve` knows) or else from workforce_lens.toml
[reference] default_la; a name the DfE file does not know gives a sidebar notice
and falls back to that default (reference.url.choose_la), never an error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import streamlit as st

from ui.text import md_escape

log = logging.getLogger(__name__)

KEY = "la"
"""URL key and widget key of the selectbox."""
_K_NOTICE = "ui.council.notice"
_K_DRAWN = "ui.council.drawn"
_K_URL = "ui.council.url"


@dataclass(frozen=True)
class Choice:
    """The chosen authority (None when none is), a notice about the link's `la`, and whether the sidebar drew it."""

    la: str | None
    notice: str | None
    in_sidebar: bool


def _names() -> list[str]:
    """Every local authority of the DfE file, A to Z (empty when the reference data cannot be read)."""
    try:
        import reference

        return reference.authorities()["la"].tolist()
    except Exception:  # noqa: BLE001 - without reference data there is simply no council to choose
        log.exception("reference data unavailable")
        return []


def _from_url() -> tuple[str | None, str | None]:
    """(authority, notice) for the URL's `la`, falling back to the configured default."""
    from reference.url import choose_la

    return choose_la(st.query_params.get(KEY))


def render() -> str | None:
    """Draw the 'Our council' selectbox in the sidebar (bound to `la`) and return the authority chosen."""
    st.session_state[_K_DRAWN] = False
    names = _names()
    if not names:
        return None
    raw = st.query_params.get(KEY)
    if KEY not in st.session_state or (raw is not None and raw != st.session_state.get(_K_URL)
                                       and raw != st.session_state.get(KEY)):
        # First run (or a new link): set the widget from the URL, resolved, before the widget reads the URL
        # itself (it would drop a spelling such as "devon" that is not exactly an option).
        la, notice = _from_url()
        st.session_state[KEY] = la if la in names else None
        st.session_state[_K_NOTICE] = notice
    chosen = st.sidebar.selectbox(
        "Our council", names, index=None, key=KEY, bind="query-params", placeholder="Choose a local authority",
        help="The local authority your data belongs to: its region and statistical neighbours are shown beside "
             "England. Kept in the page address (?la=...), so a copied link keeps it.")
    st.session_state[_K_URL] = chosen
    st.session_state[_K_DRAWN] = True
    notice = st.session_state.get(_K_NOTICE)
    if notice and chosen == _from_default():
        st.sidebar.warning(md_escape(notice), icon=":material/link_off:")  # it quotes the link's `la`
    elif notice:
        st.session_state[_K_NOTICE] = None  # the user has chosen since: the link's problem no longer matters
    return chosen


def _from_default() -> str | None:
    """The configured default authority ([reference] default_la), resolved."""
    from reference import default_la

    return default_la()


def current() -> Choice:
    """The authority chosen in the sidebar this run; without app.py (a page run on its own), the URL's or default."""
    if st.session_state.get(_K_DRAWN):
        return Choice(st.session_state.get(KEY), None, True)
    try:
        la, notice = _from_url()
    except Exception:  # noqa: BLE001 - reference data unavailable: no council
        log.exception("reference data unavailable")
        return Choice(None, None, False)
    return Choice(la, notice, False)


def current_la() -> str | None:
    """The local authority the user's data belongs to, or None when none is chosen."""
    return current().la


def _plain(name: object) -> str:
    """An authority's name reduced for comparison: lower case, '&' as 'and', no punctuation, no 'council'."""
    text = str(name).lower().replace("&", " and ")
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    words = [w for w in text.split() if w not in ("council", "county", "city", "borough", "metropolitan", "of", "the")]
    return " ".join(words)


def own_area(areas: object, la: str | None = None) -> str | None:
    """The area of an uploaded summary that is 'Our council' (its row of a multi-authority DfE file), or None.

    `areas`: the summary's service_area values. None when no council is chosen, or when the
    upload has no row for it (a council's own committee table names services, not itself).
    """
    la = la if la is not None else current_la()
    if not la:
        return None
    wanted = _plain(la)
    try:
        values = [str(a) for a in areas if a is not None and a == a]
    except TypeError:
        return None
    exact = [a for a in values if a == la]
    if exact:
        return exact[0]
    close = [a for a in values if _plain(a) == wanted]
    return close[0] if close else None
