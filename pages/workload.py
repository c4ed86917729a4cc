"""/workload — Are caseloads and support safe? Caseload by team vs its standard, distribution, ASYE, span, absence."""

import charts
from ui import assemble, blocks, entry, filters, layout
from ui import source as src
from ui.benchmarks import england

entry.through_app()

state = filters.current()
layout.page_header("Workload", "Are caseloads and support safe?", state)

TILES = ("average_caseload", "share_above_caseload_threshold", "nq_above_protected_caseload",
         "average_span_of_control", "absence_rate")
layout.kpi_tiles(assemble.core_tiles(state, TILES))

by_team = assemble.without_all(assemble.figure_table(state, ("average_caseload",), by=("team",)), "team")
by_team = by_team[by_team["average_caseload"].notna()] if "average_caseload" in by_team else by_team
standards = assemble.standards_by_row(state, "team", list(by_team.get("team", [])))
shared = assemble.shared_standard(standards)
blocks.custom(by_team, "average_caseload", question="Which teams carry caseloads above their standard?",
              key="workload.by_team", as_of=state.as_of, columns=["team", "average_caseload"],
              build=lambda: charts.threshold_bars(by_team, group="team", value="average_caseload",
                                                  threshold=shared[1] if shared else None,
                                                  threshold_label=shared[0] if shared else "",
                                                  per_row=None if shared else standards,
                                                  value_title="Average caseload (cases per FTE)",
                                                  title="Average caseload by team"),
              describe=lambda: charts.describe_threshold(by_team, group="team", value="average_caseload",
                                                         threshold=shared[1] if shared else None,
                                                         threshold_label=shared[0] if shared else "",
                                                         per_row=None if shared else standards,
                                                         label="Average caseload"),
              extra_notes=assemble.standard_sources(state, "team", list(by_team.get("team", []))),
              empty_columns=["average_caseload"])

spread = src.view("caseload_distribution", state.params(by=()))
blocks.custom(spread, "average_caseload", question="How are caseloads spread?", key="workload.spread",
              as_of=state.as_of, columns=["band", "case_holders"], empty_columns=["case_holders"],
              build=lambda: charts.histogram(spread, band="band", count="case_holders", band_title="Cases held",
                                             count_title="Case holders", title="Caseload distribution"),
              describe=lambda: charts.describe_counts(spread, label="Case holders by caseload", category="band",
                                                      value="case_holders"))

nq = assemble.with_base(src.view("nq_caseload", state.params(by=("team",))), "case_holders")
blocks.bars(nq, "nq_above_protected_caseload", key="workload.nq", as_of=state.as_of, group="team",
            question="Are newly qualified social workers' caseloads protected?",
            columns=["nq_case_holders", "nq_average_caseload", "team_average_caseload", "protected_level",
                     "nq_above_protected_caseload"])

span = src.view("span_of_control", state.params(by=()))
blocks.custom(span, "average_span_of_control", question="Do managers have too many direct reports?",
              key="workload.span", as_of=state.as_of, columns=["band", "managers", "above_threshold"],
              empty_columns=["managers"],
              extra_notes=assemble.standard_sources(state, "service_area", [None], "span_of_control"),
              build=lambda: charts.histogram(span, band="band", count="managers", band_title="Direct reports",
                                             count_title="Managers",
                                             highlight=assemble.bands_above(span),
                                             highlight_label="Above the span threshold",
                                             title="Managers by number of direct reports"),
              describe=lambda: charts.describe_counts(span, label="Managers by direct reports", category="band",
                                                      value="managers", highlight=assemble.bands_above(span),
                                                      highlight_label="above the span threshold"))

absence = src.view("absence", state.params(by=("service_area",)))
blocks.bars(absence, "absence_rate", key="workload.absence", as_of=state.as_of, benchmarks=england(("absence_rate",)),
            question="Where is sickness absence highest?",
            columns=["fte_in_post", "working_days_lost", "days_per_fte", "absence_rate"])
