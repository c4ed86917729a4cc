"""Typing and validating one recognised sheet, a whole column at a time.

Every rule of DATA.md is a vectorised mask over the sheet's rows; Problem
objects are built only for the rows that fail (the first EXAMPLE_LIMIT of each
kind listed one by one, the rest counted in one closing entry).

What happens to a row with a problem:

* **Set aside (error)** — the problem is in a column the figures cannot do
  without: a required column (blank or unreadable), `worker_type` not
  recognised, `fte` not a number / ≤ 0 / > 1.5 (37 "looks like hours"),
  `start_date` or `end_date` unreadable, `end_date` before `start_date`, and
  (checked across all staff sheets) a repeated `worker_id` + `start_date`.
* **Loaded with a warning** — `start_date` in the future (an accepted offer is a
  real record; figures count it from its start date, so it is not in post yet),
  and optional columns with an unreadable or negative value: that cell is left
  blank, the rest of the row loads. Unknown leaving reasons load as `other`,
  unknown genders as `not known` (warned).
* **Info** — how the input was read: dates taken day-first, percentages turned
  into fractions, merged cells filled down, decimal commas.

Plausibility (each named with its sheet, row, column and counted): dates before 1950 or
numbers in a date column are refused, as are start dates more than a year ahead (a planned
leaving date more than a year ahead is read as still in post, with a warning); impossible
calendar dates (2023-02-29) are refused, never rolled on; annual salaries below £5,000 or above
£500,000 (monthly or hourly pay in the salary column) and absurd numbers (1e300) are blanked
with a warning, or set the row aside in a required column; summary rates outside 0–100% are
blanked, and a turnover over 100% worked out from a summary's counts is flagged.

The user's value maps (Mapping.values) are applied as values are read, and derivations the user
accepted (ingest.derive) are worked out before any rule runs, so derived values meet the same rules.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest import normalise, voice_rules
from ingest.config import EXAMPLE_LIMIT
from ingest.model import Problem, Severity
from ingest.schema import SUMMARY_NUMBERS, TABLES, VOICE_TABLES
from ingest.synonyms import fallbacks, norm_header, norm_value, percent_columns, percent_headers

FTE_MAX = 1.5
HOURS_LIKELY = (3.0, 100.0)
"""An fte in this range is read as weekly hours typed into the FTE column."""
EARLIEST = dt.date(1950, 1, 1)
"""Dates before this are refused: no one in post started before it (usually a number read as a date)."""
AHEAD_DAYS = 366
"""Dates more than this many days after today are refused (start) or read as planned (end)."""
SALARY_RANGE = (5_000.0, 500_000.0)
"""A plausible full-time annual salary, in pounds."""
HOURLY_RANGE = (5.0, 1_000.0)
"""A plausible hourly rate, in pounds."""
ABSURD = 1e9
SHARED_LIMIT = 96
"""Parsed columns kept per read sheet for the mapping step (oldest dropped first)."""
"""No workforce number is this large: a bigger one is a typing or export fault."""


@dataclass
class SheetData:
    """One recognised sheet on its way to a canonical table."""

    file: str
    sheet: str | None
    table: str
    columns: dict[str, pa.Array]
    """Canonical column → its raw text cells."""
    headers: dict[str, str]
    """Canonical column → the header the user wrote."""
    rows: np.ndarray
    """Excel row (or CSV line) number of each row."""
    problems: list[Problem] = field(default_factory=list)
    out: dict[str, pa.Array] = field(default_factory=dict)
    """Canonical column → typed values."""
    drop: np.ndarray | None = None
    """Rows set aside."""
    parsed: dict[tuple[str, str], Any] = field(default_factory=dict)
    value_maps: dict[str, dict[str, str]] = field(default_factory=dict)
    """Column → {normalised value → what it means}: the user's value maps."""
    derived: dict[str, str] = field(default_factory=dict)
    """Columns worked out by an accepted derivation → how ('÷ 37', 'approximate')."""
    notes: Any = None
    """What ingest.derive.apply did (its notes and the extract date it used)."""

    def __post_init__(self) -> None:
        self.drop = np.zeros(len(self.rows), dtype=bool)

    shared: dict | None = None
    """A parse cache that outlives this SheetData (the read sheet's): the mapping step's preview parses a
    column once, not on every change. Parsed values are never changed in place, so they can be shared."""

    def _shared_key(self, column: str, kind: str) -> tuple:
        value_map = self.value_maps.get(column) if kind in ("text", "enum") else None
        return (id(self.columns[column]), kind, column if kind == "enum" else "",
                tuple(sorted(value_map.items())) if value_map else ())

    def _from_shared(self, column: str, kind: str) -> Any:
        if self.shared is None:
            return None
        found = self.shared.get(self._shared_key(column, kind))
        return found[1] if found is not None and found[0] is self.columns[column] else None

    def _to_shared(self, column: str, kind: str, parsed: Any) -> None:
        if self.shared is None:
            return
        if len(self.shared) >= SHARED_LIMIT:
            self.shared.pop(next(iter(self.shared)))
        self.shared[self._shared_key(column, kind)] = (self.columns[column], parsed)

    def parse(self, column: str, kind: str) -> Any:
        """The column parsed as `kind` (text, enum, date, number, symbol_number), from the cache when prepared."""
        key = (column, kind)
        if key not in self.parsed:
            found = self._from_shared(column, kind)
            if found is None:
                found = _parse(kind, self.columns[column], column, self.value_maps.get(column))
                self._to_shared(column, kind, found)
            self.parsed[key] = found
        return self.parsed[key]

    def adopt(self, column: str, source: str, kind: str, parsed: Any, how: str) -> None:
        """Make `column` the derived values `parsed`, reporting problems against the `source` column's cells."""
        self.columns[column] = self.columns[source]
        self.headers[column] = self.headers.get(source, source)
        self.derived[column] = how
        if kind == "text":
            self.parsed[(column, "text")] = parsed
            if column in ("leaving_reason", "gender"):
                self.parsed[(column, "enum")] = normalise.enum(parsed, column)
        else:
            self.parsed[(column, kind)] = parsed

    def blank(self, column: str) -> np.ndarray:
        """Rows whose cell in `column` is blank."""
        return self.parse(column, "text").is_null().to_numpy(zero_copy_only=False)

    def status(self) -> list[str | None]:
        """Each row's employment status ('in post', 'left (resignation)', ...), None when blank or not recognised."""
        from ingest.match import status_value

        values = self.parse("employment_status", "text").to_pylist()
        header = self.headers.get("employment_status", "employment_status")
        own = self.value_maps.get("employment_status", {})
        cache: dict[str, str | None] = {}
        out: list[str | None] = []
        for value in values:
            if value is None:
                out.append(None)
                continue
            if value not in cache:
                cache[value] = own.get(norm_value(value)) or status_value(value, header)
            out.append(cache[value])
        return out

    def prepare(self) -> None:
        """Parse every column at once on two threads (pyarrow and numpy release the GIL); results are cached."""
        jobs = []
        for column, kind in _parse_plan(self):
            if (column, kind) in self.parsed:
                continue
            found = self._from_shared(column, kind)
            if found is not None:
                self.parsed[(column, kind)] = found
            else:
                jobs.append((column, kind))
        if sum(len(self.columns[c]) for c, _ in jobs) < 200_000:
            return
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = {key: pool.submit(_parse, key[1], self.columns[key[0]], key[0], self.value_maps.get(key[0]))
                       for key in jobs}
            for key, future in futures.items():
                self.parsed[key] = future.result()
                self._to_shared(key[0], key[1], self.parsed[key])

    def column_name(self, column: str) -> str:
        """How a problem names a column: the user's header, with the canonical name when they differ."""
        header = self.headers.get(column, column)
        if column in self.derived:
            return f"{header} ({column}, {self.derived[column]})"
        return header if norm_header(header) == norm_header(column) else f"{header} ({column})"

    def report(
        self,
        mask: np.ndarray,
        column: str | None,
        message: str,
        severity: Severity = "error",
        values: pa.Array | np.ndarray | None = None,
    ) -> int:
        """Record one problem for each row in `mask` (listing at most EXAMPLE_LIMIT); errors set the rows aside."""
        idx = np.flatnonzero(mask)
        if not len(idx):
            return 0
        if severity == "error":
            self.drop |= mask
        listed = idx[:EXAMPLE_LIMIT]
        shown = _values_at(values, listed) if values is not None else [None] * len(listed)
        name = self.column_name(column) if column else None
        for i, value in zip(listed, shown, strict=True):
            self.problems.append(Problem(self.file, self.sheet, int(self.rows[i]), name, message, severity, value))
        rest = len(idx) - len(listed)
        if rest:
            self.problems.append(Problem(self.file, self.sheet, None, name, message, severity, None, rest))
        return len(idx)

    def note(self, column: str | None, message: str, severity: Severity = "info", value: str | None = None) -> None:
        """A problem about a whole column or sheet (no row)."""
        name = self.column_name(column) if column else None
        self.problems.append(Problem(self.file, self.sheet, None, name, message, severity, value))


