"""Upload → canonical tables: read xlsx/csv, find headers, map columns, normalise, validate.

Public API (others depend on these names):

- `load(files, mapping=None) -> LoadResult` and `LoadResult.to_workforce(assumptions, label)`
- `load_demo() -> Workforce` (the bundled demo council)
- `problem_report(problems) -> DataFrame` (grouped and counted)
- `MAX_UPLOAD_MB` (from .streamlit/config.toml), `UnmatchedSheet`
- the steps, for the Data page's mapping step: `read_upload(files) -> Upload`,
  `plan_upload(upload, mapping)`, `load_upload(upload, mapping) -> LoadResult` (the preview)
- `Mapping` (ingest.mappings): the user's choices, round-tripped as TOML or JSON
- `ingest.mappings.remember(headers, mapping)` / `recall(headers)`: the server-side mapping
  library, which does nothing unless an administrator turns it on

No Streamlit here: the app and `python -m ingest check` call the same functions.

The names are imported when first used (PEP 562), not with the package: the file-reading
worker (`python -m ingest.guard`) and the command lines import `ingest.<module>` without
paying for pandas and DuckDB, which only the loader needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_HOME = {
    "MAX_UPLOAD_MB": "ingest.config",
    **{name: "ingest.loader" for name in ("LoadResult", "SheetCount", "SheetPlan", "UnmatchedSheet", "Upload", "load",
                                           "load_demo", "load_upload", "plan_upload", "read_upload")},
    "Mapping": "ingest.mappings",
    "MappingError": "ingest.mappings",
    "problem_report": "ingest.report",
}

__all__ = ["MAX_UPLOAD_MB", "LoadResult", "Mapping", "MappingError", "SheetCount", "SheetPlan", "UnmatchedSheet",
           "Upload", "load", "load_demo", "load_upload", "plan_upload", "problem_report", "read_upload"]

if TYPE_CHECKING:  # pragma: no cover
    from ingest.config import MAX_UPLOAD_MB
    from ingest.loader import (
        LoadResult,
        SheetCount,
        SheetPlan,
        UnmatchedSheet,
        Upload,
        load,
        load_demo,
        load_upload,
        plan_upload,
        read_upload,
    )
    from ingest.mappings import Mapping, MappingError
    from ingest.report import problem_report


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use."""
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'ingest' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
