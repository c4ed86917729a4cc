"""GSS/DfE symbols that stand in a numeric cell instead of a number.

They are never zero: a cell holding one is stored as NULL with the symbol kept
beside it (column `<name>_symbol`), so figures can show why a value is missing.
Shared by the upload path (ingest) and the reference data (benchmarks).
"""

from __future__ import annotations

DFE_SYMBOLS: dict[str, str] = {
    "c": "confidential (suppressed to protect individuals)",
    "x": "unavailable",
    "z": "not applicable",
    "u": "low reliability",
    "low": "rounds to zero but is not zero",
    ":": "not available",
    "..": "not available",
}
"""Each recognised symbol and its plain-English meaning."""


def parse_symbol(value: object) -> str | None:
    """Return the DfE symbol a cell holds (normalised, lower case), or None if it holds none."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    return text if text in DFE_SYMBOLS else None


def symbol_meaning(symbol: str | None) -> str:
    """Plain-English meaning of a symbol, for notes beside a figure ('' for None)."""
    if symbol is None:
        return ""
    return DFE_SYMBOLS.get(symbol.lower(), "not available")
