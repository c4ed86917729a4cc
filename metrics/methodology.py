"""The methodology document, generated from the registry (FIGURES) and the settings' defaults.

`python -m metrics.methodology --write docs/METHODOLOGY.md` regenerates the
committed document; the app's methodology page shows `methodology_markdown()`.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import fields
from pathlib import Path

from metrics.figures import FIGURES, GROUPS
from metrics.glossary import GLOSSARY, TERMS
from metrics.registry import Figure
from metrics.settings import Settings

UNIT_WORDS: dict[str, str] = {
    "fte": "full-time equivalent", "percent": "percentage (stored as a fraction 0–1)", "gbp": "pounds (£)",
    "days": "days", "count": "number of people", "ratio": "ratio (shown as 1.46×)", "cases": "cases per FTE", "years": "years",
    "average": "an average number per person or advert",
    "points": "percentage points (a change between two percentages)",
}
POLARITY_WORDS: dict[str, str] = {
    "higher_is_better": "higher is better", "lower_is_better": "lower is better", "neutral": "neither higher nor "
    "lower is better in itself",
}
SETTING_WORDS: dict[str, str] = {
    "standard_weekly_hours": "Standard weekly hours (agency cost, gender pay hourly pay)",
    "on_cost_factor": "Employer on-cost factor on salary (agency premium)",
    "caseload_threshold": "A local caseload standard (cases per FTE) for every group without a standard of its "
                          "own; none by default",
    "protected_caseload_share": "Newly qualified protected caseload, share of the team average (every group "
                                "without a standard of its own)",
    "span_of_control_threshold": "Span of control standard, direct reports (every group without a standard of "
                                 "its own)",
    "working_days_per_fte": "Working days per FTE per year (absence rate)",
    "induction_weeks": "Weeks after starting within which induction should be completed (staff voice)",
}

TITLE = "# Methodology\n"

FOR_COUNCILLORS = """## What the figures mean

Every figure on the dashboard in plain words, what "better" looks like, and the
exact definition. The words used on every page are explained after the figures.
How each figure is worked out, step by step, is at the end under "For analysts".
"""

SOURCES = """## Where the definitions come from

- DfE: Department for Education, *Children's social work workforce* (Explore Education Statistics); the
  national figures are published under the Open Government Licence v3.0. Where the DfE publishes a figure,
  the dashboard works it out the same way, so our figures line up with the national statistics.
- CIPD: Chartered Institute of Personnel and Development, labour turnover and stability index definitions.
- Equality Act 2010 (Specific Duties and Public Authorities) Regulations 2017: gender pay gap reporting.
- Workforce Lens: measures defined by this project where no published definition exists.

## Small numbers

In shared links and in the committee pack, any figure about fewer than 5 people, and anything that would
let it be worked out, is shown as `c`, so no one can be identified.
"""

ANALYSTS = """## For analysts

This section is generated from the figure registry (`metrics/figures.py`) by
`python -m metrics.methodology --write docs/METHODOLOGY.md`; the app's
methodology page shows the same text. Do not edit it by hand.

### Terms used throughout

- **As-of date**: the date the figures describe. By default the latest date in
  the data (not after today); a one-click option sets it to 30 September, the
  date of the DfE's annual children's social work workforce census.
- **The 12 months**: the 12 months ending on the as-of date, i.e. after the
  date 12 months earlier, up to and including the as-of date.
- **Employed**: `worker_type` is permanent, fixed_term, apprentice or casual.
  Agency workers (not paid directly by the council) are counted separately.
- **In post at a date D**: `start_date` on or before D, and no `end_date` or an
  `end_date` after D. An end date is the last day of service, so someone whose
  end date is the as-of date is a leaver in the 12 months and **not** in post.
- **Headcount** counts distinct people (`worker_id`); **FTE** sums `fte`.
- **Cuts**: every figure can be cut by service area, team, role and grade.
  The organisation-wide "All" row is computed from the rows themselves, never
  averaged from the groups. A blank cut value is shown as "Not recorded".
- **Rates** are computed and exported as fractions between 0 and 1 and shown as
  percentages to one decimal place, as the DfE rounds them.
- **Not computable**: a figure the data cannot support is shown as not
  available with the reason (e.g. no establishment table, no vacancy rate),
  never as 0. DfE symbols in summary or reference data (`c` confidential, `x`
  unavailable, `z` not applicable, `u` low reliability, `low` rounds to zero)
  are carried through and shown as such.
