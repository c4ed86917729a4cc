"""Reading uploaded bytes into raw sheets: every cell as text, with its Excel row number.

A workbook is read with fastexcel (calamine, straight to Arrow); a CSV with
pyarrow after detecting its encoding and delimiter. Nothing here interprets
values: that is `ingest.normalise`'s job. A file that cannot be read yields a
Problem, never an exception. Formulas are never evaluated: calamine returns the
value Excel last saved, and a cell whose text starts with `=` stays plain text.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import re
import struct
import threading
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from ingest.calamine import Workbook
from ingest.model import Problem

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SAMPLE_BYTES = 256 * 1024


@dataclass
class RawSheet:
    """One sheet (or CSV file) as text cells: columns c0..cN, and each row's number as the user sees it."""

    file: str
    sheet: str | None
    cells: pa.Table
    rows: np.ndarray
    """1-based row number (Excel row, or CSV line) of each row of `cells`."""
    column_labels: list[str]
    """How the user names each column's position: Excel letters (A, B, …) or CSV column numbers."""
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Merged ranges as (first row, first column index, last row, last column index); rows 1-based."""
    formulas: list[tuple[int, int]] = field(default_factory=list)
    """Formula cells Excel never worked out (no saved value), as (row, column index); rows 1-based."""

    @property
    def label(self) -> str:
        """'file › sheet' (or just the file for a CSV), as problems and source rows name it."""
        return self.file if not self.sheet else f"{self.file} › {self.sheet}"


def excel_letters(index: int) -> str:
    """0 → 'A', 25 → 'Z', 26 → 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def excel_index(letters: str) -> int:
    """'A' → 0, 'AA' → 26 (inverse of excel_letters)."""
    value = 0
    for ch in letters.upper():
        value = value * 26 + (ord(ch) - 64)
    return value - 1


def sniff_kind(name: str, data: bytes) -> str:
    """What the bytes are: 'xlsx' (zip), 'ole' (encrypted workbook or old .xls), 'csv' (text) or 'binary'."""
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        return "ole"
    head = data[:SAMPLE_BYTES]
    if b"\x00" in head and not (head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE)):
        return "binary"
    suffix = PurePosixPath(name.lower()).suffix
    if suffix in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"):
        return "binary"  # named as a workbook but not one: reported as not a spreadsheet
    return "csv"


def read_file(name: str, data: bytes, workbook: Workbook | None = None) -> tuple[list[RawSheet], list[Problem]]:
    """Every sheet of one file as RawSheets, or the Problems that stopped it being read.

    `workbook`: the same bytes already opened by calamine (ingest.calamine.start), when the caller
    started parsing before it had pyarrow imported.
    """
    kind = sniff_kind(name, data)
    if kind == "xlsx":
        return read_xlsx(name, data, workbook)
    if kind == "ole":
        return read_ole(name, data)
    if kind == "csv":
        return read_csv(name, data)
    return [], [
        Problem(
            name,
            None,
            None,
            None,
            "This file is not a spreadsheet Workforce Lens can read (it is neither an Excel workbook nor a CSV text "
            "file). Save it from Excel as .xlsx or .csv and upload it again.",
        )
    ]


# ---------------------------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------------------------


def read_ole(name: str, data: bytes) -> tuple[list[RawSheet], list[Problem]]:
    """An OLE container: a password-protected workbook (reported), or an old-style .xls (read)."""
    try:
        import msoffcrypto

        encrypted = msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted()
    except Exception:  # noqa: BLE001 - any failure to inspect the container: decide by trying to read it
        encrypted = b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data
    if encrypted:
        return [], [
            Problem(
                name,
                None,
                None,
                None,
                "This workbook is password-protected (encrypted), so it cannot be read. Open it in Excel, remove the "
                "password (File › Info › Protect Workbook › Encrypt with Password, clear it), save and upload again.",
            )
        ]
    return read_xlsx(name, data)


