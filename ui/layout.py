"""Placing figures the standard way: KPI tiles, figure blocks (question, definition, chart, words, data, downloads).

Every chart on every page goes through `figure_block`, so each has the same
parts in the same order: a title stating the question, the figure's one-line
definition and as-of date from the registry, the chart, a text description
generated from the data, a 'Show data' table with the exact numbers and its
downloads, and the notes (assumptions, exclusions) that apply.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from charts.format import as_number, format_change, format_value, judge
from metrics.registry import Figure
from ui import source as src
from ui.benchmarks import Benchmark
from ui.filters import long_date
from ui.memo import memo
from ui.text import md_escape

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

COLUMN_LABELS: dict[str, str] = {
    "service_area": "Service area", "team": "Team", "role": "Role", "grade": "Grade", "month": "Month",
    "period": "Period", "band": "Band", "stage": "Stage", "leaving_reason": "Leaving reason", "quartile": "Pay quartile",
    "share": "Share", "headcount": "Headcount", "count": "Number", "adverts": "Adverts",
    "funded_fte": "Funded FTE", "covered_fte": "Vacant FTE covered by agency", "agency_headcount": "Agency headcount",
    "share_over_12_months": "Share of placements over 12 months", "max_hourly_rate": "Cap (£ per hour)",
    "median_hourly_rate": "Median agency rate (£ per hour)", "market_median_salary": "Market median salary",
    "source": "Comparator source", "men": "Men", "women": "Women", "men_share": "Men's share",
    "women_share": "Women's share", "mean_gap": "Mean gender pay gap", "median_gap": "Median gender pay gap",
    "case_holders": "Case holders", "nq_case_holders": "Newly qualified case holders",
    "nq_average_caseload": "Newly qualified average caseload", "team_average_caseload": "Team average caseload",
    "protected_level": "Protected caseload level", "managers": "Managers", "above_threshold": "Above threshold",
    "working_days_lost": "Working days lost", "days_per_fte": "Days lost per FTE", "band_from": "From (£)",
    "band_to": "To (£)", "status": "Against the reference",
}
"""Headers of view columns that are not registry figures."""

COLUMN_UNITS: dict[str, str] = {
    "share": "percent", "headcount": "count", "count": "count", "adverts": "count", "funded_fte": "fte",
    "covered_fte": "fte", "agency_headcount": "count", "share_over_12_months": "percent", "max_hourly_rate": "gbp2",
    "median_hourly_rate": "gbp2", "market_median_salary": "gbp", "men": "count", "women": "count",
    "men_share": "percent", "women_share": "percent", "mean_gap": "percent", "median_gap": "percent",
    "case_holders": "count", "nq_case_holders": "count", "nq_average_caseload": "cases",
    "team_average_caseload": "cases", "protected_level": "cases", "managers": "count", "working_days_lost": "days",
    "days_per_fte": "cases", "band_from": "gbp", "band_to": "gbp",
}
"""Units of view columns that are not registry figures (gbp2 = pounds and pence)."""


def _figures() -> dict[str, Figure]:
    import metrics

    return metrics.FIGURES


def column_label(column: str) -> str:
    """A column's header in words (the registry label for figures)."""
    fig = _figures().get(column)
    if fig is not None:
        return fig.label
    return COLUMN_LABELS.get(column, column.replace("_", " ").capitalize())


def column_unit(column: str) -> str | None:
    """A column's unit for formatting, or None for text."""
    fig = _figures().get(column)
    if fig is not None:
        return fig.unit
    return COLUMN_UNITS.get(column)


def _cell(value: object, unit: str | None) -> str:
    """One cell as shown: formatted by unit; DfE symbols as themselves; blanks as an en dash."""
    if unit is None:
        if isinstance(value, dt.date | pd.Timestamp):
            return f"{value:%b %Y}" if getattr(value, "day", 1) > 27 else f"{value:%d %b %Y}"
        return "–" if value is None or (isinstance(value, float) and value != value) else str(value)
    if unit == "gbp2":
        number = as_number(value)
        return f"£{number:,.2f}" if number is not None else format_value(value, "gbp")
    if unit == "fte":
        number = as_number(value)
        return f"{number:,.1f}" if number is not None else format_value(value, unit)
    return format_value(value, unit)


