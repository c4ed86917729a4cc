"""The session's Source (live Workforce or published snapshot) and cached access to its views.

Pages ask `view(name, params)` and never touch a Workforce: the same page code
serves an officer's own data and a shared link. Results are cached with
st.cache_data keyed by (data fingerprint or snapshot id, view name, Params), so a
filter change redraws from memory and no page recomputes what another already has.
A view that fails to compute gives an empty table and a plain-English note, never
a traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pandas as pd
import streamlit as st

import metrics
from metrics.registry import Figure, Params
from metrics.source import LiveSource, Source
from ui.state import get_workforce, set_workforce

log = logging.getLogger(__name__)

_K_SOURCE = "ui.source"
_K_FAILED = "ui.failed_views"


def ensure_workforce() -> Any:
    """The session's Workforce, loading the demo council (with a spinner) on the first run."""
    workforce = get_workforce()
    if workforce is None:
        import ingest

        with st.spinner("Loading the demo council…"):
            workforce = ingest.load_demo()
        set_workforce(workforce)
    return workforce


def _shared() -> Source | None:
    """The snapshot Source for `?snapshot=` (sharing.gate may show a password form and st.stop())."""
    from sharing.gate import shared_source

    return shared_source()


def get_source() -> Source:
    """The Source this run shows: a shared snapshot when the URL names one, else the live session's data."""
    shared = _shared()
    if shared is not None:
        st.session_state[_K_SOURCE] = shared
        return shared
    workforce = ensure_workforce()
    current = st.session_state.get(_K_SOURCE)
    if isinstance(current, LiveSource) and current.workforce is workforce:
        return current
    source = LiveSource(workforce)
    st.session_state[_K_SOURCE] = source
    return source


def current_source() -> Source:
    """The Source chosen by app.py for this run (pages call this; it falls back to choosing one)."""
    source = st.session_state.get(_K_SOURCE)
    if source is None:
        return get_source()
    if isinstance(source, LiveSource) and source.workforce is not get_workforce() and get_workforce() is not None:
        return get_source()
    return source


def demo_version() -> str:
    """Identifies the bundled demo workbook's contents (its size and modification time)."""
    from pathlib import Path

    demo = Path(__file__).resolve().parents[1] / "data" / "demo" / "demo_council.xlsx"
    try:
        stat = demo.stat()
    except OSError:
        return "missing"
    return f"{stat.st_size}:{int(stat.st_mtime)}"


def source_key(source: Source) -> str:
    """What identifies the data behind a Source for caching: the Workforce fingerprint or the snapshot id."""
    workforce = getattr(source, "workforce", None)
    if workforce is not None:
        if workforce.is_demo and not workforce.assumptions:
            return f"demo:{demo_version()}"  # every session's demo is the same data: share its figures
        return f"live:{workforce.fingerprint}"
    for attr in ("fingerprint", "snapshot_id", "id"):
        value = getattr(source, attr, None)
        if value:
            return f"shared:{value}"
    return f"object:{id(source)}"


@st.cache_data(max_entries=1000, ttl=3600, show_spinner=False)
def _cached_view(key: str, name: str, params_key: str, _source: Source, _params: Params) -> pd.DataFrame:
    """One view's DataFrame, computed once per (data, view, parameters) (or taken from work already under way)."""
    return ahead_view(name, _params, _source)


# ── views worked out ahead of the page asking for them ────────────────────────
#
# A page can start the views it will draw last (the forecast, the written summary) on background
# threads before it draws the tiles and charts, so the two cores work at once: DuckDB and numpy
# release the GIL. The jobs are pure metrics (a Source's `get`, no Streamlit call), keyed exactly as
# the cache above is (the data's key, the view, the parameters), so a session only ever finds work
# done on its own data (or on the demo, which is the same for everyone). Results move into the
# cache above when the page asks; the futures are kept briefly, a few hundred at most.

AHEAD_MAX = 256
AHEAD_SECONDS = 600.0
"""Futures kept at most, and for how long (their results live on in the cache above)."""

_ahead: OrderedDict[tuple[str, str, str], tuple[float, Future]] = OrderedDict()
_ahead_lock = threading.Lock()
_ahead_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="workforce-lens-ahead")


def _ahead_key(source: Source, name: str, params: Params) -> tuple[str, str, str]:
    return source_key(source), name, repr(params)


