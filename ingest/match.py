"""Matching a sheet's headers to canonical columns, each match with the reason it was made.

Nothing here keeps a header or a value between calls (no process-wide cache of what a user
uploaded): only the index of our own spellings is built once.

Headers from real exports rarely use our names: `DateofHire`, `EmpID`, `Annual Salary (FTE)`,
`Salary £`, `TermReason`. A header is compared in stages, and the first stage that finds a
column decides (each stage is named in the match, so the user sees why):

1. **your mapping** — the user's own choice (or "not loaded") always wins;
2. **canonical name** / **exact synonym** — the header, reduced to letters and digits, is the
   column's name or one of its synonyms in `synonyms.toml`;
3. **normalised** — brackets and units dropped, camelCase and joined words split
   (`DateofHire` → "date of hire"), abbreviations expanded (`Emp` → employee), then the same
   words in the same order, or the same words in any order ("date of hire" = "hire date");
4. **fuzzy** — rapidfuzz's token-sort ratio against every synonym, at or above
   `FUZZY_CUTOFF` (typos, plurals);
5. **value check** — a header nothing matched, whose values are clearly worker types,
   employment statuses or genders.

Values decide too: a header matched by stages 2–4 is not auto-matched when most of its values
fail the column's type or vocabulary (status words are not worker types; numbers 1–40 are not
dates; £2,500 a month is not an annual salary). It is offered instead, with the reason, and with
the column its values do fit when there is one. Only the canonical name itself and the user's
own choice are taken without that check (the per-row validation still reports bad cells).

No Streamlit here: the page and the CLI show the same matches.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz, process

from ingest.schema import TABLES
from ingest.synonyms import (
    abbreviations,
    column_lookup,
    derived_columns,
    derived_lookup,
    ignored_headers,
    norm_header,
    norm_value,
    raw,
    status_yes_headers,
    stopwords,
    value_lookup,
)

FUZZY_CUTOFF = 92.0
"""Lowest rapidfuzz token-sort ratio (0–100) taken as a fuzzy match."""
SAMPLE_ROWS = 2000
"""Rows (evenly spaced through the sheet) whose values are looked at to check a match."""
MOST = 0.5
"""A match is refused when more than this share of the sampled values fail the column."""
PRE_1950_SERIAL = 18264
"""Excel serial number of 1 January 1950: a number below it in a date column is not a date."""

HOW_USER = "your mapping"
HOW_CANONICAL = "canonical name"
HOW_EXACT = "exact synonym"
HOW_NORMALISED = "normalised"
HOW_FUZZY = "fuzzy"
HOW_VALUES = "value check"
HOW_IGNORED = "not loaded on purpose"
HOW_UNSET = "not loaded: your mapping"
HOW_NONE = "not matched"
HOW_REFUSED = "not matched: values"
HOW_TAKEN = "not matched: column taken"
HOW_BREAKDOWN = "breakdown column"
LEVEL = {HOW_USER: 0, HOW_CANONICAL: 1, HOW_EXACT: 2, HOW_NORMALISED: 3, HOW_FUZZY: 4, HOW_VALUES: 5}

ID_WORDS = frozenset({"id", "code", "number", "key", "reference"})

DERIVED_LABELS: dict[str, str] = {
    "employment_status": "employment status (in post or left)",
    "monthly_pay": "monthly pay",
    "contracted_hours": "contracted weekly hours",
    "years_of_service": "years of service",
}
"""Words for the derivation source columns (ingest.derive), which are not canonical columns."""

DATE_COLUMNS = frozenset(c.name for t in TABLES.values() for c in t.columns if c.type == "date")
NUMBER_KINDS = ("number", "integer")


# ---------------------------------------------------------------------------------------------
# Header words
# ---------------------------------------------------------------------------------------------

_BRACKETS = re.compile(r"[\(\[\{][^\)\]\}]*[\)\]\}]")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_SPLIT = re.compile(r"[^0-9a-z]+")


@cache
def vocabulary() -> frozenset[str]:
    """Every word used in a canonical name, synonym or abbreviation: what joined words are split into."""
    words: set[str] = set()
    columns = raw().get("columns", {})
    texts: list[str] = []
    for section in columns.values():
        for column, spellings in section.items():
            texts.append(column)
            texts.extend(spellings)
    for section in raw().get("derived", {}).values():
        for column, spellings in section.items():
            texts.append(column)
            texts.extend(spellings)
    for table in TABLES.values():
        texts.extend(table.column_names)
    texts.extend(abbreviations().values())
    for text in texts:
        words.update(w for w in _SPLIT.split(str(text).lower()) if w)
    words.update(abbreviations())
    words.update({"of", "at", "in", "for", "the", "to", "on", "by", "per", "and", "company", "hire", "term"})
    return frozenset(w for w in words if len(w) >= 2 or w in {"a"})


def _segment(word: str) -> tuple[str, ...]:
    """A joined word split into known words ('dateofhire' → date, of, hire), or the word itself.

    Fewest pieces wins; every piece must be a known word.
    """
    known = vocabulary()
    if word in known or len(word) < 5 or word.isdigit():
        return (word,)
    best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
    best[0] = ()
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 20), end):
            piece = word[start:end]
            if best[start] is not None and piece in known:
                option = (*best[start], piece)
                if best[end] is None or len(option) < len(best[end]):
                    best[end] = option
    return best[-1] if best[-1] else (word,)


def header_words(header: str, keep_brackets: bool = False) -> tuple[str, ...]:
    """The words of a header as matching sees them: brackets and units dropped, camelCase and joined
    words split, abbreviations expanded, lower case. 'Annual Salary (FTE)' → annual, salary;
    'DateofHire' → date, of, hire; 'EmpID' → employee, id."""
    text = str(header)
    if not keep_brackets:
        text = _BRACKETS.sub(" ", text)
    text = text.replace("&", " and ").replace("£", " ").replace("$", " ").replace("€", " ").replace("%", " percent ")
    text = _CAMEL.sub(" ", text).lower()
    out: list[str] = []
    expand = abbreviations()
    for raw_word in _SPLIT.split(text):
        if not raw_word:
            continue
        for word in _segment(raw_word):
            out.extend(expand.get(word, word).split())
    return tuple(out)


def header_phrase(header: str) -> str:
    """The header's words joined: 'date of hire'."""
    return " ".join(header_words(header))


