"""The forward look on the pages: the written summary, targets, the forecast and scenarios (Streamlit helpers).

Pages call these in a line or two; the work is in metrics.narrative,
metrics.targets, metrics.forecast and metrics.scenario, and the charts in
charts.forward. Every figure comes through the session's Source (cached views),
so a shared link shows the suppressed figures and the summary never states a
hidden one. Targets set on the page and the scenario live in the URL
(`?targets=…`, `?sc_…=`), so a copied link reopens them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future

import pandas as pd
import streamlit as st

import metrics
from charts import forward as forward_charts
from ingest.schema import TARGET_FIGURES
from metrics import forecast as fc
from metrics import narrative
from metrics import scenario as sc
from metrics import targets as tg
from metrics.engine import ALL
from metrics.format import as_number, format_value
from metrics.registry import Params
from ui import layout, tables
from ui import source as src
from ui.filters import FilterState, long_date
from ui.memo import digest, memo, remembered

log = logging.getLogger(__name__)

TARGETS_KEY = "targets"
"""URL key of the targets set on the page."""
_K_PACK = "forward.pack_scenario"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~$])")


def md(text: object) -> str:
    """Text from the data (a team or service-area name) made safe to put in Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


FORECAST_VIEWS = ("forecast", "forecast_backtest")


def one_service_area(params: Params) -> str | None:
    """The service area a view is filtered to, when that is its only filter and it is grouped by service area."""
    if tuple(params.by) != ("service_area",) or len(params.filters) != 1 or params.filters[0][0] != "service_area":
        return None
    return params.filters[0][1]


def as_filtered(df: pd.DataFrame, area: str) -> pd.DataFrame:
    """A whole-council forecast table cut to one service area, as the view filtered to it gives it (the area's rows,
    and the same again as its All rows): the forecast of a service area does not depend on the others."""
    if df is None or df.empty or "service_area" not in df.columns:
        return df
    part = df[df["service_area"].astype(str) == area]
    if part.empty:
        return part.reset_index(drop=True)
    return pd.concat([part, part.assign(service_area=ALL)], ignore_index=True)


class AheadSource:
    """The session's Source for a background job: views through ui.source.ahead_view, no Streamlit call at all.

    Shares the work (and the cache keys) with CachedSource, so the page finds what a job worked out.
    A view that fails is an empty table, as on the page.
    """

    def __init__(self, source) -> None:
        self.source = source
        self.is_shared = source.is_shared
        self.label = source.label

    def get(self, view: str, params: Params) -> pd.DataFrame:
        try:
            area = one_service_area(params)
            if view in FORECAST_VIEWS and area is not None:
                whole = Params(params.as_of, params.by, (), params.figures)
                return as_filtered(src.ahead_view(view, whole, self.source), area)
            return src.ahead_view(view, params, self.source)
        except Exception:  # noqa: BLE001 - as ui.source.view: a view that fails is empty (the page notes it)
            log.warning("view %s failed in a background job", view)
            return pd.DataFrame()

    def default_as_of(self) -> dt.date | None:
        return self.source.default_as_of()

    def availability(self) -> dict[str, str | None]:
        return self.source.availability()

    def filter_options(self) -> dict[str, list[str]]:
        return self.source.filter_options()

    def notes(self) -> list[str]:
        return list(self.source.notes())


class CachedSource:
    """The session's Source, asked through ui.source's cache (so the summary reuses the pages' tables)."""

    def __init__(self, source) -> None:
        self.source = source
        self.is_shared = source.is_shared
        self.label = source.label

    def get(self, view: str, params: Params) -> pd.DataFrame:
        area = one_service_area(params)
        if view in FORECAST_VIEWS and area is not None:
            return as_filtered(src.view(view, Params(params.as_of, params.by, (), params.figures), self.source), area)
        return src.view(view, params, self.source)

    def default_as_of(self) -> dt.date | None:
        return src.default_as_of(self.source)

    def availability(self) -> dict[str, str | None]:
        return src.availability(self.source)

    def filter_options(self) -> dict[str, list[str]]:
        return src.filter_options(self.source)

    def notes(self) -> list[str]:
        return src.notes(self.source)


# ── targets ───────────────────────────────────────────────────────────────────


