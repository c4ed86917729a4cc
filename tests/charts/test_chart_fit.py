"""Charts that read well at every width: labels beyond bars and reference lines, never cut at the chart's edge;
axes that stop at the data; wrapped titles; £ and × on axes; no NaN in a spec.

The Vega expressions the charts carry (the axis end as a function of the plot's width, a title that wraps in a
narrow box) are evaluated here at a phone's, a tablet's and a laptop's widths, and the geometry is checked by hand:
a label starting at data position p on an axis from 0 to `end` is drawn from p / end × width + 5 px, and must end
inside the chart.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import charts
from charts.bars import label_positions
from charts.fit import NARROW_PX, responsive_text, text_px
from charts.format import axis_ticks
from metrics.registry import Figure
from tests.charts.test_charts import AGENCY, BY_AREA, FTE, GAP, data_of, layers, mark

WIDTHS = {"phone": (170, 330), "tablet": (420, 700), "laptop": (700, 1300)}
"""(plot width, box width) in pixels: a phone's plot is what is left beside the group names."""


def _outside_quotes(text: str, char: str) -> int:
    """The index of the first `char` not inside a quoted string (-1 if none)."""
    quote = None
    for i, c in enumerate(text):
        if quote:
            quote = None if c == quote and text[i - 1] != "\\" else quote
        elif c in "\"'":
            quote = c
        elif c == char:
            return i
    return -1


def vega(expr: str, width: float, box: float) -> object:
    """Evaluate the few Vega expression forms these charts use (max, clamp, one `a ? b : c`, numbers, strings and
    arrays of strings)."""
    text = expr.replace("containerSize()[0]", repr(float(box)))
    text = re.sub(r"\bwidth\b", repr(float(width)), text)
    ask = _outside_quotes(text, "?")
    if ask >= 0:
        rest = text[ask + 1:]
        colon = _outside_quotes(rest, ":")
        return vega(rest[:colon] if eval(text[:ask]) else rest[colon + 1:], width, box)  # noqa: S307
    return eval(text, {"max": max, "clamp": lambda v, lo, hi: min(max(v, lo), hi)})  # noqa: S307


def bar_layers(spec: dict) -> tuple[dict, dict]:
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    labels = next(v for v in layers(spec) if mark(v) == "text" and v["encoding"]["x"]["field"] == "label_at")
    return bars, labels


@pytest.mark.parametrize("size", list(WIDTHS))
@pytest.mark.parametrize("case", ["per_row", "rules", "neutral"])
def test_every_value_label_fits_inside_the_chart_at_every_width(size, case):
    df = pd.DataFrame({"service_area": ["Children's Social Work", "Education Psychology", "SEND 0-25", "All"],
                       "agency_rate": [0.271, 0.094, 0.97, 0.2], "fte_in_post": [245.1, 24.1, 77.7, 346.9]})
    if case == "per_row":
        spec = charts.bar_by_group(df, AGENCY, per_row={"Children's Social Work": ("England 2025 (DfE)", 0.13),
                                                         "Education Psychology": ("LGA 2024", 0.12),
                                                         "SEND 0-25": None}).to_dict()
    elif case == "rules":
        spec = charts.bar_by_group(df, AGENCY, [("England 2025 (DfE)", 0.13), ("South West 2025 (DfE)", 0.149)]
                                   ).to_dict()
    else:
        spec = charts.bar_by_group(df, FTE).to_dict()
    bars, _ = bar_layers(spec)
    width, box = WIDTHS[size]
    start, end = bars["encoding"]["x"]["scale"]["domain"]
    end = vega(end["expr"], width, box)
    rows = data_of(spec, bars)
    narrow = box < NARROW_PX
    for row in rows:
        said = row["short"] if narrow else row["label"]
        right = (row["label_at"] - start) / (end - start) * width + 5 + text_px(said)
        assert right <= width + 1, (size, said, right, width)


def test_labels_start_past_the_bar_and_past_any_line_on_their_row():
    # 9.4% against a tick at 12%: the label starts at 12%, not across the tick
    assert label_positions([0.271, 0.094, 0.05, None], [0.13, 0.12, None, 0.1]) == [0.271, 0.12, 0.05, None]
    spec = charts.bar_by_group(BY_AREA, AGENCY, [("England", 0.179), ("Region", 0.25)]).to_dict()
    rows = {r["group"]: r for r in data_of(spec, bar_layers(spec)[0])}
    assert rows["Children's Social Work"]["label_at"] == pytest.approx(0.312)  # beyond both lines already
    assert rows["SEND 0-25"]["label_at"] == pytest.approx(0.25)  # 20.0%: past England's 17.9% and the region's 25%
    assert rows["Early Help"]["label_at"] == pytest.approx(0.25)


