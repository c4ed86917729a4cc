"""The forecast on series whose answer is known, and its back-test on a synthetic staff extract."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from ingest.workforce import Workforce
from metrics import forecast as fc
from metrics.dates import add_months
from metrics.registry import Params

AS_OF = dt.date(2024, 9, 30)


def test_constant_series_projects_the_same_every_month():
    months = np.array([add_months(AS_OF, -k).month for k in range(23, -1, -1)])
    model = fc.fit(np.full(24, 3.0), months)
    future = np.array([add_months(AS_OF, k).month for k in range(1, 13)])
    assert model.mean(future) == pytest.approx(np.full(12, 3.0))
    total, variance = model.total(future)
    assert total == pytest.approx(36.0)
    assert variance >= 36.0  # at least a Poisson count's variation, though the months did not vary
    low, high = fc.gamma_range(total, variance, 0.8)
    assert low < 36 < high


def test_a_yearly_cycle_is_recovered_exactly():
    months = np.array([add_months(AS_OF, -k).month for k in range(23, -1, -1)])
    truth = np.exp(np.log(4) + 0.5 * np.sin(2 * np.pi * months / 12) - 0.2 * np.cos(2 * np.pi * months / 12))
    model = fc.fit(truth, months)
    assert model.seasonal
    assert model.coef == pytest.approx([np.log(4), 0.5, -0.2], abs=1e-6)
    future = np.array([add_months(AS_OF, k).month for k in range(1, 13)])
    assert model.total(future)[0] == pytest.approx(truth[12:].sum(), rel=1e-6)  # next year = the same cycle


def test_the_fit_is_the_one_statsmodels_gives():
    """poisson_regression is checked against statsmodels' GLM (quasi-Poisson, Pearson dispersion) on seeded counts."""
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM

    rng = np.random.default_rng(16)
    months = np.array([add_months(AS_OF, -k).month for k in range(23, -1, -1)])
    counts = rng.poisson(6 * np.exp(0.3 * np.sin(2 * np.pi * months / 12))).astype(float)
    model = fc.fit(counts, months)
    design = model.design(months)
    reference = GLM(counts, design, family=families.Poisson()).fit(scale="X2")
    assert model.coef == pytest.approx(reference.params, abs=1e-8)
    assert model.dispersion == pytest.approx(max(reference.scale, 1.0))
    assert model.cov == pytest.approx(reference.normalized_cov_params * max(reference.scale, 1.0), rel=1e-6)


def test_few_events_use_the_average_month():
    months = np.arange(1, 25) % 12 + 1
    counts = np.zeros(24)
    counts[[2, 9, 15]] = 1  # 3 leavers in 24 months: no cycle can be seen
    model = fc.fit(counts, months)
    assert not model.seasonal
    assert model.total(np.arange(1, 13))[0] == pytest.approx(1.5)
    assert fc.fit(np.zeros(24), months).total(np.arange(1, 13)) == (0.0, 0.0)


