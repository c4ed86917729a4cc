"""Command line for the club's administrator: members and their keys (`python -m sharing.club_admin ...`).

    add-member E10000008 "Devon County Council"      add a council (or rename it)
    issue-key E10000008 [--role viewer] [--label …]  print a new key ONCE (the store keeps only its hash)
    revoke-keys E10000008 [--role viewer]            stop a council's keys working
    remove-member E10000008                          take a council out: its keys and every submission
    members                                          list members, their keys and quarters submitted

Give the key to the council's officer over a channel the council trusts (not e-mail in clear). Every command
takes --url (default: env WORKFORCE_LENS_CLUB_STORE_URL, else [club] store_url, else the sharing store).
"""

from __future__ import annotations

import argparse
import sys

from sharing import club
from sharing import store as storage
from sharing.store.base import StoreError


def main(argv: list[str] | None = None) -> int:
    """Run one command; 0 on success, 1 with a message on stderr when it cannot be done."""
    parser = argparse.ArgumentParser(prog="python -m sharing.club_admin",
                                     description="Manage the benchmarking club's members and keys.")
    parser.add_argument("--url", help="club store URL or DuckDB file (default: the configured club store)")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add-member", help="add a council (or rename it)")
    add.add_argument("authority")
    add.add_argument("name")
    issue = sub.add_parser("issue-key", help="print a new key for a council, once")
    issue.add_argument("authority")
    issue.add_argument("--role", choices=club.ROLES, default="publisher")
    issue.add_argument("--label", default="", help="who the key is for, e.g. 'HR workforce lead'")
    revoke = sub.add_parser("revoke-keys", help="stop a council's keys working")
    revoke.add_argument("authority")
    revoke.add_argument("--role", choices=club.ROLES)
    remove = sub.add_parser("remove-member", help="take a council out of the club, with its data")
    remove.add_argument("authority")
    sub.add_parser("members", help="list the members")
    args = parser.parse_args(argv)
    target = args.url or storage.club_store_url()
    try:
        if args.command == "add-member":
            member = club.add_member(args.authority, args.name, store=target)
            print(f"Member: {member.name} ({member.authority}).")
        elif args.command == "issue-key":
            key = club.issue_key(args.authority, args.role, args.label, store=target)
            print(f"A {args.role} key for {args.authority.upper()} (shown once; keep it secret):\n{key}")
        elif args.command == "revoke-keys":
            count = club.revoke_keys(args.authority, args.role, store=target)
            print(f"Revoked {count} key{'s' if count != 1 else ''} of {args.authority}.")
        elif args.command == "remove-member":
            club.remove_member(args.authority, store=target)
            print(f"Removed {args.authority} and everything it submitted.")
        else:
            table = club.members(store=target)
            print(table.to_string(index=False) if not table.empty else "No members yet.")
        return 0
    except (StoreError, club.ClubError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        storage.close_all()


if __name__ == "__main__":
    raise SystemExit(main())
