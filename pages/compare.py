"""Compare page (/compare): the council's DfE figures against England, its region and its statistical neighbours.

Placement only: the figures come from `reference` (DfE benchmarks) and the
charts, tables and descriptions from `charts.compare`. URL keys: `la` (the
council, chosen in the sidebar by app.py — ui.council; e.g. ?la=Devon; default
[reference] default_la) and `compare` (up to five more authorities, comma-separated).
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

import reference
from charts import compare as cc
from reference.figures import COMPARE_FIGURES, figure
from reference.reconcile import council_figures, reconcile, reconcile_date
from reference.store import NEIGHBOURS_MODEL_YEAR
from reference.url import LINES, compare_value, line_roles, parse_compare
from sharing.export import to_csv_bytes as _csv
from ui import council, entry, filters, tables
from ui.state import get_workforce
from ui.text import md_escape

entry.through_app()

ATTRIBUTION = ("DfE figures: Department for Education, Explore Education Statistics, Children's social work "
               "workforce. Contains public sector information licensed under the Open Government Licence v3.0.")

# The neighbour table's columns in words, the neighbour's name first (it names each row). A comment: Streamlit's
# "magic" would write a bare string onto the page.
NEIGHBOUR_COLUMNS = {"neighbour": "Statistical neighbour", "rank": "Closeness rank", "closeness": "How close",
                     "old_la_code": "DfE authority code"}

series = st.cache_data(reference.series, show_spinner=False)
peers = st.cache_data(reference.peers, show_spinner=False)
standing = st.cache_data(reference.rank_and_band, show_spinner=False)
benchmarks = st.cache_data(reference.latest_benchmarks, show_spinner=False)


def _set_param(key: str, value: str | None) -> None:
    """Write (or with None remove) a URL key; a key bound to a widget elsewhere in the app is left to that widget."""
    try:
        if value is None:
            st.query_params.pop(key, None)
        else:
            st.query_params[key] = value
    except StreamlitAPIException:
        pass


st.title("Compare with England, region and neighbours")
st.caption(ATTRIBUTION)

names = reference.authorities()["la"].tolist()
chosen_la = council.current()
if chosen_la.notice and not chosen_la.in_sidebar:
    st.warning(md_escape(chosen_la.notice))
la = chosen_la.la
if la is None:
    st.info("Choose your council under “Our council” in the sidebar to see its figures against England, its region "
            "and its statistical neighbours.")
    st.stop()

extra, unknown = parse_compare(st.query_params.get("compare"), la)
if unknown:
    st.warning("Not recognised in `compare`, so left out: " + ", ".join(md_escape(u) for u in unknown))
extra = st.multiselect("Compare with up to five more authorities", [n for n in names if n != la], default=extra,
                       max_selections=reference.benchmarks.MAX_EXTRA, key=f"compare.extra.{la}")
_set_param("compare", compare_value(extra) if extra else None)

for note in reference.notes(la):
    st.info(note)
sns = reference.neighbour_table(la)
with st.expander(f"{la}: region {reference.region_of(la)}; {len(sns)} statistical neighbours "
                 f"(DfE {NEIGHBOURS_MODEL_YEAR} model)"):
    named = sns.rename(columns=NEIGHBOUR_COLUMNS)
    tables.show(named[[c for c in NEIGHBOUR_COLUMNS.values() if c in named.columns]],
                f"Statistical neighbours of {la}, closest first", key="compare.neighbours")

shown = st.multiselect("Lines shown", list(LINES), default=list(LINES), key="compare.lines",
                       help="Switch the reference lines of the charts below on or off.")
roles = line_roles(shown)
group = st.radio("Bar charts show", ["region", "neighbours"], horizontal=True, key="compare.group",
                 format_func=lambda g: "All authorities in the region" if g == "region" else "Statistical neighbours")

st.header(f"{la} at a glance")
bench = benchmarks(la, COMPARE_FIGURES)
overview = cc.benchmarks_table(bench)
tables.show(overview, f"{la} against England, its region and its statistical neighbours", key="compare.overview")
st.download_button("Download this table (CSV)", _csv(bench), file_name=f"benchmarks_{la}.csv", mime="text/csv",
                   key="dl.overview")

st.header("One figure at a time")
chosen = st.query_params.get("figure")
fid = st.segmented_control("Figure", COMPARE_FIGURES, format_func=lambda f: figure(f).label, key="compare.figure",
                           default=chosen if chosen in COMPARE_FIGURES else COMPARE_FIGURES[0]) or COMPARE_FIGURES[0]
if st.query_params.get("figure") != fid:
    _set_param("figure", fid)
fig = figure(fid)
if fig.definition:
    st.markdown(f"**{fig.label}: definition.** {fig.definition}")
rank = standing(la, fid)
st.markdown(f"**National rank, {rank.year}.** {rank.sentence()}")
with st.container():
    data = series(la, fid, tuple(extra))
    text = cc.describe_benchmark_trend(data, fig.label, fig.unit)
    st.altair_chart(cc.benchmark_trend(data, fig.label, fig.unit, roles,
                                       title=f"{fig.label}: {la} against England, region and neighbours"),
                    width="stretch", alt=text)
    st.caption(text)
    with st.expander("Table behind this chart"):
        tables.show(cc.series_table(data, fig.unit), f"{fig.label}: {la} against England, region and neighbours, "
                    "by year", key=f"compare.series.{fid}")
        st.download_button("Download (CSV)", _csv(data), file_name=f"{fid}_{la}_series.csv", mime="text/csv",
                           key=f"dl.series.{fid}")
with st.container():
    group_peers = peers(la, fid, None, group)
    label = f"authorities in {reference.region_of(la)}" if group == "region" else "statistical neighbours"
    text = cc.describe_peers(group_peers, fig.label, fig.unit, label)
    england = cc.england_of(bench, fid)
    st.altair_chart(cc.peer_bars(group_peers, fig.label, fig.unit, england, title=f"{fig.label}, {rank.year}: {label}"),
                    width="stretch", alt=text)
    st.caption(text)
    with st.expander("Table behind this chart"):
        tables.show(cc.peers_table(group_peers, fig.unit), f"{fig.label}, {rank.year}: {label}",
                    key=f"compare.peers.{fid}")
        st.download_button("Download (CSV)", _csv(group_peers), file_name=f"{fid}_{la}_{group}.csv",
                           mime="text/csv", key=f"dl.peers.{fid}")

st.header("Your data against your DfE return")
workforce = get_workforce()
census = reconcile_date(workforce, filters.current().as_of) if workforce is not None else None
year, own_date = census if census is not None else (None, None)
if workforce is None:
    st.info("Load your data on the Data page to set your own figures beside your DfE return.")
elif year is None:
    st.info("Your data does not cover a census date in the DfE figures, so there is nothing to reconcile.")
else:
    try:
        own = council_figures(workforce, year, as_of=own_date)
        table = reconcile(own, la, year, as_of=own_date)
    except Exception:  # noqa: BLE001 - a figure we cannot compute must not stop the page
        own, table = None, None
        st.warning("Your figures for the census date could not be computed for this comparison.")
    if table is not None and table.empty:
        st.info(f"Your data has no {reference.reconcile.dfe_service_area()} figures for {own_date.day} "
                f"{own_date:%B %Y}.")
    elif table is not None:
        when = f"{own_date.day} {own_date:%B %Y}"
        st.markdown(f"The DfE census nearest your as-of date is 30 September {year}. Your figures as of {when} "
                    f"({md_escape(own['source'].iloc[0])}) beside {la}'s DfE return, with England, the region and the "
                    "neighbours' median for the same year.")
        tables.show(cc.reconcile_table(table), f"Your figures as of {when} beside {la}'s DfE return, 30 September "
                    f"{year}", key="compare.reconcile")
        st.download_button("Download (CSV)", _csv(table), file_name=f"reconcile_{la}_{year}.csv", mime="text/csv",
                           key="dl.reconcile")
