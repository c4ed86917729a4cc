"""Reads workforce_lens.toml: one place for every configurable value (thresholds, paths, defaults)."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
SETTINGS_FILE = Path(os.environ.get("WORKFORCE_LENS_SETTINGS", ROOT / "workforce_lens.toml"))


@cache
def load_settings() -> dict[str, Any]:
    """The whole settings file as a dict (empty if the file is missing)."""
    if not SETTINGS_FILE.exists():
        return {}
    with SETTINGS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def section(name: str) -> dict[str, Any]:
    """One [section] of the settings file (empty dict if absent)."""
    return dict(load_settings().get(name, {}))
