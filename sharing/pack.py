"""The committee pack: one A4 PDF an officer attaches to a scrutiny report.

Council name, as-of date and the filters in force (the pack follows the
sidebar); the committee table (metrics.CORE per service area); the core charts
(the dashboard's chart builders, rendered by vl-convert); the benchmark
comparison against England, the region and statistical neighbours (reference
data, when the council is a DfE authority); definitions from the registry; and
the notes, including the small-number note.

A committee paper is a public document, so the pack's figures come through the
one door (sharing.published): a live session's data is published exactly as a
snapshot of it would be — suppressed, pay rounded, audited — and a shared
view's pack reads its snapshot. An exact pack, for officers only, is a separate
and explicit choice (`exact=True`, live data only): every page says "Not for
publication".
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from metrics import CORE, FIGURES
from metrics.registry import Params
from sharing import suppress
from sharing.export import chart_png

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
FIGURES_VIEW = "figures"


NOT_FOR_PUBLICATION = "Not for publication"


def publishable(source: Any, as_of: str | None = None, filters: Sequence[tuple[str, str]] = (),
                progress: Any = None) -> Any:
    """The Source a published pack reads: a shared Source as it is, a live one through the door."""
    if getattr(source, "is_shared", False):
        return source
    from sharing import published

    return published.door(source, as_of, filters, progress)


def committee_table(source: Any, figure_ids: Sequence[str] | None = None, as_of: str | None = None,
                    filters: Sequence[tuple[str, str]] = ()) -> pd.DataFrame:
    """The core figures per service area (plus the All row) from a Source, as the Source gives them."""
    ids = tuple(figure_ids or CORE)
    params = Params(as_of=as_of, by=("service_area",), filters=tuple(sorted(filters)), figures=ids)
    df = source.get(FIGURES_VIEW, params)
    if df is None or df.empty:
        return pd.DataFrame(columns=["service_area", *ids])
    return df[[c for c in ["service_area", *ids] if c in df.columns]].reset_index(drop=True)


def formatted_table(table: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """Header and rows as text, each figure in its unit (c stays c)."""
    from charts.format import format_figure

    header = ["Service area"] + [FIGURES[c].label for c in table.columns if c in FIGURES]
    rows = []
    for _, row in table.iterrows():
        cells = [str(row["service_area"])]
        for col in table.columns:
            if col in FIGURES:
                cells.append(format_figure(row[col], FIGURES[col]))
        rows.append(cells)
    return header, rows


def core_charts(table: pd.DataFrame, references: dict[str, float | None] | None = None) -> list[tuple[str, bytes]]:
    """(figure label, PNG) for each core figure: the dashboard's bar chart where it exists, else a simple bar."""
    out = []
    data = suppress.numeric(table)
    for col in table.columns:
        if col not in FIGURES or data[col].isna().all():
            continue
        figure = FIGURES[col]
        chart = _chart(data, figure, (references or {}).get(col))
        try:
            out.append((figure.label, chart_png(chart, scale=2.0)))
        except Exception:  # a chart that cannot be drawn is left out, the table still has the figure
            continue
    return out


def _chart(df: pd.DataFrame, figure: Any, reference: float | None):
    try:
        from charts.bars import bar_by_group

        return bar_by_group(df, figure, reference, group="service_area")
    except ImportError:  # pragma: no cover - before the dashboard's charts exist
        import altair as alt

        part = df[df["service_area"] != "All"]
        return alt.Chart(part).mark_bar(color="#0072B2").encode(
            y=alt.Y("service_area:N", title="Service area"), x=alt.X(f"{figure.id}:Q", title=figure.label),
        ).properties(title=figure.label, width=420)


def benchmark_table(la: str | None, figure_ids: Sequence[str]) -> pd.DataFrame | None:
    """The council's DfE figures beside England, its region and neighbours (None if not a DfE authority)."""
    if not la:
        return None
    ids = [f for f in figure_ids if f in FIGURES and FIGURES[f].dfe_column]
    try:
        from reference.benchmarks import latest_benchmarks

        return latest_benchmarks(la, ids)
    except Exception:  # unknown authority, or no reference data: the pack says so
        return None


