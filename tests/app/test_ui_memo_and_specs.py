"""ui.memo (what pages derive, remembered) and ui.layout's spec preparation, on small hand-made inputs."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

import charts
import metrics
from ui.layout import inline_datasets
from ui.memo import digest, memo

TABLE = pd.DataFrame({"service_area": ["Children's Social Work", "SEND 0-25", "All"],
                      "vacancy_rate": [0.2, 0.1, 0.17]})


def test_digest_of_a_table_is_exact():
    same = TABLE.copy()
    changed = TABLE.copy()
    changed.loc[1, "vacancy_rate"] = 0.11
    renamed = TABLE.rename(columns={"vacancy_rate": "agency_rate"})
    assert digest(TABLE) == digest(same)
    assert digest(TABLE) != digest(changed)
    assert digest(TABLE) != digest(renamed)


def test_memo_works_out_once_per_inputs():
    calls = []

    def work(df):
        calls.append(1)
        return float(df["vacancy_rate"].sum())

    kind = "test_memo_works_out_once_per_inputs"
    assert memo(kind, lambda: work(TABLE), TABLE, "a") == pytest.approx(0.47)
    assert memo(kind, lambda: work(TABLE), TABLE.copy(), "a") == pytest.approx(0.47)  # equal table: remembered
    assert len(calls) == 1
    other = TABLE.assign(vacancy_rate=[0.3, 0.1, 0.2])
    assert memo(kind, lambda: work(other), other, "a") == pytest.approx(0.6)
    assert memo(kind, lambda: work(TABLE), TABLE, "b") == pytest.approx(0.47)  # another input: worked out again
    assert len(calls) == 3


def test_inline_datasets_writes_values_into_each_layer_and_stays_valid():
    fig = metrics.FIGURES["vacancy_rate"]
    chart = charts.bar_by_group(TABLE, fig, [("England 2025", 0.18), ("South West 2025", 0.15)])
    original = chart.to_dict()
    named = original["datasets"]
    spec = inline_datasets(chart.to_dict(validate=False))
    assert "datasets" not in spec and "data" not in spec
    for before, after in zip(original["layer"], spec["layer"], strict=True):
        source = before.get("data", original.get("data"))
        assert after["data"] == {"values": named[source["name"]]}
    alt.LayerChart.from_dict(spec, validate=True)  # still a valid Vega-Lite spec
    bars = spec["layer"][0]["data"]["values"]
    assert [row["group"] for row in bars] == ["Children's Social Work", "SEND 0-25"]  # no All bar
    rules = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    assert [row["reference"] for row in rules[0]["data"]["values"]] == [0.18, 0.15]  # one rule layer, a dash each


def test_inline_datasets_leaves_a_single_view_alone():
    chart = alt.Chart(TABLE).mark_bar().encode(x="vacancy_rate:Q", y="service_area:N")
    spec = chart.to_dict(validate=False)
    assert inline_datasets(dict(spec)) == spec


def test_memo_forgets_after_an_hour_and_the_least_recently_used_first(monkeypatch):
    from ui import memo as memo_module

    memo_module.clear()
    clock = [1000.0]
    monkeypatch.setattr(memo_module.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(memo_module, "MAX_ENTRIES", 2)
    calls: list[str] = []

    def remembered(name: str) -> str:
        return memo("test_forgets", lambda: calls.append(name) or name, name)

    remembered("a"), remembered("b"), remembered("a")  # a is now the most recently used
    assert calls == ["a", "b"]
    remembered("c")  # over two entries: b, the least recently used, goes
    remembered("a")
    assert calls == ["a", "b", "c"]
    remembered("b")
    assert calls == ["a", "b", "c", "b"]
    clock[0] += memo_module.TTL_SECONDS + 1  # an hour later everything is worked out again
    remembered("b")
    assert calls == ["a", "b", "c", "b", "b"]
    memo_module.clear()
