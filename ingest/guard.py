"""Reading untrusted files where a crash cannot reach the server.

`read_file(name, data)` is `ingest.readers.read_file` behind two walls:

1. **Cheap checks first** (in this process, reading only the zip directory and
   the first kilobytes of each sheet): too many zip entries, too much declared
   uncompressed data, a compression ratio no real spreadsheet has, entries that
   overlap or whose sizes do not match their data, and a sheet whose declared
   `<dimension>` is larger than the limits. What fails is refused with a
   sentence saying why; nothing is parsed.
2. **Parsing in a worker process** (`python -m ingest.guard`, a few kept warm):
   the worker caps its own address space (RLIMIT_AS), CPU time (RLIMIT_CPU) and
   core dumps, and is given a wall-clock deadline. A file that makes the reader
   abort (a Rust allocation failure is SIGABRT, which Python cannot catch), run
   out of memory or spin ends that worker, never the server; the user gets a
   Problem. The worker also refuses output larger than the limits (rows,
   columns, bytes). Results come back as Arrow IPC streams and JSON, never
   pickles, so even a subverted worker cannot run code in the server.

The limits are `[ingest]` in workforce_lens.toml (see `Limits`); a council's
real extract is far below every one. `total_upload_problem` caps what one
upload (one session's selection of files) may add up to. The CLI (`python -m
ingest check`, `python -m metrics`) reads through the same `read_file`, so it
never prints a reader's backtrace either.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import logging
import os
import re
import select
import signal
import struct
import subprocess
import sys
import threading
import time
import zipfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from ingest.model import Problem

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
ISOLATION_ENV = "WORKFORCE_LENS_INGEST_ISOLATION"
"""Set to 'off' to parse in-process (debugging only: a hostile file can then crash the process)."""

_ROW_COLUMN = "__row__"
_HEAD_BYTES = 64 * 1024
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\"")
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


@dataclass(frozen=True)
class Limits:
    """How much one file may ask of the server. Read from `[ingest]` in workforce_lens.toml."""

    max_total_upload_mb: float = 300.0
    """All the files of one upload together (one session's selection)."""
    max_zip_entries: int = 2_000
    """Parts inside one workbook (a real one has a few dozen)."""
    max_uncompressed_mb: float = 1_500.0
    """Declared size of a workbook's parts once unpacked (a 100,000-row extract is about 60 MB)."""
    max_compression_ratio: float = 200.0
    """Unpacked ÷ packed size of one part, checked for parts over `ratio_floor_mb` unpacked."""
    ratio_floor_mb: float = 20.0
    max_rows: int = 1_048_576
    """Rows of one sheet (Excel's own limit)."""
    max_columns: int = 1_000
    """Columns of one sheet or CSV (a staff extract has a few dozen)."""
    max_cells: int = 40_000_000
    """Rows × columns of one sheet, as declared or as read."""
    max_output_mb: float = 1_024.0
    """Text the worker may hand back for one file, in MB (Arrow)."""
    worker_memory_mb: int = 3_072
    """Address space of a worker process (RLIMIT_AS)."""
    worker_cpu_seconds: int = 60
    """CPU time one file may take in the worker (RLIMIT_CPU)."""
    worker_timeout_seconds: float = 90.0
    """Wall-clock time one file may take, including waiting for the disk."""
    workers: int = 2
    """Worker processes kept at most (files beyond that wait their turn)."""

    @classmethod
    def from_settings(cls) -> Limits:
        """The defaults above, overridden by `[ingest]` in workforce_lens.toml."""
        import settings as app_settings

        given = app_settings.section("ingest")
        values = {}
        for f in fields(cls):
            if f.name in given:
                kind = type(getattr(cls, f.name))
                with contextlib.suppress(TypeError, ValueError):
                    values[f.name] = kind(given[f.name])
        return cls(**values)


def limits() -> Limits:
    """The limits in force (workforce_lens.toml `[ingest]`)."""
    return Limits.from_settings()


def _mb(n: float) -> str:
    return f"{n / 1024 / 1024:,.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:,.0f} kB"


# ── 1. cheap checks ───────────────────────────────────────────────────────────


def total_upload_problem(sizes: list[int], limit: Limits | None = None) -> str | None:
    """A sentence refusing an upload whose files add up to more than the per-upload cap, else None."""
    limit = limit or limits()
    total = sum(sizes)
    if total > limit.max_total_upload_mb * 1024 * 1024:
        return (f"These files add up to {_mb(total)}, over the {limit.max_total_upload_mb:,.0f} MB allowed for one "
                "upload. Upload fewer files at once, or save the staff extract as .csv (smaller).")
    return None


def _column_number(letters: str) -> int:
    value = 0
    for ch in letters:
        value = value * 26 + (ord(ch) - 64)
    return value


def declared_size(xml_head: bytes) -> tuple[int, int] | None:
    """(rows, columns) a sheet's `<dimension ref="A1:XFD1048576">` declares, or None when it declares none."""
    match = _DIMENSION.search(xml_head)
    if not match:
        return None
    c1, r1, c2, r2 = (g.decode("ascii") if g else None for g in match.groups())
    if c2 is None:  # a single cell, e.g. "A1"
        c2, r2 = c1, r1
    if not (c1 and r1 and c2 and r2):
        return None
    rows = abs(int(r2) - int(r1)) + 1
    cols = abs(_column_number(c2) - _column_number(c1)) + 1
    return rows, cols


def _is_sheet(name: str) -> bool:
    path = PurePosixPath(name.lower())
    return path.suffix == ".xml" and ("worksheets" in path.parts or "chartsheets" in path.parts)


def check_zip(name: str, data: bytes, limit: Limits | None = None) -> str | None:
    """Why a workbook must not be parsed (zip directory and declared sheet sizes), or None when it may be."""
    limit = limit or limits()
    refuse = "so it was not opened. If it is a real workbook, open it in Excel, save it again and upload that."
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return None  # not a readable zip: the reader says so in its own words
    with archive:
        entries = archive.infolist()
        if len(entries) > limit.max_zip_entries:
            return (f"This workbook is packed with {len(entries):,} parts (a real workbook has a few dozen; the limit "
                    f"is {limit.max_zip_entries:,}), {refuse}")
        total = 0
        spans = []
        for entry in entries:
            total += entry.file_size
            if entry.compress_type != zipfile.ZIP_STORED and entry.compress_size > entry.file_size * 1.02 + 1024:
                return f"This workbook's table of contents does not match its contents (part {entry.filename!r}), {refuse}"
            if entry.file_size > limit.ratio_floor_mb * 1024 * 1024 and entry.compress_size and (
                    entry.file_size / entry.compress_size > limit.max_compression_ratio):
                return (f"One part of this workbook unpacks to {_mb(entry.file_size)} from {_mb(entry.compress_size)} "
                        f"(a ratio of {entry.file_size / entry.compress_size:,.0f} to 1, which no real spreadsheet "
                        f"has), {refuse}")
            spans.append((entry.header_offset, entry.header_offset + 30 + len(entry.orig_filename.encode("utf-8",
                          "replace")) + entry.compress_size))
        if total > limit.max_uncompressed_mb * 1024 * 1024:
            return (f"This workbook unpacks to {_mb(total)}, over the {limit.max_uncompressed_mb:,.0f} MB limit, "
                    f"{refuse}")
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            if start < end:
                return f"This workbook's parts overlap one another (a 'zip bomb'), {refuse}"
        for entry in entries:
            if not _is_sheet(entry.filename):
                continue
            try:
                with archive.open(entry) as handle:
                    head = handle.read(_HEAD_BYTES)
            except Exception:  # noqa: BLE001 - a damaged part: the reader reports it
                continue
            size = declared_size(head)
            if size is None:
                continue
            rows, cols = size
            sheet = PurePosixPath(entry.filename).stem
            if rows > limit.max_rows or cols > limit.max_columns or rows * cols > limit.max_cells:
                return (f"A sheet of this workbook ({sheet}) says it spans {rows:,} rows × {cols:,} columns, over the "
                        f"limits ({limit.max_rows:,} rows, {limit.max_columns:,} columns, {limit.max_cells:,} cells), "
                        "so it was not opened. This usually means something was typed far below or to the right of "
                        "the data: delete the empty rows and columns after the data in Excel, save and upload again.")
    return None


# ── 2. the worker ─────────────────────────────────────────────────────────────


class WorkerFailed(Exception):
    """The worker could not answer for a file: it died, ran out of time, or broke the protocol."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail


def failure_message(failure: WorkerFailed, limit: Limits) -> str:
    """The sentence a user sees when reading a file was stopped."""
    if failure.kind == "time":
        return (f"Reading this file took longer than the {limit.worker_timeout_seconds:,.0f} seconds allowed, so it "
                "was stopped; nothing else was affected. If it is a real extract, save it as .csv (quicker to read) "
                "or split it, and upload again.")
    if failure.kind == "memory":
        return (f"Reading this file needed more than the {limit.worker_memory_mb:,} MB of memory allowed for one "
                "file, so it was stopped; nothing else was affected. This usually means the workbook has content far "
                "below or to the right of the data: delete the empty rows and columns, save and upload again.")
    return ("This file made the spreadsheet reader fail, so reading it was stopped; nothing else was affected. Open it "
            "in Excel, save it again as .xlsx (or export the sheet as CSV) and upload that.")


def _read_exact(stream: BinaryIO, n: int) -> bytes:
    parts, left = [], n
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def _sheet_table(sheet: Any) -> Any:
    """A RawSheet's cells plus its row numbers, as the one Arrow table the worker sends for it."""
    import numpy as np
    import pyarrow as pa

    rows = np.ascontiguousarray(sheet.rows, dtype=np.int64)
    # from the buffer, not pa.array(): that imports pandas (0.2-0.4 s) to ask whether `rows` is a Series
    numbers = pa.Array.from_buffers(pa.int64(), len(rows), [None, pa.py_buffer(rows)])
    return sheet.cells.append_column(_ROW_COLUMN, numbers)


def _write_ipc(sink: Any, table: Any) -> None:
    import pyarrow as pa

    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)