def app_targets() -> list[tg.Target]:
    """Targets set on the page (from the URL), with a notice for any the URL holds that cannot be read."""
    found, notices = tg.from_query(st.query_params.get(TARGETS_KEY))
    for notice in notices:
        st.warning(notice, icon=":material/link_off:")
    return found


def all_targets() -> list[tg.Target]:
    """The uploaded targets (through the Source: a snapshot keeps them) and those set on the page."""
    uploaded = tg.from_view(src.view("targets", Params(by=())))
    return [*uploaded, *app_targets()]


def _save(targets: Sequence[tg.Target]) -> None:
    text = tg.to_query(targets)
    if text:
        st.query_params[TARGETS_KEY] = text
    elif TARGETS_KEY in st.query_params:
        del st.query_params[TARGETS_KEY]


def _add_target_form(state: FilterState) -> None:
    """A small form to set a target (kept in the URL)."""
    options = src.filter_options().get("service_area", [])
    with st.expander("Set a target", icon=":material/flag:"):
        with st.form("forward.add_target", clear_on_submit=False, border=False):
            figure = st.selectbox("Figure", TARGET_FIGURES, format_func=lambda f: metrics.FIGURES[f].label,
                                  key="forward.target_figure")
            value = st.number_input("Target value (a rate as a percentage, e.g. 15 for 15%)", value=15.0, step=0.5,
                                    key="forward.target_value")
            default_by = dt.date((state.as_of or dt.date.today()).year + 1, 9, 30)
            by = st.date_input("By", value=default_by, format="DD/MM/YYYY", key="forward.target_by")
            area = st.selectbox("For", ["The whole council", *options], key="forward.target_area")
            if st.form_submit_button("Add the target", icon=":material/add:"):
                target = tg.Target(figure, tg.normalise_value(figure, float(value)), by,
                                   None if area == "The whole council" else area)
                _save([*app_targets(), target])
                st.rerun()
    mine = app_targets()
    if mine and st.button("Clear the targets set on this page", key="forward.clear_targets",
                          icon=":material/delete:"):
        _save([])
        st.rerun()


STATUS_ICONS = {"met": ":material/check_circle:", "on track": ":material/trending_flat:",
                "off track": ":material/warning:", "missed": ":material/cancel:", "no trend yet": ":material/remove:",
                "not known": ":material/help:"}
"""A symbol beside each status (the status is always written out too)."""


def targets_block(state: FilterState) -> None:
    """Each target: the figure now, the target, the status in words with the pace needed, and its path chart."""
    source = src.current_source()
    targets = all_targets()
    with st.container(border=True):
        st.subheader("Are we on track for our targets?")
        st.caption("A target is on track when the last 12 months' pace, carried on to the target date, would reach "
                   "it. Targets come from the upload's targets sheet or are set here (kept in the link).")
        if not targets:
            layout.unavailable("No targets yet: add a 'targets' sheet to the upload (one row per target: the figure, "
                               "the value to reach, the date to reach it by and, if it is for one, the service "
                               "area) or set one below.")
        items = tg.progress(CachedSource(source), state.params(), targets) if targets else []
        if targets and not items:
            layout.unavailable("The targets are for service areas this view filters out.")
        series = src.view("series", state.params(by=("service_area",))) if items else pd.DataFrame()
        for item in items:
            _target_card(item, series)
        if not source.is_shared:
            _add_target_form(state)


def with_targets(tiles: Sequence[layout.Tile], state: FilterState) -> list[layout.Tile]:
    """The tiles, each carrying the view's target for its figure (if one is set) and how it stands, in words.

    The view is the whole council, or the one service area filtered to; the targets block below the tiles
    gives each target's pace and path.
    """
    targets = all_targets()
    group = state.filtered_on("service_area") or ALL
    mine = [t for t in targets if t.group == group]
    if not mine:
        return list(tiles)
    items = {i.target.figure: i for i in tg.progress(CachedSource(src.current_source()), state.params(), mine)}
    out = []
    for tile in tiles:
        item = items.get(tile.figure.id)
        if item is not None:
            when = f"{item.target.by.day} {item.target.by:%b %Y}"
            tile = dataclasses.replace(tile, target=f"Target {format_value(item.target.value, tile.figure.unit)} "
                                                    f"by {when}: {item.status}.")
        out.append(tile)
    return out


