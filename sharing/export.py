"""Downloads: tables as CSV/XLSX, charts as PNG/SVG.

STUB owned by the sharing helper (formula neutralisation, XLSX, vl-convert to come).
"""

from __future__ import annotations

import pandas as pd


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV bytes (with BOM, so Excel opens it correctly)."""
    return df.to_csv(index=False).encode("utf-8-sig")