def _ipc_size(table: Any) -> int:
    """How many bytes the table's Arrow IPC stream takes, counted without writing it anywhere."""
    import pyarrow as pa

    counter = pa.MockOutputStream()
    _write_ipc(counter, table)
    return counter.size()


class _Unclosable:
    """The worker's stdout as pyarrow writes to it: an IPC writer finishing its stream must not close the pipe."""

    closed = False

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def write(self, data: Any) -> int:
        return self._stream.write(data)

    def flush(self) -> None:
        self._stream.flush()

    def close(self) -> None:
        """Nothing: the pipe stays open for the next file."""


def _send(stream: BinaryIO, header: dict, tables: list | tuple = ()) -> None:
    """One answer: the JSON header, then each table as a length-prefixed Arrow IPC stream, written straight
    into the pipe.

    Each length is counted first (pa.MockOutputStream, well under a millisecond), so no stream is
    built in memory before it is sent: writing a 20 MB stream into a new buffer took 0.12 s in a fresh
    worker, most of it the kernel handing out fresh pages (issue 14). The bytes are the same as before.
    """
    sizes = [_ipc_size(table) for table in tables]
    encoded = json.dumps(header).encode("utf-8")
    stream.write(struct.pack("<I", len(encoded)))
    stream.write(encoded)
    if tables:
        import pyarrow as pa

        sink = pa.PythonFile(_Unclosable(stream), mode="w")
        for table, size in zip(tables, sizes, strict=True):
            stream.write(struct.pack("<Q", size))
            _write_ipc(sink, table)
    stream.flush()


