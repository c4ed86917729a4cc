"""The README keeps up with the code: its commands, make targets and paths exist."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_python_module_command_exists():
    modules = sorted(set(re.findall(r"python -m ([a-z_.]+)", README)))
    assert "metrics" in modules and "ingest" in modules
    for module in modules:
        assert importlib.util.find_spec(module) is not None, f"README names `python -m {module}`, which is not there"


def test_every_make_target_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    for target in sorted(set(re.findall(r"`make ([a-z][a-z-]*)", README))):
        assert target in targets, f"README names `make {target}`, which the Makefile lacks"


def test_every_path_the_readme_names_exists():
    """Paths from the top of the repository (`ingest/guard.py`, `serve.py`); a bare `fit.py` in a row about
    `charts/` is that folder's, and not checked. `.streamlit/secrets.toml` is the deployer's own file."""
    top = {p.name for p in ROOT.iterdir()}
    named = set(re.findall(r"`((?:[a-z_.]+/)*[A-Za-z_.-]+)`", README))
    paths = {p for p in named if ("/" in p or p in top)} - {".streamlit/secrets.toml"}
    assert "metrics/figures.py" in paths and "ingest/guard.py" in paths and "serve.py" in paths
    missing = sorted(p for p in paths if not (ROOT / p).exists())
    assert not missing, f"README names paths that are not in the repository: {missing}"


def test_the_pages_table_names_every_page():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    titles = [t for t in re.findall(r'st\.Page\([^)]*title="([^"]+)"', app) if t != "Home"]
    section = README.split("## The pages", 1)[1].split("\n## ", 1)[0]
    for title in titles:
        assert f"| {title}" in section or f", {title}" in section, f"the README's pages table lacks {title}"
