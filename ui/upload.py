"""The Data page's pieces: reading an upload, the validation report, mapping, assumptions, coverage.

pages/data.py only places these. The pure helpers at the top (no Streamlit) turn
ingest's and metrics' answers into the small tables the page shows, so they can be
tested on their own; the `render_*` functions below them draw one section each.

Privacy: uploaded bytes are held only in this browser session's memory
(`st.session_state`), never written to disk and never logged. Nothing here logs
a value from the upload.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

import ingest
import ingest.mappings
from ingest import LoadResult, UnmatchedSheet
from ingest.model import AssumptionNeeded, Problem
from ingest.schema import TABLES
from ingest.workforce import Workforce
from ui.state import get_workforce, set_workforce
from ui.text import md_escape  # one escaping helper for every page (kept importable from here)

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_FILE = ROOT / "data" / "templates" / "workforce_lens_template.xlsx"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"



IGNORE = "(ignore this column)"
"""The mapping choice that leaves a header out of the upload."""
NO_ASSUMPTION = "none"
"""The assumption choice that assumes nothing (figures needing the column stay off)."""
NO_ASSUMPTION_TEXT = "Don't assume — leave the figures that need it off"

# st.session_state keys owned by this module (the Workforce itself lives in ui.state).
K_FILES = "upload.files"  # list[UploadedBytes]: the bytes, in session memory only, kept while a mapping may need them
K_LABEL = "upload.label"  # 'Your upload: a.xlsx' for the Workforce
K_SUMMARY = "upload.summary"  # tables_summary() of the last read
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


def read_files(
    files: Sequence[UploadedBytes],
    mapping: dict[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
    remember: bool = False,
) -> LoadResult:
    """Read, match, validate: ingest.load on (name, bytes) pairs held in memory (nothing written to disk).

    `mapping` is header → canonical column chosen by the user; `remember` has ingest
    keep it for the next upload with the same headers (header names only, never data).
    """
    pairs = [(f.name, f.data) for f in files]
    return ingest.load(pairs, mapping=mapping or None, progress=progress, remember=remember)


def upload_label(files: Sequence[UploadedBytes]) -> str:
    """What the data is, in words, for banners and exports: 'Your upload: a.xlsx, b.csv'."""
    names = [f.name for f in files]
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
    """The LoadResult of the upload held in this session, or None (demo data, or nothing uploaded)."""
    return st.session_state.get(K_RESULT)


def _forget_choices() -> None:
    """Drop the mapping and assumption widgets' state (a new upload starts with fresh choices)."""
    for key in [k for k in st.session_state if str(k).startswith(("assume.", "map."))]:
        del st.session_state[key]


def clear_upload() -> None:
    """Forget the upload held in this session (bytes, report, mapping, choices) and empty the uploader."""
    for key in (K_FILES, K_SIGNATURE, K_RESULT, K_MAPPING, K_LABEL, K_SUMMARY):
        st.session_state.pop(key, None)
    _forget_choices()
    st.session_state[K_NONCE] = st.session_state.get(K_NONCE, 0) + 1


def back_to_demo() -> None:
    """Button callback: drop the user's data and show the demo council again."""
    clear_upload()
    set_workforce(ingest.load_demo())
    st.session_state[K_NOTICE] = "Back on the demo data. Your upload has been removed from this session."


def uploader_key() -> str:
    """The uploader's widget key (changes after 'Back to demo data', which empties the uploader)."""
    return f"upload.uploader.{st.session_state.get(K_NONCE, 0)}"


def activate(result: LoadResult, label: str, assumptions: dict[str, str] | None = None) -> Workforce | None:
    """Build the Workforce from a LoadResult with the chosen assumptions and make it the session's data.

    Returns None (and leaves the current data in place) when nothing could be loaded.
    """
    if not result.loaded_anything:
        return None
    workforce = result.to_workforce(dict(assumptions or {}), label)
    set_workforce(workforce)
    return workforce


