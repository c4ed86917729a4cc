"""Remembering what a page derives from a view (descriptions, chart specs, formatted tables) across reruns and sessions.

Every viewer of a shared link, and every rerun of a page, asks for the same
derived things from the same small tables. Working them out again costs the
server's one Python interpreter a few milliseconds each, and twenty viewers
opening a link at once wait for each other's share. `memo` keeps them, keyed by
exactly the inputs named at the call site.

DataFrames in a key are hashed by their pickled bytes: exact (equal bytes, equal
table) and about twenty times quicker than Streamlit's own DataFrame hashing on
the small tables pages draw.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

T = TypeVar("T")


def frame_digest(df: pd.DataFrame) -> str:
    """An exact digest of a DataFrame's contents, index, columns and dtypes (for cache keys)."""
    return hashlib.blake2b(pickle.dumps(df, protocol=5), digest_size=16).hexdigest()


@st.cache_data(max_entries=4000, ttl=3600, show_spinner=False, hash_funcs={pd.DataFrame: frame_digest})
def _remembered(kind: str, inputs: tuple, _compute: Callable[[], Any]) -> Any:
    """The value of `_compute()` for (kind, inputs), worked out once."""
    return _compute()


def memo(kind: str, compute: Callable[[], T], *inputs: Any) -> T:
    """`compute()`, remembered for (`kind`, `inputs`).

    `inputs` must name everything `compute` reads that can differ between calls
    (the tables, the figure, the references, the grouping): the key is made of
    them alone. Outside a Streamlit run (tests, scripts) the cache still works.
    """
    return _remembered(kind, inputs, compute)
