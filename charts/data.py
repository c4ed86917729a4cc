"""How chart data goes into a Vega-Lite spec: the same values Altair writes, worked out a column at a time.

Altair's default data step cleans a DataFrame column by column with pandas
(a copy, then `where` per column) before writing records; on the small tables
these charts draw that was half the time of building a chart, and every new
filter builds five or more. `records` gives the same JSON-ready values from
numpy arrays, and hands anything unusual (datetimes, categories, nested or
non-text column names) back to Altair's own step.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
from altair.utils import schemapi
from altair.utils.data import limit_rows, to_values

MAX_ROWS = 5000
"""Altair's default row limit for inline data, kept: a chart of more rows is a mistake upstream."""
TRANSFORMER = "workforce_lens"


def _missing(values: np.ndarray) -> np.ndarray:
    """Which object values are missing (None, NaN, NA), as pandas' notnull sees them."""
    return pd.isna(values)


def _column(series: pd.Series) -> list | None:
    """One column's JSON-ready values (as Altair's sanitising gives them), or None to leave it to Altair."""
    dtype = series.dtype
    name = str(dtype)
    if name in ("str", "string", "boolean") or name in {"Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16",
                                                        "UInt32", "UInt64", "Float32", "Float64"}:
        values = series.to_numpy(dtype=object, copy=True)
        values[_missing(values)] = None
        return values.tolist()
    if name == "bool" or (isinstance(dtype, np.dtype) and np.issubdtype(dtype, np.integer)):
        return series.to_numpy().tolist()
    if isinstance(dtype, np.dtype) and np.issubdtype(dtype, np.floating):
        numbers = series.to_numpy()
        values = numbers.astype(object)
        values[~np.isfinite(numbers)] = None
        return values.tolist()
    if isinstance(dtype, np.dtype) and dtype.kind == "O":
        values = series.to_numpy(dtype=object, copy=True)
        if any(isinstance(v, np.ndarray) for v in values):
            return None
        values[_missing(values)] = None
        # dates as ISO text, as Altair writes datetime columns (a spec is JSON: a date object is not)
        return [v.isoformat() if isinstance(v, dt.date) else v for v in values.tolist()]
    return None  # datetimes, categories, timedeltas, geometry: Altair's own step


def records(data: Any) -> dict:
    """`{"values": [...]}` for a DataFrame, as Altair's `to_values` gives it (and JSON-ready).

    The one difference: date objects in a text column become ISO text, as Altair
    does for datetime columns; Altair leaves them as objects that JSON cannot write.
    """
    if isinstance(data, pd.DataFrame) and len(data) > MAX_ROWS:
        limit_rows(data, max_rows=MAX_ROWS)  # raises Altair's own error
    if not isinstance(data, pd.DataFrame) or isinstance(data.index, pd.MultiIndex) \
            or isinstance(data.columns, pd.MultiIndex) or not all(isinstance(c, str) for c in data.columns):
        return to_values(data)
    columns = []
    for _, series in data.items():
        values = _column(series)
        if values is None:
            return to_values(data)
        columns.append(values)
    names = list(data.columns)
    return {"values": [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]}


def use_quick_data() -> None:
    """Make `records` Altair's data step, and skip validating each part of a chart as it is made.

    Specs are still validated whole by the chart tests (`to_dict()` validates);
    at run time the app builds them with `validate=False`.
    """
    if TRANSFORMER not in alt.data_transformers.names():
        alt.data_transformers.register(TRANSFORMER, records)
    alt.data_transformers.enable(TRANSFORMER)
    schemapi.disable_debug_mode()
