"""The regional benchmarking club: councils pool their suppressed aggregates quarterly and compare.

A member is a council (its ONS authority code, e.g. E10000008, and its name).
People act for a member with a club key: a long random secret of which the store
keeps only a salted hash. A key has a role: `publisher` (submit the council's
figures, withdraw them, record the agreed agency pay caps) or `viewer` (look
only). Where the app signs people in with OIDC, a group can stand for a key
(`[club.groups]` in workforce_lens.toml).

Submitting is a snapshot publish (sharing.snapshots.build: every view, each
suppressed, exactly what a shared link holds) of the session's data with the
club's agreed agency pay caps in force, stored under the member's code and the
quarter its as-of date falls in, in one transaction; a second submission for the
same quarter replaces the first. No worker-level row leaves the session: only
the builder's suppressed tables are stored, and from them two indexes the club
page queries: each member's figures per service area, and its agency workers
(and those paid above the cap) per role.

Comparisons use only what was published: a hidden (`c`) figure stays hidden and
takes no part in the club's quartiles or ranks. Quartiles are interpolated
between the members' values (PostgreSQL's percentile_cont; Excel's
QUARTILE.INC): with three members a < b < c the median is b and the lower
quartile (a + b) / 2.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

import settings as app_settings
from metrics.registry import View
from sharing import snapshots
from sharing import store as storage
from sharing.store import Store, Tx
from sharing.suppress import SYMBOL, is_suppressed

if TYPE_CHECKING:  # pragma: no cover
    from ingest.workforce import Workforce

ROLES = ("publisher", "viewer")
ALL = "All"
"""The whole-council row of the figures table (and the all-roles row of the cap table)."""
FIGURES_VIEW = "figures"
CAPS_VIEW = "agency_cap_breaches"
KEY_PREFIX = "wlc"
_AUTHORITY_RE = re.compile(r"^[A-Z][0-9]{8}$")
_QUARTER_RE = re.compile(r"^(\d{4})Q([1-4])$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class ClubError(Exception):
    """A club operation that cannot be done (the message says why, in words a member can act on)."""


@dataclass(frozen=True)
class Member:
    """Who is signed in: the council, and what its key allows."""

    authority: str
    name: str
    role: str

    @property
    def can_publish(self) -> bool:
        """Publishers submit and withdraw their council's figures and record the agreed caps."""
        return self.role == "publisher"


@dataclass(frozen=True)
class Submission:
    """One member's figures for one quarter, as stored."""

    authority: str
    quarter: str
    publication_id: str
    as_of: dt.date | None


def _store(target: Store | str | Path | None) -> Store:
    if isinstance(target, Store):
        return target
    return storage.open_store(target if target is not None else storage.club_store_url())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# ── quarters ──────────────────────────────────────────────────────────────────


