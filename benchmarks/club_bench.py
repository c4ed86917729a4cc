"""Benchmark: a benchmarking club of 150 councils × 8 quarters × every view, on each store back end.

    python -m benchmarks.club_bench [--councils 150] [--quarters 8] [--runs 10] [--backend duckdb|postgresql|both]
                                    [--url postgresql://...]

Fills a club store with one submission per council and quarter, each holding every
table a snapshot of the demo council holds (all views, the default filters), with
each council's figures and cap counts varied so the club's quartiles and ranks
have something to do; then times what the /club page asks of the store when a
member opens it (target: under 300 ms), and one more submission's write into the
full store. PostgreSQL is a throwaway server (sharing.store.cluster) unless --url
names one (its database is filled, so give it an empty one).

The demo's tables are built and compressed once and written for every council
(building is the same work whatever the store; see the README for publishing
times): this measures the store, not the builder.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from sharing import club, snapshots
from sharing import store as storage
from sharing.suppress import SYMBOL

TARGET_MS = 300.0


def _codes(n: int) -> list[str]:
    """n made-up authority codes (E + 8 digits, as ONS codes are)."""
    return [f"E{10000000 + i:08d}" for i in range(n)]


def _quarters(n: int, last: str = "2025Q4") -> list[str]:
    """The n quarters ending with `last`, oldest first."""
    year, q = int(last[:4]), int(last[-1])
    index = year * 4 + q - 1
    return [f"{i // 4}Q{i % 4 + 1}" for i in range(index - n + 1, index + 1)]


def _vary(df: pd.DataFrame, factor: float, skip: set[str]) -> pd.DataFrame:
    """Numeric cells times `factor`; `c` cells and labels as they were."""
    out = df.copy()
    for column in out.columns:
        if column in skip:
            continue
        if pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column] * factor
            continue
        numbers = pd.to_numeric(out[column].where(out[column] != SYMBOL), errors="coerce")
        if numbers.notna().any():
            out[column] = (numbers * factor).astype(object).where(numbers.notna(), out[column])
    return out


def _council_frames(built: snapshots.Built, council: int, quarter: int) -> dict:
    """The figures and cap tables of one council and quarter: the demo's, varied."""
    factor = 0.6 + 0.8 * (((council * 37 + quarter * 11) % 97) / 97)
    frames = {}
    for view in (club.FIGURES_VIEW, club.CAPS_VIEW):
        frames[view] = [(params, _vary(df, factor, {"service_area", "role", "max_hourly_rate"}))
                        for params, df in built.frames.get(view, [])
                        if tuple(params.by) in (("service_area",), ("role",)) and not params.filters
                        and not params.as_of]
    return frames


def fill(target, built: snapshots.Built, base_rows: list[tuple], councils: int, quarters: int,
         one_transaction: bool) -> float:
    """Write every council's every quarter; returns seconds taken."""
    codes, periods = _codes(councils), _quarters(quarters)
    start = time.perf_counter()
    store = storage.open_store(target)
    if not one_transaction:
        for code in codes:
            club.add_member(code, f"Council {code}", store=store)
    jobs = []
    for c, code in enumerate(codes):
        member = club.Member(code, f"Council {code}", "publisher")
        for q, quarter in enumerate(periods):
            publication_id = snapshots.new_id()
            frames = _council_frames(built, c, q)
            varied = [(publication_id, view, snapshots._key(params), *_packed(df))
                      for view in frames for params, df in frames[view]]
            keys = {(r[1], r[2]) for r in varied}
            packed = varied + [(publication_id, *row[1:]) for row in base_rows if (row[1], row[2]) not in keys]
            jobs.append((member, quarter, publication_id, packed, club.figure_rows(code, quarter, frames),
                         club.cap_rows(code, quarter, frames)))
    if one_transaction:
        with store.transaction() as tx:
            tx.insert("club_members", ["authority", "name", "joined_at"],
                      [(code, f"Council {code}", pd.Timestamp.now().to_pydatetime()) for code in codes])
            for member, quarter, publication_id, packed, figures, breaches in jobs:
                club.write_submission(tx, member, quarter, publication_id, built, packed, figures, breaches)
    else:
        for member, quarter, publication_id, packed, figures, breaches in jobs:
            with store.transaction() as tx:
                club.write_submission(tx, member, quarter, publication_id, built, packed, figures, breaches)
    return time.perf_counter() - start


def _packed(df: pd.DataFrame) -> tuple[str, bytes]:
    from sharing.store import frames

    return frames.pack(df)


