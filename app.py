"""Workforce Lens: the Streamlit entry point (`streamlit run app.py`).

Sets the page up, chooses the data this run shows (a shared snapshot, or the
session's own data, loading the demo council on the first run), draws the
sidebar (what the data is, "Our council" and the filters, bound to the URL) and runs the page
the URL names. Pages read the filters and the data through ui.filters and ui.source.

A shared view (`?snapshot=`) keeps its snapshot wherever the viewer goes: the
page the URL names is chosen before the viewer password is asked (so a deep link
opens that page after it), the sidebar's page links carry the snapshot, a page
reached without it gets it back (sharing.gate), and every page opens with a
banner saying it is a published snapshot, not live data.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st

from reference.store import prebuild

prebuild()  # the DfE reference database, built while the rest of the app is imported

from sharing import gate  # noqa: E402
from ui import a11y, council, filters, source, upload  # noqa: E402
from ui.text import md_escape  # noqa: E402

ROOT = Path(__file__).resolve().parent

st.set_page_config(page_title="Workforce Lens", page_icon=":material/groups:", layout="wide",
                   initial_sidebar_state="auto")

OVERVIEW = st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview")


def home() -> None:
    """The root URL shows the overview: Streamlit serves its default page at "/", and /overview is the named path.

    (st.switch_page would clear the URL's filters, which are bound to the sidebar widgets.)
    """
    runpy.run_path(str(ROOT / "pages" / "overview.py"), run_name="__main__")


PAGES = [
    st.Page(home, title="Home", url_path="home", default=True, visibility="hidden"),
    OVERVIEW,
    st.Page("pages/recruitment.py", title="Recruitment", icon=":material/person_search:", url_path="recruitment"),
    st.Page("pages/retention.py", title="Retention", icon=":material/autorenew:", url_path="retention"),
    st.Page("pages/agency.py", title="Agency", icon=":material/badge:", url_path="agency"),
    st.Page("pages/pay.py", title="Pay", icon=":material/payments:", url_path="pay"),
    st.Page("pages/workload.py", title="Workload", icon=":material/work_history:", url_path="workload"),
    st.Page("pages/voice.py", title="Staff voice", icon=":material/forum:", url_path="voice"),
    st.Page("pages/scenarios.py", title="Scenarios", icon=":material/alt_route:", url_path="scenarios"),
    st.Page("pages/compare.py", title="Compare with England", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("pages/club.py", title="Benchmarking club", icon=":material/hub:", url_path="club"),
    st.Page("pages/data.py", title="Your data", icon=":material/upload_file:", url_path="data"),
    st.Page("pages/methodology.py", title="Methodology", icon=":material/menu_book:", url_path="methodology"),
    st.Page("pages/publish.py", title="Share", icon=":material/share:", url_path="publish"),
]

# Comments, not docstrings: Streamlit's "magic" would write a bare string here onto every page.
# Pages that work on a council's own live data: a shared view (no data of its own) does not link to them.
LIVE_ONLY = frozenset({"data", "scenarios", "club"})
# The pages a shared view links to.
SHARED_PAGES = [p for p in PAGES[1:] if p.url_path not in LIVE_ONLY]

gate.start_media_sweeper()
shared = gate.shared_snapshot_id() is not None
# before any password: deep links hold. expanded: every page listed (Streamlit hides the 11th on behind "View more")
page = st.navigation(PAGES, position="hidden" if shared else "sidebar", expanded=True)
data = source.get_source()
gate.remember_authorisation()

if data.is_shared:
    gate.navigation(SHARED_PAGES)
    st.info(f"**Shared snapshot: {md_escape(data.label)}.** Published, read-only figures — not live data. Counts of "
            "fewer than 5 people, and figures built on them, are shown as `c`.", icon=":material/lock:")

with st.sidebar:
    st.markdown(f"**Data:** {md_escape(data.label)}")
    workforce = getattr(data, "workforce", None)
    if workforce is not None and workforce.is_demo:
        st.info("You are looking at demo data for a fictional council — upload your own on the Data page.",
                icon=":material/science:")
    if data.is_shared:
        st.info("A published snapshot: figures are read-only and small numbers are shown as `c`.",
                icon=":material/lock:")
    council.render()
    state = filters.render(source.filter_options(data), source.default_as_of(data), fixed_date=data.is_shared)
filters.remember(state)
a11y.apply(page.title, a11y.council_name(data, council.current_la()))
upload.render_app_notices(page.title)  # after an upload: "Showing your upload …", or that it loaded nothing

page.run()
