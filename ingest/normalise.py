"""Turning text cells into typed, canonical values, a whole column at a time.

Each parser takes a pyarrow array of text and returns the typed values plus a
mask of the cells that could not be read, so validation can report exactly those
rows. Work is done on the column's distinct values (dictionary encoding), so a
million-row column with a few thousand distinct dates parses a few thousand
strings, not a million.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ingest.symbols import DFE_SYMBOLS
from ingest.synonyms import norm_value, value_default, value_lookup

EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_CURRENCY = re.compile(r"[£$€,\s]")
_DECIMAL_COMMA = re.compile(r"^[£$€]?\s*-?\d+,\d{1,2}%?$")
"""'1,5', '0,75', '45,50': a decimal comma (a thousands comma is followed by three digits)."""
_ISO = r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
_SLASH = r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
_SERIAL = r"^\d{1,7}(?:\.\d+)?$"
BLANK = "(blank)"
"""The value an enumerated cell maps to when it says 'not applicable' (N/A-StillEmployed): read as blank."""
_TEXT_FORMATS = ("%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d-%b-%y", "%d %b %y", "%b %d %Y", "%B %d %Y", "%d-%B-%Y")


def text(array: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Text with surrounding spaces trimmed and blank cells null; otherwise exactly as typed (never evaluated)."""
    arr = array if pa.types.is_string(array.type) else array.cast(pa.string())
    trimmed = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _flat(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous string array."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    if not pa.types.is_string(array.type):
        array = array.cast(pa.string())
    return array


def _encode(arr: pa.Array) -> tuple[np.ndarray, list[str]]:
    """(codes, distinct values trimmed) of a text array; code -1 (and a value blank after trimming) means blank.

    Trimming the distinct values, not the million cells, is what keeps this fast.
    """
    encoded = pc.dictionary_encode(arr)
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    uniques = [v.strip() for v in encoded.dictionary.to_pylist()]
    blank = [i for i, v in enumerate(uniques) if not v]
    if blank:
        codes = np.where(np.isin(codes, blank), -1, codes)
    return codes, uniques


@dataclass
class Numbers:
    """A parsed numeric column: values (NaN where blank or unreadable), and masks."""

    values: np.ndarray
    bad: np.ndarray
    """Cells holding text that is not a number (and not a DfE symbol)."""
    percent: np.ndarray
    """Cells written with a '%' sign."""
    symbols: np.ndarray | None = None
    """The DfE symbol of each cell (object array, None where none), when symbols were looked for."""
    decimal_comma: np.ndarray | None = None
    """Cells written with a decimal comma ('1,5'), read as decimals."""


def numbers(array: pa.Array | pa.ChunkedArray, allow_symbols: bool = False) -> Numbers:
    """Parse numbers written as Excel numbers or text like '£45,000', '0.5', '12%'."""
    arr = _flat(array)
    n = len(arr)
    try:
        values = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
        values = np.where(np.isfinite(values), values, np.nan)
        bad = np.zeros(n, dtype=bool)
        if np.isnan(values).sum() != arr.null_count:
            bad = np.isnan(values) & ~arr.is_null().to_numpy(zero_copy_only=False)
        return Numbers(values, bad, np.zeros(n, dtype=bool), None)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    codes, uniques = _encode(arr)
    u_values = np.full(len(uniques) + 1, np.nan)
    u_bad = np.zeros(len(uniques) + 1, dtype=bool)
    u_pct = np.zeros(len(uniques) + 1, dtype=bool)
    u_sym = np.full(len(uniques) + 1, None, dtype=object)
    u_comma = np.zeros(len(uniques) + 1, dtype=bool)
    for i, raw in enumerate(uniques):
        symbol = raw.strip().lower()
        if allow_symbols and symbol in DFE_SYMBOLS:
            u_sym[i] = symbol
            continue
        if _DECIMAL_COMMA.match(raw.strip()):
            u_comma[i] = True
            raw = raw.replace(",", ".")
        cleaned = _CURRENCY.sub("", raw)
        if cleaned.endswith("%"):
            u_pct[i] = True
            cleaned = cleaned[:-1]
        if cleaned.startswith("(") and cleaned.endswith(")"):
            cleaned = "-" + cleaned[1:-1]
        try:
            value = float(cleaned)
        except ValueError:
            u_bad[i] = True
            continue
        if np.isfinite(value):
            u_values[i] = value
        else:
            u_bad[i] = True
    return Numbers(u_values[codes], u_bad[codes], u_pct[codes], u_sym[codes] if allow_symbols else None,
                   u_comma[codes])


@dataclass
class Dates:
    """A parsed date column: values (NaT where blank or unreadable) and how it was read."""

    values: np.ndarray
    """datetime64[D]."""
    bad: np.ndarray
    """Cells holding text that is not a date."""
    order: str = "day-first"
    """How dd/mm vs mm/dd was read: 'day-first' (UK) or 'month-first' (US, only when the values prove it)."""
    ambiguous: bool = False
    """True when every d/m/y value could be read either way and day-first was taken as the UK convention."""
    example: str | None = None
    """An ambiguous value, for the message."""


def dates(array: pa.Array | pa.ChunkedArray) -> Dates:
    """Parse a date column: real Excel dates, Excel serial numbers, ISO, UK dd/mm/yyyy, '30 Sep 2024'.

    Never guesses silently: when all d/m/y values have day and month ≤ 12 (and not
    equal), the column is flagged `ambiguous` and read day-first (UK convention);
    the caller reports that. When some value can only be month-first (09/30/2024)
    and none only day-first, the column is read month-first and `order` says so.
    """
    codes, uniques = _encode(_flat(array))
    result = Dates(values=np.array([], dtype="datetime64[D]"), bad=np.array([], dtype=bool))
    quick = _iso_only(uniques)
    if quick is not None:
        u_values = np.concatenate([quick, np.array(["NaT"], dtype="datetime64[D]")])
        result.values = u_values[codes]
        result.bad = np.zeros(len(codes), dtype=bool)
        return result
    u = pd.Series(uniques, dtype=object).astype(str)
    parsed = pd.Series(pd.NaT, index=u.index, dtype="datetime64[s]")
    if len(u):
        iso = u.str.extract(_ISO)
        ok = iso[0].notna()
        if ok.any():
            parsed[ok] = _from_parts(iso.loc[ok, 0], iso.loc[ok, 1], iso.loc[ok, 2])
        slash = u.str.extract(_SLASH)
        ok = slash[0].notna()
        if ok.any():
            a = slash.loc[ok, 0].astype(int)
            b = slash.loc[ok, 1].astype(int)
            years = slash.loc[ok, 2].astype(int)
            years = years.where(years >= 100, years + np.where(years <= (dt.date.today().year % 100) + 10, 2000, 1900))
            day_evidence = bool((a > 12).any())
            month_evidence = bool((b > 12).any())
            month_first = month_evidence and not day_evidence
            result.order = "month-first" if month_first else "day-first"
            either = (a <= 12) & (b <= 12) & (a != b)
            if not day_evidence and not month_evidence and bool(either.any()):
                result.ambiguous = True
                result.example = str(u[ok][either].iloc[0])
            day, month = (b, a) if month_first else (a, b)
            parsed[ok] = _from_parts(years, month, day)
        serial = u.str.match(_SERIAL) & parsed.isna()
        if serial.any():
            days = pd.to_numeric(u[serial], errors="coerce")
            good = days.between(1, 2958465)
            stamps = (EXCEL_EPOCH + np.floor(days[good].to_numpy()).astype("timedelta64[D]")).astype("datetime64[s]")
            parsed[good[good].index] = stamps
        rest = parsed.isna() & ~serial
        for fmt in _TEXT_FORMATS:
            if not rest.any():
                break
            attempt = pd.to_datetime(u[rest].str.strip(), format=fmt, errors="coerce")
            hit = attempt.notna()
            parsed[hit[hit].index] = attempt[hit].astype("datetime64[s]")
            rest = parsed.isna() & ~serial
    u_values = np.concatenate([parsed.to_numpy().astype("datetime64[D]"), np.array(["NaT"], dtype="datetime64[D]")])
    u_bad = np.concatenate([parsed.isna().to_numpy(), [False]])
    result.values = u_values[codes]
    result.bad = u_bad[codes]
    return result


def _iso_only(uniques: list[str]) -> np.ndarray | None:
    """Fast path: when every distinct value is an ISO date (what Excel dates read as), their dates; else None."""
    if not uniques:
        return None
    arr = pa.array(uniques, pa.string())
    lengths = pc.utf8_length(arr)
    if not pc.all(pc.or_(pc.equal(lengths, 10), pc.equal(lengths, 19))).as_py():
        return None
    day_text = pc.utf8_slice_codeunits(arr, 0, 10)
    parsed = pc.strptime(day_text, format="%Y-%m-%d", unit="s", error_is_null=True)
    if parsed.null_count:
        return None
    if not pc.all(pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), day_text)).as_py():
        return None  # strptime rolls 2023-02-29 on to 1 March: the slow path refuses impossible dates
    if not pc.all(pc.or_(pc.equal(lengths, 10), pc.match_substring_regex(arr, r"^.{10} \d\d:\d\d:\d\d$"))).as_py():
        return None
    return parsed.to_numpy(zero_copy_only=False).astype("datetime64[D]")


