"""Benchmarks: neighbour median by hand, ranking and bands, reorganised authorities, every authority."""

from __future__ import annotations

import pandas as pd
import pytest

import reference
from reference.benchmarks import SN_SERIES, band_for, rank_table
from reference.figures import COMPARE_FIGURES


def test_devon_neighbours_and_their_2023_agency_median_by_hand():
    # statistical_neighbours_2025.csv, Devon (878): 845, 838, 926, 886, 933, 935, 938, 830, 881, 885
    assert reference.neighbours("Devon") == [
        "East Sussex", "Dorset", "Norfolk", "Kent", "Somerset", "Suffolk", "West Sussex", "Derbyshire", "Essex",
        "Worcestershire",
    ]
    # Their 2023 agency_rate_fte from the indicator file, by eye:
    #   East Sussex 3.2, Dorset 16, Norfolk 7.7, Kent 14.2, Somerset 9.5, Suffolk 5.8, West Sussex 4.9,
    #   Derbyshire 11.2, Essex 2.2, Worcestershire 10.9
    # sorted: 2.2 3.2 4.9 5.8 7.7 | 9.5 10.9 11.2 14.2 16  -> median (7.7 + 9.5) / 2 = 8.6%
    s = reference.series("Devon", "agency_rate")
    sn = s[(s["series"] == SN_SERIES) & (s["year"] == 2023)].iloc[0]
    assert sn["value"] == pytest.approx(0.086)
    assert sn["neighbours_used"] == 10 and "10 of 10" in sn["note"]
    assert reference.latest_benchmarks("Devon", ["agency_rate"], 2023)["neighbour_median"].iloc[0] == pytest.approx(0.086)


def test_neighbour_median_ignores_neighbours_without_a_value():
    # Westminster and Kensington and Chelsea are `x` in 2025; Camden's neighbours include both? use a London
    # borough whose neighbours include Westminster: Kensington and Chelsea (207) -> 205, 202, 208, 213 (Westminster)...
    s = reference.series("Kensington and Chelsea", "vacancy_rate")
    sn = s[(s["series"] == SN_SERIES) & (s["year"] == 2025)].iloc[0]
    assert "Westminster" in reference.neighbours("Kensington and Chelsea")
    assert sn["neighbours_used"] == 9 and "9 of 10" in sn["note"]


def test_region_of_london_borough_is_london():
    assert reference.region_of("Camden") == "London"
    assert reference.region_of("devon") == "South West"


def test_rank_table_competition_ranking_and_bands_lower_is_better():
    df = pd.DataFrame({"area": list("ABCDEFGHI"), "value": [0.10, 0.20, 0.20, 0.30, 0.40, 0.50, 0.60, 0.70, None]})
    out = rank_table(df, "lower_is_better").set_index("area")
    # 8 with a value; ties share the better rank ("1224"); I has no value: no rank, no band
    assert out["rank"].tolist()[:8] == [1, 2, 2, 4, 5, 6, 7, 8]
    assert pd.isna(out.loc["I", "rank"]) and out.loc["I", "band"] is None
    # band = A + floor(4 * (rank - 1) / 8): ranks 1,2 -> A; 4 -> B; 5,6 -> C; 7,8 -> D
    assert out["band"].tolist()[:8] == ["A", "A", "A", "B", "C", "C", "D", "D"]
    assert (out["out_of"] == 8).all()


def test_rank_table_higher_is_better_and_neutral():
    df = pd.DataFrame({"area": ["A", "B", "C", "D"], "value": [1.0, 3.0, 3.0, 2.0]})
    high = rank_table(df, "higher_is_better").set_index("area")
    assert high["rank"].to_dict() == {"A": 4, "B": 1, "C": 1, "D": 3}
    assert high["band"].to_dict() == {"A": "D", "B": "A", "C": "A", "D": "C"}
    neutral = rank_table(df, "neutral").set_index("area")
    assert neutral["rank"].to_dict() == {"A": 4, "B": 1, "C": 1, "D": 3}  # largest first
    assert neutral["band"].isna().all()
    assert band_for(1, 4, "neutral") is None and band_for(4, 4, "lower_is_better") == "D"


def test_rank_and_band_for_a_real_authority_and_a_suppressed_one():
    devon = reference.rank_and_band("Devon", "agency_rate", 2023)
    assert devon.value == pytest.approx(0.316) and devon.band == "D" and devon.rank > 100
    westminster = reference.rank_and_band("Westminster", "agency_rate", 2025)
    assert westminster.rank is None and westminster.band is None and westminster.symbol == "x"
    assert "x: unavailable" in westminster.sentence()
    fte = reference.rank_and_band("Devon", "fte_in_post", 2023)
    assert fte.band is None and fte.rank is not None


