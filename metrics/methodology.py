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
from metrics.registry import Figure
from metrics.settings import Settings

UNIT_WORDS: dict[str, str] = {
    "fte": "full-time equivalent", "percent": "percentage (stored as a fraction 0–1)", "gbp": "pounds (£)",
    "days": "days", "count": "number of people", "ratio": "ratio", "cases": "cases per FTE", "years": "years",
    "points": "percentage points (a change between two percentages)",
}
POLARITY_WORDS: dict[str, str] = {
    "higher_is_better": "higher is better", "lower_is_better": "lower is better", "neutral": "neither higher nor "
    "lower is better in itself",
}
SETTING_WORDS: dict[str, str] = {
    "standard_weekly_hours": "Standard weekly hours (agency cost, gender pay hourly pay)",
    "on_cost_factor": "Employer on-cost factor on salary (agency premium)",
    "caseload_threshold": "Caseload threshold, cases per FTE (England average 2025)",
    "protected_caseload_share": "Newly qualified protected caseload, share of the team average",
    "span_of_control_threshold": "Span of control threshold, direct reports",
    "working_days_per_fte": "Working days per FTE per year (absence rate)",
    "induction_weeks": "Weeks after starting within which induction should be completed (staff voice)",
}

INTRO = """# Methodology

This document is generated from the figure registry (`metrics/figures.py`) by
`python -m metrics.methodology --write docs/METHODOLOGY.md`; the app's
methodology page shows the same text. Do not edit it by hand.

## Terms used throughout

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
- **Monthly series** are available for the 24 month-ends up to the as-of date
  for every stock figure and rolling 12-month flow figure the dates allow.
  Salary, hourly rate, caseload, absence and the establishment are known only
  as at the extract, so their figures have no history. In the series,
  headcounts count staff records (a person holding two posts at once counts
  twice); the figure table counts people.
- **Small numbers**: in shared views, counts of people under the suppression
  threshold (default 5), and rates built on them, are shown as `c`.
"""


def _figure_section(figure: Figure) -> str:
    """The markdown block of one figure."""
    lines = [f"### {figure.label} (`{figure.id}`)", "", figure.definition, ""]
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
        rows.append(f"| `{f.name}` | {SETTING_WORDS.get(f.name, '')} | {_format_default(f.name)} |")
    return "\n".join(rows) + "\n"


def _format_default(name: str) -> str:
    """The code default of a setting, formatted without trailing zeros."""
    from metrics.settings import _DEFAULTS

    value = _DEFAULTS[name]
    return f"{value:g}"


def methodology_markdown() -> str:
    """The whole methodology document as markdown (deterministic: same registry, same text)."""
    parts = [INTRO]
    for group, heading in GROUPS.items():
        figures = [f for f in FIGURES.values() if f.group == group]
        if not figures:
            continue
        parts.append(f"## {heading}\n")
        parts.extend(_figure_section(f) for f in figures)
    parts.append("## Configurable values\n")
    parts.append("Set in `workforce_lens.toml`, section `[metrics]`.\n")
    parts.append(_settings_table())
    parts.append(
        "## Sources\n\n"
        "- DfE: Department for Education, *Children's social work workforce* (Explore Education Statistics); "
        "indicator file published under the Open Government Licence v3.0.\n"
        "- CIPD: Chartered Institute of Personnel and Development, labour turnover and stability index "
        "definitions.\n"
        "- Equality Act 2010 (Specific Duties and Public Authorities) Regulations 2017: gender pay gap "
        "reporting.\n"
        "- Workforce Lens: measures defined by this project where no published definition exists.\n"
    )
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
