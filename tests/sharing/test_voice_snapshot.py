"""Staff voice in a published snapshot: small survey groups and small supervision groups are `c`, through the
same door as every other figure (the Views declare what each result rests on)."""

from __future__ import annotations

import pandas as pd
import pytest

from metrics.registry import Params
from sharing import snapshots
from sharing.suppress import SYMBOL
from tests.metrics.voice_fixtures import AS_OF, RECOMMEND, make_workforce

C = SYMBOL


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """The voice fixture council (team T1 has 3 respondents) published with every View, then opened."""
    mp = pytest.MonkeyPatch()
    mp.setenv("WORKFORCE_LENS_SHARING_FILTER_CUTS", "service_area,team,role")
    path = tmp_path_factory.mktemp("voice") / "snapshots.duckdb"
    workforce = make_workforce()
    try:
        sid = snapshots.publish(workforce, "Spotlight review", "officer", path=path)
    finally:
        workforce.close()
        mp.undo()
    return snapshots.open_snapshot(sid, path=path)


def test_a_survey_group_of_three_respondents_is_c(shared):
    results = shared.get("survey_results", Params(by=("team",)))
    recommend = results[results["theme"] == RECOMMEND].set_index("team")
    assert recommend.loc["T1", "respondents"] == C
    assert recommend.loc["T1", "percent_agree"] == C
    assert recommend.loc["T1", "change_points"] == C  # the change rests on both surveys' respondents
    assert recommend.loc["T1", "previous_percent"] == pytest.approx(0.30)  # 10 respondents in 2024: shown
    assert recommend.loc["T2", "percent_agree"] == pytest.approx(0.50)  # 8 respondents
    assert recommend.loc["All", "percent_agree"] == pytest.approx(0.55)


def test_the_small_group_is_c_in_every_published_table_that_shows_it(shared):
    figures = shared.get("voice_figures", Params(by=("team",))).set_index("team")
    assert figures.loc["T1", "recommend_share"] == C and figures.loc["T1", "recommend_respondents"] == C
    assert figures.loc["T1", "recommend_change"] == C
    assert figures.loc["All", "recommend_share"] == pytest.approx(0.55)
    filtered = shared.get("survey_results", Params(by=(), filters=(("team", "T1"),)))
    assert filtered.loc[filtered["theme"] == RECOMMEND, "percent_agree"].tolist() == [C]
    filtered = shared.get("voice_figures", Params(by=(), filters=(("team", "T1"),)))
    assert filtered["recommend_share"].tolist() == [C]


def test_supervision_of_fewer_than_five_workers_is_c(shared):
    figures = shared.get("voice_figures", Params(by=("team",))).set_index("team")
    # T2: one worker; T3: a team row covering three; the whole council rests on six
    assert figures.loc["T2", "case_supervision_held"] == C and figures.loc["T2", "case_sessions_held"] == C
    assert figures.loc["T3", "case_supervision_held"] == C
    assert figures.loc["All", "case_supervision_held"] == pytest.approx(11 / 13)
    monthly = shared.get("voice_by_month", Params(by=("team",)))
    monthly = monthly[monthly["team"] == "All"]  # the page's own line
    month = pd.to_datetime(monthly["month"])
    september = monthly[month == "2025-09-30"].iloc[0]
    assert september["case_supervision_held"] == pytest.approx(5 / 7)  # five supervisees that month
    assert september["case_supervisees"] == 5
    august, july = monthly[month == "2025-08-31"].iloc[0], monthly[month == "2025-07-31"].iloc[0]
    assert august["case_supervision_held"] == C and august["case_supervisees"] == C  # three
    assert july["case_supervision_held"] == C  # one


def test_the_snapshot_keeps_the_voice_views_and_their_availability(shared):
    assert shared.default_as_of().isoformat() == AS_OF
    history = shared.get("survey_history", Params(by=()))
    assert len(history) == 5
    assert shared.availability()["recommend_change"] is None
    prior = shared.get("voice_figures", Params(as_of="2024-09-30", by=()))  # the tiles' 12 months earlier
    assert len(prior) == 1


def test_a_survey_only_upload_publishes(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKFORCE_LENS_SHARING_FILTER_CUTS", "service_area")
    workforce = make_workforce(staff=False, supervision=False, induction=False)
    sid = snapshots.publish(workforce, "Survey only", path=tmp_path / "s.duckdb")
    workforce.close()
    source = snapshots.open_snapshot(sid, path=tmp_path / "s.duckdb")
    assert source.get("figures", Params(by=("service_area",))).empty  # nothing about staff to publish
    teams = source.get("survey_results", Params(by=("team",)))
    assert teams.loc[(teams["team"] == "T1") & (teams["theme"] == RECOMMEND), "percent_agree"].tolist() == [C]
    assert source.availability()["fte_in_post"].startswith("Needs a staff extract")
