"""The disclosure audit: each recovery the attacker found works on a naive publication, and no longer works after
protection; the demo council, a small hand-made council and generated councils publish with 0 recoverable cells."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ingest.workforce import Workforce
from metrics.registry import Params
from sharing import audit, published, snapshots, suppress
from sharing.cells import Table

C = suppress.SYMBOL
AS_OF = "2025-09-30"
LIMIT = 5
NAN = math.nan


def _table(view: str, df: pd.DataFrame, by: tuple[str, ...] = (), filters: tuple = ()) -> Table:
    """A table declared exactly as the View declares it (metrics.VIEWS), as the publisher does."""
    return published.declare(view, Params(as_of=None, by=by, filters=filters), df, AS_OF)


def _naive(table: Table, hidden: dict[str, list[int]]) -> Table:
    """The table with only the given cells shown as `c` (what the old publisher printed)."""
    df = table.df.copy()
    for col, rows in hidden.items():
        values = df[col].astype(object).tolist()
        for r in rows:
            values[r] = C
        df[col] = pd.Series(values, index=df.index, dtype=object)
    return Table(**{**table.__dict__, "df": df})


def _recovered(findings, measure: str, **cond) -> list:
    """The attacker's solution for one cell (the sums-and-rates finding, with its bounds)."""
    want = {("as_of", AS_OF), *cond.items()}
    return [f for f in findings if f.cell[0] == measure and set(f.cell[1]) == want and f.how == "sums and rates"]


def _protected(tables: list[Table]) -> list[pd.DataFrame]:
    frames, findings = suppress.protect(tables, LIMIT)
    assert findings == []
    shown = [Table(**{**t.__dict__, "df": df}) for t, df in zip(tables, frames, strict=True)]
    assert audit.attack(shown, LIMIT) == []  # the independent attack on what would be printed
    return frames


# ── gender pay: men from women and the women's share; gaps on 3 men ───────────

GENDER = pd.DataFrame({
    "quartile": ["Lower", "Lower middle", "Upper middle", "Upper", "All"],
    "men": [3, 6, 7, 8, 24], "women": [10, 7, 6, 5, 28],
    "men_share": [3 / 13, 6 / 13, 7 / 13, 8 / 13, 24 / 52], "women_share": [10 / 13, 7 / 13, 6 / 13, 5 / 13, 28 / 52],
    "mean_gap": [NAN] * 4 + [0.05], "median_gap": [NAN] * 4 + [0.04],
})


def test_men_worked_out_from_women_and_share_on_the_old_publication():
    naive = _naive(_table("gender_pay", GENDER), {"men": [0], "men_share": [0]})
    found = _recovered(audit.attack([naive], LIMIT), "gender_pay.people", quartile="Lower", sex="male")
    assert found and found[0].low == found[0].high == 3  # 10 ÷ (10/13) − 10


def test_gender_pay_protected_hides_the_pair_and_their_shares():
    (df,) = _protected([_table("gender_pay", GENDER)])
    lower = df.iloc[0]
    assert (lower["men"], lower["women"], lower["men_share"], lower["women_share"]) == (C, C, C, C)
    # a second quartile goes too (the men add up to the All row), so Lower's men are not All − the others
    assert sum(1 for v in df["men"].iloc[:4] if v == C) >= 2


def test_gaps_on_three_men_are_a_finding_and_are_hidden():
    few = GENDER.assign(men=[1, 1, 0, 1, 3], men_share=[1 / 11, 1 / 8, 0.0, 1 / 6, 3 / 31])
    naive = _naive(_table("gender_pay", few), {"men": [0, 1, 3, 4]})
    assert any("mean_gap is shown" in f.how for f in audit.attack([naive], LIMIT))
    (df,) = _protected([_table("gender_pay", few)])
    assert df["mean_gap"].iloc[4] == C and df["median_gap"].iloc[4] == C


# ── leavers by reason and length of service: share × total, missing rows are zero ──

