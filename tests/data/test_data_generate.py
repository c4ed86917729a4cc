"""The synthetic council generator: deterministic, schema-shaped, any size, a working CLI."""

from __future__ import annotations

import re
import zipfile
from xml.etree import ElementTree

import fastexcel
import pandas as pd
import pytest

from data.generate import DEMO_TABLES, generate, main, write_xlsx, xlsx_bytes
from ingest.schema import EMPLOYED_TYPES, GENDERS, LEAVING_REASONS, TABLES, WORKER_TYPES

AS_OF = pd.Timestamp("2026-09-30")


@pytest.fixture(scope="module")
def demo() -> dict[str, pd.DataFrame]:
    return generate()


def test_same_seed_gives_identical_frames_and_workbook_bytes():
    first, second = generate(seed=11), generate(seed=11)
    for name in DEMO_TABLES:
        pd.testing.assert_frame_equal(first[name], second[name])
    assert xlsx_bytes(first) == xlsx_bytes(second)


def test_another_seed_gives_other_people():
    a, b = generate(seed=1)["staff"], generate(seed=2)["staff"]
    assert not a["start_date"].equals(b["start_date"])


def test_every_table_present_with_canonical_columns_in_order(demo):
    assert list(demo) == ["staff", "establishment", "market_pay", "agency_caps", "recruitment", "survey",
                          "supervision", "induction"]
    for name, frame in demo.items():
        canonical = TABLES[name].column_names
        assert list(frame.columns) == [c for c in canonical if c in frame.columns]
        assert set(TABLES[name].required) <= set(frame.columns)
        assert len(frame) > 0
    data_md_staff = (  # every staff column DATA.md lists
        "worker_id service_area team role grade worker_type fte start_date end_date leaving_reason annual_salary "
        "hourly_rate caseload qualified_date manager_id gender absence_days"
    ).split()
    assert set(data_md_staff) <= set(demo["staff"].columns)
    assert demo["staff"].notna().any().all()  # and every one of them is filled somewhere


def test_staff_values_obey_the_data_contract(demo):
    s = demo["staff"]
    assert s["worker_id"].str.fullmatch(r"W\d{6}").all()
    assert s["worker_id"].is_unique
    assert set(s["worker_type"]) <= set(WORKER_TYPES)
    assert set(s["leaving_reason"].dropna()) <= set(LEAVING_REASONS)
    assert set(s["gender"]) <= set(GENDERS)
    assert ((s["fte"] > 0) & (s["fte"] <= 1.5)).all()
    for col in ("start_date", "end_date", "qualified_date"):
        assert s[col].max() <= AS_OF, col
    left = s["end_date"].notna()
    assert (s.loc[left, "end_date"] > s.loc[left, "start_date"]).all()
    assert s["leaving_reason"].notna().eq(left).all()  # a reason exactly when someone left
    # every manager is a worker in the extract
    assert set(s["manager_id"].dropna()) <= set(s["worker_id"])
    employed = s["worker_type"].isin(EMPLOYED_TYPES)
    assert s.loc[employed, "annual_salary"].notna().all() and s.loc[~employed, "annual_salary"].isna().all()
    assert s.loc[~employed, "hourly_rate"].notna().all() and s.loc[employed, "hourly_rate"].isna().all()
    assert not s["worker_id"].str.contains(r"[a-z]{3}", regex=True).any()  # ids, never names


def test_other_dates_are_on_or_before_another_as_of():
    frames = generate(as_of="2025-03-31")
    limit = pd.Timestamp("2025-03-31")
    s, r = frames["staff"], frames["recruitment"]
    assert max(s["start_date"].max(), s["end_date"].max(), s["qualified_date"].max()) <= limit
    assert max(r["advert_date"].max(), r["closing_date"].max(), r["start_date"].max()) <= limit
    assert s["end_date"].min() >= limit - pd.DateOffset(years=3, days=1)


