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
from metrics.glossary import help_text
from metrics.registry import Figure
from ui import source as src
from ui import tables
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
    "protected_level": "Protected caseload level", "managers": "Managers", "above_threshold": "Above the span standard",
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
            day = value.date() if isinstance(value, pd.Timestamp) else value
            month_end = (day + dt.timedelta(days=1)).day == 1
            return f"{day:%b %Y}" if month_end else f"{day.day} {day:%b %Y} (part of the month)"
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
        st.subheader(question, help=help_text(figure.id, figure.definition) if figure is not None else None)
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
                tables.show(ready.shown, f"The numbers behind the chart: {question}", key=f"{key}.table")
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

    Drawn as an HTML table (ui.tables), so screen readers, a projector and a phone read it as text.
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
        tables.show(shown, question, key=key, caption_shown=False)
        downloads(exported, None, slug(question), key)
        notes_list = src.notes()
        if notes_list:
            st.caption("Notes: " + " ".join(md_escape(n) for n in notes_list))


# ── KPI tiles ─────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Tile:
    """One KPI tile's inputs: the figure, its value, the value it changed from and when, and its comparisons."""

    figure: Figure
    value: object
    prior: object = None
    prior_date: dt.date | None = None
    england: Benchmark | None = None
    """(Kept for callers that set one comparison: the view's own.) See `comparisons`."""
    compared: object = None
    compared_label: str = ""
    reason: str | None = None
    """Why the figure is off, when it is."""
    note: str = ""
    """What the value is of, when it is not the whole view (e.g. one service area of a summary table)."""
    since: str = ""
    """The real comparison date in words: 'since 29 Sep 2025', 'since the 2024 census'."""
    empty: str = ""
    """Why there is no value for this selection although the data allows the figure (no caseloads recorded…)."""
    comparisons: tuple = ()
    """(name compared, its value, Benchmark) for each group set beside a comparator of its own group and year."""
    missing: str = ""
    """'No England comparator for Education Psychology.': the groups shown without a comparator."""
    as_of: dt.date | None = None
    """The date the value is as at, when it is not the view's (a summary row's own date)."""
    no_prior: str = ""
    """What to say when there is no earlier value (default: none 12 months earlier)."""
    target: str = ""
    """The view's target for this figure and how it stands, in words ('Target 15.0% by 30 Sep 2027: off track')."""


def _same_shown(figure: Figure, a: float, b: float) -> bool:
    """True when two values read the same at the precision they are shown (a change of ±0.0 is no change)."""
    return format_value(a, figure.unit) == format_value(b, figure.unit)


def change_sentence(figure: Figure, now: object, before: object, when: dt.date | str | None) -> str | None:
    """'+1.2 pts since 29 Sep 2025 (worse)', or 'No change since the 2024 census'; None when either is unknown.

    `when` is the comparison date in words ('since …') or a date.
    """
    a, b = as_number(now), as_number(before)
    if a is None or b is None:
        return None
    since = when if isinstance(when, str) and when else (
        f"since {when.day} {when:%b %Y}" if isinstance(when, dt.date) else "in 12 months")
    if _same_shown(figure, a, b):
        return f"No change {since}"
    verdict = judge(a, b, figure.polarity)
    words = {"better": " (better)", "worse": " (worse)"}.get(verdict or "", "")
    return f"{format_change(a - b, figure.unit)} {since}{words}"


def comparison_sentence(figure: Figure, name: str, value: object, bench: Benchmark | None) -> str | None:
    """'England 2025 (DfE): 13.0% · South West 2025 (DfE): 14.9% — Children's Social Work 27.1%: 14.1 pts
    higher, worse than England 2025 (DfE)'. The verdict is against the first comparator, of the same group
    and year; a group without one gets its 'No England comparator for …' sentence instead."""
    if bench is None:
        return None
    if not bench.comparators:
        return bench.missing_sentence()
    text = " · ".join(f"{label}: {format_value(number, figure.unit)}" for label, number in bench.references())
    v = as_number(value)
    if v is None:
        return text
    main = bench.main
    diff = v - main.value
    shown_same = _same_shown(figure, v, main.value)
    direction = "the same as" if shown_same else ("higher than" if diff > 0 else "lower than")
    size = "" if shown_same else format_change(abs(diff), figure.unit).lstrip("+±") + " "
    text += f" — {name} {format_value(v, figure.unit)}: {size}{direction} {main.named}"
    verdict = None if shown_same else judge(v, main.value, figure.polarity)
    if verdict in ("better", "worse"):
        text += f" ({verdict})"
    return text


def kpi_tiles(tiles: Sequence[Tile]) -> None:
    """A row of tiles: value, change since the date it is compared with (arrow, colour and the words better/worse;
    no change is grey, without an arrow) and its comparisons of the same group and year, or why there are none."""
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


def tile_delta(tile: Tile) -> tuple[str | None, str, str]:
    """(delta text, delta colour, delta arrow) for st.metric: no change is grey with no arrow."""
    fig = tile.figure
    change = change_sentence(fig, tile.value, tile.prior, tile.since or tile.prior_date)
    if change is None:
        return None, "off", "auto"
    if change.startswith("No change"):
        return change, "gray", "off"
    colour = {"lower_is_better": "inverse", "higher_is_better": "normal"}.get(fig.polarity, "off")
    return change, colour, "auto"


def _tile_help(tile: Tile) -> str:
    """The tile's tooltip: the definition, and where its comparators come from."""
    notes = [b.source_note() for _, _, b in tile.comparisons if b is not None and b.comparators]
    text = help_text(tile.figure.id, tile.figure.definition)
    return text + ("\n\nComparators: " + md_escape(" ".join(dict.fromkeys(notes))) if notes else "")


def _tile_row(tiles: Sequence[Tile], cols: Sequence) -> None:
    """One row of tiles."""
    for col, tile in zip(cols, tiles, strict=False):
        fig = tile.figure
        with col:
            if tile.reason is not None:
                st.metric(fig.label, "–", help=help_text(fig.id, fig.definition), border=True)
                st.caption(f"Off: {md_escape(tile.reason)}")
                continue
            if as_number(tile.value) is None and not (isinstance(tile.value, str) and tile.value):
                st.metric(fig.label, "No value", help=help_text(fig.id, fig.definition), border=True)
                st.caption(f"No value: {md_escape(tile.empty or 'it cannot be worked out for this selection')}.")
                continue
            delta, colour, arrow = tile_delta(tile)
            st.metric(fig.label, tile_value(fig, tile.value), delta=delta, delta_color=colour, delta_arrow=arrow,
                      help=_tile_help(tile), border=True)
            if tile.note:
                st.caption(md_escape(tile.note))
            if tile.as_of is not None:
                st.caption(f"As of {long_date(tile.as_of)}.")
            if delta is None:
                when = tile.since.removeprefix("since ")
                st.caption(md_escape(tile.no_prior or (f"No value for {when} to compare with." if tile.since else
                                                       "No value 12 months earlier to compare with.")))
            for name, value, bench in tile.comparisons:
                sentence = comparison_sentence(fig, name, value, bench)
                if sentence:
                    st.caption(md_escape(sentence))
            if tile.missing:
                st.caption(md_escape(tile.missing))
            if tile.target:
                st.caption(md_escape(tile.target))


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