REASONS = pd.DataFrame({"leaving_reason": ["resignation", "retirement", "moved to agency work"],
                        "leavers_headcount": [12, 6, 2], "leavers_fte": [11.5, 6.0, 2.0],
                        "share": [0.6, 0.3, 0.1]})


def test_hidden_reason_worked_out_from_shares_on_the_old_publication():
    naive = _naive(_table("leavers_by_reason", REASONS), {"leavers_headcount": [2], "leavers_fte": [2], "share": [2]})
    found = _recovered(audit.attack([naive], LIMIT), "leavers_headcount", leaving_reason="moved to agency work")
    assert found and found[0].low == found[0].high == 2  # 12 ÷ 0.6 − 12 − 6


def test_reasons_protected():
    (df,) = _protected([_table("leavers_by_reason", REASONS)])
    assert df["leavers_headcount"].tolist() == [12, C, C]
    assert df["share"].tolist() == [0.6, C, C]


BANDS = pd.DataFrame({"band": ["Under 2 years", "2 to under 5 years", "5 to under 10 years", "10 to under 20 years",
                               "20 to under 30 years", "30 years or more"],
                      "headcount": [3, 10, 0, 7, 0, 0], "share": [0.15, 0.5, 0.0, 0.35, 0.0, 0.0]})


def test_hidden_band_worked_out_from_zeros_and_shares_on_the_old_publication():
    naive = _naive(_table("length_of_service", BANDS), {"headcount": [0], "share": [0]})
    found = _recovered(audit.attack([naive], LIMIT), "headcount_in_post", band="Under 2 years")
    assert found and found[0].low == found[0].high == 3  # 10 ÷ 0.5 − 10 − 7


def test_bands_protected():
    (df,) = _protected([_table("length_of_service", BANDS)])
    assert df["headcount"].tolist() == [C, 10, 0, C, 0, 0]


# ── role × grade: 85 − 55 − 20 − 8 = 2 ─────────────────────────────────────────

ROLE_GRADE = pd.DataFrame({
    "role": ["Social Worker", "Social Worker", "Team Manager", "Service Manager", "All"],
    "grade": ["Level 3", "Level 4", "Level 5", "Level 6", "All"],
    "headcount": [55, 20, 8, 2, 85], "median_salary": [38000.0, 41000.0, 52000.0, 61000.0, 40000.0],
    "market_median_salary": [39000.0, 42000.0, 50000.0, 60000.0, NAN], "source": ["NJC"] * 4 + [None],
    "salary_gap": [-0.025, -0.025, 0.04, 0.015, NAN],
})


def test_role_grade_cell_worked_out_from_the_grand_total_on_the_old_publication():
    naive = _naive(_table("salary_gap_by_role_grade", ROLE_GRADE, by=("role", "grade")),
                   {"headcount": [3], "median_salary": [3], "salary_gap": [3]})
    found = _recovered(audit.attack([naive], LIMIT), "salaried_in_post", role="Service Manager", grade="Level 6")
    assert found and found[0].low == found[0].high == 2


def test_role_grade_protected():
    (df,) = _protected([_table("salary_gap_by_role_grade", ROLE_GRADE, by=("role", "grade"))])
    assert df["headcount"].tolist()[3] == C and df["headcount"].tolist().count(C) >= 2
    assert df["market_median_salary"].tolist()[:4] == [39000.0, 42000.0, 50000.0, 60000.0]  # public comparators


# ── rate × denominator: leavers = 0.2857 × 7 = 2 ──────────────────────────────

TEAMS = pd.DataFrame({"team": ["Duty", "Long term", "All"], "headcount_in_post": [7, 30, 37],
                      "leavers_headcount": [2, 6, 8], "turnover_rate_headcount": [2 / 7, 0.2, 8 / 37]})


def test_leavers_worked_out_from_rate_times_headcount_on_the_old_publication():
    naive = _naive(_table("figures", TEAMS, by=("team",)), {"leavers_headcount": [0, 1]})
    found = _recovered(audit.attack([naive], LIMIT), "leavers_headcount", team="Duty")
    assert found and found[0].low == found[0].high == 2


