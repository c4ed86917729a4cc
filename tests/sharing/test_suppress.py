"""Small-number suppression: hand-computed cases, including one where a total minus shown cells would reveal a cell."""

from __future__ import annotations

import pandas as pd

from sharing import suppress
from sharing.suppress import SYMBOL, Table


def _frame(groups, headcount, rate=None, col="service_area"):
    data = {col: groups, "headcount": headcount}
    if rate is not None:
        data["turnover_rate"] = rate
    return pd.DataFrame(data)


def test_primary_suppression_hides_small_counts_and_their_rates():
    df = _frame(["A", "B", "C", "D"], [3, 12, 20, 2], [0.33, 0.10, 0.20, 0.5])
    out = suppress.suppress_frame(df, ["headcount"], {"turnover_rate": "headcount"}, by=("service_area",), limit=5)
    got = dict(zip(out["service_area"], out["headcount"], strict=True))
    # A (3) and D (2) are under 5; two hidden cells already protect each other, so nothing else is hidden.
    assert got == {"A": SYMBOL, "B": 12, "C": 20, "D": SYMBOL}
    rates = dict(zip(out["service_area"], out["turnover_rate"], strict=True))
    assert rates == {"A": SYMBOL, "B": 0.10, "C": 0.20, "D": SYMBOL}


def test_subtraction_case_hides_next_smallest_cell():
    # A=3 is hidden; with All=35 shown, 35 - 12 - 20 = 3 would reveal it. B (12, the next smallest) must go too.
    df = _frame(["A", "B", "C", "All"], [3, 12, 20, 35], [0.33, 0.25, 0.10, 0.18])
    out = suppress.suppress_frame(df, ["headcount"], {"turnover_rate": "headcount"}, by=("service_area",), limit=5)
    got = dict(zip(out["service_area"], out["headcount"], strict=True))
    assert got == {"A": SYMBOL, "B": SYMBOL, "C": 20, "All": 35}
    assert dict(zip(out["service_area"], out["turnover_rate"], strict=True)) == {
        "A": SYMBOL, "B": SYMBOL, "C": 0.10, "All": 0.18}
    # No longer recoverable: the total minus the shown cells leaves two unknowns.
    shown = [v for g, v in got.items() if g != "All" and v != SYMBOL]
    hidden = [g for g, v in got.items() if v == SYMBOL]
    assert 35 - sum(shown) == 15 and len(hidden) == 2


def test_secondary_applies_without_an_explicit_total_row():
    # The council total is shown elsewhere (headline tile), so one hidden cell is never left alone.
    df = _frame(["A", "B", "C"], [4, 30, 9])
    out = suppress.suppress_frame(df, ["headcount"], by=("service_area",), limit=5)
    assert list(out["headcount"]) == [SYMBOL, 30, SYMBOL]


def test_zero_is_shown_and_big_counts_untouched():
    df = _frame(["A", "B", "C"], [0, 7, 9], [0.0, 0.1, 0.2])
    out = suppress.suppress_frame(df, ["headcount"], {"turnover_rate": "headcount"}, by=("service_area",), limit=5)
    assert list(out["headcount"]) == [0, 7, 9]
    assert out["headcount"].dtype != object  # untouched columns keep their numeric type


def test_median_only_for_groups_at_or_above_threshold():
    df = pd.DataFrame({"role": ["Social Worker", "Team Manager"], "headcount": [5, 4],
                       "median_salary": [41000.0, 52000.0]})
    out = suppress.suppress_frame(df, ["headcount"], {"median_salary": "headcount"}, by=("role",), limit=5)
    # Team Manager (4) is hidden and so is its median; Social Worker (5) is the only other cell, hidden secondarily.
    assert list(out["median_salary"]) == [SYMBOL, SYMBOL]
    df2 = pd.DataFrame({"role": ["Social Worker", "Team Manager", "Senior Practitioner"], "headcount": [5, 4, 4],
                        "median_salary": [41000.0, 52000.0, 46000.0]})
    out2 = suppress.suppress_frame(df2, ["headcount"], {"median_salary": "headcount"}, by=("role",), limit=5)
    assert list(out2["median_salary"]) == [41000.0, SYMBOL, SYMBOL]


def test_threshold_is_configurable():
    df = _frame(["A", "B", "C"], [6, 12, 8])
    out = suppress.suppress_frame(df, ["headcount"], by=("service_area",), limit=10)
    assert list(out["headcount"]) == [SYMBOL, 12, SYMBOL]


def test_hidden_cell_is_hidden_in_every_table_that_shows_it():
    # Teams: T1 (3, area X), T2 (6, area Y), T3 (8, area X), T4 (10, area Y).
    by_team = Table(pd.DataFrame({"team": ["T1", "T2", "T3", "T4"], "headcount": [3, 6, 8, 10]}), by=("team",))
    area_y = Table(pd.DataFrame({"team": ["T2", "T4"], "headcount": [6, 10]}), by=("team",),
                   filters=(("service_area", "Y"),))
    implied = {("team", "T1"): [("service_area", "X")], ("team", "T2"): [("service_area", "Y")],
               ("team", "T3"): [("service_area", "X")], ("team", "T4"): [("service_area", "Y")]}
    out_all, out_y = suppress.suppress_tables([by_team, area_y], ["headcount"], {}, limit=5, implied=implied)
    # In the council table T1 is primary and T2 (smallest other) secondary. T2 must also be hidden in area Y's
    # table, and then T4 too (area Y's total is shown elsewhere); T4 is the same cell in the council table.
    assert list(out_y["headcount"]) == [SYMBOL, SYMBOL]
    assert list(out_all["headcount"]) == [SYMBOL, SYMBOL, 8, SYMBOL]


