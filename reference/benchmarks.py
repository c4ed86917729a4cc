"""Benchmarks from the reference database: an authority's figures beside England, its region and its neighbours.

Every function takes an authority name as the user gives it (URL key `la`),
resolves it (case-insensitive; other spellings and the two councils of a joint
return map to the file's area), and returns tidy DataFrames for charts and
tables. Values are NULL (never zero) where the DfE cell is a symbol; the symbol
and its meaning travel beside the value. Rates are fractions 0–1.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

import settings
from ingest.symbols import symbol_meaning
from reference import reorg
from reference.figures import RefFigure, figure
from reference.store import open_reference, query

SN_SERIES = "Statistical neighbours (median)"
"""Series name of the statistical neighbours' median line."""
BANDS = ("A", "B", "C", "D")
"""Quartile bands, A = the best quarter of authorities for the figure's polarity."""
MAX_EXTRA = 5
"""Most extra authorities a chart compares against."""


class UnknownAuthority(KeyError):
    """The name given is not a local authority of the indicator file."""

    def __str__(self) -> str:
        return f"'{self.args[0]}' is not a local authority in the DfE indicator file"


@dataclass(frozen=True)
class Standing:
    """An authority's national rank for one figure and year, and its quartile band."""

    la: str
    figure: str
    year: int
    value: float | None
    symbol: str | None
    rank: int | None
    out_of: int
    band: str | None
    polarity: str

    def sentence(self) -> str:
        """The standing in words, e.g. 'Ranked 12th of 150 (band A: best quarter)'."""
        if self.rank is None:
            why = f"{self.symbol}: {symbol_meaning(self.symbol)}" if self.symbol else "no value"
            return f"Not ranked in {self.year} ({why})."
        text = f"Ranked {_ordinal(self.rank)} of {self.out_of} authorities with a value in {self.year}"
        if self.band is None:
            return text + " (largest first; no better or worse, so no quartile band)."
        order = "lowest" if self.polarity == "lower_is_better" else "highest"
        return text + f" ({order} first); quartile band {self.band} (A = best quarter, D = worst)."


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --- authorities -------------------------------------------------------------------------------------------------


_meta_cache: dict[int, dict] = {}


def _meta() -> dict:
    """Small, unchanging facts of the open reference database (areas, years), read once per database."""
    con = open_reference()
    meta = _meta_cache.get(id(con))
    if meta is None:
        las = query(
            """
            SELECT area AS la, old_la_code, new_la_code, region, sub_region, first_year, last_year,
                   last_year = (SELECT max(year) FROM indicators) AS current
            FROM areas WHERE geographic_level = 'Local authority' ORDER BY area
            """
        )
        meta = {
            "authorities": las,
            "by_name": {row["la"]: row for row in las.to_dict("records")},
            "by_key": {reorg.key(n): n for n in las["la"]},
            "years": [int(y) for y in query("SELECT DISTINCT year FROM indicators ORDER BY year")["year"]],
            "neighbours": {},
        }
        _meta_cache.clear()
        _meta_cache[id(con)] = meta
    return meta


def authorities() -> pd.DataFrame:
    """Every local authority in the indicator file: name, codes, region, first and latest year present.

    `current` is True for authorities with a return in the file's latest year
    (predecessors such as Cumbria are listed too, so their history can be seen).
    """
    return _meta()["authorities"].copy()


def resolve(name: str | None) -> str | None:
    """The indicator file's name for authority `name` (any case; aliases and joint returns mapped), or None."""
    if not isinstance(name, str) or not name.strip():
        return None
    by_key = _meta()["by_key"]
    k = reorg.key(name)
    return by_key.get(k) or reorg.ALIASES.get(k) or by_key.get(k.replace("saint ", "st. ").replace("st ", "st. "))


def _la(name: str) -> str:
    """`name` resolved, or UnknownAuthority."""
    la = resolve(name)
    if la is None:
        raise UnknownAuthority(name)
    return la