def _parse(kind: str, arr: pa.Array, column: str, value_map: dict[str, str] | None) -> Any:
    """One column parsed as `kind`; the user's value map applies to enumerated and text columns."""
    if kind == "text":
        return normalise.replace_values(normalise.text(arr), value_map) if value_map else normalise.text(arr)
    if kind == "enum":
        return normalise.enum(arr, column, value_map)
    if kind == "date":
        return normalise.dates(arr)
    if kind == "number":
        return normalise.numbers(arr)
    return normalise.numbers(arr, allow_symbols=True)


def _parse_plan(data: SheetData) -> list[tuple[str, str]]:
    """(column, parser) for every column `validate` will parse, so they can be parsed in parallel."""
    plan = []
    for column in TABLES[data.table].columns:
        name = column.name
        if name not in data.columns:
            continue
        if data.table == "staff" and name == "worker_type":
            plan.append((name, "enum"))
        elif data.table == "staff" and name == "fte":
            plan.append((name, "number"))
        elif data.table == "summary" and name in SUMMARY_NUMBERS:
            plan.append((name, "symbol_number"))
        elif column.type == "text":
            plan.append((name, "text"))
            if name in ("leaving_reason", "gender"):
                plan.append((name, "enum"))
        elif column.type == "date":
            plan.append((name, "date"))
        else:
            plan.append((name, "number"))
    return plan