def _from_parts(years: pd.Series, months: pd.Series, days: pd.Series) -> pd.Series:
    """Dates from year/month/day parts; impossible dates (31/02) become NaT."""
    frame = pd.DataFrame({"year": years.astype(int), "month": months.astype(int), "day": days.astype(int)})
    return pd.to_datetime(frame, errors="coerce").astype("datetime64[s]")


@dataclass
class Enum:
    """A normalised enumerated column (worker_type, leaving_reason, gender)."""

    values: pa.Array
    unknown: np.ndarray
    """Cells whose text matched no known spelling (stored as the column's default, or null)."""
    blank: np.ndarray
    """Blank cells."""


def enum(array: pa.Array | pa.ChunkedArray, column: str, value_map: dict[str, str] | None = None) -> Enum:
    """Map every spelling in synonyms.toml [values.<column>] to its canonical value.

    `value_map` (normalised value → canonical value) is the user's own reading, tried first.
    """
    codes, uniques = _encode(_flat(array))
    lookup = {**value_lookup(column), **(value_map or {})}
    default = value_default(column)
    mapped = [lookup.get(norm_value(v)) for v in uniques]
    u_unknown = np.array([m is None for m in mapped] + [False])
    u_blank = np.array([m == BLANK for m in mapped] + [True])
    dictionary = pa.array([None if m == BLANK else (m if m is not None else default) for m in mapped], pa.string())
    values = (
        dictionary.take(pa.array(codes, pa.int64(), mask=codes < 0))
        if len(dictionary)
        else pa.nulls(len(codes), pa.string())
    )
    return Enum(values, u_unknown[codes], u_blank[codes])


def replace_values(values: pa.Array | pa.ChunkedArray, value_map: dict[str, str]) -> pa.Array:
    """A text column with the user's value map applied (keys are normalised values, see synonyms.norm_value)."""
    codes, uniques = _encode(_flat(values))
    if not uniques:
        return _flat(values)
    replaced = [value_map.get(norm_value(v), v) for v in uniques]
    dictionary = pa.array(replaced, pa.string())
    return dictionary.take(pa.array(codes, pa.int64(), mask=codes < 0))