def _area(la: str) -> dict:
    """The areas row of an authority (already resolved) as a dict."""
    return _meta()["by_name"][la]


def default_la() -> str | None:
    """The authority set in workforce_lens.toml [reference] default_la, resolved (None when unset or unknown)."""
    return resolve(str(settings.section("reference").get("default_la", "") or ""))


def region_of(la: str) -> str:
    """The (nine-region) region of an authority; London boroughs give 'London'."""
    return str(_area(_la(la))["region"])


def latest_year() -> int:
    """The latest reporting year in the indicator file."""
    return _meta()["years"][-1]


def years() -> list[int]:
    """Every reporting year in the indicator file, oldest first."""
    return list(_meta()["years"])


def notes(la: str) -> list[str]:
    """Sentences to show beside an authority's figures: reorganisations, joint returns, neighbour gaps."""
    name = _la(la)
    out = reorg.notes_for(name)
    codes = query(
        """SELECT year, new_la_code FROM (SELECT DISTINCT year, new_la_code FROM indicators
           WHERE area = ? AND geographic_level = 'Local authority') ORDER BY year""",
        [name],
    )
    explained = any(name in c.before and name in c.after for c in reorg.CHANGES)
    previous = None
    for row in codes.itertuples():
        if previous is not None and row.new_la_code != previous and not explained:
            out.append(f"{name}'s LA code changed from {previous} to {row.new_la_code} in {row.year} "
                       "(a change of status or boundary); its series continues under the same name.")
        previous = row.new_la_code
    if neighbour_table(name).empty:
        out.append(f"{name} is not in the 2025 statistical neighbour model, so there is no neighbour median.")
    return out


# --- statistical neighbours --------------------------------------------------------------------------------------


def neighbour_table(la: str) -> pd.DataFrame:
    """The authority's statistical neighbours (DfE 2025 model): rank, neighbour, old LA code, closeness.

    Old LA codes are mapped to the names in the indicator file, so a neighbour
    that makes a joint return (e.g. Richmond upon Thames) appears under that
    return's name; the authority itself and repeats are dropped. A joint return
    uses the model row of the council it is reported against (the first code).
    """
    name = _la(la)
    cached = _meta()["neighbours"].get(name)
    if cached is not None:
        return cached.copy()
    table = _neighbour_table(name)
    _meta()["neighbours"][name] = table
    return table.copy()


def _neighbour_table(name: str) -> pd.DataFrame:
    """neighbour_table, uncached."""
    codes = [c.strip() for c in str(_area(name)["old_la_code"] or "").split("/") if c.strip()]
    for code in codes:
        table = query(
            """
            SELECT s.rank, coalesce(c.area, n.sn_name, s.neighbour_code) AS neighbour, s.neighbour_code AS old_la_code,
                   s.closeness
            FROM sn s
            LEFT JOIN codes c ON c.old_la_code = s.neighbour_code
            LEFT JOIN (SELECT DISTINCT la_code, sn_name FROM sn) n ON n.la_code = s.neighbour_code
            WHERE s.la_code = ? ORDER BY s.rank
            """,
            [code],
        )
        if not table.empty:
            table = table[table["neighbour"] != name].drop_duplicates("neighbour").reset_index(drop=True)
            return table
    return pd.DataFrame({"rank": [], "neighbour": [], "old_la_code": [], "closeness": []})


def neighbours(la: str) -> list[str]:
    """Names of the authority's statistical neighbours, closest first (up to 10)."""
    return neighbour_table(la)["neighbour"].tolist()


# --- series ------------------------------------------------------------------------------------------------------


def _fetch(las: Sequence[str], others: Sequence[str], measures: Sequence[str], year: int | None = None) -> pd.DataFrame:
    """One query for many areas: year, area, level ('la' or 'other'), measure, value, symbol.

    `las` are local-authority names, `others` England or region names (an LA
    and a region never share a name, but the level keeps them apart anyway).
    """
    return query(
        """
        SELECT year, area, CASE WHEN geographic_level = 'Local authority' THEN 'la' ELSE 'other' END AS level,
               measure, value, symbol
        FROM indicators
        WHERE list_contains($measures, measure) AND ($year IS NULL OR year = $year)
          AND ((geographic_level = 'Local authority' AND list_contains($las, area))
               OR (geographic_level <> 'Local authority' AND list_contains($others, area)))
        ORDER BY year
        """,
        {"measures": list(measures), "year": year, "las": list(las) or [""], "others": list(others) or [""]},
    )