def test_recruitment_funnel_never_grows(demo):
    r = demo["recruitment"]
    assert (r["shortlisted"] <= r["applications"]).all()
    assert (r["interviewed"] <= r["shortlisted"]).all()
    assert (r["offers"] <= r["interviewed"]).all()
    assert (r["appointed"] == r["offers"] - r["offers_declined"]).all()
    assert (r["closing_date"] > r["advert_date"]).all()
    assert (r["times_advertised"] >= 1).all()
    started = r["start_date"].notna()
    assert (r.loc[started, "appointed"] > 0).all()


@pytest.mark.parametrize("rows", [1, 250, 4321, 20_000])
def test_rows_gives_exactly_that_many_staff_rows(rows):
    staff = generate(rows=rows)["staff"]
    assert len(staff) == rows
    assert staff["worker_id"].is_unique


def test_large_council_keeps_the_shape_with_more_teams(demo):
    big = generate(rows=20_000)
    staff = big["staff"]
    assert set(staff["service_area"]) == set(demo["staff"]["service_area"])
    assert staff["team"].nunique() > 5 * demo["staff"]["team"].nunique()
    assert staff["worker_id"].str.fullmatch(r"W\d{6}").all()
    assert set(staff["manager_id"].dropna()) <= set(staff["worker_id"])


def test_cli_writes_a_workbook_with_one_sheet_per_table(tmp_path):
    out = tmp_path / "council.xlsx"
    assert main(["--rows", "300", "--out", str(out)]) == 0
    reader = fastexcel.read_excel(str(out))
    assert reader.sheet_names == list(DEMO_TABLES)
    staff = reader.load_sheet("staff").to_pandas()
    assert list(staff.columns) == TABLES["staff"].column_names
    assert len(staff) == 300
    assert str(staff["start_date"].dtype).startswith("datetime64")  # real Excel dates, not text


def test_cli_writes_one_csv_per_table_or_only_staff(tmp_path):
    assert main(["--rows", "200", "--format", "csv", "--out", str(tmp_path / "tables")]) == 0
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == sorted(f"{t}.csv" for t in DEMO_TABLES)
    staff_csv = tmp_path / "staff_only.csv"
    assert main(["--rows", "200", "--format", "csv", "--out", str(staff_csv)]) == 0
    staff = pd.read_csv(staff_csv)
    assert len(staff) == 200
    assert list(staff.columns) == TABLES["staff"].column_names
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", staff["start_date"].iloc[0])  # ISO dates


def test_cli_refuses_bad_arguments(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--rows", "0", "--out", str(tmp_path / "x.xlsx")])
    with pytest.raises(SystemExit):
        main(["--as-of", "30/09/2026", "--out", str(tmp_path / "x.xlsx")])
    assert "ISO date" in capsys.readouterr().err


def test_arrow_built_rows_hold_the_same_cells_as_cell_by_cell_writing(tmp_path):
    frames = generate(rows=3000)
    frames["staff"].loc[0, "team"] = "Fostering & Adoption <North>"  # XML special characters survive
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    write_xlsx(frames, fast, fast_rows=0)
    write_xlsx(frames, slow, fast_rows=10**9)
    assert fast.read_bytes() != slow.read_bytes()  # the two paths really differ
    a, b = fastexcel.read_excel(str(fast)), fastexcel.read_excel(str(slow))
    assert a.sheet_names == b.sheet_names == list(DEMO_TABLES)
    for name in DEMO_TABLES:
        pd.testing.assert_frame_equal(a.load_sheet(name).to_pandas(), b.load_sheet(name).to_pandas(), check_exact=True)
    staff = a.load_sheet("staff").to_pandas()
    assert staff.loc[0, "team"] == "Fostering & Adoption <North>"
    assert len(staff) == 3000
    xml = zipfile.ZipFile(fast).read("xl/worksheets/sheet1.xml")
    ElementTree.fromstring(xml)  # well-formed
    assert b'<dimension ref="A1:Q3001"/>' in xml


def test_cli_summary_writes_the_committee_table_only(tmp_path):
    out = tmp_path / "summary.xlsx"
    assert main(["--summary", "--out", str(out)]) == 0
    reader = fastexcel.read_excel(str(out))
    assert reader.sheet_names == ["summary"]
    table = reader.load_sheet("summary").to_pandas()
    assert set(table.columns) <= set(TABLES["summary"].column_names)
    assert table["service_area"].nunique() == 4
