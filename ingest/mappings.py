"""The user's mapping: a small, plain object the page edits, the CLI builds, and the user keeps.

A `Mapping` says, for an upload, which header holds which column (or that a header is not
to be loaded), how values of categorical columns read (`Agency/Locum/Interim` → agency), which
assumptions the user accepts (everyone permanent, FTE from contracted hours, ...) and which
table a sheet is. It holds headers, value spellings and choices, never a row of data.

It belongs to the user: the Data page offers it as a download (TOML or JSON) to load again
next month, and `python -m ingest check --mapping FILE` reads the same file. Nothing is
written to the server's disk, unless an administrator turns on the server-side mapping
library (`[ingest] mapping_library = true` in workforce_lens.toml): then `remember` keeps the
header choices for each set of headers and `recall` finds them again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import settings as app_settings
from ingest.schema import TABLES
from ingest.synonyms import derived_columns, norm_header, norm_value

VERSION = 1
NOT_LOADED = ""
"""The column a header maps to when the user says it is not to be loaded."""
NOT_LOADED_WORDS = frozenset({"", "ignore", "(ignore)", "(ignore this column)", "none", "(not loaded)", "not loaded"})

ASSUME_KEYS: dict[str, str] = {
    "worker_type": "permanent — everyone in the extract is a permanent employee",
    "fte": "1.0 (everyone full time) or hours (FTE = contracted weekly hours ÷ standard_hours)",
    "standard_hours": "hours in a full-time week, for FTE from hours and annual pay from hourly pay (default 37)",
    "start_date": "years — start date = extract_date − years of service (approximate)",
    "annual_salary": "monthly (monthly pay × 12) or hourly (employees' hourly pay × standard_hours × 52)",
    "leavers": "status — people a status column marks as left are leavers (reason from the status)",
    "extract_date": "the date the extract was taken, YYYY-MM-DD (default: the latest date in the file, else today)",
    "add_up": "yes or no — add up summary rows that share an area and period (a breakdown file)",
}
"""Every assumption key a mapping may hold, and the values it takes (for `--help` and errors)."""


class MappingError(ValueError):
    """A mapping (file, flag or choice) that cannot be used, with a message saying what to write instead."""


def known_columns() -> list[str]:
    """Every column a header may be mapped to: canonical columns of every table, then derivation sources."""
    names: list[str] = []
    for table in TABLES.values():
        names += [c for c in table.column_names if c not in names]
    for table in TABLES:
        names += [c for c in derived_columns(table) if c not in names]
    return names


@dataclass
class Mapping:
    """Header → column choices, value spellings, accepted assumptions and sheet → table choices."""

    columns: dict[str, str] = field(default_factory=dict)
    """Header as the file writes it → column ('' = do not load this header)."""
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    """Column → {value as the file writes it → the value it means}."""
    assume: dict[str, str] = field(default_factory=dict)
    """Assumption key (ASSUME_KEYS) → the option accepted."""
    tables: dict[str, str] = field(default_factory=dict)
    """Sheet name (file name for a CSV) → table ('' = skip the sheet)."""

    # -- reading the choices ----------------------------------------------------------------

    def column_keys(self) -> dict[str, str]:
        """The column choices keyed by normalised header (what matching compares)."""
        return {norm_header(h): ("" if str(c).strip().lower() in NOT_LOADED_WORDS else str(c))
                for h, c in self.columns.items()}

    def value_keys(self) -> dict[str, dict[str, str]]:
        """The value maps keyed by normalised value."""
        return {column: {norm_value(v): str(t) for v, t in spellings.items()} for column, spellings in self.values.items()}

    def table_for(self, sheet: str | None, file: str) -> str | None:
        """The table the user said a sheet is ('' = skip), or None when they did not say."""
        for name in (sheet, file, Path(file).stem):
            if name is not None and name in self.tables:
                return self.tables[name]
        return None

    @property
    def is_empty(self) -> bool:
        """True when the mapping says nothing."""
        return not (self.columns or self.values or self.assume or self.tables)

    # -- changing it (each returns a new Mapping; the old one is left as it was) -------------

    def copy(self) -> Mapping:
        """A deep copy."""
        return Mapping(dict(self.columns), {k: dict(v) for k, v in self.values.items()}, dict(self.assume),
                       dict(self.tables))

    def with_column(self, header: str, column: str | None) -> Mapping:
        """This mapping with `header` mapped to `column` ('' = not loaded; None = back to automatic)."""
        out = self.copy()
        for existing in [h for h in out.columns if norm_header(h) == norm_header(header)]:
            del out.columns[existing]
        if column is not None:
            out.columns[header] = column
        return out

    def with_value(self, column: str, value: str, meaning: str | None) -> Mapping:
        """This mapping with `value` of `column` read as `meaning` (None = back to automatic)."""
        out = self.copy()
        spellings = out.values.setdefault(column, {})
        for existing in [v for v in spellings if norm_value(v) == norm_value(value)]:
            del spellings[existing]
        if meaning is not None:
            spellings[value] = meaning
        if not spellings:
            del out.values[column]
        return out

    def with_assumption(self, key: str, option: str | None) -> Mapping:
        """This mapping with assumption `key` set to `option` (None = not assumed)."""
        out = self.copy()
        out.assume.pop(key, None)
        if option is not None and option != "":
            out.assume[key] = str(option)
        return out

    def with_table(self, sheet: str, table: str | None) -> Mapping:
        """This mapping with `sheet` read as `table` ('' = skip; None = recognise it automatically)."""
        out = self.copy()
        out.tables.pop(sheet, None)
        if table is not None:
            out.tables[sheet] = table
        return out

    def merged(self, other: Mapping) -> Mapping:
        """This mapping with `other`'s choices on top."""
        out = self.copy()
        for header, column in other.columns.items():
            out = out.with_column(header, column)
        for column, spellings in other.values.items():
            for value, meaning in spellings.items():
                out = out.with_value(column, value, meaning)
        out.assume.update(other.assume)
        out.tables.update(other.tables)
        return out

    # -- files --------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The mapping as plain data (what TOML and JSON hold)."""
        data: dict[str, Any] = {"workforce_lens_mapping": VERSION}
        if self.columns:
            data["columns"] = dict(self.columns)
        if self.values:
            data["values"] = {k: dict(v) for k, v in self.values.items()}
        if self.assume:
            data["assume"] = dict(self.assume)
        if self.tables:
            data["tables"] = dict(self.tables)
        return data

    def to_json(self) -> str:
        """JSON text (UTF-8, readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"

    def to_toml(self) -> str:
        """TOML text, with a comment saying what it is."""
        import tomli_w

        head = ("# Workforce Lens column mapping: which header holds which column, how values read, and the\n"
                "# assumptions you accepted. Headers and choices only, no data. Load it on the Data page, or\n"
                "# with `python -m ingest check FILE --mapping this.toml`. A column of \"\" means: do not load.\n")
        return head + tomli_w.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mapping:
        """A Mapping from plain data (as `to_dict` writes it); MappingError when it is not one."""
        if not isinstance(data, dict):
            raise MappingError("This is not a Workforce Lens mapping file.")
        unknown = set(data) - {"workforce_lens_mapping", "columns", "values", "assume", "tables"}
        if unknown and not ({"columns", "values", "assume", "tables"} & set(data)):
            raise MappingError("This is not a Workforce Lens mapping file (it has none of the sections "
                               "columns, values, assume or tables).")
        mapping = cls()
        for header, column in _section(data, "columns").items():
            mapping.columns[str(header)] = check_column(str(column))
        for column, spellings in _section(data, "values").items():
            if not isinstance(spellings, dict):
                raise MappingError(f"values.{column} should list 'value = meaning' pairs.")
            mapping.values[check_column(str(column), allow_blank=False)] = {str(k): str(v) for k, v in spellings.items()}
        for key, option in _section(data, "assume").items():
            mapping.assume[check_assumption(str(key))] = str(option)
        for sheet, table in _section(data, "tables").items():
            if table and table not in TABLES:
                raise MappingError(f"tables.{sheet} = '{table}' is not a table: choose from {', '.join(TABLES)}.")
            mapping.tables[str(sheet)] = str(table)
        return mapping

    @classmethod
    def from_text(cls, text: str | bytes, name: str = "mapping") -> Mapping:
        """Read a mapping file's text: JSON when it looks like JSON, else TOML. MappingError when unreadable."""
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise MappingError(f"{name} is not a text file, so it is not a mapping.") from exc
        stripped = text.lstrip()
        try:
            data = json.loads(text) if stripped.startswith("{") else tomllib.loads(text)
        except (ValueError, tomllib.TOMLDecodeError) as exc:
            raise MappingError(f"{name} could not be read as a mapping (TOML or JSON): {exc}.") from exc
        return cls.from_dict(data)

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> Mapping:
        """A mapping file from disk (the CLI's --mapping)."""
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise MappingError(f"The mapping file {path} could not be opened.") from exc
        return cls.from_text(data, Path(path).name)

    @classmethod
    def coerce(cls, mapping: Mapping | dict[str, str] | None) -> Mapping:
        """A Mapping from what `ingest.load(mapping=...)` accepts: a Mapping, a header → column dict, or None."""
        if mapping is None:
            return cls()
        if isinstance(mapping, Mapping):
            return mapping
        return cls(columns={str(k): ("" if str(v or "").strip().lower() in NOT_LOADED_WORDS else str(v))
                            for k, v in mapping.items()})


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise MappingError(f"The '{name}' section of the mapping should be a table of pairs.")
    return value


