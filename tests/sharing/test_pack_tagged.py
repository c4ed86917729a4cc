"""The committee pack is a tagged PDF: structure tree, title, language, headings, table headers, chart alt texts.

Read back with pikepdf (the structure tree, the content streams) and checked with
`pdfua`, a PDF/UA-1 checker on PyPI (it covers part of the machine-checkable rules;
veraPDF, the reference checker, is not available from PyPI, npm or Debian).
"""

from __future__ import annotations

import io

import pikepdf
import pytest

from sharing.export import committee_pack_pdf
from tests.sharing.test_pack import FakeSource


@pytest.fixture(scope="module")
def pdf() -> pikepdf.Pdf:
    data = committee_pack_pdf(FakeSource(shared=True), "Devon County Council", la="Devon")
    return pikepdf.open(io.BytesIO(data))


def _elements(node, depth=0):
    """(depth, structure type, element) for every element of the structure tree, in reading order."""
    kids = node.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield depth, str(kid.S), kid
            yield from _elements(kid, depth + 1)


def _tree(pdf):
    """Every element below /Document (the root's one child)."""
    document = pdf.Root.StructTreeRoot.K
    document = document[0] if isinstance(document, pikepdf.Array) else document
    assert str(document.S) == "/Document"
    return list(_elements(document))


def test_the_pdf_says_it_is_tagged_and_has_a_title_and_a_language(pdf):
    assert pdf.Root.MarkInfo.Marked is True
    assert str(pdf.Root.Lang) == "en-GB"
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    assert str(pdf.docinfo.Title) == "Devon County Council: workforce committee pack"
    with pdf.open_metadata() as meta:
        assert meta["dc:title"] == "Devon County Council: workforce committee pack"
        assert meta["pdfuaid:part"] == "1"  # DejaVu is embedded, so the PDF/UA claim is made


def test_structure_tree_has_headings_in_order(pdf):
    types = [kind for _, kind, _ in _tree(pdf)]
    assert types[0] == "/H1" and types.count("/H1") == 1  # the council's name on the cover
    assert types.count("/H2") >= 5  # subtitle, committee table, core figures, England, definitions, notes
    assert types.index("/H2") < types.index("/Table")


def test_tables_have_column_and_row_headers(pdf):
    tree = _tree(pdf)
    tables = [e for _, kind, e in tree if kind == "/Table"]
    assert len(tables) == 2  # the committee table and the DfE comparison
    committee = tables[0]
    rows = [r for r in committee.K if str(r.S) == "/TR"]
    assert len(rows) == 1 + 4  # header + Area A, Area B, Tiny Team, All
    header = [c for c in rows[0].K]
    assert [str(c.S) for c in header] == ["/TH"] * 6
    assert all(str(c.A.Scope) == "/Column" for c in header)
    for row in rows[1:]:
        cells = list(row.K)
        assert str(cells[0].S) == "/TH" and str(cells[0].A.Scope) == "/Row"  # the service area names the row
        assert [str(c.S) for c in cells[1:]] == ["/TD"] * 5


def test_every_chart_is_a_figure_with_alt_text(pdf):
    figures = [e for _, kind, e in _tree(pdf) if kind == "/Figure"]
    assert len(figures) >= 4  # the core figures the fake source can draw
    for figure in figures:
        alt = str(figure.Alt)
        assert alt.startswith("Bar chart of "), alt
        assert "Area A" in alt or "highest" in alt, alt  # the data in words, not only a title
    images = sum(len(pikepdf.Page(p).get_images()) for p in pdf.pages)
    assert images == len(figures)


def test_all_text_is_tagged_or_an_artifact(pdf):
    """No text is drawn outside a tag of the structure tree or an /Artifact (the footer, repeated headers)."""
    for number, page in enumerate(pdf.pages, start=1):
        depth, loose = 0, 0
        for _operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                depth += 1
            elif op == "EMC":
                depth -= 1
            elif op in ("Tj", "TJ", "'", '"') and depth == 0:
                loose += 1
        assert depth == 0, f"page {number}: unbalanced marked content"
        assert loose == 0, f"page {number}: {loose} pieces of text outside any tag"


def test_every_marked_content_id_belongs_to_an_element_of_its_page(pdf):
    tree = _tree(pdf)
    for _, _, element in tree:
        kids = element.get("/K")
        ids = [int(k) for k in (kids if isinstance(kids, pikepdf.Array) else [kids]) if isinstance(k, int)]
        if ids:
            assert "/Pg" in element
    parent_tree = pdf.Root.StructTreeRoot.ParentTree.Nums
    for number, page in enumerate(pdf.pages):
        key = page.obj.get("/StructParents")
        assert key is not None, f"page {number + 1} has tagged content but no /StructParents"
        entries = parent_tree[2 * list(parent_tree[0::2]).index(key) + 1]
        used = {int(props.MCID) for operands, op in pikepdf.parse_content_stream(page) if str(op) == "BDC"
                for props in [operands[1]] if isinstance(props, pikepdf.Dictionary) and "/MCID" in props}
        assert used == set(range(len(entries))), f"page {number + 1}: MCIDs {sorted(used)} vs {len(entries)}"


def test_a_pdf_ua_checker_finds_nothing(tmp_path):
    from pdfua import validate

    path = tmp_path / "pack.pdf"
    path.write_bytes(committee_pack_pdf(FakeSource(), "Testshire Council", la=None))
    report = validate(str(path))
    assert not report.findings, [(f.rule_id, f.message) for f in report.findings]
    assert report.exit_code == 0
