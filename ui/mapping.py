"""The Data page's mapping step: every column of every sheet, what it was read as and why, and the user's say.

For the upload held in the session (ingest.Upload, step 1 already done), the user can:

- say which table a sheet is (or not to load it);
- change or unset any automatic match, and map any unmatched header (one selectbox per header,
  with the match and its reason under it: exact synonym, normalised, fuzzy with its score, value check);
- map values of categorical columns (worker type, employment status, leaving reason, gender,
  service area): `Agency/Locum/Interim → agency`, `Voluntarily Terminated → left (resignation)`;
- accept the assumptions and derivations on offer (everyone permanent, FTE from hours, ...);
- see a live preview (rows that will load and be set aside, the first rows as they will load)
  before pressing Apply; download the choices as a small TOML or JSON file, and load one again.

Every choice lives in one `ingest.Mapping` in the session; each widget's callback changes it and
the preview is worked out again from the upload already read (no file is read twice).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd
import pyarrow.compute as pc
import streamlit as st

import ingest
from ingest import LoadResult, Mapping, MappingError, Upload
from ingest.derive import STATUS_VALUES
from ingest.loader import STATUS_LOADS, STATUS_NEEDS, STATUS_OTHER_KIND, SheetPlan, remember_mapping
from ingest.match import HOW_FUZZY, HOW_REFUSED, HOW_TAKEN, ColumnMatch, status_value
from ingest.normalise import BLANK
from ingest.schema import GENDERS, LEAVING_REASONS, TABLES, WORKER_TYPES
from ingest.synonyms import derived_columns, norm_value, value_lookup
from ui import upload as up

AUTO = "(automatic)"
"""A selectbox choice: leave it to the automatic match."""
NOT_LOADED = "(not loaded)"
"""A selectbox choice: do not load this header, or this sheet."""
K_PREVIEW = "upload.preview"
K_MAPPING_SIGNATURE = "upload.mapping_file_signature"
K_GO = "upload.go_to_overview"
VALUE_COLUMNS: tuple[str, ...] = ("worker_type", "employment_status", "leaving_reason", "gender", "service_area")
"""Categorical columns whose values the user can map."""
MAX_VALUES = 30
"""Distinct values offered for mapping per column (the most common first)."""
SERVICE_AREAS: tuple[str, ...] = ("Children's Social Work", "Education Psychology", "Public Health Nursing",
                                  "SEND 0-25")
"""Service area names a council's rows may be mapped to (the DfE figures are for Children's Social Work)."""


# ---------------------------------------------------------------------------------------------
# Pure helpers (no Streamlit)
# ---------------------------------------------------------------------------------------------

COLUMN_WORDS: dict[str, str] = {
    "worker_id": "Worker ID", "manager_id": "Line manager's worker ID", "fte": "FTE",
    "annual_salary": "Annual salary (full-time equivalent)", "hourly_rate": "Hourly charge rate",
    "qualified_date": "Date qualified", "absence_days": "Days off sick (12 months)",
    "old_la_code": "DfE authority code", "area_code": "Area code", "by_date": "Target date",
    "percent_agree": "Share agreeing", "scale_max": "Top of the score scale", "newly_qualified": "Newly qualified",
    "max_hourly_rate": "Cap (£ an hour)", "market_median_salary": "Market median salary",
    "employment_status": "Employment status (in post or left)", "monthly_pay": "Monthly pay",
    "contracted_hours": "Contracted weekly hours", "years_of_service": "Years of service",
    "protected_caseload_cap": "Protected caseload cap", "case_holders_fte": "Case holders (FTE)",
}
"""Our columns in words where the name alone does not read well (the rest: the name with spaces)."""

HOW_WORDS: dict[str, str] = {
    "your mapping": "your choice", "canonical name": "our own column name", "exact synonym": "a known header",
    "normalised": "a known header, spelt differently", "value check": "recognised by its values",
    "not loaded: your mapping": "not loaded: your choice", "not matched: values": "not matched: its values do not fit",
    "not matched: column taken": "not matched: another header has that column", "breakdown column": "a breakdown",
}
"""How a header was matched, in words (ingest's terms on the left)."""


def column_words(column: str) -> str:
    """One of our columns in words: 'Worker type', 'FTE', 'Worker ID'."""
    if column in COLUMN_WORDS:
        return COLUMN_WORDS[column]
    words = [{"fte": "FTE", "id": "ID", "la": "LA", "nq": "newly qualified"}.get(w, w) for w in column.split("_")]
    text = " ".join(words)
    return text[0].upper() + text[1:] if text else column


def column_named(column: str) -> str:
    """A column as the mapping step names it: its words, with our name in brackets ('Worker type (worker_type)')."""
    words = column_words(column)
    return words if words.lower() == column.replace("_", " ").lower() and "_" not in column else \
        f"{words} ({column})"


def named_columns(text: str, columns: set[str] | frozenset[str]) -> str:
    """`text` with each of our column names that stands alone written as 'Worker type (worker_type)'."""
    import re

    def swap(match: re.Match) -> str:
        return column_named(match.group(0)) if match.group(0) in columns else match.group(0)

    return re.sub(r"(?<![\w(])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w)])", swap, text)


def all_columns() -> frozenset[str]:
    """Every column of every table (and the derivable ones), for `named_columns`."""
    found: set[str] = set()
    for name, table in TABLES.items():
        found.update(table.column_names)
        found.update(derived_columns(name))
    return frozenset(found)


def value_words(value: str) -> str:
    """A value we read a column as, in words: 'fixed_term' → 'fixed term'."""
    return str(value).replace("_", " ")


def column_choices(table: str | None) -> list[str]:
    """Choices for one header of a sheet of `table`: automatic, not loaded, then every column it may hold."""
    if table not in TABLES:
        return [AUTO, NOT_LOADED]
    return [AUTO, NOT_LOADED, *TABLES[table].column_names, *derived_columns(table)]


def choice_words(option: str, match: ColumnMatch | None = None) -> str:
    """How a header choice reads in the selectbox."""
    if option == AUTO:
        if match is None:
            return "Automatic"
        return f"Automatic: {column_named(match.column)}" if match.column else "Automatic: not loaded"
    if option == NOT_LOADED:
        return "Not loaded"
    return column_named(option)


def match_caption(match: ColumnMatch) -> str:
    """The line under a header's selectbox: what it was read as, how, why, and example values."""
    how = HOW_WORDS.get(match.how, match.how)
    if match.how == HOW_FUZZY:
        how = f"a close spelling ({match.score:.0f}% alike)" if match.score is not None else "a close spelling"
    text = f"{how}: {match.reason}" if match.reason else how
    if match.offered and not match.column:
        text += f" — could be {match.offered}"
    text = named_columns(text, all_columns())
    if match.examples:
        text += " · e.g. " + ", ".join(match.examples[:3])
    return text


def current_choice(mapping: Mapping, header: str) -> str:
    """The selectbox value for a header under `mapping`: the user's choice, else automatic."""
    from ingest.synonyms import norm_header

    keys = mapping.column_keys()
    key = norm_header(header)
    if key not in keys:
        return AUTO
    return keys[key] or NOT_LOADED


def value_targets(column: str) -> list[str]:
    """What a value of a categorical column may be mapped to."""
    return {
        "worker_type": list(WORKER_TYPES),
        "employment_status": list(STATUS_VALUES),
        "leaving_reason": [*LEAVING_REASONS, BLANK],
        "gender": list(GENDERS),
        "service_area": list(SERVICE_AREAS),
    }.get(column, [])


def automatic_value(column: str, value: str, header: str) -> str:
    """What a value reads as without the user's map ('not recognised' when nothing recognises it)."""
    if column == "employment_status":
        return status_value(value, header) or "not recognised"
    if column == "service_area":
        return value
    found = value_lookup(column).get(norm_value(value))
    if found == BLANK:
        return "blank (not applicable)"
    if found is None:
        return {"leaving_reason": "other (not recognised)", "gender": "not known (not recognised)"}.get(
            column, "not recognised (row set aside)")
    return found


def value_counts(upload: Upload, plan: SheetPlan, column: str, limit: int = MAX_VALUES) -> pd.DataFrame:
    """The most common values of the sheet's `column` (value, rows), the unrecognised ones first."""
    header = plan.matched.get(column)
    if header is None:
        return pd.DataFrame(columns=["value", "rows"])
    cells = plan.read.column(header)
    counts = pc.value_counts(pc.utf8_trim_whitespace(cells.combine_chunks())).to_pylist()
    rows = [(c["values"], int(c["counts"])) for c in counts if c["values"] not in (None, "")]
    frame = pd.DataFrame(rows, columns=["value", "rows"])
    if frame.empty:
        return frame
    frame["known"] = [not automatic_value(column, v, header).startswith("not recognised") for v in frame["value"]]
    frame = frame.sort_values(["known", "rows", "value"], ascending=[True, False, True], kind="stable")
    return frame.drop(columns="known").head(limit).reset_index(drop=True)


def effective_mapping(result: LoadResult) -> Mapping:
    """The mapping to keep for next month: every header's column as read (automatic or chosen), the headers
    not to load, and the user's value maps, assumptions and sheet choices."""
    chosen = result.mapping
    mapping = Mapping(values={k: dict(v) for k, v in chosen.values.items()}, assume=dict(chosen.assume),
                      tables=dict(chosen.tables))
    for plan in result.plans:
        if plan.status not in (STATUS_LOADS, STATUS_NEEDS):
            continue
        for match in plan.matches:
            if match.column:
                mapping.columns[match.header] = match.column
            elif current_choice(chosen, match.header) == NOT_LOADED:
                mapping.columns[match.header] = ""
    return mapping


def preview_sentence(result: LoadResult) -> str:
    """'If you apply this: 1,204 rows will load and 3 will be set aside.'"""
    loaded, aside = up.loaded_counts(result)
    if not result.loaded_anything:
        return "If you apply this, nothing will load: the problems below say why."
    return (f"If you apply this: {loaded:,} row{'s' if loaded != 1 else ''} will load and {aside:,} will be set "
            "aside.")


def ready(result: LoadResult) -> bool:
    """True when an applied load can go to the overview: rows loaded and no sheet is waiting for a column."""
    return result.loaded_anything and not any(p.status == STATUS_NEEDS for p in result.plans)


# ---------------------------------------------------------------------------------------------
# Session
# ---------------------------------------------------------------------------------------------


def preview(upload: Upload, mapping: Mapping) -> LoadResult:
    """Steps 2–4 for the current choices, remembered per mapping (each widget change is one new load)."""
    signature = json.dumps(mapping.to_dict(), sort_keys=True)
    cached = st.session_state.get(K_PREVIEW)
    if cached is not None and cached[0] == signature and cached[1] is upload:
        return cached[2]
    result = ingest.load_upload(upload, mapping)
    st.session_state[K_PREVIEW] = (signature, upload, result)
    return result


def _set(mapping: Mapping) -> None:
    up.set_mapping(mapping)


def _on_table(sheet: str, key: str) -> None:
    value = st.session_state.get(key)
    table = None if value == AUTO else ("" if value == NOT_LOADED else value)
    _set(up.current_mapping().with_table(sheet, table))


def _on_column(header: str, key: str) -> None:
    value = st.session_state.get(key)
    column = None if value == AUTO else ("" if value == NOT_LOADED else value)
    _set(up.current_mapping().with_column(header, column))


def _on_value(column: str, value: str, key: str) -> None:
    chosen = st.session_state.get(key)
    _set(up.current_mapping().with_value(column, value, None if chosen in (AUTO, None) else str(chosen)))


def _on_assume(column: str, key: str) -> None:
    chosen = st.session_state.get(key)
    _set(up.current_mapping().with_assumption(column, chosen or up.NO_ASSUMPTION))


def _on_setting(name: str, key: str) -> None:
    value = st.session_state.get(key)
    if isinstance(value, dt.date):
        value = value.isoformat()
    _set(up.current_mapping().with_assumption(name, None if value in (None, "") else str(value)))


def _widget_key(*parts: object) -> str:
    return "map." + ".".join(str(p) for p in parts)


# ---------------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------------


def render_mapping_step() -> None:
    """The whole step for the upload held in the session (nothing when there is none)."""
    follow_apply()
    upload = up.current_upload()
    if upload is None or not upload.sheets:
        return
    mapping = up.current_mapping()
    result = preview(upload, mapping)
    st.subheader("Check how your columns were read", anchor="mapping")
    st.markdown(
        "Every column of every sheet is listed with what it was read as and why. Change any of them, map the "
        "values of categorical columns, and accept the assumptions you are happy with. The preview below shows "
        "what will load before you press **Apply**. Your choices stay in this browser session: download them to "
        "use again next month.")
    few = sum(1 for plan in result.plans if not plan.read.empty) <= 3
    for plan in result.plans:
        render_sheet(plan, upload, open_=few)
    render_assumptions(result)
    render_preview(result)
    render_apply(result)
    render_downloads(result)


def render_sheet(plan: SheetPlan, upload: Upload, open_: bool = True) -> None:
    """One sheet: its table, each header's choice with its reason, and its categorical values."""
    read = plan.read
    if read.empty:
        return
    sheet_name = read.sheet or read.file
    loaded_words = {STATUS_LOADS: "loads", STATUS_NEEDS: "not loaded yet: a column is missing",
                    STATUS_OTHER_KIND: "not a workforce extract"}.get(plan.status, plan.status)
    with st.expander(f"{up.md_escape(read.label)}: {TABLES[plan.table].label.lower() if plan.table in TABLES else 'no table'} "
                     f"({len(read.rows):,} rows, {loaded_words})",
                     expanded=open_ or plan.status != STATUS_LOADS or bool(_needs_look(plan))):
        options = [AUTO, NOT_LOADED, *TABLES]
        table_key = _widget_key("table", read.label)
        if table_key not in st.session_state:
            chosen = up.current_mapping().table_for(read.sheet, read.file)
            st.session_state[table_key] = AUTO if chosen is None else (NOT_LOADED if chosen == "" else chosen)
        st.selectbox(
            "This sheet holds", options, key=table_key, on_change=_on_table, args=(sheet_name, table_key),
            format_func=lambda t: (f"Automatic: {TABLES[plan.table].label}" if plan.table in TABLES and t == AUTO
                                   else "Automatic" if t == AUTO else "Do not load this sheet" if t == NOT_LOADED
                                   else f"{TABLES[t].label} (sheet ‘{t}’)"),
        )
        if plan.status == STATUS_OTHER_KIND:
            st.error(up.md_escape(plan.message), icon=":material/block:")
            return
        if plan.status == STATUS_NEEDS:
            st.warning(up.md_escape(plan.message), icon=":material/warning:")
        elif plan.recognised:
            st.caption(f"Recognised as the {TABLES[plan.table].label.lower()} table by {plan.recognised}.")
        if not plan.matches:
            return
        render_columns(plan)
        render_values(plan, upload)


def _needs_look(plan: SheetPlan) -> list[ColumnMatch]:
    """Headers in a loaded sheet the user should look at (values argued against a match)."""
    return [m for m in plan.matches if m.how == HOW_REFUSED]


def render_columns(plan: SheetPlan) -> None:
    """One selectbox per header, the automatic match first, its reason under it."""
    read = plan.read
    mapping = up.current_mapping()
    choices = column_choices(plan.table)
    grid = st.columns(3)
    for i, match in enumerate(plan.matches):
        key = _widget_key("col", read.label, plan.table, i, match.header)
        if key not in st.session_state:
            current = current_choice(mapping, match.header)
            st.session_state[key] = current if current in choices else AUTO
        with grid[i % 3]:
            st.selectbox(
                f"“{up.md_escape(match.header)}” is", choices, key=key, on_change=_on_column, args=(match.header, key),
                format_func=lambda option, match=match: choice_words(option, match if option == AUTO else None),
            )
            flag = "⚠ " if match.how in (HOW_REFUSED, HOW_TAKEN) else ""
            st.caption(flag + up.md_escape(match_caption(match)))


def render_values(plan: SheetPlan, upload: Upload) -> None:
    """For each categorical column the sheet has: its values, what each reads as, and a choice to change it."""
    matched = plan.matched
    for column in VALUE_COLUMNS:
        if column not in matched:
            continue
        counts = value_counts(upload, plan, column)
        if counts.empty:
            continue
        header = matched[column]
        own = {norm_value(k) for k in up.current_mapping().values.get(column, {})}
        unknown = [v for v in counts["value"] if norm_value(v) not in own
                   and automatic_value(column, v, header).startswith("not recognised")]
        title = (f"Values of “{up.md_escape(header)}” ({column_words(column).lower()})"
                 + (f": {len(unknown)} not recognised" if unknown else ""))
        with st.expander(title, expanded=bool(unknown)):
            targets = value_targets(column)
            own = up.current_mapping().values.get(column, {})
            own_keys = {norm_value(k): v for k, v in own.items()}
            grid = st.columns(3)
            for i, (value, rows) in enumerate(zip(counts["value"], counts["rows"], strict=True)):
                key = _widget_key("value", plan.read.label, column, value)
                options = [AUTO, *targets]
                chosen = own_keys.get(norm_value(value))
                if chosen is not None and chosen not in options:
                    options.append(chosen)
                if key not in st.session_state:
                    st.session_state[key] = chosen if chosen is not None else AUTO
                auto = automatic_value(column, value, header)
                with grid[i % 3]:
                    st.selectbox(
                        f"“{up.md_escape(value)}” ({rows:,} row{'s' if rows != 1 else ''})", options, key=key,
                        on_change=_on_value, args=(column, value, key), accept_new_options=column == "service_area",
                        format_func=lambda option, auto=auto: (f"Automatic: {value_words(auto)}" if option == AUTO
                                                               else value_words(option)),
                    )


def render_assumptions(result: LoadResult) -> None:
    """The assumptions and derivations on offer: nothing is assumed until the user chooses it."""
    needed = list(result.assumptions_needed)
    if not needed:
        return
    st.markdown("**Assumptions** — nothing is assumed silently: choose one to switch the figures that need it on "
                "(it is then stated beside every figure it affects), or leave them off.")
    mapping = up.current_mapping()
    for item in needed:
        key = f"assume.{item.column}"
        options = up.assumption_options(item)
        if key not in st.session_state or st.session_state[key] not in options:
            chosen = mapping.assume.get(item.column)
            st.session_state[key] = chosen if chosen in options else up.NO_ASSUMPTION
        st.radio(item.question, options, key=key, on_change=_on_assume, args=(item.column, key),
                 format_func=lambda option, item=item: up.assumption_text(item, option))
    derived = {k: v for k, v in mapping.assume.items() if k in ("fte", "annual_salary", "start_date", "leavers")}
    if derived.get("fte") == "hours" or derived.get("annual_salary") == "hourly":
        key = _widget_key("setting", "standard_hours")
        if key not in st.session_state:
            st.session_state[key] = float(mapping.assume.get("standard_hours") or 37)
        st.number_input("Hours in a full-time week", min_value=10.0, max_value=60.0, step=0.5, key=key,
                        on_change=_on_setting, args=("standard_hours", key))
    if derived.get("start_date") == "years" or derived.get("leavers") == "status+date":
        key = _widget_key("setting", "extract_date")
        if key not in st.session_state:
            st.session_state[key] = result.extract_date or dt.date.today()
        st.date_input("The date the extract was taken", key=key, min_value=dt.date(1990, 1, 1),
                      max_value=dt.date.today(), format="DD/MM/YYYY", on_change=_on_setting,
                      args=("extract_date", key),
                      help="Start dates from years of service, and leaving dates from a status column, count back "
                           "from this date.")


def render_preview(result: LoadResult) -> None:
    """What Apply would load: rows loading and set aside per file, the main problems, the first rows."""
    st.markdown("**Preview**")
    sentence = preview_sentence(result)
    (st.info if result.loaded_anything else st.error)(sentence)
    counts = up.file_counts(result)
    if not counts.empty:
        up.show_table(counts, "If you apply this: rows from each file and sheet", key="map.preview.files")
    errors = [p for p in result.problems if p.severity == "error"]
    if errors:
        groups = ingest.problem_report(errors).head(5)
        st.markdown("\n".join(up.group_sentence(row) for _, row in groups.iterrows()))
    for name, frame in result.tables.items():
        if len(frame):
            shown = frame.drop(columns=[c for c in ("source_row",) if c in frame.columns]).head(5).copy()
            for column in shown.columns:
                if pd.api.types.is_datetime64_any_dtype(shown[column]):
                    shown[column] = shown[column].dt.date
            shown = shown.dropna(axis=1, how="all")
            for column in VALUE_COLUMNS:
                if column in shown.columns and column != "service_area":
                    shown[column] = [value_words(v) if isinstance(v, str) else v for v in shown[column]]
            shown.columns = [column_named(str(c)) for c in shown.columns]
            up.show_table(shown, f"The first rows of the {TABLES[name].label.lower()} as they will load",
                          key=f"map.preview.{name}", row_headers=False)


def _on_apply() -> None:
    """Apply (a button callback, so the click is never lost to a rerun): make the preview the session's data."""
    upload = up.current_upload()
    if upload is None:
        return
    result = preview(upload, up.current_mapping())
    label = st.session_state.get(up.K_LABEL) or up.upload_label(result.sources)
    loaded = up.apply_result(result, label)
    st.session_state.pop(K_PREVIEW, None)
    loaded_rows, aside = up.loaded_counts(result)
    if loaded and ready(result):
        st.session_state[K_GO] = True
    kept = loaded and remember_mapping(result)  # only when an administrator turned the library on
    st.session_state[up.K_NOTICE] = (
        ("success", f"Applied: {loaded_rows:,} rows loaded, {aside:,} set aside."
                    + (" Your header choices were also kept in this server's mapping library (turned on by your "
                       "administrator): headers and choices only, never data." if kept else "")) if loaded else
        ("error", "Nothing was loaded with these choices; the report says why."))


def follow_apply() -> None:
    """After Apply with nothing left to map: on to the user's own overview (the notice there links back)."""
    if st.session_state.pop(K_GO, False):
        result = up.current_result()
        if result is not None:
            st.session_state.pop(up.K_NOTICE, None)
            up.go_to_overview(result, fallback="Applied")


def render_apply(result: LoadResult) -> None:
    """Apply: make the preview the session's data (and go to the overview when nothing is left to map)."""
    st.button("Apply", type="primary", icon=":material/check:", key="upload.apply_mapping",
              disabled=not result.loaded_anything, on_click=_on_apply,
              help="Load the upload with these choices. Nothing is written to disk.")
    if not result.loaded_anything:
        st.caption("Apply is off: nothing would load yet. Map the missing columns above.")


def render_downloads(result: LoadResult) -> None:
    """The user's mapping as a small file to keep: every header's column, value maps, assumptions."""
    mapping = effective_mapping(result)
    left, right = st.columns(2)
    with left:
        st.download_button("Download this mapping (TOML)", data=mapping.to_toml(), mime="application/toml",
                           file_name="workforce_lens_mapping.toml", icon=":material/download:",
                           key="map.download.toml", on_click="ignore")
    with right:
        st.download_button("Download this mapping (JSON)", data=mapping.to_json(), mime="application/json",
                           file_name="workforce_lens_mapping.json", icon=":material/download:",
                           key="map.download.json", on_click="ignore")
    st.caption("Headers and your choices only, no data. Load it next month below the uploader, or use it with "
               "`python -m ingest check FILE --mapping workforce_lens_mapping.toml`.")


def render_mapping_file_loader() -> None:
    """Load a mapping saved earlier: applied to the upload held now, and to the next upload in this session."""
    loaded = st.file_uploader("Optional: a mapping you saved earlier (.toml or .json)", type=["toml", "json"],
                              key="upload.mapping_uploader",
                              help="The file the mapping step lets you download: which header holds which column, "
                                   "value maps and assumptions.")
    if loaded is None:
        return
    signature = (loaded.name, loaded.size, getattr(loaded, "file_id", ""))
    if st.session_state.get(K_MAPPING_SIGNATURE) == signature:
        return
    st.session_state[K_MAPPING_SIGNATURE] = signature
    try:
        mapping = Mapping.from_text(loaded.getvalue(), loaded.name)
    except MappingError as exc:
        st.session_state[up.K_NOTICE] = ("error", f"That mapping could not be used: {exc}")
        st.rerun()
    st.session_state[up.K_MAPPING_FILE] = mapping
    if up.current_upload() is not None:
        up.set_mapping(up.current_mapping().merged(mapping), forget_widgets=True)
        st.session_state.pop(K_PREVIEW, None)
        st.session_state[up.K_NOTICE] = ("info", f"Mapping {loaded.name} loaded: the preview below uses it. Press "
                                                 "Apply to load the upload with it.")
    else:
        st.session_state[up.K_NOTICE] = ("info", f"Mapping {loaded.name} loaded: it will be used for your upload.")
    st.rerun()


def held_upload_note(result: Any) -> None:
    """When the upload is no longer held (a large one, fully loaded), say how to change how it was read."""
    if result is not None and up.current_upload() is None:
        st.caption("To change how columns were read, upload the file again: large uploads are not kept in memory "
                   "once they have loaded.")
