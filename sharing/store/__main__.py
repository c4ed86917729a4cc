"""Command line for the published-data store.

    python -m sharing.store check              where the store is and its schema revision (exit 1 if unusable)
    python -m sharing.store upgrade            create or upgrade the schema (PostgreSQL: Alembic)
    python -m sharing.store sql                the PostgreSQL DDL, for a DBA who applies it by hand
    python -m sharing.store copy FROM TO       copy snapshots and the club from one store to another,
                                               e.g. data/snapshots/snapshots.duckdb postgresql://…

Every command takes --url (default: env WORKFORCE_LENS_STORE_URL, else workforce_lens.toml, else the DuckDB file).
"""

from __future__ import annotations

import argparse
import sys

from sharing import store as storage
from sharing.store.base import StoreError


def main(argv: list[str] | None = None) -> int:
    """Run one command; print what happened; 0 on success, 1 when the store cannot be used."""
    parser = argparse.ArgumentParser(prog="python -m sharing.store", description=__doc__.split("\n")[1])
    parser.add_argument("--url", help="store URL or DuckDB file (default: the configured store)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="say where the store is and check its schema revision")
    sub.add_parser("upgrade", help="create or upgrade the schema")
    sub.add_parser("sql", help="print the PostgreSQL DDL of the schema")
    copy = sub.add_parser("copy", help="copy every publication and the club from one store into another")
    copy.add_argument("source")
    copy.add_argument("target")
    args = parser.parse_args(argv)
    try:
        if args.command == "sql":
            from sharing.store.migrate import sql

            print(sql())
            return 0
        if args.command == "copy":
            counts = storage.copy_store(args.source, args.target)
            print("Copied: " + ", ".join(f"{n:,} {table}" for table, n in counts.items()))
            return 0
        store = storage.open_store(args.url)
        revision = store.check(migrate=args.command == "upgrade")
        print(f"{store.describe()}: schema revision {revision} (this version needs {storage.schema.HEAD}).")
        return 0
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        storage.close_all()


if __name__ == "__main__":
    raise SystemExit(main())
