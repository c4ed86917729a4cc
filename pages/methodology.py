"""/methodology — How is each figure worked out? Generated from the metrics registry."""

import streamlit as st

from ui import entry, layout

entry.through_app()

layout.page_header("Methodology", "How is each figure worked out?")
st.markdown(layout.methodology_text())