def _target_card(item: tg.Progress, series: pd.DataFrame) -> None:
    fig = metrics.FIGURES[item.target.figure]
    st.markdown(f"**{STATUS_ICONS.get(item.status, '')} {md(fig.label)}, {md(item.target.where)}: {item.status}**")
    st.markdown(md(item.sentence))
    if item.target.note:
        st.caption(f"Target from: {md(item.target.note)}")
    path = tg.path(item)
    if path.empty:
        return
    history = pd.DataFrame(columns=["month", "value"])
    if not series.empty and "figure" in series.columns:
        part = series[(series["figure"] == item.target.figure)
                      & (series["service_area"].astype(str) == item.target.group)]
        history = part[["month", "value"]]
    key = f"forward.target.{item.target.figure}.{item.target.group}.{item.target.by}"
    spec = forward_charts.target_chart(history, path, fig, item.target.value).to_dict(validate=False)
    st.vega_lite_chart(spec=spec, width="stretch", key=key, alt=item.sentence)


# ── forecast ──────────────────────────────────────────────────────────────────


MEASURES = ("Leavers", "Starters", "Vacancies (FTE)")


def forecast_block(state: FilterState, group: str | None = None) -> None:
    """Leavers, starters and vacancies projected for 12 months (with their range) and the back-test beside them."""
    group = group or state.filtered_on("service_area") or ALL
    params = state.params(by=("service_area",))
    cached = CachedSource(src.current_source())
    data = cached.get("forecast", params)
    backtest = cached.get("forecast_backtest", params)
    level = fc.interval()
    with st.container(border=True):
        st.subheader("Where are the numbers heading? (a projection)")
        st.caption(f"A projection, not a prediction: the next 12 months if the pattern of the last 24 months holds "
                   f"(its average month and yearly cycle). The shaded range covers {level:.0%} of likely outcomes. "
                   "Vacancies assume the establishment stays as it is and every starter fills a vacant post.")
        if data.empty:
            why = _forecast_why(state)
            layout.unavailable(why or "No forecast can be made for this selection.")
            return
        part = data[data["service_area"].astype(str) == group]
        measure = st.radio("Show", MEASURES, horizontal=True, key="forward.measure") or MEASURES[0]
        unit = "fte" if measure.startswith("Vacancies") else "count"
        shown = part[part["measure"] == measure]
        layout.figure_block(
            question=f"{measure}: the last 24 months and the next 12 (projection)", figure=None,
            chart=(lambda: forward_charts.forecast_chart(shown, measure, unit)) if not shown.empty else None,
            data=shown[["month", "kind", "value", "lower", "upper"]] if not shown.empty else shown,
            description=lambda: forward_charts.describe_forecast(shown, measure, unit, level),
            key=f"forward.forecast.{measure}", as_of=state.as_of,
            definition=f"**{measure}** for {md(group if group != ALL else 'the whole council')}: "
                       "projected from employed starters and leavers by month.",
            empty_message="No vacancy projection: it needs an establishment (funded posts)."
            if unit == "fte" else None,
            inputs=(group, measure, level),
        )
        _backtest(backtest, group)


def _forecast_why(state: FilterState) -> str | None:
    """Why there is no forecast (live data only; a snapshot just has none)."""
    workforce = getattr(src.current_source(), "workforce", None)
    if workforce is None or state.as_of is None:
        return None
    return fc.why_not(workforce, state.as_of)


def backtest_rows(backtest: pd.DataFrame, group: str) -> pd.DataFrame:
    """The back-test of one group as the page shows it: what was forecast, the range, what happened, the error."""
    part = backtest[backtest["service_area"].astype(str) == group] if not backtest.empty else backtest
    rows = []
    for r in part.to_dict("records"):
        unit = "fte" if str(r["measure"]).startswith("Vacancies") else "count"
        fmt = _fte if unit == "fte" else _people
        error = as_number(r["error"])
        share = as_number(r["error_share"])
        within = r["within"]
        rows.append({
            "Measure": r["measure"],
            "Forecast made as at": f"{pd.Timestamp(r['made_on']):%d %b %Y}",
            "Forecast": fmt(r["forecast"]),
            "Range": f"{fmt(r['lower'])} to {fmt(r['upper'])}" if not isinstance(r["lower"], str) else "c",
            "What happened": fmt(r["actual"]),
            "Error (happened − forecast)": ("c" if isinstance(r["error"], str) else
                                            (f"{error:+,.1f}" if unit == "fte" else f"{error:+,.0f}")
                                            + (f" ({share:+.0%})" if share is not None else "")),
            "Within the range": "c" if isinstance(within, str) else ("yes" if as_number(within) else "no"),
        })
    return pd.DataFrame(rows)


