"""Value objects the ingest step produces: problems found and assumptions needed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Problem:
    """Something wrong with the input, located as the user sees it in Excel.

    `row` is the 1-based row number in the sheet/file (header rows counted), or
    None for a problem with the whole sheet/file. Severity `error` means the row
    (or sheet) was set aside; `warning` means it loaded but deserves a look.
    """

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    severity: Severity = "error"
    value: str | None = None
    count: int = 1
    """How many rows this entry stands for: 1 for a listed row; for the closing entry of a
    long group (row None) the number of further rows with the same problem not listed one by one."""

    @property
    def where(self) -> str:
        """'file › sheet, row 12, column fte' — the location in words."""
        parts = [self.file if not self.sheet or self.sheet == self.file else f"{self.file} › {self.sheet}"]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)


@dataclass(frozen=True)
class AssumptionNeeded:
    """A column the data lacks, and the explicit assumptions a user may choose instead.

    `options` maps an option key (stored in Workforce.assumptions[column]) to
    the sentence shown beside every figure the assumption affects.
    """

    table: str
    column: str
    question: str
    options: dict[str, str] = field(default_factory=dict)


ASSUMPTIONS: dict[str, AssumptionNeeded] = {
    "worker_type": AssumptionNeeded(
        table="staff",
        column="worker_type",
        question="The staff extract has no worker type. Who is in it?",
        options={"permanent": "Assumption: everyone in the extract is a permanent employee (no worker type supplied)."},
    ),
    "fte": AssumptionNeeded(
        table="staff",
        column="fte",
        question="The staff extract has no FTE. How many hours do people work?",
        options={"1.0": "Assumption: everyone works full time (FTE 1.0; no FTE supplied)."},
    ),
}
"""The assumptions the app can offer, keyed by the missing staff column."""
