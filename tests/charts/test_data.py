"""charts.data: the quick data step gives the values Altair's own would, and is what Altair uses."""

from __future__ import annotations

import datetime as dt

import altair as alt
import numpy as np
import pandas as pd
import pytest
from altair.utils.data import MaxRowsError, to_values

import charts  # noqa: F401 - importing charts switches the data step on
from charts.data import MAX_ROWS, TRANSFORMER, records


def test_values_match_altairs_for_every_column_kind():
    df = pd.DataFrame({
        "text": pd.array(["a", None, "c"], dtype="str"),
        "number": [1.5, np.nan, np.inf],
        "whole": [1, 2, 3],
        "flag": [True, False, True],
        "mixed": ["x", None, 2.5],
        "nullable": pd.array([1, None, 3], dtype="Int64"),
        "stamp": pd.to_datetime(["2025-01-31", None, "2025-03-31"]),
    })
    assert records(df) == to_values(df)
    first = records(df)["values"][0]
    assert first == {"text": "a", "number": 1.5, "whole": 1, "flag": True, "mixed": "x", "nullable": 1,
                     "stamp": "2025-01-31T00:00:00"}
    second = records(df)["values"][1]
    assert second["text"] is None and second["number"] is None and second["nullable"] is None
    assert type(first["whole"]) is int and type(first["flag"]) is bool  # plain Python, not numpy


def test_dates_become_iso_text():
    df = pd.DataFrame({"month": [dt.date(2025, 9, 30), None], "value": [0.1, 0.2]})
    assert records(df)["values"] == [{"month": "2025-09-30", "value": 0.1}, {"month": None, "value": 0.2}]


def test_row_limit_is_altairs():
    with pytest.raises(MaxRowsError):
        records(pd.DataFrame({"value": range(MAX_ROWS + 1)}))


def test_altair_uses_it_and_specs_stay_valid():
    assert alt.data_transformers.active == TRANSFORMER
    chart = alt.Chart(pd.DataFrame({"group": ["A", "B"], "value": [1.0, None]})).mark_bar().encode(
        x="value:Q", y="group:N")
    spec = chart.to_dict()  # validates against the Vega-Lite schema
    (values,) = spec["datasets"].values()
    assert values == [{"group": "A", "value": 1.0}, {"group": "B", "value": None}]
