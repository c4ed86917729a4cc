"""A two-line Streamlit page: `load_test --calibrate` times browsers on it to show the machine's floor."""

import streamlit as st

st.metric("FTE in post", "245.1")
st.write("Calibration page: no data, no charts.")