class _Pack(FPDF):
    """A4 portrait with a running footer (and a watermark on every page of an exact pack)."""

    footer_text = ""
    font_family_name = "Helvetica"
    watermark = ""

    def header(self) -> None:
        if not self.watermark:
            return
        self.set_font(self.font_family_name, "B", 44)
        self.set_text_color(200, 30, 30)
        with self.rotation(45, self.w / 2, self.h / 2):
            self.text(self.w / 2 - 95, self.h / 2, self.watermark.upper())
        self.set_font(self.font_family_name, "B", 9)
        self.set_xy(self.l_margin, 6)
        self.cell(0, 5, f"{self.watermark}: exact figures, small numbers not suppressed", align="C")
        self.set_text_color(0, 0, 0)
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.font_family_name, size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, f"{self.footer_text}  ·  page {self.page_no()}", align="C")


def _fonts(pdf: _Pack) -> str:
    """Register DejaVu (for £, en dashes, ‘c’ quotes) when installed; else the core Helvetica."""
    if FONT_REGULAR.exists() and FONT_BOLD.exists():
        pdf.add_font("DejaVu", "", str(FONT_REGULAR))
        pdf.add_font("DejaVu", "B", str(FONT_BOLD))
        pdf.font_family_name = "DejaVu"
    else:
        pdf.font_family_name = "Helvetica"
    return pdf.font_family_name


