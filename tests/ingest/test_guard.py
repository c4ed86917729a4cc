"""ingest.guard: hostile files are refused or end a worker process, never this one; the CLI never shows a backtrace."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

import ingest
from benchmarks import hostile_files
from ingest import guard, readers
from tests.ingest.conftest import GOOD, staff_rows, xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> dict[str, Path]:
    """The hostile corpus, written once and shared by the test workers."""
    return hostile_files.write_corpus(tmp_path_factory.getbasetemp().parent / "hostile-corpus")


def _read(corpus, name):
    return guard.read_file(name, corpus[name].read_bytes())


def _messages(problems) -> str:
    return " | ".join(p.message for p in problems)


def test_declared_size_reads_the_dimension_element():
    assert guard.declared_size(b'<worksheet><dimension ref="A1:XFD1048576"/>') == (1_048_576, 16_384)
    assert guard.declared_size(b'<x:dimension ref="B2:D10"/>') == (9, 3)
    assert guard.declared_size(b'<dimension ref="A1"/>') == (1, 1)
    assert guard.declared_size(b"<sheetData>") is None


def test_dimension_bomb_is_refused_before_parsing(corpus):
    sheets, problems = _read(corpus, "dimension_bomb.xlsx")
    assert sheets == []
    assert "1,048,576 rows × 16,384 columns" in _messages(problems)


def test_undeclared_dimension_bomb_ends_the_worker_not_this_process(corpus):
    sheets, problems = _read(corpus, "dimension_bomb_undeclared.xlsx")
    assert sheets == []
    assert "nothing else was affected" in _messages(problems)
    # the pool replaced the worker: the next file reads normally
    good, problems = guard.read_file("staff.xlsx", xlsx_bytes({"Staff": staff_rows(GOOD)}))
    assert problems == [] and good[0].cells.num_rows == 2


@pytest.mark.parametrize(("name", "words"), [
    ("zip_ratio_bomb.xlsx", "ratio of"),
    ("zip_many_entries.xlsx", "packed with 60,005 parts"),
    ("zip_overlap_bomb.xlsx", "unpacks to 2,00"),
    ("zip_lying_sizes.xlsx", "table of contents does not match"),
    ("many_columns.csv", "5,000 columns"),
    ("unbalanced_quotes.csv", "a quoted value never ends"),
    ("billion_laughs.xlsx", "damaged"),
])
def test_each_hostile_file_gets_a_plain_message(corpus, name, words):
    sheets, problems = _read(corpus, name)
    assert sheets == []
    assert words in _messages(problems)


def test_overlapping_zip_entries_are_refused():
    data = hostile_files.zip_overlap_bomb(copies=3, megabytes=1)
    assert "overlap" in guard.check_zip("o.xlsx", data)


def test_a_million_rows_is_read(corpus):
    sheets, problems = _read(corpus, "many_rows.xlsx")
    assert problems == []
    assert sheets[0].cells.num_rows == 1_048_576
    assert sheets[0].rows[-1] == 1_048_576


def test_worker_answer_equals_the_in_process_reader():
    data = xlsx_bytes({"Staff": [["Title"], [], *staff_rows(GOOD, GOOD)]}, merges={"Staff": [(0, 0, 0, 3, "Title")]})
    ours, our_problems = guard.read_file("s.xlsx", data)
    theirs, their_problems = readers.read_file("s.xlsx", data)
    assert our_problems == their_problems
    assert len(ours) == len(theirs) == 1
    a, b = ours[0], theirs[0]
    assert (a.file, a.sheet, a.column_labels, a.merges) == (b.file, b.sheet, b.column_labels, b.merges)
    assert a.cells.equals(b.cells)
    assert a.rows.tolist() == b.rows.tolist() == [1, 2, 3, 4, 5]  # title, blank, header, two people


def test_wall_clock_limit_stops_a_slow_read(monkeypatch):
    slow = dataclasses.replace(guard.limits(), worker_timeout_seconds=0.001)
    sheets, problems = guard.read_file("staff.xlsx", xlsx_bytes({"Staff": staff_rows(GOOD)}), slow)
    assert sheets == []
    assert "took longer than" in _messages(problems)


def test_output_over_the_limits_is_refused():
    narrow = dataclasses.replace(guard.limits(), max_columns=3)
    sheets, problems = guard.read_file("staff.csv", b"a,b,c,d\n1,2,3,4\n", narrow)
    assert sheets == []
    assert "2 rows × 4 columns" in _messages(problems)


def test_total_upload_cap(monkeypatch):
    small = dataclasses.replace(guard.limits(), max_total_upload_mb=0.001)  # about 1 kB
    monkeypatch.setattr(guard, "limits", lambda: small)
    one = xlsx_bytes({"Staff": staff_rows(GOOD)})
    result = ingest.load([("a.xlsx", one), ("b.xlsx", one)])
    assert not result.loaded_anything
    assert "allowed for one upload" in _messages(result.problems)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=180)


def test_cli_never_prints_a_backtrace(corpus):
    """Every hostile file through `python -m ingest check`, and the worst three through `python -m metrics`."""
    runs = [(("-m", "ingest", "check"), name) for name in corpus]
    runs += [(("-m", "metrics"), name) for name in ("dimension_bomb.xlsx", "dimension_bomb_undeclared.xlsx",
                                                     "zip_ratio_bomb.xlsx")]
    for module, name in runs:
        done = _cli(*module, str(corpus[name]))
        text = done.stdout + done.stderr
        assert done.returncode in (0, 1, 2), (name, text)
        assert "Traceback" not in text and "panicked" not in text and "RUST_BACKTRACE" not in text, text
        assert name in text or "No table could be loaded" in text  # the report names the file


# ── early reads: the CLI hands a file over before it imports pandas and DuckDB ──


def test_an_early_read_is_collected_by_read_file_not_read_again(monkeypatch):
    data = xlsx_bytes({"Staff": staff_rows(GOOD, GOOD)})
    early = guard.start_reading("s.xlsx", data)
    assert early is not None
    early.answer()  # the worker has answered; a second parse would now fail loudly:

    def no_second_read(*args, **kwargs):
        raise AssertionError("read twice")

    monkeypatch.setattr(guard._POOL, "run", no_second_read)
    ours, problems = guard.read_file("s.xlsx", bytes(data))  # equal bytes, another object (as the loader reads them)
    theirs, their_problems = readers.read_file("s.xlsx", data)
    assert problems == their_problems and ours[0].cells.equals(theirs[0].cells)
    assert ours[0].rows.tolist() == [1, 2, 3]  # the header and two people
    assert early.finished_at is not None
    assert guard._EARLY == []


def test_an_early_read_answers_only_for_the_same_file():
    one = xlsx_bytes({"Staff": staff_rows(GOOD)})
    two = xlsx_bytes({"Staff": staff_rows(GOOD, GOOD, GOOD)})
    guard.start_reading("s.xlsx", one)
    try:
        sheets, _ = guard.read_file("s.xlsx", two)  # same name, other bytes: read afresh
        assert sheets[0].cells.num_rows == 4
        sheets, _ = guard.read_file("t.xlsx", one)  # same bytes, other name: read afresh (names go in problems)
        assert sheets[0].file == "t.xlsx"
    finally:
        guard.forget_early_reads()
    assert guard._EARLY == []


def test_a_refused_file_is_never_handed_over_early(corpus):
    data = corpus["dimension_bomb.xlsx"].read_bytes()
    assert guard.start_reading("dimension_bomb.xlsx", data) is None
    sheets, problems = guard.read_file("dimension_bomb.xlsx", data)
    assert sheets == [] and "1,048,576 rows × 16,384 columns" in _messages(problems)


def test_an_early_read_that_fails_says_so_like_any_read():
    slow = dataclasses.replace(guard.limits(), worker_timeout_seconds=0.001)
    data = xlsx_bytes({"Staff": staff_rows(GOOD)})
    assert guard.start_reading("s.xlsx", data, slow) is not None
    sheets, problems = guard.read_file("s.xlsx", data, slow)
    assert sheets == [] and "took longer than" in _messages(problems)


FORKED = """
import json, sys
from ingest import guard, readers
guard.fork_worker()
worker = guard._POOL._idle[0]
data = open(sys.argv[1], 'rb').read()
ours, problems = guard.read_file('s.xlsx', data)
theirs, _ = readers.read_file('s.xlsx', data)
print(json.dumps({'kind': type(worker.proc).__name__, 'used': worker.used, 'problems': len(problems),
                  'same': len(ours) == 1 and ours[0].cells.equals(theirs[0].cells) and ours[0].merges == theirs[0].merges
                          and ours[0].rows.tolist() == theirs[0].rows.tolist()}))
