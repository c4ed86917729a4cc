"""/data — What did we load? Upload, validation report, column mapping, assumptions and figure coverage.

Placement only: every piece is drawn by ui.upload (which calls ingest and metrics).
The banner saying which data is active is placed first but filled last, so it
always names the data the rest of the page describes.
"""

import streamlit as st

from ui import entry, upload

entry.through_app()

st.title("Your data")
st.markdown("**What did we load?** Upload your own workforce spreadsheet, check what was found, "
            "and see which figures it switches on.")

if upload.shared_view_notice():
    st.stop()

upload.ensure_workforce()
banner = st.container()
upload.render_notice()

st.subheader("Upload your own data")
upload.render_uploader()
upload.render_template_download()

result = upload.current_result()
if result is not None:
    upload.render_report(result)
    upload.render_mapping(result)
    upload.render_assumptions(result)

workforce = upload.ensure_workforce()
with banner:
    upload.render_active_data(workforce)
upload.render_coverage(workforce)
