"""A workbook's sheets parsed by calamine (fastexcel), on a thread of their own: the part of reading that needs
neither pyarrow nor numpy.

Calamine lets go of the GIL while it parses, so the file-reading worker (ingest.guard) starts it the
moment a workbook arrives and imports pyarrow and numpy meanwhile (about 0.1 s of a 100,000-row
file's read, issue 14); `ingest.readers.read_xlsx` then turns each parsed sheet into Arrow, the
first while calamine parses the next. Every cell is read as text (see ingest.readers).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

LOAD_OPTIONS: dict[str, Any] = {"header_row": None, "skip_rows": 0, "dtypes": "string", "whitespace_as_null": True}


class Workbook:
    """An opened workbook: its sheet names and, per sheet, the Future of calamine's parse of it.

    Opening raises calamine's own error for a file that is not a workbook; a sheet that cannot be
    parsed raises its error from its Future, so the other sheets still load.
    """

    def __init__(self, data: bytes) -> None:
        import fastexcel

        self.reader = fastexcel.read_excel(data)
        self.sheet_names: list[str] = list(self.reader.sheet_names)
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="calamine")
        self.sheets: dict[str, Future] = {
            name: pool.submit(self.reader.load_sheet, name, **LOAD_OPTIONS) for name in self.sheet_names}
        pool.shutdown(wait=False)  # the thread ends once the last sheet is parsed


def start(data: bytes) -> Workbook | None:
    """A workbook with its sheets being parsed, or None when calamine cannot open it (the reader then says why)."""
    try:
        return Workbook(data)
    except Exception:  # noqa: BLE001 - calamine raises its own error types for damaged files
        return None
