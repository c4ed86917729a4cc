"""Properties that must hold for any staff table (hypothesis, kept small and fast)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import metrics
from ingest.workforce import Workforce
from metrics import FIGURES, Params

AS_OF = "2024-09-30"
STAFF_FIGURES = [
    "fte_in_post", "headcount_in_post", "vacancy_rate", "agency_fte", "agency_rate", "agency_rate_headcount",
    "turnover_rate", "starters_fte", "leavers_fte", "stability_index", "share_under_2_years_service",
    "share_newly_qualified", "agency_covering_vacancies", "average_caseload", "share_above_caseload_threshold",
    "average_span_of_control", "median_salary", "salary_gap", "cap_breaches", "absence_rate",
]
"""A figure from every family of statement (staff, establishment, span of control, pay), kept short for speed."""
BOUNDED = [f for f, fig in FIGURES.items() if f in STAFF_FIGURES and fig.unit == "percent" and f not in (
    "turnover_rate", "turnover_rate_headcount", "crude_turnover_cipd", "salary_gap", "gender_pay_gap_mean",
    "gender_pay_gap_median")]
"""Rates that are shares of a whole (turnover can exceed 100%; gaps can be negative)."""

day = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2025, 6, 30))


@st.composite
def staff_rows(draw) -> pd.DataFrame:
    n = draw(st.integers(min_value=1, max_value=14))
    rows = []
    for i in range(n):
        start = draw(day)
        end = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=dt.date(2025, 6, 30))))
        wtype = draw(st.sampled_from(["permanent", "fixed_term", "agency", "apprentice", "casual"]))
        rows.append(dict(
            worker_id=f"w{i}", service_area=draw(st.sampled_from(["A", "B", "C"])),
            team=draw(st.sampled_from(["t1", "t2", None])), role=draw(st.sampled_from(["SW", "TM"])),
            grade=draw(st.sampled_from(["g1", "g2"])), worker_type=wtype,
            fte=draw(st.sampled_from([0.2, 0.5, 0.6, 0.8, 1.0])), start_date=start, end_date=end,
            leaving_reason="resignation" if end else None,
            annual_salary=draw(st.sampled_from([30000.0, 38000.0, 45000.0, 52000.0])),
            hourly_rate=draw(st.sampled_from([35.0, 48.0])) if wtype == "agency" else None,
            caseload=draw(st.integers(min_value=0, max_value=30)),
            qualified_date=draw(st.one_of(st.none(), day)),
            manager_id=draw(st.sampled_from([None, "w0", "w1"])),
            gender=draw(st.sampled_from(["male", "female"])), absence_days=float(draw(st.integers(0, 20))),
        ))
    return pd.DataFrame(rows)


def _workforce(staff: pd.DataFrame) -> Workforce:
    wf = Workforce()
    wf.add_table("staff", staff)
    wf.add_table("establishment", pd.DataFrame([dict(service_area=a, funded_fte=f) for a, f in
                                                (("A", 3.0), ("B", 1.0), ("C", 0.5))]))
    wf.add_table("market_pay", pd.DataFrame([dict(role="SW", market_median_salary=40000.0)]))
    wf.add_table("agency_caps", pd.DataFrame([dict(role="SW", max_hourly_rate=40.0)]))
    return wf


def _compute(staff: pd.DataFrame, by=("service_area",)) -> pd.DataFrame:
    wf = _workforce(staff)
    df = metrics.compute(wf, Params(as_of=AS_OF, by=by, figures=tuple(STAFF_FIGURES)))
    wf.close()
    return df.set_index(list(by)).sort_index() if by else df


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.index) == list(b.index)
    for column in a.columns:
        for x, y in zip(a[column], b[column], strict=True):
            assert (math.isnan(x) and math.isnan(y)) or math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9), column


FAST = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                phases=(Phase.explicit, Phase.reuse, Phase.generate))  # no shrinking: keeps a failure quick


@FAST
@given(staff_rows())
def test_rates_stay_between_0_and_1(staff):
    df = _compute(staff)
    for f in BOUNDED:
        values = df[f].dropna()
        assert ((values >= 0) & (values <= 1 + 1e-12)).all(), f
    assert (df["turnover_rate"].dropna() >= 0).all()


@FAST
@given(staff_rows(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(staff, rnd):
    order = list(range(len(staff)))
    rnd.shuffle(order)
    _same(_compute(staff), _compute(staff.iloc[order].reset_index(drop=True)))


@FAST
@given(staff_rows(), st.integers(min_value=0, max_value=14))
def test_splitting_the_upload_gives_the_same_figures(staff, cut):
    # two uploads (e.g. two CSV files) are stacked into one staff table by ingest
    first, second = staff.iloc[:cut], staff.iloc[cut:]
    stacked = pd.concat([first, second], ignore_index=True)
    _same(_compute(staff), _compute(stacked))


@FAST
@given(staff_rows())
def test_all_row_equals_the_figure_on_the_whole_data(staff):
    by_area = _compute(staff, by=("service_area",))
    whole = _compute(staff, by=())
    all_row = by_area.loc[["All"]].reset_index(drop=True)
    _same(all_row, whole.reset_index(drop=True))


@FAST
@given(staff_rows())
def test_group_counts_add_up_to_all(staff):
    df = _compute(staff, by=("team",))
    groups = df.drop(index="All")
    for f in ("fte_in_post", "headcount_in_post", "leavers_fte", "agency_fte", "starters_fte"):
        assert math.isclose(groups[f].sum(), df.loc["All", f], abs_tol=1e-9), f