def _problem_dict(problem: Problem) -> dict:
    return asdict(problem)


def _oversized(sheet: Any, limit: Limits) -> str | None:
    rows, cols = sheet.cells.num_rows, sheet.cells.num_columns
    if rows > limit.max_rows or cols > limit.max_columns or rows * cols > limit.max_cells:
        return (f"This sheet has {rows:,} rows × {cols:,} columns, over the limits ({limit.max_rows:,} rows, "
                f"{limit.max_columns:,} columns, {limit.max_cells:,} cells), so it was not read. Delete the empty "
                "rows and columns after the data, or the columns you do not need, save and upload again.")
    return None


def parse(name: str, data: bytes, limit: Limits) -> tuple[list[Any], list[Problem]]:
    """What the worker does for one file: read it, and refuse sheets and output over the limits.

    A workbook's sheets are handed to calamine first, on a thread, and pyarrow and numpy are
    imported (with ingest.readers) while it parses them (see ingest.calamine).
    """
    import csv

    from ingest import calamine

    workbook = calamine.start(data) if _is_zip(data) else None
    from ingest.readers import read_file as read_raw

    try:
        sheets, problems = read_raw(name, data, workbook)
    except MemoryError:
        raise
    except csv.Error:
        return [], [Problem(name, None, None, None, "This CSV file could not be read: a quoted value never ends "
                            "(a \" opens a value and no \" closes it), or one value is far too long. Check the "
                            "quotes in the file, save it again and upload that.")]
    except Exception:  # noqa: BLE001 - reported as a problem with the file, like the reader's own
        return [], [Problem(name, None, None, None, "This file could not be read.")]
    kept, total = [], 0
    problems = list(problems)
    for sheet in sheets:
        why = _oversized(sheet, limit)
        if why:
            problems.append(Problem(sheet.file, sheet.sheet, None, None, why))
            continue
        total += sheet.cells.nbytes
        kept.append(sheet)
    if total > limit.max_output_mb * 1024 * 1024:
        return [], [*problems, Problem(name, None, None, None, f"This file holds {_mb(total)} of text, over the "
                                       f"{limit.max_output_mb:,.0f} MB read from one file, so it was not loaded.")]
    return kept, problems