def test_two_way_table_margins():
    # By service area and role; row and column totals both shown elsewhere.
    df = pd.DataFrame({
        "service_area": ["X", "X", "Y", "Y"],
        "role": ["SW", "TM", "SW", "TM"],
        "headcount": [20, 3, 30, 12],
    })
    out = suppress.suppress_frame(df, ["headcount"], by=("service_area", "role"), limit=5)
    # X/TM primary; within area X the other cell (X/SW) and within role TM the other cell (Y/TM) are hidden,
    # which in turn leaves area Y and role SW with one hidden cell each, so Y/SW goes too.
    assert list(out["headcount"]) == [SYMBOL, SYMBOL, SYMBOL, SYMBOL]


def test_series_months_are_not_treated_as_a_sum():
    df = pd.DataFrame({"month": pd.to_datetime(["2025-01-31", "2025-02-28"]).date.astype(str),
                       "headcount": [3, 40]})
    df["month"] = df["month"].astype(str)
    out = suppress.suppress_frame(df, ["headcount"], by=(), limit=5)
    assert list(out["headcount"]) == [SYMBOL, 40]


def test_numeric_turns_symbols_into_missing():
    df = pd.DataFrame({"a": pd.Series([SYMBOL, 2.0], dtype=object)})
    out = suppress.numeric(df)
    assert out["a"].isna().tolist() == [True, False] and out["a"].iloc[1] == 2.0


def test_note_names_threshold_and_symbol():
    text = suppress.note(7)
    assert "fewer than 7 people" in text and "“c”" in text


def test_long_series_suppressed_per_month():
    df = pd.DataFrame({
        "month": ["2025-01-31"] * 4 + ["2025-02-28"] * 4,
        "service_area": ["A", "A", "B", "B"] * 2,
        "figure": ["headcount", "turnover_rate"] * 4,
        "value": [3.0, 0.3, 40.0, 0.1, 9.0, 0.2, 40.0, 0.15],
    })
    out = suppress.suppress_frame(df, ["headcount"], {"turnover_rate": "headcount"}, by=("service_area",), limit=5)
    # January: A=3 hidden (and its rate), B hidden as the complement; February: nothing small.
    assert out["value"].tolist() == [SYMBOL, SYMBOL, SYMBOL, SYMBOL, 9.0, 0.2, 40.0, 0.15]
    assert out[["month", "service_area", "figure"]].equals(df[["month", "service_area", "figure"]])


def test_a_rate_on_two_counts_is_hidden_when_either_is_small():
    # Team A: 12 employees but 2 agency workers. Its agency rate (with FTE in post shown) would give the two
    # agency workers' FTE away, so it is hidden; its turnover rate, on the 12 employees, is shown.
    df = pd.DataFrame({"team": ["A", "B", "All"], "headcount_in_post": [12, 30, 42], "agency_headcount": [2, 9, 11],
                       "agency_rate": [0.14, 0.22, 0.2], "turnover_rate": [0.1, 0.2, 0.17]})
    rates = {"agency_rate": ("headcount_in_post", "agency_headcount"), "turnover_rate": "headcount_in_post"}
    out = suppress.suppress_frame(df, ["headcount_in_post", "agency_headcount"], rates, by=("team",), limit=5)
    assert list(out["agency_headcount"]) == [SYMBOL, SYMBOL, 11]  # B hidden too: 11 - 9 would give A's 2
    assert list(out["agency_rate"]) == [SYMBOL, SYMBOL, 0.2]
    assert list(out["turnover_rate"]) == [0.1, 0.2, 0.17]
    assert list(out["headcount_in_post"]) == [12, 30, 42]


def test_published_agency_rates_rest_on_agency_workers_too():
    from metrics.views import VIEWS

    for figure in ("agency_rate", "agency_rate_headcount"):
        assert set(suppress.bases_of(VIEWS["figures"].rate_columns[figure])) == {"headcount_in_post",
                                                                                  "agency_headcount"}


def test_a_cells_identity_follows_the_implied_mapping_it_is_given():
    """Cell keys are remembered per implied mapping (sharing.cells): a new mapping, or one that has
    grown, is never answered from what an earlier one gave."""
    from sharing.cells import cell_key

    cond = {"team": "Duty", "service_area": "CSW", "as_of": "2026-09-30"}
    inside = {("team", "Duty"): [("service_area", "CSW")]}
    assert cell_key("headcount", cond, inside) == ("headcount", frozenset({("team", "Duty"), ("as_of", "2026-09-30")}))
    assert cell_key("headcount", cond, {("team", "Other"): [("service_area", "CSW")]}) == (
        "headcount", frozenset(cond.items()))  # another mapping: nothing implied
    grown = {("team", "Other"): [("service_area", "CSW")]}
    assert cell_key("headcount", cond, grown)[1] == frozenset(cond.items())
    grown[("as_of", "2026-09-30")] = [("team", "Duty")]  # the same mapping, grown
    assert cell_key("headcount", cond, grown)[1] == frozenset({("as_of", "2026-09-30"), ("service_area", "CSW")})
    assert cell_key("headcount", cond, inside)[1] == frozenset({("team", "Duty"), ("as_of", "2026-09-30")})
    assert cell_key("headcount", cond) == ("headcount", frozenset(cond.items()))
