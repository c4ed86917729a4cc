"""Charts that fit their box on a laptop, a tablet and a phone: room for value labels, wrapped titles, short axes.

Streamlit draws every chart as wide as its column (Vega's "fit" autosize), from
about 330 px on a phone to 1,300 px on a projector, and Vega does not make room
for text that runs past the plot: a value label at the end of the longest bar, or
a line's name at its last point, is cut off at the chart's edge. So:

- `text_px` estimates how wide a label is drawn, and `padding` keeps that much
  room at the chart's right edge, so a label beyond its bar (and beyond any
  reference line) is never cut;
- axis and legend labels are limited to a share of the chart's width
  (`LABEL_LIMIT`, an expression of the container's width): a long team name is
  shortened with "…" on a phone, and its full text is in the table under the chart;
- legends go one entry per line on a narrow chart (`LEGEND_COLUMNS`);
- a long title is split over lines on a narrow chart (`responsive_title`),
  where Streamlit would otherwise cut it with "…".

Expressions use Vega's `containerSize()`: the chart's box, whatever the window.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Sequence

NARROW_PX = 560
"""A chart box narrower than this (a phone, or a half-width column on a tablet) gets the narrow layout."""
CONTAINER = "containerSize()[0]"
"""Vega's width of the chart's box, in pixels."""
NARROW_TEST = f"{CONTAINER} < {NARROW_PX}"
"""A Vega test: true in a narrow box (for conditional encodings, e.g. shorter labels on a phone)."""

LABEL_LIMIT = {"expr": f"clamp({CONTAINER} * 0.34, 84, 280)"}
"""Axis labels: at most a third of the box (84 px on a phone, 280 px on a laptop); longer ones end in '…'."""
LEGEND_LABEL_LIMIT = {"expr": "clamp(width - 24, 90, 360)"}
"""Legend labels: the plot's width (a legend starts under the plot) less the symbol, so an entry is not cut on a
phone; a longer one ends in '…' (the legend's words are also in the chart's description and table)."""
LEGEND_TITLE_LIMIT = {"expr": "clamp(width, 90, 400)"}
"""Legend titles: the plot's width."""
TWO_LINES = f"{NARROW_TEST} ? split(datum.label, ': ') : datum.label"
"""A legend label expression: 'England 2025 (DfE): 13.0%' on one line, or on two (name, then value) in a narrow
box, so the value is never the part cut off."""
LEGEND_LAYOUT = {"expr": "{'bottom': {'direction': 'vertical', 'anchor': 'start', 'margin': 6}}"}
"""Several legends under a chart go one below the other (side by side they ran off the edge)."""
LEGEND_ORIENT = "bottom"
"""Legends under the plot."""
LEGEND_COLUMNS = {"expr": f"{CONTAINER} < {NARROW_PX} ? 1 : 0"}
"""One legend entry per line in a narrow box; all in one row otherwise."""

_NARROW_CHARS = frozenset("iIjlftr.,:;'|!()[] ")
_WIDE_CHARS = frozenset("mwMWOQGD%£@")


def text_px(text: object, size: float = 13.0) -> float:
    """About how many pixels wide `text` is drawn at font `size` in the app's sans-serif font (a little over, never
    under: it decides the room kept for labels)."""
    width = 0.0
    for char in str(text):
        if char in _NARROW_CHARS:
            width += 0.32
        elif char in _WIDE_CHARS:
            width += 0.86
        elif char.isdigit():
            width += 0.57
        elif char.isupper():
            width += 0.68
        else:
            width += 0.56
    return width * size


def longest_px(texts: Iterable[object], size: float = 13.0) -> float:
    """The widest of several labels, in pixels (0 when there are none)."""
    return max((text_px(t, size) for t in texts if t is not None), default=0.0)


def padding(right: float, top: int = 5) -> dict[str, int]:
    """Chart padding that keeps `right` pixels at the right edge for labels drawn past the plot."""
    return {"left": 5, "top": top, "right": int(round(right)) + 8, "bottom": 5}


