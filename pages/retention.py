"""/retention — Are we keeping people? Turnover trend, starters vs leavers, reasons, stability, length of service."""

import charts
from metrics import glossary
from ui import assemble, blocks, entry, filters, layout
from ui import source as src
from ui.benchmarks import england

entry.through_app()

state = filters.current()
layout.page_header("Retention", "Are we keeping people?", state)

TILES = ("turnover_rate", "stability_index", "leavers_first_year", "leavers_to_agency",
         "share_under_2_years_service")
layout.kpi_tiles(assemble.core_tiles(state, TILES))

benchmarks = england(("turnover_rate",))
series = src.view("series", state.params(by=(), figures=("turnover_rate", "stability_index")))
blocks.trend(series, "turnover_rate", key="retention.trend", as_of=state.as_of, benchmarks=benchmarks,
             question="Is turnover rising or falling? (rolling 12 months)")

moves = assemble.starters_leavers_long(src.view("starters_leavers_by_month", state.params(by=())))
blocks.custom(moves, "leavers_headcount", question="Are more people leaving than joining each month?",
              key="retention.moves", as_of=state.as_of,
              build=lambda: charts.grouped(moves, x="month", category="measure", value="people",
                                           value_title="People", x_title="Month", below=("Leavers",),
                                           title="Starters and leavers by month"),
              describe=lambda: charts.describe_series_pair(moves, label="Starters and leavers", x="month",
                                                           category="measure", value="people"),
              definition="**Starters and leavers**: employed people starting or leaving in each calendar month "
                         "of the 24 months to the as-of date.")

reasons = glossary.label_values(src.view("leavers_by_reason", state.params(by=())))  # codes shown as labels
blocks.bars(reasons, "leavers_headcount", key="retention.reasons", as_of=state.as_of, group="leaving_reason",
            question="Why do people leave?", columns=["leavers_headcount", "leavers_fte", "share"])

table = assemble.figure_table(state, ("stability_index", "turnover_rate", "leavers_first_year"))
blocks.bars(table, "stability_index", key="retention.stability", as_of=state.as_of,
            question="Where are we keeping the people we had a year ago?")
blocks.bars(table, "leavers_first_year", key="retention.first_year", as_of=state.as_of,
            question="Where do people leave within their first year?")

service = src.view("length_of_service", state.params(by=()))
blocks.custom(service, "share_under_2_years_service", question="How experienced is the workforce?",
              key="retention.service", as_of=state.as_of, columns=["band", "headcount", "share"],
              build=lambda: charts.histogram(service, band="band", count="headcount", band_title="Length of service",
                                             count_title="People", highlight=("Under 2 years",),
                                             highlight_label="Under 2 years' service",
                                             title="Length of service (DfE bands)"),
              describe=lambda: charts.describe_counts(service, label="Length of service", category="band",
                                                      value="headcount", highlight=("Under 2 years",),
                                                      highlight_label="under 2 years' service"))

by_role = src.view("turnover_by_role", state.params(by=("role",)))
blocks.bars(by_role, "turnover_rate", key="retention.by_role", as_of=state.as_of, group="role",
            question="Which roles turn over fastest?", benchmarks=benchmarks,
            columns=["fte_in_post", "leavers_fte", "turnover_rate", "turnover_rate_headcount"])