def header_bag(header: str) -> str:
    """The header's meaningful words in alphabetical order: 'date hire' (for 'any order' matches)."""
    stop = stopwords()
    return " ".join(sorted({w for w in header_words(header) if w not in stop}))


# ---------------------------------------------------------------------------------------------
# Index of spellings per table
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spelling:
    """One way of writing a column: its canonical (or derivation source) column, priority and text."""

    column: str
    priority: int
    text: str


@dataclass
class Index:
    """A table's spellings, looked up exactly, by normalised phrase, by word bag, and fuzzily."""

    exact: dict[str, Spelling]
    phrase: dict[str, Spelling]
    bag: dict[str, Spelling]
    fuzzy_keys: list[str]
    fuzzy_spellings: list[Spelling]
    derived_exact: dict[str, Spelling] = field(default_factory=dict)
    """Exact spellings of the derivation source columns (some are also another column's spelling)."""


@cache
def index(table: str) -> Index:
    """Every spelling of `table`'s columns (and, for staff, of the derivation source columns)."""
    exact: dict[str, Spelling] = {}
    spellings: list[Spelling] = []
    texts = {c: [c] for c in TABLES[table].column_names}
    data = raw()["columns"]
    for column, words in data.get(table, {}).items():
        texts.setdefault(column, [column]).extend(words)
    for column, words in data.get("_common", {}).items():
        if column in TABLES[table].column_names:
            texts[column].extend(words)
    derived = raw().get("derived", {}).get(table, {})
    for column, words in derived.items():
        texts.setdefault(column, [column]).extend(words)
    originals: dict[str, str] = {}
    for words in texts.values():
        for text in words:
            originals.setdefault(norm_header(text), text)
    for key, (canonical, priority) in column_lookup(table).items():
        exact[key] = Spelling(canonical, priority, originals.get(key, key))
    derived_exact = {key: Spelling(column, 2000 + priority, originals.get(key, key))
                     for key, (column, priority) in derived_lookup(table).items()}
    for key, spelling in derived_exact.items():
        exact.setdefault(key, spelling)
    for column, words in texts.items():
        base = 0 if column in TABLES[table].column_names else 2000
        for i, text in enumerate(words):
            priority = base + (0 if i == 0 else i)
            spellings.append(Spelling(column, priority, text))
    phrase: dict[str, Spelling] = {}
    bag: dict[str, Spelling] = {}
    for spelling in sorted(spellings, key=lambda s: s.priority):
        phrase.setdefault(header_phrase(spelling.text), spelling)
        key = header_bag(spelling.text)
        if key:
            bag.setdefault(key, spelling)
    keys = list(phrase)
    return Index(exact, phrase, bag, keys, [phrase[k] for k in keys], derived_exact)


