"""Workforce Lens: the Streamlit entry point (`streamlit run app.py`).

Sets the page up, chooses the data this run shows (a shared snapshot, or the
session's own data, loading the demo council on the first run), draws the
sidebar (what the data is, "Our council" and the filters, bound to the URL) and runs the page
the URL names. Pages read the filters and the data through ui.filters and ui.source.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st

from reference.store import prebuild

prebuild()  # the DfE reference database, built while the rest of the app is imported

from ui import a11y, council, filters, source, upload  # noqa: E402

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
    st.Page("pages/compare.py", title="Compare with England", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("pages/data.py", title="Your data", icon=":material/upload_file:", url_path="data"),
    st.Page("pages/methodology.py", title="Methodology", icon=":material/menu_book:", url_path="methodology"),
    st.Page("pages/publish.py", title="Share", icon=":material/share:", url_path="publish"),
    st.Page("pages/scenarios.py", title="Scenarios", icon=":material/alt_route:", url_path="scenarios"),
    st.Page("pages/club.py", title="Benchmarking club", icon=":material/groups:", url_path="club"),
]

data = source.get_source()
page = st.navigation(PAGES)

with st.sidebar:
    st.markdown(f"**Data:** {data.label}")
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