- **Summary uploads** (a committee paper's table or the DfE indicator file):
  rates are recomputed from the counts with the DfE formulas (vacancy =
  vacancy FTE ÷ (vacancy FTE + FTE in post); agency = agency FTE ÷ (agency FTE +
  FTE in post); turnover = leavers FTE ÷ FTE in post; caseload = cases ÷
  case-holder FTE), or taken as given when only the rate is supplied. These
  formulas reproduce the published rates of every local authority in the DfE
  indicator file 2017–2025 to within 0.25 percentage points (its counts are
  rounded to one decimal place).
- **Monthly series** are available for the 23 month-ends before the as-of date
  and the as-of date itself (24 points) for every stock figure and rolling
  12-month flow figure the dates allow. The last point is computed exactly as
  the figure table is, so a tile, the end of its trend line and the committee
  table show the same value; when the as-of date is mid-month that point is
  part of a month and is labelled with its day.
  Salary, hourly rate, caseload, absence and the establishment are known only
  as at the extract, so their figures have no history. In the series,
  headcounts count staff records (a person holding two posts at once counts
  twice, except at the last point); the figure table counts people.
- **Teams** are service area + team: a team name used in more than one
  service area is shown, filtered, exported and linked as "Team (Service
  area)", so teams of the same name never merge.
- **Small numbers**: in shared views, counts of people under the suppression
  threshold (default 5), and rates built on them, are shown as `c`.
"""


FORWARD_LOOK = """### The forward look: targets, forecast, scenarios and the written summary

**Targets.** A target is a figure's value to reach by a date, for the whole council or one service area (the
upload's `targets` sheet, or set on the overview and kept in the link). Progress compares the figure at the
as-of date with its value 12 months earlier (as the tiles do). The *pace needed* is the change still to make
÷ the months left; the *recent pace* is the last 12 months' change ÷ 12. A target is **met** when the figure
is already at it (at or below it when lower is better, at or above when higher is better, within 1% for
other figures), **on track** when the recent pace carried on to the target date would reach it, **off
track** when it would not, **missed** or met when the date has passed, and has **no trend yet** without a
value 12 months earlier.

**Forecast (a projection).** Employed starters and leavers (people and FTE) are counted month by month over
the 24 months ending on the as-of date (each month ends on the as-of date's day, so the last 12 add up to the
starters and leavers figures). Each month of the next 12 is projected as the average month of those 24,
raised or lowered by a yearly cycle (a Poisson regression of the monthly counts on the sine and cosine of the
calendar month; with fewer than 24 events in the 24 months, the average month alone). The range (80% by
default, `[forecast] interval`) covers the chance variation of a count — at least a Poisson count's, more
when the months varied more than that — and the uncertainty in the average and the cycle, drawn as a gamma
distribution of that mean and variance. Vacancies: today's vacancy FTE less projected starters' FTE plus
projected leavers' FTE, with the establishment held as it is and every starter filling a vacant post. The
**back-test** makes the same forecast as at 12 months before the as-of date, from the 24 months before that,
and sets it beside what happened since: the error is what happened − the forecast. A forecast needs the
extract to keep 24 months of leavers; the back-test 36.

**Scenarios.** A scenario's changes are made on a copy of the uploaded tables (never the upload itself) and
every figure is worked out again by the same rules. Converting N agency FTE to permanent ends the
longest-running agency placements in post at the as-of date (the last perhaps in part) and starts permanent
posts of the same FTE, role and team on that date, paid the median salary of employed staff in the role
(else the role's market median, else the service area's median) unless a salary is given; the recruitment it
needs is one appointment per placement converted. A market supplement adds £X a year to the salary of every
employed worker in the role (after any pay award); a pay award multiplies every employed worker's salary; extra
funded posts are added to the service area's establishment lines in proportion to their funded FTE and start
vacant. Market pay and agency charge rates stay as they are unless the scenario says otherwise; on-costs and
weekly hours are the configured values unless changed, for today and the scenario alike.

**The written summary.** Five to eight sentences written by fixed rules (no language model) from the figures
the dashboard shows: where the council stands, the rate that moved most since a year earlier, the comparison
with the DfE statistics, the service areas and teams (of at least 5 people) with the highest rates, where pay is
furthest behind the market, progress to targets and what the forecast says. Each sentence lists the figures it
states. In a shared view and the committee pack the figures are the suppressed ones: a hidden value is shown
as `c`, left out of a ranking, or its sentence is left out.
"""


STANDARDS = """### Standards per service area and role family