def is_derived(table: str, column: str) -> bool:
    """True for a derivation source column of `table` (e.g. staff monthly_pay)."""
    return column in derived_columns(table)


def column_words(column: str | None) -> str:
    """A column in words for messages: 'start_date', or 'monthly pay (for a derivation)'."""
    if column is None:
        return "nothing"
    if column in DERIVED_LABELS:
        return f"{column} ({DERIVED_LABELS[column]})"
    return column


# ---------------------------------------------------------------------------------------------
# Candidates from the header alone
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A column a header might be, found by one stage."""

    column: str
    how: str
    priority: int
    score: float | None
    spelling: str

    def reason(self, header: str) -> str:
        """Why, in words."""
        if self.how == HOW_CANONICAL:
            return "the header is the column's own name"
        if self.how == HOW_EXACT:
            return f"'{self.spelling}' is a known header for {self.column}"
        if self.how == HOW_NORMALISED:
            return f"read as '{header_phrase(header)}', which matches '{self.spelling}'"
        if self.how == HOW_FUZZY:
            return f"close to '{self.spelling}' (similarity {self.score:.0f}%)"
        return ""


def candidates(header: str, table: str) -> list[Candidate]:
    """Every column the header could be, best first (one per column), from the header alone."""
    idx = index(table)
    found: dict[str, Candidate] = {}

    def add(candidate: Candidate) -> None:
        if candidate.column not in found:
            found[candidate.column] = candidate

    key = norm_header(header)
    if key and key in idx.exact:
        spelling = idx.exact[key]
        canonical = key == norm_header(spelling.column) and spelling.column in TABLES[table].column_names
        add(Candidate(spelling.column, HOW_CANONICAL if canonical else HOW_EXACT, spelling.priority, None,
                      spelling.text))
    if key and key in idx.derived_exact:  # 'Employment status' is a worker type's and a status's spelling
        spelling = idx.derived_exact[key]
        add(Candidate(spelling.column, HOW_EXACT, spelling.priority, None, spelling.text))
    phrase = header_phrase(header)
    if phrase and phrase in idx.phrase:
        s = idx.phrase[phrase]
        add(Candidate(s.column, HOW_NORMALISED, s.priority, None, s.text))
    bag = header_bag(header)
    if bag and bag in idx.bag:
        s = idx.bag[bag]
        add(Candidate(s.column, HOW_NORMALISED, s.priority, None, s.text))
    if phrase and not found:
        words = set(header_words(header))
        for key_text, score, i in process.extract(phrase, idx.fuzzy_keys, scorer=fuzz.token_sort_ratio,
                                                  score_cutoff=FUZZY_CUTOFF, limit=5):
            s = idx.fuzzy_spellings[i]
            extra = (words - set(key_text.split())) & ID_WORDS
            if extra:  # 'Position ID' is not 'position': an identifier of the thing, not the thing
                continue
            add(Candidate(s.column, HOW_FUZZY, s.priority, float(score), s.text))
    order = {HOW_CANONICAL: 0, HOW_EXACT: 1, HOW_NORMALISED: 2, HOW_FUZZY: 3}
    return sorted(found.values(), key=lambda c: (order[c.how], -(c.score or 100), c.priority))


def warm() -> None:
    """Build every table's spellings now (about 0.05 s), so the first file's headers are matched at once.

    The command line calls this while its worker is still reading the file.
    """
    for table in TABLES:
        index(table)
        column_lookup(table)
        ignored_headers(table)


def quick_match(headers: Sequence[str], table: str, user: Mapping[str, str]) -> dict[str, str]:
    """Canonical column → header from the headers alone (no value checks): for recognising the table.

    `user` is the user's mapping keyed by normalised header ('' = not loaded).
    """
    names = set(TABLES[table].column_names) | {column for column, _ in column_lookup(table).values()}
    ignored = ignored_headers(table)
    best: dict[str, tuple[tuple, str]] = {}
    for position, header in enumerate(headers):
        key = norm_header(header)
        if key in user:
            target = user[key]
            if target in names:
                rank = (-1, 0, position)
                if target not in best or rank < best[target][0]:
                    best[target] = (rank, header)
            continue
        if key in ignored or header.startswith("Column "):
            continue
        found = [c for c in candidates(header, table) if c.column in names]
        if found:
            c = found[0]
            rank = (LEVEL[c.how], c.priority, position)
            if c.column not in best or rank < best[c.column][0]:
                best[c.column] = (rank, header)
    return {column: header for column, (_, header) in best.items()}


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


@dataclass
class Sample:
    """Non-blank values of one column, from rows spread through the sheet, and the most common ones."""

    values: list[str]
    common: list[tuple[str, int]] = field(default_factory=list)
    verdicts: dict = field(default_factory=dict, repr=False, compare=False)
    """check_values answers already worked out for this sample (the mapping step asks again on every change)."""

    def examples(self, n: int = 3) -> tuple[str, ...]:
        """The most common values, for messages."""
        return tuple(v for v, _ in self.common[:n])


def sample_column(array: pa.Array | pa.ChunkedArray, rows: int = SAMPLE_ROWS) -> Sample:
    """A Sample of a text column (evenly spaced rows, blanks left out)."""
    n = len(array)
    if n == 0:
        return Sample([])
    take = np.unique(np.linspace(0, n - 1, num=min(n, rows)).astype(np.int64))
    picked = array.take(pa.array(take))
    if isinstance(picked, pa.ChunkedArray):
        picked = picked.combine_chunks()
    stripped = (str(v).strip() for v in picked.drop_null().to_pylist())
    values = [v for v in stripped if v]
    common = sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0]))
    return Sample(values, common)


@dataclass(frozen=True)
class Verdict:
    """What the values say about a proposed column: fine, or not (with the reason and a better column)."""

    ok: bool
    reason: str = ""
    better: str | None = None


def _share(mask: np.ndarray) -> float:
    return float(mask.mean()) if len(mask) else 0.0


def _numbers(values: list[str]) -> np.ndarray:
    from ingest.normalise import numbers

    parsed = numbers(pa.array(values, pa.string()))
    return np.where(parsed.bad, np.nan, parsed.values)


def _quote(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def status_value(value: str, header: str) -> str | None:
    """What a status cell says ('in post', 'left (resignation)', ...), reading yes/no by the header; None if unknown."""
    key = norm_value(value)
    found = value_lookup("employment_status").get(key)
    if found is not None:
        return found
    if key in ("yes", "y", "true", "1", "no", "n", "false", "0"):
        yes = key in ("yes", "y", "true", "1")
        head = norm_header(header)
        polarity = status_yes_headers()
        if head in polarity["left"] or any(w in head for w in ("attrition", "leaver", "terminat")):
            return "left (other)" if yes else "in post"
        if head in polarity["in_post"] or "active" in head:
            return "in post" if yes else "left (other)"
    return None


def _known_share(sample: Sample, column: str, header: str, value_map: Mapping[str, str],
                 letters: bool = True) -> float:
    """Share of sampled cells an enumerated column's vocabulary (or the user's value map) recognises."""
    if not sample.values:
        return 1.0
    lookup = value_lookup(column)
    mapped = {norm_value(k) for k in value_map}
    known = 0
    for value, count in sample.common:
        key = norm_value(value)
        ok = key in mapped or (status_value(value, header) is not None if column == "employment_status"
                               else key in lookup)
        if not letters and len(key) == 1 and key not in mapped:
            ok = False  # single letters (P, A, T, M) say nothing without a header saying what they are
        known += count if ok else 0
    return known / len(sample.values)


def check_values(column: str, table: str, header: str, sample: Sample,
                 value_map: Mapping[str, str] | None = None) -> Verdict:
    """Whether `sample` fits `column` of `table` (see the module docstring); never raises. Remembered per sample."""
    key = (column, table, header, tuple(sorted((value_map or {}).items())))
    if key not in sample.verdicts:
        sample.verdicts[key] = _check_values(column, table, header, sample, value_map)
    return sample.verdicts[key]


def _check_values(column: str, table: str, header: str, sample: Sample,
                  value_map: Mapping[str, str] | None = None) -> Verdict:
    """check_values, worked out."""
    if not sample.values:
        return Verdict(True)
    value_map = value_map or {}
    examples = _quote(sample.examples())
    kind = _kind(table, column)
    if kind == "date":
        from ingest.normalise import dates
        from ingest.voice_rules import date_spelling

        values = list(sample.values)
        spelling = date_spelling(table, column)
        if spelling is not None:  # years or months this table's own rules read as dates
            values = [spelling(v) or v if isinstance(v, str) else v for v in values]
        parsed = dates(pa.array(values, pa.string()))
        numeric = _numbers(values)
        small = np.isfinite(numeric) & (numeric < PRE_1950_SERIAL)
        bad = parsed.bad | small
        if _share(bad) > MOST:
            if _share(small) > MOST:
                better = "years_of_service" if table == "staff" and np.nanmax(numeric[small]) <= 60 else None
                return Verdict(False, f"most values are small numbers ({examples}), not dates", better)
            return Verdict(False, f"most values are not dates ({examples})")
        return Verdict(True)
    if kind in NUMBER_KINDS:
        numbers_ = _numbers(sample.values)
        finite = numbers_[np.isfinite(numbers_)]
        if _share(~np.isfinite(numbers_)) > MOST:
            return Verdict(False, f"most values are not numbers ({examples})")
        if len(finite) == 0:
            return Verdict(True)
        median = float(np.median(finite))
        if table == "staff" and column == "annual_salary" and median < 5000:
            if median >= 500:
                return Verdict(False, f"values look like monthly pay (median £{median:,.0f}), not annual salaries",
                               "monthly_pay")
            return Verdict(False, f"values look like hourly pay (median £{median:,.2f}), not annual salaries",
                           "hourly_rate")
        if table == "staff" and column == "fte":
            percent_like = "percent" in norm_header(header) or float(np.mean(finite == 100)) > 0.3
            if not percent_like and 3 <= median <= 60:
                return Verdict(False, f"values look like weekly hours (median {median:g}), not FTE",
                               "contracted_hours")
        if table == "staff" and column == "years_of_service" and median > 60:
            return Verdict(False, f"values are too large for years of service (median {median:g})")
        if table == "staff" and column == "contracted_hours" and median <= 1.5:
            return Verdict(False, f"values look like FTE (median {median:g}), not hours", "fte")
        return Verdict(True)
    if column in ("worker_type", "gender", "employment_status"):
        share = _known_share(sample, column, header, value_map)
        if share < MOST:
            better = None
            if column == "worker_type" and _known_share(sample, "employment_status", header, {}) >= MOST:
                better = "employment_status"
                return Verdict(False, f"its values ({examples}) say whether people are in post or have left, "
                                      "not what kind of worker they are", better)
            words = {"worker_type": "worker types", "gender": "genders",
                     "employment_status": "employment statuses"}[column]
            return Verdict(False, f"most values ({examples}) are not {words}")
    return Verdict(True)


def _kind(table: str, column: str) -> str:
    """The column's type: from the schema, or for derivation sources from what they hold."""
    spec = TABLES[table]
    if column in spec.column_names:
        return spec.column(column).type
    return {"monthly_pay": "number", "contracted_hours": "number", "years_of_service": "number",
            "employment_status": "text"}.get(column, "text")