def display_table(df: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A view table as people read it: chosen columns, headers in words, values formatted by unit.

    A `<figure>_symbol` column (summary data) replaces a blank value with its DfE symbol.
    """
    if df is None or df.empty:
        return pd.DataFrame()
    cols = [c for c in (columns or [c for c in df.columns if not c.endswith("_symbol")]) if c in df.columns]
    out = {}
    for col in cols:
        unit = column_unit(col)
        symbols = df[f"{col}_symbol"] if f"{col}_symbol" in df.columns else None
        values = []
        for i, value in enumerate(df[col]):
            sym = symbols.iloc[i] if symbols is not None else None
            if isinstance(sym, str) and sym and as_number(value) is None:
                values.append(sym)
            else:
                values.append(_cell(value, unit))
        out[column_label(col)] = values
    return pd.DataFrame(out)


def export_table(df: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The exact numbers for download: the chosen columns with headers in words (values unformatted)."""
    if df is None or df.empty:
        return pd.DataFrame()
    cols = [c for c in (columns or list(df.columns)) if c in df.columns]
    return df[cols].rename(columns={c: column_label(c) for c in cols})


def slug(text: str) -> str:
    """A file-name-safe slug."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60] or "table"


def _export(name: str) -> Callable | None:
    """sharing.export.<name> when the sharing helper has provided it."""
    try:
        from sharing import export
    except Exception:  # noqa: BLE001
        return None
    return getattr(export, name, None)


def downloads(table: pd.DataFrame, chart: Callable[[], alt.TopLevelMixin] | None, stem: str, key: str,
              notes: Sequence[str] = ()) -> None:
    """CSV (and XLSX, PNG, SVG where available) downloads of a table and its chart (built only when asked for)."""
    to_csv = _export("to_csv_bytes")
    cols = st.columns(4)
    if to_csv is not None and not table.empty:
        cols[0].download_button("CSV", data=lambda: to_csv(table), file_name=f"{stem}.csv", mime="text/csv",
                                key=f"{key}.csv", icon=":material/download:", on_click="ignore",
                                help="The table above with exact numbers, for Excel")
    to_xlsx = _export("to_xlsx_bytes")
    if to_xlsx is not None and not table.empty:
        cols[1].download_button("Excel", data=lambda: _xlsx(to_xlsx, table, notes), file_name=f"{stem}.xlsx", mime=XLSX_MIME,
                                key=f"{key}.xlsx", icon=":material/download:", on_click="ignore")
    png, svg = _export("chart_png"), _export("chart_svg")
    if chart is not None and png is not None:
        cols[2].download_button("PNG", data=lambda: png(chart()), file_name=f"{stem}.png", mime="image/png",
                                key=f"{key}.png", icon=":material/image:", on_click="ignore")
    if chart is not None and svg is not None:
        cols[3].download_button("SVG", data=lambda: svg(chart()), file_name=f"{stem}.svg", mime="image/svg+xml",
                                key=f"{key}.svg", icon=":material/image:", on_click="ignore")


def _xlsx(to_xlsx: Callable, table: pd.DataFrame, notes: Sequence[str]) -> bytes:
    """The table as an Excel workbook, with the definition and notes when the exporter takes them."""
    try:
        return to_xlsx(table, notes=[n for n in notes if n])
    except TypeError:
        return to_xlsx(table)


def page_header(title: str, question: str, state: object | None = None) -> None:
    """The page title, the question it answers and the view it shows."""
    st.title(title)
    st.markdown(f"**{question}**")
    if state is not None and hasattr(state, "describe"):
        st.caption(f"Showing: {md_escape(state.describe())}")


def definition_line(figure: Figure | None, as_of: dt.date | None, definition: str | None = None) -> str:
    """'Agency rate: Agency FTE as a share of … As of 30 September 2025.' (from the registry)."""
    text = definition or (f"**{figure.label}**: {figure.definition}" if figure else "")
    if as_of is not None:
        text += f" As of {long_date(as_of)}."
    return text


def unavailable(message: str) -> None:
    """Say plainly that a chart is off and what would switch it on (never an error)."""
    st.info(message, icon=":material/info:")


def inline_datasets(spec: dict) -> dict:
    """The spec with each named dataset written into the layers that use it, and no top-level data.

    Streamlit turns a spec's named datasets and top-level data into Arrow tables
    on every call, a few milliseconds each; values written inside the layers are
    sent as they are. Vega-Lite reads a layer's own `data.values` exactly as it
    reads a named dataset, and a layer without data inherits its parent's, so
    the parent's data is written into those layers.
    """
    datasets = spec.pop("datasets", None) or {}

    def resolve(data: object) -> object:
        if isinstance(data, dict) and set(data) == {"name"} and data["name"] in datasets:
            return {"values": datasets[data["name"]]}
        return data

    def push(node: dict, inherited: object) -> None:
        own = resolve(node.pop("data")) if "data" in node else inherited
        layers = node.get("layer")
        if isinstance(layers, list):
            for layer in layers:
                if isinstance(layer, dict):
                    push(layer, own)
        elif own is not None:
            node["data"] = own

    if isinstance(spec.get("layer"), list):
        push(spec, None)
    elif datasets:  # a single view: left as Altair wrote it
        spec["datasets"] = datasets
    return spec


@dataclass(frozen=True)
class Prepared:
    """What a figure block draws, worked out once per (block, data, inputs): see `prepare`."""

    spec: dict
    description: str
    shown: pd.DataFrame
    exported: pd.DataFrame


def prepare(key: str, data: pd.DataFrame, columns: Sequence[str] | None, inputs: tuple,
            build: Callable[[], alt.TopLevelMixin], describe: Callable[[], str]) -> Prepared:
    """The chart's Vega-Lite spec, its description and its shown and exported tables, remembered.

    Building and validating an Altair chart and describing it cost tens of
    milliseconds, so a rerun, another page or another viewer with the same block
    and inputs reuses them. `inputs` names whatever else `build` and `describe`
    read (the whole view table, references, grouping).
    """
    def compute() -> Prepared:
        spec = inline_datasets(build().to_dict(validate=False))  # the builders are validated in tests/charts
        return Prepared(spec, describe(), display_table(data, columns), export_table(data, columns))

    return memo("figure_block", compute, key, data, tuple(columns or ()), inputs)


def data_key(key: str) -> str:
    """The widget key of a figure block's 'Show data' expander (True in session state while it is open)."""
    return f"{key}.show_data"


ChartArg = alt.TopLevelMixin | Callable[[], alt.TopLevelMixin] | None


def figure_block(*, question: str, figure: Figure | None, chart: ChartArg, data: pd.DataFrame,
                 description: str | Callable[[], str], key: str, as_of: dt.date | None,
                 columns: Sequence[str] | None = None, definition: str | None = None,
                 empty_message: str | None = None, extra_notes: Iterable[str] = (), inputs: tuple | None = None) -> None:
    """One chart placed the standard way (see module docstring).

    `description` may be a function, worked out only when the block is not
    already remembered; `inputs` then names what it and the chart read beyond
    `data` (without `inputs`, the description text itself keys the block).
    """
    with st.container(border=True):
        st.subheader(question)
        st.caption(definition_line(figure, as_of, definition))
        if data is None or data.empty or chart is None:
            unavailable(empty_message or "No data to show for this view.")
            return
        build = chart if callable(chart) else (lambda: chart)
        if inputs is None or not callable(description):
            text = description() if callable(description) else description
            inputs, description = (text,), (lambda: text)
        ready = prepare(key, data, columns, inputs, build, description)
        st.vega_lite_chart(spec=ready.spec, width="stretch", key=f"{key}.chart", alt=ready.description)
        st.markdown(f"**In words:** {md_escape(ready.description)}")
        caveats = [figure.caveats] if figure is not None and figure.caveats else []
        notes_list = [*caveats, *extra_notes, *src.notes()]
        with st.expander("Show data", key=data_key(key), on_change="rerun") as shown:
            if shown.open:  # drawn when opened: the page opens quicker, for every viewer of a shared link
                st.dataframe(ready.shown, hide_index=True, width="stretch", key=f"{key}.table")
                downloads(ready.exported, build, slug(question), key,
                          notes=[question, definition_line(figure, as_of, definition).replace("**", ""),
                                 *notes_list])
        if notes_list:
            st.caption("Notes: " + " ".join(md_escape(n if n.endswith(".") else n + ".") for n in notes_list))


def markdown_safe(table: pd.DataFrame) -> pd.DataFrame:
    """A display table whose text cells and headers st.table will show as typed (it renders Markdown in cells)."""
    out = table.copy()
    out.columns = [md_escape(c) for c in out.columns]
    for col in out.columns:
        out[col] = [md_escape(v) if isinstance(v, str) else v for v in out[col].tolist()]
    return out


def table_block(*, question: str, data: pd.DataFrame, key: str, as_of: dt.date | None, columns: Sequence[str],
                caption: str = "", empty_message: str = "No data to show.") -> None:
    """A table placed like a figure: question, caption, the table with formatted numbers, its downloads.

    Drawn as an HTML table (st.table), so screen readers and a projector read it as well as a chart's data.
    """
    with st.container(border=True):
        st.subheader(question)
        if caption or as_of:
            st.caption(definition_line(None, as_of, caption))
        if data is None or data.empty:
            unavailable(empty_message)
            return
        shown, exported = memo("table_block", lambda: (display_table(data, columns), export_table(data, columns)),
                               data, tuple(columns))
        st.table(markdown_safe(shown), hide_index=True, width="stretch", alt=question)
        downloads(exported, None, slug(question), key)
        notes_list = src.notes()
        if notes_list:
            st.caption("Notes: " + " ".join(md_escape(n) for n in notes_list))


# ── KPI tiles ─────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Tile:
    """One KPI tile's inputs: the figure, its value now and 12 months earlier, and England's."""

    figure: Figure
    value: object
    prior: object = None
    prior_date: dt.date | None = None
    england: Benchmark | None = None
    compared: object = None
    """The council's value compared with England (its DfE service area's), if different from `value`."""
    compared_label: str = ""
    reason: str | None = None
    """Why the figure is off, when it is."""
    note: str = ""
    """What the value is of, when it is not the whole view (e.g. one service area of a summary table)."""


def change_sentence(figure: Figure, now: object, before: object, when: dt.date | None) -> str | None:
    """'+1.2 pts since Sep 2024 (worse)' — direction and judgement in words, or None when unknown."""
    a, b = as_number(now), as_number(before)
    if a is None or b is None:
        return None
    verdict = judge(a, b, figure.polarity)
    words = {"better": " (better)", "worse": " (worse)", "same": " (no change)"}.get(verdict or "", "")
    since = f" since {when:%b %Y}" if when else " in 12 months"
    return f"{format_change(a - b, figure.unit)}{since}{words}"


def england_sentence(figure: Figure, value: object, bench: Benchmark | None, label: str = "") -> str | None:
    """'England 2025: 14.2% · South West 2025: 12.0% · Neighbours (median) 2025: 13.1% (DfE, children's social
    workers) · Children's Social Work 17.1%, 2.9 pts higher (worse than England)'.

    The region and the neighbours' median appear when a council is chosen; the
    council's own value is compared with the first reference (England).
    """
    refs = bench.references() if bench is not None else []
    if not refs:
        return None
    text = " · ".join(f"{name}: {format_value(number, figure.unit)}" for name, number in refs)
    text += " (DfE, children's social workers)"
    v = as_number(value)
    if v is None or not label:
        return text
    main_label, main = refs[0]
    main_name = main_label.rsplit(" ", 1)[0] if bench is not None and bench.year else main_label
    diff = v - main
    verdict = judge(v, main, figure.polarity)
    direction = "higher" if diff > 0 else ("lower" if diff < 0 else "the same")
    size = format_change(abs(diff), figure.unit).lstrip("+±") if diff else ""
    text += f" · {label} {format_value(v, figure.unit)}, {size + ' ' if size else ''}{direction}"
    if verdict in ("better", "worse"):
        text += f" ({verdict} than {main_name})"
    return text


def kpi_tiles(tiles: Sequence[Tile]) -> None:
    """A row of tiles: value, change against 12 months earlier (arrow, colour and the words better/worse) and
    the DfE references (England; region and neighbours when a council is chosen) with the comparison in words."""
    for start in range(0, len(tiles), TILES_PER_ROW):
        row = tiles[start:start + TILES_PER_ROW]
        _tile_row(row, st.columns(TILES_PER_ROW))


TILES_PER_ROW = 3
"""Tiles per row: few enough that values and changes are never cut off, on a laptop or a projector."""


def tile_value(figure: Figure, value: object) -> str:
    """A tile's big number: formatted by unit, without repeating 'FTE' when the label says it."""
    text = format_value(value, figure.unit)
    if figure.unit == "fte" and "fte" in figure.label.lower():
        text = text.removesuffix(" FTE")
    return text


def _tile_row(tiles: Sequence[Tile], cols: Sequence) -> None:
    """One row of tiles."""
    for col, tile in zip(cols, tiles, strict=False):
        fig = tile.figure
        with col:
            if tile.reason is not None:
                st.metric(fig.label, "–", help=fig.definition, border=True)
                st.caption(f"Off: {tile.reason}")
                continue
            change = change_sentence(fig, tile.value, tile.prior, tile.prior_date)
            colour = {"lower_is_better": "inverse", "higher_is_better": "normal"}.get(fig.polarity, "off")
            st.metric(fig.label, tile_value(fig, tile.value), delta=change, delta_color=colour,
                      help=fig.definition, border=True)
            if tile.note:
                st.caption(tile.note)
            if change is None:
                st.caption("No value 12 months earlier to compare with.")
            england = england_sentence(fig, tile.compared, tile.england, tile.compared_label)
            if england:
                st.caption(england)


def methodology_text() -> str:
    """The methodology page's Markdown, generated from the registry by metrics.methodology."""
    try:
        from metrics.methodology import methodology_markdown

        text = methodology_markdown()
        first, _, rest = text.lstrip().partition("\n")
        return rest if first.startswith("# ") else text  # the page already has the title
    except Exception:  # noqa: BLE001 - fall back to the registry itself
        lines = []
        for fig in _figures().values():
            lines.append(f"### {fig.label}\n\n{fig.definition}\n\n*Formula:* {fig.formula}\n")
        return "\n".join(lines)
