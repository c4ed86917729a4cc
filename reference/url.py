"""Reading the compare page's URL keys: `la` (the council) and `compare` (up to five more authorities).

Pure functions, so the page stays placement only and the rules are testable:
an unknown `la` gives a notice and falls back to the configured default,
never an error.
"""

from __future__ import annotations

from reference.benchmarks import MAX_EXTRA, default_la, resolve


def choose_la(raw: str | None, default: str | None = None) -> tuple[str | None, str | None]:
    """The authority a page shows for URL value `raw`, and a notice when `raw` was not recognised.

    Falls back to `default` (or [reference] default_la) when `raw` is empty or unknown.
    """
    fallback = resolve(default) if default else default_la()
    if raw is None or not str(raw).strip():
        return fallback, None
    la = resolve(str(raw))
    if la is not None:
        return la, None
    notice = f"'{raw}' is not a local authority in the DfE figures"
    notice += f", so {fallback} is shown instead." if fallback else ". Choose one from the list."
    return fallback, notice


def parse_compare(raw: str | list[str] | None, la: str | None = None) -> tuple[list[str], list[str]]:
    """Authorities named in URL value `raw` (comma-separated) resolved, up to five, and the names not recognised."""
    if raw is None:
        return [], []
    tokens = [t.strip() for t in (raw if isinstance(raw, list) else str(raw).split(","))]
    found: list[str] = []
    unknown: list[str] = []
    i = 0
    while i < len(tokens):
        item = tokens[i]
        # Names such as "Bristol, City of" contain a comma: join with the next token when that names an authority.
        if i + 1 < len(tokens) and resolve(f"{item}, {tokens[i + 1]}") is not None:
            item = f"{item}, {tokens[i + 1]}"
            i += 1
        i += 1
        if not item:
            continue
        name = resolve(item)
        if name is None:
            unknown.append(item)
        elif name != la and name not in found:
            found.append(name)
    return found[:MAX_EXTRA], unknown


def compare_value(names: list[str]) -> str:
    """The `compare` URL value for a list of authorities."""
    return ",".join(names[:MAX_EXTRA])


LINES: dict[str, tuple[str, ...]] = {
    "England": ("england",),
    "Region": ("region",),
    "Statistical neighbours (median)": ("neighbours",),
    "Other authorities": ("extra",),
    "Predecessor / successor": ("predecessor", "successor"),
}
"""The compare page's line switches, in words, and the series roles each one shows."""


def line_roles(shown: list[str]) -> list[str]:
    """The series roles drawn for the line switches that are on (unknown switches ignored)."""
    return [role for name in shown for role in LINES.get(name, ())]