def _fte(value: object) -> str:
    return format_value(value, "fte")


def _people(value: object) -> str:
    number = as_number(value)
    return value if isinstance(value, str) else (f"{number:,.0f}" if number is not None else "–")


def _whole(value: str) -> str:
    return value or "The whole council"


def _any_role(value: str) -> str:
    return value or "Choose a role"


def _backtest(backtest: pd.DataFrame, group: str) -> None:
    st.markdown("**How good is it? The back-test**")
    if backtest.empty:
        layout.unavailable("The back-test needs 36 months of starters and leavers (the forecast made 12 months ago "
                           "from the 24 months before it); this data does not go back that far.")
        return
    table = backtest_rows(backtest, group)
    st.caption("The same forecast, made 12 months before the as-of date from the 24 months before that, beside what "
               "happened in the 12 months since.")
    tables.show(table, "Forecast back-test: the forecast made 12 months ago beside what happened",
                row_headers=True, key="forward.backtest")


# ── the written summary ───────────────────────────────────────────────────────


def comparators() -> tuple[dict[str, list[tuple[str, float]]], str]:
    """The DfE references (England; region and neighbours when a council is chosen) and the service area they
    describe, from ui.benchmarks."""
    from ui.benchmarks import dfe_service_area, england

    bench = england(metrics.CORE)
    return {fid: list(b.references()) for fid, b in bench.items()}, dfe_service_area()


def _summary_request(state: FilterState) -> tuple[tuple, Callable[[object], list[narrative.Sentence]]]:
    """What the summary of this view is remembered by (ui.memo's inputs), and how to write it from a source."""
    source = src.current_source()
    refs, group = comparators()
    try:
        from sharing.suppress import threshold

        limit = threshold()
    except Exception:  # noqa: BLE001
        limit = 5
    targets = tuple(all_targets())
    refs_key = tuple((k, tuple(v)) for k, v in sorted(refs.items()))
    params = state.params()

    def write(through) -> list[narrative.Sentence]:
        try:
            return narrative.summary(through, params, targets, refs, group, limit)
        except Exception:  # noqa: BLE001 - a summary that cannot be written is left out, never a traceback
            log.exception("summary failed")
            return []

    return (src.source_key(source), state, targets, refs_key, group, limit), write


_SUMMARIES: dict[str, Future] = {}
"""Summaries being written on a background thread (forward.start), by their ui.memo key; taken when drawn."""
_SUMMARIES_LOCK = threading.Lock()


def summary_sentences(state: FilterState) -> list[narrative.Sentence]:
    """The written summary for this view (figures through the session's Source), or the one `start` began."""
    key, write = _summary_request(state)
    source = src.current_source()

    def written() -> list[narrative.Sentence]:
        with _SUMMARIES_LOCK:
            pending = _SUMMARIES.pop(digest(*key), None)
        if pending is not None:
            try:
                return pending.result()
            except Exception:  # noqa: BLE001 - written again below
                log.warning("the summary begun in the background failed; writing it again")
        return write(CachedSource(source))

    return memo("forward.summary", written, *key)


def start(state: FilterState) -> None:
    """Begin the forward look's work on background threads, before the page draws its tiles and charts.

    The forecast, its back-test and the written summary are drawn last but take the longest to work
    out; begun here, they are worked out while the page draws everything above them (DuckDB and numpy
    use the second core), and forecast_block and summary_block then find them done or nearly done.
    The jobs compute figures only (no Streamlit call); whatever they find is keyed by this session's
    data, as the page's own cache is.
    """
    source = src.current_source()
    params = state.params(by=("service_area",))
    if one_service_area(params) is not None:  # asked as CachedSource.get asks: the whole council's, then cut
        params = Params(params.as_of, params.by, (), params.figures)
    src.compute_ahead([(view, params) for view in FORECAST_VIEWS], source)
    key, write = _summary_request(state)
    if remembered("forward.summary", *key):
        return
    digest_key = digest(*key)
    with _SUMMARIES_LOCK:
        if digest_key in _SUMMARIES:
            return
        while len(_SUMMARIES) >= 64:  # summaries begun and never drawn (the visitor went elsewhere)
            _SUMMARIES.pop(next(iter(_SUMMARIES)))
        _SUMMARIES[digest_key] = src.submit_ahead(lambda: write(AheadSource(source)))


