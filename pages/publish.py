"""/publish — share the dashboard as a read-only, suppressed snapshot, and download the committee pack.

Placement only: the work is in sharing.snapshots, sharing.gate and sharing.pack.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from sharing import gate, snapshots
from sharing.export import committee_pack_pdf
from sharing.store import StoreError
from sharing.suppress import note
from ui import council, entry, forward
from ui import source as ui_source

entry.through_app()

_OK = "sharing.publisher_ok"

st.title("Share")
data = ui_source.get_source()
la_name = st.session_state.get("sharing.la_name") or (data.label.removeprefix("Demo: ").split(" (")[0])


def _pack_bytes() -> bytes:
    return committee_pack_pdf(data, st.session_state.get("sharing.la_name") or la_name,
                              la=council.current_la(), **forward.pack_options())


st.subheader("Committee pack")
st.write("One A4 PDF with the committee table, the core charts, the comparison with England, the definitions and "
         "the small-numbers note. Small numbers are always suppressed in the pack, because committee papers are "
         "published.")
st.text_input("Council name on the cover", value=la_name, key="sharing.la_name")
st.download_button("Download the committee pack (PDF)", data=_pack_bytes, file_name="committee_pack.pdf",
                   mime="application/pdf", icon=":material/picture_as_pdf:", on_click="ignore", key="sharing.pack")

if data.is_shared:
    st.info("You are looking at a shared link: the figures are read-only, as they were published. To publish "
            "figures of your own, an officer opens the dashboard itself (not a shared link) and uploads the "
            "council's data.", icon=":material/lock:")
    st.stop()

st.subheader("Publish a shared link")
st.write("A snapshot stores only the aggregate tables the pages show, for the whole council and for each service "
         "area, team and role, with small numbers shown as `c`. No row about any person is stored. " + note())

expected = gate.publisher_password()
if not expected:
    st.warning("Publishing shared links is not switched on for this dashboard. Ask the team that runs it for "
               "your council (usually IT or the digital team) to switch it on and give you the publisher "
               "password. You can still download the committee pack above.", icon=":material/key_off:")
    st.stop()

if not st.session_state.get(_OK):
    with st.form("publisher_password"):
        given = st.text_input("Publisher password", type="password")
        if st.form_submit_button("Unlock publishing", type="primary"):
            if gate.password_matches(given, expected):
                st.session_state[_OK] = True
                st.rerun()
            st.error("That password is not right.")
    st.stop()

workforce = ui_source.ensure_workforce()
default_name = f"{la_name} – {dt.date.today():%-d %B %Y}"
with st.form("publish"):
    name = st.text_input("Snapshot name", value=default_name, max_chars=120)
    go = st.form_submit_button("Publish", type="primary", icon=":material/publish:")
if go:
    bar = st.progress(0.0, text="Starting…")
    try:
        new_id = snapshots.publish(workforce, name, published_by=gate.publisher_name(),
                                   progress=lambda f, m: bar.progress(min(max(f, 0.0), 1.0), text=m))
    except Exception as exc:  # noqa: BLE001 - shown in words, never a traceback
        bar.empty()
        st.error(f"The snapshot could not be published: {exc}")
    else:
        bar.empty()
        st.success(f"Published “{name}”.", icon=":material/check_circle:")
        st.markdown(f"Shared link: [open the snapshot]({gate.share_url(new_id)})")
        st.code(gate.share_url(new_id), language=None)

st.subheader("Published snapshots")
try:
    published = snapshots.list_snapshots()
except StoreError as exc:
    st.error(str(exc), icon=":material/cloud_off:")
    st.stop()
if not published:
    st.write("Nothing published yet.")
for info in published:
    with st.container(border=True):
        st.markdown(f"**{info.name}** · data as at {info.as_of or '–'} · published "
                    f"{info.published_at:%-d %b %Y %H:%M} UTC")
        st.markdown(f"[Open the shared link]({gate.share_url(info.id)}) · `{gate.share_url(info.id)}`")
        cols = st.columns([3, 1, 1])
        new_name = cols[0].text_input("New name", value=info.name, key=f"rename.{info.id}",
                                      label_visibility="collapsed")
        if cols[1].button("Rename", key=f"do_rename.{info.id}"):
            try:
                snapshots.rename(info.id, new_name)
            except (StoreError, snapshots.SnapshotError) as exc:
                st.error(str(exc))
            else:
                st.rerun()
        with cols[2].popover("Delete"):
            st.write("The link will stop working for everyone.")
            if st.button("Delete for good", key=f"delete.{info.id}", type="primary"):
                try:
                    snapshots.delete(info.id)
                except (StoreError, snapshots.SnapshotError) as exc:
                    st.error(str(exc))
                else:
                    st.rerun()
