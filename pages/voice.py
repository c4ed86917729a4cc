"""/voice — What do staff tell us, and is it getting better? Survey results, supervision and induction by team."""

import streamlit as st

import charts
import charts.voice as voice_charts
import metrics
from charts.bars import cut_title
from ui import blocks, entry, filters, layout, voice
from ui import source as src

entry.through_app()

state = filters.current()
layout.page_header("Staff voice", "What do staff tell us, and is it getting better?", state)
layout.kpi_tiles(voice.tiles(state))
FIG = metrics.FIGURES
SURVEY_COLUMNS = ["survey", "respondents", "percent_agree", "mean_score", "scale_max", "previous_survey",
                  "previous_percent", "change_points", "change_words", "comparator_percent", "comparator_score",
                  "comparator_source"]

st.header("What staff say")
results = voice.with_words(src.view("survey_results", state.params(by=())))
own = voice.percent_rows(results)
survey_off = voice.survey_off(results)
voice.block(question="How do staff answer, theme by theme?", figure=None, data=results, key="voice.themes",
            as_of=state.as_of, columns=["theme", *SURVEY_COLUMNS], off=survey_off,
            definition=voice.survey_definition(state, results),
            build=lambda: voice_charts.survey_bars(own, category="theme", judged=voice.STANDARD_THEMES,
                                                   title=voice.survey_name(results) or ""),
            describe=lambda: voice_charts.describe_survey(own, judged=voice.STANDARD_THEMES,
                                                          survey=voice.survey_name(results)))

left, right = st.columns(2)
by = left.segmented_control("Compare groups by", ["service_area", "team", "role"], default="team",
                            format_func=cut_title, key="voice.by") or "team"
grouped = voice.with_words(src.view("survey_results", state.params(by=(by,))))
theme_choices = voice.themes(grouped)
theme = right.selectbox("Theme", theme_choices, key="voice.theme") if theme_choices else None
rows = voice.percent_rows(voice.theme_rows(grouped, theme)) if theme else grouped.iloc[0:0]
voice.block(question=f"How does each {cut_title(by).lower()} answer “{theme or 'each theme'}”?", figure=None,
            data=rows, key=f"voice.groups.{by}", as_of=state.as_of, columns=[by, *SURVEY_COLUMNS],
            off=survey_off, definition=voice.survey_definition(state, rows),
            build=lambda: voice_charts.survey_bars(rows, category=by, judged=voice.STANDARD_THEMES,
                                                   title=theme or ""),
            describe=lambda: voice_charts.describe_survey(rows, category=by, judged=voice.STANDARD_THEMES,
                                                          survey=theme))

history = voice.history_rows(src.view("survey_history", state.params(by=())))
voice.block(question="Is it getting better? Each theme, survey by survey", figure=None, data=history,
            key="voice.history", as_of=state.as_of, off=survey_off,
            columns=["survey", "survey_date", "theme", "respondents", "percent_agree"],
            definition="**Share agreeing** with each theme in every survey up to the as-of date, for the view's own "
                       "group (the whole council unless the sidebar chooses one).",
            build=lambda: voice_charts.survey_trend(history), describe=lambda: voice_charts.describe_survey_trend(history))

st.header("Supervision and induction")
by_team = src.view("voice_figures", state.params(by=("team",)))
monthly = src.view("voice_by_month", state.params(by=("team",)))
teams = voice.teams_in(monthly)  # no teams (no supervision data): no empty, greyed-out picker
chosen = st.multiselect("Add teams to the month-by-month lines", teams, max_selections=4, key="voice.teams",
                        help="Each line chart shows the whole view; add up to four teams to it.") if teams else []
for kind, people, words in (("case", "case_supervisees", "case (practice)"),
                            ("wellbeing", "wellbeing_supervisees", "wellbeing")):
    figure_id = f"{kind}_supervision_held"
    blocks.bars(voice.rows_with(by_team, figure_id), figure_id, key=f"voice.{kind}.teams", as_of=state.as_of,
                group="team", question=f"Is {words} supervision happening as agreed, team by team?",
                columns=[people, f"{kind}_sessions_held", f"{kind}_sessions_expected", figure_id])
    line = voice.series(monthly, figure_id, people, chosen)
    voice.block(question=f"How has {words} supervision changed month by month?", figure=FIG[figure_id], data=line,
                key=f"voice.{kind}.months", as_of=state.as_of, columns=["month", "series", figure_id, people],
                definition=f"**{FIG[figure_id].label}** each month: sessions held (at most the number expected for "
                           "each worker) ÷ sessions expected that month.",
                build=lambda line=line, figure_id=figure_id: voice_charts.series_chart(
                    line, FIG[figure_id], value=figure_id, title=f"{FIG[figure_id].label}, month by month"),
                describe=lambda line=line, figure_id=figure_id: charts.describe_trend(
                    line, FIG[figure_id], x="month", value=figure_id, series="series"))

weeks = voice.induction_weeks()
blocks.bars(voice.rows_with(by_team, "induction_on_time"), "induction_on_time", key="voice.induction.teams",
            as_of=state.as_of, group="team", question=f"Do new starters finish induction within {weeks} weeks?",
            columns=["induction_due", "induction_completed_on_time", "induction_on_time", "starters",
                     "starters_with_mentor", "mentor_share"])
induction_line = voice.series(monthly, "induction_on_time", "induction_due", chosen)
voice.block(question="Is induction finished on time more often than a year ago?", figure=FIG["induction_on_time"],
            data=induction_line, key="voice.induction.months", as_of=state.as_of,
            columns=["month", "series", "induction_on_time", "induction_due"],
            definition=f"**{FIG['induction_on_time'].label}** over the 12 months ending each month: "
                       f"{FIG['induction_on_time'].definition}",
            build=lambda: voice_charts.series_chart(induction_line, FIG["induction_on_time"], value="induction_on_time",
                                                    title="Induction on time, rolling 12 months"),
            describe=lambda: charts.describe_trend(induction_line, FIG["induction_on_time"], x="month",
                                                   value="induction_on_time", series="series"))
blocks.bars(voice.rows_with(by_team, "nq_above_caseload_cap"), "nq_above_caseload_cap", key="voice.nq.teams",
            as_of=state.as_of, group="team", question="Are newly qualified workers kept within their protected caseload?",
            columns=["nq_in_post", "nq_with_cap", "nq_above_caseload_cap"])

st.header("What staff say beside who stays")
team_themes = voice.themes(src.view("survey_results", state.params(by=("team",))))
chosen_theme = st.selectbox("Survey theme", team_themes, key="voice.association_theme") if team_themes else None
table = voice.association(state, chosen_theme) if chosen_theme else None
layout.table_block(question=f"“{chosen_theme or 'Survey results'}” beside turnover and agency use, team by team",
                   data=table, key="voice.association", as_of=state.as_of,
                   columns=["team", "respondents", "percent_agree", "mean_score", "turnover_rate", "agency_rate"],
                   caption=voice.association_caption(),
                   empty_message=survey_off or "The survey results have no team groups to set beside the staff figures.")
