"""Remembering what a page derives from a view (descriptions, chart specs, formatted tables, tiles).

Every viewer of a shared link, and every rerun of a page, asks for the same
derived things from the same small tables. Working them out again costs the
server's one Python interpreter milliseconds each, and twenty viewers opening a
link at once wait for each other's share. `memo` keeps them for an hour, keyed by
exactly the inputs named at the call site.

The key is a digest of the pickled inputs: exact (equal bytes, equal inputs), and
about ten times quicker than Streamlit's st.cache_data hashing of the small tables
pages draw; values are kept as they are, not copied, so a caller must not change
what it gets back (Streamlit's elements copy what they send).
"""

from __future__ import annotations

import hashlib
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

MAX_ENTRIES = 4000
TTL_SECONDS = 3600
"""How long a derived value is kept (the deployment guide states it: figures from an upload stay up to an hour)."""

_store: OrderedDict[tuple[str, str], tuple[float, Any]] = OrderedDict()
_lock = threading.Lock()


def digest(*values: Any) -> str:
    """An exact digest of picklable values (tables included: contents, index, columns and dtypes)."""
    return hashlib.blake2b(pickle.dumps(values, protocol=5), digest_size=16).hexdigest()


def memo(kind: str, compute: Callable[[], T], *inputs: Any) -> T:
    """`compute()`, remembered for (`kind`, `inputs`) for up to an hour (the least recently used go first).

    `inputs` must name everything `compute` reads that can differ between calls
    (the tables, the figure, the references, the grouping): the key is made of
    them alone. Two sessions asking at once may both compute; both get equal values.
    """
    key = (kind, digest(*inputs))
    now = time.monotonic()
    with _lock:
        found = _store.get(key)
        if found is not None and found[0] > now:
            _store.move_to_end(key)
            return found[1]
    value = compute()
    with _lock:
        _store[key] = (now + TTL_SECONDS, value)
        _store.move_to_end(key)
        while len(_store) > MAX_ENTRIES:
            _store.popitem(last=False)
    return value


def remembered(kind: str, *inputs: Any) -> bool:
    """True when `memo(kind, …, *inputs)` would answer from memory (nothing to work out)."""
    key = (kind, digest(*inputs))
    with _lock:
        found = _store.get(key)
        return found is not None and found[0] > time.monotonic()


def clear() -> None:
    """Forget everything remembered (tests; a server that wants its memory back)."""
    with _lock:
        _store.clear()