def _staff(leavers_per_month: list[int], starters_per_month: int = 2) -> Workforce:
    """Employed leavers and starters on the 15th of each of the 36 months to 30 September 2024."""
    rows = []
    for k, n in enumerate(leavers_per_month):  # k = 0 is October 2021
        day = dt.date(2021 + (9 + k) // 12, (9 + k) % 12 + 1, 15)
        rows += [dict(worker_id=f"L{k}-{i}", service_area="CSW", role="Social Worker", worker_type="permanent",
                      fte=1.0, start_date=dt.date(2015, 1, 1), end_date=day) for i in range(n)]
        rows += [dict(worker_id=f"S{k}-{i}", service_area="CSW", role="Social Worker", worker_type="permanent",
                      fte=0.5, start_date=day) for i in range(starters_per_month)]
    rows += [dict(worker_id=f"P{i}", service_area="CSW", role="Social Worker", worker_type="permanent", fte=1.0,
                  start_date=dt.date(2010, 1, 1)) for i in range(40)]
    wf = Workforce(label="synthetic")
    wf.add_table("staff", pd.DataFrame(rows))
    return wf


def test_monthly_flows_count_each_month_ending_on_the_as_of_day():
    flows = fc.monthly_flows(_staff([2] * 36), AS_OF, 24)
    all_rows = flows[flows["service_area"] == "All"]
    assert len(all_rows) == 24 and all_rows["month"].iloc[-1] == AS_OF
    assert (all_rows["leavers"] == 2).all() and (all_rows["starters_fte"] == 1.0).all()


def test_backtest_of_a_steady_series_has_no_error():
    bt = fc.backtest_view(_staff([2] * 36), Params(as_of=AS_OF.isoformat(), by=("service_area",)))
    row = bt[(bt["service_area"] == "All") & (bt["measure"] == "Leavers")].iloc[0]
    assert row["made_on"] == dt.date(2023, 9, 30)
    assert row["forecast"] == pytest.approx(24.0) and row["actual"] == 24.0
    assert row["error"] == pytest.approx(0.0) and row["within"] == 1.0


def test_backtest_shows_the_error_when_leavers_doubled():
    bt = fc.backtest_view(_staff([2] * 24 + [4] * 12), Params(as_of=AS_OF.isoformat(), by=("service_area",)))
    row = bt[(bt["service_area"] == "All") & (bt["measure"] == "Leavers")].iloc[0]
    assert row["forecast"] == pytest.approx(24.0)  # made from two years of 2 a month
    assert row["actual"] == 48.0
    assert row["error"] == pytest.approx(24.0) and row["error_share"] == pytest.approx(0.5)
    assert row["within"] == 0.0  # 48 is far outside the range around 24
    assert row["upper"] < 48


def test_forecast_projects_the_last_two_years_average():
    f = fc.forecast_view(_staff([2] * 24 + [4] * 12), Params(as_of=AS_OF.isoformat(), by=("service_area",)))
    leavers = f[(f["service_area"] == "All") & (f["measure"] == "Leavers")]
    projected = leavers[leavers["kind"] == "projection"]
    assert len(projected) == 12 and projected["month"].iloc[-1] == dt.date(2025, 9, 30)
    # each calendar month was 2 one year and 4 the next: 3 a month, no cycle
    assert projected["value"].sum() == pytest.approx(36.0)
    assert (projected["lower"] <= projected["value"]).all() and (projected["value"] <= projected["upper"]).all()
    assert projected["annual_lower"].iloc[0] < 36 < projected["annual_upper"].iloc[0]
    assert (leavers[leavers["kind"] == "actual"]["value"].tail(12) == 4).all()


def test_no_backtest_without_36_months_and_no_forecast_without_24():
    wf = _staff([0] * 12 + [2] * 24)  # leavers kept for two years only
    assert fc.why_not(wf, AS_OF) is None
    assert "36 months" in fc.why_not(wf, AS_OF, fc.BACKTEST_MONTHS)
    assert fc.backtest_view(wf, Params(as_of=AS_OF.isoformat())).empty
    short = _staff([0] * 24 + [2] * 12)
    assert "24 months" in fc.why_not(short, AS_OF)
    assert fc.forecast_view(short, Params(as_of=AS_OF.isoformat())).empty


def test_vacancies_fall_by_starters_less_leavers():
    wf = _staff([2] * 36)
    wf.add_table("establishment", pd.DataFrame([dict(service_area="CSW", funded_fte=100.0)]))
    f = fc.forecast_view(wf, Params(as_of=AS_OF.isoformat(), by=("service_area",)))
    vac = f[(f["service_area"] == "All") & (f["measure"] == "Vacancies (FTE)")]
    now = vac[vac["kind"] == "actual"]["value"].iloc[0]
    # in post: 40 long-serving + 36 months × 2 starters × 0.5 FTE = 76 FTE → 24 vacant
    assert now == pytest.approx(24.0)
    # each month 2 leavers (1.0 FTE each) and 2 starters (0.5 FTE each): one more vacant FTE a month
    assert vac[vac["kind"] == "projection"]["value"].iloc[-1] == pytest.approx(36.0)
    assert math.isclose(fc.interval(), 0.8)


def test_the_views_carry_the_people_their_figures_rest_on():
    import metrics

    wf = _staff([2] * 36)
    for name in ("forecast", "forecast_backtest"):
        view = metrics.VIEWS[name]
        df = view.compute(wf, Params(as_of=AS_OF.isoformat(), by=view.by_options[0]))
        assert len(df) > 0
        for column in [*view.people_columns, *view.rate_columns]:
            assert column in df.columns, f"{name} lacks {column}"