def read_xlsx(name: str, data: bytes, workbook: Workbook | None = None) -> tuple[list[RawSheet], list[Problem]]:
    """Every visible sheet of a workbook, all cells as text, with Excel row numbers and merged ranges."""
    try:
        workbook = workbook or Workbook(data)
    except Exception:  # noqa: BLE001 - calamine raises its own error types for damaged files
        return [], [
            Problem(
                name,
                None,
                None,
                None,
                "This Excel file is damaged or not really a workbook, so it cannot be read. Open it in Excel, "
                "save it again as .xlsx (or export the sheet as CSV) and upload that.",
            )
        ]
    pool = ThreadPoolExecutor(max_workers=1)  # zlib releases the GIL: merged ranges are read alongside calamine
    merges_future = pool.submit(_behind, _merged_ranges, data) if data.startswith(ZIP_MAGIC) else None
    sheets: list[RawSheet] = []
    problems: list[Problem] = []
    read: list[tuple[str, pa.Table, list[int]]] = []
    for sheet_name in workbook.sheet_names:
        try:
            sheet = workbook.sheets[sheet_name].result()
            if getattr(sheet, "visible", "visible") != "visible":
                problems.append(Problem(name, sheet_name, None, None, "Hidden sheet not read.", "info"))
                continue
            offsets = [c.absolute_index for c in sheet.available_columns()]
            batch = sheet.to_arrow()
        except Exception:  # noqa: BLE001 - one unreadable sheet must not stop the others
            problems.append(Problem(name, sheet_name, None, None, "This sheet could not be read; it was skipped."))
            continue
        table = pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch
        read.append((sheet_name, table.rename_columns([f"c{i}" for i in range(table.num_columns)]), offsets))
    merges, formulas = merges_future.result() if merges_future is not None else ({}, {})
    pool.shutdown()
    for sheet_name, table, offsets in read:
        rows = np.arange(1, table.num_rows + 1, dtype=np.int64)
        sheets.append(
            RawSheet(
                file=name,
                sheet=sheet_name,
                cells=table,
                rows=rows,
                column_labels=[excel_letters(i) for i in offsets],
                merges=_relative_merges(merges.get(sheet_name, []), offsets),
                formulas=_relative_cells(formulas.get(sheet_name, []), offsets),
            )
        )
    return sheets, problems


def _behind(function, *args):
    """`function(*args)` on this thread at the lowest CPU priority (Linux: a thread has its own nice value)."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    return function(*args)


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")


def _merged_ranges(data: bytes) -> tuple[dict[str, list[tuple[int, int, int, int]]], dict[str, list[tuple[int, int]]]]:
    """(sheet name → merged ranges, sheet name → formula cells with no saved value), read from the XML.

    Merged ranges are (row1, col1, row2, col2), rows 1-based, columns 0-based absolute. A formula
    cell has no saved value when it has no `<v>` at all (openpyxl and others write formulas so), or
    when the workbook asks Excel to recalculate everything on opening (`fullCalcOnLoad`, as
    XlsxWriter does) and the cell holds the placeholder 0: its value was never worked out.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            workbook = archive.read("xl/workbook.xml")
            recalc = b'fullCalcOnLoad="1"' in workbook or b"fullCalcOnLoad=\"true\"" in workbook
            rels = archive.read("xl/_rels/workbook.xml.rels")
            targets = {}
            for tag in _REL.findall(rels):
                attrs = dict(_ATTR.findall(tag))
                targets[attrs.get(b"Id", b"")] = attrs.get(b"Target", b"").decode()
            found: dict[str, list[tuple[int, int, int, int]]] = {}
            formulas: dict[str, list[tuple[int, int]]] = {}
            for tag in _SHEET.findall(workbook):
                attrs = dict(_ATTR.findall(tag))
                target = targets.get(attrs.get(b"r:id", b""), "")
                if not target:
                    continue
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                if not _mentions(archive, data, path, (b"<f", b"mergeCell")):
                    continue  # most sheets: read once in pieces, never held whole
                xml = archive.read(path)
                name = _xml_unescape(attrs.get(b"name", b"").decode("utf-8"))
                if b"<f" in xml:
                    cells = _unsaved_formulas(xml, recalc)
                    if cells:
                        formulas[name] = cells
                if b"mergeCell" not in xml:
                    continue
                found[name] = [
                    (int(r1), excel_index(c1.decode()), int(r2), excel_index(c2.decode()))
                    for c1, r1, c2, r2 in _MERGE.findall(xml)
                ]
            return found, formulas
    except Exception:  # noqa: BLE001 - merged cells are a nicety; a workbook calamine reads still loads
        return {}, {}


def _mentions(archive: zipfile.ZipFile, data: bytes, path: str, needles: tuple[bytes, ...]) -> bool:
    """True when a part's unpacked text holds any of `needles`, unpacked a megabyte at a time.

    A 100,000-row sheet unpacks to about 70 MB while calamine reads the same part. Looking through
    it in pieces keeps each piece in the processor's cache and never holds the whole text, and
    ISA-L (isal) unpacks it in about half zlib's time: 0.13 s of CPU instead of 0.26 s, which on two
    cores is time taken from calamine and the imports beside it (issue 14).
    """
    overlap = max(len(n) for n in needles) - 1
    tail = b""
    for text in _pieces(archive, data, path):
        seam = tail + text[:overlap]  # a needle split between two pieces
        if any(n in text or n in seam for n in needles):
            return True
        tail = text[-overlap:]
    return False


