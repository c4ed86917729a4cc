"""Upload → canonical tables: read xlsx/csv, find headers, map columns, normalise, validate.

Public API (others depend on these names):

- `load(files, mapping=None) -> LoadResult` and `LoadResult.to_workforce(assumptions, label)`
- `load_demo() -> Workforce` (the bundled demo council)
- `problem_report(problems) -> DataFrame` (grouped and counted)
- `MAX_UPLOAD_MB` (from .streamlit/config.toml), `UnmatchedSheet`
- `ingest.mappings.remember(headers, mapping)` / `recall(headers)`

No Streamlit here: the app and `python -m ingest check` call the same functions.
"""

from ingest.config import MAX_UPLOAD_MB
from ingest.loader import LoadResult, UnmatchedSheet, load, load_demo
from ingest.report import problem_report

__all__ = ["MAX_UPLOAD_MB", "LoadResult", "UnmatchedSheet", "load", "load_demo", "problem_report"]
