"""DfE benchmarks: England, region and statistical neighbours beside the council's own figures (no Streamlit)."""

from reference.benchmarks import (
    SN_SERIES,
    Standing,
    UnknownAuthority,
    authorities,
    default_la,
    england,
    latest_benchmarks,
    latest_year,
    neighbour_table,
    neighbours,
    notes,
    peers,
    rank_and_band,
    rank_table,
    region_of,
    resolve,
    series,
    years,
)
from reference.store import open_reference

__all__ = [
    "SN_SERIES", "Standing", "UnknownAuthority", "authorities", "default_la", "england", "latest_benchmarks", "latest_year",
    "neighbour_table", "neighbours", "notes", "open_reference", "peers", "rank_and_band", "rank_table", "region_of",
    "resolve", "series", "years",
]
