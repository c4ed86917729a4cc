"""Run Workforce Lens for real: warm this process up, then `streamlit run app.py` in it.

A freshly started Streamlit server imports an app's modules, and this app builds
the DfE reference database, only when the first visitor arrives: about a second
and a half on a 2-core machine that the first visitor would wait for. Serving
through this launcher does both before the server starts listening, so the first
visitor waits no longer than the next. `make run` and the Docker image use it.

    python serve.py [streamlit options, e.g. --server.port 8501]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def warm() -> None:
    """Import what the first page needs and build the reference database (nothing is cached about any data)."""
    import charts  # noqa: F401
    import ingest  # noqa: F401
    import metrics  # noqa: F401
    import sharing.gate  # noqa: F401
    import ui.assemble  # noqa: F401
    import ui.blocks  # noqa: F401
    import ui.council  # noqa: F401
    import ui.filters  # noqa: F401
    import ui.source  # noqa: F401
    from ingest import guard
    from reference.store import open_reference

    open_reference()
    guard.warm()  # a file-reading worker process, ready for the first upload
    warm_overview()


def warm_overview() -> None:
    """Run the app once in this process on the demo council, so the first visitor's overview is ready.

    The demo is synthetic and the same for every session, so its figures are cached under one key
    for all of them (ui.source.source_key), its tables are read once per process (ingest.load_demo),
    and the chart specs, descriptions and tiles drawn from them are remembered (ui.memo). Running the
    overview here (Streamlit's AppTest, in this process) fills those caches and imports every module
    a page uses. Nobody's own data is involved: an upload's figures are keyed by its session's data.
    A failure here only costs the first visitor the wait; the server starts regardless.
    """
    import logging

    from streamlit.testing.v1 import AppTest

    quiet = logging.getLogger("streamlit")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # AppTest runs without a server: Streamlit warns about that, harmlessly
    try:
        AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    except Exception as exc:  # noqa: BLE001 - warming is an optimisation, never a reason not to serve
        print(f"Workforce Lens: the demo overview was not warmed ({type(exc).__name__}).", flush=True)
    finally:
        quiet.setLevel(level)


def check_store() -> None:
    """Check the published-data store's schema before serving (creating or upgrading it when allowed).

    A schema this version must not use stops the server with the reason; a database not reachable yet is
    reported and the app starts anyway (live dashboards need no store; the pages that do say so).
    """
    from sharing.store import SchemaMismatch, startup_check

    try:
        print(startup_check(), flush=True)
    except SchemaMismatch as exc:
        sys.exit(f"Workforce Lens will not start: {exc}")


def main(argv: list[str] | None = None) -> None:
    """Warm up, then hand over to Streamlit's own command line (`streamlit run app.py <argv>`)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    warm()
    check_store()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