def by_values(table: str, header: str, sample: Sample, taken: set[str]) -> Candidate | None:
    """A column an unmatched header's values clearly are (worker type, employment status, gender), if any."""
    if table != "staff" or len(sample.common) < 2 or len(sample.values) < 2:
        return None
    for column in ("worker_type", "employment_status", "gender"):
        if column in taken:
            continue
        if _known_share(sample, column, header, {}, letters=False) >= 0.8:
            if column == "gender" and len(sample.common) > 6:
                continue
            return Candidate(column, HOW_VALUES, 0, None, "")
    return None


# ---------------------------------------------------------------------------------------------
# A whole sheet
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnMatch:
    """One header of a sheet: what it was matched to (None = not loaded), how, and why, in words."""

    header: str
    position: int
    column: str | None
    how: str
    reason: str
    score: float | None = None
    offered: str | None = None
    """A column suggested but not taken automatically (its values argue against, or it was taken)."""
    examples: tuple[str, ...] = ()

    @property
    def matched(self) -> bool:
        """True when the column will be loaded."""
        return self.column is not None

    def describe(self) -> str:
        """'DateofHire → start_date (exact synonym: ...)', or 'Termd: not loaded: your mapping — you chose ...'."""
        if not self.column:
            text = f"{self.header}: {self.how}" + (f" — {self.reason}" if self.reason else "")
            return text + (f"; could be {column_words(self.offered)}" if self.offered else "")
        how = f"{self.how} {self.score:.0f}%" if self.score is not None and self.how == HOW_FUZZY else self.how
        return f"{self.header} → {column_words(self.column)} ({how}" + (f": {self.reason})" if self.reason else ")")


