"""Finding the header row (it may sit under a title block) and naming the columns."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ingest.synonyms import all_header_words, norm_header

SCAN_ROWS = 30
"""How many rows from the top may hold the header."""
_NUMBER = re.compile(r"^[-+£$€]?\s*[\d,]+(\.\d+)?%?$|^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")


def _filled(row: Sequence[object]) -> list[str]:
    """The non-blank cells of a row, as stripped text."""
    return [str(v).strip() for v in row if v is not None and str(v).strip()]


def find_header_row(rows: Sequence[Sequence[object]]) -> int | None:
    """Index (0-based) of the header among the first rows, or None when they are all blank.

    The row with the most cells that are known headers (any table, any synonym)
    wins, earliest on a tie, if it has at least two. Otherwise the first row that
    is as wide as the widest of the top rows and mostly text (not numbers or dates).
    """
    top = [_filled(r) for r in rows[:SCAN_ROWS]]
    if not any(top):
        return None
    known = all_header_words()

    def score(cells: list[str]) -> int:
        return sum(1 for cell in cells if norm_header(cell) in known or _normalised_known(cell))

    first = next(i for i, cells in enumerate(top) if cells)
    widest = max(len(cells) for cells in top)
    if len(top[first]) == widest >= 2 and score(top[first]) == widest:
        return first  # every cell of the first, widest row is a known header: no later row can score more
    scores = [score(cells) for cells in top]
    best = max(range(len(top)), key=lambda i: (scores[i], -i))
    if scores[best] >= 2:
        return best
    for i, cells in enumerate(top):
        texty = sum(1 for c in cells if not _NUMBER.match(c))
        if len(cells) >= max(1, widest * 0.6) and texty >= len(cells) * 0.6:
            return i
    return next(i for i, cells in enumerate(top) if cells)


def header_names(cells: Sequence[object], labels: Sequence[str]) -> list[str]:
    """The header text of each column; a blank header is named by its position ('Column C').

    Repeated headers get ' (2)', ' (3)' so every name is unique.
    """
    names: list[str] = []
    seen: dict[str, int] = {}
    for value, label in zip(cells, labels, strict=False):
        text = "" if value is None else " ".join(str(value).split())
        if not text:
            text = f"Column {label}"
        key = text.lower()
        seen[key] = seen.get(key, 0) + 1
        names.append(text if seen[key] == 1 else f"{text} ({seen[key]})")
    return names


@lru_cache(maxsize=4096)
def _normalised_known(cell: str) -> bool:
    """True when a cell reads as a known header once normalised ('DateofHire', 'Annual Salary (FTE)')."""
    if len(cell) > 60 or _NUMBER.match(cell):
        return False
    from ingest.match import header_bag, header_phrase, index
    from ingest.schema import TABLES

    phrase, bag = header_phrase(cell), header_bag(cell)
    return any(phrase in index(t).phrase or (bag and bag in index(t).bag) for t in TABLES)