def test_the_axis_stops_at_a_round_number_above_the_data_though_the_scale_leaves_room_for_labels():
    spec = charts.bar_by_group(BY_AREA, AGENCY, reference=0.179).to_dict()
    bars, _ = bar_layers(spec)
    assert bars["encoding"]["x"]["axis"]["values"] == pytest.approx([0, 0.1, 0.2, 0.3, 0.4])  # 31.2% → 40%
    assert vega(bars["encoding"]["x"]["scale"]["domain"][1]["expr"], 900, 1300) == pytest.approx(0.4)  # room enough
    assert axis_ticks(0, 6, "count") == [0, 2, 4, 6]


def test_a_phone_keeps_the_verdict_but_drops_no_comparator_words():
    spec = charts.bar_by_group(BY_AREA, AGENCY, per_row={"Children's Social Work": ("England", 0.13),
                                                         "Early Help": None, "SEND 0-25": None}).to_dict()
    rows = {r["group"]: r for r in data_of(spec, bar_layers(spec)[0])}
    assert (rows["Children's Social Work"]["label"], rows["Children's Social Work"]["short"]) == \
        ("31.2% (worse)", "31.2% (worse)")
    assert (rows["Early Help"]["label"], rows["Early Help"]["short"]) == ("5.0% (no comparator)", "5.0%")


def test_reference_legend_puts_the_value_on_its_own_line_on_a_phone():
    spec = charts.bar_by_group(BY_AREA, AGENCY, [("England 2025 (DfE)", 0.13)]).to_dict()
    rule = next(v for v in layers(spec) if mark(v) == "rule")
    label = rule["encoding"]["strokeDash"]["legend"]["labelExpr"]
    assert label == "containerSize()[0] < 560 ? split(datum.label, ': ') : datum.label"
    assert spec["config"]["legend"]["layout"]["expr"].startswith("{'bottom': {'direction': 'vertical'")


def test_a_long_title_wraps_on_a_phone_and_stays_whole_on_a_laptop():
    text = "Leavers: what happened and the projection (shaded: its range)"
    found = responsive_text(text, 18)
    assert vega(found["expr"], 0, 1300) == text
    lines = vega(found["expr"], 0, 330)
    assert " ".join(lines) == text and all(text_px(line, 18) + 40 <= 330 for line in lines)
    assert responsive_text("Agency rate", 18) == "Agency rate"  # short titles are left alone


def test_money_and_ratio_axes_say_their_unit():
    cost = charts.bar_by_group(pd.DataFrame({"service_area": ["A", "B"], "agency_annual_cost": [7_962_384, 412_000]}),
                               Figure(id="agency_annual_cost", label="Estimated annual agency cost",
                                                  definition="", unit="gbp", polarity="neutral")).to_dict()
    axis = bar_layers(cost)[0]["encoding"]["x"]["axis"]
    assert "'£'" in axis["labelExpr"] and "'m'" in axis["labelExpr"]
    rows = {r["group"]: r for r in data_of(cost, bar_layers(cost)[0])}
    assert rows["A"]["label"] == "£7.96m" and rows["A"]["shown"] == "£7.96m"  # the tooltip too, not 7,962,384
    premium = charts.bar_by_group(pd.DataFrame({"service_area": ["A"], "agency_premium": [1.46]}),
                                  Figure(id="agency_premium", label="Agency premium", definition="",
                                                     unit="ratio", polarity="lower_is_better")).to_dict()
    bars = bar_layers(premium)[0]
    assert bars["encoding"]["x"]["axis"]["labelExpr"] == "format(datum.value, ',.2~f') + '×'"
    assert bars["encoding"]["x"]["title"] == "Agency premium (×)"
    assert data_of(premium, bars)[0]["label"] == "1.46×"


def test_a_diverging_chart_with_a_hidden_value_has_no_nan_and_says_c():
    df = pd.DataFrame({"role": ["Social Worker", "Team Manager", "Hidden", "All"],
                       "salary_gap": [-0.062, 0.031, "c", -0.01]})
    spec = charts.diverging_bar(df, GAP, group="role").to_dict()
    json.dumps(spec, allow_nan=False)  # a NaN in the spec stopped the whole chart in the browser
    rows = {r["group"]: r for r in data_of(spec, next(v for v in layers(spec) if mark(v) == "bar"))}
    assert rows["Hidden"]["label"] == "c" and rows["Hidden"]["value"] is None
    domain = next(v for v in layers(spec) if mark(v) == "bar")["encoding"]["x"]["scale"]["domain"]
    for width in (150, 600):
        end = vega(domain[1]["expr"], width, 0)
        assert end >= 0.062 * 1.25
        # the longest label ("-6.2% behind") fits left of the longest bar: (end − 0.062) / (2 end) × width ≥ its px
        assert (end - 0.062) / (2 * end) * width >= min(text_px("-6.2% behind") + 8, width * 0.4) - 1