def summary_slot():
    """A place at the top of a page for the summary, filled by `summary_block` once the rest is drawn.

    The summary reads the most tables, so the tiles and tables above the fold are drawn (and updated after a
    filter change) first.
    """
    return st.empty()


def summary_block(state: FilterState, slot=None) -> None:
    """'In brief': the written summary, each sentence numbered to the figures it states (in `slot` when given)."""
    sentences = summary_sentences(state)
    if not sentences:
        return
    with (slot.container() if slot is not None else st.container()), st.container(border=True):
        st.subheader("In brief")
        st.markdown("\n".join(f"{n}. {md(s.text)}" for n, s in enumerate(sentences, start=1)))
        with st.expander("The figures each sentence states", icon=":material/fact_check:"):
            st.markdown("\n".join(f"{n}. {md(s.footnote())}" for n, s in enumerate(sentences, start=1)))
        st.caption("Written from the figures on this dashboard by fixed rules (no language model); check each "
                   "against the tables below.")


# ── scenarios ─────────────────────────────────────────────────────────────────


def _bound(widget, label: str, key: str, **kwargs):
    """A widget bound to the URL (so the scenario is in the link)."""
    return widget(label, key=key, bind="query-params", **kwargs)


def scenario_inputs(options: dict[str, list[str]]) -> sc.Scenario:
    """The scenario's changes and assumptions as widgets bound to the URL; returns what they say."""
    areas = ["", *options.get("service_area", [])]
    roles = ["", *options.get("role", [])]
    keys = sc.QUERY_KEYS
    whole, any_role = _whole, _any_role
    st.markdown("**The changes**")
    c1, c2 = st.columns(2)
    with c1:
        convert = _bound(st.number_input, "Convert agency FTE to permanent posts", keys["convert_fte"],
                         min_value=0.0, max_value=10_000.0, value=0.0, step=1.0)
        convert_in = _bound(st.selectbox, "… in", keys["convert_in"], options=areas, format_func=whole)
        award = _bound(st.number_input, "Pay award (%)", keys["pay_award"], min_value=-20.0, max_value=50.0,
                       value=0.0, step=0.5)
    with c2:
        supplement = _bound(st.number_input, "Market supplement (£ a year)", keys["supplement"], min_value=0.0,
                            max_value=100_000.0, value=0.0, step=500.0)
        supplement_role = _bound(st.selectbox, "… for the role", keys["supplement_role"], options=roles,
                                 format_func=any_role)
        posts = _bound(st.number_input, "Extra funded posts (FTE)", keys["extra_posts"], min_value=0.0,
                       max_value=10_000.0, value=0.0, step=1.0)
        posts_in = _bound(st.selectbox, "… in", keys["extra_posts_in"], options=areas, format_func=whole)
    with st.expander("Assumptions (each can be changed)", icon=":material/tune:"):
        a1, a2 = st.columns(2)
        settings = metrics.Settings.from_file()
        with a1:
            market = _bound(st.number_input, "Market pay changes by (%)", keys["market_change"], min_value=-50.0,
                            max_value=50.0, value=0.0, step=0.5)
            rates = _bound(st.number_input, "Agency charge rates change by (%)", keys["agency_rate_change"],
                           min_value=-50.0, max_value=100.0, value=0.0, step=0.5)
            salary = _bound(st.number_input, "Salary of a converted post (£; 0 = the role's median)",
                            keys["convert_salary"], min_value=0.0, max_value=200_000.0, value=0.0, step=500.0)
        with a2:
            on_cost = _bound(st.number_input, "Employer on-costs (× salary)", keys["on_cost_factor"], min_value=1.0,
                             max_value=2.0, value=float(settings.on_cost_factor), step=0.01)
            hours = _bound(st.number_input, "Standard weekly hours", keys["standard_weekly_hours"], min_value=20.0,
                           max_value=48.0, value=float(settings.standard_weekly_hours), step=0.5)
    return sc.Scenario(
        convert_fte=float(convert or 0), convert_in=convert_in or None,
        convert_salary=float(salary) if salary else None, supplement=float(supplement or 0),
        supplement_role=supplement_role or None, pay_award=float(award or 0), extra_posts=float(posts or 0),
        extra_posts_in=posts_in or None, market_change=float(market or 0), agency_rate_change=float(rates or 0),
        on_cost_factor=None if on_cost == settings.on_cost_factor else float(on_cost),
        standard_weekly_hours=None if hours == settings.standard_weekly_hours else float(hours))


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def _compared(key: str, scenario: sc.Scenario, params_key: str, _workforce, _params: Params):
    """The scenario's comparison, remembered per (data, scenario, view)."""
    table, applied = sc.compare(_workforce, scenario, _params)
    return table, sc.assumptions(scenario, applied)


