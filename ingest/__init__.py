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
"""

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

__all__ = ["MAX_UPLOAD_MB", "LoadResult", "Mapping", "MappingError", "SheetCount", "SheetPlan", "UnmatchedSheet",
           "Upload", "load", "load_demo", "load_upload", "plan_upload", "problem_report", "read_upload"]
