"""Every figure and term in councillor language: the hover help of tiles and charts, and the Methodology page.

Keyed by figure id (metrics.figures.FIGURES). A test checks every figure has an
entry, so whoever adds a figure adds its plain words here too: one or two short
sentences a councillor can read aloud in a meeting, no column names, no
formulas (those stay in the registry and on Methodology under "For analysts").
Where a figure has a direction, the entry says which way is good.

Also the words for values that are stored as codes (leaving reasons), and the
general terms (FTE, as-of date, agency) every page uses.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

GLOSSARY: dict[str, str] = {
    # ── core ──────────────────────────────────────────────────────────────────
    "fte_in_post": "How many full-time posts our own staff fill today. Two people working half-time count as one. "
                   "Agency workers are counted separately.",
    "headcount_in_post": "How many people we employ today, however many hours they work. Someone with two jobs "
                         "here counts once.",
    "vacancy_fte": "Funded full-time posts that nobody we employ is filling today. Lower is better.",
    "vacancy_rate": "Of all the full-time posts we fund, the share that are empty (not filled by our own staff). "
                    "Lower is better.",
    "agency_fte": "How many full-time posts agency workers are filling today. Lower is better.",
    "agency_headcount": "How many agency workers are working for us today. Lower is better.",
    "agency_rate": "Of all the work being done today, the share done by agency workers rather than our own staff. "
                   "Lower is better: agency cover costs more and changes more often.",
    "agency_rate_headcount": "Of all the people working for us today, the share who are agency workers. "
                             "Lower is better.",
    "turnover_rate": "How much of the workforce left in the last 12 months, compared with the size of the "
                     "workforce today. Lower is better.",
    "turnover_rate_headcount": "The number of our staff who left in the last 12 months, compared with the number "
                               "employed today. Lower is better.",
    "crude_turnover_cipd": "The share of staff who left in the last 12 months, measured against the average number "
                           "employed over the year (the CIPD's way; the DfE's differs). Lower is better.",
    "starters_fte": "How much new staff time joined in the last 12 months, in full-time posts.",
    "starters_headcount": "How many people joined us in the last 12 months.",
    "leavers_fte": "How much staff time left in the last 12 months, in full-time posts. Lower is better.",
    "leavers_headcount": "How many of our staff left in the last 12 months. Lower is better.",
    "net_change_fte": "Staff time that joined minus staff time that left in the last 12 months, in full-time posts: "
                      "above zero, the workforce grew.",
    "stability_index": "Of the people we employed a year ago, the share still here today. Higher is better.",
    # ── retention and experience ──────────────────────────────────────────────
    "share_under_2_years_service": "The share of our staff who have been with us for less than two years. A high "
                                   "share means a less experienced workforce.",
    "share_newly_qualified": "The share of qualified staff in their first year after qualifying (the assessed "
                             "and supported year in employment, ASYE).",
    "share_under_3_years_qualified": "The share of qualified staff who qualified less than three years ago.",
    "leavers_first_year": "How many people left within a year of starting. Lower is better.",
    "leavers_to_agency": "How many of our staff left to do agency work. Lower is better: they often come back "
                         "to us at a higher cost.",
    # ── agency ────────────────────────────────────────────────────────────────
    "agency_over_12_months": "How many agency workers have been with us for more than a year. Lower is better: "
                             "long placements usually mean a permanent post we have not filled.",
    "agency_annual_cost": "What today's agency workers would cost over a full year at their current rates. "
                          "An estimate. Lower is better.",
    "agency_premium": "How many times more an agency worker costs than employing someone in the same role. "
                      "1.5× means agency cover costs half as much again. Lower is better.",
    "cap_breaches": "How many agency workers are paid more per hour than the regional cap for their role. "
                    "Lower is better.",
    "agency_covering_vacancies": "Of the empty posts, the share being covered by agency workers.",
    # ── workload and support ──────────────────────────────────────────────────
    "average_caseload": "How many cases (children or families) each full-time worker holds on average. "
                        "Lower is better.",
    "share_above_caseload_threshold": "The share of workers whose caseload is above the safe level we set (by "
                                      "default, the England average). Lower is better.",
    "nq_above_protected_caseload": "How many newly qualified workers hold more cases than their protected "
                                   "(reduced) level. Lower is better.",
    "average_span_of_control": "On average, how many people report directly to each manager.",
    "managers_above_span": "How many managers have more people reporting to them than the level we set. "
                           "Lower is better.",
    "absence_rate": "The share of working days lost to sickness in the last 12 months. Lower is better.",
    # ── pay ───────────────────────────────────────────────────────────────────
    "median_salary": "The middle salary of our staff (as if full-time): half earn more, half earn less.",
    "employed_annual_cost": "Roughly what our own staff in post today cost over a year: their pay for the hours "
                            "they work plus the employer's costs on top (pension and National Insurance).",
    "workforce_annual_cost": "Roughly what everyone working for us today costs over a year: our own staff with the "
                             "employer's costs, and agency workers at what the agency charges.",
    "agency_premium_cost": "How much more a year agency cover costs than employing our own staff for the same hours "
                           "in the same roles. Lower is better.",
    "recommend_share": "Of the staff who answered the latest survey, the share who would recommend us as a place to "
                       "work. Higher is better.",
    "recommend_change": "How much the share who would recommend us as a place to work has gone up or down since the "
                        "survey before, in percentage points. Higher is better.",
    "case_supervision_held": "Of the supervision sessions about their cases that staff should have had in the last 12 "
                             "months, the share that actually happened. Higher is better.",
    "wellbeing_supervision_held": "Of the supervision sessions about staff's own wellbeing that should have happened in "
                                  "the last 12 months, the share that did. Higher is better.",
    "induction_on_time": "Of the new starters whose induction was due in the last 12 months, the share who finished "
                         "it in the time we promised. Higher is better.",
    "nq_above_caseload_cap": "How many newly qualified social workers hold more cases than the reduced caseload we "
                             "promised them in their first year. Lower is better.",
    "salary_gap": "How far our pay is from the going rate for the same job elsewhere. Below zero means we pay "
                  "less than the market. Higher is better for recruiting.",
    "gender_pay_gap_mean": "How much less women are paid per hour than men, on average, as a share of men's pay. "
                           "Above zero means men are paid more.",
    "gender_pay_gap_median": "The gap between the middle hourly pay of men and of women, as a share of men's. "
                             "Above zero means men are paid more.",
    # ── recruitment ───────────────────────────────────────────────────────────
    "applications_per_advert": "On average, how many applications each job advert received. Higher is better.",
    "readvertised_share": "The share of job adverts we had to run again because the first time did not find "
                          "someone. Lower is better.",
    "offers_declined_share": "The share of job offers that candidates turned down. Lower is better.",
    "days_advert_to_start": "The typical number of days from placing a job advert to the new person starting. "
                            "Lower is better.",
    "vacancies_filled": "How many people were appointed from adverts placed in the last 12 months. Higher is "
                        "better.",
}
"""Plain words for each figure, by figure id."""

TERMS: dict[str, str] = {
    "FTE (full-time equivalent)": "Staff time counted in full-time posts: two people working half-time are 1 FTE.",
    "Headcount": "People counted one each, however many hours they work.",
    "As-of date": "The day the figures describe. Figures about movement (people joining or leaving) cover the 12 "
                  "months up to that day. 30 September is the date of the national (DfE) workforce census.",
    "Employed staff": "People the council pays directly: permanent, fixed-term, apprentices and casual staff.",
    "Agency worker": "Someone working for the council through an agency or as self-employed, not on the payroll.",
    "Vacancy": "A funded post that none of our own staff is filling. An agency worker may be covering it.",
    "Establishment": "The posts the council has funded, whether filled or not.",
    "Caseload": "The cases (children or families) a worker is responsible for.",
    "Newly qualified (ASYE)": "A social worker in their first year after qualifying, the Assessed and Supported "
                              "Year in Employment, when their caseload should be protected.",
    "Span of control": "The number of people who report directly to one manager.",
    "Market median salary": "The middle salary other employers pay for the same role, from the pay survey the "
                            "council supplies.",
    "England, region and statistical neighbours": "The national figure, the figure for our region, and the middle "
                                                   "figure of the councils most like ours (chosen by the DfE). "
                                                   "They cover children's social workers only.",
    "Median": "The middle value: half are above it and half below.",
    "pts (percentage points)": "The difference between two percentages: from 10% to 12% is 2 pts.",
    "c": "A figure hidden because it rests on fewer than 5 people, so nobody can be identified (the DfE's symbol "
         "for 'confidential').",
}
"""General terms, in the order the Methodology page lists them."""

VALUE_LABELS: dict[str, dict[str, str]] = {
    "leaving_reason": {
        "resignation": "Resigned",
        "retirement": "Retired",
        "end of contract": "End of contract",
        "dismissal": "Dismissed",
        "redundancy": "Made redundant",
        "moved to agency work": "Moved to agency work",
        "internal transfer": "Moved to another council job",
        "other": "Other reason",
        "not known": "Reason not recorded",
    },
}
"""Stored code → label shown, for columns whose values are codes (the stored values stay as they are)."""


def plain(figure_id: str) -> str:
    """A figure's plain-words entry (empty when it has none)."""
    return GLOSSARY.get(figure_id, "")


def help_text(figure_id: str, definition: str = "") -> str:
    """Hover help for a figure: the plain words, then the exact definition (Streamlit help is Markdown)."""
    words = plain(figure_id)
    if words and definition:
        return f"{words}\n\n**Exactly:** {definition}"
    return words or definition


def value_label(column: str, value: object) -> object:
    """The label shown for a stored code (e.g. a leaving reason); anything else unchanged."""
    labels = VALUE_LABELS.get(column)
    if labels is None or not isinstance(value, str):
        return value
    return labels.get(value, value[:1].upper() + value[1:] if value else value)


def label_values(df: pd.DataFrame, columns: Mapping[str, dict[str, str]] | None = None) -> pd.DataFrame:
    """A copy of `df` with coded columns (VALUE_LABELS) shown as labels; the input is not changed."""
    out = df
    for column in (columns or VALUE_LABELS):
        if column in df.columns:
            if out is df:
                out = df.copy()
            out[column] = [value_label(column, v) for v in df[column]]
    return out
