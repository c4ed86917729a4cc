"""The committee pack opens with the written summary and can carry a chosen scenario, both suppressed."""

from __future__ import annotations

import shutil
import subprocess

import pytest

import metrics
from metrics import scenario as sc
from sharing import forward
from sharing.export import committee_pack_pdf
from tests.metrics.metrics_fixtures import AS_OF, make_workforce


def _text(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:  # make test installs poppler-utils (tools/system-packages)
        pytest.fail("pdftotext (poppler-utils) is needed to read the PDF's text")
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_pack_opens_with_the_summary_and_prints_the_chosen_scenario():
    source = metrics.LiveSource(make_workforce())
    pdf = committee_pack_pdf(source, "Test Council", as_of=AS_OF, benchmark=None,
                             scenario=sc.Scenario(convert_fte=1.6))
    text = _text(pdf)
    assert text.index("Summary") < text.index("The committee table")
    assert "1. As at 30 September 2024, the council had 5.3 FTE of employed staff in post" in text
    assert "Figures stated: [1] FTE in post, All, 30 Sep 2024: 5.3 FTE" in text
    assert "A scenario: what if?" in text
    assert "Convert 1.6 agency FTE to permanent posts in the whole council" in " ".join(text.split())


def test_scenario_section_hides_groups_under_the_threshold():
    source = metrics.LiveSource(make_workforce())
    header, rows, assumptions = forward.scenario_section(source, sc.Scenario(convert_fte=1.6), AS_OF)
    assert header == ["Figure", "Whole council: today", "Whole council: scenario"]
    cells = {r[0]: r[1:] for r in rows}
    # today the agency rate rests on 2 agency workers (under 5): hidden; with none left it rests on 8 employees
    assert cells["Agency rate"] == ["c", "0.0%"]
    assert cells["Vacancy rate"][0] == "22.1%"  # 1.5 ÷ (1.5 + 5.3), on 6 employees: shown
    assert any("Convert 1.6 agency FTE" in a for a in assumptions)
    assert forward.scenario_section(source, sc.Scenario(), AS_OF) is None  # nothing chosen, nothing printed
