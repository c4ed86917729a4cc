"""The validation report: problems grouped and counted, for the app and the CLI."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ingest.model import Problem

REPORT_COLUMNS = ["severity", "file", "sheet", "column", "message", "count", "example_rows", "example_values"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
EXAMPLES = 10


def problem_report(problems: Iterable[Problem]) -> pd.DataFrame:
    """One row per kind of problem (severity, file, sheet, column, message) with how many rows it hit.

    `example_rows` lists the first Excel row numbers ('12, 15, 40'); `count` counts
    every row, including those not listed one by one. Errors first, then warnings, then notes.
    """
    groups: dict[tuple, dict] = {}
    for p in problems:
        key = (p.severity, p.file, p.sheet or "", p.column or "", p.message)
        group = groups.setdefault(key, {"count": 0, "rows": [], "values": []})
        group["count"] += max(int(getattr(p, "count", 1) or 1), 1)
        if p.row is not None and len(group["rows"]) < EXAMPLES:
            group["rows"].append(p.row)
        if p.value is not None and len(group["values"]) < 3 and p.value not in group["values"]:
            group["values"].append(p.value)
    rows = [
        {
            "severity": sev,
            "file": file,
            "sheet": sheet,
            "column": column,
            "message": message,
            "count": g["count"],
            "example_rows": ", ".join(str(r) for r in g["rows"]),
            "example_values": ", ".join(g["values"]),
        }
        for (sev, file, sheet, column, message), g in groups.items()
    ]
    frame = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    if frame.empty:
        return frame
    frame["_order"] = frame["severity"].map(SEVERITY_ORDER).fillna(3)
    frame = frame.sort_values(["_order", "file", "sheet"], kind="stable").drop(columns="_order")
    frame["count"] = frame["count"].astype("int64")
    return frame.reset_index(drop=True)
