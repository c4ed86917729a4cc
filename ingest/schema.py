"""The canonical tables a user can upload: the data contract of DATA.md in code.

Every other part of the app (readers, validators, the DuckDB store, templates,
the demo generator, metrics) reads the table and column definitions from here,
so a column is declared once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WORKER_TYPES: tuple[str, ...] = ("permanent", "fixed_term", "agency", "apprentice", "casual")
"""Allowed `worker_type` values after normalisation."""

EMPLOYED_TYPES: tuple[str, ...] = ("permanent", "fixed_term", "apprentice", "casual")
"""Worker types the DfE counts as employed (paid directly by the council)."""

LEAVING_REASONS: tuple[str, ...] = (
    "resignation",
    "retirement",
    "end of contract",
    "dismissal",
    "redundancy",
    "moved to agency work",
    "internal transfer",
    "other",
    "not known",
)
"""Allowed `leaving_reason` values after normalisation."""

GENDERS: tuple[str, ...] = ("female", "male", "other", "not known")
"""Normalised `gender` values; the gender pay gap uses female and male."""


@dataclass(frozen=True)
class Column:
    """One canonical column: its name, DuckDB type, whether it must be present, and meaning."""

    name: str
    type: str  # one of: text, number, integer, date
    required: bool = False
    description: str = ""
    allowed: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    @property
    def duckdb_type(self) -> str:
        """The DuckDB column type the value is stored as."""
        return {"text": "VARCHAR", "number": "DOUBLE", "integer": "BIGINT", "date": "DATE"}[self.type]


@dataclass(frozen=True)
class Table:
    """One canonical table: its name, what it switches on, and its columns."""

    name: str
    label: str
    description: str
    columns: tuple[Column, ...]
    one_of: tuple[tuple[str, ...], ...] = field(default=())
    """Groups of columns of which at least one must be present (e.g. funded_fte or vacancy_fte)."""

    @property
    def column_names(self) -> list[str]:
        """Canonical column names in their declared order."""
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        """Columns that must be present for the table to load."""
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        """The column called `name` (KeyError if the table has none)."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


STAFF = Table(
    name="staff",
    label="Staff extract",
    description="One row per person per post, agency workers included; leavers of the last two years kept with their end date.",
    columns=(
        Column("worker_id", "text", True, "Pseudonymised identifier (payroll or assignment number). Never a name."),
        Column("service_area", "text", True, "e.g. Children's Social Work, Education Psychology, Public Health Nursing, SEND 0-25"),
        Column("team", "text", False, "e.g. First Response, Child Protection"),
        Column("role", "text", True, "Job role, e.g. Social Worker, Team Manager, Health Visitor"),
        Column("grade", "text", False, "Local grade or level, e.g. Level 3, Band 6"),
        Column("worker_type", "text", True, "permanent, fixed_term, agency, apprentice or casual", allowed=WORKER_TYPES),
        Column("fte", "number", True, "Contracted hours ÷ standard hours (0 < fte ≤ 1.5)", minimum=0.0, maximum=1.5),
        Column("start_date", "date", True, "Start in this post / service"),
        Column("end_date", "date", False, "Leaving date; blank while in post"),
        Column("leaving_reason", "text", False, "resignation, retirement, end of contract, ...", allowed=LEAVING_REASONS),
        Column("annual_salary", "number", False, "Full-time-equivalent annual basic salary (employees)", minimum=0.0),
        Column("hourly_rate", "number", False, "Agency charge rate per hour (agency rows)", minimum=0.0),
        Column("caseload", "integer", False, "Cases held at the as-of date", minimum=0.0),
        Column("qualified_date", "date", False, "Date of professional qualification"),
        Column("manager_id", "text", False, "worker_id of the line manager"),
        Column("gender", "text", False, "For the gender pay gap", allowed=GENDERS),
        Column("absence_days", "number", False, "Working days lost to sickness in the last 12 months", minimum=0.0),
    ),
)

ESTABLISHMENT = Table(
    name="establishment",
    label="Establishment",
    description="Funded posts per service area (and optionally team and role): switches on vacancy figures.",
    columns=(
        Column("service_area", "text", True, ""),
        Column("team", "text", False, ""),
        Column("role", "text", False, ""),
        Column("funded_fte", "number", False, "Funded posts (FTE) in the structure", minimum=0.0),
        Column("vacancy_fte", "number", False, "Vacant FTE as HR reports it", minimum=0.0),
    ),
    one_of=(("funded_fte", "vacancy_fte"),),
)