def _set_limits(limit: Limits) -> None:
    """Caps this (worker) process puts on itself: address space, and no core files."""
    import resource

    memory = limit.worker_memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # No PR_SET_PDEATHSIG: it fires when the *thread* that started the worker ends (a Streamlit script run),
    # not the server. A worker whose server has gone reads the end of its input and exits.


def _cpu_budget(seconds: int) -> None:
    """Allow `seconds` more CPU time from now (the soft RLIMIT_CPU is cumulative over the process's life)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = int(usage.ru_utime + usage.ru_stime) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = used + seconds
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _import_readers() -> None:
    with contextlib.suppress(Exception):
        import ingest.readers  # noqa: F401


def _worker_main() -> int:
    """The worker loop: read a request from stdin, answer on stdout, until stdin closes."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing a library prints may corrupt the protocol
    _set_limits(limits())
    with contextlib.suppress(Exception):  # imported now, so the first file does not wait for it
        import fastexcel  # noqa: F401
    readers = threading.Thread(target=_import_readers, name="import-readers", daemon=True)
    readers.start()  # pyarrow and numpy, while the first file is on its way (and while calamine parses it)
    while True:
        try:
            (size,) = struct.unpack("<I", _read_exact(stdin, 4))
            request = json.loads(_read_exact(stdin, size))
            (length,) = struct.unpack("<Q", _read_exact(stdin, 8))
            data = _read_exact(stdin, length)
        except EOFError:
            return 0
        limit = Limits(**request["limits"])
        _cpu_budget(limit.worker_cpu_seconds)
        try:
            sheets, problems = parse(request["name"], data, limit)
            tables = [_sheet_table(s) for s in sheets]
        except MemoryError:
            _send(stdout, {"ok": False, "kind": "memory"})
            return 3  # the heap may be in any state: a fresh worker takes the next file
        del data
        header = {"ok": True, "problems": [_problem_dict(p) for p in problems],
                  "sheets": [{"file": s.file, "sheet": s.sheet, "column_labels": list(s.column_labels),
                              "merges": [list(m) for m in s.merges],
                              "formulas": [list(f) for f in s.formulas]} for s in sheets]}
        try:
            _send(stdout, header, tables)
        except Exception:  # noqa: BLE001 - an answer cut short: the reader sees the pipe close (a crash)
            return 3
        del sheets, tables


