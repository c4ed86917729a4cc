"""The Data page's pieces: reading an upload, the load report, the user's own headline figures, coverage.

pages/data.py only places these; the mapping step (every column, its match and why, value maps,
assumptions, a live preview, Apply) is ui.mapping. The pure helpers at the top (no Streamlit)
turn ingest's and metrics' answers into the small tables the page shows, so they can be tested
on their own; the `render_*` functions below them draw one section each.

Privacy: uploaded bytes and what is read from them are held only in this browser session's
memory (`st.session_state`), never written to disk and never logged. Nothing here logs a value
from the upload, its headers included.

Honest status: green only when rows loaded; when nothing loaded the page says why, in red, and
names the data still on screen; a failed upload never leaves demo figures looking like the user's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

import ingest
from ingest import LoadResult, Mapping, UnmatchedSheet, Upload
from ingest.model import AssumptionNeeded, Problem
from ingest.schema import TABLES
from ingest.workforce import Workforce
from ui.state import get_workforce, set_workforce
from ui.text import md_escape  # one escaping helper for every page (kept importable from here)

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_FILE = ROOT / "data" / "templates" / "workforce_lens_template.xlsx"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"



IGNORE = "(ignore this column)"
"""The mapping choice that leaves a header out of the upload (older name; ui.mapping uses NOT_LOADED)."""
NO_ASSUMPTION = "none"
"""The assumption choice that assumes nothing (figures needing the column stay off)."""
NO_ASSUMPTION_TEXT = "Don't assume — leave the figures that need it off"

KEEP_ROWS = 250_000
"""Uploads up to this many rows stay readable in the session after loading, so a match can be changed
without uploading again; a bigger one is kept only while something is left to map."""

# st.session_state keys owned by this module (the Workforce itself lives in ui.state).
K_UPLOAD = "upload.read"  # ingest.Upload: the read step's sheets (cells as text), in session memory only
K_MAPPING = "upload.mapping"  # ingest.Mapping: the user's choices for this upload
K_MAPPING_FILE = "upload.mapping_file"  # a Mapping the user loaded from a file, applied to each new upload
K_LABEL = "upload.label"  # 'Your upload: a.xlsx' for the Workforce
K_SUMMARY = "upload.summary"  # tables_summary() of the applied load
K_SIGNATURE = "upload.signature"  # which uploader selection was last read
K_RESULT = "upload.result"  # the LoadResult applied (the report shows it)
K_NOTICE = "upload.notice"  # (kind, sentence) to show once after a rerun
K_NONCE = "upload.nonce"  # changes the uploader's key to empty it ("Back to demo data")
K_FAILED = "upload.failed"  # the sentence saying the last upload loaded nothing (until the next one)
K_ARRIVAL = "upload.arrival"  # the notice the overview shows after an upload took the user there
K_FILES = "upload.files"  # older name, no longer holding bytes; kept so old sessions are cleaned up


@dataclass(frozen=True)
class UploadedBytes:
    """One uploaded file as held in session memory: its name and its bytes (never written to disk)."""

    name: str
    data: bytes

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)


# ---------------------------------------------------------------------------------------------
# Pure helpers (no Streamlit): testable on their own
# ---------------------------------------------------------------------------------------------


def max_upload_mb() -> int:
    """The upload size limit in MB (ingest reads it from .streamlit/config.toml's server.maxUploadSize)."""
    return int(ingest.MAX_UPLOAD_MB)


def upload_limit_sentence() -> str:
    """What the page says about size and privacy beside the uploader."""
    return (
        f"Up to {max_upload_mb()} MB per file. Your data stays in this browser session only: "
        "it is not saved to disk, not logged, and it is gone when you close the tab."
    )


def files_signature(files: Iterable[Any]) -> tuple[tuple[str, int, str], ...]:
    """A key for an uploader selection (names, sizes, upload ids) telling a new upload from a rerun."""
    return tuple(
        (str(getattr(f, "name", "")), int(getattr(f, "size", 0) or 0), str(getattr(f, "file_id", "")))
        for f in files
    )


def to_uploaded_bytes(files: Iterable[Any]) -> list[UploadedBytes]:
    """Copy Streamlit UploadedFile objects (or any objects with .name and .getvalue()) into session-held bytes."""
    return [UploadedBytes(name=f.name, data=bytes(f.getvalue())) for f in files]


def read_upload(files: Sequence[UploadedBytes], progress: Callable[[str], None] | None = None) -> Upload:
    """Step 1 on (name, bytes) pairs held in memory: ingest.read_upload (nothing written to disk)."""
    return ingest.read_upload([(f.name, f.data) for f in files], progress=progress)


def read_files(
    files: Sequence[UploadedBytes],
    mapping: Mapping | dict[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Read, match, map and validate in one call: ingest.load on (name, bytes) pairs held in memory."""
    return ingest.load([(f.name, f.data) for f in files], mapping=mapping or None, progress=progress)


def upload_label(files: Sequence[Any]) -> str:
    """What the data is, in words, for banners and exports: 'Your upload: a.xlsx, b.csv'."""
    names = [f if isinstance(f, str) else f.name for f in files]
    if len(names) > 3:
        return f"Your upload: {', '.join(names[:3])} and {len(names) - 3} more"
    return "Your upload: " + ", ".join(names)


def tables_summary(result: LoadResult) -> pd.DataFrame:
    """One row per canonical table found: its name in words, its template sheet name, rows loaded and set aside."""
    names = list(result.tables) + [t for t in result.rows_set_aside if t not in result.tables]
    rows = [
        {
            "Table": TABLES[name].label if name in TABLES else name,
            "Sheet name": name,
            "Rows loaded": int(len(result.tables[name])) if name in result.tables else 0,
            "Rows set aside": int(result.rows_set_aside.get(name, 0)),
        }
        for name in names
    ]
    return pd.DataFrame(rows, columns=["Table", "Sheet name", "Rows loaded", "Rows set aside"])


FILE_COLUMNS = ["File", "Sheet", "Read as", "Rows in the file", "Rows loaded", "Rows set aside", "Note"]


def file_counts(result: LoadResult) -> pd.DataFrame:
    """One row per sheet (or CSV file): what it was read as, its rows, how many loaded and were set aside."""
    rows = []
    for count in result.counts:
        note = ""
        if count.combined_into is not None:
            note = f"Added up into {count.combined_into:,} rows (a breakdown)"
        elif count.table is None:
            note = "Not loaded: see the problems below"
        rows.append({"File": count.file, "Sheet": count.sheet or "",
                     "Read as": TABLES[count.table].label if count.table in TABLES else "—",
                     "Rows in the file": count.rows, "Rows loaded": count.loaded, "Rows set aside": count.set_aside,
                     "Note": note})
    return pd.DataFrame(rows, columns=FILE_COLUMNS)


def problem_rows(problems: Iterable[Problem]) -> pd.DataFrame:
    """Every problem as one row: where it is (as the user sees it in Excel), what is wrong, and the value.

    An entry without a row number that stands for several rows (a long group's tail)
    says how many in `Rows`.
    """
    columns = ["Severity", "File", "Sheet", "Excel row", "Column", "Value", "Problem", "Rows"]
    rows = [
        {
            "Severity": p.severity,
            "File": p.file,
            "Sheet": p.sheet or "",
            "Excel row": p.row,
            "Column": p.column or "",
            "Problem": p.message if p.row is not None or p.count <= 1 else f"{p.message} ({p.count:,} more rows)",
            "Value": "" if p.value is None else str(p.value),
            "Rows": int(p.count),
        }
        for p in problems
    ]
    df = pd.DataFrame(rows, columns=columns)
    df["Excel row"] = df["Excel row"].astype("Int64")
    return df


def mapping_options(table: str | None) -> list[str]:
    """Choices for one unmatched header: ignore it, or one of the canonical columns of `table`."""
    if table not in TABLES:
        return [IGNORE]
    return [IGNORE, *TABLES[table].column_names]


def chosen_mapping(choices: dict[str, str]) -> dict[str, str]:
    """The header → canonical column pairs a user chose, ignored headers left out."""
    return {header: column for header, column in choices.items() if column and column != IGNORE}


def preview_with_mapping(preview: pd.DataFrame, choices: dict[str, str], rows: int = 5) -> pd.DataFrame:
    """The first rows of a sheet with the chosen names applied and ignored headers dropped.

    Headers the user has not decided on keep their own name, so the preview shows
    the whole sheet as it will load.
    """
    ignored = [h for h, c in choices.items() if c in (IGNORE, "") and h in preview.columns]
    renamed = preview.drop(columns=ignored).rename(columns=chosen_mapping(choices))
    return renamed.head(rows).astype("string")


def assumption_options(needed: AssumptionNeeded) -> list[str]:
    """Radio options for one offer: assume nothing first, then each explicit assumption."""
    return [NO_ASSUMPTION, *needed.options]


def assumption_text(needed: AssumptionNeeded, key: str) -> str:
    """The words for one radio option."""
    return NO_ASSUMPTION_TEXT if key == NO_ASSUMPTION else needed.options[key]


def chosen_assumptions(choices: dict[str, str]) -> dict[str, str]:
    """Column → option key for the assumptions a user chose (those left at 'don't assume' dropped)."""
    return {column: key for column, key in choices.items() if key and key != NO_ASSUMPTION}


def result_sentence(summary: pd.DataFrame) -> str:
    """One line saying what an upload gave (from tables_summary): rows loaded and set aside, or that nothing loaded."""
    loaded = int(summary["Rows loaded"].sum()) if len(summary) else 0
    if not loaded:
        return "Nothing could be loaded from these files: the report below says why."
    aside = int(summary["Rows set aside"].sum())
    tables = ", ".join(str(t).lower() for t in summary.loc[summary["Rows loaded"] > 0, "Table"])
    return f"Upload read: {loaded:,} rows loaded ({tables}), {aside:,} set aside. The report is below."


def loaded_counts(result: LoadResult) -> tuple[int, int]:
    """(rows loaded, rows set aside) over every sheet of a load."""
    return sum(c.loaded for c in result.counts), sum(c.set_aside for c in result.counts)


def arrival_sentence(result: LoadResult) -> str:
    """What the overview says after an upload took the user there."""
    loaded, aside = loaded_counts(result)
    return (f"Showing your upload: {loaded:,} row{'s' if loaded != 1 else ''} loaded, {aside:,} set aside — "
            "see the load report on the Data page.")


def nothing_loaded_sentence(result: LoadResult, still: str) -> str:
    """The red sentence after an upload that loaded nothing: why, and which data is still on screen."""
    errors = [p for p in result.problems if p.severity == "error" and p.row is None]
    errors = errors or [p for p in result.problems if p.severity in ("error", "warning")]
    why = errors[0].message if errors else "no sheet had a table Workforce Lens recognises."
    files = ", ".join(result.sources) or "these files"
    return (f"Nothing was loaded from {files}. {why} You are still looking at {still}; the figures on every page "
            "are from that, not from this upload.")


def coverage_table(
    availability: dict[str, str | None], figures: dict[str, Any], groups: dict[str, str] | None = None
) -> pd.DataFrame:
    """Which figures are on and which are off (with the reason or the table that would switch them on).

    `groups` maps a Figure.group to its heading, in the order the sections are shown
    (metrics.GROUPS); the Group column holds the heading.
    """
    groups = dict(groups or {})
    order = {g: i for i, g in enumerate(groups)}
    rows = []
    for fid, reason in availability.items():
        fig = figures.get(fid)
        group = getattr(fig, "group", "core") if fig else "core"
        rows.append(
            {
                "_g": order.get(group, len(order)),
                "Group": groups.get(group, str(group).capitalize()),
                "Figure": getattr(fig, "label", fid) if fig else fid,
                "Status": "On" if reason is None else "Off",
                "Why it is off / what would switch it on": "" if reason is None else str(reason),
            }
        )
    columns = ["_g", "Group", "Figure", "Status", "Why it is off / what would switch it on"]
    df = pd.DataFrame(rows, columns=columns)
    return df.sort_values(["_g"], kind="stable").drop(columns="_g").reset_index(drop=True)


def coverage(workforce: Workforce) -> pd.DataFrame:
    """coverage_table for a Workforce, from metrics.availability, metrics.FIGURES and metrics.GROUPS."""
    import metrics

    return coverage_table(metrics.availability(workforce), metrics.FIGURES, metrics.GROUPS)


def off_by_reason(table: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """The figures that are off, gathered by the reason they are off (most figures first): what to add, and what it switches on."""
    off = table[table["Status"] == "Off"]
    reason_col = "Why it is off / what would switch it on"
    groups = [(str(reason), list(part["Figure"])) for reason, part in off.groupby(reason_col, sort=False)]
    return sorted(groups, key=lambda item: -len(item[1]))


def session_coverage(workforce: Workforce) -> pd.DataFrame:
    """coverage() remembered in this session for the Workforce's fingerprint (data or assumptions changed → recomputed)."""
    key = ("upload.coverage", workforce.fingerprint)
    cached = st.session_state.get("upload.coverage")
    if cached is not None and cached[0] == key:
        return cached[1]
    table = coverage(workforce)
    st.session_state["upload.coverage"] = (key, table)
    return table


@cache
def template_bytes() -> bytes | None:
    """The blank upload workbook: built by data.templates, else the committed copy, else None (built once)."""
    try:
        from data.templates import build_template

        return build_template()
    except Exception:  # noqa: BLE001 - fall back to the committed file; the page must not fail for a template
        if TEMPLATE_FILE.exists():
            return TEMPLATE_FILE.read_bytes()
        return None


# ---------------------------------------------------------------------------------------------
# Session state: which upload is being looked at
# ---------------------------------------------------------------------------------------------


def ensure_workforce() -> Workforce:
    """The session's Workforce, loading the demo council first if nothing is loaded yet (as app.py does)."""
    from ui.source import ensure_workforce as _ensure

    return _ensure()


def shared_view_notice() -> bool:
    """In a published snapshot (a shared link) there is nothing to upload: say so and return True."""
    from ui.source import current_source

    try:
        shared = bool(current_source().is_shared)
    except Exception:  # noqa: BLE001 - no snapshot machinery: a live session
        shared = False
    if shared:
        st.info(
            "You are viewing a published snapshot: its figures are fixed and nothing can be uploaded here. "
            "To look at your own data, open Workforce Lens without the snapshot link.",
            icon=":material/lock:",
        )
    return shared


def current_result() -> LoadResult | None:
    """The LoadResult of the upload applied in this session, or None (demo data, or nothing uploaded)."""
    return st.session_state.get(K_RESULT)


def current_upload() -> Upload | None:
    """The read upload held in this session for the mapping step, or None."""
    return st.session_state.get(K_UPLOAD)


def current_mapping() -> Mapping:
    """The user's choices for the upload held in this session."""
    mapping = st.session_state.get(K_MAPPING)
    return mapping if isinstance(mapping, Mapping) else Mapping()


def set_mapping(mapping: Mapping, forget_widgets: bool = False) -> None:
    """Make `mapping` the session's choices (`forget_widgets` when it is replaced as a whole, e.g. from a file)."""
    st.session_state[K_MAPPING] = mapping
    if forget_widgets:
        _forget_choices()


def _forget_choices() -> None:
    """Drop the mapping step's widget state (a new upload or a loaded mapping starts from its own choices)."""
    for key in [k for k in st.session_state if str(k).startswith(("assume.", "map."))]:
        del st.session_state[key]


def clear_upload() -> None:
    """Forget the upload held in this session (what was read, report, mapping, choices) and empty the uploader."""
    for key in (K_FILES, K_UPLOAD, K_SIGNATURE, K_RESULT, K_MAPPING, K_LABEL, K_SUMMARY, K_FAILED, K_ARRIVAL,
                "upload.preview"):
        st.session_state.pop(key, None)
    _forget_choices()
    st.session_state[K_NONCE] = st.session_state.get(K_NONCE, 0) + 1


def back_to_demo() -> None:
    """Button callback: drop the user's data and show the demo council again."""
    clear_upload()
    set_workforce(ingest.load_demo())
    reset_view()
    st.session_state[K_NOTICE] = ("info", "Back on the demo data. Your upload has been removed from this session.")


def uploader_key() -> str:
    """The uploader's widget key (changes after 'Back to demo data', which empties the uploader)."""
    return f"upload.uploader.{st.session_state.get(K_NONCE, 0)}"


def reset_view() -> None:
    """New data: the as-of date goes back to the data's own latest date, and the filters to the whole council.

    The council chosen ('Our council', URL key `la`) stays: it is who the user is, not a view of the data.
    """
    from ui.filters import AS_OF_KEY, FILTERS, request_reset

    request_reset()
    for key in (AS_OF_KEY, *(k for k, _, _ in FILTERS)):
        try:
            if key in st.query_params:
                del st.query_params[key]
        except Exception:  # noqa: BLE001 - a bound parameter: the widget reset carries it
            pass


def activate(result: LoadResult, label: str, assumptions: dict[str, str] | None = None) -> Workforce | None:
    """Build the Workforce from a LoadResult (with the mapping's assumptions) and make it the session's data.

    Returns None (and leaves the current data in place) when nothing could be loaded. A new
    Workforce resets the as-of date to the data's own latest date (reset_view).
    """
    if not result.loaded_anything:
        return None
    workforce = result.to_workforce(dict(assumptions or {}), label)
    set_workforce(workforce)
    reset_view()
    return workforce


def what_is_on_screen() -> str:
    """The data still shown, in words, for a failed upload's message."""
    workforce = get_workforce()
    if workforce is None or workforce.is_demo:
        return "the demo data (a fictional council), not yours"
    return f"your earlier upload ({workforce.label or 'your data'})"


def apply_result(result: LoadResult, label: str) -> bool:
    """Make a load the session's data and report, honestly: True when rows loaded (the data is switched),
    False when nothing loaded (the data on screen stays, and the page says so in red)."""
    st.session_state[K_RESULT] = result
    st.session_state[K_SUMMARY] = tables_summary(result)
    st.session_state[K_LABEL] = label
    if not result.loaded_anything:
        st.session_state[K_FAILED] = nothing_loaded_sentence(result, what_is_on_screen())
        return False
    st.session_state.pop(K_FAILED, None)
    activate(result, label)
    if not result.needs_user and (current_upload() is None or current_upload().rows > KEEP_ROWS):
        st.session_state.pop(K_UPLOAD, None)
    result.release_rows()  # the rows now live in DuckDB
    return True


def process_upload(
    files: Sequence[UploadedBytes],
    mapping: Mapping | dict[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Read the files (step 1), match and load them with the user's mapping, and keep what the mapping step needs.

    The read sheets stay in session memory (never on disk) while a choice may change; the
    session's data switches to the upload only when rows loaded.
    """
    upload = read_upload(files, progress=progress)
    st.session_state[K_UPLOAD] = upload
    base = st.session_state.get(K_MAPPING_FILE)
    chosen = Mapping.coerce(mapping) if mapping is not None else (base.copy() if isinstance(base, Mapping) else Mapping())
    set_mapping(chosen, forget_widgets=True)
    result = ingest.load_upload(upload, chosen, progress=progress)
    if progress is not None and result.loaded_anything:
        progress("Loading the rows into this session's database")
    apply_result(result, upload_label(files))
    return result


def go_to_overview(result: LoadResult, fallback: str = "Upload read") -> None:
    """After a load with nothing left to decide: show the user's own overview, with a notice linking back.

    Keeps the council chosen in the URL (`la`); the filters and as-of date start afresh on the
    new data. Without app.py's navigation (a page run on its own) the page simply reruns.
    """
    st.session_state[K_ARRIVAL] = arrival_sentence(result)
    try:  # the council is a widget bound to the URL (`la`): it keeps itself; the other parameters start afresh
        st.switch_page("pages/overview.py", query_params={})
    except st.errors.StreamlitAPIException:  # no navigation (the page run on its own): stay, and say what loaded
        st.session_state.pop(K_ARRIVAL, None)
        loaded, aside = loaded_counts(result)
        st.session_state[K_NOTICE] = ("success", f"{fallback}: {loaded:,} rows loaded, {aside:,} set aside. "
                                                 "The report is below.")
        st.rerun()


# ---------------------------------------------------------------------------------------------
# Sections of the page
# ---------------------------------------------------------------------------------------------


def render_notice() -> None:
    """Show (once) the sentence left by the last action; and, until the next upload, a failed upload in red."""
    notice = st.session_state.pop(K_NOTICE, None)
    if isinstance(notice, tuple):
        kind, text = notice
        {"success": st.success, "error": st.error, "warning": st.warning}.get(kind, st.info)(text)
    elif notice:
        st.info(notice)
    failed = st.session_state.get(K_FAILED)
    if failed:
        st.error(failed, icon=":material/error:")


def tables_sentence(workforce: Workforce) -> str:
    """'Tables: staff extract, establishment, …' — what the active data holds, in words."""
    names = [TABLES[t].label.lower() for t in workforce.tables if t in TABLES]
    return "Tables: " + (", ".join(names) if names else "none") + "."


def show_table(df: pd.DataFrame, caption: str, *, key: str, row_headers: bool = True, limit: int | None = None,
               more: str = "the download has them all") -> None:
    """A table of the Data page as an HTML table in the page text (ui.tables), counts with thousands separators.

    Every cell is escaped there: file names, sheet names, headers and values come from the upload.
    """
    from ui import tables

    tables.show(tables.as_text(df), caption, key=key, row_headers=row_headers, limit=limit, more=more)


def render_active_data(workforce: Workforce) -> None:
    """Which data is active, in words, and the switch back to the demo."""
    if workforce.is_demo:
        st.info(
            f"**You are looking at demo data** ({md_escape(workforce.label or 'a fictional council')}). "
            f"{tables_sentence(workforce)} Upload your own spreadsheet below to see your council instead.",
            icon=":material/science:",
        )
        return
    st.success(f"**You are looking at your own data**: {md_escape(workforce.label or 'your upload')}. "
               f"{tables_sentence(workforce)}", icon=":material/folder_open:")
    st.button("Back to demo data", on_click=back_to_demo, icon=":material/undo:", key="upload.back_to_demo")


def render_template_download() -> None:
    """The blank workbook to fill in (one sheet per table, with notes and drop-down lists)."""
    data = template_bytes()
    if data is None:
        st.caption("The blank template is not available in this installation.")
        return
    st.download_button(
        "Download the blank template (.xlsx)",
        data=data,
        file_name="workforce_lens_template.xlsx",
        mime=XLSX_MIME,
        icon=":material/download:",
        key="upload.template",
        on_click="ignore",
    )


def render_uploader() -> None:
    """The drag-and-drop uploader. A new selection is read (with a progress box); when it loads with nothing left
    to decide the user goes straight to their overview, otherwise the page reruns on the mapping step."""
    uploaded = st.file_uploader(
        "Upload your workforce spreadsheet(s)",
        type=["xlsx", "csv"],
        accept_multiple_files=True,
        key=uploader_key(),
        help="One workbook with a sheet per table, or one CSV file per table. Drag and drop, or browse.",
    )
    st.caption(upload_limit_sentence())
    if not uploaded:
        return
    signature = files_signature(uploaded)
    if signature == st.session_state.get(K_SIGNATURE):
        return
    st.session_state[K_SIGNATURE] = signature
    files = to_uploaded_bytes(uploaded)
    with st.status(f"Reading {len(files)} file(s)…", expanded=True) as status:

        def step(message: str) -> None:
            status.update(label=f"{md_escape(message)}…")
            status.write(f"{md_escape(message)}…")

        try:
            result = process_upload(files, progress=step)
        except Exception:  # noqa: BLE001 - never a traceback to the user; the message says what to do
            for key in (K_RESULT, K_SUMMARY, K_UPLOAD):
                st.session_state.pop(key, None)
            st.session_state[K_FAILED] = (
                "Sorry, something unexpected went wrong while reading these files, and nothing was loaded. Check "
                "that each is an .xlsx workbook or a .csv file, or start from the blank template. You are still "
                f"looking at {what_is_on_screen()}.")
            status.update(label="These files could not be read", state="error")
            st.error("Sorry, something unexpected went wrong while reading these files, and nothing was loaded. "
                     "Check that each is an .xlsx workbook or a .csv file, or start from the blank template.")
            return
        loaded = result.loaded_anything
        sentence = result_sentence(st.session_state[K_SUMMARY])
        status.update(label=sentence, state="complete" if loaded else "error", expanded=False)
    if loaded and not result.needs_user:
        go_to_overview(result)
    if loaded:
        st.session_state[K_NOTICE] = ("success" if not result.needs_user else "warning",
                                      sentence + (" Some columns need you: see “Check how your columns were read”."
                                                  if result.needs_user else ""))
    st.rerun()  # redraw the whole app (sidebar, filters) on the new data


def render_mapping_file_loader() -> None:
    """Load a mapping saved last month (TOML or JSON): applied to the upload held now and to the next one."""
    from ui import mapping as mapping_ui

    mapping_ui.render_mapping_file_loader()


SEVERITY_WORDS = {"error": "Error: set aside", "warning": "Warning: loaded, check it", "info": "Note"}
"""Severity in words, so the report never relies on colour alone."""

REPORT_NAMES = {
    "severity": "Severity", "file": "File", "sheet": "Sheet", "column": "Column", "message": "Problem",
    "count": "Rows", "example_rows": "Excel rows (first ones)", "example_values": "Example values",
}


def report_table(problems: Sequence[Problem]) -> pd.DataFrame:
    """ingest.problem_report with headings and severities in words, for the page."""
    table = ingest.problem_report(list(problems)).rename(columns=REPORT_NAMES)
    if "Severity" in table.columns:
        table["Severity"] = table["Severity"].map(lambda s: SEVERITY_WORDS.get(s, s))
    return table


MAX_PROBLEM_ROWS = 500
"""Problem rows written out on the page (a table in the page text); the CSV holds every one."""

MAX_LISTED_GROUPS = 25
"""Kinds of problem written out as sentences; the rest are in the table and the CSV."""


def group_sentence(row: pd.Series) -> str:
    """One grouped problem in plain English (markdown, user text escaped): what, where, how many, which rows."""
    where = md_escape(row["file"]) + (f" › {md_escape(row['sheet'])}" if row["sheet"] and row["sheet"] != row["file"] else "")
    if row["column"]:
        where += f", column **{md_escape(row['column'])}**"
    count = int(row["count"])
    rows = f"{count:,} row{'s' if count != 1 else ''}"
    if row["example_rows"]:
        more = "" if count <= len(str(row["example_rows"]).split(",")) else ", …"
        rows += f" (Excel row {md_escape(row['example_rows'])}{more})"
    label = {"error": "Error", "warning": "Warning", "info": "Note"}.get(row["severity"], str(row["severity"]))
    return f"- **{label}** · {where}: {md_escape(row['message'])} — {rows}"


def render_report(result: LoadResult) -> None:
    """The load report: rows per file, problems grouped and counted, the rows behind them, a CSV."""
    st.subheader("Load report: what we found", anchor="load-report")
    counts = file_counts(result)
    if not result.loaded_anything:
        st.error("No table could be loaded from these files. The problems below say why.", icon=":material/error:")
    if not counts.empty:
        show_table(counts, "Rows read from each file and sheet", key="upload.files_table")
    tables = st.session_state.get(K_SUMMARY)
    if tables is None:
        tables = tables_summary(result)
    if not tables.empty:
        show_table(tables, "What was loaded, table by table", key="upload.tables")
    problems = list(result.problems)
    if not problems:
        if result.loaded_anything:
            st.success("No problems found: every row loaded.", icon=":material/check_circle:")
        return
    counts_by = {s: sum(p.count for p in problems if p.severity == s) for s in ("error", "warning", "info")}
    st.markdown(
        f"**{counts_by['error']:,} error(s)** (rows or sheets set aside), **{counts_by['warning']:,} warning(s)** "
        f"(loaded, worth a check) and {counts_by['info']:,} note(s). Row numbers are as you see them in Excel."
    )
    groups = ingest.problem_report(problems)
    st.markdown("\n".join(group_sentence(row) for _, row in groups.head(MAX_LISTED_GROUPS).iterrows()))
    if len(groups) > MAX_LISTED_GROUPS:
        rest = groups.iloc[MAX_LISTED_GROUPS:]
        st.caption(f"{len(rest):,} more kinds of problem ({int(rest['count'].sum()):,} rows): see the table below "
                   "and the CSV.")
        show_table(report_table(problems), "Every kind of problem found, with how many rows", key="upload.problem_groups",
                   row_headers=False)
    rows = problem_rows(problems)
    with st.expander(f"Show every problem row ({len(rows):,})"):
        shown = rows.assign(Severity=rows["Severity"].map(lambda s: SEVERITY_WORDS.get(s, s)))
        show_table(shown, "Every problem row, as you see it in Excel", key="upload.problem_rows", row_headers=False,
                   limit=MAX_PROBLEM_ROWS, more="the CSV below has them all")
    from sharing.export import to_csv_bytes

    st.download_button(
        "Download the problem rows (CSV)",
        data=to_csv_bytes(rows),
        file_name="upload_problems.csv",
        mime="text/csv",
        icon=":material/download:",
        key="upload.problems_csv",
        on_click="ignore",
    )


def render_headline(workforce: Workforce) -> None:
    """The user's own headline tiles on the Data page, and the way to their overview (item: see your figures)."""
    if workforce.is_demo:
        return
    st.subheader("Your headline figures")
    try:
        from ui import assemble, filters, layout

        state = filters.current()
        layout.kpi_tiles(assemble.core_tiles(state))
        if state.as_of is not None:
            st.caption(f"As at {filters.long_date(state.as_of)} (the latest date in your data, unless you chose "
                       "another in the sidebar).")
    except Exception:  # noqa: BLE001 - the tiles are a convenience here; the overview has them too
        st.caption("Your figures are on the overview.")
    overview_link("See your overview", icon=":material/dashboard:")


def overview_link(label: str, icon: str | None = None) -> None:
    """A link to the overview that keeps the chosen council (a plain link when pages are run on their own)."""
    try:
        st.page_link("pages/overview.py", label=label, icon=icon)
    except st.errors.StreamlitAPIException:
        st.markdown(f"[{label}](overview)")


def data_link(label: str = "see the load report") -> None:
    """A link to the Data page's load report."""
    try:
        st.page_link("pages/data.py", label=label, icon=":material/upload_file:")
    except st.errors.StreamlitAPIException:
        st.markdown(f"[{label}](data)")


def render_app_notices(page_title: str | None = None) -> None:
    """What app.py shows on every page: after an upload took the user to the overview, the notice with a link
    back to the load report (once); after a failed upload, a sidebar reminder that the data on screen is not it."""
    failed = st.session_state.get(K_FAILED)
    if failed:
        st.sidebar.error("Your last upload loaded nothing: the figures are not from it (see the Data page).",
                         icon=":material/error:")
    arrival = st.session_state.pop(K_ARRIVAL, None)
    if arrival and page_title != "Your data":
        st.success(arrival, icon=":material/check_circle:")
        data_link()
        workforce = get_workforce()
        from metrics.dates import as_of_warning
        from ui import source

        if workforce is not None:
            stale = as_of_warning(source.default_as_of())
            if stale:
                st.warning(stale, icon=":material/history:")


def unmatched_sheets(result: Any) -> list[UnmatchedSheet]:
    """The sheets the user still has to map (ingest's LoadResult.unmatched), each with unmatched headers."""
    return [u for u in getattr(result, "unmatched", []) or [] if u.unmatched_headers]


def sheet_key(sheet: Any) -> str:
    """A widget-key-safe identifier for a sheet."""
    return f"{sheet.file}|{sheet.sheet or ''}"


def render_coverage(workforce: Workforce) -> None:
    """Which figures are on and which are off, grouped by section, with what would switch each on."""
    st.subheader("Which figures this data switches on")
    try:
        table = session_coverage(workforce)
    except Exception:  # noqa: BLE001 - coverage is advice; the page must still show the rest
        st.caption("Figure coverage is not available yet.")
        return
    if table.empty:
        st.caption("No figures are defined yet.")
        return
    on = int((table["Status"] == "On").sum())
    st.markdown(f"**{on} of {len(table)} figures are on.**")
    reasons = off_by_reason(table)
    if reasons:
        st.markdown("Which figures are off, and why:")
        st.markdown("\n".join(
            f"- {md_escape(reason)} *(switches on {len(labels)}: {md_escape(', '.join(labels))})*" for reason, labels in reasons
        ))
    for group, part in table.groupby("Group", sort=False):
        group_on = int((part["Status"] == "On").sum())
        with st.expander(f"{group}: {group_on} of {len(part)} on"):
            shown = part.drop(columns="Group").assign(Status=part["Status"].map({"On": "✓ On", "Off": "✗ Off"}))
            show_table(shown, f"{group}: which figures are on", key=f"upload.coverage.{group}")


def today() -> dt.date:
    """Today (a function so tests can fix it)."""
    return dt.date.today()