MARKET_PAY = Table(
    name="market_pay",
    label="Market pay",
    description="Market median salary per role (and optionally grade): switches on the salary gap.",
    columns=(
        Column("role", "text", True, ""),
        Column("grade", "text", False, ""),
        Column("market_median_salary", "number", True, "Market median annual salary for the role", minimum=0.0),
        Column("source", "text", False, "Where the comparator comes from"),
    ),
)

AGENCY_CAPS = Table(
    name="agency_caps",
    label="Agency pay caps",
    description="Regional maximum hourly rates for agency social workers per role: switches on cap breaches.",
    columns=(
        Column("role", "text", True, ""),
        Column("max_hourly_rate", "number", True, "Maximum hourly pay rate agreed by the region", minimum=0.0),
    ),
)

RECRUITMENT = Table(
    name="recruitment",
    label="Recruitment campaigns",
    description="One row per advert or campaign: switches on the recruitment funnel.",
    columns=(
        Column("service_area", "text", True, ""),
        Column("role", "text", True, ""),
        Column("advert_date", "date", True, ""),
        Column("closing_date", "date", False, ""),
        Column("applications", "integer", False, "", minimum=0.0),
        Column("shortlisted", "integer", False, "", minimum=0.0),
        Column("interviewed", "integer", False, "", minimum=0.0),
        Column("offers", "integer", False, "", minimum=0.0),
        Column("offers_declined", "integer", False, "", minimum=0.0),
        Column("appointed", "integer", False, "", minimum=0.0),
        Column("times_advertised", "integer", False, "", minimum=0.0),
        Column("start_date", "date", False, "Start date of the person appointed"),
    ),
)

# Numeric summary columns that may carry a DfE symbol instead of a number; each
# gets a companion `<name>_symbol` text column in DuckDB (see ingest.symbols).
SUMMARY_NUMBERS: tuple[str, ...] = (
    "fte",
    "headcount",
    "vacancy_fte",
    "vacancy_rate",
    "agency_fte",
    "agency_headcount",
    "agency_rate",
    "leavers_fte",
    "leavers_headcount",
    "starters_fte",
    "starters_headcount",
    "turnover_rate",
    "cases",
    "case_holders_fte",
    "caseload",
    "working_days_lost",
    "absence_rate",
)

SUMMARY = Table(
    name="summary",
    label="Summary figures",
    description="Aggregate rows (a committee paper's table, or the DfE indicator file): one row per service area or local authority and period.",
    columns=(
        Column("service_area", "text", True, "Service area, or the area's name for DfE rows"),
        Column("period", "text", False, "e.g. 2023 (30 September 2023), 2023/24, October 2023 or a date: the date "
               "the row's figures are as at"),
        Column("geographic_level", "text", False, "DfE: National, Regional or Local authority"),
        Column("region", "text", False, "DfE region name"),
        Column("area_code", "text", False, "DfE new local authority code (E06…/E08…/E09…/E10…)"),
        Column("old_la_code", "text", False, "DfE old (3-digit) local authority code"),
        Column("fte", "number", False, "FTE in post (employed)", minimum=0.0),
        Column("headcount", "number", False, "Headcount in post (employed)", minimum=0.0),
        Column("vacancy_fte", "number", False, "Vacant FTE", minimum=0.0),
        Column("vacancy_rate", "number", False, "Vacancy rate (fraction 0–1)", minimum=0.0, maximum=1.0),
        Column("agency_fte", "number", False, "Agency FTE", minimum=0.0),
        Column("agency_headcount", "number", False, "Agency headcount", minimum=0.0),
        Column("agency_rate", "number", False, "Agency rate (fraction 0–1)", minimum=0.0, maximum=1.0),
        Column("leavers_fte", "number", False, "Leavers FTE in the year", minimum=0.0),
        Column("leavers_headcount", "number", False, "Leavers headcount in the year", minimum=0.0),
        Column("starters_fte", "number", False, "Starters FTE in the year", minimum=0.0),
        Column("starters_headcount", "number", False, "Starters headcount in the year", minimum=0.0),
        Column("turnover_rate", "number", False, "Turnover rate (fraction 0–1)", minimum=0.0),
        Column("cases", "number", False, "Cases held", minimum=0.0),
        Column("case_holders_fte", "number", False, "FTE of case holders", minimum=0.0),
        Column("caseload", "number", False, "Average caseload per case-holding FTE", minimum=0.0),
        Column("working_days_lost", "number", False, "Working days lost to sickness", minimum=0.0),
        Column("absence_rate", "number", False, "Absence rate (fraction 0–1)", minimum=0.0, maximum=1.0),
        Column("team", "text", False, "Sub-service or team within the service area, e.g. Health visitors within "
               "Public Health Nursing (blank for the service area's own row)"),
    ),
)