def test_rate_rests_on_its_numerator_too():
    (df,) = _protected([_table("figures", TEAMS, by=("team",))])
    assert df["leavers_headcount"].tolist() == [C, C, 8]
    assert df["turnover_rate_headcount"].tolist()[:2] == [C, C]


# ── one cell in two views; pay; c in words ─────────────────────────────────────


def test_leavers_to_agency_is_the_same_cell_as_the_reason_row():
    figures = pd.DataFrame({"leavers_headcount": [20], "leavers_to_agency": [2]})
    tables = [_table("figures", figures), _table("leavers_by_reason", REASONS)]
    frames = _protected(tables)
    assert frames[0]["leavers_to_agency"].tolist() == [C]
    assert frames[1]["leavers_headcount"].tolist()[2] == C


def test_pay_is_rounded_and_unrounded_pay_is_a_finding():
    df = ROLE_GRADE.assign(median_salary=[38123.0, 41000.0, 52000.0, 61000.0, 40000.0])
    assert any("not rounded" in f.how for f in audit.attack([_table("salary_gap_by_role_grade", df,
                                                                    by=("role", "grade"))], LIMIT))
    assert published.round_pay(df)["median_salary"].tolist()[0] == 38100.0


def test_hidden_counts_are_c_in_words_never_zero():
    from charts.describe import describe_counts, describe_series_pair

    moves = pd.DataFrame({"month": ["2025-08-31", "2025-08-31", "2025-09-30", "2025-09-30"],
                          "measure": ["Starters", "Leavers", "Starters", "Leavers"], "people": [C, C, 0, 6]})
    text = describe_series_pair(moves, label="Starters and leavers", x="month", category="measure", value="people")
    assert "c starters" in text and "c leavers" in text and "0 starters" not in text
    bands = pd.DataFrame({"band": ["A", "B"], "headcount": [C, 12]})
    words = describe_counts(bands, label="People", category="band", value="headcount")
    assert "A c" in words and "the total is c" in words and "12 in all" not in words


# ── whole councils ─────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def demo_family():
    import ingest

    workforce = ingest.load_demo()
    family = published.build_family(workforce)
    workforce.close()
    return family


def test_demo_council_publishes_with_nothing_recoverable(demo_family):
    assert demo_family.findings == []
    own = demo_family.as_of.isoformat()
    tables = [published.declare(v, p, df, own) for v, p, df in demo_family.tables]
    assert audit.attack(tables, demo_family.threshold, published.implied_from_meta(demo_family.implied)) == []
    gender = next(df for v, p, df in demo_family.tables if v == "gender_pay")
    for _, row in gender.iterrows():  # never one of men and women hidden alone beside a share
        assert (row["men"] == C) == (row["women"] == C) or row["men_share"] == C


def test_audit_command_on_a_published_snapshot(tmp_path, capsys):
    """The small council publishes (the door's own audit finds nothing) and the audit command, attacking what was
    stored, recovers nothing either; the same tables with only primary suppression are caught."""
    from sharing_fixtures import make_workforce

    from metrics import VIEWS

    path = tmp_path / "snaps.duckdb"
    workforce = make_workforce()
    sid = snapshots.publish(workforce, "Audited", path=path)
    assert audit.main([sid, "--path", str(path)]) == 0
    assert "0 recoverable cells" in capsys.readouterr().out
    # The same tables with only the counts under 5 hidden (the old way, no secondary suppression) are caught:
    # team T1's 3 people are the council's 23 minus T2's 8 and T3's 12.
    built = snapshots.build(workforce)
    naive = {}
    for view, items in built.frames.items():
        naive[view] = []
        for params, _ in items:
            when = params.as_of or built.as_of.isoformat()
            true = VIEWS[view].compute(workforce, Params(when, params.by, params.filters))
            naive[view].append((params, _primary_only(true, VIEWS[view].people_columns)))
    workforce.close()
    bad = snapshots.Built(built.as_of, naive, built.filter_options, built.availability, built.notes,
                          built.source_label, built.threshold, [], built.implied)
    with snapshots._resolve(path).transaction() as tx:
        snapshots._write_built(tx, "naive-snapshot-1", "Naive", "", bad)
    assert audit.main(["naive-snapshot-1", "--path", str(path)]) == 1
    out = capsys.readouterr().out
    assert "headcount_in_post (as_of=" in out and "team=T1" in out
    assert audit.main(["no-such-snapshot", "--path", str(path)]) == 2