def check_column(column: str, allow_blank: bool = True) -> str:
    """`column` when it is one Workforce Lens knows ('' allowed: not loaded); MappingError naming the choices."""
    column = column.strip()
    if column.lower() in NOT_LOADED_WORDS and allow_blank:
        return NOT_LOADED
    if column in known_columns():
        return column
    raise MappingError(f"'{column}' is not a column Workforce Lens knows. Choose from: {', '.join(known_columns())} "
                       "(or leave it empty to not load the header).")


def check_assumption(key: str) -> str:
    """`key` when it is an assumption a mapping may hold; MappingError naming them otherwise."""
    key = key.strip()
    if key in ASSUME_KEYS:
        return key
    raise MappingError(f"'{key}' is not an assumption Workforce Lens knows. Choose from: "
                       + "; ".join(f"{k} ({v})" for k, v in ASSUME_KEYS.items()) + ".")


# ---------------------------------------------------------------------------------------------
# Command-line flags
# ---------------------------------------------------------------------------------------------


def parse_map(text: str) -> tuple[str, str]:
    """--map "HEADER=column" → (header, column); an empty column means 'do not load this header'."""
    header, sep, column = text.rpartition("=")
    if not sep or not header.strip():
        raise MappingError(f"--map '{text}' should look like \"HEADER=column\", e.g. \"DateofHire=start_date\" "
                           "(or \"HEADER=\" to not load a header).")
    return header.strip(), check_column(column)