def _values_at(values: pa.Array | np.ndarray, idx: np.ndarray) -> list[str | None]:
    """The cell values at row positions `idx`, as short text for the report."""
    if isinstance(values, np.ndarray):
        picked = values[idx]
        return [_short(v) for v in picked.tolist()]
    return [_short(v) for v in values.take(pa.array(idx)).to_pylist()]


def _short(value: object) -> str | None:
    """A cell value as short text: numbers without a trailing '.0', dates as ISO."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, np.datetime64):
        return str(value.astype("datetime64[D]"))
    return str(value)[:80]


def validate(data: SheetData, today: dt.date | None = None, assume: dict[str, str] | None = None) -> SheetData:
    """Type every column and apply the rules of the sheet's table (see module docstring).

    `assume`: the assumptions the user accepted (Mapping.assume); derivations among them are
    worked out first (ingest.derive), and their notes kept in `data.notes`.
    """
    from ingest import derive

    today = today or dt.date.today()
    if data.table == "summary":
        _summary_fallbacks(data)
    if data.table in VOICE_TABLES:
        voice_rules.prepare(data)
    data.prepare()
    data.notes = derive.apply(data, dict(assume or {}), today)
    spec = TABLES[data.table]
    for column in spec.columns:
        if column.name not in data.columns:
            continue
        if data.table == "staff" and column.name in ("worker_type", "fte"):
            continue
        if data.table == "summary" and column.name in SUMMARY_NUMBERS:
            _summary_number(data, column.name)
            continue
        _typed(data, column.name, column.type, column.required, column.minimum, column.maximum, today)
    if data.table == "staff":
        _staff_rules(data, today)
    if data.table == "targets":
        _target_rules(data)
    if data.table in VOICE_TABLES:
        voice_rules.rules(data)
    if data.table == "summary":
        _summary_rates(data)
    return data


def _required_blank(data: SheetData, column: str, values: pa.Array) -> None:
    """A required column's blank cells set their rows aside."""
    blank = values.is_null().to_numpy(zero_copy_only=False)
    data.report(blank, column, f"{column} is blank, and every row needs one.")