def _primary_only(df: pd.DataFrame, people) -> pd.DataFrame:
    """Counts of 1 to 4 shown as `c`, nothing else hidden."""
    out = df.copy()
    for col in people:
        if col in out.columns:
            out[col] = pd.Series([C if isinstance(v, int | float) and 0 < v < LIMIT else v for v in out[col]],
                                 index=out.index, dtype=object)
    return out


# ── generated councils ─────────────────────────────────────────────────────────

AREAS = ["Children's Social Work", "Education Psychology", "SEND 0-25"]
TEAMS_BY_AREA = {"Children's Social Work": ["Duty", "Long term", "Fostering"], "Education Psychology": ["EP"],
                 "SEND 0-25": ["SEND North", "SEND South"]}
REASON_CHOICES = ["resignation", "retirement", "moved to agency work", "dismissal"]
GENERATED_VIEWS = ("figures", "leavers_by_reason", "length_of_service", "turnover_by_role", "gender_pay",
                   "salary_distribution")


@st.composite
def councils(draw) -> pd.DataFrame:
    rows = []
    people = draw(st.integers(8, 45))
    for n in range(people):
        area = draw(st.sampled_from(AREAS))
        left = draw(st.booleans()) and draw(st.booleans())
        start = dt.date(2010, 1, 1) + dt.timedelta(days=draw(st.integers(0, 5000)))
        rows.append({
            "worker_id": f"G{n:04d}", "service_area": area, "team": draw(st.sampled_from(TEAMS_BY_AREA[area])),
            "role": draw(st.sampled_from(["Social Worker", "Team Manager", "Senior Practitioner"])),
            "grade": draw(st.sampled_from(["Level 3", "Level 4", "Level 5"])),
            "worker_type": draw(st.sampled_from(["permanent", "permanent", "agency"])), "fte": 1.0,
            "start_date": start,
            "end_date": dt.date(2025, 1, 1) + dt.timedelta(days=draw(st.integers(0, 250))) if left else None,
            "leaving_reason": draw(st.sampled_from(REASON_CHOICES)) if left else None,
            "gender": draw(st.sampled_from(["male", "female", "female"])),
            "annual_salary": float(draw(st.integers(26_000, 60_000))),
        })
    return pd.DataFrame(rows)


@settings(max_examples=4, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(staff=councils())
def test_generated_councils_publish_with_nothing_recoverable(staff):
    from metrics import VIEWS

    workforce = Workforce(label="Generated")
    workforce.add_table("staff", staff)
    try:
        views = {name: VIEWS[name] for name in GENERATED_VIEWS}
        family = published.build_family(workforce, as_of=dt.date(2025, 9, 30), views=views)
    finally:
        workforce.close()
    assert family.findings == [], [f.sentence() for f in family.findings]
    tables = [published.declare(v, p, df, "2025-09-30", views) for v, p, df in family.tables]
    again = audit.attack(tables, family.threshold, published.implied_from_meta(family.implied))
    assert again == [], [f.sentence() for f in again]
    for view, _, df in family.tables:  # nothing under the threshold is printed as a number
        for col in ("headcount_in_post", "leavers_headcount", "men", "women", "headcount"):
            if col in df.columns:
                assert not any(isinstance(v, int | float) and 0 < v < LIMIT for v in df[col]), (view, col)