A case holder's caseload, a manager's span of control and a newly qualified
worker's protected caseload are each judged against the standard of their own
group, set in `workforce_lens.toml` as `[[standards]]` entries (measure
`caseload`, `span_of_control` or `protected_caseload_share`; group: a service
area, team or role as the data writes it, or a role family such as
"Children's social work" or "Health visiting"; value; label; source). Each
person is held to the most specific standard set for them — their role's,
their team's, their role family's, their team's family's, their service
area's, or their service area's family's — else the `[metrics]` default above,
or none. By default children's social work is held to the
**England average caseload of children and family social workers for the
as-of date's census year (DfE)** — the latest published year when that year is
not yet published — and every chart line says what it is ("England average
2025 (DfE)" or "Local standard") and where it comes from. Case holders whose
group has no caseload standard are left out of "Case holders above their
caseload standard", and a group where nobody has one shows no value.
"""

COMPARISONS = """### Comparisons with England

A figure is set beside a comparator only of the **same group** (service area
or role family: a Social Worker, Senior Practitioner or Team Manager row is
compared as children's social work; a Health Visitor as health visiting; a
School Nurse as school nursing) and the **same year** (the year to 30 September
on or before the as-of date, or a summary row's own date), and every
comparison names its source. The DfE children's social work workforce
statistics are the source for children's social work; comparators for other
groups come from `data/reference/comparators.csv` (only figures with citable
provenance), `[[comparators]]` in `workforce_lens.toml`, or a `comparators`
sheet the council uploads. Where a group has no comparator for the year, the
page says so and draws no better-or-worse verdict.
"""


def _figure_section(figure: Figure) -> str:
    """The markdown block of one figure."""
    lines = [f"#### {figure.label} (`{figure.id}`)", "", figure.definition, ""]
    lines.append(f"- **Formula**: {figure.formula}" if figure.formula else "- **Formula**: see definition")
    lines.append(f"- **Unit**: {UNIT_WORDS.get(figure.unit, figure.unit)}; {POLARITY_WORDS[figure.polarity]}")
    lines.append(f"- **Source**: {figure.source or 'Workforce Lens'}")
    if figure.dfe_column:
        lines.append(f"- **DfE indicator column**: `{figure.dfe_column}`")
    lines.append("- **Period**: the 12 months ending on the as-of date" if figure.flow
                 else "- **Period**: at the as-of date")
    needs = ", ".join(f"`{n}`" for n in figure.needs)
    lines.append(f"- **Needs**: {needs}")
    if figure.caveats:
        lines.append(f"- **Caveats**: {figure.caveats}")
    return "\n".join(lines) + "\n"


def _settings_table() -> str:
    """The configurable values and their defaults (from the code, not the local settings file)."""
    rows = ["| setting | meaning | default |", "|---|---|---|"]
    for f in fields(Settings):
        if f.name not in SETTING_WORDS:
            continue
        rows.append(f"| `{f.name}` | {SETTING_WORDS.get(f.name, '')} | {_format_default(f.name)} |")
    return "\n".join(rows) + "\n"


def _format_default(name: str) -> str:
    """The code default of a setting, formatted without trailing zeros."""
    from metrics.settings import _DEFAULTS

    value = _DEFAULTS[name]
    return "none" if value is None else f"{value:g}"


def _plain_section(figure: Figure) -> str:
    """A figure for councillors: its name, its plain words (metrics.glossary) and its exact definition."""
    words = GLOSSARY.get(figure.id, "")
    lines = [f"**{figure.label}.** {words}".rstrip(), "", f"*Exactly:* {figure.definition}"]
    if figure.caveats:
        lines.append(f" *Note:* {figure.caveats}")
    return "".join(lines[:1]) + "\n\n" + "".join(lines[2:]) + "\n"


def _terms() -> str:
    """The general terms (metrics.glossary.TERMS) as a list."""
    return "## Words used on the dashboard\n\n" + "\n".join(f"- **{term}**: {words}" for term, words in
                                                            TERMS.items()) + "\n"


def _grouped(section: object, level: str) -> list[str]:
    """Each group's heading at `level`, then `section(figure)` for each of its figures."""
    parts = []
    for group, heading in GROUPS.items():
        figures = [f for f in FIGURES.values() if f.group == group]
        if figures:
            parts.append(f"{level} {heading}\n")
            parts.extend(section(f) for f in figures)
    return parts


def methodology_markdown() -> str:
    """The whole methodology document as markdown (deterministic: same registry, same text).

    It opens for councillors (plain words, terms, sources) and ends with the
    exact formulas and column names under "For analysts".
    """
    parts = [TITLE, FOR_COUNCILLORS]
    parts.extend(_grouped(_plain_section, "###"))
    parts.append(_terms())
    parts.append(SOURCES)
    parts.append(ANALYSTS)
    parts.extend(_grouped(_figure_section, "###"))
    parts.append(FORWARD_LOOK)
    parts.append("### Configurable values\n")
    parts.append("Set in `workforce_lens.toml`, section `[metrics]`.\n")
    parts.append(_settings_table())
    parts.append(STANDARDS)
    parts.append(COMPARISONS)
    return "\n".join(parts).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print the document, or write it to --write PATH."""
    parser = argparse.ArgumentParser(prog="python -m metrics.methodology", description=__doc__)
    parser.add_argument("--write", metavar="PATH", help="write the document to PATH instead of printing it")
    args = parser.parse_args(argv)
    text = methodology_markdown()
    if args.write:
        Path(args.write).parent.mkdir(parents=True, exist_ok=True)
        Path(args.write).write_text(text, encoding="utf-8")
        print(f"Wrote {args.write} ({len(FIGURES)} figures).")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
