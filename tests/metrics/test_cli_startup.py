"""`python -m metrics` imports only what it uses, and hands the file to the reader before the heavy imports.

What the speed of the command line rests on (issue 14), checked as behaviour, not as a timing:
the figures' own libraries wait until the file is being read; the app's (Streamlit, Altair, chart
images, forecasting, the PostgreSQL store) are never imported at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NEVER = ("streamlit", "altair", "vl_convert", "statsmodels", "scipy", "sqlalchemy", "psycopg", "psycopg2",
         "charts", "ui")
LATER = ("pandas", "duckdb", "numpy", "pyarrow", "rapidfuzz", "fastexcel")

STAFF = ("worker_id,service_area,role,worker_type,fte,start_date,end_date\n"
         "W1,Children's Social Work,Social Worker,permanent,1,2020-01-01,\n"
         "W2,Children's Social Work,Social Worker,agency,0.5,2021-06-01,\n"
         "W3,Children's Social Work,Social Worker,permanent,1,2019-01-01,2024-03-31\n")


def _python(code: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})}, check=True)


def test_importing_the_cli_imports_no_data_library():
    done = _python("import sys, json, metrics.cli; print(json.dumps(sorted(sys.modules)))")
    loaded = {m.split(".")[0] for m in json.loads(done.stdout)}
    assert not loaded & {*NEVER, *LATER}


def test_a_whole_run_imports_nothing_of_the_app(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(STAFF, encoding="utf-8")
    code = ("import sys, io, json\nfrom metrics.cli import run\nout, err = io.StringIO(), io.StringIO()\n"
            "assert run([sys.argv[1], '--as-of', '2024-09-30', '--format', 'json'], out, err) == 0, err.getvalue()\n"
            "print(json.dumps({'modules': sorted(sys.modules), 'out': json.loads(out.getvalue())}))")
    done = json.loads(_python(code, str(path)).stdout)
    loaded = {m.split(".")[0] for m in done["modules"]}
    assert not loaded & set(NEVER)
    rows = {r["service_area"]: r for r in done["out"]["rows"]}
    # on 30 Sep 2024: W1 (1 FTE) employed and W2 (0.5 FTE) agency in post; W3 left in March
    assert rows["All"]["fte_in_post"] == 1.0
    assert rows["All"]["agency_rate"] == 0.5 / 1.5


def test_the_file_is_handed_over_before_the_heavy_imports(tmp_path):
    """With WORKFORCE_LENS_CLI_TIMINGS set, the run reports its marks: the read starts before pandas is imported."""
    path = tmp_path / "staff.csv"
    path.write_text(STAFF, encoding="utf-8")
    launch = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "metrics", str(path), "--format", "json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True,
                          env={**os.environ, "WORKFORCE_LENS_CLI_TIMINGS": repr(launch)})
    line = next(x for x in done.stderr.splitlines() if x.startswith("timings: "))
    marks = json.loads(line.removeprefix("timings: "))
    order = ["launch", "main", "read_sent", "imports", "loaded", "workforce", "figures", "printed"]
    assert [marks[m] for m in order] == sorted(marks[m] for m in order)
    assert marks["worker_done"] > marks["read_sent"]
    assert json.loads(done.stdout)["rows"]  # the figures were printed as well


def test_every_figure_is_the_same_from_views_as_from_stored_tables():
    """The command line's Workforce (not materialised: views of the Arrow data) gives the app's figures, all of them."""
    import pandas as pd

    from ingest.loader import load
    from metrics.compute import compute
    from metrics.figures import FIGURES
    from metrics.registry import Params

    result = load([ROOT / "data" / "demo" / "demo_council.xlsx"])
    stored, views = result.to_workforce(), result.to_workforce(materialise=False)
    assert stored.con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'staff'").fetchone()[0] == 1
    assert views.con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'staff'").fetchone()[0] == 0
    for by in (("service_area",), ("team", "role")):
        params = Params(as_of="2026-09-30", by=by, figures=tuple(FIGURES))
        expected, got = compute(stored, params), compute(views, params)
        assert len(expected) > 3
        pd.testing.assert_frame_equal(got, expected)


def test_the_forked_worker_leaves_with_the_command(tmp_path):
    """`python -m metrics` forks its file reader; once the command has printed, no process of it is left."""
    path = tmp_path / "staff-forked.csv"
    path.write_text(STAFF, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "metrics", str(path), "--format", "json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(done.stdout)["rows"]

    def left() -> list[int]:
        found = []
        for proc in Path("/proc").iterdir():
            try:
                if proc.name.isdigit() and str(path).encode() in (proc / "cmdline").read_bytes():
                    status = (proc / "status").read_text()
                    if "\nState:\tZ" not in status:  # a zombie has ended; its parent collects it
                        found.append(int(proc.name))
            except OSError:
                continue
        return found

    deadline = time.monotonic() + 10
    while left() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left() == []


def test_the_rehearsal_takes_its_made_up_rows_through_every_step(monkeypatch):
    """While the worker reads, three made-up rows go through checking, storing and the committee figures."""
    import importlib

    import pytest

    from metrics import cli

    compute_module = importlib.import_module("metrics.compute")  # the module (metrics.compute is also a function)

    answers = []
    real = compute_module.compute
    monkeypatch.setattr(compute_module, "compute", lambda *args: answers.append(real(*args)) or answers[-1])
    cli._rehearse(("service_area",))
    assert len(answers) == 1
    every = answers[0].set_index("service_area").loc["All"]
    # on 30 Sep 2025: R1 (1 FTE, permanent) and R2 (0.5 FTE, agency) in post; R3 left in March
    assert every["agency_rate"] == pytest.approx(0.5 / 1.5)

    def fails(*args):
        raise RuntimeError("a rehearsal that fails")

    monkeypatch.setattr(compute_module, "compute", fails)
    cli._rehearse(("service_area",))  # changes nothing, raises nothing: the run does every step again
