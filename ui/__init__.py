"""Streamlit-side helpers shared by app.py and pages/: session state, data access, layout pieces."""