def quarter_of(day: dt.date) -> str:
    """The calendar quarter a date falls in, e.g. 30 Sep 2025 → '2025Q3'."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def check_quarter(quarter: str) -> str:
    """The quarter code, or ClubError when it is not like '2025Q3'."""
    if not isinstance(quarter, str) or not _QUARTER_RE.match(quarter):
        raise ClubError(f"{quarter!r} is not a quarter: write it like 2025Q3 (July to September 2025).")
    return quarter


def quarter_label(quarter: str) -> str:
    """'2025Q3' → 'Jul–Sep 2025'."""
    match = _QUARTER_RE.match(quarter)
    if not match:
        return quarter
    year, q = int(match.group(1)), int(match.group(2))
    return f"{_MONTHS[3 * q - 3]}–{_MONTHS[3 * q - 1]} {year}"


def quarter_end(quarter: str) -> dt.date:
    """The last day of a quarter."""
    match = _QUARTER_RE.match(check_quarter(quarter))
    year, q = int(match.group(1)), int(match.group(2))
    after = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    return after - dt.timedelta(days=1)


# ── members and keys ──────────────────────────────────────────────────────────


def check_authority(code: str) -> str:
    """An ONS local authority code such as E10000008 (upper-cased), or ClubError."""
    code = (code or "").strip().upper()
    if not _AUTHORITY_RE.match(code):
        raise ClubError(f"{code!r} is not a local authority code: use the ONS code, e.g. E10000008.")
    return code


def _hash(key: str, salt: str) -> str:
    """Salted SHA-256 of a key. Keys are 256-bit random secrets, so a slow hash would add nothing."""
    return hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()


def add_member(authority: str, name: str, *, store: Store | str | Path | None = None) -> Member:
    """Add a council to the club (or rename it); it can do nothing until it has a key."""
    authority, name = check_authority(authority), (name or "").strip()
    if not name:
        raise ClubError("A member needs a name, e.g. Devon County Council.")
    with _store(store).transaction() as tx:
        if tx.execute("SELECT count(*) FROM club_members WHERE authority = ?", [authority]).fetchone()[0]:
            tx.execute("UPDATE club_members SET name = ? WHERE authority = ?", [name, authority])
        else:
            tx.execute("INSERT INTO club_members (authority, name, joined_at) VALUES (?, ?, ?)",
                       [authority, name, _now()])
    return Member(authority, name, "publisher")


def issue_key(authority: str, role: str = "publisher", label: str = "", *,
              store: Store | str | Path | None = None) -> str:
    """A new club key for a member (shown once: the store keeps only its hash)."""
    authority = check_authority(authority)
    if role not in ROLES:
        raise ClubError(f"A key's role is one of {', '.join(ROLES)}.")
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_hex(16)
    with _store(store).transaction() as tx:
        if not tx.execute("SELECT count(*) FROM club_members WHERE authority = ?", [authority]).fetchone()[0]:
            raise ClubError(f"{authority} is not a member of the club: add it first.")
        tx.execute("INSERT INTO club_keys (key_id, authority, role, salt, key_hash, label, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", [key_id, authority, role, salt, _hash(secret, salt),
                                                    (label or "").strip(), _now()])
    return f"{KEY_PREFIX}_{key_id}_{secret}"


def revoke_keys(authority: str, role: str | None = None, *, store: Store | str | Path | None = None) -> int:
    """Stop a member's keys working (all, or those of one role); returns how many."""
    authority = check_authority(authority)
    with _store(store).transaction() as tx:
        where, args = "authority = ?", [authority]
        if role is not None:
            where, args = where + " AND role = ?", [*args, role]
        count = tx.execute(f"SELECT count(*) FROM club_keys WHERE {where}", args).fetchone()[0]
        tx.execute(f"DELETE FROM club_keys WHERE {where}", args)
    return int(count)


