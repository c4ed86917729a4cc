"""/recruitment — Can we fill posts? Vacancies by group, agency cover, the recruitment funnel and time to hire."""

import streamlit as st

import charts
from ui import assemble, blocks, entry, filters, layout
from ui import source as src
from ui.benchmarks import england

entry.through_app()

state = filters.current()
layout.page_header("Recruitment", "Can we fill posts?", state)

TILES = ("vacancy_rate", "vacancy_fte", "agency_covering_vacancies", "readvertised_share", "days_advert_to_start")
layout.kpi_tiles(assemble.core_tiles(state, TILES))

by = st.segmented_control("Break vacancies down by", ["service_area", "team", "role"], default="service_area",
                          format_func=charts.bars.cut_title, key="recruitment.by") or "service_area"
vacancies = src.view("vacancies", state.params(by=(by,)))
benchmarks = england(("vacancy_rate",))
blocks.bars(vacancies, "vacancy_rate", key="recruitment.vacancy_rate", as_of=state.as_of, group=by,
            question=f"Which {charts.bars.cut_title(by).lower()}s have the most unfilled posts?",
            benchmarks=benchmarks, columns=["funded_fte", "fte_in_post", "vacancy_fte", "vacancy_rate"])
blocks.bars(vacancies, "vacancy_fte", key="recruitment.vacancy_fte", as_of=state.as_of, group=by,
            question="How many FTE are vacant?", columns=["funded_fte", "fte_in_post", "vacancy_fte"])
blocks.bars(vacancies, "agency_covering_vacancies", key="recruitment.cover", as_of=state.as_of, group=by,
            question="How much of the vacant FTE is covered by agency workers?",
            columns=["vacancy_fte", "covered_fte", "agency_covering_vacancies"])

funnel = src.view("recruitment_funnel", state.params(by=("service_area",)))
stages = assemble.funnel_stages(funnel)
blocks.custom(stages, "applications_per_advert", question="Where do candidates drop out?",
              key="recruitment.funnel", as_of=state.as_of,
              build=lambda: charts.funnel(stages, title="Recruitment funnel"),
              describe=lambda: charts.describe_funnel(stages),
              definition="**Recruitment funnel**: candidates at each stage for adverts placed in the 12 months "
                         "ending on the as-of date.")

recruitment = assemble.figure_table(state, ("readvertised_share", "days_advert_to_start", "applications_per_advert",
                                            "offers_declined_share"))
blocks.bars(recruitment, "readvertised_share", key="recruitment.readvertised", as_of=state.as_of,
            question="How often do we have to advertise again?")
blocks.bars(recruitment, "days_advert_to_start", key="recruitment.days", as_of=state.as_of,
            question="How long does it take from advert to start?")
