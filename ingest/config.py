"""Ingest settings read from the project's configuration files (no Streamlit import)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STREAMLIT_CONFIG = ROOT / ".streamlit" / "config.toml"
DEFAULT_MAX_UPLOAD_MB = 200

EXAMPLE_LIMIT = 1000
"""Rows listed per problem group; every row is still counted (see Problem rows with row=None)."""


def max_upload_mb(path: Path = STREAMLIT_CONFIG) -> int:
    """`server.maxUploadSize` (MB) from .streamlit/config.toml: the one upload limit the page states too."""
    try:
        with path.open("rb") as handle:
            return int(tomllib.load(handle).get("server", {}).get("maxUploadSize", DEFAULT_MAX_UPLOAD_MB))
    except (OSError, tomllib.TOMLDecodeError, TypeError, ValueError):
        return DEFAULT_MAX_UPLOAD_MB


MAX_UPLOAD_MB: int = max_upload_mb()
"""Largest file accepted, in MB."""
