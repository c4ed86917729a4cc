"""Row order of figure tables and the long monthly form, on hand-made frames."""

from __future__ import annotations

import datetime as dt
import importlib

import numpy as np
import pandas as pd

compute_module = importlib.import_module("metrics.compute")


def test_groups_sort_alphabetically_not_recorded_then_all_last_within_each_month():
    m1, m2 = dt.date(2025, 8, 31), dt.date(2025, 9, 30)
    df = pd.DataFrame({
        "as_of": [m2, m1, m2, m1, m2, m1, m2, m1],
        "team": ["All", "beta", "Not recorded", "All", "Alpha", "Not recorded", "beta", "Alpha"],
        "value": [1, 2, 3, 4, 5, 6, 7, 8],
    })
    out = compute_module._sort(df, ("team",), lead=("as_of",))
    assert list(zip(out["as_of"], out["team"], strict=True)) == [
        (m1, "Alpha"), (m1, "beta"), (m1, "Not recorded"), (m1, "All"),
        (m2, "Alpha"), (m2, "beta"), (m2, "Not recorded"), (m2, "All"),
    ]
    assert list(out.index) == list(range(8))


def test_two_cuts_sort_by_the_first_then_the_second():
    df = pd.DataFrame({
        "service_area": ["SEND", "All", "CSW", "CSW", "Not recorded", "CSW"],
        "team": ["T1", "All", "Not recorded", "B", "T9", "A"],
    })
    out = compute_module._sort(df, ("service_area", "team"))
    assert list(zip(out["service_area"], out["team"], strict=True)) == [
        ("CSW", "A"), ("CSW", "B"), ("CSW", "Not recorded"), ("SEND", "T1"), ("Not recorded", "T9"), ("All", "All"),
    ]


def test_long_form_is_what_melt_gives():
    wide = pd.DataFrame({
        "as_of": [dt.date(2025, 8, 31), dt.date(2025, 8, 31), dt.date(2025, 9, 30)],
        "team": pd.array(["A", "All", "A"], dtype="str"),
        "fte_in_post": [10.0, 12.0, np.nan],
        "turnover_rate": [0.1, 0.2, 0.3],
    })
    ids = ["fte_in_post", "turnover_rate"]
    out = compute_module._long(wide, ("team",), ids)
    melted = wide.melt(id_vars=["as_of", "team"], value_vars=ids, var_name="figure", value_name="value")
    melted = melted.rename(columns={"as_of": "month"})
    assert out["month"].tolist() == melted["month"].tolist()
    assert out["team"].tolist() == melted["team"].tolist()
    assert out["figure"].tolist() == ["fte_in_post"] * 3 + ["turnover_rate"] * 3
    np.testing.assert_array_equal(out["value"].to_numpy(), melted["value"].to_numpy())
    assert str(out["team"].dtype) == "str" and str(out["figure"].dtype) == "str"


def test_a_blank_group_sorts_after_not_recorded():
    df = pd.DataFrame({"role": ["Zed", None, "Not recorded", "Able", "All"], "n": [1, 2, 3, 4, 5]})
    out = compute_module._sort(df, ("role",))
    assert out["n"].tolist() == [4, 1, 3, 2, 5]
