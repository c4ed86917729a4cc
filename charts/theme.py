"""Colours and sizes shared by every chart: the Okabe–Ito palette and projector-readable type.

Colour never carries meaning alone: wherever a chart colours by "better/worse",
"behind/ahead" or by series, it also labels, dashes, shapes or positions the marks.
"""

from __future__ import annotations

import altair as alt

from charts.fit import (
    LABEL_LIMIT,
    LEGEND_COLUMNS,
    LEGEND_LABEL_LIMIT,
    LEGEND_LAYOUT,
    LEGEND_ORIENT,
    LEGEND_TITLE_LIMIT,
    responsive_title,
)

OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
"""The Okabe–Ito colour-blind-safe palette."""

SERIES_COLOURS: list[str] = [
    OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["bluish_green"], OKABE_ITO["black"],
    OKABE_ITO["reddish_purple"], OKABE_ITO["orange"], OKABE_ITO["sky_blue"], OKABE_ITO["yellow"],
]
"""Colours for series in order (lines, groups): the first five at least 3:1 on white (WCAG 1.4.11 for graphics);
orange, sky blue and yellow (2.3:1, 2.3:1, 1.3:1) only from the sixth series on."""
PAIR_COLOURS: list[str] = [OKABE_ITO["blue"], OKABE_ITO["bluish_green"]]
"""Two categories side by side with no better or worse between them (women and men): 5.2:1 and 3.4:1 on white."""

BETTER = OKABE_ITO["blue"]
WORSE = OKABE_ITO["vermillion"]
NEUTRAL = "#5B6770"
"""Bars with no better/worse meaning (neutral figures, no comparison)."""
REFERENCE = OKABE_ITO["black"]
"""Reference rules (England, threshold)."""

STATUS_COLOURS: dict[str, str] = {
    "worse": WORSE,
    "better": BETTER,
    "same": NEUTRAL,
    "no comparison": NEUTRAL,
}
"""Colour per judgement against the reference."""

FONT_SIZE = 14
TITLE_SIZE = 18
LABEL_LIMIT_PX = 280
"""Axis label width in pixels before truncation (long service-area names) on a laptop; less on a phone (charts.fit)."""
BAR_STEP = 34
"""Height per bar in horizontal bar charts."""


CONFIG: dict = {
    "axis": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "labelLimit": LABEL_LIMIT, "gridColor": "#e6e6e6"},
    "legend": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "labelLimit": LEGEND_LABEL_LIMIT,
               "titleLimit": LEGEND_TITLE_LIMIT, "orient": LEGEND_ORIENT, "direction": "horizontal",
               "columns": LEGEND_COLUMNS, "layout": LEGEND_LAYOUT},
    "title": {"fontSize": TITLE_SIZE, "anchor": "start", "subtitleFontSize": FONT_SIZE},
    "view": {"strokeWidth": 0},
}
"""Projector-readable defaults: large type, light grid; labels and legends that fit a phone (charts.fit)."""


def configure(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Attach the shared CONFIG to a chart (set directly: Altair's configure_* methods are slow to validate), and
    let a long title wrap on a phone rather than be cut."""
    chart.config = alt.Config(**CONFIG)
    # fit the width only: fitting the height too (Streamlit's default) squeezed a fixed-height plot to make room for
    # its legend, to a sliver on a phone where the legend is one entry per line
    chart.autosize = alt.AutoSizeParams(type="fit-x", contains="padding")
    title = getattr(chart, "title", alt.Undefined)
    if title is not alt.Undefined:
        chart.title = responsive_title(title)
    return chart


def title_props(title: str | None) -> dict:
    """`properties(**title_props(t))`: a chart title when one is given, nothing otherwise."""
    return {"title": alt.TitleParams(title)} if title else {}
