"""/agency — How reliant are we on agency staff, and what does it cost?"""

import charts
from ui import assemble, blocks, entry, filters, layout
from ui import source as src
from ui.benchmarks import england

entry.through_app()

state = filters.current()
layout.page_header("Agency", "How reliant are we on agency staff, and what does it cost?", state)

TILES = ("agency_rate", "agency_fte", "agency_annual_cost", "agency_premium", "agency_over_12_months")
layout.kpi_tiles(assemble.core_tiles(state, TILES))

benchmarks = england(("agency_rate",))
by_team = assemble.figure_table(state, ("agency_rate", "agency_fte"), by=("team",))
blocks.bars(by_team, "agency_rate", key="agency.by_team", as_of=state.as_of, group="team",
            question="Which teams rely most on agency staff?", benchmarks=benchmarks,
            columns=["agency_fte", "agency_rate"])

series = src.view("series", state.params(by=(), figures=("agency_rate",)))
blocks.trend(series, "agency_rate", key="agency.trend", as_of=state.as_of, benchmarks=benchmarks,
             question="Is our reliance on agency staff growing?")

cost = src.view("agency_cost", state.params(by=("service_area",)))
blocks.bars(cost, "agency_annual_cost", key="agency.cost", as_of=state.as_of,
            question="What would a year of today's agency cover cost?",
            columns=["agency_headcount", "agency_fte", "agency_annual_cost", "agency_premium"])
blocks.bars(cost, "agency_premium", key="agency.premium", as_of=state.as_of,
            question="How much more does agency cover cost than employing?",
            columns=["agency_fte", "agency_annual_cost", "agency_premium"])

placements = src.view("agency_placements", state.params(by=("team",)))
blocks.bars(placements, "agency_over_12_months", key="agency.long", as_of=state.as_of, group="team",
            question="Where have agency placements run for more than 12 months?",
            columns=["agency_headcount", "agency_fte", "agency_over_12_months", "share_over_12_months"])

caps = src.view("cap_breaches_by_role", state.params(by=("role",)))
blocks.custom(caps, "cap_breaches", question="Which roles are paid above the agency pay cap?",
              key="agency.caps", as_of=state.as_of,
              columns=["role", "max_hourly_rate", "median_hourly_rate", "agency_headcount", "cap_breaches"],
              build=lambda: charts.bar_by_group(caps, src.figure("cap_breaches"), group="role"),
              describe=lambda: charts.describe_bars(caps, src.figure("cap_breaches"), group="role"))
