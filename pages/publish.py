"""/publish — share the dashboard as a read-only, suppressed snapshot, and download the committee pack.

Placement only: the work is in sharing.snapshots, sharing.published (the one door), sharing.gate and
sharing.pack. The pack follows the sidebar: council, as-of date and filters.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from sharing import gate, pack, published, snapshots
from sharing.store import StoreError
from sharing.suppress import note
from ui import council, entry, filters, forward
from ui import source as ui_source
from ui.text import md_escape

entry.through_app()

_OK = "sharing.publisher_ok"
_PACK = "sharing.pack_bytes"
PUBLISHED_PACK = "For publication: small numbers suppressed (as in a shared link)"
EXACT_PACK = "For officers only: exact figures, every page marked “Not for publication”"

st.title("Share")
data = ui_source.get_source()
state = filters.current()
la_name = st.session_state.get("sharing.la_name") or (data.label.removeprefix("Demo: ").split(" (")[0])


def _findings_text(findings: list) -> str:
    """The first few audit findings, as a Markdown list (names escaped)."""
    lines = [f"- {md_escape(f.sentence())}" for f in findings[:8]]
    if len(findings) > 8:
        lines.append(f"- … and {len(findings) - 8:,} more")
    return "\n".join(lines)


st.subheader("Committee pack")
st.write("One A4 PDF with the committee table, the core charts, the comparison with England, the definitions and "
         "the small-numbers note, for the view in the sidebar: " + md_escape(state.describe()) + ".")
st.text_input("Council name on the cover", value=la_name, key="sharing.la_name")
kind = PUBLISHED_PACK
if not data.is_shared:
    kind = st.radio("Which pack?", [PUBLISHED_PACK, EXACT_PACK], key="sharing.pack_kind",
                    help="A committee paper is public: the published pack shows exactly what a shared link would. "
                         "The exact pack is for officers' own use and must not be attached to a public paper.")
exact = kind == EXACT_PACK
if exact:
    st.warning("The exact pack does not hide small numbers, so it may identify people. Every page says "
               "“Not for publication”.", icon=":material/warning:")
as_of = state.as_of.isoformat() if state.as_of else None
wanted = (ui_source.source_key(data), as_of, state.filters, exact, st.session_state.get("sharing.la_name"),
          council.current_la(), repr(forward.pack_options()))
if st.button("Prepare the committee pack", icon=":material/picture_as_pdf:", key="sharing.prepare"):
    bar = st.progress(0.0, text="Preparing the pack…")
    try:
        pdf = pack.committee_pack_pdf(data, st.session_state.get("sharing.la_name") or la_name, la=council.current_la(),
                                      as_of=as_of, filters=state.filters, exact=exact,
                                      progress=lambda f, m: bar.progress(min(max(f, 0.0), 1.0), text=m),
                                      **forward.pack_options())
    except Exception:  # noqa: BLE001 - said in words, never a traceback
        bar.empty()
        st.error("The committee pack could not be prepared from this data.")
    else:
        bar.empty()
        st.session_state[_PACK] = (wanted, pdf)
ready = st.session_state.get(_PACK)
if ready is not None and ready[0] == wanted:
    name = "committee_pack_NOT_FOR_PUBLICATION.pdf" if exact else "committee_pack.pdf"
    st.download_button("Download the committee pack (PDF)", data=ready[1], file_name=name, mime="application/pdf",
                       icon=":material/download:", on_click="ignore", key="sharing.pack", type="primary")

if data.is_shared:
    st.info("You are looking at a shared link: the figures are read-only, as they were published. To publish "
            "figures of your own, an officer opens the dashboard itself (not a shared link) and uploads the "
            "council's data.", icon=":material/lock:")
    st.stop()

st.subheader("Publish a shared link")
st.write("A snapshot stores only the aggregate tables the pages show, for the whole council and for each service "
         "area, team and role, with small numbers shown as `c`. No row about any person is stored. Before anything "
         "is written, a disclosure audit tries every way of working a hidden figure out (totals minus the other "
         "parts, rates times their denominators, shares of totals); publishing is refused while any works. " + note())

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
            ok, message = gate.check_password(gate.PUBLISHER_THROTTLE, given, expected)
            if ok:
                st.session_state[_OK] = True
                st.rerun()
            st.error(message.replace(" Check it with the person who sent the link.", "") if message else "")
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
    except published.PublishRefused as refused:
        bar.empty()
        st.error(f"Publishing was refused: the disclosure audit can still work out {len(refused.findings):,} "
                 "hidden figure(s). Nothing was written.\n\n" + _findings_text(refused.findings))
    except StoreError as exc:
        bar.empty()
        st.error(str(exc), icon=":material/cloud_off:")
    except Exception:  # noqa: BLE001 - shown in words, never a traceback
        bar.empty()
        st.error("The snapshot could not be published. Nothing was written; try again, and if it keeps failing "
                 "tell the person who runs this service.")
    else:
        bar.empty()
        st.success(f"Published “{md_escape(name)}”.", icon=":material/check_circle:")
        st.markdown(f"Shared link: [open the snapshot]({gate.share_url(new_id)})")
        st.code(gate.share_url(new_id), language=None)

st.subheader("Published snapshots")
try:
    listed = snapshots.list_snapshots()
except StoreError as exc:
    st.error(str(exc), icon=":material/cloud_off:")
    st.stop()
if not listed:
    st.write("Nothing published yet.")
for info in listed:
    with st.container(border=True):
        st.markdown(f"**{md_escape(info.name)}** · data as at {info.as_of or 'no date'} · published "
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
