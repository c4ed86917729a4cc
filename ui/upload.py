"""The Data page's pieces: reading an upload, the validation report, mapping, assumptions, coverage.

pages/data.py only places these. The pure helpers at the top (no Streamlit) turn
ingest's and metrics' answers into the small tables the page shows, so they can be
tested on their own; the `render_*` functions below them draw one section each.

Privacy: uploaded bytes are held only in this browser session's memory
(`st.session_state`), never written to disk and never logged. Nothing here logs
a value from the upload.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

import ingest
from ingest.model import AssumptionNeeded, Problem
from ingest.schema import TABLES
from ingest.workforce import Workforce
from ui.state import get_workforce, set_workforce

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_FILE = ROOT / "data" / "templates" / "workforce_lens_template.xlsx"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

IGNORE = "(ignore this column)"
"""The mapping choice that leaves a header out of the upload."""
NO_ASSUMPTION = "none"
"""The assumption choice that assumes nothing (figures needing the column stay off)."""
NO_ASSUMPTION_TEXT = "Don't assume — leave the figures that need it off"

# st.session_state keys owned by this module (the Workforce itself lives in ui.state).
K_FILES = "upload.files"  # list[UploadedBytes]: the bytes, in session memory only
K_SIGNATURE = "upload.signature"  # which uploader selection was last read
K_RESULT = "upload.result"  # the LoadResult of the last read
K_MAPPING = "upload.mapping"  # the mapping applied to the last read
K_NOTICE = "upload.notice"  # a sentence to show once after a rerun
K_NONCE = "upload.nonce"  # changes the uploader's key to empty it ("Back to demo data")


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
    return int(getattr(ingest, "MAX_UPLOAD_MB", 200))


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


def _load_accepts(name: str) -> bool:
    """True when ingest.load takes a keyword argument called `name` (e.g. a progress callback)."""
    try:
        return name in inspect.signature(ingest.load).parameters
    except (TypeError, ValueError):
        return False


def read_files(
    files: Sequence[UploadedBytes],
    mapping: dict | None = None,
    progress: Callable[[str], None] | None = None,
) -> Any:
    """Read, match, validate: ingest.load on (name, bytes) pairs; returns its LoadResult.

    The bytes are passed from memory; nothing is written to disk. When ingest.load
    takes a `progress` callback, the page's status box shows its steps as they happen.
    """
    pairs = [(f.name, f.data) for f in files]
    kwargs: dict[str, Any] = {"mapping": mapping or None}
    if progress is not None and _load_accepts("progress"):
        kwargs["progress"] = progress
    return ingest.load(pairs, **kwargs)


def upload_label(files: Sequence[UploadedBytes]) -> str:
    """What the data is, in words, for banners and exports: 'Your upload: a.xlsx, b.csv'."""
    names = [f.name for f in files]
    if len(names) > 3:
        return f"Your upload: {', '.join(names[:3])} and {len(names) - 3} more"
    return "Your upload: " + ", ".join(names)


def tables_summary(result: Any) -> pd.DataFrame:
    """One row per canonical table found: its name in words, rows loaded and rows set aside."""
    aside = dict(getattr(result, "rows_set_aside", {}) or {})
    rows = []
    for name, table in (getattr(result, "tables", {}) or {}).items():
        label = TABLES[name].label if name in TABLES else name
        rows.append({"Table": label, "Sheet name": name, "Rows loaded": int(len(table)), "Rows set aside": int(aside.get(name, 0))})
    for name, count in aside.items():
        if name not in (getattr(result, "tables", {}) or {}):
            label = TABLES[name].label if name in TABLES else name
            rows.append({"Table": label, "Sheet name": name, "Rows loaded": 0, "Rows set aside": int(count)})
    return pd.DataFrame(rows, columns=["Table", "Sheet name", "Rows loaded", "Rows set aside"])


def problem_rows(problems: Iterable[Problem]) -> pd.DataFrame:
    """Every problem as one row (where it is, as the user sees it in Excel, and what is wrong)."""
    rows = [
        {
            "Severity": p.severity,
            "File": p.file,
            "Sheet": p.sheet or "",
            "Excel row": p.row,
            "Column": p.column or "",
            "Problem": p.message,
            "Value": "" if p.value is None else str(p.value),
        }
        for p in problems
    ]
    df = pd.DataFrame(rows, columns=["Severity", "File", "Sheet", "Excel row", "Column", "Problem", "Value"])
    df["Excel row"] = df["Excel row"].astype("Int64")
    return df


def problem_groups(problems: Sequence[Problem]) -> pd.DataFrame:
    """Problems grouped and counted: ingest.problem_report when it exists, else by severity and message."""
    report = getattr(ingest, "problem_report", None)
    if report is not None:
        return report(list(problems))
    df = problem_rows(problems)
    if df.empty:
        return pd.DataFrame(columns=["Severity", "Problem", "Count"])
    return df.groupby(["Severity", "Problem"], as_index=False).size().rename(columns={"size": "Count"})


SEVERITY_WORDS = {"error": "Error — row set aside", "warning": "Warning — loaded, worth a look", "info": "Note"}
"""Severity in words, so the report never relies on colour alone."""


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
    ignored = [h for h, c in choices.items() if c == IGNORE and h in preview.columns]
    renamed = preview.drop(columns=ignored).rename(columns=chosen_mapping(choices))
    return renamed.head(rows).astype("string")


def assumption_options(needed: AssumptionNeeded) -> list[str]:
    """Radio options for one missing column: assume nothing first, then each explicit assumption."""
    return [NO_ASSUMPTION, *needed.options]


def assumption_text(needed: AssumptionNeeded, key: str) -> str:
    """The words for one radio option."""
    return NO_ASSUMPTION_TEXT if key == NO_ASSUMPTION else needed.options[key]


def chosen_assumptions(choices: dict[str, str]) -> dict[str, str]:
    """Column → option key for the assumptions a user chose (those left at 'don't assume' dropped)."""
    return {column: key for column, key in choices.items() if key and key != NO_ASSUMPTION}


def _figures() -> dict[str, Any]:
    """metrics.FIGURES as a dict id → Figure (it may be declared as a dict or a sequence)."""
    import metrics

    figures = getattr(metrics, "FIGURES", {})
    return dict(figures) if isinstance(figures, dict) else {f.id: f for f in figures}


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

    return coverage_table(metrics.availability(workforce), _figures(), getattr(metrics, "GROUPS", None))


def template_bytes() -> bytes | None:
    """The blank upload workbook: built by data.templates, else the committed copy, else None."""
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
    """The session's Workforce, loading the demo council first if nothing is loaded yet."""
    workforce = get_workforce()
    if workforce is None:
        workforce = ingest.load_demo()
        set_workforce(workforce)
    return workforce


def clear_upload() -> None:
    """Forget the upload held in this session (bytes, report, mapping) and empty the uploader."""
    for key in (K_FILES, K_SIGNATURE, K_RESULT, K_MAPPING):
        st.session_state.pop(key, None)
    st.session_state[K_NONCE] = st.session_state.get(K_NONCE, 0) + 1


def back_to_demo() -> None:
    """Button callback: drop the user's data and show the demo council again."""
    clear_upload()
    set_workforce(ingest.load_demo())
    st.session_state[K_NOTICE] = "Back on the demo data. Your upload has been removed from this session."


def uploader_key() -> str:
    """The uploader's widget key (changes after 'Back to demo data', which empties the uploader)."""
    return f"upload.uploader.{st.session_state.get(K_NONCE, 0)}"


def activate(result: Any, files: Sequence[UploadedBytes], assumptions: dict[str, str] | None = None) -> Workforce | None:
    """Build the Workforce from a LoadResult with the chosen assumptions and make it the session's data.

    Returns None (and leaves the current data in place) when nothing could be loaded.
    """
    if not getattr(result, "loaded_anything", False):
        return None
    workforce = result.to_workforce(dict(assumptions or {}), upload_label(files))
    set_workforce(workforce)
    return workforce


def process_upload(
    files: Sequence[UploadedBytes],
    mapping: dict | None = None,
    progress: Callable[[str], None] | None = None,
) -> Any:
    """Read the files, keep the result in the session and switch the session to the new data if any loaded.

    This is what the page does on a new upload or 'Apply mapping'; tests call it directly.
    """
    result = read_files(files, mapping=mapping, progress=progress)
    st.session_state[K_FILES] = list(files)
    st.session_state[K_RESULT] = result
    st.session_state[K_MAPPING] = mapping
    if progress is not None:
        progress("Loading the rows into this session's database")
    activate(result, files, {})
    return result


# ---------------------------------------------------------------------------------------------
# Sections of the page
# ---------------------------------------------------------------------------------------------


def render_notice() -> None:
    """Show (once) the sentence left by the last action, e.g. 'mapping remembered'."""
    notice = st.session_state.pop(K_NOTICE, None)
    if notice:
        st.success(notice)


def render_active_data(workforce: Workforce) -> None:
    """Which data is active, in words, and the switch back to the demo."""
    if workforce.is_demo:
        st.info(
            f"**You are looking at demo data** ({workforce.label or 'a fictional council'}). "
            "Upload your own spreadsheet below to see your council instead.",
            icon=":material/science:",
        )
        return
    st.success(f"**You are looking at your own data**: {workforce.label or 'your upload'}.", icon=":material/folder_open:")
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


def _status_step(status: Any) -> Callable[[str], None]:
    """A progress callback writing each step into a st.status box."""

    def step(message: str) -> None:
        status.update(label=f"{message}…")
        status.write(f"{message}…")

    return step


def render_uploader() -> None:
    """The drag-and-drop uploader; reads a new selection (with a progress box) into the session."""
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
    files = to_uploaded_bytes(uploaded)
    for key in [k for k in st.session_state if str(k).startswith("assume.") or str(k).startswith("map.")]:
        del st.session_state[key]
    with st.status(f"Reading {len(files)} file(s)…", expanded=True) as status:
        step = _status_step(status)
        step("Reading the files, matching columns and validating rows")
        try:
            result = process_upload(files, progress=step)
        except Exception:  # noqa: BLE001 - never a traceback to the user; the message says what to do
            st.session_state[K_SIGNATURE] = signature
            status.update(label="These files could not be read", state="error")
            st.error(
                "Sorry, something unexpected went wrong while reading these files, and nothing was loaded. "
                "Check that each is an .xlsx workbook or a .csv file, or start from the blank template."
            )
            return
        st.session_state[K_SIGNATURE] = signature
        if result.loaded_anything:
            status.update(label="Upload read: see the report below", state="complete", expanded=False)
        else:
            status.update(label="Nothing could be loaded from these files: see the report below", state="error")


def render_report(result: Any) -> None:
    """The validation report: tables found, problems grouped and counted, the rows behind them, a CSV."""
    st.subheader("What we found")
    tables = tables_summary(result)
    if tables.empty:
        st.warning("No table could be loaded from these files. The problems below say why.")
    else:
        st.dataframe(tables, hide_index=True, width="content", key="upload.tables")
    problems = list(getattr(result, "problems", []) or [])
    if not problems:
        st.success("No problems found: every row loaded.")
        return
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = sum(1 for p in problems if p.severity == "warning")
    st.markdown(f"**{errors} error(s)** (rows set aside) and **{warnings} warning(s)** (rows loaded, worth a look).")
    st.dataframe(problem_groups(problems), hide_index=True, width="stretch", key="upload.problem_groups")
    rows = problem_rows(problems)
    with st.expander(f"Show every problem row ({len(rows)})"):
        shown = rows.assign(Severity=rows["Severity"].map(lambda s: SEVERITY_WORDS.get(s, s)))
        st.dataframe(shown, hide_index=True, width="stretch", key="upload.problem_rows")
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


@dataclass(frozen=True)
class UnmatchedSheet:
    """One sheet (or CSV) with headers ingest could not match, as the mapping step needs it."""

    file: str
    sheet: str | None
    table: str | None
    headers: list[str]
    missing: list[str]
    preview: pd.DataFrame

    @property
    def where(self) -> str:
        """'file › sheet' in words."""
        return self.file if not self.sheet or self.sheet == self.file else f"{self.file} › {self.sheet}"

    @property
    def key(self) -> str:
        """A widget-key-safe identifier."""
        return f"{self.file}|{self.sheet or ''}"


def unmatched_sheets(result: Any) -> list[UnmatchedSheet]:
    """LoadResult.unmatched as UnmatchedSheet records (the one place that knows ingest's field names)."""
    out = []
    for u in getattr(result, "unmatched", []) or []:
        out.append(
            UnmatchedSheet(
                file=u.file,
                sheet=u.sheet,
                table=u.table,
                headers=[str(h) for h in u.headers],
                missing=list(u.missing),
                preview=u.preview if isinstance(u.preview, pd.DataFrame) else pd.DataFrame(u.preview),
            )
        )
    return out


def load_mapping(choices: dict[str, tuple[str | None, dict[str, str]]], previous: dict | None = None) -> dict:
    """The `mapping=` argument for ingest.load from the page's choices per sheet key (table, header → column)."""
    mapping = dict(previous or {})
    for sheet_key, (table, columns) in choices.items():
        file, _, sheet = sheet_key.partition("|")
        mapping[(file, sheet or None)] = {"table": table, "columns": chosen_mapping(columns)}
    return mapping


def remember_mapping(sheet: UnmatchedSheet, table: str | None, columns: dict[str, str]) -> bool:
    """Remember this header set's mapping so the next upload with the same headers is matched automatically."""
    chosen = chosen_mapping(columns)
    if not chosen or table is None:
        return False
    ingest.mappings.remember(list(sheet.preview.columns.astype(str)), table, chosen)
    return True


def apply_mapping(files: Sequence[UploadedBytes], sheets: list[UnmatchedSheet], choices: dict[str, tuple[str | None, dict[str, str]]]) -> Any:
    """Remember the chosen mappings and re-read the files with them (what 'Apply mapping' does)."""
    remembered = 0
    for sheet in sheets:
        if sheet.key in choices:
            table, columns = choices[sheet.key]
            remembered += remember_mapping(sheet, table, columns)
    mapping = load_mapping(choices, st.session_state.get(K_MAPPING))
    result = process_upload(files, mapping=mapping)
    if remembered:
        st.session_state[K_NOTICE] = (
            "Mapping applied and remembered: the next upload with the same column headers will be matched automatically."
        )
    else:
        st.session_state[K_NOTICE] = "Mapping applied."
    return result


def render_mapping(result: Any) -> None:
    """For each sheet with unmatched headers: pick a canonical column (or ignore) per header, preview, apply."""
    sheets = unmatched_sheets(result)
    if not sheets:
        return
    st.subheader("Match your column headers")
    st.markdown(
        "Some column headers were not recognised. For each one, choose the column it holds, "
        "or ignore it. The preview shows the first rows as they will load."
    )
    choices: dict[str, tuple[str | None, dict[str, str]]] = {}
    for sheet in sheets:
        with st.container(border=True):
            st.markdown(f"**{sheet.where}**")
            tables = list(TABLES)
            table = st.selectbox(
                "This sheet holds",
                tables,
                index=tables.index(sheet.table) if sheet.table in TABLES else None,
                format_func=lambda t: f"{TABLES[t].label} ({t})",
                key=f"map.table.{sheet.key}",
                placeholder="Choose the table",
            )
            if sheet.missing:
                st.caption("Columns still missing: " + ", ".join(sheet.missing))
            columns: dict[str, str] = {}
            options = mapping_options(table)
            cols = st.columns(3)
            for i, header in enumerate(sheet.headers):
                with cols[i % 3]:
                    columns[header] = st.selectbox(
                        f"“{header}” is",
                        options,
                        key=f"map.col.{sheet.key}.{header}.{table}",
                    )
            choices[sheet.key] = (table, columns)
            st.caption("Preview with your choices applied")
            st.dataframe(preview_with_mapping(sheet.preview, columns), hide_index=True, width="stretch")
    if st.button("Apply mapping", type="primary", icon=":material/check:", key="upload.apply_mapping"):
        files = st.session_state.get(K_FILES) or []
        with st.spinner("Re-reading your files with this mapping…"):
            apply_mapping(files, sheets, choices)
        st.rerun()


def render_assumptions(result: Any) -> None:
    """Offer the explicit assumptions for missing worker_type / fte; rebuild the data when the choice changes."""
    needed: list[AssumptionNeeded] = list(getattr(result, "assumptions_needed", []) or [])
    if not needed or not getattr(result, "loaded_anything", False):
        return
    st.subheader("Columns your staff extract does not have")
    st.markdown(
        "Some figures need these columns. We never assume silently: choose an assumption to switch those "
        "figures on, and it will be stated beside every figure it affects, or leave them off."
    )
    choices = {}
    for item in needed:
        options = assumption_options(item)
        choices[item.column] = st.radio(
            item.question,
            options,
            format_func=lambda key, item=item: assumption_text(item, key),
            key=f"assume.{item.column}",
        )
    chosen = chosen_assumptions(choices)
    workforce = get_workforce()
    if workforce is not None and not workforce.is_demo and workforce.assumptions != chosen:
        workforce = activate(result, st.session_state.get(K_FILES) or [], chosen)
    if workforce is not None and workforce.assumption_notes():
        st.info("**Assumptions in force** (shown beside every figure they affect):\n\n" + "\n".join(
            f"- {note}" for note in workforce.assumption_notes()
        ))
    else:
        st.caption("No assumptions in force: figures that need these columns are off.")


def render_coverage(workforce: Workforce) -> None:
    """Which figures are on and which are off, grouped by section, with what would switch each on."""
    st.subheader("Which figures this data switches on")
    try:
        table = coverage(workforce)
    except Exception:  # noqa: BLE001 - coverage is advice; the page must still show the rest
        st.caption("Figure coverage is not available yet.")
        return
    if table.empty:
        st.caption("No figures are defined yet.")
        return
    on = int((table["Status"] == "On").sum())
    st.markdown(f"**{on} of {len(table)} figures are on.** Figures that are off say which table or column would switch them on.")
    for group, part in table.groupby("Group", sort=False):
        group_on = int((part["Status"] == "On").sum())
        with st.expander(f"{group}: {group_on} of {len(part)} on", expanded=group_on < len(part)):
            shown = part.drop(columns="Group").assign(Status=part["Status"].map({"On": "✓ On", "Off": "✗ Off"}))
            st.dataframe(shown, hide_index=True, width="stretch")


def current_result() -> Any:
    """The LoadResult of the upload held in this session, or None (demo data, or nothing uploaded)."""
    return st.session_state.get(K_RESULT)