def test_cumbria_successor_series_does_not_silently_break():
    s = reference.series("Cumberland", "agency_rate")
    own = s[s["role"] == "la"]
    assert own["year"].tolist() == list(range(2017, 2026))
    before = own[own["year"] < 2023]
    assert before["value"].isna().all() and before["note"].str.contains("Cumbria until 2022").all()
    cumbria = s[s["role"] == "predecessor"]
    assert cumbria["series"].unique().tolist() == ["Cumbria (until 2022)"]
    # Cumbria 2022 agency_rate_fte by eye: 21.5
    assert cumbria.loc[cumbria["year"] == 2022, "value"].iloc[0] == pytest.approx(0.215)
    assert "Cumbria was replaced by Cumberland and Westmorland and Furness in 2023" in cumbria["note"].iloc[0]
    assert any("Cumbria was replaced" in n for n in reference.notes("Cumberland"))


def test_predecessor_shows_successors_and_has_no_neighbours():
    s = reference.series("Northamptonshire", "vacancy_rate")
    assert "North Northamptonshire / West Northamptonshire (from 2021)" in set(s["series"])
    assert reference.neighbours("Northamptonshire") == []
    assert any("not in the 2025 statistical neighbour model" in n for n in reference.notes("Northamptonshire"))
    sn = s[s["role"] == "neighbours"]
    assert sn["value"].isna().all() and (sn["note"] == "no statistical neighbours").all()


def test_joint_returns_resolve_and_explain():
    joint = "Kingston upon Thames / Richmond upon Thames"
    assert reference.resolve("Richmond upon Thames") == joint
    assert reference.resolve("kingston upon thames") == joint
    assert reference.resolve("West Northamptonshire") == "North Northamptonshire / West Northamptonshire"
    assert any("joint return" in n for n in reference.notes("Richmond upon Thames"))
    sns = reference.neighbours(joint)  # Kingston's (314) row; Richmond (318) maps to the joint return itself
    assert joint not in sns and "Sutton" in sns and len(sns) == 9
    assert reference.resolve("Bournemouth, Christchurch and Poole") and reference.resolve("Nowhere") is None


def test_bcp_series_shows_bournemouth_and_poole_before_2019():
    s = reference.series("Bournemouth, Christchurch and Poole", "turnover_rate")
    assert {"Bournemouth (until 2018)", "Poole (until 2018)"} <= set(s["series"])
    own = s[s["role"] == "la"]
    assert own.loc[own["year"] < 2019, "value"].isna().all()


def test_peers_mark_the_chosen_authority_in_words():
    p = reference.peers("Devon", "agency_rate", 2023, "neighbours")
    assert len(p) == 11
    chosen = p[p["selected"]]
    assert chosen["label"].iloc[0] == "◆ Devon (selected)" and chosen["rank"].iloc[0] == 11
    region = reference.peers("Westminster", "agency_rate", 2025, "region")
    w = region[region["area"] == "Westminster"].iloc[0]
    assert pd.isna(w["value"]) and w["symbol"] == "x" and pd.isna(w["rank"])
    assert region["rank"].dropna().iloc[0] == 1


def test_extra_authorities_are_added_up_to_five():
    s = reference.series("Devon", "agency_rate", extra=["Leeds", "kent", "Devon", "Leeds"])
    assert s.loc[s["role"] == "extra", "series"].unique().tolist() == ["Leeds", "Kent"]
    with pytest.raises(reference.UnknownAuthority):
        reference.series("Devon", "agency_rate", extra=["Atlantis"])


CHUNKS = 4


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_authority_yields_series_and_benchmarks_and_sql_ranks_match_rank_table(chunk):
    """Every authority (in four chunks, so parallel workers share the loop)."""
    las = reference.authorities()
    assert len(las) >= 150
    # the pure rank_table over every authority's 2025 values, per figure, for the check against the SQL rank
    every = reference.store.query(
        "SELECT area, measure, value FROM indicators WHERE year = 2025 AND geographic_level = 'Local authority'")
    expected = {}
    for fid in COMPARE_FIGURES:
        fig = reference.figures.figure(fid)
        ranked = rank_table(every[every["measure"] == fig.dfe_column], fig.polarity).set_index("area")
        expected[fid] = ranked
    for i, la in enumerate(las["la"]):
        if i % CHUNKS != chunk:
            continue
        bench = reference.latest_benchmarks(la, COMPARE_FIGURES)
        assert len(bench) == len(COMPARE_FIGURES)
        assert bench["england"].notna().all(), la
        if bench["year"].iloc[0] == 2025:
            for row in bench.itertuples():
                want = expected[row.figure].loc[la]
                assert (None if pd.isna(row.rank) else int(row.rank)) == (None if pd.isna(want["rank"])
                                                                          else int(want["rank"])), (la, row.figure)
                assert (row.band if isinstance(row.band, str) else None) == want["band"], (la, row.figure)
        s = reference.series(la, COMPARE_FIGURES[i % len(COMPARE_FIGURES)])
        assert set(s.loc[s["role"] == "la", "year"]) == set(reference.years()), la
        assert not ((s["value"] == 0) & s["symbol"].notna()).any(), la
