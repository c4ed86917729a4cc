"""/data — What did we load? Upload, the mapping step, the load report, your headline figures and coverage.

Placement only: every piece is drawn by ui.upload and ui.mapping (which call ingest and metrics).
The banner saying which data is active is placed first but filled last, so it always names the
data the rest of the page describes.
"""

import streamlit as st

from ui import entry, mapping, upload

entry.through_app()

st.title("Your data")
st.markdown("**What did we load?** Upload your own workforce spreadsheet, check how each column was read, "
            "and see which figures it switches on.")

if upload.shared_view_notice():
    st.stop()

upload.ensure_workforce()
banner = st.container()
upload.render_notice()

st.subheader("Upload your own data")
upload.render_uploader()
mapping.render_mapping_file_loader()
upload.render_template_download()

mapping.render_mapping_step()

result = upload.current_result()
workforce = upload.ensure_workforce()
upload.render_headline(workforce)
if result is not None:
    upload.render_report(result)
    mapping.held_upload_note(result)

with banner:
    upload.render_active_data(workforce)
upload.render_coverage(workforce)
