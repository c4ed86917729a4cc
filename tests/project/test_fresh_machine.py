"""The README's two commands work on a fresh machine: they exist, and `make test` installs what the tests use."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _make_dry_run(target: str) -> str:
    """What `make -n TARGET` would run, as if on a fresh clone (no .venv yet, every step listed)."""
    if shutil.which("make") is None:
        pytest.fail("make is needed")
    # run as from a shell, not as a sub-make of `make test` (which would add "make[1]: Entering directory" lines)
    env = {k: v for k, v in os.environ.items() if k not in {"MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES"}}
    return subprocess.run(["make", "--no-print-directory", "-n", "-B", target], cwd=ROOT, check=True,
                          capture_output=True, text=True, timeout=60, env=env).stdout


def test_readme_gives_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^make run\b", readme, re.M), "README must give `make run` as a command"
    assert re.search(r"^make test\b", readme, re.M), "README must give `make test` as a command"


def test_ci_is_a_thin_call_of_make_test():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    assert "make test" in lines
    assert not any("apt-get" in line for line in lines), ".ci/run must not install anything make test does not"


@pytest.mark.parametrize("target", ["test", "run"])
def test_make_installs_the_venv_and_system_packages(target):
    steps = _make_dry_run(target)
    assert "-m venv .venv" in steps
    assert "pip install" in steps
    assert f"tools/system-packages {target}" in steps


def test_make_test_names_only_commands_a_fresh_machine_has():
    """Every program `make -n test` runs is either made by an earlier step or on a fresh machine of our kind."""
    fresh = {"python3", "tools/system-packages", "touch", "mkdir", "rm", "cd", "test", "["}
    made_by_earlier_steps = {".venv/bin/pip", ".venv/bin/python", ".venv/bin/ruff"}
    for line in _make_dry_run("test").splitlines():
        program = line.strip().split()[0]
        assert program in fresh | made_by_earlier_steps, f"make test runs {program!r}, which a fresh machine lacks"


def test_make_test_installs_axe_core_from_its_lock_file():
    steps = _make_dry_run("test")
    assert "npm ci" in steps, "make test must install axe-core (tests/browser/axe) for the accessibility tests"
    assert steps.index("tools/system-packages test") < steps.index("npm ci"), "npm must be installed first"
    assert (ROOT / "tests" / "browser" / "axe" / "package-lock.json").exists()


def test_system_packages_cover_what_the_tests_call():
    script = (ROOT / "tools" / "system-packages").read_text()
    for package in ("chromium", "poppler-utils", "fonts-dejavu-core", "postgresql", "npm"):
        assert package in script, f"tools/system-packages does not install {package}"
    result = subprocess.run(["bash", "-n", str(ROOT / "tools" / "system-packages")], capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr


def test_make_test_writes_the_projects_bytecode_before_pytest():
    """Where PYTHONDONTWRITEBYTECODE is set, every server and CLI the tests start would compile the project again."""
    steps = _make_dry_run("test")
    assert "-m compileall" in steps, "make test must write the project's bytecode (make bytecode)"
    assert steps.index("-m compileall") < steps.index("-m pytest")
