"""The user's Mapping: a small file round-tripped as TOML or JSON, built from CLI flags, undoable."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ingest
from ingest import Mapping, MappingError
from ingest.mappings import from_flags, known_columns, parse_map, parse_map_value
from tests.ingest.conftest import csv_bytes

FULL = Mapping(
    columns={"EmploymentStatus": "employment_status", "Division": "", "Annual Salary (FTE)": "annual_salary",
             "Kontrakt \"typ\" = A": "worker_type"},
    values={"worker_type": {"Agency/Locum/Interim": "agency", "Perm.": "permanent"},
            "employment_status": {"Voluntarily Terminated": "left (resignation)"}},
    assume={"fte": "hours", "standard_hours": "36", "worker_type": "permanent"},
    tables={"Sheet1": "staff", "Notes": ""},
)


def test_toml_and_json_round_trip_exactly():
    assert Mapping.from_text(FULL.to_toml()) == FULL
    assert Mapping.from_text(FULL.to_json()) == FULL
    assert FULL.to_toml().startswith("# Workforce Lens column mapping")
    assert "no data" in FULL.to_toml()


def test_a_mapping_holds_headers_and_choices_never_data():
    result = ingest.load([("staff.csv", csv_bytes([["worker_id", "Department", "Division", "role", "start_date"],
                                                    ["SECRET-ID-1", "CSW", "North", "SW", "2020-01-06"]]))], FULL)
    assert result.loaded_anything
    assert "SECRET-ID-1" not in result.mapping.to_toml() and "SECRET-ID-1" not in result.mapping.to_json()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[columns]\nDept = 'colour'\n", "'colour' is not a column"),
        ("[assume]\nmood = 'happy'\n", "'mood' is not an assumption"),
        ("[tables]\nSheet1 = 'people'\n", "is not a table"),
        ("this is not toml = = =", "could not be read as a mapping"),
        ("{\"hello\": 1}", "not a Workforce Lens mapping"),
    ],
)
def test_a_mapping_that_cannot_be_used_says_what_to_write(text, message):
    with pytest.raises(MappingError, match=message):
        Mapping.from_text(text)


def test_flags_build_the_same_mapping(tmp_path):
    path = tmp_path / "saved.toml"
    path.write_text(Mapping(columns={"Dept": "service_area"}).to_toml(), encoding="utf-8")
    mapping = from_flags(["EmploymentStatus=employment_status", "Division="],
                         ["worker_type:Agency/Locum/Interim=agency"], ["fte=1.0"], str(path))
    assert mapping.columns == {"Dept": "service_area", "EmploymentStatus": "employment_status", "Division": ""}
    assert mapping.values == {"worker_type": {"Agency/Locum/Interim": "agency"}}
    assert mapping.assume == {"fte": "1.0"}
    assert parse_map("A=B=start_date") == ("A=B", "start_date")  # a header may hold '='
    assert parse_map_value("worker_type:Agency: locum=agency") == ("worker_type", "Agency: locum", "agency")
    with pytest.raises(MappingError, match="HEADER=column"):
        parse_map("no equals sign")


def test_with_column_none_goes_back_to_automatic_and_copies_are_independent():
    original = Mapping(columns={"Dept": "service_area"})
    changed = original.with_column("DEPT", "team").with_value("worker_type", "x", "agency")
    assert original.columns == {"Dept": "service_area"} and original.values == {}
    assert changed.columns == {"DEPT": "team"}
    assert changed.with_column("dept", None).columns == {}
    assert changed.with_value("worker_type", "X", None).values == {}


HEADERS = ["EmpID", "Department", "Position", "Contract", "FTE", "DateofHire", "Team name", "Notes"]
ROWS = [
    ["1", "Children's Social Work", "Social Worker", "Permanent", "1", "2020-01-06", "North", "a"],
    ["2", "Children's Social Work", "Social Worker", "Agency", "0.5", "2021-03-04", "South", "b"],
    ["3", "SEND 0-25", "Caseworker", "Fixed term", "1", "2019-09-02", "North", "c"],
]
DATA = [("export.csv", csv_bytes([HEADERS, *ROWS]))]
BASE = ingest.load(DATA)


def _frame(result: ingest.LoadResult) -> pd.DataFrame:
    return result.tables["staff"].reset_index(drop=True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=st.sampled_from(HEADERS), column=st.sampled_from(["", *known_columns()]))
def test_property_mapping_a_column_and_unmapping_it_returns_the_original_result(header, column):
    mapping = Mapping().with_column(header, column)
    ingest.load(DATA, mapping)  # whatever this does, it must not stick
    undone = ingest.load(DATA, mapping.with_column(header, None))
    pd.testing.assert_frame_equal(_frame(undone), _frame(BASE))
    assert [m.column for p in undone.plans for m in p.matches] == [m.column for p in BASE.plans for m in p.matches]
    assert undone.rows_set_aside == BASE.rows_set_aside


def test_preview_from_one_read_equals_a_fresh_load():
    upload = ingest.read_upload(DATA)
    mapping = Mapping(columns={"Team name": "", "Notes": "grade"})
    via_steps = ingest.load_upload(upload, mapping)
    fresh = ingest.load(DATA, mapping)
    pd.testing.assert_frame_equal(_frame(via_steps), _frame(fresh))
    assert via_steps.tables["staff"]["grade"].tolist() == ["a", "b", "c"]
    assert "team" not in via_steps.tables["staff"].columns  # unset: not loaded at all
