"""Files that are not workforce extracts, named for what they look like.

A council's HR team holds other spreadsheets with people-related headers: the gender pay gap
register, trade union facility time returns, the pay multiple, a diversity profile. Loading one
as a staff extract or a summary would give wrong figures, so a sheet whose headers carry a
kind's vocabulary (synonyms.toml [kinds]) is named for what it is, with what the app can and
cannot do with it. The user can still say which table it is on the Data page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ingest.synonyms import kinds, norm_header

MIN_HEADERS = 2
"""A kind is recognised when at least this many headers carry its vocabulary."""


@dataclass(frozen=True)
class Kind:
    """A kind of file that is not a workforce extract, and what to tell the user about it."""

    key: str
    label: str
    can: str
    cannot: str
    headers: tuple[str, ...]
    """The headers that gave it away."""

    def message(self) -> str:
        """The sentence the report shows."""
        return (f"This looks like {self.label} (headers such as {', '.join(repr(h) for h in self.headers[:3])}), not "
                f"a workforce extract. {self.cannot} {self.can} If it really is one of your tables, choose the table "
                "on the Data page.")


def recognise(headers: Sequence[str]) -> Kind | None:
    """The kind of file the headers point to (most headers with its vocabulary), or None."""
    best: Kind | None = None
    for key, spec in kinds().items():
        phrases = [norm_header(p) for p in spec.get("phrases", [])]
        hits = tuple(h for h in headers if any(p and p in norm_header(h) for p in phrases))
        if len(hits) >= MIN_HEADERS and (best is None or len(hits) > len(best.headers)):
            best = Kind(key, str(spec.get("label", key)), str(spec.get("can", "")), str(spec.get("cannot", "")), hits)
    return best