def sign_in(key: str | None, *, store: Store | str | Path | None = None) -> Member | None:
    """The member a club key belongs to, or None (wrong, revoked or malformed key)."""
    parts = (key or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    rows = _store(store).rows(
        "SELECT k.salt, k.key_hash, k.role, m.authority, m.name FROM club_keys k "
        "JOIN club_members m ON m.authority = k.authority WHERE k.key_id = ?", [parts[1]])
    if not rows:
        return None
    salt, digest, role, authority, name = rows[0]
    if not hmac.compare_digest(_hash(parts[2], salt), digest):
        return None
    return Member(authority, name, role)


def group_members() -> dict[str, str]:
    """OIDC group → 'AUTHORITY:role', from [club.groups] in workforce_lens.toml."""
    return {str(k): str(v) for k, v in app_settings.section("club").get("groups", {}).items()}


def member_from_groups(groups: Iterable[str], mapping: Mapping[str, str] | None = None, *,
                       store: Store | str | Path | None = None) -> Member | None:
    """The member a signed-in user's OIDC groups make them (a publisher group wins over a viewer one)."""
    mapping = group_members() if mapping is None else mapping
    found: list[tuple[str, str]] = []
    for group in groups or ():
        target = mapping.get(str(group))
        if target and ":" in target:
            authority, role = target.split(":", 1)
            if role in ROLES:
                found.append((authority.strip().upper(), role))
    if not found:
        return None
    authority, role = sorted(found, key=lambda f: ROLES.index(f[1]))[0]
    rows = _store(store).rows("SELECT name FROM club_members WHERE authority = ?", [authority])
    return Member(authority, rows[0][0], role) if rows else None


def members(*, store: Store | str | Path | None = None) -> pd.DataFrame:
    """Every member: code, name, when it joined, its keys and the quarters it has submitted."""
    return _store(store).query(
        "SELECT m.authority, m.name, m.joined_at, "
        "(SELECT count(*) FROM club_keys k WHERE k.authority = m.authority AND k.role = 'publisher') "
        "AS publisher_keys, "
        "(SELECT count(*) FROM club_keys k WHERE k.authority = m.authority AND k.role = 'viewer') AS viewer_keys, "
        "(SELECT count(*) FROM club_publications p WHERE p.authority = m.authority) AS quarters "
        "FROM club_members m ORDER BY m.name")


def remove_member(authority: str, *, store: Store | str | Path | None = None) -> None:
    """Take a council out of the club: its keys, its submissions and the member itself."""
    authority = check_authority(authority)
    with _store(store).transaction() as tx:
        _withdraw(tx, authority, None)
        tx.execute("DELETE FROM club_keys WHERE authority = ?", [authority])
        tx.execute("DELETE FROM club_members WHERE authority = ?", [authority])


# ── agreed agency pay caps ────────────────────────────────────────────────────


def _require_publisher(member: Member) -> None:
    if not member.can_publish:
        raise ClubError("Your club key lets you look, not change anything: ask for a publisher key.")


def record_cap(member: Member, role: str, max_hourly_rate: float, effective_from: str, *,
               store: Store | str | Path | None = None) -> None:
    """Record the club's agreed cap (£ an hour) for a role, in force from a quarter (replacing one for the same)."""
    _require_publisher(member)
    role = " ".join((role or "").split())
    if not role:
        raise ClubError("Name the role the cap is for, as your data names it (e.g. Social Worker).")
    try:
        rate = float(max_hourly_rate)
    except (TypeError, ValueError):
        rate = math.nan
    if not (0 < rate < 1000):
        raise ClubError("A cap is an hourly rate in pounds, more than £0 and less than £1,000.")
    check_quarter(effective_from)
    with _store(store).transaction() as tx:
        tx.execute("DELETE FROM club_caps WHERE lower(role) = lower(?) AND effective_from = ?", [role, effective_from])
        tx.execute("INSERT INTO club_caps (role, effective_from, max_hourly_rate, recorded_by, recorded_at) "
                   "VALUES (?, ?, ?, ?, ?)", [role, effective_from, rate, member.authority, _now()])


def remove_cap(member: Member, role: str, effective_from: str, *, store: Store | str | Path | None = None) -> None:
    """Remove one recorded cap (e.g. entered by mistake)."""
    _require_publisher(member)
    with _store(store).transaction() as tx:
        tx.execute("DELETE FROM club_caps WHERE role = ? AND effective_from = ?", [role, effective_from])


def caps(*, store: Store | str | Path | None = None) -> pd.DataFrame:
    """Every recorded cap: role, in force from, £ an hour, who recorded it and when."""
    return _store(store).query(
        "SELECT c.role, c.effective_from, c.max_hourly_rate, coalesce(m.name, c.recorded_by) AS recorded_by, "
        "c.recorded_at FROM club_caps c LEFT JOIN club_members m ON m.authority = c.recorded_by "
        "ORDER BY c.role, c.effective_from")


def caps_in_force(quarter: str, *, store: Store | str | Path | None = None) -> pd.DataFrame:
    """The cap for each role in a quarter: the latest one recorded from that quarter or before."""
    check_quarter(quarter)
    recorded = _store(store).query("SELECT role, effective_from, max_hourly_rate FROM club_caps "
                                   "WHERE effective_from <= ? ORDER BY role, effective_from", [quarter])
    if recorded.empty:
        return pd.DataFrame({"role": pd.Series(dtype="str"), "max_hourly_rate": pd.Series(dtype="float64")})
    latest = recorded.groupby(recorded["role"].str.lower(), sort=True).tail(1)
    return latest[["role", "max_hourly_rate"]].reset_index(drop=True)


# ── submitting ────────────────────────────────────────────────────────────────


def with_caps(workforce: Workforce, agreed: pd.DataFrame) -> Workforce:
    """A copy of the session's data with the club's agreed caps as its agency_caps table (none: no caps table).

    The session's own data is not touched: its own caps stay what the officer uploaded.
    """
    from ingest.workforce import Workforce as _Workforce

    copy = _Workforce(label=workforce.label, assumptions=dict(workforce.assumptions), sources=list(workforce.sources),
                      is_demo=workforce.is_demo, rows_set_aside=dict(workforce.rows_set_aside))
    for table in workforce.tables:
        if table == "agency_caps":
            continue
        data = workforce.cursor().sql(f'SELECT * FROM "{table}"').to_arrow_table()
        missing = workforce.missing_columns.get(table, [])
        copy.add_table(table, data, present_columns=[c for c in data.column_names if c not in missing])
        copy.missing_columns[table] = list(missing)
    if not agreed.empty:
        copy.add_table("agency_caps", agreed[["role", "max_hourly_rate"]].reset_index(drop=True))
    return copy


def _number(value: object) -> tuple[float | None, bool]:
    """(value, hidden) of a published cell: `c` is hidden; blanks and text are (None, False)."""
    if is_suppressed(value):
        return None, True
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None, False
    return (None, False) if math.isnan(number) else (number, False)


def _frame(frames: dict, view: str, by: tuple[str, ...]) -> pd.DataFrame | None:
    """The builder's table of a view for a grouping, unfiltered, at the publication's own date."""
    for params, df in frames.get(view, []):
        if tuple(params.by) == by and not params.filters and not params.as_of:
            return df
    return None


def figure_rows(authority: str, quarter: str, frames: dict) -> list[tuple]:
    """club_figures rows: every figure of the published figures table, per service area (and All)."""
    from metrics.figures import FIGURES

    df = _frame(frames, FIGURES_VIEW, ("service_area",))
    if df is None:
        return []
    rows = []
    for record in df.to_dict("records"):
        area = str(record.get("service_area"))
        for figure in FIGURES:
            if figure in record:
                value, hidden = _number(record[figure])
                rows.append((authority, quarter, area, figure, value, hidden))
    return rows


def cap_rows(authority: str, quarter: str, frames: dict) -> list[tuple]:
    """club_cap_breaches rows: agency workers and those above the agreed cap, per role and for all roles."""
    df = _frame(frames, CAPS_VIEW, ("role",))
    if df is None:
        return []
    rows = []
    for record in df.to_dict("records"):
        cap, _ = _number(record.get("max_hourly_rate"))
        headcount, headcount_hidden = _number(record.get("agency_headcount"))
        breaches, breaches_hidden = _number(record.get("cap_breaches"))
        rows.append((authority, quarter, str(record["role"]), cap, headcount, headcount_hidden, breaches,
                     breaches_hidden))
    return rows


def _withdraw(tx: Tx, authority: str, quarter: str | None) -> list[str]:
    """Delete a member's submissions (one quarter, or all) and everything stored for them."""
    where, args = "authority = ?", [authority]
    if quarter is not None:
        where, args = where + " AND quarter = ?", [authority, quarter]
    found = tx.execute(f"SELECT quarter, publication_id FROM club_publications WHERE {where}", args).fetchall()
    for _, publication_id in found:
        snapshots._delete_publication(tx, publication_id)
    for table in ("club_figures", "club_cap_breaches", "club_publications"):
        tx.execute(f"DELETE FROM {table} WHERE {where}", args)
    return sorted(q for q, _ in found)


def publish(workforce: Workforce, member: Member, *, store: Store | str | Path | None = None,
            views: Mapping[str, View] | None = None, progress: snapshots.ProgressFn | None = None,
            limit: int | None = None) -> Submission:
    """Submit the session's suppressed figures for the quarter its as-of date falls in (one transaction)."""
    from metrics.dates import default_as_of

    _require_publisher(member)
    target = _store(store)
    quarter = quarter_of(default_as_of(workforce))
    agreed = caps_in_force(quarter, store=target)
    copy = with_caps(workforce, agreed)
    try:
        built = snapshots.build(copy, views=views, progress=progress, limit=limit)
    finally:
        copy.close()
    quarter = quarter_of(built.as_of) if built.as_of else quarter
    if progress is not None:
        progress(0.93, "Sending the suppressed tables to the club")
    publication_id = snapshots.new_id()
    packed = snapshots._pack_frames(publication_id, built)
    figures, breaches = figure_rows(member.authority, quarter, built.frames), cap_rows(
        member.authority, quarter, built.frames)
    with target.transaction() as tx:
        if not tx.execute("SELECT count(*) FROM club_members WHERE authority = ?", [member.authority]).fetchone()[0]:
            raise ClubError("Your council is no longer a member of the club.")
        write_submission(tx, member, quarter, publication_id, built, packed, figures, breaches)
    if progress is not None:
        progress(1.0, "Submitted")
    return Submission(member.authority, quarter, publication_id, built.as_of)


def write_submission(tx: Tx, member: Member, quarter: str, publication_id: str, built: snapshots.Built,
                     packed: list[tuple], figures: list[tuple], breaches: list[tuple]) -> None:
    """Store one submission inside an open transaction, replacing the member's earlier one for the quarter."""
    _withdraw(tx, member.authority, quarter)
    snapshots._write_built(tx, publication_id, f"{member.name}, {quarter_label(quarter)}", member.authority,
                           built, kind="club", packed=packed)
    tx.insert("club_publications", ["authority", "quarter", "publication_id", "published_at", "published_by",
                                    "as_of"],
              [(member.authority, quarter, publication_id, _now(), member.authority, built.as_of)])
    tx.insert("club_figures", ["authority", "quarter", "service_area", "figure", "value", "suppressed"], figures)
    tx.insert("club_cap_breaches", ["authority", "quarter", "role", "max_hourly_rate", "agency_headcount",
                                    "agency_headcount_suppressed", "cap_breaches", "cap_breaches_suppressed"],
              breaches)


def withdraw(member: Member, quarter: str | None = None, *, store: Store | str | Path | None = None) -> list[str]:
    """Withdraw the member's own figures (one quarter, or every quarter); returns the quarters withdrawn."""
    _require_publisher(member)
    if quarter is not None:
        check_quarter(quarter)
    with _store(store).transaction() as tx:
        return _withdraw(tx, member.authority, quarter)


def submissions(authority: str | None = None, *, store: Store | str | Path | None = None) -> pd.DataFrame:
    """Who has submitted which quarter (one member, or all), newest quarter first."""
    sql = ("SELECT p.authority, m.name, p.quarter, p.as_of, p.published_at FROM club_publications p "
           "JOIN club_members m ON m.authority = p.authority")
    args: list = []
    if authority is not None:
        sql, args = sql + " WHERE p.authority = ?", [authority]
    return _store(store).query(sql + " ORDER BY p.quarter DESC, m.name", args)


def member_source(authority: str, quarter: str, *, store: Store | str | Path | None = None):
    """A member's full submission for a quarter as a read-only Source (every view, as a shared link shows it)."""
    target = _store(store)
    rows = target.rows("SELECT publication_id FROM club_publications WHERE authority = ? AND quarter = ?",
                       [authority, quarter])
    if not rows:
        return None
    return snapshots.open_snapshot(rows[0][0], path=target.url, kind="club")


# ── comparing ─────────────────────────────────────────────────────────────────


def quarters(*, store: Store | str | Path | None = None) -> list[str]:
    """Quarters anyone has submitted, oldest first."""
    return [r[0] for r in _store(store).rows("SELECT DISTINCT quarter FROM club_publications ORDER BY quarter")]


def service_areas(quarter: str, *, store: Store | str | Path | None = None) -> list[str]:
    """Service areas with figures in a quarter: All first, then A to Z."""
    found = [r[0] for r in _store(store).rows(
        "SELECT DISTINCT service_area FROM club_figures WHERE quarter = ?", [quarter])]
    return sorted(found, key=lambda a: (a != ALL, a.lower()))


_STATS = ("count(*) AS members, "
          "percentile_cont(0.25) WITHIN GROUP (ORDER BY value) AS lower_quartile, "
          "percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS median, "
          "percentile_cont(0.75) WITHIN GROUP (ORDER BY value) AS upper_quartile")


@dataclass
class Comparison:
    """A quarter and service area across the club: each member's figures, the club's spread, and ranks."""

    quarter: str
    service_area: str
    values: pd.DataFrame
    """One row per member and figure: authority, name, figure, value (None when hidden or not published),
    suppressed, rank (1 = best, or highest for figures with no better direction; None when hidden)."""
    statistics: pd.DataFrame
    """One row per figure: members (with a shown value), lower_quartile, median, upper_quartile."""

    def wide(self, figure_ids: Iterable[str]) -> pd.DataFrame:
        """Members down, figures across: the value, `c` when hidden, NaN when not published."""
        ids = list(figure_ids)
        values = self.values[self.values["figure"].isin(ids)]
        shown = values["value"].astype(object).where(~values["suppressed"].astype(bool), SYMBOL)
        table = values.assign(shown=shown).pivot(index="authority", columns="figure", values="shown")
        table = table.reindex(columns=[f for f in ids if f in table.columns])
        names = self.values.drop_duplicates("authority").set_index("authority")["name"]
        table.insert(0, "name", names.reindex(table.index))
        table = table.reset_index()
        table.columns.name = None
        return table.sort_values("name", key=lambda s: s.str.lower()).reset_index(drop=True)

    def rank_of(self, authority: str, figure: str) -> tuple[int | None, int]:
        """(the member's rank, members ranked) for a figure."""
        rows = self.values[(self.values["figure"] == figure)]
        ranked = int(rows["rank"].notna().sum())
        mine = rows[rows["authority"] == authority]["rank"]
        return (int(mine.iloc[0]) if len(mine) and pd.notna(mine.iloc[0]) else None), ranked


def _polarity(figure: str) -> str:
    from metrics.figures import FIGURES

    found = FIGURES.get(figure)
    return found.polarity if found is not None else "neutral"


def compare(quarter: str, service_area: str = ALL, *, store: Store | str | Path | None = None) -> Comparison:
    """Every member's figures for a quarter and service area, the club's quartiles, and each member's rank."""
    target = _store(store)
    with target.reading() as tx:
        values = tx.df(
            "SELECT f.authority, m.name, f.figure, f.value, f.suppressed, "
            "CASE WHEN f.value IS NOT NULL THEN rank() OVER (PARTITION BY f.figure, f.value IS NULL "
            "ORDER BY f.value ASC) END AS rank_low, "
            "CASE WHEN f.value IS NOT NULL THEN rank() OVER (PARTITION BY f.figure, f.value IS NULL "
            "ORDER BY f.value DESC) END AS rank_high "
            "FROM club_figures f JOIN club_members m ON m.authority = f.authority "
            "WHERE f.quarter = ? AND f.service_area = ?", [quarter, service_area])
        stats = tx.df(f"SELECT figure, {_STATS} FROM club_figures WHERE quarter = ? AND service_area = ? "
                      "AND value IS NOT NULL GROUP BY figure ORDER BY figure", [quarter, service_area])
    lower_better = {f for f in values["figure"].unique() if _polarity(f) == "lower_is_better"}
    low = values["figure"].isin(lower_better)
    values["rank"] = values["rank_low"].where(low, values["rank_high"])
    values["suppressed"] = values["suppressed"].astype(bool)
    values["value"] = pd.to_numeric(values["value"], errors="coerce").astype("float64")
    values = values.drop(columns=["rank_low", "rank_high"]).sort_values(["figure", "name"]).reset_index(drop=True)
    return Comparison(quarter, service_area, values, stats)


def trend(figure: str, authority: str | None, service_area: str = ALL, *,
          store: Store | str | Path | None = None) -> pd.DataFrame:
    """Per quarter: the club's quartiles of a figure and, for a member, its own value (`c` when hidden)."""
    target = _store(store)
    with target.reading() as tx:
        stats = tx.df(f"SELECT quarter, {_STATS} FROM club_figures WHERE figure = ? AND service_area = ? "
                      "AND value IS NOT NULL GROUP BY quarter ORDER BY quarter", [figure, service_area])
        own = tx.df("SELECT quarter, value, suppressed FROM club_figures WHERE figure = ? AND service_area = ? "
                    "AND authority = ?", [figure, service_area, authority or ""])
    everyone = sorted(set(stats["quarter"]) | set(own["quarter"]))
    out = pd.DataFrame({"quarter": everyone})
    out["period"] = out["quarter"].map(quarter_label)
    out = out.merge(stats, on="quarter", how="left")
    mine = {q: (SYMBOL if s else (None if v is None or pd.isna(v) else float(v)))
            for q, v, s in own.itertuples(index=False, name=None)}
    out["own"] = pd.Series([mine.get(q) for q in out["quarter"]], dtype=object)
    out["members"] = out["members"].fillna(0).astype("int64")
    return out[["quarter", "period", "own", "lower_quartile", "median", "upper_quartile", "members"]]


def _share(breaches: float | None, breaches_hidden: bool, headcount: float | None,
           headcount_hidden: bool) -> object:
    """Agency workers above the cap ÷ agency workers: `c` when either count is hidden, None when there are none."""
    if breaches_hidden or headcount_hidden:
        return SYMBOL
    if breaches is None or headcount is None or headcount <= 0:
        return None
    return breaches / headcount


def cap_breach_shares(*, role: str = ALL, quarter: str | None = None,
                      store: Store | str | Path | None = None) -> pd.DataFrame:
    """Per member and quarter: agency workers (in roles with an agreed cap), those paid above it, and the share.

    From the members' published, suppressed counts; `c` where a count was hidden.
    """
    sql = ("SELECT b.authority, m.name, b.quarter, b.role, b.max_hourly_rate, b.agency_headcount, "
           "b.agency_headcount_suppressed, b.cap_breaches, b.cap_breaches_suppressed FROM club_cap_breaches b "
           "JOIN club_members m ON m.authority = b.authority WHERE b.role = ?")
    args: list = [role]
    if quarter is not None:
        sql, args = sql + " AND b.quarter = ?", [*args, quarter]
    df = _store(store).query(sql + " ORDER BY b.quarter, m.name", args)
    out = df[["authority", "name", "quarter", "role", "max_hourly_rate"]].copy()
    out["period"] = out["quarter"].map(quarter_label)
    records = df.to_dict("records")
    for column in ("agency_headcount", "cap_breaches"):
        out[column] = pd.Series([SYMBOL if r[f"{column}_suppressed"] else r[column] for r in records], dtype=object)
    out["share_above_cap"] = pd.Series(
        [_share(r["cap_breaches"], r["cap_breaches_suppressed"], r["agency_headcount"],
                r["agency_headcount_suppressed"]) for r in records], dtype=object)
    return out


def cap_breach_roles(quarter: str, *, store: Store | str | Path | None = None) -> pd.DataFrame:
    """Per member and role with a cap, for one quarter (the detail behind the all-roles share)."""
    df = _store(store).query(
        "SELECT b.authority, m.name, b.role, b.max_hourly_rate, b.agency_headcount, b.agency_headcount_suppressed, "
        "b.cap_breaches, b.cap_breaches_suppressed FROM club_cap_breaches b JOIN club_members m "
        "ON m.authority = b.authority WHERE b.quarter = ? AND b.role <> ? ORDER BY m.name, b.role", [quarter, ALL])
    records = df.to_dict("records")
    out = df[["authority", "name", "role", "max_hourly_rate"]].copy()
    for column in ("agency_headcount", "cap_breaches"):
        out[column] = pd.Series([SYMBOL if r[f"{column}_suppressed"] else r[column] for r in records], dtype=object)
    out["share_above_cap"] = pd.Series(
        [_share(r["cap_breaches"], r["cap_breaches_suppressed"], r["agency_headcount"],
                r["agency_headcount_suppressed"]) for r in records], dtype=object)
    return out


def share_statistics(shares: pd.DataFrame) -> pd.DataFrame:
    """Per quarter: the club's median and quartiles of the shares shown (hidden ones take no part)."""
    rows = []
    for quarter, group in shares.groupby("quarter", sort=True):
        shown = sorted(float(v) for v in group["share_above_cap"] if v is not None and not is_suppressed(v)
                       and not (isinstance(v, float) and math.isnan(v)))
        quartiles = [_interpolate(shown, p) for p in (0.25, 0.5, 0.75)]
        rows.append({"quarter": quarter, "period": quarter_label(quarter), "members": len(shown),
                     "lower_quartile": quartiles[0], "median": quartiles[1], "upper_quartile": quartiles[2]})
    return pd.DataFrame(rows, columns=["quarter", "period", "members", "lower_quartile", "median", "upper_quartile"])


def _interpolate(values: list[float], p: float) -> float | None:
    """The p-th quantile, interpolated between sorted values (as percentile_cont does)."""
    if not values:
        return None
    position = (len(values) - 1) * p
    below = math.floor(position)
    above = min(below + 1, len(values) - 1)
    return values[below] + (values[above] - values[below]) * (position - below)



# ── what the club page shows ──────────────────────────────────────────────────


CAP_SHARE = "share_above_cap"


def cap_share_figure():
    """How the club page labels the share above the cap (a view column, not a registry figure)."""
    from metrics.registry import Figure

    return Figure(id=CAP_SHARE, label="Agency workers paid above the agreed cap", unit="percent",
                  polarity="lower_is_better", needs=("staff", "agency_caps"),
                  definition="Agency workers in post, in roles with a cap the club agreed, whose hourly rate is "
                             "above the cap in force that quarter, as a share of all agency workers in those roles.")


def summary(comparison: Comparison, authority: str | None) -> pd.DataFrame:
    """One row per figure: the member's value (`c` when hidden), rank, ranked members and the club's spread."""
    from metrics.figures import FIGURES

    values = comparison.values
    present = set(values["figure"])
    figures = [f for f in FIGURES if f in present]
    mine = values[values["authority"] == authority].drop_duplicates("figure").set_index("figure")
    ranked = values.groupby("figure")["rank"].count()
    stats = comparison.statistics.set_index("figure").reindex(figures)
    out = pd.DataFrame({"figure": figures})
    shown = mine["value"].astype(object).where(~mine["suppressed"].astype(bool), SYMBOL) if len(mine) else None
    out["value"] = pd.Series([None if shown is None or f not in shown.index else shown[f] for f in figures],
                             dtype=object)
    out["rank"] = pd.Series([None if f not in mine.index or pd.isna(mine.at[f, "rank"]) else int(mine.at[f, "rank"])
                             for f in figures], dtype=object)
    out["ranked"] = [int(ranked.get(f, 0)) for f in figures]
    for column in ("lower_quartile", "median", "upper_quartile"):
        out[column] = stats[column].to_numpy() if len(stats) else []
    return out


def statistics_of(comparison: Comparison, figure: str) -> dict[str, float | None]:
    """The club's quartiles of one figure (None when no member shows it)."""
    stats = comparison.statistics.set_index("figure")
    if figure not in stats.index:
        return {"lower_quartile": None, "median": None, "upper_quartile": None, "members": 0}
    row = stats.loc[figure]
    return {k: (None if pd.isna(row[k]) else float(row[k])) for k in ("lower_quartile", "median", "upper_quartile")} | {
        "members": int(row["members"])}


def share_values(shares: pd.DataFrame) -> pd.DataFrame:
    """Cap-breach shares shaped like Comparison.values (authority, name, value, suppressed) for the bar chart."""
    hidden = shares["share_above_cap"].map(is_suppressed)
    return pd.DataFrame({"authority": shares["authority"], "name": shares["name"],
                         "value": pd.to_numeric(shares["share_above_cap"].where(~hidden), errors="coerce"),
                         "suppressed": hidden})


def share_rank(shares: pd.DataFrame, authority: str | None) -> tuple[int | None, int]:
    """A member's rank by the share above the cap (1 = lowest share), and how many have a share shown."""
    values = share_values(shares).dropna(subset=["value"])
    ranks = values["value"].rank(method="min", ascending=True)
    mine = ranks[values["authority"] == authority]
    return (int(mine.iloc[0]) if len(mine) else None), len(values)


def shares_by_quarter(shares: pd.DataFrame) -> pd.DataFrame:
    """Members down, quarters across: the share above the cap (`c` when hidden, blank when none)."""
    if shares.empty:
        return pd.DataFrame(columns=["name"])
    table = shares.pivot(index="name", columns="period", values="share_above_cap")
    order = shares.drop_duplicates("quarter").sort_values("quarter")["period"].tolist()
    table = table.reindex(columns=order).reset_index()
    table.columns.name = None
    return table
