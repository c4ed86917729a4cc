"""/pay — Are we paying the market rate? Salary gap by role and grade, salary distribution, gender pay gap."""

import charts
from ui import assemble, blocks, entry, filters, layout
from ui import source as src

entry.through_app()

state = filters.current()
layout.page_header("Pay", "Are we paying the market rate?", state)

TILES = ("salary_gap", "median_salary", "gender_pay_gap_mean", "gender_pay_gap_median")
layout.kpi_tiles(assemble.core_tiles(state, TILES))

gaps = assemble.role_grade(src.view("salary_gap_by_role_grade", state.params(by=("role", "grade"))))
blocks.diverging(gaps, "salary_gap", key="pay.gap", as_of=state.as_of, group="role_grade",
                 question="Which roles and grades are paid behind the market?",
                 columns=["role", "grade", "headcount", "median_salary", "market_median_salary", "source",
                          "salary_gap"])

salaries = src.view("salary_distribution", state.params(by=()))
blocks.custom(salaries, "median_salary", question="How are salaries spread?", key="pay.distribution",
              as_of=state.as_of, columns=["band", "headcount"],
              build=lambda: charts.histogram(salaries, band="band", count="headcount", band_title="Salary band",
                                             count_title="People", title="Salary distribution (£2,500 bands)"),
              describe=lambda: charts.describe_counts(salaries, label="Salary distribution", category="band",
                                                      value="headcount"))

gender = src.view("gender_pay", state.params(by=()))
quartiles = assemble.gender_quartiles_long(gender)
blocks.custom(quartiles, "gender_pay_gap_mean", question="Are women and men spread evenly across pay quartiles?",
              key="pay.gender", as_of=state.as_of,
              build=lambda: charts.paired_bars(quartiles, group="quartile", category="gender", value="people",
                                               share="share", value_title="People",
                                               title="Women and men in each pay quartile", order=("Women", "Men")),
              describe=lambda: charts.describe_pairs(quartiles, label="Women and men in each pay quartile",
                                                     group="quartile", category="gender", value="people",
                                                     share="share"))
layout.table_block(question="What is the gender pay gap?", data=gender, key="pay.gender_table", as_of=state.as_of,
                   columns=["quartile", "women", "men", "women_share", "men_share", "mean_gap", "median_gap"],
                   caption="Mean and median gap in hourly pay (positive: men are paid more), and each quartile's "
                           "make-up.",
                   empty_message=src.why_not("gender_pay_gap_mean"))
