"""`python -m metrics`: CSV output cannot carry a spreadsheet formula, and files without staff or summary say so."""

from __future__ import annotations

import io

from metrics.cli import run


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_csv_neutralises_formula_cells(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("worker_id,service_area,role,worker_type,fte,start_date\n"
                    'W1,"=HYPERLINK(""http://evil"",""x"")",Social Worker,permanent,1,2020-01-01\n'
                    "W2,@SUM(A1),Social Worker,permanent,1,2020-01-01\n")
    code, out, _ = _run(str(path), "--format", "csv")
    assert code == 0
    cells = [line.split(",")[0] for line in out.splitlines()[1:]]
    assert cells[0].startswith('"\'=HYPERLINK') and "'@SUM(A1)" in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_no_staff_and_no_summary_names_what_is_missing(tmp_path):
    path = tmp_path / "establishment.csv"
    path.write_text("service_area,team,role,funded_fte\nChildren's Social Work,Duty,Social Worker,5\n")
    for fmt in ("table", "csv", "json"):
        code, out, err = _run(str(path), "--format", fmt)
        assert code == 1 and out == ""
        assert "no staff table and no summary table" in err and "found: establishment" in err
        assert "KeyError" not in err
