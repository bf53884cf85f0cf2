"""Operator commands of the reference platform: enrolment tokens, revocation, the kiosk list.

``kiosk server token --data-dir DIR --kiosk-id ID [--ttl-hours 24]`` prints a one-time token
on stdout (alone, so scripts can capture it) and its validity on stderr;
``kiosk server revoke --data-dir DIR --kiosk-id ID`` refuses that kiosk's key from the next
request on, in every server process sharing the database; ``kiosk server kiosks`` lists them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sync.file_modes import private_directory
from sync.server.registry import KioskRegistry
from sync.server.store import make_engine
from sync.signing import is_valid_kiosk_id

ADMIN_COMMANDS = ("token", "revoke", "kiosks")


def _when(epoch: float | None) -> str:
    if epoch is None:
        return "-"
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def _parser(default_url: Callable[[Path], str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk server", description="Platform operator commands.")
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--data-dir", type=Path, required=True, help="keys and database")
        sub.add_argument("--database-url", default=None, help="SQLAlchemy URL (default SQLite)")

    token = commands.add_parser("token", help="issue a one-time enrolment token for a kiosk")
    common(token)
    token.add_argument("--kiosk-id", required=True)
    token.add_argument("--ttl-hours", type=float, default=24.0, help="validity (default 24)")
    revoke = commands.add_parser("revoke", help="revoke a kiosk's key")
    common(revoke)
    revoke.add_argument("--kiosk-id", required=True)
    common(commands.add_parser("kiosks", help="list enrolled kiosks"))
    return parser


def run_admin(argv: list[str], default_url: Callable[[Path], str]) -> int:
    """Run one operator command; exit status 0 on success, 1 if refused, 2 on bad usage."""
    args = _parser(default_url).parse_args(argv)
    if getattr(args, "kiosk_id", None) is not None and not is_valid_kiosk_id(args.kiosk_id):
        sys.stderr.write("kiosk id must be 1-64 characters of A-Z a-z 0-9 . _ -\n")
        return 2
    private_directory(args.data_dir)
    engine = make_engine(args.database_url or default_url(args.data_dir))
    try:
        registry = KioskRegistry(engine)
        if args.command == "token":
            if args.ttl_hours <= 0:
                sys.stderr.write("--ttl-hours must be positive\n")
                return 2
            token = registry.issue_token(args.kiosk_id, args.ttl_hours * 3600)
            expires = registry.clock() + args.ttl_hours * 3600
            sys.stdout.write(token + "\n")
            sys.stderr.write(
                f"one-time enrolment token for kiosk {args.kiosk_id}, valid until "
                f"{_when(expires)} (it is not stored and cannot be shown again)\n"
            )
            return 0
        if args.command == "revoke":
            if registry.revoke(args.kiosk_id):
                sys.stdout.write(f"kiosk {args.kiosk_id}: key revoked\n")
                return 0
            sys.stderr.write(f"kiosk {args.kiosk_id} is not enrolled\n")
            return 1
        for record in registry.kiosks():
            state = f"revoked {_when(record.revoked_at)}" if record.revoked else "active"
            sys.stdout.write(
                f"{record.kiosk_id}\tkey {record.key_id}\tenrolled {_when(record.enrolled_at)}"
                f"\t{state}\n"
            )
        return 0
    finally:
        engine.dispose()
