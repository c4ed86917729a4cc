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
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos
from fpdf.prefs import ViewerPreferences
from fpdf.structure_tree import StructElem, StructureTreeBuilder

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
        from reference.groups import CHILDRENS_SOCIAL_WORK, same_group

        # the DfE value describes children's social work only: no other service area is judged against it
        per_row = None if reference is None else {
            str(a): ("England (DfE)", reference) if same_group(a, CHILDRENS_SOCIAL_WORK) else None
            for a in df["service_area"] if str(a) != "All"}
        return bar_by_group(df, figure, group="service_area", per_row=per_row)
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


class _Elem(StructElem):
    """A structure element that can carry attributes (a table header's /Scope)."""

    __slots__ = ("a",)

    def __init__(self, *args: Any, attributes: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.a = attributes


class _TagTree(StructureTreeBuilder):
    """fpdf2's structure tree, nested: sections, tables, rows and cells, not only figures under the document.

    fpdf2 2.8.9 tags images (with alt text) and links, each directly under /Document.
    This keeps its interface (fpdf2's own image tagging still goes through
    `add_marked_content`) and adds grouping elements (Table, TR) with children, and
    marked-content ids counted per page across every element.
    """

    def __init__(self, pages: dict) -> None:
        super().__init__()
        self.pages = pages
        self.elements: list[StructElem] = []
        self.parents: list[StructElem] = [self.doc_struct_elem]
        self.mcids: dict[int, int] = {}

    def next_mcid_for_page(self, page_number: int) -> int:
        return self.mcids.get(page_number, 0)

    def add_marked_content(self, page_number: int, struct_type: str, mcid: int | None = None,
                           title: str | None = None, alt_text: str | None = None,
                           attributes: str | None = None) -> tuple[StructElem, int]:
        spid = self.spid_per_page_number.setdefault(page_number, len(self.spid_per_page_number))
        parent = self.parents[-1]
        elem = _Elem(struct_type=struct_type, parent=parent, kids=[] if mcid is None else [mcid],
                     page_number=page_number, title=title, alt=alt_text, attributes=attributes)
        elem.pg = self.pages[page_number]
        parent.k.append(elem)
        self.elements.append(elem)
        if mcid is not None:
            self.mcids[page_number] = mcid + 1
            self.struct_tree_root.parent_tree.nums[spid].append(elem)
        return elem, spid

    def open(self, struct_type: str, page_number: int) -> None:
        """Start a grouping element (Table, TR) under the current one; what follows goes inside it."""
        elem, _ = self.add_marked_content(page_number, struct_type)
        self.parents.append(elem)

    def close(self) -> None:
        """End the grouping element opened last."""
        self.parents.pop()

    def empty(self) -> bool:
        return not self.elements

    def __iter__(self):
        yield self.struct_tree_root
        yield self.doc_struct_elem
        yield self.struct_tree_root.parent_tree
        yield from self.elements


XMP = """<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>{ua}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>"""
"""XMP metadata: the title, the language and, when every font is embedded, the PDF/UA-1 claim."""
LANG = "en-GB"


class _Pack(FPDF):
    """A4 portrait with a running footer (and a watermark on every page of an exact pack), tagged for screen
    readers (PDF/UA-1 where the fonts allow).

    Every piece of text is drawn inside a tag of the structure tree (H1, H2, P,
    TH/TD in Table/TR, Figure with alt text) or marked as an artifact (the footer,
    the watermark, table rules), in reading order. The document has a title shown by
    the viewer and a language. A tag never spans pages: what is drawn in one is moved
    to the next page first when it would not fit.
    """

    footer_text = ""
    font_family_name = "Helvetica"
    watermark = ""

    def header(self) -> None:
        """An exact pack's watermark on every page (pagination, so an artifact: the cover says it in words)."""
        if not self.watermark:
            return
        with self.artifact():
            self.set_font(self.font_family_name, "B", 44)
            self.set_text_color(200, 30, 30)
            with self.rotation(45, self.w / 2, self.h / 2):
                self.text(self.w / 2 - 95, self.h / 2, self.watermark.upper())
            self.set_font(self.font_family_name, "B", 9)
            self.set_xy(self.l_margin, 6)
            self.cell(0, 5, f"{self.watermark}: exact figures, small numbers not suppressed", align="C")
            self.set_text_color(0, 0, 0)
        self.set_xy(self.l_margin, self.t_margin)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.struct_builder = _TagTree(self.pages)
        self.set_lang(LANG)
        self.viewer_preferences = ViewerPreferences(display_doc_title=True)

    def set_title(self, title: str) -> None:
        """The document title (shown by the viewer instead of the file name) and its XMP metadata."""
        super().set_title(title)
        embedded = self.font_family_name != "Helvetica"  # the core Helvetica is not embedded: no PDF/UA claim
        ua = "\n   <pdfuaid:part>1</pdfuaid:part>" if embedded else ""
        self.set_xmp_metadata(XMP.format(title=escape(title), lang=LANG, ua=ua))

    @contextmanager
    def tag(self, role: str, *, alt: str | None = None, title: str | None = None, attributes: str | None = None):
        """What is drawn inside is one tagged element (H1, H2, P, TH, TD) in the structure tree."""
        mcid = self.struct_builder.next_mcid_for_page(self.page)
        self.struct_builder.add_marked_content(self.page, f"/{role}", mcid, title, alt, attributes)
        self.pages[self.page].struct_parents = self.struct_builder.spid_per_page_number[self.page]
        self._set_min_pdf_version("1.4")
        self._out(f"/{role} <</MCID {mcid}>> BDC")
        start, auto = self.page, self.auto_page_break
        self.set_auto_page_break(False, self.b_margin)
        try:
            yield
        finally:
            self.set_auto_page_break(auto, self.b_margin)
            if self.page != start:  # pragma: no cover - guarded by fits()
                raise RuntimeError("a tagged element ran over a page")
            self._out("EMC")

    @contextmanager
    def group(self, role: str):
        """A grouping element (Table, TR) holding the tags drawn inside."""
        self.struct_builder.open(f"/{role}", self.page)
        try:
            yield
        finally:
            self.struct_builder.close()

    @contextmanager
    def artifact(self):
        """What is drawn inside is decoration or pagination, not content (screen readers skip it)."""
        self._out("/Artifact BMC")
        try:
            yield
        finally:
            self._out("EMC")

    def fits(self, height: float) -> bool:
        """True when `height` mm still fits above the bottom margin of this page."""
        return self.get_y() + height <= self.page_break_trigger

    def footer(self) -> None:
        with self.artifact():
            self.set_y(-12)
            self.set_font(self.font_family_name, size=8)
            self.set_text_color(70, 70, 70)
            self.cell(0, 6, f"{self.footer_text}  ·  page {self.page_no()}", align="C")
            self.set_text_color(0, 0, 0)


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
    swaps = {"–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "·": "-", "÷": "/", "≥": ">=", "…": "...",
             "×": "x"}
    for a, b in swaps.items():
        text = text.replace(a, b)
    return text.encode("latin-1", "replace").decode("latin-1")


def _flow(pdf: _Pack, role: str, text: str, line_height: float) -> None:
    """Text across the page width as one tagged element per page it needs (a heading or a paragraph)."""
    lines = pdf.multi_cell(0, line_height, text, dry_run=True, output=MethodReturnValue.LINES)
    while lines:
        room = max(int((pdf.page_break_trigger - pdf.get_y()) // line_height), 0)
        if room == 0 or (role.startswith("H") and room < len(lines)):  # a heading is never split
            pdf.add_page()
            continue
        chunk, lines = lines[:room], lines[room:]
        with pdf.tag(role):
            pdf.multi_cell(0, line_height, "\n".join(chunk), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if lines:
            pdf.add_page()


def _heading(pdf: _Pack, text: str, size: int = 14) -> None:
    """A heading: H1 for the council's name on the cover (the largest size), H2 for each section."""
    pdf.set_font(pdf.font_family_name, "B", size)
    pdf.set_text_color(0, 0, 0)
    if not pdf.fits(size * 0.55 * 3):  # keep a heading with what follows it
        pdf.add_page()
    _flow(pdf, "H1" if size >= 18 else "H2", _text(pdf, text), size * 0.55)
    pdf.ln(1.5)


def _para(pdf: _Pack, text: str, size: float = 9.5) -> None:
    """A paragraph."""
    pdf.set_font(pdf.font_family_name, "", size)
    pdf.set_text_color(0, 0, 0)
    _flow(pdf, "P", _text(pdf, text), size * 0.5)
    pdf.ln(1)


TABLE_LINE = 4.2
TABLE_PAD = 1.2


def _row_height(pdf: _Pack, cells: Sequence[str], widths: Sequence[float], bold: bool) -> float:
    """The height of a table row: its tallest cell, wrapped in its column."""
    pdf.set_font(pdf.font_family_name, "B" if bold else "", 8.5)
    tallest = 1
    for text, width in zip(cells, widths, strict=True):
        lines = pdf.multi_cell(width - 2 * TABLE_PAD, TABLE_LINE, text, dry_run=True, output=MethodReturnValue.LINES)
        tallest = max(tallest, len(lines))
    return tallest * TABLE_LINE + 2 * TABLE_PAD


def _table_row(pdf: _Pack, cells: Sequence[str], widths: Sequence[float], *, header: bool, tagged: bool = True) -> None:
    """One row: each cell a TH (column headers; the first cell of a body row names its row) or a TD.

    A header row repeated at the top of a new page is drawn as an artifact (read once, not on every page).
    """
    height = _row_height(pdf, cells, widths, bold=header)
    x0, y0 = pdf.l_margin, pdf.get_y()
    with pdf.artifact():
        if header:
            pdf.set_fill_color(230, 230, 230)
            pdf.rect(x0, y0, sum(widths), height, style="F")
        pdf.set_draw_color(120, 120, 120)
        pdf.set_line_width(0.4 if header else 0.2)
        pdf.line(x0, y0 + height, x0 + sum(widths), y0 + height)
    x = x0
    for i, (text, width) in enumerate(zip(cells, widths, strict=True)):
        is_th = header or i == 0
        pdf.set_font(pdf.font_family_name, "B" if is_th else "", 8.5)
        pdf.set_xy(x + TABLE_PAD, y0 + TABLE_PAD)
        align = "L" if i == 0 else "R"
        scope = "/Column" if header else "/Row"
        if tagged:
            with pdf.tag("TH" if is_th else "TD", attributes=f"<</O /Table /Scope {scope}>>" if is_th else None):
                pdf.multi_cell(width - 2 * TABLE_PAD, TABLE_LINE, text, align=align)
        else:
            with pdf.artifact():
                pdf.multi_cell(width - 2 * TABLE_PAD, TABLE_LINE, text, align=align)
        x += width
    pdf.set_xy(x0, y0 + height)


def _table(pdf: _Pack, header: list[str], rows: list[list[str]], first_width: float = 52) -> None:
    """A table with its header row (repeated on a new page), tagged Table > TR > TH/TD for screen readers."""
    width = pdf.epw
    others = (width - first_width) / max(len(header) - 1, 1)
    widths = [first_width] + [others] * (len(header) - 1)
    header = [_text(pdf, c) for c in header]
    with pdf.group("Table"):
        if not pdf.fits(_row_height(pdf, header, widths, True) + _row_height(pdf, rows[0], widths, False)
                        if rows else 0):
            pdf.add_page()
        with pdf.group("TR"):
            _table_row(pdf, header, widths, header=True)
        for values in rows:
            cells = [_text(pdf, c) for c in values]
            if not pdf.fits(_row_height(pdf, cells, widths, False)):
                pdf.add_page()
                _table_row(pdf, header, widths, header=True, tagged=False)
            with pdf.group("TR"):
                _table_row(pdf, cells, widths, header=False)
    pdf.set_font(pdf.font_family_name, "", 8.5)
    pdf.ln(3)


def _chart_alt(table: pd.DataFrame, label: str, references: dict[str, float | None] | None) -> str:
    """A chart's alternative text: what it shows, and its data in words (the dashboard's own description)."""
    figure = next((f for f in FIGURES.values() if f.label == label), None)
    text = f"Bar chart of {label.lower()} by service area."
    if figure is None:
        return text
    try:
        from charts import describe_bars

        reference = (references or {}).get(figure.id)
        refs = [("England", reference)] if reference is not None else None
        return f"{text} {describe_bars(suppress.numeric(table), figure, refs, group='service_area')}"
    except Exception:  # noqa: BLE001 - the words are a help; the table on page 1 has every value
        return text


def _chart_image(pdf: _Pack, label: str, png: bytes, alt: str) -> None:
    """A chart with its label (a paragraph) and its alt text (a Figure), kept together on one page."""
    image_h = _image_height(png, pdf.epw)
    if not pdf.fits(image_h + 8):
        pdf.add_page()
    _para(pdf, label, 10)
    pdf.image(io.BytesIO(png), w=pdf.epw, alt_text=_text(pdf, alt), title=_text(pdf, label))
    pdf.ln(4)


def committee_pack_pdf(source: Any, la_name: str, *, la: str | None = None, as_of: str | None = None,
                       filters: Sequence[tuple[str, str]] = (), exact: bool = False,
                       figure_ids: Sequence[str] | None = None, benchmark: pd.DataFrame | None = None,
                       references: dict[str, float | None] | None = None, progress: Any = None,
                       scenario: Any = None, targets: Sequence = ()) -> bytes:
    """The committee pack as PDF bytes.

    `la_name` is the council's name on the cover; `la` the DfE authority name for the
    benchmark comparison (defaults to la_name; no comparison when it is not one).
    `as_of` and `filters` are the sidebar's. `exact` (live data only) lays out the
    exact figures with "Not for publication" on every page; otherwise the figures
    come through the door (`publishable`). `references` (figure → England value)
    draws a reference line on each chart. `scenario` (metrics.scenario.Scenario) adds
    its figures beside today's; `targets` (set in the app) join the uploaded ones in
    the summary (sharing.forward).
    """
    from sharing import forward
    ids = tuple(figure_ids or CORE)
    if exact and getattr(source, "is_shared", False):
        raise ValueError("An exact pack can only be made from the council's own data, not from a shared view.")
    live = source  # a scenario is worked out on the council's own data (sharing.forward hides its small groups)
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

    summary = forward.summary(source, as_of, targets, bench, ids)
    if summary:
        _heading(pdf, "Summary", 13)
        for n, sentence in enumerate(summary, start=1):
            _para(pdf, f"{n}. {sentence.text}", 10)
        _para(pdf, "Figures stated: " + " ".join(f"[{n}] {s.footnote()}." for n, s in enumerate(summary, start=1)),
              7.5)

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
            _chart_image(pdf, label, png, _chart_alt(table, label, references))

    pdf.add_page()
    _heading(pdf, "Against England, the region and statistical neighbours", 13)
    if bench is None or bench.empty:
        _para(pdf, f"No DfE comparison: {la or la_name} is not a local authority in the DfE children's social "
                   "work workforce statistics (the demo council is fictional). Choose the council on the Compare "
                   "page to include it.")
    else:
        _benchmarks(pdf, bench)

    chosen = forward.scenario_section(live, scenario, as_of)
    if chosen is not None:
        _heading(pdf, "A scenario: what if?", 13)
        _table(pdf, chosen[0], chosen[1], first_width=46)
        for line in chosen[2]:
            _para(pdf, f"• {line}", 8.5)

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
