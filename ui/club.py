"""Streamlit helpers of the benchmarking club page: signing in, and the club's chart and table blocks.

A club block has the same parts as every other figure block (question, definition,
chart, the chart in words, its data as a table with a download), but its notes are
the club's (published, suppressed figures of several councils), not the session's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import altair as alt
import pandas as pd
import streamlit as st

from charts.format import format_value
from sharing import club
from sharing.suppress import note
from ui import layout, tables

_K_MEMBER = "club.member"


def signed_in() -> club.Member | None:
    """The member this session acts for (a club key given here, or an OIDC group), or None."""
    member = st.session_state.get(_K_MEMBER)
    if member is not None:
        return member
    from sharing import gate

    if gate.oidc_configured():
        try:
            if st.user.is_logged_in:
                groups = st.user.get("groups") or []
                found = club.member_from_groups(groups if isinstance(groups, list) else [groups])
                if found is not None:
                    st.session_state[_K_MEMBER] = found
                    return found
        except AttributeError:  # pragma: no cover - no user object outside a browser session
            pass
    return None


def sign_in_form() -> None:
    """Ask for a club key; on success remember the member and rerun."""
    with st.form("club_sign_in"):
        key = st.text_input("Club key", type="password",
                            help="Your council's key, given by the club's administrator. It starts with wlc_.")
        go = st.form_submit_button("Sign in to the club", type="primary")
    if go:
        member = club.sign_in(key)
        if member is None:
            st.error("That club key is not right, or it has been withdrawn. Check it with the club's administrator.")
        else:
            st.session_state[_K_MEMBER] = member
            st.rerun()


def sign_out() -> None:
    """Forget the member (the next run shows the sign-in form)."""
    st.session_state.pop(_K_MEMBER, None)


def club_notes() -> list[str]:
    """What every club figure carries: where it comes from, and the suppression rule."""
    return ["Figures are each member's own published aggregates for the quarter; a value shown as c was hidden "
            "by that council's suppression and takes no part in the club's median, quartiles or ranks.", note()]


def formatted(df: pd.DataFrame, units: dict[str, str | None], labels: dict[str, str]) -> pd.DataFrame:
    """A table as people read it: values formatted by unit (`c` stays `c`), headers in words."""
    out = {}
    for column in df.columns:
        unit = units.get(column)
        values = df[column].tolist()
        if unit is None:
            out[labels.get(column, column)] = ["–" if v is None or (isinstance(v, float) and v != v) else str(v)
                                               for v in values]
        else:
            out[labels.get(column, column)] = [format_value(v, unit) for v in values]
    return pd.DataFrame(out)


def block(*, question: str, definition: str, chart: Callable[[], alt.TopLevelMixin] | None, description: str,
          table: pd.DataFrame, key: str, empty: str = "Nothing to show for this choice yet.") -> None:
    """A club chart placed the standard way: question, definition, chart, in words, data and its download."""
    with st.container(border=True):
        st.subheader(question)
        st.caption(definition)
        if table is None or table.empty or chart is None:
            layout.unavailable(empty)
            return
        st.vega_lite_chart(spec=layout.inline_datasets(chart().to_dict()), width="stretch", key=f"{key}.chart",
                           alt=description)
        st.markdown(f"**In words:** {description}")
        with st.expander("Show data", key=f"{key}.data"):
            tables.show(table, f"The numbers behind the chart: {question}", key=f"{key}.table")
            st.download_button("Download (CSV)", table.to_csv(index=False).encode("utf-8"),
                               file_name=f"{layout.slug(question)}.csv", mime="text/csv", key=f"{key}.csv",
                               on_click="ignore")
        st.caption("Notes: " + " ".join(club_notes()))


def table_block(*, question: str, caption: str, table: pd.DataFrame, key: str,
                empty: str = "Nothing to show yet.") -> None:
    """A club table placed like a figure (an HTML table, with its download)."""
    with st.container(border=True):
        st.subheader(question)
        if caption:
            st.caption(caption)
        if table is None or table.empty:
            layout.unavailable(empty)
            return
        tables.show(table, question, key=f"{key}.table", caption_shown=False)
        st.download_button("Download (CSV)", table.to_csv(index=False).encode("utf-8"),
                           file_name=f"{layout.slug(question)}.csv", mime="text/csv", key=f"{key}.csv",
                           on_click="ignore")


def quarter_choices(quarters: Sequence[str]) -> list[str]:
    """Quarters newest first (the page opens on the latest)."""
    return sorted(quarters, reverse=True)


def cap_quarters(today_quarter: str, back: int = 8, ahead: int = 4) -> list[str]:
    """Quarters a cap can be recorded from: two years back to a year ahead of now."""
    year, q = int(today_quarter[:4]), int(today_quarter[-1])
    index = year * 4 + q - 1
    return [f"{i // 4}Q{i % 4 + 1}" for i in range(index - back, index + ahead + 1)]


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """sharing.club.summary as people read it: figure labels, values in their units, 'rank of members'."""
    import metrics

    rows = []
    for record in summary.to_dict("records"):
        unit = metrics.FIGURES[record["figure"]].unit
        rank = record["rank"]
        rows.append({"Figure": metrics.FIGURES[record["figure"]].label,
                     "Yours": format_value(record["value"], unit),
                     "Your rank": "–" if rank is None or pd.isna(rank) else f"{int(rank)} of {record['ranked']}",
                     "Lower quartile": format_value(record["lower_quartile"], unit),
                     "Club median": format_value(record["median"], unit),
                     "Upper quartile": format_value(record["upper_quartile"], unit)})
    return pd.DataFrame(rows, columns=["Figure", "Yours", "Your rank", "Lower quartile", "Club median",
                                       "Upper quartile"])


_K_FLASH = "club.flash"


def flash(message: str) -> None:
    """A confirmation to show after the rerun that refreshes the club's tables."""
    st.session_state[_K_FLASH] = message


def show_flash() -> None:
    """Show (once) the confirmation left by `flash`."""
    message = st.session_state.pop(_K_FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")
