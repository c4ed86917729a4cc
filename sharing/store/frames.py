"""How a published table is stored: suppressed cells as NULL plus a record of them, then compressed JSON.

A published DataFrame has `c` (suppressed) in some numeric cells. Stored, those
cells are NULL and a `_suppressed` column lists which columns were hidden in each
row, so no hidden value is ever written, not even as a placeholder. The frame is
then written as JSON (columns and rows, readable by anyone auditing the store
once decompressed) and zlib-compressed; its column names, dtypes and the columns
that held `c` are kept beside it, so reading gives back exactly the published
frame, `c` cells included.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import zlib
from typing import Any

import numpy as np
import pandas as pd

from sharing.suppress import SYMBOL

SUPPRESSED_COL = "_suppressed"


def encode(df: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """A frame with `c` cells as NULL plus a `_suppressed` column naming them, and its column/dtype record."""
    frame = df.reset_index(drop=True)
    marks: list[list[str]] = [[] for _ in range(len(frame))]
    meta: dict[str, Any] = {"columns": [str(c) for c in df.columns], "dtypes": {}, "symbol_columns": [], "dates": []}
    columns: dict[str, pd.Series] = {}
    for position, col in enumerate(frame.columns):
        series = frame.iloc[:, position]
        if series.dtype == object:
            values = series.tolist()
            flags = [isinstance(v, str) and v == SYMBOL for v in values]
            if any(flags):
                for i, flag in enumerate(flags):
                    if flag:
                        marks[i].append(str(col))
                kept = pd.Series([None if flag else v for v, flag in zip(values, flags, strict=True)], dtype=object)
                series = pd.to_numeric(kept, errors="coerce")
                meta["symbol_columns"].append(str(col))
            else:
                kinds = {type(v) for v in values if v is not None and not _is_nan(v)}
                if kinds and all(issubclass(k, dt.date) and not issubclass(k, dt.datetime) for k in kinds):
                    meta["dates"].append(str(col))
        columns[str(col)] = series
        meta["dtypes"][str(col)] = str(series.dtype)
    out = pd.DataFrame(columns, index=range(len(frame))) if columns else pd.DataFrame(index=range(len(frame)))
    out[SUPPRESSED_COL] = [",".join(m) for m in marks]
    return out, meta


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value) or value is pd.NaT or value is pd.NA


def _plain(value: Any) -> Any:
    """A JSON-ready value: None for missing, Python numbers, ISO text for dates."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date):
        return value.isoformat()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _column_values(series: pd.Series) -> list:
    """One column as JSON-ready values (quick paths for numbers, text and dates)."""
    kind = series.dtype.kind
    if kind in "iub":
        return series.tolist()
    if kind == "f":
        return [None if v != v else v for v in series.tolist()]
    if kind == "M":
        return [None if v is pd.NaT or v is None else v.isoformat() for v in series.tolist()]
    if series.dtype != object:
        return series.astype(object).where(series.notna(), None).tolist()
    return [_plain(v) for v in series.tolist()]


def dumps(encoded: pd.DataFrame) -> bytes:
    """An encoded frame as compressed JSON: {"columns": [...], "values": [[column 1 values], ...]}."""
    columns = [str(c) for c in encoded.columns]
    values = [_column_values(encoded.iloc[:, i]) for i in range(encoded.shape[1])]
    text = json.dumps({"columns": columns, "values": values}, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), 6)


def loads(blob: bytes | memoryview) -> pd.DataFrame:
    """The encoded frame back from `dumps` (values as JSON gave them; dtypes restored by `decode`)."""
    payload = json.loads(zlib.decompress(bytes(blob)).decode("utf-8"))
    columns = payload["columns"]
    frame = pd.DataFrame({i: pd.Series(v, dtype=object) for i, v in enumerate(payload["values"])})
    if frame.empty and not len(frame.columns):
        frame = pd.DataFrame({i: pd.Series([], dtype=object) for i in range(len(columns))})
    frame.columns = columns
    return frame


def pack(df: pd.DataFrame) -> tuple[str, bytes]:
    """A published frame as (meta JSON text, compressed data) for the store."""
    encoded, meta = encode(df)
    return json.dumps(meta), dumps(encoded)


def unpack(meta_text: str, blob: bytes | memoryview) -> pd.DataFrame:
    """The published frame, exactly as packed (columns, dtypes, `c` cells)."""
    return decode(loads(blob), json.loads(meta_text))


def _restore(values: pd.Series, dtype: str, dates: bool) -> pd.Series:
    """A column from JSON values back to its published dtype."""
    if dates:
        return values.map(lambda v: dt.date.fromisoformat(v) if isinstance(v, str) else v).astype(object)
    if dtype == "object":
        return values.astype(object)
    if dtype.startswith("datetime64"):
        return pd.to_datetime(values).astype(dtype)
    if dtype in ("float64", "float32", "int64", "int32", "Int64", "Float64"):
        numbers = pd.to_numeric(values)
        return numbers.astype(dtype)
    if dtype == "bool":
        return values.astype(bool)
    return values.astype(dtype)


def decode(df: pd.DataFrame, meta: dict) -> pd.DataFrame:
    """The stored frame back as it was published: columns, dtypes and `c` cells."""
    columns = meta["columns"]
    out = df[columns].reset_index(drop=True).copy()
    dates = set(meta.get("dates", []))
    for col, dtype in meta["dtypes"].items():
        if col in meta["symbol_columns"]:
            with contextlib.suppress(TypeError, ValueError):
                out[col] = pd.to_numeric(out[col]).astype("float64")
            continue
        with contextlib.suppress(TypeError, ValueError):
            if str(out[col].dtype) != dtype or col in dates:
                out[col] = _restore(out[col], dtype, col in dates)
    marks = df[SUPPRESSED_COL].reset_index(drop=True).fillna("") if SUPPRESSED_COL in df else pd.Series(
        [""] * len(out))
    for col in meta["symbol_columns"]:
        flags = marks.map(lambda m, c=col: c in str(m).split(","))
        values = out[col].astype(object).tolist()
        for i, flag in enumerate(flags.tolist()):
            if flag:
                values[i] = SYMBOL
        out[col] = pd.Series(values, dtype=object)
    return out
