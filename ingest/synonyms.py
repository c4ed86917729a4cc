"""The header synonyms and value normalisations of `synonyms.toml`, loaded once.

All spellings live in the data file; this module only normalises text and looks
spellings up, so adding an HR system's header is an edit to the TOML, not to code.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from ingest.schema import TABLES

SYNONYMS_FILE = Path(__file__).with_name("synonyms.toml")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def norm_header(text: object) -> str:
    """A header reduced for matching: lower case, '&' as 'and', everything but letters and digits removed."""
    return _NON_ALNUM.sub("", str(text).lower().replace("&", "and"))


def norm_value(text: object) -> str:
    """A cell value reduced for matching: lower case, runs of punctuation/space as one space."""
    return _NON_ALNUM.sub(" ", str(text).lower()).strip()


@cache
def raw() -> dict[str, Any]:
    """The whole synonyms file."""
    with SYNONYMS_FILE.open("rb") as handle:
        return tomllib.load(handle)


@cache
def column_lookup(table: str) -> dict[str, tuple[str, int]]:
    """Normalised header → (canonical column, priority) for one table; lower priority wins.

    Priority 0 is the canonical name itself, then the table's own synonyms in file
    order, then the shared (_common) ones.
    """
    data = raw()["columns"]
    lookup: dict[str, tuple[str, int]] = {}
    names = TABLES[table].column_names

    def put(key: str, column: str, priority: int) -> None:
        norm = norm_header(key)
        if norm and (norm not in lookup or lookup[norm][1] > priority):
            lookup[norm] = (column, priority)

    for name in names:
        put(name, name, 0)
    for column, spellings in data.get(table, {}).items():
        for i, spelling in enumerate(spellings):
            put(spelling, column, 1 + i)
    for column, spellings in data.get("_common", {}).items():
        if column in names:
            for i, spelling in enumerate(spellings):
                put(spelling, column, 1000 + i)
    return lookup


@cache
def ignored_headers(table: str) -> frozenset[str]:
    """Normalised headers understood but deliberately not loaded for `table`."""
    return frozenset(norm_header(h) for h in raw().get("ignore", {}).get(table, []))


@cache
def table_keywords() -> dict[str, tuple[str, ...]]:
    """Table → normalised words that identify it in a sheet or file name."""
    return {t: tuple(norm_header(w) for w in words) for t, words in raw()["tables"].items()}


def table_from_name(name: str) -> str | None:
    """The table a sheet/file name points to (longest keyword wins), or None."""
    norm = norm_header(name)
    best: tuple[int, str] | None = None
    for table, words in table_keywords().items():
        for word in words:
            if word and word in norm and (best is None or len(word) > best[0]):
                best = (len(word), table)
    return best[1] if best else None


@cache
def all_header_words() -> frozenset[str]:
    """Every normalised header any table knows (for finding the header row)."""
    words: set[str] = set()
    for table in TABLES:
        words.update(column_lookup(table))
        words.update(ignored_headers(table))
    return frozenset(words)


def fallbacks(table: str) -> dict[str, list[str]]:
    """Column → columns to name a blank value from, in order (e.g. summary service_area)."""
    return dict(raw().get("fallback", {}).get(table, {}))


@cache
def percent_headers() -> frozenset[str]:
    """Normalised headers known to hold percentages (DfE rate columns)."""
    return frozenset(norm_header(h) for h in raw().get("percent", {}).get("percent_headers", []))


def percent_columns(table: str) -> tuple[str, ...]:
    """Canonical rate columns of `table` stored as fractions 0–1."""
    return tuple(raw().get("percent", {}).get(table, []))


@cache
def value_lookup(column: str) -> dict[str, str]:
    """Normalised cell text → canonical value for an enumerated column (worker_type, leaving_reason, gender)."""
    lookup: dict[str, str] = {}
    for canonical, spellings in raw()["values"].get(column, {}).items():
        if isinstance(spellings, str):
            continue
        lookup[norm_value(canonical)] = canonical
        for spelling in spellings:
            lookup.setdefault(norm_value(spelling), canonical)
    return lookup


def value_default(column: str) -> str | None:
    """What an unrecognised value of an enumerated column is stored as (None: it is an error)."""
    return raw()["values"].get("defaults", {}).get(column)


@cache
def derived_lookup(table: str) -> dict[str, tuple[str, int]]:
    """Normalised header → (source column for a derivation, priority), e.g. 'monthlyincome' → monthly_pay."""
    lookup: dict[str, tuple[str, int]] = {}
    for column, spellings in raw().get("derived", {}).get(table, {}).items():
        lookup.setdefault(norm_header(column), (column, 0))
        for i, spelling in enumerate(spellings):
            lookup.setdefault(norm_header(spelling), (column, 1 + i))
    return lookup


def derived_columns(table: str) -> list[str]:
    """The derivation source columns a table may have (staff: employment_status, monthly_pay, ...)."""
    return list(raw().get("derived", {}).get(table, {}))


@cache
def abbreviations() -> dict[str, str]:
    """Header word → what it abbreviates ('emp' → 'employee')."""
    return {str(k).lower(): str(v).lower() for k, v in raw().get("abbreviations", {}).items()}


@cache
def stopwords() -> frozenset[str]:
    """Header words that carry no meaning for matching ('of', 'the', unit words)."""
    return frozenset(str(w).lower() for w in raw().get("stopwords", {}).get("words", []))


@cache
def breakdown_headers() -> frozenset[str]:
    """Normalised headers of obvious breakdown columns (nationality, staff group, ...)."""
    return frozenset(norm_header(h) for h in raw().get("breakdown", {}).get("columns", []))


@cache
def total_values() -> frozenset[str]:
    """Breakdown values that mark a total row ('Total', 'All staff groups'), normalised."""
    return frozenset(norm_value(v) for v in raw().get("breakdown", {}).get("totals", []))


@cache
def kinds() -> dict[str, dict[str, Any]]:
    """Kinds of file that are not workforce extracts: label, header phrases, what the app can and cannot do."""
    return {name: dict(spec) for name, spec in raw().get("kinds", {}).items()}


@cache
def status_yes_headers() -> dict[str, frozenset[str]]:
    """For yes/no status columns: normalised headers where 'yes' means left, and where it means in post."""
    section = raw().get("status_yes", {})
    return {key: frozenset(norm_header(h) for h in section.get(key, [])) for key in ("left", "in_post")}