COMPARATORS = Table(
    name="comparators",
    label="Comparators",
    description="Benchmarks the council supplies per service area or role family (e.g. a national figure for "
                "health visiting), each with its year and source: figures of that group are judged against them.",
    columns=(
        Column("group", "text", True, "Service area, sub-service, role or role family it describes, e.g. Health "
               "visiting or Education Psychology"),
        Column("figure", "text", True, "Figure id or name, e.g. vacancy_rate or Vacancy rate"),
        Column("value", "number", True, "The comparator's value; rates as 17.2% or 0.172"),
        Column("year", "integer", True, "Year to 30 September the value describes, e.g. 2024", minimum=1990.0,
               maximum=2100.0),
        Column("geography", "text", False, "England (when blank), a region, or e.g. Statistical neighbours (median)"),
        Column("source", "text", True, "Who published it and where: shown beside every comparison"),
        Column("licence", "text", False, "Terms it is published under, e.g. Open Government Licence v3.0"),
    ),
)

TARGET_FIGURES: tuple[str, ...] = (
    "agency_rate",
    "vacancy_rate",
    "turnover_rate",
    "fte_in_post",
    "agency_fte",
    "vacancy_fte",
    "salary_gap",
    "stability_index",
    "leavers_fte",
    "starters_fte",
    "average_caseload",
    "absence_rate",
    "agency_annual_cost",
    "workforce_annual_cost",
)
"""Figure ids a target can be set for (metrics.FIGURES ids; their spellings are in synonyms.toml [values.figure])."""

TARGETS = Table(
    name="targets",
    label="Targets",
    description="The council's targets: a figure's value to reach by a date, for the whole council or one service area.",
    columns=(
        Column("figure", "text", True, "The figure, e.g. agency_rate or 'Agency rate'", allowed=TARGET_FIGURES),
        Column("target", "number", True, "The value to reach: a rate as a percentage (12 or 12%) or a fraction (0.12)"),
        Column("by_date", "date", True, "The date by which to reach it"),
        Column("service_area", "text", False, "The service area it is for; blank for the whole council"),
        Column("note", "text", False, "Where the target comes from, e.g. 'Workforce strategy 2026'"),
    ),
)

# ── staff voice: survey results, supervision and induction (issue #15) ──────────

SURVEY_THEMES: tuple[str, ...] = (
    "Would recommend as an employer",
    "Manageable workload",
    "Quality of supervision",
    "Support from my manager",
    "Intend to stay",
    "Wellbeing",
)
"""The standard survey themes (offered in the template's drop-down list). Any other theme or question loads
under its own wording; spellings of these (synonyms.toml [values.theme] and [theme_keywords]) are read as them."""

RECOMMEND_THEME = SURVEY_THEMES[0]
"""The theme of the 'would recommend as an employer' figures."""

GROUP_TYPES: tuple[str, ...] = ("whole council", "service area", "team", "role")
"""What a survey result's group is. Blank reads as the whole council."""

YES_NO: tuple[str, ...] = ("yes", "no")

SURVEY = Table(
    name="survey",
    label="Staff survey results",
    description="One row per survey, theme (or question) and group, as the survey provider reports them: "
                "switches on the staff voice figures.",
    columns=(
        Column("survey", "text", True, "The survey's name, e.g. Staff survey 2025 or Social Work Health Check 2025"),
        Column("survey_date", "date", True, "When the survey closed: a date, or a year alone (read as 30 September "
                                            "of that year)"),
        Column("theme", "text", False, "The question or theme, e.g. Would recommend as an employer, Manageable "
                                      "workload, Quality of supervision, Support from my manager, Intend to stay. "
                                      "Other questions load under their own wording"),
        Column("question", "text", False, "The question's full wording, if the theme is a short name for it"),
        Column("group_type", "text", False, "What the group is: whole council, service area, team or role "
                                           "(blank: whole council)", allowed=GROUP_TYPES),
        Column("group_name", "text", False, "The group's name as the staff data spells it, e.g. Child Protection "
                                           "(blank for the whole council)"),
        Column("service_area", "text", False, "For a team or role: the service area it belongs to (optional)"),
        Column("respondents", "integer", True, "How many people answered the question", minimum=0.0),
        Column("percent_agree", "number", False, "Share agreeing (or positive), e.g. 62, 62% or 0.62",
               minimum=0.0, maximum=100.0),
        Column("mean_score", "number", False, "Mean score, for questions reported as a score", minimum=0.0),
        Column("scale_max", "number", False, "Top of the score's scale, e.g. 5 or 10", minimum=0.0),
        Column("comparator_percent", "number", False, "A comparator's share agreeing (e.g. a sector benchmark)",
               minimum=0.0, maximum=100.0),
        Column("comparator_score", "number", False, "A comparator's mean score", minimum=0.0),
        Column("comparator_source", "text", False, "Where the comparator comes from, e.g. Social Work Health "
                                                  "Check 2024, England"),
    ),
    one_of=(("theme", "question"), ("percent_agree", "mean_score")),
)