def match_sheet(headers: Sequence[str], samples: Sequence[Sample], table: str,
                user: Mapping[str, str], value_maps: Mapping[str, Mapping[str, str]] | None = None
                ) -> list[ColumnMatch]:
    """Every header of a sheet matched for `table` (see the module docstring), in sheet order.

    `user`: the user's mapping keyed by normalised header (target '' = not loaded).
    """
    value_maps = value_maps or {}
    names = set(TABLES[table].column_names) | set(derived_columns(table))
    names |= {column for column, _ in column_lookup(table).values()}  # helper columns such as summary _country
    ignored = ignored_headers(table)
    why_ignored = ("names, dates of birth and contact details are never loaded" if table == "staff" else
                   "understood, but not a column Workforce Lens uses (it works the figure out itself)")
    proposals: list[tuple[int, Candidate | None, ColumnMatch | None]] = []
    for position, header in enumerate(headers):
        sample = samples[position] if position < len(samples) else Sample([])
        key = norm_header(header)
        if key in user:
            target = user[key]
            if not target:
                proposals.append((position, None, ColumnMatch(header, position, None, HOW_UNSET,
                                                              "you chose not to load it", examples=sample.examples())))
                continue
            if target in names:
                proposals.append((position, Candidate(target, HOW_USER, -1, None, target), None))
                continue
        if key in ignored:
            proposals.append((position, None, ColumnMatch(header, position, None, HOW_IGNORED, why_ignored)))
            continue
        if header.startswith("Column ") and not sample.values:
            proposals.append((position, None, ColumnMatch(header, position, None, HOW_NONE, "blank header and no values")))
            continue
        found = [c for c in candidates(header, table) if c.column in names]
        chosen: Candidate | None = None
        refusal: tuple[Candidate, Verdict] | None = None
        for candidate in found:
            if candidate.how == HOW_CANONICAL and candidate.column in TABLES[table].column_names:
                chosen = candidate
                break
            verdict = check_values(candidate.column, table, header, sample, value_maps.get(candidate.column))
            if verdict.ok:
                chosen = candidate
                break
            if refusal is None:
                refusal = (candidate, verdict)  # offered, never taken on the values alone
        if chosen is not None:
            proposals.append((position, chosen, None))
        elif refusal is not None:
            candidate, verdict = refusal
            proposals.append((position, None, ColumnMatch(
                header, position, None, HOW_REFUSED,
                f"looks like {candidate.column} by its header, but {verdict.reason}",
                offered=verdict.better or candidate.column, examples=sample.examples())))
        else:
            proposals.append((position, None, None))
    taken: dict[str, tuple[tuple, int]] = {}
    for position, candidate, _ in proposals:
        if candidate is None:
            continue
        rank = (LEVEL[candidate.how], -(candidate.score or 100), candidate.priority, position)
        if candidate.column not in taken or rank < taken[candidate.column][0]:
            taken[candidate.column] = (rank, position)
    winners = {position: column for column, (_, position) in taken.items()}
    matches: list[ColumnMatch] = []
    for position, candidate, fixed in proposals:
        header = headers[position]
        sample = samples[position] if position < len(samples) else Sample([])
        if fixed is not None:
            matches.append(fixed)
        elif candidate is not None and winners.get(position) == candidate.column:
            reason = "you chose it" if candidate.how == HOW_USER else candidate.reason(header)
            if candidate.how == HOW_VALUES:
                reason = f"its values ({_quote(sample.examples())}) are {column_words(candidate.column)} values"
            matches.append(ColumnMatch(header, position, candidate.column, candidate.how, reason, candidate.score,
                                       examples=sample.examples()))
        elif candidate is not None:
            first = headers[taken[candidate.column][1]]
            matches.append(ColumnMatch(header, position, None, HOW_TAKEN,
                                       f"also looks like {candidate.column}, which '{first}' was matched to",
                                       offered=candidate.column, examples=sample.examples()))
        else:
            matches.append(ColumnMatch(header, position, None, HOW_NONE, "no column has a header like it",
                                       examples=sample.examples()))
    used = {m.column for m in matches if m.column}
    for i, m in enumerate(matches):
        if m.how != HOW_NONE:
            continue
        sample = samples[m.position] if m.position < len(samples) else Sample([])
        found = by_values(table, m.header, sample, used)
        if found is not None:
            used.add(found.column)
            matches[i] = ColumnMatch(m.header, m.position, found.column, HOW_VALUES,
                                     f"its values ({_quote(sample.examples())}) are {column_words(found.column)} "
                                     "values", examples=sample.examples())
    return matches


def matched_columns(matches: Iterable[ColumnMatch]) -> dict[str, str]:
    """Column → header of the matches that load."""
    return {m.column: m.header for m in matches if m.column}


def text_array(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A column as one contiguous string array."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array if pa.types.is_string(array.type) else pc.cast(array, pa.string())