def compared(scenario: sc.Scenario, state: FilterState) -> tuple[pd.DataFrame, list[str]] | None:
    """Today and the scenario side by side for this view (None in a shared view: it has no rows to change)."""
    source = src.current_source()
    workforce = getattr(source, "workforce", None)
    if workforce is None:
        return None
    params = state.params(by=("service_area",))
    return _compared(src.source_key(source), scenario, repr(params), workforce, params)


def comparison_table(table: pd.DataFrame, group: str) -> pd.DataFrame:
    """One group's rows as the page shows them: figure, today, scenario, and the change with its verdict in words
    ('-1.2 pts (better)', 'no change')."""
    from charts.format import judge

    rows = []
    for r in sc.side_by_side(table, group).to_dict("records"):
        figure = metrics.FIGURES[r["figure"]]
        unit = figure.unit
        change = as_number(r["change"])
        if change is None:
            moved = "–"
        elif format_value(r["today"], unit) == format_value(r["scenario"], unit):
            moved = "no change"
        elif unit == "percent":
            moved = f"{change * 100:+.1f} pts"
        else:
            moved = ("+" if change > 0 else "-") + format_value(abs(change), unit)
        verdict = judge(r["scenario"], r["today"], figure.polarity) if moved not in ("–", "no change") else None
        if verdict in ("better", "worse"):
            moved += f" ({verdict})"
        rows.append({"Figure": r["label"], "Today": format_value(r["today"], unit),
                     "Scenario": format_value(r["scenario"], unit), "Change": moved})
    return pd.DataFrame(rows)


def scenario_results(scenario: sc.Scenario, state: FilterState) -> None:
    """The scenario beside today (whole view, and the changed service area), its assumptions, and the pack choice."""
    result = compared(scenario, state)
    if result is None:
        layout.unavailable("Scenarios change the council's own rows, so they need the council's own data: a shared "
                           "snapshot holds published totals only.")
        return
    table, assumptions = result
    groups = [g for g in dict.fromkeys([scenario.convert_in, scenario.supplement_in, scenario.extra_posts_in]) if g]
    groups = [g for g in groups if g in set(table["service_area"])]
    for group in [ALL, *groups]:
        name = "The whole view" if group == ALL else group
        with st.container(border=True):
            st.subheader(f"{md(name)}: today and with the scenario")
            tables.show(comparison_table(table, group), f"{name}: today and with the scenario",
                        key=f"scenario.{group}", caption_shown=False)
    with st.container(border=True):
        st.subheader("What the scenario assumes")
        st.markdown("\n".join(f"- {md(a)}" for a in assumptions))
        st.caption(f"Figures as at {long_date(state.as_of)}. The uploaded data is not changed: the scenario is "
                   "worked out on a copy.")
    chosen = st.checkbox("Include this scenario in the committee pack", key="forward.pack_choice",
                         value=st.session_state.get(_K_PACK) == scenario and not scenario.is_empty())
    if chosen and not scenario.is_empty():
        st.session_state[_K_PACK] = scenario
    elif not chosen and st.session_state.get(_K_PACK) == scenario:
        st.session_state.pop(_K_PACK, None)


def pack_options() -> dict:
    """What the committee pack adds from the forward look: the chosen scenario and the targets set on the page."""
    chosen = st.session_state.get(_K_PACK)
    return {"scenario": chosen if isinstance(chosen, sc.Scenario) else None, "targets": app_targets()}