PIPE_BYTES = 1 << 20
"""Pipe buffer asked for (Linux allows up to /proc/sys/fs/pipe-max-size, 1 MB by default)."""


def _widen_pipe(fd: int) -> None:
    """Make a pipe hold a megabyte instead of 64 kB: a 10 MB workbook crosses in ten writes, not 160.

    Each write that fills the pipe gives up the GIL until the worker drains it, and getting it back
    waits for whatever else this process is doing (a page drawing, the CLI importing pandas); fewer,
    larger writes keep a file's transfer from crawling. Without Linux's F_SETPIPE_SZ, nothing changes.
    """
    import fcntl

    with contextlib.suppress(AttributeError, OSError):
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)


class _Forked:
    """A worker forked from this process, with what `_Worker` uses of subprocess.Popen: pipes, poll, wait, kill."""

    def __init__(self) -> None:
        to_worker, from_worker = os.pipe(), os.pipe()
        for stream in (sys.stdout, sys.stderr):  # nothing buffered here may be written twice
            with contextlib.suppress(Exception):
                stream.flush()
        pid = os.fork()
        if pid == 0:  # the worker: its own session, the pipes as stdin and stdout, no other file open
            code = 1
            try:
                os.setsid()
                os.dup2(to_worker[0], 0)
                os.dup2(from_worker[1], 1)
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 2)
                os.closerange(3, _max_fd())
                code = _worker_main()
            finally:
                os._exit(code)
        os.close(to_worker[0])
        os.close(from_worker[1])
        self.pid = pid
        self.returncode: int | None = None
        self.stdin = os.fdopen(to_worker[1], "wb")
        self.stdout = os.fdopen(from_worker[0], "rb")

    def poll(self) -> int | None:
        if self.returncode is None:
            with contextlib.suppress(ChildProcessError):
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"worker {self.pid}", timeout)
            time.sleep(0.005)
        return self.returncode

    def kill(self) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)


def _max_fd() -> int:
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft if 0 < soft < 1 << 20 else 1 << 16


class _Worker:
    """One worker process and its pipes."""

    def __init__(self, forked: bool = False) -> None:
        if forked:
            self.proc: Any = _Forked()
        else:
            env = {**os.environ, "PYTHONUNBUFFERED": "1"}
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "ingest.guard"], cwd=ROOT, env=env, stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, close_fds=True, start_new_session=True)
        self.used = 0
        for stream in (self.proc.stdin, self.proc.stdout):
            _widen_pipe(stream.fileno())

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=5)
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(Exception):
                stream.close()

    def _read(self, n: int, deadline: float) -> bytearray:
        """Exactly n bytes from the worker, read into one buffer (no joining of pieces), by the deadline."""
        fd = self.proc.stdout.fileno()
        out = bytearray(n)
        view, done = memoryview(out), 0
        while done < n:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerFailed("time")
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                raise WorkerFailed("time")
            got = os.readv(fd, [view[done:]])
            if not got:
                raise WorkerFailed(self._death())
            done += got
        return out

    def _death(self) -> str:
        """Why the worker's pipe closed: 'time' (SIGXCPU), 'memory' (killed or aborted) or 'crash'."""
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "crash"
        if code == -signal.SIGXCPU:
            return "time"
        if code in (-signal.SIGKILL, -signal.SIGABRT, 3):
            return "memory"
        return "crash"

    def run(self, name: str, data: bytes, limit: Limits) -> tuple[dict, list[bytes]]:
        """Send one file, wait for the answer (header and Arrow blobs) within the wall-clock limit."""
        deadline = time.monotonic() + limit.worker_timeout_seconds
        request = json.dumps({"name": name, "limits": asdict(limit)}).encode("utf-8")
        try:
            self.proc.stdin.write(struct.pack("<I", len(request)) + request + struct.pack("<Q", len(data)))
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise WorkerFailed(self._death()) from exc
        # what the worker may send for one file; each part is checked before room is made for it
        budget = int(limit.max_output_mb * 1024 * 1024 * 1.25) + (1 << 20)
        (size,) = struct.unpack("<I", self._read(4, deadline))
        if size > budget:
            raise WorkerFailed("crash", "output over the limit")
        header = json.loads(self._read(size, deadline))
        if not header.get("ok"):
            raise WorkerFailed(str(header.get("kind", "crash")))
        blobs = []
        for _ in header["sheets"]:
            (length,) = struct.unpack("<Q", self._read(8, deadline))
            budget -= length
            if budget < 0:
                raise WorkerFailed("crash", "output over the limit")
            blobs.append(self._read(length, deadline))
        self.used += 1
        return header, blobs