def _note(symbol: object) -> str:
    """'x: unavailable' for a symbol, '' for none."""
    return f"{symbol}: {symbol_meaning(str(symbol))}" if isinstance(symbol, str) and symbol else ""


def _clean(value: object) -> float | None:
    """A cell value as float, None for NULL/NaN."""
    return None if value is None or value != value else float(value)


def _by_area(data: pd.DataFrame) -> dict[tuple[str, str], list[dict]]:
    """_fetch rows grouped by (area, level), each a list of {year, value, symbol} in year order."""
    out: dict[tuple[str, str], list[dict]] = {}
    for year, area, level, value, symbol in zip(data["year"], data["area"], data["level"], data["value"],
                                                data["symbol"], strict=True):
        out.setdefault((area, level), []).append(
            {"year": int(year), "value": _clean(value), "symbol": symbol if isinstance(symbol, str) else None})
    return out


def _rows(cells: list[dict], series: str, role: str, default_note: str = "") -> list[dict]:
    """Cells of one area as series rows (the symbol's meaning as the note, else `default_note`)."""
    return [{"year": c["year"], "series": series, "role": role, "value": c["value"], "symbol": c["symbol"],
             "note": _note(c["symbol"]) or default_note, "neighbours_used": None} for c in cells]


def _la_rows(name: str, cells: list[dict], all_years: list[int]) -> list[dict]:
    """The authority's own rows for every year of the file, with a note where it has no return."""
    area = _area(name)
    rows = _rows(cells, name, "la")
    present = {r["year"] for r in rows}
    for y in (y for y in all_years if y not in present):
        if y < area["first_year"]:
            before = [f"{b} until {c.year - 1}" for b, c in reorg.predecessors(name)]
            why = f"{name} first made a return in {area['first_year']}"
            why += f" (before: {', '.join(before)})" if before else ""
        else:
            after = [a for a, _ in reorg.successors(name)]
            why = f"{name} last made a return in {area['last_year']}"
            why += f" (replaced by {' and '.join(after)})" if after else ""
        rows.append({"year": y, "series": name, "role": "la", "value": None, "symbol": None, "note": why,
                     "neighbours_used": None})
    return sorted(rows, key=lambda r: r["year"])


def _sn_rows(names: list[str], cells: dict[tuple[str, str], list[dict]], all_years: list[int]) -> list[dict]:
    """Median of the neighbours' values per year, ignoring neighbours without a value, saying how many it used."""
    per_year: dict[int, list[float]] = {}
    for n in names:
        for c in cells.get((n, "la"), []):
            if c["value"] is not None:
                per_year.setdefault(c["year"], []).append(c["value"])
    rows = []
    for y in all_years:
        values = per_year.get(y, [])
        if values:
            note = f"median of {len(values)} of {len(names)} neighbours with a value"
        else:
            note = f"none of the {len(names)} neighbours has a value" if names else "no statistical neighbours"
        rows.append({"year": y, "series": SN_SERIES, "role": "neighbours",
                     "value": float(statistics.median(values)) if values else None, "symbol": None, "note": note,
                     "neighbours_used": len(values)})
    return rows


