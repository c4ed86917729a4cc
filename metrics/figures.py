"""Every figure Workforce Lens shows, declared once (label, definition, formula, source, caveats).

Tiles, tables, charts, exports and the methodology page all read FIGURES; the
computation of each figure lives in metrics.engine under the same id.
Rates are fractions between 0 and 1 everywhere; formatting them as percentages
is presentation.
"""

from __future__ import annotations

from metrics.registry import Figure

DFE = "DfE"
CIPD = "CIPD"
EQUALITY = "Equality Act 2010 (Specific Duties and Public Authorities) Regulations 2017"
OURS = "Workforce Lens"

EMPLOYED = "employed (permanent, fixed-term, apprentice or casual)"
IN_POST = "in post at the as-of date (started on or before it, and no end date or an end date after it)"
WINDOW = "the 12 months ending on the as-of date"

_ST = ("staff",)
_WT = ("staff", "staff.worker_type")
_FTE = ("staff", "staff.worker_type", "staff.fte")


def _f(**kw) -> Figure:
    """A Figure (keyword shorthand so the table below reads as a list)."""
    return Figure(**kw)


_ALL: list[Figure] = [
    # ── core ──────────────────────────────────────────────────────────────────
    _f(id="fte_in_post", label="FTE in post", group="core", unit="fte", polarity="neutral", needs=_FTE,
       definition=f"Full-time equivalent of {EMPLOYED} workers {IN_POST}.",
       formula="Σ fte of employed workers in post at the as-of date", dfe_column="inpost_fte", source=DFE,
       caveats="Agency workers are not included (they are counted in the agency figures)."),
    _f(id="headcount_in_post", label="Headcount in post", group="core", unit="count", polarity="neutral", needs=_WT,
       definition=f"Number of {EMPLOYED} people {IN_POST}.",
       formula="count of distinct worker_id of employed workers in post at the as-of date",
       dfe_column="inpost_headcount", source=DFE, people_count=True,
       caveats="A person holding two posts is counted once."),
    _f(id="vacancy_fte", label="Vacancy FTE", group="core", unit="fte", polarity="lower_is_better",
       needs=_FTE + ("establishment",),
       definition="Funded FTE not filled by employed workers in post, summed over establishment lines.",
       formula="Σ over establishment lines of max(funded_fte − FTE in post on the line, 0); "
               "or the line's vacancy_fte when only that is supplied",
       dfe_column="vacancy_fte", source=DFE,
       caveats="A line over its establishment counts as 0 vacancies, not negative. Staff are matched to a line "
               "on service area, and on team and role where the line gives them."),
    _f(id="vacancy_rate", label="Vacancy rate", group="core", unit="percent", polarity="lower_is_better",
       needs=_FTE + ("establishment",),
       definition="Vacant FTE as a share of vacant plus filled FTE, on the establishment lines.",
       formula="vacancy FTE ÷ (vacancy FTE + FTE in post on the establishment lines)",
       dfe_column="vacancy_rate_fte", source=DFE,
       caveats="Needs an establishment (funded posts). Cannot be cut by a column the establishment does not have "
               "(e.g. grade)."),
    _f(id="agency_fte", label="Agency FTE", group="agency", unit="fte", polarity="lower_is_better", needs=_FTE,
       definition=f"Full-time equivalent of agency workers {IN_POST}.",
       formula="Σ fte of agency workers in post at the as-of date", dfe_column="agency_fte", source=DFE),
    _f(id="agency_headcount", label="Agency workers (headcount)", group="agency", unit="count",
       polarity="lower_is_better", needs=_WT,
       definition=f"Number of agency workers {IN_POST}.",
       formula="count of distinct worker_id of agency workers in post at the as-of date",
       dfe_column="agency_headcount", source=DFE, people_count=True,
       caveats="The people every agency figure rests on: shared views suppress agency figures when it is small."),
    _f(id="agency_rate", label="Agency rate", group="core", unit="percent", polarity="lower_is_better", needs=_FTE,
       definition="Agency FTE as a share of all FTE in post (agency plus employed).",
       formula="agency FTE ÷ (agency FTE + FTE in post)", dfe_column="agency_rate_fte", source=DFE),
    _f(id="agency_rate_headcount", label="Agency rate (headcount)", group="agency", unit="percent",
       polarity="lower_is_better", needs=_WT,
       definition="Agency workers as a share of all people in post (agency plus employed).",
       formula="agency headcount ÷ (agency headcount + headcount in post)", dfe_column="agency_rate_headcount",
       source=DFE),
    _f(id="turnover_rate", label="Turnover rate", group="core", unit="percent", polarity="lower_is_better",
       needs=_FTE + ("staff.end_date",), flow=True,
       definition=f"FTE of employed leavers in {WINDOW}, as a share of FTE in post at the as-of date.",
       formula="leavers FTE in the 12 months ÷ FTE in post at the as-of date", dfe_column="turnover_rate_fte",
       source=DFE,
       caveats="A leaver's end date is their last day: someone leaving on the as-of date is a leaver and not in "
               "post. Can exceed 100% where a team turned over more than once."),
    _f(id="turnover_rate_headcount", label="Turnover rate (headcount)", group="retention", unit="percent",
       polarity="lower_is_better", needs=_WT + ("staff.end_date",), flow=True,
       definition=f"Employed leavers in {WINDOW} as a share of the headcount in post at the as-of date.",
       formula="leavers headcount in the 12 months ÷ headcount in post at the as-of date",
       dfe_column="turnover_rate_headcount", source=DFE),
    _f(id="crude_turnover_cipd", label="Crude turnover (CIPD)", group="retention", unit="percent",
       polarity="lower_is_better", needs=_WT + ("staff.end_date",), flow=True, source=CIPD,
       definition=f"Employed leavers in {WINDOW} as a share of the average headcount over the period.",
       formula="leavers headcount ÷ ((headcount in post 12 months before the as-of date + headcount in post at the "
               "as-of date) ÷ 2)",
       caveats="The CIPD definition differs from the DfE's (which divides by the headcount at the end), so the "
               "two do not match."),
    _f(id="starters_fte", label="Starters (FTE)", group="retention", unit="fte", polarity="neutral", needs=_FTE,
       flow=True, dfe_column="starters_fte", source=DFE,
       definition=f"FTE of employed workers whose start date falls in {WINDOW}.",
       formula="Σ fte of employed workers with as-of − 12 months < start_date ≤ as-of"),
    _f(id="starters_headcount", label="Starters (headcount)", group="retention", unit="count", polarity="neutral",
       needs=_WT, flow=True, dfe_column="starters_headcount", source=DFE, people_count=True,
       definition=f"Employed people whose start date falls in {WINDOW}.",
       formula="count of distinct worker_id of employed workers with as-of − 12 months < start_date ≤ as-of"),
    _f(id="leavers_fte", label="Leavers (FTE)", group="retention", unit="fte", polarity="lower_is_better",
       needs=_FTE + ("staff.end_date",), flow=True, dfe_column="leavers_fte", source=DFE,
       definition=f"FTE of employed workers whose end date falls in {WINDOW}.",
       formula="Σ fte of employed workers with as-of − 12 months < end_date ≤ as-of"),
    _f(id="leavers_headcount", label="Leavers (headcount)", group="retention", unit="count",
       polarity="lower_is_better", needs=_WT + ("staff.end_date",), flow=True, dfe_column="leavers_headcount",
       source=DFE, people_count=True,
       definition=f"Employed people whose end date falls in {WINDOW}.",
       formula="count of distinct worker_id of employed workers with as-of − 12 months < end_date ≤ as-of"),
    _f(id="net_change_fte", label="Net change (FTE)", group="retention", unit="fte", polarity="neutral",
       needs=_FTE + ("staff.end_date",), flow=True, source=OURS,
       definition=f"Starters' FTE minus leavers' FTE in {WINDOW}.",
       formula="starters FTE − leavers FTE"),
    _f(id="stability_index", label="Stability index", group="retention", unit="percent",
       polarity="higher_is_better", needs=_WT + ("staff.end_date",), flow=True, source=CIPD,
       definition="Of the employed people in post 12 months before the as-of date, the share still in post at it.",
       formula="headcount in post both 12 months before and at the as-of date (same record) ÷ headcount in post "
               "12 months before",
       caveats="Someone who moved to another post with a new record counts as not still in post."),
    _f(id="share_under_2_years_service", label="Under 2 years' service", group="retention", unit="percent",
       polarity="neutral", needs=_WT, source=DFE,
       definition="Share of employed people in post whose service (from their start date) is under 2 years.",
       formula="headcount in post with start_date > as-of − 2 years ÷ headcount in post",
       caveats="Service is counted from the start date in the extract, which may be the start in the post rather "
               "than in the council."),
    _f(id="share_newly_qualified", label="Newly qualified (ASYE)", group="retention", unit="percent",
       polarity="neutral", needs=_WT + ("staff.qualified_date",), source=OURS,
       definition="Share of employed people in post with a qualification date who qualified less than a year "
                  "before the as-of date (the ASYE year).",
       formula="headcount in post with as-of − 1 year < qualified_date ≤ as-of ÷ headcount in post with a "
               "qualified_date",
       caveats="People without a qualification date (e.g. unqualified roles) are left out of both counts."),
    _f(id="share_under_3_years_qualified", label="Under 3 years qualified", group="retention", unit="percent",
       polarity="neutral", needs=_WT + ("staff.qualified_date",), source=OURS,
       definition="Share of employed people in post with a qualification date who qualified less than three "
                  "years before the as-of date.",
       formula="headcount in post with as-of − 3 years < qualified_date ≤ as-of ÷ headcount in post with a "
               "qualified_date"),
    _f(id="leavers_first_year", label="Leavers in their first year", group="retention", unit="count",
       polarity="lower_is_better", needs=_WT + ("staff.end_date",), flow=True, people_count=True, source=OURS,
       definition=f"Employed leavers in {WINDOW} who left less than a year after they started.",
       formula="count of leavers with end_date < start_date + 1 year"),
    _f(id="leavers_to_agency", label="Leavers to agency work", group="retention", unit="count",
       polarity="lower_is_better", needs=_WT + ("staff.end_date", "staff.leaving_reason"), flow=True,
       people_count=True, source=OURS,
       definition=f"Employed leavers in {WINDOW} whose leaving reason is 'moved to agency work'.",
       formula="count of leavers with leaving_reason = 'moved to agency work'"),
    # ── agency ────────────────────────────────────────────────────────────────
    _f(id="agency_over_12_months", label="Agency placements over 12 months", group="agency", unit="count",
       polarity="lower_is_better", needs=_WT, people_count=True, source=OURS,
       definition="Agency workers in post at the as-of date whose placement started more than 12 months earlier.",
       formula="count of agency workers in post with start_date ≤ as-of − 12 months"),
    _f(id="agency_annual_cost", label="Estimated annual agency cost", group="agency", unit="gbp",
       polarity="lower_is_better", needs=_FTE + ("staff.hourly_rate",), source=OURS,
       definition="What the agency workers in post at the as-of date would cost over a year at their charge rates.",
       formula="Σ over agency workers in post of hourly_rate × standard weekly hours × 52 × fte",
       caveats="An estimate: assumes each placement runs a full year at its current rate and hours. Agency rows "
               "without an hourly rate are left out."),
    _f(id="agency_premium", label="Agency premium", group="agency", unit="ratio", polarity="lower_is_better",
       needs=_FTE + ("staff.hourly_rate", "staff.annual_salary"), source=OURS,
       definition="Estimated annual cost of agency FTE relative to employing the same FTE at the role's median "
                  "salary plus on-costs.",
       formula="Σ agency annual cost ÷ Σ (agency fte × median salary of employed staff in the same role × "
               "on-cost factor)",
       caveats="Roles without employed staff on a salary are left out. 1.5 means agency cover costs 50% more "
               "than employing."),
    _f(id="cap_breaches", label="Agency pay cap breaches", group="agency", unit="count", polarity="lower_is_better",
       needs=_WT + ("staff.hourly_rate", "agency_caps"), people_count=True, source=OURS,
       definition="Agency workers in post whose hourly rate is above the regional cap for their role.",
       formula="count of agency workers in post with hourly_rate > max_hourly_rate for their role",
       caveats="The caps are the region's, supplied by the council (no national figures exist). Roles without a "
               "cap are not checked."),
    _f(id="agency_covering_vacancies", label="Vacancies covered by agency", group="agency", unit="percent",
       polarity="neutral", needs=_FTE + ("establishment",), dfe_column="vacancy_agency_cover_rate_fte", source=DFE,
       definition="Share of vacant FTE covered by agency workers on the same establishment line.",
       formula="Σ over lines of min(agency FTE on the line, vacancy FTE on the line) ÷ vacancy FTE",
       caveats="The DfE asks councils for agency cover directly; here it is estimated line by line."),
    # ── workload ──────────────────────────────────────────────────────────────
    _f(id="average_caseload", label="Average caseload", group="workload", unit="cases", polarity="lower_is_better",
       needs=_FTE + ("staff.caseload",), dfe_column="caseload_fte", source=DFE,
       definition="Cases held per FTE by workers in post holding at least one case (agency included).",
       formula="Σ caseload ÷ Σ fte of workers in post with caseload ≥ 1",
       caveats="Caseload is as recorded in the extract, at the date it was taken."),
    _f(id="share_above_caseload_threshold", label="Case holders above their caseload standard", group="workload",
       unit="percent", polarity="lower_is_better", needs=_FTE + ("staff.caseload",), source=OURS,
       definition="Share of case holders in post whose cases per FTE exceed their group's caseload standard "
                  "(children's social work: the England average caseload of the census year, DfE; other groups: "
                  "a local standard where one is set).",
       formula="headcount of case holders with caseload ÷ fte > their group's standard ÷ headcount of case holders "
               "whose group has a standard",
       caveats="Case holders whose service area or role family has no caseload standard are left out; the "
               "standards in force and their sources are listed on the Methodology page."),
    _f(id="nq_above_protected_caseload", label="Newly qualified above protected caseload", group="workload",
       unit="count", polarity="lower_is_better", needs=_FTE + ("staff.caseload", "staff.qualified_date"),
       people_count=True, source=OURS,
       definition="Newly qualified (ASYE) case holders whose cases per FTE exceed the protected level (a share of "
                  "their team's average).",
       formula="count of case holders qualified under a year whose caseload ÷ fte > protected share × (Σ team "
               "caseload ÷ Σ team case-holder fte)"),
    _f(id="average_span_of_control", label="Average span of control", group="workload", unit="average",
       polarity="neutral", needs=_ST + ("staff.manager_id",), source=OURS,
       definition="Direct reports in post per manager.",
       formula="number of workers in post with a manager_id ÷ number of distinct managers they name",
       caveats="A manager's service area, team, role and grade are their own record's (their reports' when the "
               "manager is not in the extract)."),
    _f(id="managers_above_span", label="Managers above span threshold", group="workload", unit="count",
       polarity="lower_is_better", needs=_ST + ("staff.manager_id",), people_count=True, source=OURS,
       definition="Managers with more direct reports in post than their group's span-of-control standard "
                  "(default: a local standard of 8).",
       formula="count of managers with direct reports > their group's standard"),
    _f(id="absence_rate", label="Absence rate", group="workload", unit="percent", polarity="lower_is_better",
       needs=_FTE + ("staff.absence_days",), dfe_column="absence_rate_fte", source=DFE,
       definition="Working days lost to sickness as a share of the working days available to employed staff in "
                  "post.",
       formula="Σ absence_days of employed workers in post ÷ (FTE in post × 253 working days)",
       caveats="Days lost are the last 12 months' sickness absence as supplied in the extract."),
    # ── pay ───────────────────────────────────────────────────────────────────
    _f(id="median_salary", label="Median salary", group="pay", unit="gbp", polarity="neutral",
       needs=_WT + ("staff.annual_salary",), source=OURS,
       definition="Median full-time-equivalent annual salary of employed workers in post.",
       formula="median of annual_salary of employed workers in post"),
    _f(id="salary_gap", label="Salary gap to market", group="core", unit="percent", polarity="higher_is_better",
       needs=_WT + ("staff.annual_salary", "market_pay"), source=OURS,
       definition="How far salaries sit from the market median for the same role (and grade); negative means "
                  "behind the market.",
       formula="median over employed workers in post whose role has a comparator of (annual_salary ÷ market "
               "median − 1); for one role this is (median salary − market median) ÷ market median",
       caveats="Matched on role and, where the market pay table gives one, grade. Roles without a comparator "
               "are left out. The comparator's source is shown beside it."),
    _f(id="gender_pay_gap_mean", label="Gender pay gap (mean)", group="pay", unit="percent", polarity="neutral",
       needs=_WT + ("staff.annual_salary", "staff.gender"), source=EQUALITY,
       definition="Difference between men's and women's mean hourly pay, as a share of men's.",
       formula="(mean hourly pay of men − of women) ÷ mean hourly pay of men; hourly pay = annual_salary ÷ "
               "(52 × standard weekly hours)",
       caveats="Basic salary only (the regulations' ordinary pay also includes allowances). Employed staff in "
               "post; positive means men are paid more."),
    _f(id="gender_pay_gap_median", label="Gender pay gap (median)", group="pay", unit="percent",
       polarity="neutral", needs=_WT + ("staff.annual_salary", "staff.gender"), source=EQUALITY,
       definition="Difference between men's and women's median hourly pay, as a share of men's.",
       formula="(median hourly pay of men − of women) ÷ median hourly pay of men"),
    # ── recruitment ───────────────────────────────────────────────────────────
    _f(id="applications_per_advert", label="Applications per advert", group="recruitment", unit="average",
       polarity="higher_is_better", needs=("recruitment",), flow=True, source=OURS,
       definition=f"Applications per advert placed in {WINDOW}.",
       formula="Σ applications ÷ number of adverts with advert_date in the 12 months"),
    _f(id="readvertised_share", label="Adverts re-advertised", group="recruitment", unit="percent",
       polarity="lower_is_better", needs=("recruitment",), flow=True, source=OURS,
       definition=f"Share of adverts placed in {WINDOW} that had to be advertised more than once.",
       formula="adverts with times_advertised > 1 ÷ adverts with times_advertised given"),
    _f(id="offers_declined_share", label="Offers declined", group="recruitment", unit="percent",
       polarity="lower_is_better", needs=("recruitment",), flow=True, source=OURS,
       definition=f"Share of offers made on adverts placed in {WINDOW} that candidates declined.",
       formula="Σ offers_declined ÷ Σ offers"),
    _f(id="days_advert_to_start", label="Days from advert to start", group="recruitment", unit="days",
       polarity="lower_is_better", needs=("recruitment",), flow=True, source=OURS,
       definition=f"Median days from advert to the appointee's start, for adverts placed in {WINDOW}.",
       formula="median of (start_date − advert_date) in days over adverts with a start date"),
    _f(id="vacancies_filled", label="Vacancies filled", group="recruitment", unit="count",
       polarity="higher_is_better", needs=("recruitment",), flow=True, people_count=True, source=OURS,
       definition=f"People appointed from adverts placed in {WINDOW}.",
       formula="Σ appointed"),
    # ── cost (issue #16: what a scenario changes) ─────────────────────────────
    _f(id="employed_annual_cost", label="Estimated annual cost of employed staff", group="pay", unit="gbp",
       polarity="neutral", needs=_FTE + ("staff.annual_salary",), source=OURS,
       definition="What the employed workers in post at the as-of date cost over a year: salary for their FTE plus "
                  "employer on-costs.",
       formula="Σ over employed workers in post of annual_salary × fte × on-cost factor",
       caveats="Basic salary only (no allowances, overtime or increments). Employees without a salary are left out."),
    _f(id="workforce_annual_cost", label="Estimated annual workforce cost", group="pay", unit="gbp",
       polarity="neutral", needs=_FTE + ("staff.annual_salary", "staff.hourly_rate"), source=OURS,
       definition="What the workforce in post at the as-of date costs over a year: employed staff (salary plus "
                  "on-costs) and agency workers at their charge rates, so it includes what agency cover costs "
                  "above employing.",
       formula="estimated annual cost of employed staff + estimated annual agency cost",
       caveats="An estimate: each person and placement is assumed to stay a full year at today's pay and rates."),
    _f(id="agency_premium_cost", label="Agency premium (£ a year)", group="agency", unit="gbp",
       polarity="lower_is_better", needs=_FTE + ("staff.hourly_rate", "staff.annual_salary"), source=OURS,
       definition="What agency cover costs over a year above employing the same FTE at the role's median salary "
                  "plus on-costs.",
       formula="Σ agency annual cost − Σ (agency fte × median salary of employed staff in the same role × on-cost "
               "factor), over agency workers whose role has employed staff on a salary",
       caveats="Roles without employed staff on a salary are left out, as in the agency premium ratio."),
    # ── staff voice: surveys, supervision and induction (metrics.voice) ───────
    _f(id="recommend_share", label="Would recommend as an employer", group="voice", unit="percent",
       polarity="higher_is_better", needs=("survey",), source=OURS,
       definition="Share of staff survey respondents who would recommend the council as an employer, in the latest "
                  "survey on or before the as-of date.",
       formula="percent agreeing with the 'Would recommend as an employer' theme, as the survey reports it, for the "
               "group (whole council, service area, team or role)",
       caveats="As the survey provider reports it: respondents are the people who answered, not everyone in post. "
               "Shared views hide results from fewer respondents than the suppression threshold."),
    _f(id="recommend_change", label="Change in 'would recommend' since the last survey", group="voice",
       unit="points", polarity="higher_is_better", needs=("survey",), source=OURS,
       definition="How far the share who would recommend the council as an employer has moved since the survey "
                  "before, in percentage points; the two surveys are named beside it.",
       formula="(percent agreeing in the latest survey − percent agreeing in the survey before it, for the same "
               "theme and group) × 100",
       caveats="Compares whoever answered each survey: a change in who responded can move it as much as a change "
               "in what staff think. Needs the same group in both surveys."),
    _f(id="case_supervision_held", label="Case supervision held", group="voice", unit="percent",
       polarity="higher_is_better",
       needs=("supervision", "supervision.case_supervision_expected"), flow=True, source=OURS,
       definition=f"Share of the case (practice) supervision sessions expected in {WINDOW} that were held.",
       formula="Σ over each worker's months of min(sessions held, sessions expected) ÷ Σ sessions expected, for "
               "months ending in the 12 months",
       caveats="A worker's extra sessions in one month do not make up for another worker's missed ones: each "
               "worker's month counts at most the sessions expected. Wellbeing supervision is counted separately."),
    _f(id="wellbeing_supervision_held", label="Wellbeing supervision held", group="voice", unit="percent",
       polarity="higher_is_better",
       needs=("supervision", "supervision.wellbeing_supervision_expected"), flow=True, source=OURS,
       definition=f"Share of the wellbeing (personal) supervision sessions expected in {WINDOW} that were held, "
                  "kept separate from case supervision.",
       formula="Σ over each worker's months of min(wellbeing sessions held, expected) ÷ Σ wellbeing sessions "
               "expected, for months ending in the 12 months"),
    _f(id="induction_on_time", label="Induction completed within the agreed weeks", group="voice", unit="percent",
       polarity="higher_is_better", needs=("induction", "induction.induction_completed_date"), flow=True,
       source=OURS,
       definition=f"Of the new starters whose induction fell due in {WINDOW} (the agreed number of weeks after "
                  "their start date), the share who had completed it by then.",
       formula="starters with induction_completed_date ≤ start_date + agreed weeks ÷ starters with start_date + "
               "agreed weeks in the 12 months",
       caveats="The agreed number of weeks is a setting (12 unless the council changes it). The start date is the induction "
               "table's, else the worker's latest staff record."),
    _f(id="nq_above_caseload_cap", label="Newly qualified above their protected caseload", group="voice",
       unit="count", polarity="lower_is_better",
       needs=("induction", "induction.protected_caseload_cap"), people_count=True, source=OURS,
       definition="Newly qualified workers (ASYE) in post whose cases held exceed the protected caseload cap agreed "
                  "for them.",
       formula="count of newly qualified workers in post with caseload > protected_caseload_cap",
       caveats="Caseloads are as recorded in the induction or staff table, at the date it was taken. Newly "
               "qualified: the induction table's flag, else qualified under a year before the as-of date."),
]

FIGURES: dict[str, Figure] = {f.id: f for f in _ALL}
"""Every figure by id, in the order the app presents them."""

CORE: tuple[str, ...] = ("fte_in_post", "vacancy_rate", "agency_rate", "turnover_rate", "salary_gap")
"""The committee table's figures, in column order."""

GROUPS: dict[str, str] = {
    "core": "Core figures",
    "retention": "Retention and experience",
    "agency": "Agency",
    "workload": "Workload and support",
    "pay": "Pay",
    "recruitment": "Recruitment",
    "voice": "Staff voice: surveys, supervision and induction",
}
"""Section ids and their headings, in order."""

RATE_UNITS: frozenset[str] = frozenset({"percent"})
"""Units stored as fractions 0–1 and shown as percentages."""

assert len(FIGURES) == len(_ALL), "duplicate figure id"
