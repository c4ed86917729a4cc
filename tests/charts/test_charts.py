"""Chart builders: the Vega-Lite spec each produces has the expected fields, encodings, titles and formats,
the labelled reference rule, polarity-aware colours and a second encoding wherever colour carries meaning.

Inputs are small hand-written DataFrames shaped like the metrics views.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

import charts
from charts.format import format_change, format_value, judge
from charts.theme import BETTER, OKABE_ITO, WORSE
from metrics.registry import Figure

AGENCY = Figure(id="agency_rate", label="Agency rate", definition="Agency FTE as a share of all FTE in post.",
                unit="percent", polarity="lower_is_better")
STABILITY = Figure(id="stability_index", label="Stability index", definition="Share still in post.",
                   unit="percent", polarity="higher_is_better")
FTE = Figure(id="fte_in_post", label="FTE in post", definition="FTE of employed workers in post.", unit="fte",
             polarity="neutral")
GAP = Figure(id="salary_gap", label="Salary gap to market", definition="Gap to the market median.",
             unit="percent", polarity="higher_is_better")

BY_AREA = pd.DataFrame({
    "service_area": ["Children's Social Work", "Early Help", "SEND 0-25", "All"],
    "agency_rate": [0.312, 0.05, 0.20, 0.18],
})


def layers(spec: dict) -> list[dict]:
    """Every single-view spec inside a (possibly layered) spec."""
    if "layer" in spec:
        return [s for layer in spec["layer"] for s in layers(layer)]
    return [spec]


def data_of(spec: dict, layer: dict) -> list[dict]:
    """The inline rows a layer draws (Altair puts them in top-level datasets)."""
    name = layer.get("data", {}).get("name") or spec.get("data", {}).get("name")
    return spec["datasets"][name]


def mark(layer: dict) -> str:
    m = layer["mark"]
    return m if isinstance(m, str) else m["type"]


def test_bar_by_group_fields_titles_formats_and_all_row_left_out():
    spec = charts.bar_by_group(BY_AREA, AGENCY, reference=0.179).to_dict()
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    assert bars["encoding"]["y"]["field"] == "group"
    assert bars["encoding"]["x"]["field"] == "value"
    assert bars["encoding"]["x"]["axis"]["format"].endswith("%")
    assert bars["encoding"]["x"]["title"] == "Agency rate (%)"
    assert bars["encoding"]["y"]["title"] == "Service area"
    assert spec["title"]["text"] == "Agency rate"
    groups = [r["group"] for r in data_of(spec, bars)]
    assert "All" not in groups and len(groups) == 3
    # largest first
    assert bars["encoding"]["y"]["sort"] == ["Children's Social Work", "SEND 0-25", "Early Help"]


def test_bar_by_group_reference_rule_is_dashed_and_named_with_its_value_in_the_legend():
    spec = charts.bar_by_group(BY_AREA, AGENCY, reference=0.179, reference_label="England 2025").to_dict()
    rules = [v for v in layers(spec) if mark(v) == "rule"]
    assert len(rules) == 1
    dash = rules[0]["encoding"]["strokeDash"]
    assert dash["scale"] == {"domain": ["England 2025: 17.9%"], "range": [[6, 4]]}
    assert dash["legend"]["symbolType"] == "stroke"  # the legend shows the dash beside the name
    assert [r["text"] for r in data_of(spec, rules[0])] == ["England 2025: 17.9%"]
    assert not [v for v in layers(spec) if mark(v) == "text" and "text" in v["encoding"]
                and v["encoding"]["text"].get("field") == "text"]  # no words written over the plot


def test_bar_by_group_polarity_colours_with_words_as_second_encoding():
    spec = charts.bar_by_group(BY_AREA, AGENCY, reference=0.179).to_dict()
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    scale = bars["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours["worse"] == WORSE and colours["better"] == BETTER
    rows = {r["group"]: r for r in data_of(spec, bars)}
    # lower is better: 31.2% agency rate is worse than England's 17.9%; 5% is better
    assert rows["Children's Social Work"]["status"] == "worse"
    assert rows["Early Help"]["status"] == "better"
    assert rows["Children's Social Work"]["label"] == "31.2% (worse)"
    label_layers = [v for v in layers(spec) if mark(v) == "text" and v["encoding"]["text"]["field"] == "said"]
    assert label_layers, "every bar is labelled with its value and judgement, not colour alone"
    said = [t["calculate"] for t in bars.get("transform", []) + label_layers[0].get("transform", [])
            if "calculate" in t]
    assert said == ["containerSize()[0] < 560 ? datum.short : datum.label"]
    assert rows["Children's Social Work"]["short"] == "31.2% (worse)"  # a phone keeps the verdict's words


def test_higher_is_better_flips_the_colours():
    df = pd.DataFrame({"service_area": ["A", "B"], "stability_index": [0.9, 0.7]})
    spec = charts.bar_by_group(df, STABILITY, reference=0.8).to_dict()
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    rows = {r["group"]: r["status"] for r in data_of(spec, bars)}
    assert rows == {"A": "better", "B": "worse"}


def test_neutral_figure_has_one_colour_and_no_judgement():
    df = pd.DataFrame({"service_area": ["A", "B", "All"], "fte_in_post": [120.0, 30.5, 150.5]})
    spec = charts.bar_by_group(df, FTE).to_dict()
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    assert "value" in bars["encoding"]["color"]  # a constant, not a scale
    assert not [v for v in layers(spec) if mark(v) == "rule"]
    assert {r["label"] for r in data_of(spec, bars)} == {"120.0 FTE", "30.5 FTE"}


def test_suppressed_value_is_labelled_c_not_zero():
    df = pd.DataFrame({"service_area": ["A", "B"], "agency_rate": [0.2, "c"]})
    spec = charts.bar_by_group(df, AGENCY, reference=0.1).to_dict()
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    rows = {r["group"]: r for r in data_of(spec, bars)}
    assert rows["B"]["value"] is None and rows["B"]["label"] == "c"


def test_trend_month_axis_series_dash_and_shape():
    months = pd.date_range("2024-01-31", periods=4, freq="ME")
    df = pd.DataFrame({"as_of": list(months) * 2, "area": ["A"] * 4 + ["B"] * 4,
                       "agency_rate": [0.1, 0.12, 0.13, 0.15, 0.2, 0.19, 0.18, 0.17]})
    spec = charts.trend(df, AGENCY, series="area", reference=0.13).to_dict()
    line = next(v for v in layers(spec) if mark(v) == "line")
    assert line["encoding"]["x"]["type"] == "temporal"
    assert line["encoding"]["x"]["axis"]["format"] == "%b %Y"
    # each point is drawn at its own month (a month-end is never under the next month's name)
    assert line["encoding"]["x"]["timeUnit"] == "utcyearmonth"
    assert line["encoding"]["strokeDash"]["field"] == "series"  # second encoding besides colour
    points = next(v for v in layers(spec) if mark(v) == "point")
    assert points["encoding"]["shape"]["field"] == "series"
    assert any(mark(v) == "rule" for v in layers(spec))
    labelled = [r["label"] for r in data_of(spec, line) if r["label"]]
    assert sorted(labelled) == ["15.0%", "17.0%"]  # the last point of each line


def test_diverging_bar_behind_and_ahead_in_words_and_position():
    df = pd.DataFrame({"role": ["Social Worker", "Team Manager", "All"], "salary_gap": [-0.062, 0.031, -0.01]})
    spec = charts.diverging_bar(df, GAP, group="role").to_dict()
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    rows = {r["group"]: r for r in data_of(spec, bars)}
    assert rows["Social Worker"]["side"] == "behind" and rows["Social Worker"]["label"] == "-6.2% behind"
    assert rows["Team Manager"]["label"] == "3.1% ahead"
    assert "All" not in rows
    scale = bars["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {"behind": WORSE, "ahead": BETTER}
    assert any(mark(v) == "rule" for v in layers(spec))  # the zero line


def test_grouped_starters_leavers_mirrored_below_zero():
    months = pd.date_range("2024-01-31", periods=2, freq="ME")
    df = pd.DataFrame({"month": list(months) * 2, "measure": ["Starters", "Starters", "Leavers", "Leavers"],
                       "people": [3, 4, 5, 6]})
    spec = charts.grouped(df, x="month", category="measure", value="people", value_title="People",
                          x_title="Month", below=("Leavers",)).to_dict()
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    plotted = {(r["measure"], r["people"]): r["plotted"] for r in data_of(spec, bars)}
    assert plotted[("Leavers", 5)] == -5 and plotted[("Starters", 3)] == 3
    assert bars["encoding"]["y"]["title"] == "People"


def test_histogram_keeps_band_order_and_marks_highlight():
    df = pd.DataFrame({"band": ["Under 2 years", "2 to under 5 years", "5 to under 10 years"],
                       "headcount": [40, 25, 10]})
    spec = charts.histogram(df, band="band", count="headcount", highlight=("Under 2 years",),
                            highlight_label="Under 2 years' service").to_dict()
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    assert bars["encoding"]["x"]["sort"] == list(df["band"])
    assert bars["encoding"]["color"]["scale"]["range"][0] == OKABE_ITO["orange"]
    assert any(v["encoding"].get("text", {}).get("field") == "label" for v in layers(spec) if mark(v) == "text")


def test_funnel_labels_share_of_first_stage():
    df = pd.DataFrame({"stage": ["Applications", "Shortlisted", "Appointed"], "count": [200, 50, 10]})
    spec = charts.funnel(df).to_dict()
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    labels = [r["label"] for r in data_of(spec, bars)]
    assert labels == ["200 (100% of applications)", "50 (25% of applications)", "10 (5% of applications)"]
    assert bars["encoding"]["y"]["sort"] == ["Applications", "Shortlisted", "Appointed"]


def test_specs_are_json_serialisable():
    for chart in (charts.bar_by_group(BY_AREA, AGENCY, 0.2), charts.diverging_bar(
            pd.DataFrame({"role": ["A"], "salary_gap": [0.1]}), GAP, group="role")):
        json.dumps(chart.to_dict())


# ── descriptions ──────────────────────────────────────────────────────────────


def test_describe_bars_names_extremes_reference_and_count_worse():
    text = charts.describe_bars(BY_AREA, AGENCY, 0.179)
    assert text.startswith("Agency rate is highest in Children's Social Work (31.2%) and lowest in Early Help (5.0%).")
    assert "Overall: 18.0%." in text
    assert "England: 17.9%." in text
    assert "2 of 3 service areas are worse than England." in text


def test_describe_trend_says_direction_and_judgement():
    df = pd.DataFrame({"as_of": pd.to_datetime(["2023-10-31", "2025-09-30"]), "agency_rate": [0.12, 0.151]})
    text = charts.describe_trend(df, AGENCY)
    assert text == "Agency rate went from 12.0% in October 2023 to 15.1% in September 2025 (+3.1 pts, worse)."


def test_describe_diverging_counts_roles_behind():
    df = pd.DataFrame({"role": ["SW", "TM", "AP", "All"], "salary_gap": [-0.062, 0.031, -0.01, 0.0]})
    text = charts.describe_diverging(df, GAP, group="role")
    assert "behind the market for 2 of 3 roles" in text and "furthest behind: SW (-6.2%)" in text


# ── formatting ────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (0.3124, "percent", "31.2%"), (41250, "gbp", "£41,250"), (123.44, "fte", "123.4 FTE"), (12, "days", "12 days"),
    (None, "percent", "–"), ("c", "percent", "c"), (float("nan"), "count", "–"), (7, "count", "7"),
])
def test_format_value(value, unit, expected):
    assert format_value(value, unit) == expected


def test_format_change_and_judge():
    assert format_change(0.012, "percent") == "+1.2 pts"
    assert format_change(-3.25, "fte") == "-3.2 FTE" or format_change(-3.25, "fte") == "-3.3 FTE"
    assert judge(0.2, 0.1, "lower_is_better") == "worse"
    assert judge(0.2, 0.1, "higher_is_better") == "better"
    assert judge(0.2, 0.1, "neutral") is None


def test_bar_by_group_several_references_each_have_a_rule_dash_and_their_name_and_value():
    refs = [("England 2025", 0.13), ("South West 2025", 0.149), ("Neighbours (median) 2025", 0.071)]
    spec = charts.bar_by_group(BY_AREA, AGENCY, reference=refs).to_dict()
    rules = [v for v in layers(spec) if mark(v) == "rule"]
    assert len(rules) == 1
    assert [r["reference"] for r in data_of(spec, rules[0])] == [0.13, 0.149, 0.071]
    dash = rules[0]["encoding"]["strokeDash"]
    assert dash["scale"]["domain"] == ["England 2025: 13.0%", "South West 2025: 14.9%",
                                       "Neighbours (median) 2025: 7.1%"]
    assert len({tuple(d) for d in dash["scale"]["range"]}) == 3, "each reference has its own dash, not colour alone"
    # bars are judged against the first reference (England): 20.0% is worse than 13.0%, 5.0% better
    bars = next(v for v in layers(spec) if mark(v) == "bar")
    rows = {r["group"]: r["status"] for r in data_of(spec, bars)}
    assert rows == {"Children's Social Work": "worse", "Early Help": "better", "SEND 0-25": "worse"}
    assert bars["encoding"]["color"]["title"] == "Against England 2025"
    # the axis runs to the largest reference as well as the largest bar
    assert bars["encoding"]["x"]["axis"]["values"][-1] >= 0.312


def test_bar_by_group_reference_pairs_without_a_value_are_left_out():
    spec = charts.bar_by_group(BY_AREA, AGENCY, reference=[("England 2025", 0.13), ("Region", None)]).to_dict()
    rules = [v for v in layers(spec) if mark(v) == "rule"]
    assert len(rules) == 1 and len(data_of(spec, rules[0])) == 1


def test_describe_bars_names_every_reference():
    text = charts.describe_bars(BY_AREA, AGENCY, [("England 2025", 0.13), ("South West 2025", 0.149)])
    assert "England 2025: 13.0%." in text and "worse than England 2025" in text
    assert "South West 2025: 14.9%." in text


def test_diverging_bar_with_a_hidden_value_is_labelled_c_and_its_spec_is_strict_json():
    """A suppressed gap (`c`) is drawn as `c` at zero; the spec never holds NaN (a browser's JSON.parse refuses it)."""
    from metrics.figures import FIGURES

    df = pd.DataFrame({"role": ["Social Worker", "Team Manager", "All"], "salary_gap": [-0.05, "c", -0.02]})
    spec = charts.bars.diverging_bar(df, FIGURES["salary_gap"]).to_dict()

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} in the spec")

    json.loads(json.dumps(spec), parse_constant=refuse)
    rows = next(iter(spec["datasets"].values()))
    labels = {r["group"]: r["label"] for r in rows}
    assert labels == {"Social Worker": "-5.0% behind", "Team Manager": "c"}
    low, high = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]  # width-aware: room for the labels
    assert high["expr"].startswith("max(0.0625, 0.05 * width")  # from the shown values only: 0.05 × 1.25
    assert low["expr"] == f"-({high['expr']})"