class _Pool:
    """Worker processes kept warm: each file takes one to itself; a failed worker is replaced."""

    RECYCLE_AFTER = 50
    """Files one worker reads before it is replaced (returns memory its heap kept)."""

    def __init__(self) -> None:
        self._idle: list[_Worker] = []
        self._busy = 0
        self._cond = threading.Condition()

    def _take(self, size: int) -> _Worker:
        with self._cond:
            while True:
                while self._idle:
                    worker = self._idle.pop()
                    if worker.alive():
                        self._busy += 1
                        return worker
                    worker.kill()
                if self._busy < max(1, size):
                    self._busy += 1
                    break
                self._cond.wait()
        try:
            return _Worker()
        except Exception:
            with self._cond:
                self._busy -= 1
                self._cond.notify()
            raise

    def _give(self, worker: _Worker | None) -> None:
        with self._cond:
            self._busy -= 1
            if worker is not None:
                self._idle.append(worker)
            self._cond.notify()

    def run(self, name: str, data: bytes, limit: Limits) -> tuple[dict, list[bytes]]:
        """Read one file in a worker; WorkerFailed when the worker could not answer."""
        worker = self._take(limit.workers)
        keep = None
        try:
            answer = worker.run(name, data, limit)
            keep = worker if worker.used < self.RECYCLE_AFTER else None
            return answer
        finally:
            if keep is None:
                worker.kill()
            self._give(keep)

    def warm(self, size: int = 1, forked: bool = False) -> None:
        """Start workers now, so the first upload does not wait for one to import its libraries."""
        with self._cond:
            missing = max(0, size - len(self._idle) - self._busy)
            self._busy += missing
        started = []
        try:
            for _ in range(missing):
                started.append(_Worker(forked))
        finally:
            with self._cond:
                self._busy -= missing
                self._idle.extend(started)
                self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()


_POOL = _Pool()
atexit.register(_POOL.close)


def warm() -> None:
    """Start one worker ahead of the first upload (serve.py calls this)."""
    if isolated():
        with contextlib.suppress(Exception):
            _POOL.warm(1)


def fork_worker() -> None:
    """Start one worker for a command line by forking it (`python -m metrics` calls this first thing).

    A forked worker is ready about 0.07 s sooner than a new interpreter (no start-up, nothing to
    import twice) and has the same limits and protocol. Only while this process has no other
    thread: a server (which has) starts its workers as new processes (`warm`).
    """
    if not isolated():
        return
    if not hasattr(os, "fork") or threading.active_count() > 1:
        warm()
        return
    with contextlib.suppress(Exception):
        _POOL.warm(1, forked=True)


def isolated() -> bool:
    """True unless isolation is switched off (env WORKFORCE_LENS_INGEST_ISOLATION=off, for debugging)."""
    return os.environ.get(ISOLATION_ENV, "").strip().lower() not in ("off", "0", "false", "no")


def _from_ipc(header: dict, blob: bytes) -> Any:
    import numpy as np
    import pyarrow as pa

    from ingest.readers import RawSheet

    table = pa.ipc.open_stream(pa.py_buffer(blob)).read_all()
    rows = table.column(_ROW_COLUMN).to_numpy()
    cells = table.drop_columns([_ROW_COLUMN])
    return RawSheet(file=str(header["file"]), sheet=header["sheet"], cells=cells, rows=np.asarray(rows),
                    column_labels=[str(c) for c in header["column_labels"]],
                    merges=[tuple(int(x) for x in m) for m in header["merges"]],
                    formulas=[tuple(int(x) for x in f) for f in header.get("formulas", [])])


