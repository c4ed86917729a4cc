"""Whatever bytes arrive, `load` answers with problems, never an exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ingest

CELLS = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(-50, 50).map(str),
    st.sampled_from(
        ["Permanent", "agency", "37", "0", "30/09/2024", "01/02/2024", "45000", "c", "=1+1", "<script>", "x", "£1,000"]
    ),
)
HEADERS = st.lists(
    st.sampled_from(
        [
            "worker_id",
            "Directorate",
            "Job Title",
            "Contract Type",
            "FTE",
            "Start Date",
            "Leaving Date",
            "Sex",
            "Mystery",
            "",
        ]
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), name=st.sampled_from(["a.xlsx", "a.csv", "a.txt", "a"]))
def test_random_bytes_never_raise(data, name):
    result = ingest.load([(name, data)])
    assert isinstance(result.problems, list)
    assert result.loaded_anything or result.problems
    catch_all = ("This sheet could not be read.", "This file could not be read.", "table could not be loaded")
    assert not [p for p in result.problems if any(c in p.message for c in catch_all)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    headers=HEADERS, rows=st.lists(st.lists(CELLS, min_size=0, max_size=9), max_size=6), sep=st.sampled_from([",", ";"])
)
def test_random_csv_tables_never_raise(headers, rows, sep):
    text = "\n".join(
        sep.join(("" if c is None else c.replace(sep, " ").replace("\n", " ").replace('"', "")) for c in row)
        for row in [headers, *rows]
    )
    result = ingest.load([("staff.csv", text.encode())])
    for frame in result.tables.values():
        assert (
            "worker_type" not in frame
            or frame["worker_type"].dropna().isin(["permanent", "fixed_term", "agency", "apprentice", "casual"]).all()
        )
    ingest.problem_report(result.problems)
    catch_all = ("This sheet could not be read.", "This file could not be read.", "table could not be loaded")
    assert not [p for p in result.problems if any(c in p.message for c in catch_all)]  # no bug hidden by a catch-all