def process_upload(
    files: Sequence[UploadedBytes],
    mapping: dict[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
    remember: bool = False,
) -> LoadResult:
    """Read the files, keep the report in the session, and switch the session to the new data if any loaded.

    This is what the page does on a new upload and on 'Apply mapping'. Assumptions
    start unchosen: the user picks them on the page (never assumed silently). To
    hold one copy of the data, not three, the bytes are kept only while a mapping
    step may re-read them, and the loaded rows only while an assumption may rebuild them.
    """
    result = read_files(files, mapping=mapping, progress=progress, remember=remember)
    for key in [k for k in st.session_state if str(k).startswith("assume.")]:
        del st.session_state[key]
    if progress is not None and result.loaded_anything:
        progress("Loading the rows into this session's database")
    label = upload_label(files)
    activate(result, label, {})
    st.session_state[K_SUMMARY] = tables_summary(result)
    st.session_state[K_LABEL] = label
    st.session_state[K_MAPPING] = dict(mapping or {})
    if unmatched_sheets(result):
        st.session_state[K_FILES] = list(files)
    else:
        st.session_state.pop(K_FILES, None)
    if not result.assumptions_needed:
        result.tables = {name: df.iloc[:0] for name, df in result.tables.items()}  # the rows now live in DuckDB
    st.session_state[K_RESULT] = result
    return result


def result_sentence(summary: pd.DataFrame) -> str:
    """One line saying what an upload gave (from tables_summary): rows loaded and set aside, or that nothing loaded."""
    loaded = int(summary["Rows loaded"].sum()) if len(summary) else 0
    if not loaded:
        return "Nothing could be loaded from these files: the report below says why."
    aside = int(summary["Rows set aside"].sum())
    tables = ", ".join(str(t).lower() for t in summary.loc[summary["Rows loaded"] > 0, "Table"])
    return f"Upload read: {loaded:,} rows loaded ({tables}), {aside:,} set aside. The report is below."


# ---------------------------------------------------------------------------------------------
# Sections of the page
# ---------------------------------------------------------------------------------------------


def render_notice() -> None:
    """Show (once) the sentence left by the last action, e.g. 'mapping remembered'."""
    notice = st.session_state.pop(K_NOTICE, None)
    if notice:
        st.success(notice, icon=":material/check_circle:")


def tables_sentence(workforce: Workforce) -> str:
    """'Tables: staff extract, establishment, …' — what the active data holds, in words."""
    names = [TABLES[t].label.lower() for t in workforce.tables if t in TABLES]
    return "Tables: " + (", ".join(names) if names else "none") + "."


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
    """The drag-and-drop uploader; a new selection is read (with a progress box) and the page rerun on it."""
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
    _forget_choices()
    with st.status(f"Reading {len(files)} file(s)…", expanded=True) as status:

        def step(message: str) -> None:
            status.update(label=f"{md_escape(message)}…")
            status.write(f"{md_escape(message)}…")

        try:
            process_upload(files, progress=step)
        except Exception:  # noqa: BLE001 - never a traceback to the user; the message says what to do
            for key in (K_RESULT, K_SUMMARY, K_FILES):
                st.session_state.pop(key, None)
            status.update(label="These files could not be read", state="error")
            st.error(
                "Sorry, something unexpected went wrong while reading these files, and nothing was loaded. "
                "Check that each is an .xlsx workbook or a .csv file, or start from the blank template."
            )
            return
        sentence = result_sentence(st.session_state[K_SUMMARY])
        status.update(label=sentence, state="error" if sentence.startswith("Nothing") else "complete", expanded=False)
    st.session_state[K_NOTICE] = sentence
    st.rerun()  # redraw the whole app (sidebar, filters) on the new data


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
    """The validation report: tables found, problems grouped and counted, the rows behind them, a CSV."""
    st.subheader("What we found")
    tables = st.session_state.get(K_SUMMARY)
    if tables is None:
        tables = tables_summary(result)
    if tables.empty:
        st.warning("No table could be loaded from these files. The problems below say why.", icon=":material/warning:")
    else:
        st.dataframe(tables, hide_index=True, width="content", key="upload.tables")
    problems = list(result.problems)
    if not problems:
        st.success("No problems found: every row loaded.", icon=":material/check_circle:")
        return
    counts = {s: sum(p.count for p in problems if p.severity == s) for s in ("error", "warning", "info")}
    st.markdown(
        f"**{counts['error']:,} error(s)** (rows or sheets set aside), **{counts['warning']:,} warning(s)** "
        f"(loaded, worth a check) and {counts['info']:,} note(s). Row numbers are as you see them in Excel."
    )
    groups = ingest.problem_report(problems)
    st.markdown("\n".join(group_sentence(row) for _, row in groups.head(MAX_LISTED_GROUPS).iterrows()))
    if len(groups) > MAX_LISTED_GROUPS:
        st.caption(f"{len(groups) - MAX_LISTED_GROUPS:,} more kinds of problem: see the table below and the CSV.")
        st.dataframe(report_table(problems), hide_index=True, width="stretch", key="upload.problem_groups")
    rows = problem_rows(problems)
    with st.expander(f"Show every problem row ({len(rows):,})"):
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


def unmatched_sheets(result: Any) -> list[UnmatchedSheet]:
    """The sheets the user still has to map (ingest's LoadResult.unmatched), each with unmatched headers."""
    return [u for u in getattr(result, "unmatched", []) or [] if u.unmatched_headers]


def sheet_key(sheet: UnmatchedSheet) -> str:
    """A widget-key-safe identifier for a sheet."""
    return f"{sheet.file}|{sheet.sheet or ''}"


def merged_mapping(previous: dict[str, str] | None, choices: dict[str, dict[str, str | None]]) -> dict[str, str]:
    """The `mapping=` argument for ingest.load: the earlier mapping plus this step's decided headers.

    `choices` is header → canonical column (or IGNORE, or None when undecided) per sheet key;
    undecided headers are left out, ignored ones are sent so ingest leaves them out too.
    """
    mapping = dict(previous or {})
    for columns in choices.values():
        mapping.update({header: column for header, column in columns.items() if column})
    return mapping


def was_remembered(sheets: Sequence[UnmatchedSheet]) -> bool:
    """True when ingest.mappings now holds a mapping for at least one of these header sets."""
    return any(ingest.mappings.recall(sheet.headers) for sheet in sheets)


def apply_mapping(
    files: Sequence[UploadedBytes], sheets: Sequence[UnmatchedSheet], choices: dict[str, dict[str, str | None]]
) -> Any:
    """What 'Apply mapping' does: re-read the files with the chosen mapping and remember it for these headers."""
    mapping = merged_mapping(st.session_state.get(K_MAPPING), choices)
    result = process_upload(files, mapping=mapping, remember=True)
    if was_remembered(sheets):
        st.session_state[K_NOTICE] = (
            "Mapping applied and remembered: the next upload with the same column headers will be matched "
            "automatically (only the header names and your choices are remembered, never any data)."
        )
    else:
        st.session_state[K_NOTICE] = "Mapping applied. Some required columns are still missing, so it was not remembered yet."
    return result


def _header_choice(sheet: UnmatchedSheet, table: str | None, header: str, position: int) -> str | None:
    """One selectbox: the canonical column this header holds, 'ignore', or undecided (None)."""
    options = mapping_options(table)
    return st.selectbox(
        f"“{md_escape(header)}” is",
        options,
        index=None,
        placeholder="Choose…",
        key=f"map.col.{sheet_key(sheet)}.{table}.{position}.{header}",
    )


def render_mapping(result: Any) -> None:
    """For each sheet with unmatched headers: pick a canonical column (or ignore) per header, preview, apply."""
    sheets = unmatched_sheets(result)
    if not sheets:
        return
    st.subheader("Match your column headers")
    st.markdown(
        "Some column headers were not recognised. For each one, choose the column it holds, or ignore it, "
        "then **Apply mapping**. The preview shows the first rows as they will load. The mapping is "
        "remembered for the next upload with the same headers."
    )
    choices: dict[str, dict[str, str | None]] = {}
    tables = list(TABLES)
    for sheet in sheets:
        key = sheet_key(sheet)
        with st.container(border=True):
            state = "loaded; these columns were left out" if sheet.loaded else "not loaded yet"
            st.markdown(f"**{md_escape(sheet.label)}** ({state})")
            table = st.selectbox(
                "This sheet holds",
                tables,
                index=tables.index(sheet.table) if sheet.table in TABLES else None,
                format_func=lambda t: f"{TABLES[t].label} ({t})",
                placeholder="Choose the table",
                key=f"map.table.{key}",
            )
            if sheet.missing_columns:
                st.markdown("Required columns still missing: " + ", ".join(f"`{c}`" for c in sheet.missing_columns))
            columns: dict[str, str | None] = {}
            grid = st.columns(3)
            for i, header in enumerate(sheet.unmatched_headers):
                with grid[i % 3]:
                    columns[header] = _header_choice(sheet, table, header, i)
            choices[key] = columns
            st.caption("Preview of the first rows with your choices applied")
            decided = {h: c for h, c in columns.items() if c}
            st.dataframe(preview_with_mapping(sheet.preview, decided), hide_index=True, width="stretch",
                         key=f"map.preview.{key}")
    if st.button("Apply mapping", type="primary", icon=":material/check:", key="upload.apply_mapping"):
        with st.spinner("Re-reading your files with this mapping…"):
            apply_mapping(st.session_state.get(K_FILES) or [], sheets, choices)
        st.rerun()


def apply_assumptions(result: LoadResult, chosen: dict[str, str]) -> Workforce | None:
    """Rebuild the session's data with these assumptions when they differ from the ones in force."""
    workforce = get_workforce()
    if workforce is None or workforce.is_demo or workforce.assumptions == chosen:
        return None
    return activate(result, st.session_state.get(K_LABEL, "Your upload"), chosen)


def render_assumptions(result: LoadResult) -> None:
    """Offer the explicit assumptions for a missing worker_type / fte, and state the ones in force."""
    needed = list(result.assumptions_needed)
    if not needed or not result.loaded_anything:
        return
    st.subheader("Columns your staff extract does not have")
    st.markdown(
        "Some figures need these columns. Nothing is assumed silently: choose an assumption to switch those "
        "figures on (it is then stated beside every figure it affects), or leave them off."
    )
    choices = {}
    for item in needed:
        choices[item.column] = st.radio(
            item.question,
            assumption_options(item),
            format_func=lambda key, item=item: assumption_text(item, key),
            key=f"assume.{item.column}",
        )
    if apply_assumptions(result, chosen_assumptions(choices)) is not None:
        st.rerun()  # redraw the whole app on the rebuilt data
    workforce = get_workforce()
    notes = workforce.assumption_notes() if workforce is not None else []
    if notes:
        st.info("**Assumptions in force**, shown beside every figure they affect:\n\n"
                + "\n".join(f"- {note}" for note in notes), icon=":material/info:")
    else:
        st.caption("No assumptions in force: the figures that need these columns are off (see the list below).")


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
        st.markdown("What would switch the others on:")
        st.markdown("\n".join(
            f"- {md_escape(reason)} *(switches on {len(labels)}: {md_escape(', '.join(labels))})*" for reason, labels in reasons
        ))
    for group, part in table.groupby("Group", sort=False):
        group_on = int((part["Status"] == "On").sum())
        with st.expander(f"{group}: {group_on} of {len(part)} on"):
            shown = part.drop(columns="Group").assign(Status=part["Status"].map({"On": "✓ On", "Off": "✗ Off"}))
            st.dataframe(shown, hide_index=True, width="stretch")