def series(la: str, figure_id: str, extra: Iterable[str] = ()) -> pd.DataFrame:
    """Long time series of one figure: the authority, England, its region, its neighbours' median and extras.

    Columns: year, series, role ('la', 'england', 'region', 'neighbours',
    'predecessor', 'successor', 'extra'), value (NULL when missing, never 0 in
    its place), symbol, note (the symbol's meaning, why a year is missing, or
    how many neighbours the median used), neighbours_used. A reorganised
    authority brings its predecessor's or successors' own lines, so the series
    does not silently break. Unknown extra authorities raise UnknownAuthority.
    """
    name = _la(la)
    fig = figure(figure_id)
    all_years = years()
    region = region_of(name)
    sns = neighbours(name)
    before = reorg.predecessors(name)
    after = reorg.successors(name)
    already = {name, *(b for b, _ in before), *(a for a, _ in after)}
    extras = [x for x in dict.fromkeys(_la(e) for e in extra) if x not in already][:MAX_EXTRA]
    las = [name, *sns, *(b for b, _ in before), *(a for a, _ in after), *extras]
    cells = _by_area(_fetch(las, ["England", region], [fig.dfe_column]))
    rows = _la_rows(name, cells.get((name, "la"), []), all_years)
    rows += _rows(cells.get(("England", "other"), []), "England", "england")
    rows += _rows(cells.get((region, "other"), []), region, "region")
    rows += _sn_rows(sns, cells, all_years)
    for other, change in before:
        rows += _rows(cells.get((other, "la"), []), f"{other} (until {change.year - 1})", "predecessor", change.note)
    for other, change in after:
        rows += _rows(cells.get((other, "la"), []), f"{other} (from {change.year})", "successor", change.note)
    for other in extras:
        rows += _rows(cells.get((other, "la"), []), other, "extra")
    out = pd.DataFrame(rows, columns=["year", "series", "role", "value", "symbol", "note", "neighbours_used"])
    out["value"] = out["value"].astype("float64")
    out["symbol"] = pd.Series(list(out["symbol"]), index=out.index, dtype=object)
    out["neighbours_used"] = out["neighbours_used"].astype("Int64")
    return out


# --- ranking -----------------------------------------------------------------------------------------------------


def rank_table(values: pd.DataFrame, polarity: str) -> pd.DataFrame:
    """Rank areas by `value`, best first, with competition ranking ("1224") and quartile bands A (best)–D.

    `values` has columns area, value (NULL = no value: not ranked, no band).
    Lower is better for 'lower_is_better', higher for 'higher_is_better';
    'neutral' figures are ranked largest first and get no band. The band comes
    from the rank: band = A + floor(4 × (rank − 1) ÷ n), n = areas with a value,
    so tied areas share a rank and a band.
    """
    out = values[["area", "value"]].copy()
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype(float)
    ascending = polarity == "lower_is_better"
    ranks = out["value"].rank(method="min", ascending=ascending, na_option="keep")
    out["rank"] = ranks.astype("Int64")
    n = int(out["value"].notna().sum())
    out["out_of"] = n
    if polarity == "neutral" or n == 0:
        out["band"] = pd.Series([None] * len(out), index=out.index, dtype=object)
    else:
        out["band"] = pd.Series([band_for(int(r), n, polarity) if pd.notna(r) else None for r in ranks],
                                index=out.index, dtype=object)
    return out


def _all_la_values(measures: Sequence[str], year: int) -> pd.DataFrame:
    """area, measure, value, symbol of every authority in `year` for the DfE measures."""
    return query(
        """SELECT area, measure, value, symbol FROM indicators
           WHERE geographic_level = 'Local authority' AND list_contains(?, measure) AND year = ?""",
        [list(measures), year],
    )


def _standing(name: str, fig: RefFigure, year: int, all_las: pd.DataFrame) -> Standing:
    """rank_and_band from already-fetched values of every authority (rows of one measure)."""
    ranked = rank_table(all_las, fig.polarity)
    mine = ranked[ranked["area"] == name]
    symbol = all_las.loc[all_las["area"] == name, "symbol"]
    value = None if mine.empty or pd.isna(mine["value"].iloc[0]) else float(mine["value"].iloc[0])
    rank = None if mine.empty or pd.isna(mine["rank"].iloc[0]) else int(mine["rank"].iloc[0])
    band = None if mine.empty else mine["band"].iloc[0]
    return Standing(
        la=name, figure=fig.id, year=year, value=value,
        symbol=symbol.iloc[0] if len(symbol) and isinstance(symbol.iloc[0], str) else None,
        rank=rank, out_of=int(ranked["value"].notna().sum()), band=band if isinstance(band, str) else None,
        polarity=fig.polarity,
    )