class EarlyRead:
    """A file handed to a worker before anyone asked for it: `read_file(name, data)` later collects the answer.

    The command line starts the parse this way as soon as it has its arguments, then imports
    pandas and DuckDB (most of its start-up) while the worker reads: two cores, both busy.
    """

    def __init__(self, name: str, data: bytes, limit: Limits) -> None:
        self.name, self.data, self.limit = name, data, limit
        self.finished_at: float | None = None
        """time.monotonic() when the worker's answer was in (None until then)."""
        self._answer: tuple[dict, list[bytes]] | None = None
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="ingest-early-read", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._answer = _POOL.run(self.name, self.data, self.limit)
        except BaseException as exc:  # noqa: BLE001 - raised again to whoever collects the answer
            self._failure = exc
        finally:
            self.finished_at = time.monotonic()

    def is_for(self, name: str, data: bytes, limit: Limits) -> bool:
        """True when this is the read `read_file(name, data, limit)` would start."""
        return self.name == name and self.limit == limit and (self.data is data or self.data == data)

    def answer(self) -> tuple[dict, list[bytes]]:
        """The worker's header and Arrow blobs (waiting for them); WorkerFailed as `_Pool.run` raises it."""
        self._thread.join()
        if self._failure is not None:
            raise self._failure
        assert self._answer is not None
        return self._answer


_EARLY: list[EarlyRead] = []
_EARLY_LOCK = threading.Lock()


def start_reading(name: str, data: bytes, limit: Limits | None = None) -> EarlyRead | None:
    """Hand one file to a worker now, so parsing it overlaps what the caller does next.

    `read_file(name, data)` then waits for this answer instead of starting again. None (and nothing
    started) when the cheap checks refuse the file or isolation is off: `read_file` then reads or
    refuses it as usual. A read nobody collects is dropped by `forget_early_reads`.
    """
    limit = limit or limits()
    if not isolated() or (_is_zip(data) and check_zip(name, data, limit)):
        return None
    early = EarlyRead(name, data, limit)
    with _EARLY_LOCK:
        _EARLY.append(early)
    return early


def forget_early_reads() -> None:
    """Drop the early reads nobody collected (each worker still finishes its file, then returns to the pool)."""
    with _EARLY_LOCK:
        _EARLY.clear()


def _claim(name: str, data: bytes, limit: Limits) -> EarlyRead | None:
    with _EARLY_LOCK:
        for i, early in enumerate(_EARLY):
            if early.is_for(name, data, limit):
                return _EARLY.pop(i)
    return None


def _is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06"


def read_file(name: str, data: bytes, limit: Limits | None = None) -> tuple[list[Any], list[Problem]]:
    """Every sheet of one untrusted file as RawSheets, or the Problems that stopped it being read.

    Same answer as ingest.readers.read_file, but a file over the limits is refused
    and a file that crashes or starves the reader ends a worker process, not this one.
    A file already handed to a worker by `start_reading` is not read twice.
    """
    limit = limit or limits()
    early = _claim(name, data, limit) if _EARLY else None
    if early is None:
        if _is_zip(data):
            why = check_zip(name, data, limit)
            if why:
                return [], [Problem(name, None, None, None, why)]
        if not isolated():
            return parse(name, data, limit)
    try:
        header, blobs = early.answer() if early is not None else _POOL.run(name, data, limit)
    except WorkerFailed as failure:
        log.warning("reading an uploaded file stopped: %s", failure.kind)  # no file name or content logged
        return [], [Problem(name, None, None, None, failure_message(failure, limit))]
    problems = [Problem(**p) for p in header["problems"]]
    sheets = [_from_ipc(h, b) for h, b in zip(header["sheets"], blobs, strict=True)]
    return sheets, problems


if __name__ == "__main__":
    raise SystemExit(_worker_main())