_PIECE = 1 << 20


def _pieces(archive: zipfile.ZipFile, data: bytes, path: str) -> Iterator[bytes]:
    """A part's unpacked bytes, a megabyte at most at a time (ISA-L for a deflated part, else zipfile)."""
    info = archive.getinfo(path)
    start = info.header_offset
    local = data[start:start + 30]
    if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1 or local[:4] != ZIP_MAGIC:
        with archive.open(path) as part:
            while text := part.read(_PIECE):
                yield text
        return
    from isal import isal_zlib

    name_length, extra_length = struct.unpack("<HH", local[26:30])
    begin = start + 30 + name_length + extra_length
    packed = memoryview(data)[begin:begin + info.compress_size]
    inflate = isal_zlib.decompressobj(-15)
    for at in range(0, len(packed), _PIECE // 4):
        text = inflate.decompress(packed[at:at + _PIECE // 4], _PIECE)
        while text:
            yield text
            text = inflate.decompress(inflate.unconsumed_tail, _PIECE) if inflate.unconsumed_tail else b""
    if rest := inflate.flush():
        yield rest


_FORMULA_CELL = re.compile(
    rb'<(?:\w+:)?c r="([A-Z]+)(\d+)"([^>]*)>\s*(?:<(?:\w+:)?f\b[^>]*/>|<(?:\w+:)?f\b[^>]*>.*?</(?:\w+:)?f>)'
    rb'\s*(<(?:\w+:)?v>(.*?)</(?:\w+:)?v>|<(?:\w+:)?v/>)?',
    re.S,
)


def _unsaved_formulas(xml: bytes, recalc: bool) -> list[tuple[int, int]]:
    """(row, absolute column) of the formula cells in a sheet's XML whose value was never worked out."""
    out = []
    for letters, row, attrs, value_tag, value in _FORMULA_CELL.findall(xml):
        text_result = b't="str"' in attrs or b't="s"' in attrs
        if not value_tag or (recalc and value.strip() == b"0" and not text_result):
            out.append((int(row), excel_index(letters.decode())))
    return out


def _relative_cells(cells: list[tuple[int, int]], offsets: list[int]) -> list[tuple[int, int]]:
    """Cells with absolute column indexes turned into positions among the sheet's read columns."""
    position = {absolute: i for i, absolute in enumerate(offsets)}
    return [(row, position[col]) for row, col in cells if col in position]


def _xml_unescape(text: str) -> str:
    """Undo the five XML entities in a sheet name."""
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(entity, char)
    return text


def _relative_merges(merges: list[tuple[int, int, int, int]], offsets: list[int]) -> list[tuple[int, int, int, int]]:
    """Merged ranges with absolute column indexes turned into positions among the sheet's read columns."""
    position = {absolute: i for i, absolute in enumerate(offsets)}
    out = []
    for r1, c1, r2, c2 in merges:
        cols = [position[c] for c in range(c1, c2 + 1) if c in position]
        if cols:
            out.append((r1, cols[0], r2, cols[-1]))
    return out


# ---------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------


def detect_encoding(data: bytes, partial: bool = False) -> tuple[str, int, str | None]:
    """(pyarrow encoding name, bytes of BOM to skip, a note for the user or None).

    `partial`: `data` is only the start of the file (it may end mid-character).
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf8", 3, None
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", 0, "The file is UTF-16 text; it was read as such."
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 1 << 20
    try:
        for start in range(0, len(data), step):
            decoder.decode(data[start : start + step], final=not partial and start + step >= len(data))
        return "utf8", 0, None
    except UnicodeDecodeError as exc:
        bad = start + exc.start
    encoding = "cp1252"  # what Excel on Windows writes for "CSV (Comma delimited)" in the UK
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        encoding = _guess_encoding(data[max(0, bad - SAMPLE_BYTES // 2) : bad + SAMPLE_BYTES // 2])
    return (
        encoding,
        0,
        f"The file is not UTF-8; it was read as {encoding.replace('cp1252', 'Windows-1252 (Excel)')} text.",
    )


def _guess_encoding(sample: bytes) -> str:
    """charset-normalizer's best guess for text that is neither UTF-8 nor Windows-1252 (latin-1 if none)."""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(sample).best()
        if best is not None:
            codecs.lookup(best.encoding)
            return best.encoding
    except Exception:  # noqa: BLE001 - detection is a nicety; latin-1 reads any byte
        pass
    return "latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV sample: comma, semicolon, tab or pipe (comma when unsure)."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines[:30]), delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sum(line.count(d) for line in lines) for d in ",;\t|"}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def read_csv(name: str, data: bytes) -> tuple[list[RawSheet], list[Problem]]:
    """A CSV file as one RawSheet of text cells (any common encoding; comma, semicolon or tab).

    The first lines (title block and header) are parsed with Python's csv module;
    everything after the header goes through pyarrow's multi-threaded reader. If
    any data line has a different number of cells (trailing blanks trimmed, say),
    the file is re-read line by line so short rows are padded, not lost. The
    encoding is judged from the start of the file; if a later byte proves it is
    not UTF-8 after all, the whole file is judged and read again.
    """
    blank = b" \r\n\t\xef\xbb\xbf,;"
    if not data[:SAMPLE_BYTES].strip(blank) and not data.strip(blank):
        return [], [Problem(name, None, None, None, "This file is empty: there is nothing in it to load.")]
    encoding, skip, note = detect_encoding(data[: 4 * SAMPLE_BYTES], partial=len(data) > 4 * SAMPLE_BYTES)
    if encoding == "utf8":
        sheets, problems = _read_csv_as(name, data, encoding, skip, note, strict=True)
        if sheets is not None:
            return sheets, problems
        encoding, skip, note = detect_encoding(data)
    sheets, problems = _read_csv_as(name, data, encoding, skip, note, strict=False)
    return sheets or [], problems


def _read_csv_as(
    name: str, data: bytes, encoding: str, skip: int, note: str | None, strict: bool
) -> tuple[list[RawSheet] | None, list[Problem]]:
    """Read the CSV in one encoding; (None, []) when `strict` and the bytes turn out not to be valid UTF-8."""
    from ingest.header import find_header_row

    problems: list[Problem] = []
    if note:
        problems.append(Problem(name, None, None, None, note, "info"))
    body = memoryview(data)[skip:]
    codec = "utf-8" if encoding == "utf8" else encoding
    sample_text = bytes(body[:SAMPLE_BYTES]).decode(codec, errors="replace")
    delimiter = sniff_delimiter(sample_text)
    if delimiter == ";":
        problems.append(Problem(name, None, None, None, "Columns are separated by semicolons; read as such.", "info"))
    head_lines = sample_text.splitlines(keepends=True)
    if len(head_lines) > 1 and len(body) > SAMPLE_BYTES:
        head_lines = head_lines[:-1]  # the sample may end mid-line
    head_rows = list(csv.reader([line.rstrip("\r\n") for line in head_lines[:60]], delimiter=delimiter))
    header_at = find_header_row(head_rows)
    width = max((len(r) for r in head_rows), default=0)
    if header_at is None or width == 0:
        return [], [Problem(name, None, None, None, "This file is empty: there is nothing in it to load.")]
    prefix_rows = head_rows[: header_at + 1]
    offset = len("".join(head_lines[: header_at + 1]).encode(codec, errors="replace"))
    if encoding == "utf-16":
        offset = None  # multi-byte text: use the line-by-line reader
    rest = body[offset:] if offset is not None else memoryview(b"")
    cells = rows = None
    if offset is not None:
        cells, rows = _fast_rest(rest, encoding, delimiter, width)
    if cells is None and strict and encoding == "utf8":
        try:
            bytes(body).decode("utf-8")
        except UnicodeDecodeError:
            return None, []
    if cells is None:
        text = bytes(body).decode(codec, errors="replace")
        all_rows, line_numbers = _slow_rows(text, delimiter, len(head_rows[header_at]), name, problems)
        width = max((len(r) for r in all_rows), default=0)
        prefix_rows, data_rows = all_rows[: header_at + 1], all_rows[header_at + 1 :]
        cells = _rows_to_table(data_rows, width)
        rows = np.asarray(line_numbers[header_at + 1 :], dtype=np.int64)
    else:
        rows = rows + header_at + 1
    prefix = _rows_to_table(prefix_rows, cells.num_columns)
    table = pa.concat_tables([prefix, cells])
    all_numbers = np.concatenate([np.arange(1, len(prefix_rows) + 1, dtype=np.int64), rows])
    labels = [str(i + 1) for i in range(table.num_columns)]
    return [RawSheet(file=name, sheet=None, cells=table, rows=all_numbers, column_labels=labels)], problems


def _fast_rest(
    rest: memoryview, encoding: str, delimiter: str, width: int
) -> tuple[pa.Table | None, np.ndarray | None]:
    """The data lines after the header through pyarrow, or (None, None) when a line is not `width` cells wide."""
    names = [f"c{i}" for i in range(width)]
    if not bytes(rest[:SAMPLE_BYTES]).strip() and not bytes(rest).strip():
        return pa.table({n: pa.array([], pa.string()) for n in names}), np.zeros(0, dtype=np.int64)
    ragged: list[int] = []

    def on_invalid(row) -> str:
        ragged.append(1)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.py_buffer(rest),  # zero-copy view of the upload
            read_options=pacsv.ReadOptions(encoding=encoding, column_names=names, block_size=16 << 20),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                null_values=[""],  # only an empty cell is blank: a team called "NA" stays "NA"
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError, ValueError):
        return None, None
    numbers = None if ragged else _line_numbers(rest, table.num_rows)
    if numbers is None:
        return None, None
    return table, numbers


