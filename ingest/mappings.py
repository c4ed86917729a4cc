"""Remembered column mappings: the headers a user mapped by hand, applied again to the same header set.

Stored as JSON keyed by a hash of the normalised, sorted header set. Only headers
and canonical column names are stored, never any data from the upload. The file
is `WORKFORCE_LENS_MAPPINGS` or `~/.workforce_lens/mappings.json`.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ingest.synonyms import norm_header


def store_path() -> Path:
    """Where mappings are kept (read from the environment each time, so tests can point it elsewhere)."""
    default = Path.home() / ".workforce_lens" / "mappings.json"
    return Path(os.environ.get("WORKFORCE_LENS_MAPPINGS", str(default)))


def header_key(headers: Iterable[str]) -> str:
    """A stable key for a set of headers: order, case and punctuation do not matter."""
    normalised = sorted({norm_header(h) for h in headers if str(h).strip()})
    return hashlib.sha256("\x1f".join(normalised).encode()).hexdigest()[:24]


def _read() -> dict[str, dict[str, str]]:
    """The whole store ({} when missing or unreadable)."""
    try:
        data = json.loads(store_path().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def recall(headers: Iterable[str]) -> dict[str, str]:
    """The mapping remembered for exactly this header set ({} if none)."""
    found = _read().get(header_key(list(headers)), {})
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def remember(headers: Iterable[str], mapping: dict[str, str]) -> None:
    """Save `mapping` (header → canonical column) for this header set; written atomically. Never raises."""
    headers = list(headers)
    if not mapping:
        return
    try:
        store = _read()
        store[header_key(headers)] = {str(k): str(v) for k, v in mapping.items()}
        path = store_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".mappings-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(store, handle, indent=1, sort_keys=True)
        os.replace(tmp, path)
    except OSError:
        return
