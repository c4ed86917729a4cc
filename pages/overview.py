"""/overview — Where do we stand? The written summary, KPI tiles and targets, the committee table, each core figure by
service area, and the forecast."""

import metrics
from ui import assemble, blocks, entry, filters, forward, layout
from ui.benchmarks import england

entry.through_app()

state = assemble.displayed(filters.current())  # a summary table is shown as of its own date
forward.start(state)  # the forecast and the written summary, drawn last, are worked out meanwhile
layout.page_header("Overview", "Where do we stand?", state)
summary = forward.summary_slot()

layout.kpi_tiles(forward.with_targets(assemble.core_tiles(state), state))
forward.targets_block(state)

table = assemble.committee_table(state)
layout.table_block(
    question="How does each service area compare?",
    data=table, key="overview.committee", as_of=state.as_of,
    columns=assemble.shown_columns(table),
    caption="The committee table: one row per service area, and the whole council (All).",
    empty_message="No figures can be computed from this data yet: see the Data page for what to add.",
)

benchmarks = england(metrics.CORE)
for fid in metrics.CORE[:-1]:
    blocks.bars(table, fid, key=f"overview.{fid}", as_of=state.as_of, benchmarks=benchmarks)
blocks.diverging(table, "salary_gap", key="overview.salary_gap", as_of=state.as_of, group="service_area",
                 question=blocks.QUESTIONS["salary_gap"], columns=["service_area", "salary_gap"])

forward.forecast_block(state)
forward.summary_block(state, summary)