def _slow_rows(text: str, delimiter: str, width: int = 0, name: str = "", problems: list[Problem] | None = None
               ) -> tuple[list[list[str]], list[int]]:
    """Every row (blank ones too, as the header search counted them) with its 1-based line number.

    Uses Python's csv module, which handles quoted line breaks. A quote mark that is never
    closed would swallow every later line into one cell: a multi-line cell whose inner lines look
    like rows (as many separators as a row has), or that runs to the end of the file, is read again
    line by line with the quote mark kept as text, and a warning names the line.
    """
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, numbers = [], []
    line = 1
    for row in reader:
        end = reader.line_num
        if end > line and _swallowed(lines[line - 1 : end], delimiter, width, end >= len(lines)):
            again = list(csv.reader([x.rstrip("\r\n") for x in lines[line - 1 : end]], delimiter=delimiter,
                                    quoting=csv.QUOTE_NONE))
            rows.extend(again)
            numbers.extend(range(line, line + len(again)))
            if problems is not None:
                problems.append(Problem(
                    name, None, line, None,
                    f"A quote mark (\") on line {line} is never closed, so the {end - line} line(s) after it would "
                    "have been read as one cell. Each line was read as its own row, with the quote mark kept as "
                    "text; check that line in the file.", "warning"))
        else:
            rows.append(row)
            numbers.append(line)
        line = end + 1
    return rows, numbers