def _remember_ahead(key: tuple[str, str, str], future: Future) -> None:
    """Keep a future (the lock held); forget the oldest and any past their time."""
    now = time.monotonic()
    _ahead[key] = (now, future)
    _ahead.move_to_end(key)
    while _ahead and (len(_ahead) > AHEAD_MAX or next(iter(_ahead.values()))[0] < now - AHEAD_SECONDS):
        _ahead.popitem(last=False)


def submit_ahead(job: Callable[[], Any]) -> Future:
    """Run `job` (pure work: no Streamlit call in it) on the background threads; its future."""
    return _ahead_pool.submit(job)


def compute_ahead(requests: Iterable[tuple[str, Params]], source: Source | None = None) -> None:
    """Start working out these views on background threads, so the page finds them done (or under way)."""
    source = source or current_source()
    for name, params in requests:
        key = _ahead_key(source, name, params)
        with _ahead_lock:
            if key not in _ahead:
                _remember_ahead(key, _ahead_pool.submit(source.get, name, params))


def ahead_view(name: str, params: Params, source: Source) -> pd.DataFrame:
    """A view, from the work already under way for it, else worked out here (and shared with any other asker).

    A job still waiting for a thread is not waited for: it is cancelled and done here, so a background
    job asking for another never waits behind it (no job can wait for one that cannot start).
    """
    key = _ahead_key(source, name, params)
    with _ahead_lock:
        found = _ahead.get(key)
        future = found[1] if found else None
        failed = future is not None and future.done() and not future.cancelled() and future.exception() is not None
        mine = future is None or failed or future.cancel()  # a failure is tried again, not handed on
        if mine:
            future = Future()
            future.set_running_or_notify_cancel()
            _remember_ahead(key, future)
    if mine:
        try:
            future.set_result(source.get(name, params))
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for it, who reports it as usual
            future.set_exception(exc)
            raise
    return future.result()


def view(name: str, params: Params, source: Source | None = None) -> pd.DataFrame:
    """The named view for these parameters (cached); an empty DataFrame when it cannot be computed."""
    source = source or current_source()
    try:
        return _cached_view(source_key(source), name, repr(params), source, params)
    except Exception:  # noqa: BLE001 - a page must never show a traceback; the failure is noted instead
        log.exception("view %s failed", name)  # no data values in the message
        st.session_state.setdefault(_K_FAILED, set()).add(name)
        return pd.DataFrame()


def _per_source(name: str, source: Source, compute: Any) -> Any:
    """A value computed once per Source per session (availability, options, default date)."""
    store = st.session_state.setdefault("ui.per_source", {})
    key = (source_key(source), name)
    if key not in store:
        if len(store) > 50:
            store.clear()
        store[key] = compute()
    return store[key]


def availability(source: Source | None = None) -> dict[str, str | None]:
    """Per figure id: None when the data allows it, else why not (cached per data)."""
    source = source or current_source()
    try:
        return _per_source("availability", source, source.availability)
    except Exception:  # noqa: BLE001
        log.exception("availability failed")
        return {}


def filter_options(source: Source | None = None) -> dict[str, list[str]]:
    """Values each cut can be filtered by (cached per data)."""
    source = source or current_source()
    try:
        return _per_source("filter_options", source, source.filter_options)
    except Exception:  # noqa: BLE001
        log.exception("filter options failed")
        return {}


def default_as_of(source: Source | None = None) -> dt.date | None:
    """The as-of date the data opens on (cached per data)."""
    source = source or current_source()
    try:
        return _per_source("default_as_of", source, source.default_as_of)
    except Exception:  # noqa: BLE001
        log.exception("default as-of failed")
        return None


def notes(source: Source | None = None) -> list[str]:
    """Sentences to state beside every figure (assumptions, rows set aside, suppression)."""
    source = source or current_source()
    try:
        return list(source.notes())
    except Exception:  # noqa: BLE001
        return []


def figure(figure_id: str) -> Figure:
    """The registry entry of a figure."""
    return metrics.FIGURES[figure_id]


def is_available(figure_id: str, source: Source | None = None) -> bool:
    """True when the data allows this figure."""
    return availability(source).get(figure_id, "not known") is None


def why_not(figure_id: str, source: Source | None = None) -> str:
    """Why a figure is off, in words (from metrics.availability)."""
    reason = availability(source).get(figure_id)
    return reason or f"{figure(figure_id).label} cannot be computed from this data."


def failed_views() -> set[str]:
    """Names of views that failed to compute in this session (shown as a note, never a traceback)."""
    return set(st.session_state.get(_K_FAILED, set()))