def rank_and_band(la: str, figure_id: str, year: int | None = None) -> Standing:
    """The authority's national rank among authorities with a value that year, and its quartile band."""
    name = _la(la)
    fig = figure(figure_id)
    yr = int(year) if year is not None else int(_area(name)["last_year"])
    return _standing(name, fig, yr, _all_la_values([fig.dfe_column], yr))


# --- peers and the overview's benchmarks -------------------------------------------------------------------------


def peers(la: str, figure_id: str, year: int | None = None, group: str = "region") -> pd.DataFrame:
    """Every authority of the region (group='region') or the authority and its neighbours (group='neighbours').

    Columns: area, value, symbol, note, selected (the chosen authority), label
    (its name, with '◆ … (selected)' for the chosen one so it is marked in words,
    not colour only), rank within the group. Best first; no-value rows last.
    """
    name = _la(la)
    fig = figure(figure_id)
    yr = int(year) if year is not None else int(_area(name)["last_year"])
    if group == "neighbours":
        members = [name, *neighbours(name)]
        df = query(
            """SELECT area, value, symbol FROM indicators
               WHERE geographic_level = 'Local authority' AND measure = ? AND year = ? AND list_contains(?, area)""",
            [fig.dfe_column, yr, members],
        )
    elif group == "region":
        df = query(
            """SELECT area, value, symbol FROM indicators
               WHERE geographic_level = 'Local authority' AND measure = ? AND year = ? AND region = ?""",
            [fig.dfe_column, yr, region_of(name)],
        )
    else:
        raise ValueError(f"group must be 'region' or 'neighbours', not {group!r}")
    ranked = rank_table(df, fig.polarity).drop(columns=["out_of", "band"])
    ranked["symbol"] = df["symbol"].astype(object).where(df["symbol"].notna(), None).to_numpy()
    ranked["note"] = [_note(s) for s in ranked["symbol"]]
    ranked["selected"] = ranked["area"] == name
    ranked["label"] = [f"◆ {a} (selected)" if s else a for a, s in zip(ranked["area"], ranked["selected"], strict=True)]
    ranked["year"] = yr
    ranked = ranked.sort_values(["rank", "area"], na_position="last").reset_index(drop=True)
    return ranked[["year", "area", "label", "value", "symbol", "note", "selected", "rank"]]