"""


def test_a_command_line_forks_its_worker_which_reads_like_a_spawned_one(tmp_path):
    import json

    path = tmp_path / "s.xlsx"
    path.write_bytes(xlsx_bytes({"Staff": [["Title"], [], *staff_rows(GOOD, GOOD)]},
                                merges={"Staff": [(0, 0, 0, 3, "Title")]}))
    done = subprocess.run([sys.executable, "-c", FORKED, str(path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=True)
    assert json.loads(done.stdout) == {"kind": "_Forked", "used": 1, "problems": 0, "same": True}


def test_a_process_with_threads_starts_its_worker_as_a_new_process(monkeypatch):
    """Forking a process that runs other threads (a server) is unsafe: fork_worker spawns instead."""
    import threading

    started = []
    monkeypatch.setattr(threading, "active_count", lambda: 3)
    monkeypatch.setattr(guard._POOL, "warm", lambda size=1, forked=False: started.append(forked))
    guard.fork_worker()
    assert started == [False]


def test_a_worker_claiming_more_than_the_output_limit_is_stopped_before_room_is_made():
    """A subverted worker's header length is checked against the limit before any memory is set aside for it."""
    import io
    import struct

    class Liar(guard._Worker):
        def __init__(self) -> None:
            self.used = 0
            self.proc = type("P", (), {"stdin": io.BytesIO(), "stdout": None, "poll": lambda s: None})()
            self._answer = io.BytesIO(struct.pack("<I", 4_000_000_000))

        def _read(self, n, deadline):
            return bytearray(self._answer.read(n))

    with pytest.raises(guard.WorkerFailed, match="crash"):
        Liar().run("s.csv", b"a,b\n1,2\n", guard.limits())


def test_tables_are_streamed_into_the_pipe_with_their_exact_lengths():
    """The worker writes each sheet's Arrow stream straight into its output after a counted length
    (guard._send): the framing holds, the stream reads back as the same table, and the pipe
    is left open for the next file."""
    import io
    import struct

    import pyarrow as pa

    tables = [pa.table({"c0": ["a", None, "ccc"], "_row": [1, 2, 3]}), pa.table({"c0": ["x" * 5000] * 200})]
    out = io.BytesIO()
    guard._send(out, {"ok": True, "sheets": [{}, {}]}, tables)
    assert not out.closed
    data, at = out.getvalue(), 0
    (size,) = struct.unpack("<I", data[at:at + 4])
    at += 4
    assert guard.json.loads(data[at:at + size]) == {"ok": True, "sheets": [{}, {}]}
    at += size
    for table in tables:
        (length,) = struct.unpack("<Q", data[at:at + 8])
        at += 8
        assert pa.ipc.open_stream(pa.py_buffer(data[at:at + length])).read_all().equals(table)
        at += length
    assert at == len(data)  # nothing after the last stream: the lengths were exact
