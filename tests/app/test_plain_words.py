"""Plain words and real tables without a browser: the mapping step names our columns in words (the template name in
brackets at most), figure-off reasons and scenario changes read as sentences, table cells as people write numbers,
chart colours that carry meaning stand out from white, and no page writes a stray string onto the screen."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import re
from pathlib import Path

import pandas as pd
import pytest

from charts import theme
from charts.club import OTHERS
from charts.compare import OTHER_AUTHORITY
from ingest.match import HOW_EXACT, HOW_FUZZY, ColumnMatch
from tests.app.test_ui_a11y import _contrast
from ui import mapping, tables

availability = importlib.import_module("metrics.availability")  # the package's `availability` is a function

ROOT = Path(__file__).resolve().parents[2]
CODE_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def _outside_brackets(text: str) -> list[str]:
    """snake_case words that are not a bracketed template name ('(worker_type)') or a quoted sheet name."""
    return CODE_NAME.findall(re.sub(r"\([a-z0-9_]+\)|'[a-z0-9_]+'", "", text))


@pytest.mark.parametrize(("column", "words", "named"), [
    ("worker_type", "Worker type", "Worker type (worker_type)"),
    ("fte", "FTE", "FTE"),
    ("team", "Team", "Team"),
    ("worker_id", "Worker ID", "Worker ID (worker_id)"),
    ("manager_id", "Line manager's worker ID", "Line manager's worker ID (manager_id)"),
    ("employment_status", "Employment status (in post or left)",
     "Employment status (in post or left) (employment_status)"),
])
def test_mapping_step_names_our_columns_in_words(column, words, named):
    assert mapping.column_words(column) == words
    assert mapping.column_named(column) == named
    assert mapping.choice_words(column) == named


def test_match_captions_say_how_a_header_matched_in_plain_words():
    exact = ColumnMatch("EmpID", 0, "worker_id", HOW_EXACT, "'emp id' is a known header for worker_id",
                        examples=("1", "2", "3"))
    text = mapping.match_caption(exact)
    assert text == "a known header: 'emp id' is a known header for Worker ID (worker_id) · e.g. 1, 2, 3"
    assert not _outside_brackets(text)
    fuzzy = ColumnMatch("Start Dt", 1, "start_date", HOW_FUZZY, "close to 'start date'", score=91.0)
    assert mapping.match_caption(fuzzy).startswith("a close spelling (91% alike): ")
    assert mapping.choice_words(mapping.AUTO, exact) == "Automatic: Worker ID (worker_id)"
    # a user's own snake_case header in an example value is left as it is: only our column names are renamed
    assert mapping.named_columns("e.g. my_header, worker_type", mapping.all_columns()) == \
        "e.g. my_header, Worker type (worker_type)"


def test_value_choices_read_as_words():
    assert mapping.value_words("fixed_term") == "fixed term"
    assert mapping.value_words("agency") == "agency"


def test_reasons_a_figure_is_off_name_columns_in_words_with_the_template_name_in_brackets():
    for column, reason in availability.COLUMN_REASONS.items():
        assert not _outside_brackets(reason), (column, reason)
    assert availability.column_words("qualified_date") == "qualified date (qualified_date)"
    assert availability.column_words("caseload") == "caseload"


def test_cells_read_as_people_write_them():
    assert tables.cell_text(1463) == "1,463"
    assert tables.cell_text(2.0) == "2"
    assert tables.cell_text(0.25) == "0.25"
    assert tables.cell_text(None) == "–" and tables.cell_text(pd.NA) == "–" and tables.cell_text(pd.NaT) == "–"
    assert tables.cell_text(dt.date(2019, 1, 15)) == "15 Jan 2019"
    assert tables.cell_text(pd.Timestamp("2025-01-17")) == "17 Jan 2025"
    assert tables.cell_text(True) == "yes"
    frame = tables.as_text(pd.DataFrame({"File": ["a.xlsx"], "Rows": pd.array([1204], dtype="Int64")}))
    assert frame.to_dict("records") == [{"File": "a.xlsx", "Rows": "1,204"}]


def test_a_long_table_shows_its_first_rows_and_says_where_the_rest_are(monkeypatch):
    drawn, said = [], []
    monkeypatch.setattr(tables.st, "html", lambda body, **_: drawn.append(body))
    monkeypatch.setattr(tables.st, "caption", lambda text, **_: said.append(text))
    tables.show(pd.DataFrame({"Row": [str(i) for i in range(12)]}), "Rows", limit=5, more="the CSV has them all")
    assert len(tables.rows_of(drawn[0])) == 1 + 5
    assert said == ["The first 5 of 12 rows: the CSV has them all."]


def test_scenario_changes_carry_their_verdict_in_words(monkeypatch):
    from ui import forward

    side = pd.DataFrame({"figure": ["agency_rate", "fte_in_post", "vacancy_rate"],
                         "label": ["Agency rate", "FTE in post", "Vacancy rate"],
                         "today": [1 / 3, 4.0, 0.1], "scenario": [1 / 6, 5.0, 0.1],
                         "change": [1 / 6 - 1 / 3, 1.0, 0.0]})
    monkeypatch.setattr(forward.sc, "side_by_side", lambda table, group: side)
    rows = forward.comparison_table(pd.DataFrame(), "All").set_index("Figure")["Change"].to_dict()
    assert rows == {"Agency rate": "-16.7 pts (better)", "FTE in post": "+1.0 FTE", "Vacancy rate": "no change"}


def test_colours_that_carry_meaning_stand_out_from_white():
    for colour in theme.SERIES_COLOURS[:5] + theme.PAIR_COLOURS + [OTHER_AUTHORITY, OTHERS, theme.BETTER,
                                                                     theme.WORSE, theme.NEUTRAL]:
        assert _contrast(colour.lower()) >= 3, colour  # WCAG 1.4.11: graphics at least 3:1


@pytest.mark.parametrize("path", ["app.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))])
def test_no_page_has_a_bare_string_that_streamlit_would_write_on_screen(path):
    """Streamlit's "magic" writes any bare string after a script's docstring onto the page: a docstring under a
    constant (as app.py had for LIVE_ONLY) showed on every page."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    strays = [node.lineno for node in tree.body[1:] if isinstance(node, ast.Expr)
              and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)]
    assert not strays, f"{path}: bare strings at lines {strays}"