def band_for(rank: int | None, out_of: int, polarity: str) -> str | None:
    """Quartile band of a competition rank among `out_of` authorities: A (best quarter) to D; None if neutral."""
    if rank is None or out_of <= 0 or polarity == "neutral":
        return None
    return BANDS[min(3, 4 * (int(rank) - 1) // out_of)]


def latest_benchmarks(la: str, figure_ids: Sequence[str], year: int | None = None) -> pd.DataFrame:
    """One row per figure: the authority's DfE value beside England, its region and its neighbours' median.

    The year is the authority's latest return unless given, and is in every row
    so the overview can label the reference year. Columns: figure, label, unit,
    polarity, year, la, la_value, la_symbol, england, region_name, region,
    neighbour_median, neighbours_used, neighbours_total, rank, out_of, band, note.
    The rank is computed in SQL here (one query for all figures, fast enough for
    every page); it is the same competition ranking as `rank_table` (a test
    checks the two agree for every authority).
    """
    name = _la(la)
    yr = int(year) if year is not None else int(_area(name)["last_year"])
    region = region_of(name)
    sns = neighbours(name)
    figs = [figure(fid) for fid in figure_ids]
    found = query(
        """
        WITH want AS (SELECT unnest($measures) AS measure, unnest($directions) AS direction),
        las AS (SELECT measure, area, value, symbol FROM indicators
                WHERE geographic_level = 'Local authority' AND year = $year AND list_contains($measures, measure)),
        mine AS (SELECT measure, value AS la_value, symbol AS la_symbol FROM las WHERE area = $la),
        agg AS (
            SELECT w.measure, any_value(m.la_value) AS la_value, any_value(m.la_symbol) AS la_symbol,
                   median(l.value) FILTER (WHERE list_contains($sns, l.area)) AS neighbour_median,
                   count(l.value) FILTER (WHERE list_contains($sns, l.area)) AS neighbours_used,
                   count(l.value) AS out_of,
                   CASE WHEN any_value(m.la_value) IS NOT NULL THEN 1 + count(*) FILTER (
                       WHERE (w.direction = 1 AND l.value < m.la_value) OR (w.direction = -1 AND l.value > m.la_value))
                   END AS rank
            FROM want w LEFT JOIN mine m USING (measure) LEFT JOIN las l USING (measure)
            GROUP BY w.measure)
        SELECT agg.*, e.value AS england, r.value AS region
        FROM agg
        LEFT JOIN indicators e ON e.measure = agg.measure AND e.year = $year AND e.geographic_level = 'National'
        LEFT JOIN indicators r ON r.measure = agg.measure AND r.year = $year AND r.geographic_level = 'Regional'
                               AND r.area = $region
        """,
        {"measures": [f.dfe_column for f in figs], "year": yr, "la": name, "sns": sns or [""], "region": region,
         "directions": [1 if f.polarity == "lower_is_better" else -1 for f in figs]},
    ).set_index("measure")
    rows = []
    for fig in figs:
        hit = found.loc[fig.dfe_column]
        rank = None if pd.isna(hit["rank"]) else int(hit["rank"])
        symbol = hit["la_symbol"] if isinstance(hit["la_symbol"], str) else None
        rows.append({
            "figure": fig.id, "label": fig.label, "unit": fig.unit, "polarity": fig.polarity, "year": yr,
            "la": name, "la_value": hit["la_value"], "la_symbol": symbol, "england": hit["england"],
            "region_name": region, "region": hit["region"], "neighbour_median": hit["neighbour_median"],
            "neighbours_used": int(hit["neighbours_used"]), "neighbours_total": len(sns), "rank": rank,
            "out_of": int(hit["out_of"]), "band": band_for(rank, int(hit["out_of"]), fig.polarity),
            "note": _note(symbol),
        })
    out = pd.DataFrame(rows)
    for col in ("la_value", "england", "region", "neighbour_median"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    out["rank"] = out["rank"].astype("Int64")
    return out


def england(figure_ids: Sequence[str], year: int | None = None) -> pd.DataFrame:
    """England's DfE value of each figure for `year` (default the file's latest), needing no authority.

    One row per figure id the DfE publishes (others are left out): figure,
    label, unit, year, england, england_symbol. Values are NULL (never zero)
    where England's cell is a symbol; rates are fractions 0–1.
    """
    figs = []
    for fid in figure_ids:
        try:
            figs.append(figure(fid))
        except KeyError:
            continue
    yr = int(year) if year is not None else latest_year()
    cells = query(
        """SELECT measure, value, symbol FROM indicators
           WHERE geographic_level = 'National' AND year = $year AND list_contains($measures, measure)""",
        {"year": yr, "measures": [f.dfe_column for f in figs] or [""]},
    ).set_index("measure")
    rows = []
    for fig in figs:
        hit = cells.loc[fig.dfe_column] if fig.dfe_column in cells.index else None
        value = None if hit is None else _clean(hit["value"])
        symbol = hit["symbol"] if hit is not None and isinstance(hit["symbol"], str) else None
        rows.append({"figure": fig.id, "label": fig.label, "unit": fig.unit, "year": yr, "england": value,
                     "england_symbol": symbol})
    out = pd.DataFrame(rows, columns=["figure", "label", "unit", "year", "england", "england_symbol"])
    out["england"] = pd.to_numeric(out["england"], errors="coerce").astype(float)
    return out
