"""Data tables as real HTML tables in the page's text: captioned, with column and row headers, scrolling in their box.

A screen reader reads them cell by cell with their headers, a projector and a
phone show them as text, and a keyboard user can scroll a wide one sideways
(the scrolling box takes the focus: WCAG 2.1.1). Streamlit's own data grid draws
on a canvas, which none of these can read.

Every value is escaped (uploaded names are untrusted text). Cells are written as
given: format them first (ui.layout.display_table).
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Sequence

import pandas as pd
import streamlit as st

_ids = itertools.count(1)
_NUMBER = re.compile(r"^[−\-+±]?[£]?\d[\d,]*(\.\d+)?\s?(%|×|pts|FTE|days|k|m)?( [a-z]+)?$|^[c–xzu]$|^low$")
TOTAL_LABELS = frozenset({"All", "England"})
"""First-column values that mark a whole-council (total) row, drawn with a rule above it."""

NUM = ' class="wl-num"'
SCROLL_HINT = "Scroll sideways in the table to see every column."


def _is_number(text: str) -> bool:
    """True for a formatted number or a DfE symbol (right-aligned, kept on one line)."""
    return bool(_NUMBER.match(text.strip()))


def _text(value: object) -> str:
    """A cell's text: blanks as an en dash."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return str(value)


def html_table(df: pd.DataFrame, caption: str, *, row_headers: bool = True, hint: bool | None = None,
               table_id: str | None = None, caption_shown: bool = True) -> str:
    """The table as HTML: a focusable, labelled scrolling region holding a captioned table.

    `row_headers`: the first column names each row (a service area, a team), so it
    is a row header. `hint`: show the written 'scroll sideways' hint on every
    screen (None: only on narrow screens, or always when the table has more than
    six columns). `caption_shown=False` keeps the caption for screen readers only,
    when a heading just above already says the same.
    """
    ident = table_id or f"wl-table-{next(_ids)}"
    columns = [str(c) for c in df.columns]
    rows = [[_text(v) for v in row] for row in df.itertuples(index=False, name=None)]
    numeric = [bool(rows) and all(_is_number(r[i]) for r in rows) for i in range(len(columns))]
    head = "".join(f'<th scope="col"{NUM if numeric[i] and i else ""}>{html.escape(c)}</th>'
                   for i, c in enumerate(columns))
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            text = html.escape(value)
            if i == 0 and row_headers:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f'<td{NUM if numeric[i] else ""}>{text}</td>')
        total = ' class="wl-total"' if row and row[0] in TOTAL_LABELS else ""
        body.append(f"<tr{total}>{''.join(cells)}</tr>")
    wide = hint if hint is not None else len(columns) > 6
    hint_class = "wl-hint" if wide else "wl-hint wl-narrow-only"
    caption_class = "" if caption_shown else ' class="wl-sr-only"'
    return (
        f'<div class="wl-table-scroll" role="region" tabindex="0" aria-labelledby="{ident}-caption">'
        f'<table class="wl-table" id="{ident}"><caption id="{ident}-caption"{caption_class}>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        f'<p class="{hint_class}">{SCROLL_HINT}</p>'
    )


def cell_text(value: object) -> str:
    """A raw value as a person reads it in a table: 1,204 for a count, 15 Jan 2019 for a date, yes/no, '–' for blank."""
    import datetime as dt

    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"{value.day} {value:%b %Y}"
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def as_text(df: pd.DataFrame) -> pd.DataFrame:
    """A table of raw values (counts, dates, flags) with every cell as text (cell_text), for `show`."""
    return pd.DataFrame({column: [cell_text(v) for v in df[column].tolist()] for column in df.columns})


def show(df: pd.DataFrame, caption: str, *, row_headers: bool = True, hint: bool | None = None,
         key: str | None = None, caption_shown: bool = True, limit: int | None = None,
         more: str = "the download has them all") -> None:
    """Draw a table (see html_table); an empty table says so in words. With `limit`, a longer table shows its
    first `limit` rows and says how many there are and where the rest are (`more`)."""
    if df is None or df.empty:
        st.markdown("No rows to show.")
        return
    ident = f"wl-{re.sub(r'[^a-z0-9-]+', '-', key.lower())}" if key else None
    shown = df if limit is None or len(df) <= limit else df.head(limit)
    st.html(html_table(shown, caption, row_headers=row_headers, hint=hint, table_id=ident,
                       caption_shown=caption_shown))
    if len(shown) < len(df):
        st.caption(f"The first {len(shown):,} of {len(df):,} rows: {more}.")


def rows_of(fragment: str) -> list[list[str]]:
    """The cells of an html_table's output as text, header row first (for tests and checks)."""
    from html.parser import HTMLParser

    class _Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[str]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag: str, attrs: Sequence) -> None:
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag: str) -> None:
            if tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append("".join(self.cell).strip())
                self.cell = None

        def handle_data(self, data: str) -> None:
            if self.cell is not None:
                self.cell.append(data)

    parser = _Cells()
    parser.feed(fragment)
    return parser.rows


def to_frame(fragment: str) -> pd.DataFrame:
    """An html_table's output read back as a DataFrame of its text (header row as the columns)."""
    rows = rows_of(fragment)
    if not rows:
        return pd.DataFrame()
    return pd.DataFrame(rows[1:], columns=rows[0])


def is_table(fragment: str) -> bool:
    """True when an st.html body is one of these tables."""
    return 'class="wl-table"' in fragment