def page_queries(target, authority: str) -> dict[str, float]:
    """What /club asks of the store for one member (the Compare, Trends and cap tabs), each timed in ms."""
    timings: dict[str, float] = {}

    def timed(name, fn):
        start = time.perf_counter()
        out = fn()
        timings[name] = (time.perf_counter() - start) * 1000
        return out

    quarters = timed("quarters", lambda: club.quarters(store=target))
    latest = quarters[-1]
    timed("service areas", lambda: club.service_areas(latest, store=target))
    comparison = timed("compare (all figures, all members)", lambda: club.compare(latest, club.ALL, store=target))
    timed("summary and ranks", lambda: club.summary(comparison, authority))
    timed("trend (one figure, 8 quarters)", lambda: club.trend("agency_rate", authority, club.ALL, store=target))
    timed("caps", lambda: club.caps(store=target))
    shares = timed("cap-breach shares (all quarters)", lambda: club.cap_breach_shares(store=target))
    timed("share statistics", lambda: club.share_statistics(shares))
    timed("cap breaches by role", lambda: club.cap_breach_roles(latest, store=target))
    timed("own submissions", lambda: club.submissions(authority, store=target))
    return timings


def measure(name: str, target, built, base_rows, args) -> dict:
    """Fill one back end, then time the page's queries and one more submission."""
    one_transaction = name == "duckdb"
    seconds = fill(target, built, base_rows, args.councils, args.quarters, one_transaction)
    store = storage.open_store(target)
    counts = {t: store.rows(f"SELECT count(*) FROM {t}")[0][0]
              for t in ("publications", "publication_frames", "club_figures", "club_cap_breaches")}
    authority = _codes(args.councils)[args.councils // 2]
    page_queries(target, authority)  # warm-up: connections, caches of the database itself
    runs = [page_queries(target, authority) for _ in range(args.runs)]
    totals = [sum(r.values()) for r in runs]
    parts = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    # One more submission (a council resubmitting its latest quarter) into the full store: the write only.
    member = club.Member(authority, f"Council {authority}", "publisher")
    publication_id = snapshots.new_id()
    packed = [(publication_id, *row[1:]) for row in base_rows]
    frames = _council_frames(built, 1, 1)
    start = time.perf_counter()
    with store.transaction() as tx:
        club.write_submission(tx, member, _quarters(args.quarters)[-1], publication_id, built, packed,
                              club.figure_rows(authority, _quarters(args.quarters)[-1], frames),
                              club.cap_rows(authority, _quarters(args.quarters)[-1], frames))
    write = time.perf_counter() - start
    return {"backend": name, "fill_s": seconds, "counts": counts, "page_ms": statistics.median(totals),
            "page_best_ms": min(totals), "parts": parts, "write_s": write}


def main(argv: list[str] | None = None) -> int:
    """Fill each back end and print the figures; non-zero when the page's queries miss the target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--councils", type=int, default=150)
    parser.add_argument("--quarters", type=int, default=8)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--backend", choices=("duckdb", "postgresql", "both"), default="both")
    parser.add_argument("--url", help="an empty PostgreSQL database to fill (default: a throwaway server)")
    args = parser.parse_args(argv)

    import ingest

    print("Building the demo council's snapshot tables once (every view)…", flush=True)
    start = time.perf_counter()
    demo = ingest.load_demo()
    built = snapshots.build(demo)
    base_rows = snapshots._pack_frames("template", built)
    size = sum(len(r[4]) for r in base_rows)
    print(f"  {len(built.frames)} views, {len(base_rows)} tables, {size / 1e6:.2f} MB compressed per submission "
          f"({time.perf_counter() - start:.1f} s)", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="wl-club-bench-") as tmp:
        if args.backend in ("duckdb", "both"):
            print(f"DuckDB: filling {args.councils} councils × {args.quarters} quarters…", flush=True)
            results.append(measure("duckdb", Path(tmp) / "club.duckdb", built, base_rows, args))
        if args.backend in ("postgresql", "both"):
            print(f"PostgreSQL: filling {args.councils} councils × {args.quarters} quarters…", flush=True)
            if args.url:
                results.append(measure("postgresql", args.url, built, base_rows, args))
            else:
                from sharing.store.cluster import Cluster

                with Cluster() as cluster:
                    url = cluster.create_database()
                    try:
                        results.append(measure("postgresql", url, built, base_rows, args))
                    finally:
                        storage.close_all()
    storage.close_all()
    print()
    print(f"Club store: {args.councils} councils × {args.quarters} quarters × every view "
          f"(target: the club page's queries under {TARGET_MS:.0f} ms)")
    print(f"{'back end':<12}{'fill':>10}{'frames':>12}{'figure rows':>13}{'page (median)':>16}{'best':>9}"
          f"{'one more write':>16}  target")
    for r in results:
        verdict = "met" if r["page_ms"] < TARGET_MS else "NOT met"
        print(f"{r['backend']:<12}{r['fill_s']:>9.1f}s{r['counts']['publication_frames']:>12,}"
              f"{r['counts']['club_figures']:>13,}{r['page_ms']:>13.0f} ms{r['page_best_ms']:>6.0f} ms"
              f"{r['write_s']:>15.2f}s  {verdict}")
    for r in results:
        print(f"\n{r['backend']}: the page's queries (median ms)")
        for name, ms in r["parts"].items():
            print(f"  {name:<40}{ms:>8.1f}")
    return 0 if all(r["page_ms"] < TARGET_MS for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