def _swallowed(physical: list[str], delimiter: str, width: int, at_end: bool) -> bool:
    """True when a multi-line record is lines swallowed by an unclosed quote, not a cell with line breaks."""
    inner = physical[1:]
    if not inner:
        return False
    looks_like_rows = width > 1 and any(line.count(delimiter) >= width - 1 for line in inner)
    return looks_like_rows or (at_end and len(physical) > 2)


def _rows_to_table(rows: list[list[str]], width: int) -> pa.Table:
    """Python rows (ragged allowed) as a table of `width` string columns c0..; blanks are null."""
    columns = {f"c{i}": [] for i in range(width)}
    for row in rows:
        for i in range(width):
            value = row[i] if i < len(row) else None
            columns[f"c{i}"].append(value if value not in ("", None) else None)
    return pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()})


def _line_numbers(body: memoryview, n_rows: int) -> np.ndarray | None:
    """The 1-based line number (counted from the start of `body`) of each row pyarrow parsed.

    pyarrow skips blank lines, so they are counted here. Assumes no line breaks
    inside quoted cells; when the counts disagree, returns None.
    """
    source, start = (body.obj, len(body.obj) - len(body)) if isinstance(body.obj, bytes) else (bytes(body), 0)
    lines = source.count(b"\n", start) + (0 if source.endswith(b"\n") or len(source) == start else 1)
    if lines == n_rows:
        return np.arange(1, n_rows + 1, dtype=np.int64)
    arr = np.frombuffer(body, dtype=np.uint8)
    ends = np.flatnonzero(arr == 10)
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(arr)]))
    lengths = stops - starts
    has_cr = np.zeros(len(starts), dtype=bool)
    nonempty = np.flatnonzero(lengths > 0)
    has_cr[nonempty] = arr[stops[nonempty] - 1] == 13
    blank = (lengths == 0) | ((lengths == 1) & has_cr)
    numbers = np.flatnonzero(~blank) + 1
    if len(numbers) != n_rows:
        return None  # line breaks inside quoted cells: the caller re-reads line by line for exact numbers
    return numbers.astype(np.int64)