def parse_map_value(text: str) -> tuple[str, str, str]:
    """--map-value "column:VALUE=meaning" → (column, value, meaning)."""
    column, sep, rest = text.partition(":")
    value, eq, meaning = rest.rpartition("=")
    if not sep or not eq or not value.strip() or not meaning.strip():
        raise MappingError(f"--map-value '{text}' should look like \"column:VALUE=meaning\", e.g. "
                           "\"worker_type:Agency/Locum/Interim=agency\".")
    return check_column(column, allow_blank=False), value.strip(), meaning.strip()


def parse_assume(text: str) -> tuple[str, str]:
    """--assume key=value → (key, value)."""
    key, sep, value = text.partition("=")
    if not sep or not value.strip():
        raise MappingError(f"--assume '{text}' should look like key=value, e.g. worker_type=permanent or fte=1.0.")
    return check_assumption(key), value.strip()


def from_flags(maps: Iterable[str] = (), map_values: Iterable[str] = (), assumes: Iterable[str] = (),
               mapping_file: str | None = None) -> Mapping:
    """The mapping the CLI flags describe: --mapping FILE first, then each --map, --map-value and --assume."""
    mapping = Mapping.read(mapping_file) if mapping_file else Mapping()
    for text in maps:
        mapping = mapping.with_column(*parse_map(text))
    for text in map_values:
        mapping = mapping.with_value(*parse_map_value(text))
    for text in assumes:
        mapping = mapping.with_assumption(*parse_assume(text))
    return mapping


# ---------------------------------------------------------------------------------------------
# The server-side library (off unless an administrator turns it on)
# ---------------------------------------------------------------------------------------------


def library_enabled() -> bool:
    """True when workforce_lens.toml [ingest] mapping_library is true (default false: nothing on disk)."""
    return bool(app_settings.section("ingest").get("mapping_library", False))


def store_path() -> Path:
    """Where the library is kept when it is on (`WORKFORCE_LENS_MAPPINGS`, else ~/.workforce_lens/mappings.json)."""
    default = Path.home() / ".workforce_lens" / "mappings.json"
    return Path(os.environ.get("WORKFORCE_LENS_MAPPINGS", str(default)))


def header_key(headers: Iterable[str]) -> str:
    """A stable key for a set of headers: order, case and punctuation do not matter."""
    normalised = sorted({norm_header(h) for h in headers if str(h).strip()})
    return hashlib.sha256("\x1f".join(normalised).encode()).hexdigest()[:24]


def _read() -> dict[str, dict[str, str]]:
    """The whole library ({} when off, missing or unreadable)."""
    if not library_enabled():
        return {}
    try:
        data = json.loads(store_path().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def recall(headers: Iterable[str]) -> dict[str, str]:
    """The header → column choices the library holds for exactly this header set ({} if none, or the library is off)."""
    found = _read().get(header_key(list(headers)), {})
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def remember(headers: Iterable[str], mapping: dict[str, str]) -> bool:
    """Keep `mapping` (header → column) for this header set in the library; True when it was written.

    Does nothing (False) unless the library is on. Written atomically; never raises.
    """
    headers = list(headers)
    if not mapping or not library_enabled():
        return False
    try:
        store = _read()
        store[header_key(headers)] = {str(k): str(v) for k, v in mapping.items()}
        path = store_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".mappings-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(store, handle, indent=1, sort_keys=True)
        os.replace(tmp, path)
        return True
    except OSError:
        return False