def _text(pdf: _Pack, text: str) -> str:
    """Text the current font can draw (core fonts are Latin-1 only)."""
    if pdf.font_family_name != "Helvetica":
        return text
    swaps = {"–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "·": "-", "÷": "/", "≥": ">=", "…": "..."}
    for a, b in swaps.items():
        text = text.replace(a, b)
    return text.encode("latin-1", "replace").decode("latin-1")


def _heading(pdf: _Pack, text: str, size: int = 14) -> None:
    pdf.set_font(pdf.font_family_name, "B", size)
    pdf.set_text_color(0, 0, 0)
    pdf.multi_cell(0, size * 0.55, _text(pdf, text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)


def _para(pdf: _Pack, text: str, size: float = 9.5) -> None:
    pdf.set_font(pdf.font_family_name, "", size)
    pdf.multi_cell(0, size * 0.5, _text(pdf, text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _table(pdf: _Pack, header: list[str], rows: list[list[str]], first_width: float = 52) -> None:
    width = pdf.epw
    others = (width - first_width) / max(len(header) - 1, 1)
    widths = [first_width] + [others] * (len(header) - 1)
    pdf.set_font(pdf.font_family_name, "", 8.5)
    with pdf.table(col_widths=widths, text_align=["LEFT"] + ["RIGHT"] * (len(header) - 1),
                   line_height=5, first_row_as_headings=True) as table:
        row = table.row()
        for cell in header:
            row.cell(_text(pdf, cell))
        for values in rows:
            row = table.row()
            for cell in values:
                row.cell(_text(pdf, cell))
    pdf.ln(3)


def committee_pack_pdf(source: Any, la_name: str, *, la: str | None = None, as_of: str | None = None,
                       filters: Sequence[tuple[str, str]] = (), exact: bool = False,
                       figure_ids: Sequence[str] | None = None, benchmark: pd.DataFrame | None = None,
                       references: dict[str, float | None] | None = None, progress: Any = None) -> bytes:
    """The committee pack as PDF bytes.

    `la_name` is the council's name on the cover; `la` the DfE authority name for the
    benchmark comparison (defaults to la_name; no comparison when it is not one).
    `as_of` and `filters` are the sidebar's. `exact` (live data only) lays out the
    exact figures with "Not for publication" on every page; otherwise the figures
    come through the door (`publishable`). `references` (figure → England value)
    draws a reference line on each chart.
    """
    ids = tuple(figure_ids or CORE)
    if exact and getattr(source, "is_shared", False):
        raise ValueError("An exact pack can only be made from the council's own data, not from a shared view.")
    if not exact:
        source = publishable(source, as_of, filters, progress)
    table = committee_table(source, ids, as_of, filters)
    when = source.default_as_of() if as_of is None else dt.date.fromisoformat(as_of)
    when_text = f"{when.day} {when:%B %Y}" if when else "the latest date in the data"
    bench = benchmark if benchmark is not None else benchmark_table(la or la_name, ids)
    if references is None and bench is not None and "england" in bench.columns:
        references = {r["figure"]: (None if pd.isna(r["england"]) else float(r["england"]))
                      for _, r in bench.iterrows()}

    pdf = _Pack(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(16, 16, 16)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_font(_fonts(pdf), size=10)
    pdf.watermark = NOT_FOR_PUBLICATION if exact else ""
    marker = f" – {NOT_FOR_PUBLICATION.upper()}" if exact else ""
    pdf.footer_text = _text(pdf, f"{la_name} – Children's Services workforce – figures as at {when_text}{marker}")
    pdf.set_title(f"{la_name}: workforce committee pack")
    pdf.set_creator("Workforce Lens")
    pdf.add_page()

    _heading(pdf, la_name, 20)
    _heading(pdf, "Children's Services workforce: committee pack", 14)
    _para(pdf, f"Figures as at {when_text}. Data: {source.label}. Prepared {dt.date.today():%-d %B %Y} "
               "with Workforce Lens.", 10)
    shown = "; ".join(f"{column.replace('_', ' ')}: {value}" for column, value in sorted(filters))
    _para(pdf, f"Showing: {shown}." if shown else "Showing: the whole council.", 10)
    if exact:
        _para(pdf, f"{NOT_FOR_PUBLICATION.upper()}. Exact figures for internal use: small numbers are NOT "
                   "suppressed, so this pack may identify individuals. Do not attach it to a public paper; use the "
                   "published pack instead.", 10)
    pdf.ln(2)

    _heading(pdf, "The committee table", 13)
    if table.empty:
        _para(pdf, "No figures could be computed from this data.")
    else:
        header, rows = formatted_table(table)
        _table(pdf, header, rows)
    if not exact:
        _para(pdf, suppress.note(), 8.5)

    charts = core_charts(table, references)
    if charts:
        pdf.add_page()
        _heading(pdf, "The core figures by service area", 13)
        for label, png in charts:
            image_h = _image_height(png, pdf.epw)
            if pdf.get_y() + image_h + 8 > pdf.h - 20:
                pdf.add_page()
            _para(pdf, label, 10)
            pdf.image(io.BytesIO(png), w=pdf.epw)
            pdf.ln(4)

    pdf.add_page()
    _heading(pdf, "Against England, the region and statistical neighbours", 13)
    if bench is None or bench.empty:
        _para(pdf, f"No DfE comparison: {la or la_name} is not a local authority in the DfE children's social "
                   "work workforce statistics (the demo council is fictional). Choose the council on the Compare "
                   "page to include it.")
    else:
        _benchmarks(pdf, bench)

    _heading(pdf, "Definitions", 13)
    for fid in ids:
        if fid in FIGURES:
            f = FIGURES[fid]
            source_text = f" Source: {f.source}." if f.source else ""
            _para(pdf, f"{f.label}: {f.definition}{source_text}", 9)

    _heading(pdf, "Notes", 13)
    notes = [n for n in source.notes() if not exact or n != suppress.note()]
    if not exact and suppress.note() not in notes:
        notes.append(suppress.note())
    for line in notes:
        _para(pdf, f"• {line}", 9)
    out = pdf.output()
    return bytes(out)


def _benchmarks(pdf: _Pack, bench: pd.DataFrame) -> None:
    from charts.format import format_value

    year = int(bench["year"].iloc[0]) if "year" in bench.columns and len(bench) else None
    region = str(bench["region_name"].iloc[0]) if "region_name" in bench.columns and len(bench) else "Region"
    header = ["Figure", "Council", "England", region, "Neighbours (median)", "Rank"]
    rows = []
    for _, r in bench.iterrows():
        unit = str(r.get("unit", "percent"))
        own = r["la_symbol"] if isinstance(r.get("la_symbol"), str) and r["la_symbol"] else format_value(
            r["la_value"], unit)
        rank = "" if pd.isna(r.get("rank")) else f"{int(r['rank'])} of {int(r['out_of'])}"
        rows.append([str(r["label"]), own, format_value(r["england"], unit), format_value(r["region"], unit),
                     format_value(r["neighbour_median"], unit), rank])
    _table(pdf, header, rows, first_width=42)
    if year:
        _para(pdf, f"DfE children's social work workforce statistics, {year} (children's social workers only; "
                   "Open Government Licence v3.0). Rank 1 is the best in England.", 8.5)


def _image_height(png: bytes, width_mm: float) -> float:
    """Height in mm of a PNG drawn `width_mm` wide."""
    import struct

    w, h = struct.unpack(">II", png[16:24])
    return width_mm * h / max(w, 1)
