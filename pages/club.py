"""/club — the regional benchmarking club: how do we compare with the other member councils, quarter by quarter?

Placement only: the club's data and arithmetic are in sharing.club, the charts in charts.club,
the blocks in ui.club.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

import metrics
from charts import club as club_charts
from sharing import club
from sharing.store import StoreError
from ui import club as ui_club
from ui import entry
from ui import source as ui_source

entry.through_app()

st.title("Benchmarking club")
st.markdown("**How do we compare with the other councils in our region, quarter by quarter?**")
st.write("Member councils pool their published figures each quarter: only the same suppressed aggregate tables "
         "a shared link holds (counts of fewer than 5 people shown as c), never a row about any person. Members "
         "see every member's figures side by side, the club's median and quartiles, their own rank, trends, and "
         "the share of agency workers paid above the caps the club has agreed.")

try:
    member = ui_club.signed_in()
    if member is None:
        ui_club.sign_in_form()
        st.stop()

    top = st.columns([4, 1])
    role = "can submit and withdraw its figures" if member.can_publish else "can look (a viewer key)"
    top[0].info(f"Signed in for **{member.name}** ({member.authority}), which {role}.", icon=":material/groups:")
    if top[1].button("Sign out", key="club.sign_out"):
        ui_club.sign_out()
        st.rerun()

    quarters = ui_club.quarter_choices(club.quarters())
    compare_tab, trend_tab, cap_tab, submit_tab = st.tabs(
        ["Compare", "Trends", "Agency pay cap", "Submit or withdraw"])

    # ── compare ──────────────────────────────────────────────────────────────
    with compare_tab:
        if not quarters:
            st.info("No member has submitted any figures yet. A publisher can submit on the last tab.",
                    icon=":material/info:")
        else:
            cols = st.columns(2)
            quarter = cols[0].selectbox("Quarter", quarters, format_func=club.quarter_label, key="club.quarter")
            areas = club.service_areas(quarter)
            area = cols[1].selectbox("Service area", areas, key="club.area",
                                     format_func=lambda a: "Whole council" if a == club.ALL else a)
            comparison = club.compare(quarter, area)
            summary = club.summary(comparison, member.authority)
            ui_club.table_block(
                question=f"Where do we stand in {club.quarter_label(quarter)}?",
                caption="Your value of each figure, your rank among the members who show it (1 = best; for "
                        "figures with no better direction, 1 = highest), and the club's lower quartile, median "
                        "and upper quartile.",
                table=ui_club.summary_table(summary), key="club.summary",
                empty="Your council has no figures for this quarter.")

            figure_ids = [f for f in summary["figure"]]
            default = [f for f in metrics.CORE if f in figure_ids]
            picked = st.multiselect("Figures side by side", figure_ids, default=default, key="club.figures",
                                    format_func=lambda f: metrics.FIGURES[f].label)
            wide = comparison.wide(picked)
            labels = {"name": "Member", **{f: metrics.FIGURES[f].label for f in picked}}
            ui_club.table_block(
                question="Every member side by side",
                caption="Each member's published figures for this quarter and service area (c: hidden to protect "
                        "individuals; –: not published).",
                table=ui_club.formatted(wide.drop(columns=["authority"]),
                                        {f: metrics.FIGURES[f].unit for f in picked}, labels),
                key="club.wide")

            chosen = st.selectbox("Figure to chart", figure_ids, key="club.chart_figure",
                                  index=figure_ids.index(default[0]) if default else 0,
                                  format_func=lambda f: metrics.FIGURES[f].label)
            figure = metrics.FIGURES[chosen]
            values = comparison.values[comparison.values["figure"] == chosen]
            stats = club.statistics_of(comparison, chosen)
            rank = comparison.rank_of(member.authority, chosen)
            ui_club.block(
                question=f"{figure.label}: every member, {club.quarter_label(quarter)}",
                definition=f"**{figure.label}**: {figure.definition}",
                chart=lambda: club_charts.member_bars(values, figure, stats, member.authority),
                description=club_charts.describe_members(values, figure, stats, member.authority, rank),
                table=ui_club.formatted(values[["name", "value"]].assign(
                    value=values["value"].astype(object).where(~values["suppressed"], "c")),
                    {"value": figure.unit}, {"name": "Member", "value": figure.label}),
                key="club.bars")

    # ── trends ───────────────────────────────────────────────────────────────
    with trend_tab:
        if not quarters:
            st.info("Trends appear once members have submitted figures.", icon=":material/info:")
        else:
            cols = st.columns(2)
            trend_area = cols[1].selectbox("Service area", club.service_areas(quarters[0]), key="club.trend_area",
                                           format_func=lambda a: "Whole council" if a == club.ALL else a)
            options = [f for f in metrics.FIGURES if f in set(club.compare(quarters[0], trend_area).values["figure"])]
            trend_figure = cols[0].selectbox("Figure", options, key="club.trend_figure",
                                             index=options.index("agency_rate") if "agency_rate" in options else 0,
                                             format_func=lambda f: metrics.FIGURES[f].label)
            figure = metrics.FIGURES[trend_figure]
            trend = club.trend(trend_figure, member.authority, trend_area)
            ui_club.block(
                question=f"{figure.label}: your council against the club, by quarter",
                definition=f"**{figure.label}**: {figure.definition}",
                chart=lambda: club_charts.club_trend(trend, figure),
                description=club_charts.describe_trend(trend, figure),
                table=ui_club.formatted(trend[["period", "own", "lower_quartile", "median", "upper_quartile",
                                               "members"]],
                                        {"own": figure.unit, "lower_quartile": figure.unit, "median": figure.unit,
                                         "upper_quartile": figure.unit, "members": "count"},
                                        {"period": "Quarter", "own": "Yours", "lower_quartile": "Lower quartile",
                                         "median": "Club median", "upper_quartile": "Upper quartile",
                                         "members": "Members with a value"}),
                key="club.trend")

    # ── agency pay cap ───────────────────────────────────────────────────────
    with cap_tab:
        share_figure = club.cap_share_figure()
        caps = club.caps()
        ui_club.table_block(
            question="The caps the club has agreed",
            caption="Maximum hourly rate per role, in force from a quarter until a later cap for the role replaces "
                    "it. Members' figures are measured against the cap in force in the quarter they submit for.",
            table=ui_club.formatted(caps.assign(effective_from=caps["effective_from"].map(club.quarter_label)),
                                    {"max_hourly_rate": "gbp2"},
                                    {"role": "Role", "effective_from": "In force from",
                                     "max_hourly_rate": "Cap (£ an hour)", "recorded_by": "Recorded by",
                                     "recorded_at": "Recorded (UTC)"}),
            key="club.caps", empty="No caps recorded yet: a publisher can record the agreed caps below.")
        shares = club.cap_breach_shares()
        ui_club.table_block(
            question="Share of agency workers paid above the cap, by quarter",
            caption=f"**{share_figure.label}**: {share_figure.definition} From each member's published counts.",
            table=ui_club.formatted(club.shares_by_quarter(shares), {p: "percent" for p in shares["period"]},
                                    {"name": "Member"}),
            key="club.shares", empty="No member has submitted figures with an agreed cap in force yet.")
        if quarters and not shares.empty:
            cap_quarter = st.selectbox("Quarter", [q for q in quarters if q in set(shares["quarter"])],
                                       format_func=club.quarter_label, key="club.cap_quarter")
            in_quarter = shares[shares["quarter"] == cap_quarter]
            values = club.share_values(in_quarter)
            stats = club.share_statistics(in_quarter).iloc[0].to_dict()
            ui_club.block(
                question=f"{share_figure.label}: every member, {club.quarter_label(cap_quarter)}",
                definition=f"**{share_figure.label}**: {share_figure.definition}",
                chart=lambda: club_charts.member_bars(values, share_figure, stats, member.authority),
                description=club_charts.describe_members(values, share_figure, stats, member.authority,
                                                         club.share_rank(in_quarter, member.authority)),
                table=ui_club.formatted(in_quarter[["name", "agency_headcount", "cap_breaches", "share_above_cap"]],
                                        {"agency_headcount": "count", "cap_breaches": "count",
                                         "share_above_cap": "percent"},
                                        {"name": "Member", "agency_headcount": "Agency workers in capped roles",
                                         "cap_breaches": "Paid above the cap", "share_above_cap": "Share"}),
                key="club.cap_bars")
            roles = club.cap_breach_roles(cap_quarter)
            ui_club.table_block(
                question="By role",
                caption="Each member's agency workers and those paid above the cap, per role with a cap.",
                table=ui_club.formatted(roles.drop(columns=["authority"]),
                                        {"max_hourly_rate": "gbp2", "agency_headcount": "count",
                                         "cap_breaches": "count", "share_above_cap": "percent"},
                                        {"name": "Member", "role": "Role", "max_hourly_rate": "Cap (£ an hour)",
                                         "agency_headcount": "Agency workers", "cap_breaches": "Paid above the cap",
                                         "share_above_cap": "Share"}),
                key="club.cap_roles")
        if member.can_publish:
            with st.form("club_cap"):
                st.markdown("**Record an agreed cap** (for the whole club: it applies to every member's figures "
                            "from the quarter you choose)")
                cols = st.columns(3)
                cap_role = cols[0].text_input("Role", placeholder="e.g. Social Worker")
                cap_rate = cols[1].number_input("Cap (£ an hour)", min_value=0.0, max_value=999.0, step=0.5,
                                                value=None)
                now_quarter = club.quarter_of(dt.date.today())
                cap_from = cols[2].selectbox("In force from", ui_club.cap_quarters(now_quarter),
                                             index=ui_club.cap_quarters(now_quarter).index(now_quarter),
                                             format_func=club.quarter_label)
                if st.form_submit_button("Record the cap"):
                    try:
                        club.record_cap(member, cap_role, cap_rate, cap_from)
                    except club.ClubError as exc:
                        st.error(str(exc))
                    else:
                        st.success(f"Recorded: {cap_role} £{cap_rate:,.2f} an hour from "
                                   f"{club.quarter_label(cap_from)}.")

    # ── submit or withdraw ───────────────────────────────────────────────────
    with submit_tab:
        ui_club.show_flash()
        mine = club.submissions(member.authority)
        ui_club.table_block(
            question="What your council has submitted",
            caption="One submission per quarter; submitting the same quarter again replaces it.",
            table=ui_club.formatted(mine.assign(period=mine["quarter"].map(club.quarter_label))[
                ["period", "as_of", "published_at"]], {},
                {"period": "Quarter", "as_of": "Data as at", "published_at": "Submitted (UTC)"}),
            key="club.mine", empty="Nothing submitted yet.")
        if not member.can_publish:
            st.info("Your key lets you look at the club's figures; submitting and withdrawing need a publisher "
                    "key.", icon=":material/lock:")
        else:
            data = ui_source.current_source()
            workforce = getattr(data, "workforce", None)
            if data.is_shared or workforce is None:
                st.info("You are looking at a shared snapshot: open the dashboard on your own data to submit.",
                        icon=":material/lock:")
            elif workforce.is_demo:
                st.warning("This session holds the demo council, not your data: upload your own on the Data page "
                           "before submitting.", icon=":material/science:")
            else:
                as_of = ui_source.default_as_of(data)
                quarter_now = club.quarter_of(as_of) if as_of else None
                st.markdown(f"Your data ({data.label}) is as at **{as_of:%-d %B %Y}**, so it is submitted for "
                            f"**{club.quarter_label(quarter_now)}**." if as_of else "Your data has no dates.")
                if st.button("Submit to the club", type="primary", icon=":material/publish:", key="club.submit"):
                    bar = st.progress(0.0, text="Starting…")
                    try:
                        done = club.publish(workforce, member,
                                            progress=lambda f, m: bar.progress(min(max(f, 0.0), 1.0), text=m))
                    except (club.ClubError, StoreError) as exc:
                        bar.empty()
                        st.error(f"Your figures were not submitted: {exc}")
                    else:
                        ui_club.flash(f"Submitted for {club.quarter_label(done.quarter)}.")
                        st.rerun()
            if not mine.empty:
                with st.form("club_withdraw"):
                    which = st.selectbox("Withdraw", ["every quarter", *mine["quarter"].tolist()],
                                         format_func=lambda q: q if q == "every quarter" else club.quarter_label(q))
                    if st.form_submit_button("Withdraw our figures"):
                        gone = club.withdraw(member, None if which == "every quarter" else which)
                        ui_club.flash("Withdrawn: " + ", ".join(club.quarter_label(q) for q in gone) + ".")
                        st.rerun()
except StoreError as exc:
    st.error(str(exc), icon=":material/cloud_off:")
