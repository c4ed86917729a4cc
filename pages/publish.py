"""/publish — placeholder until its owner's page lands (they will overwrite this file)."""

import streamlit as st

st.title("Publish")
st.info("This page is being built.")
