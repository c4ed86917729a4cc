"""Breakdown files: several summary rows per area and period, split by staff group, nationality, ...

An NHS-style table gives one row per organisation × staff group × nationality. Keeping the first
row per organisation (and setting the rest aside) halves its FTE; the rows must be added up.
`add_up` does that: counts (FTE, headcount, leavers, cases, ...) are summed, rates are left to be
worked out again from the sums, and a DfE symbol in any part makes the total unknown (NULL with
the symbol), never a partial sum. Where the file has total rows of its own ('All staff groups'),
the grand total row is used as it is and its parts are left out, so nothing is counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from ingest.schema import SUMMARY_NUMBERS
from ingest.synonyms import breakdown_headers, norm_header, norm_value, percent_columns, total_values

KEYS: tuple[str, ...] = ("service_area", "team", "period", "geographic_level")
"""What makes a summary row one area's (or sub-service's) figures for one period."""
BREAKDOWN = "_breakdown"
"""Helper column: the row's breakdown values joined (e.g. 'Nurses | British')."""
TOTALS = "_totals"
"""Helper column: how many of the row's breakdown values are total labels ('All staff groups')."""
PARTS = "_parts"
"""Helper column: how many breakdown columns the row's sheet has."""


def is_breakdown_header(header: str) -> bool:
    """True for an obvious breakdown column (nationality, staff group, ethnicity, gender, age band, ...)."""
    key = norm_header(header)
    return key in breakdown_headers() or any(key.startswith(b) and len(b) >= 6 for b in breakdown_headers())


def breakdown_arrays(columns: list[pa.Array], n: int) -> dict[str, pa.Array]:
    """The helper columns for one sheet's breakdown columns (text cells)."""
    if not columns:
        return {BREAKDOWN: pa.nulls(n, pa.string()), TOTALS: pa.array(np.zeros(n, dtype=np.int32)),
                PARTS: pa.array(np.zeros(n, dtype=np.int32))}
    texts = [[("" if v is None else str(v).strip()) for v in c.to_pylist()] for c in columns]
    joined = [" | ".join(parts) for parts in zip(*texts, strict=True)]
    totals = np.zeros(n, dtype=np.int32)
    known = total_values()
    for values in texts:
        totals += np.array([norm_value(v) in known for v in values], dtype=np.int32)
    return {BREAKDOWN: pa.array(joined, pa.string()), TOTALS: pa.array(totals),
            PARTS: pa.array(np.full(n, len(columns), dtype=np.int32))}


@dataclass
class AddedUp:
    """What add_up did, for the report."""

    rows_in: int
    rows_out: int
    shared: int
    """Rows that share their area and period with another row."""
    groups: int
    """Area-and-period groups that had more than one row."""
    used_totals: int
    """Groups where the file's own total row was used."""
    left_out: int
    """Rows left out because a total row of the file already counts them."""
    labels: list[str]
    """'file › sheet' of every row that was added up."""


COUNTS: tuple[str, ...] = tuple(c for c in SUMMARY_NUMBERS if c not in percent_columns("summary") and c != "caseload")
"""Summary columns that add up (counts and FTE); the others are rates, worked out again from these."""


def add_up(stacked: pa.Table, keys: list[str]) -> tuple[pa.Table, AddedUp]:
    """One row per key: total rows where the file has them, else the sum of the finest rows."""
    frame = stacked.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)
    frame["_key"] = frame.groupby(keys, dropna=False, sort=False).ngroup()
    sizes = frame.groupby("_key")["_key"].transform("size")
    single = frame[sizes == 1]
    multi = frame[sizes > 1]
    grand = multi[(multi[PARTS] > 0) & (multi[TOTALS] == multi[PARTS])]
    with_grand = set(grand["_key"])
    rest = multi[~multi["_key"].isin(with_grand)]
    fewest = rest.groupby("_key")[TOTALS].transform("min")  # the finest rows each area has (0 total labels, usually)
    finest = rest[rest[TOTALS] == fewest]
    left_out = len(multi) - len(finest) - len(grand.drop_duplicates("_key"))
    grand_one = grand.drop_duplicates("_key", keep="first")
    summed = _sum(finest) if len(finest) else finest
    out = pd.concat([single, grand_one, summed], ignore_index=True).sort_values("_row", kind="stable")
    out = out.drop(columns=["_key"])
    table = pa.Table.from_pandas(out, preserve_index=False)
    table = table.cast(pa.schema([stacked.schema.field(n) if n in stacked.column_names else table.schema.field(n)
                                  for n in table.column_names]))
    labels = sorted({str(v) for v in multi["_label"].astype("string").dropna()})
    return table, AddedUp(len(frame), len(out), len(multi), int(multi["_key"].nunique()), len(with_grand),
                          int(left_out), labels)


def _sum(part: pd.DataFrame) -> pd.DataFrame:
    """The rows of each key added up: counts summed (unknown when any part is a symbol), rates dropped."""
    counts = [c for c in COUNTS if c in part.columns]
    first = part.groupby("_key", sort=False).first()
    sums = part.groupby("_key", sort=False)[counts].sum(min_count=1)
    for column in counts:
        symbol = f"{column}_symbol"
        if symbol in part.columns:
            hidden = part[symbol].notna() & part[column].isna()
            if hidden.any():
                marked = part.loc[hidden].groupby("_key", sort=False)[symbol].first()
                sums.loc[marked.index, column] = np.nan
                first.loc[marked.index, symbol] = marked
                first.loc[~first.index.isin(marked.index), symbol] = pd.NA
            else:
                first[symbol] = pd.NA
        first[column] = sums[column]
    for column in SUMMARY_NUMBERS:
        if column not in counts and column in first.columns:
            first[column] = np.nan  # a rate of the parts is not the rate of the whole
            if f"{column}_symbol" in first.columns:
                first[f"{column}_symbol"] = pd.NA
    first[BREAKDOWN] = pd.NA
    return first.reset_index()