def _typed(data: SheetData, name: str, kind: str, required: bool, minimum: float | None, maximum: float | None,
           today: dt.date | None = None) -> None:
    """Parse one column by its schema type; unreadable cells are errors if required, else blanked with a warning."""
    today = today or dt.date.today()
    raw = data.columns[name]
    severity: Severity = "error" if required else "warning"
    consequence = "" if required else " The cell was left blank; the rest of the row loaded."
    if kind == "text":
        values = data.parse(name, "text")
        if name in ("leaving_reason", "gender"):
            parsed = data.parse(name, "enum")
            stored = "other" if name == "leaving_reason" else "not known"
            data.report(
                parsed.unknown,
                name,
                f"{name.replace('_', ' ').capitalize()} not recognised; stored as '{stored}'.",
                "warning",
                values,
            )
            values = parsed.values
        if name == "period":
            values = pc.replace_substring_regex(values, r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", r"\1")
        if required:
            _required_blank(data, name, values)
        data.out[name] = values
        return
    if kind == "date":
        _dates(data, name, required, today)
        return
    parsed = data.parse(name, "number")
    values = parsed.values.copy()
    data.report(parsed.bad, name, "Not a number." + consequence, severity, raw)
    _decimal_comma_note(data, name, parsed)
    absurd = np.isfinite(values) & (np.abs(values) >= ABSURD)
    data.report(absurd, name, "Not a plausible number (far too large): a typing or export fault." + consequence,
                severity, values)
    values[absurd] = np.nan
    low = minimum is not None and minimum >= 0
    if low:
        data.report(values < 0, name, "Negative number, which this column cannot hold." + consequence, severity, values)
        values[values < 0] = np.nan
    if maximum is not None:
        data.report(
            values > maximum, name, f"Above the largest allowed value ({maximum:g})." + consequence, severity, values
        )
        values[values > maximum] = np.nan
    if data.table == "staff" and name == "annual_salary":
        _plausible(data, name, values, SALARY_RANGE,
                   "Not a plausible full-time annual salary (below £5,000 or above £500,000): is it monthly or hourly "
                   "pay? The cell was left blank, so pay figures leave this person out.")
    if data.table == "staff" and name == "hourly_rate":
        _plausible(data, name, values, HOURLY_RANGE,
                   "Not a plausible hourly rate (below £5 or above £1,000 an hour). The cell was left blank.")
    if kind == "integer":
        fractional = np.isfinite(values) & (values != np.round(values))
        data.report(fractional, name, "Not a whole number." + consequence, severity, values)
        values[fractional] = np.nan
        mask = ~np.isfinite(values)
        data.out[name] = pa.array(np.where(mask, 0, values).astype(np.int64), pa.int64(), mask=mask)
    else:
        data.out[name] = pa.array(values, pa.float64(), from_pandas=True)
    if required:
        blank = ~np.isfinite(values) & ~parsed.bad & ~absurd
        data.report(blank, name, f"{name} is blank, and every row needs one.")


def _plausible(data: SheetData, name: str, values: np.ndarray, bounds: tuple[float, float], message: str) -> None:
    """Blank (with a warning naming each row) the values outside `bounds`."""
    low, high = bounds
    outside = np.isfinite(values) & ((values < low) | (values > high))
    data.report(outside, name, message, "warning", values)
    values[outside] = np.nan


def _decimal_comma_note(data: SheetData, name: str, parsed: normalise.Numbers) -> None:
    """Say so when numbers were written with a decimal comma (1,5 read as 1.5, not 15)."""
    if parsed.decimal_comma is not None and parsed.decimal_comma.any():
        count = int(parsed.decimal_comma.sum())
        example = next((v for v in data.columns[name].take(pa.array(np.flatnonzero(parsed.decimal_comma)[:1])).to_pylist()),
                       None)
        data.note(name, f"{count:,} value(s) are written with a decimal comma (e.g. {example}) and were read as "
                        "decimals (1,5 = 1.5).", "info", example)


def _dates(data: SheetData, name: str, required: bool, today: dt.date) -> None:
    """A date column: unreadable, pre-1950 and far-future dates refused (never rolled on), each row named."""
    raw = data.columns[name]
    parsed = data.parse(name, "date")
    _date_notes(data, name, parsed)
    consequence = "" if required else " The cell was left blank; the rest of the row loaded."
    fatal = required or name == "end_date"
    data.report(
        parsed.bad,
        name,
        "Date not recognised (or not a real calendar date, such as 29 February 2023 or 31 April). Use a real Excel "
        "date, 2024-09-30 or 30/09/2024." + consequence,
        "error" if fatal else "warning",
        raw,
    )
    values = parsed.values.copy()
    values[parsed.bad] = np.datetime64("NaT")
    early = ~np.isnat(values) & (values < np.datetime64(EARLIEST, "D"))
    where = "" if name not in data.derived else " (worked out from the file)"
    data.report(early, name, f"Date before 1950{where}: usually a number (such as years of service) read as a date, "
                "not a real date." + consequence, "error" if fatal else "warning", raw)
    values[early] = np.datetime64("NaT")
    ahead = ~np.isnat(values) & (values > np.datetime64(today + dt.timedelta(days=AHEAD_DAYS), "D"))
    if name == "end_date":
        data.report(ahead, name, "Leaving date more than a year ahead: read as a planned end, so the person counts "
                    "as in post. The cell was left blank.", "warning", raw)
    else:
        data.report(ahead, name, "Date more than a year in the future, which cannot be right." + consequence,
                    "error" if required else "warning", raw)
    values[ahead] = np.datetime64("NaT")
    if required:
        data.report(np.isnat(values) & ~parsed.bad & ~early & ~ahead, name, f"{name} is blank, and every row needs one.")
    data.out[name] = pa.array(values, pa.date32())


def _date_notes(data: SheetData, name: str, parsed: normalise.Dates) -> None:
    """State how an ambiguous or month-first date column was read (never a silent guess)."""
    if parsed.ambiguous:
        data.note(
            name,
            f"Every date in this column could be read day-first or month-first (e.g. {parsed.example}). "
            "They were read day-first (30/09/2024 = 30 September), the UK convention. If they are month-first, "
            "save the dates as real Excel dates or as 2024-09-30 and upload again.",
            "warning",
            parsed.example,
        )
    elif parsed.order == "month-first":
        data.note(
            name,
            "Dates in this column are month-first (US style: some have a month above 12 in the first place), "
            "so all were read month-first.",
            "warning",
        )


def _staff_rules(data: SheetData, today: dt.date) -> None:
    """worker_type, fte, and the date rules of the staff table."""
    if "worker_type" in data.columns:
        raw = data.columns["worker_type"]
        parsed = data.parse("worker_type", "enum")
        blank = parsed.blank
        data.report(
            parsed.unknown,
            "worker_type",
            "Worker type not recognised. Use permanent, fixed term, agency, apprentice or casual, or map the value "
            "on the Data page.",
            "error",
            raw,
        )
        data.report(blank, "worker_type", "worker_type is blank, and every row needs one.")
        data.out["worker_type"] = parsed.values
    if "fte" in data.columns:
        _fte(data)
    start = data.out.get("start_date")
    end = data.out.get("end_date")
    if start is not None:
        s = start.to_numpy(zero_copy_only=False).astype("datetime64[D]")
        future = s > np.datetime64(today, "D")
        data.report(
            future,
            "start_date",
            "Start date is in the future. The row is loaded; figures count the worker only from that date.",
            "warning",
            start,
        )
        if end is not None:
            e = end.to_numpy(zero_copy_only=False).astype("datetime64[D]")
            before = ~np.isnat(s) & ~np.isnat(e) & (e < s)
            data.report(before, "end_date", "End date is before the start date.", "error", end)


def _target_rules(data: SheetData) -> None:
    """Targets: the figure must be one a target can be set for; '12%' is stored as 0.12."""
    if "figure" in data.columns:
        parsed = data.parse("figure", "enum")
        data.report(parsed.unknown, "figure", "Not a figure a target can be set for. Use one of: "
                    + ", ".join(TABLES["targets"].column("figure").allowed) + ".", "error", data.columns["figure"])
        data.out["figure"] = parsed.values
    if "target" in data.columns and "target" in data.out:
        percent = data.parse("target", "number").percent
        values = data.out["target"].to_numpy(zero_copy_only=False).copy()
        values[percent] = values[percent] / 100
        data.out["target"] = pa.array(values, pa.float64(), from_pandas=True)


def _fte(data: SheetData) -> None:
    """FTE: a number more than 0 and at most 1.5; percentages read as such; hours recognised as hours."""
    raw = data.columns["fte"]
    parsed = data.parse("fte", "number")
    values = parsed.values.copy()
    header = norm_header(data.headers.get("fte", "fte"))
    if "fte" in data.derived:
        pass
    elif "percent" in header:
        values = values / 100.0
        data.note("fte", "FTE given as a percentage of full time; divided by 100.", "info")
    elif parsed.percent.any():
        values[parsed.percent] /= 100.0
        data.note("fte", "Some FTE values have a % sign; read as a percentage of full time.", "info")
    _decimal_comma_note(data, "fte", parsed)
    blank = ~np.isfinite(values) & ~parsed.bad
    data.report(parsed.bad, "fte", "FTE is not a number.", "error", raw)
    data.report(blank, "fte", "fte is blank, and every row needs one.")
    zero = np.isfinite(values) & (values <= 0)
    data.report(
        zero,
        "fte",
        "FTE must be more than 0 (a row with no contracted hours is not a worker in post).",
        "error",
        values,
    )
    hours = np.isfinite(values) & (values >= HOURS_LIKELY[0]) & (values <= HOURS_LIKELY[1])
    data.report(
        hours,
        "fte",
        "FTE looks like hours, not FTE: FTE is contracted hours ÷ standard weekly hours (e.g. 37 hours = 1.0, "
        "18.5 hours = 0.5) and at most 1.5.",
        "error",
        values,
    )
    above = np.isfinite(values) & (values > FTE_MAX) & ~hours
    data.report(above, "fte", "FTE is above 1.5, the most a contract can be.", "error", values)
    data.out["fte"] = pa.array(values, pa.float64(), from_pandas=True)


def _summary_fallbacks(data: SheetData) -> None:
    """Name blank summary service areas from other columns (DfE region and England rows)."""
    for column, sources in fallbacks("summary").items():
        if column not in data.columns:
            continue
        current = normalise.text(data.columns[column])
        for source in sources:
            if source in data.columns:
                current = pc.coalesce(current, normalise.text(data.columns[source]))
        data.columns[column] = current


def _summary_number(data: SheetData, name: str) -> None:
    """A summary figure: DfE symbols kept beside a NULL value (never zero); rates stored as fractions 0–1."""
    parsed = data.parse(name, "symbol_number")
    values = parsed.values.copy()
    data.report(
        parsed.bad,
        name,
        "Not a number. The cell was left blank; the rest of the row loaded.",
        "warning",
        data.columns[name],
    )
    _decimal_comma_note(data, name, parsed)
    absurd = np.isfinite(values) & (np.abs(values) >= ABSURD)
    data.report(absurd, name, "Not a plausible number (far too large). The cell was left blank.", "warning", values)
    values[absurd] = np.nan
    negative = values < 0
    data.report(
        negative, name, "Negative number, which this column cannot hold. The cell was left blank.", "warning", values
    )
    values[negative] = np.nan
    if name in percent_columns("summary"):
        header = norm_header(data.headers.get(name, name))
        finite = values[np.isfinite(values)]
        if header in percent_headers() or parsed.percent.any() or (finite > 1).any():
            values = values / 100.0
            data.note(name, "Read as a percentage (values above 1 or a % column) and stored as a fraction 0–1.", "info")
        maximum = TABLES["summary"].column(name).maximum
        if maximum is not None:
            over = np.isfinite(values) & (values > maximum)
            data.report(over, name, "A rate above 100%, which cannot be right. The cell was left blank.", "warning",
                        data.columns[name])
            values[over] = np.nan
    data.out[name] = pa.array(values, pa.float64(), from_pandas=True)
    symbols = parsed.symbols if parsed.symbols is not None else np.full(len(values), None, dtype=object)
    data.out[f"{name}_symbol"] = pa.array(symbols, pa.string())


def _summary_rates(data: SheetData) -> None:
    """Rates a summary's counts give that cannot be right (turnover over 100%) are flagged; the row still loads."""
    leavers, fte = data.out.get("leavers_fte"), data.out.get("fte")
    if leavers is None or fte is None:
        return
    lv = leavers.to_numpy(zero_copy_only=False)
    ft = fte.to_numpy(zero_copy_only=False)
    over = np.isfinite(lv) & np.isfinite(ft) & (ft > 0) & (lv > ft)
    data.report(over, "leavers_fte", "Leavers FTE is above the FTE in post, so turnover works out above 100%: "
                "check the two columns.", "warning", leavers)