def wrap(text: str, width: int) -> list[str]:
    """Text split into lines of at most `width` characters (at spaces)."""
    return textwrap.wrap(text, width=width, break_long_words=False) or [text]


def responsive_text(text: str, size: float, narrow_chars: int = 30) -> str | dict:
    """`text` as is when it fits a phone's chart box; otherwise an expression giving it whole in a wide box and split
    over lines (at most `narrow_chars` characters each) in a box too narrow for it."""
    needed = text_px(text, size) + 40
    if needed <= 330:
        return text
    lines = wrap(text, narrow_chars)
    return {"expr": f"{CONTAINER} < {int(needed)} ? {json.dumps(lines, ensure_ascii=False)} : "
                    f"{json.dumps(text, ensure_ascii=False)}"}


def responsive_title(title: object, size: float = 18.0, subtitle_size: float = 14.0) -> object:
    """A chart title (str, TitleParams or a spec's title dict) whose text and subtitle wrap in a narrow box."""
    import altair as alt

    if isinstance(title, str):
        text = responsive_text(title, size)
        return title if isinstance(text, str) else alt.TitleParams(text=text)
    if isinstance(title, alt.TitleParams):
        text = title.text if isinstance(title.text, str) else None
        subtitle = title.subtitle if isinstance(title.subtitle, str) else None
        if text is not None:
            title.text = responsive_text(text, size)
        if subtitle is not None and text_px(subtitle, subtitle_size) + 40 > 330:
            title.subtitle = wrap(subtitle, 38)  # a subtitle cannot be an expression: short lines on every screen
    return title


def axis_label_expr(unit: str) -> str | None:
    """A Vega label expression for axes whose d3 format cannot say the unit: £7.96m and £412k for money, 1.5× for a
    ratio (d3 formats have neither a £ nor a ×). None for other units."""
    if unit == "gbp":
        return ("(datum.value < 0 ? '-' : '') + '£' + (abs(datum.value) >= 1e6 ? "
                "format(abs(datum.value) / 1e6, ',.3~g') + 'm' : abs(datum.value) >= 1e5 ? "
                "format(abs(datum.value) / 1e3, ',.0f') + 'k' : format(abs(datum.value), ',.0f'))")
    if unit == "ratio":
        return "format(datum.value, ',.2~f') + '×'"
    return None


def room_for_labels(positions: Sequence[float | None], wide: Sequence[str], narrow: Sequence[str] | None = None,
                    floor: float = 0.0, size: float = 13.0, start: float = 0.0,
                    gap: int = 12) -> dict:
    """The end of a value axis from zero (a Vega expression of the plot's width) that leaves room right of each
    label's position for the label itself (`gap`: the pixels between the position and the text, and a margin): at least `floor` (the round number above the data), further when a
    label would otherwise run past the chart's edge. `narrow` labels (shorter words) are used in a narrow box.

    A label at data position p, `px` pixels long, on an axis from `start` fits when (p − start) / (end − start) ×
    width + px ≤ width, so the end is at least start + (p − start) × width / (width − px); on a phone that may
    shorten every bar, never cut a label.
    """
    def ends(labels: Sequence[str]) -> str:
        needed: dict[int, float] = {}
        for at, label in zip(positions, labels, strict=True):
            if at is None or at != at or at <= 0:
                continue
            px = int(text_px(label, size)) + gap
            needed[px] = max(needed.get(px, 0.0), float(at) - start)
        terms = [f"{start!r} + {at!r} * width / max(width - {px}, width * 0.25)" for px, at in sorted(needed.items())]
        return f"max({', '.join([repr(float(floor)), *terms])})"

    wide_end = ends(wide)
    if narrow is None:
        return {"expr": wide_end}
    return {"expr": f"{CONTAINER} < {NARROW_PX} ? {ends(narrow)} : {wide_end}"}