def test_one_authority_far_above_the_rest_is_cut_short_with_a_note_not_squashing_the_others():
    from charts import compare as cc

    peers = pd.DataFrame({"year": 2025, "area": ["Bristol", "Devon", "Swindon", "Isles of Scilly"],
                          "label": ["Bristol", "◆ Devon (selected)", "Swindon", "Isles of Scilly"],
                          "value": [0.03, 0.243, 0.349, 1.0], "symbol": [None] * 4, "note": "",
                          "selected": [False, True, False, False], "rank": [1, 2, 3, 4]})
    assert cc.outliers(list(peers["value"])) == 1  # 100% is more than twice 34.9%
    assert cc.outliers([0.35, 0.3, 0.25, 0.1]) == 0
    assert cc.outliers([1.0, 0.9, 0.3, 0.2, 0.1]) == 2
    spec = cc.peer_bars(peers, "Agency rate", "percent", 0.13).to_dict()
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    rows = {r["area"]: r for r in data_of(spec, bars)}
    axis = bars["encoding"]["x"]["axis"]["values"]
    assert axis[-1] == pytest.approx(0.4)  # the axis stops above the others (34.9%), not at 100%
    assert rows["Isles of Scilly"]["drawn"] == pytest.approx(0.4) and rows["Isles of Scilly"]["value"] == 1.0
    assert rows["Isles of Scilly"]["label_text"] == "100.0% (off the scale)"
    assert rows["Swindon"]["drawn"] == pytest.approx(0.349)
    assert rows["Bristol"]["label_at"] == pytest.approx(0.13)  # past England's line, not across it
    breaks = [v for v in layers(spec) if mark(v) == "text" and v["encoding"]["text"].get("value") == cc.BREAK]
    assert len(breaks) == 1
    subtitle = spec["title"]["subtitle"]  # wrapped into short lines, for a phone
    assert " ".join(subtitle) == ("Isles of Scilly (100.0%) is far above the rest: its bar is cut short (marked //) "
                                  "so the others can be read.")
    assert all(len(line) <= 38 for line in subtitle)
    text = cc.describe_peers(peers, "Agency rate", "percent", "authorities in the South West")
    assert "Isles of Scilly (100.0%) is far above the rest: the chart cuts its bar short (marked //)" in text


def test_women_and_men_per_quartile_are_named_on_every_bar():
    df = pd.DataFrame({"quartile": ["Lower", "Upper", "Lower", "Upper"], "gender": ["Women", "Women", "Men", "Men"],
                       "share": [0.912, 0.89, 0.088, 0.11], "people": [125, 121, 12, "c"]})
    spec = charts.paired_bars(df, group="quartile", category="gender", value="people", share="share",
                              value_title="People", order=("Women", "Men")).to_dict()
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    labels = [r["label"] for r in data_of(spec, bars)]
    assert labels == ["Women: 125 (91.2%)", "Women: 121 (89.0%)", "Men: 12 (8.8%)", "Men: c"]
    assert bars["encoding"]["yOffset"]["field"] == "gender"  # side by side, not stacked
    assert charts.describe_pairs(df, label="Women and men in each pay quartile", group="quartile",
                                 category="gender", value="people", share="share") == (
        "Women and men in each pay quartile: Lower — Women 125 (91.2%), Men 12 (8.8%); "
        "Upper — Women 121 (89.0%), Men c.")


def test_highlighted_bands_are_marked_by_outline_and_a_symbol_as_well_as_colour():
    df = pd.DataFrame({"band": ["1–2", "7–8", "9–10", "11+"], "managers": [3, 33, 27, 10]})
    spec = charts.histogram(df, band="band", count="managers", highlight=("9–10", "11+"),
                            highlight_label="Above the span threshold").to_dict()
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    enc = bars["encoding"]
    assert enc["color"]["field"] == enc["strokeDash"]["field"] == enc["stroke"]["field"] == "kind"
    assert enc["strokeDash"]["scale"]["range"] == [[5, 3], [1, 0]]  # dashed outline on the highlighted bands
    assert enc["x"]["axis"]["labelExpr"].startswith('indexof(["9–10", "11+"], datum.value) >= 0')
    assert {r["kind"] for r in data_of(spec, bars) if r["band"] in ("9–10", "11+")} == {"▲ Above the span threshold"}
    text = charts.describe_counts(df, label="Managers by direct reports", category="band", value="managers",
                                  highlight=("9–10", "11+"), highlight_label="above the span threshold")
    assert text.endswith(" Marked ▲ (above the span threshold): 9–10 and 11+, 37 in all.")


def test_compare_trend_names_each_line_with_its_latest_value_in_the_legend():
    from charts import compare as cc

    series = pd.DataFrame({"year": [2024, 2025, 2024, 2025], "series": ["Devon", "Devon", "England", "England"],
                           "role": ["la", "la", "england", "england"], "value": [0.3, 0.243, 0.14, 0.13],
                           "symbol": None, "note": ""})
    spec = cc.benchmark_trend(series, "Agency rate", "percent").to_dict()
    line = next(v for v in layers(spec) if mark(v) == "line")
    assert line["encoding"]["color"]["scale"]["domain"] == ["Devon: 24.3% (2025)", "England: 13.0% (2025)"]
    assert not [v for v in layers(spec) if mark(v) == "text"]  # nothing written at the lines' ends
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}  # the legend never squeezes the plot