SUPERVISION = Table(
    name="supervision",
    label="Supervision log",
    description="One row per worker (or team) and month: supervision sessions held and expected, case "
                "supervision and wellbeing supervision kept apart.",
    columns=(
        Column("worker_id", "text", False, "The supervisee's identifier, as in the staff table (blank for a team "
                                           "row). Never a name"),
        Column("service_area", "text", False, "Taken from the staff table when blank"),
        Column("team", "text", False, "Taken from the staff table when blank"),
        Column("role", "text", False, "Taken from the staff table when blank"),
        Column("month", "date", True, "The month: any date in it, or e.g. 2026-03 or Mar 2026"),
        Column("case_supervision_held", "integer", False, "Case (practice) supervision sessions held in the month",
               minimum=0.0),
        Column("case_supervision_expected", "integer", False, "Case supervision sessions the supervision policy "
                                                              "expects in the month", minimum=0.0),
        Column("wellbeing_supervision_held", "integer", False, "Wellbeing (personal) supervision sessions held in "
                                                               "the month", minimum=0.0),
        Column("wellbeing_supervision_expected", "integer", False, "Wellbeing supervision sessions expected in the "
                                                                   "month", minimum=0.0),
        Column("supervisees", "integer", False, "For a team row (no worker_id): how many workers it covers",
               minimum=0.0),
    ),
    one_of=(("worker_id", "team"), ("case_supervision_expected", "wellbeing_supervision_expected")),
)

INDUCTION = Table(
    name="induction",
    label="Induction and newly qualified staff",
    description="One row per new starter (the induction or ASYE tracker): induction completion, mentor, newly "
                "qualified status and protected caseload.",
    columns=(
        Column("worker_id", "text", True, "The worker's identifier, as in the staff table. Never a name"),
        Column("service_area", "text", False, "Taken from the staff table when blank"),
        Column("team", "text", False, "Taken from the staff table when blank"),
        Column("role", "text", False, "Taken from the staff table when blank"),
        Column("start_date", "date", False, "Start date; taken from the staff table when blank"),
        Column("induction_completed_date", "date", False, "When the induction was completed (blank: not yet)"),
        Column("mentor_assigned", "text", False, "yes or no (a mentor's id counts as yes; never a name)",
               allowed=YES_NO),
        Column("newly_qualified", "text", False, "yes for a newly qualified worker in the first year (ASYE)",
               allowed=YES_NO),
        Column("protected_caseload_cap", "integer", False, "The most cases agreed for this newly qualified worker",
               minimum=0.0),
        Column("caseload", "integer", False, "Cases held now; taken from the staff table when blank", minimum=0.0),
    ),
    one_of=(("induction_completed_date", "mentor_assigned", "newly_qualified", "protected_caseload_cap"),),
)

VOICE_TABLES: tuple[str, ...] = ("survey", "supervision", "induction")
"""The staff voice tables: each switches on its own figures, with or without a staff extract."""

TABLES: dict[str, Table] = {
    t.name: t for t in (STAFF, ESTABLISHMENT, MARKET_PAY, AGENCY_CAPS, RECRUITMENT, SUMMARY, TARGETS, COMPARATORS,
                        SURVEY, SUPERVISION, INDUCTION)
}
"""Every canonical table by name, in the order the app presents them."""

REQUIRED_ANY_OF: tuple[str, ...] = ("staff", "summary")
"""An upload must contain at least one of these tables for the workforce figures (a staff voice table alone
switches on the staff voice page only)."""

SUGGESTED_VALUES: dict[tuple[str, str], tuple[str, ...]] = {("survey", "theme"): SURVEY_THEMES}
"""(table, column) → values a template offers in a drop-down list without restricting the column to them."""
