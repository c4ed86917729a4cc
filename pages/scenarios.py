"""/scenarios — What if? Changes the council is weighing, worked out on a copy of its data, beside today."""

import streamlit as st

from ui import entry, filters, forward, layout
from ui import source as src

entry.through_app()

state = filters.current()
layout.page_header("Scenarios", "What if we convert agency posts, pay a supplement, give a pay award or fund more "
                   "posts?", state)
st.caption("Set the changes below; the figures are worked out again by the same rules as the rest of the dashboard, "
           "on a copy of your data. The link in the address bar keeps the scenario, to share or come back to.")

scenario = forward.scenario_inputs(src.filter_options())
forward.scenario_results(scenario, state)
