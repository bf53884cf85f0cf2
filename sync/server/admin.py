"""Operator commands of the reference platform: enrolment tokens, revocation, kiosk codes.

``kiosk server token --data-dir DIR --kiosk-id ID [--code K0451] [--ttl-hours 24]
[--reinstate]`` prints a one-time token on stdout (alone, so scripts can capture it) and its
id and validity on stderr; ``--code`` records the kiosk code its tracking numbers carry, and
a revoked kiosk gets a token only with ``--reinstate``.
``kiosk server revoke --data-dir DIR --kiosk-id ID`` refuses that kiosk's key from the next
request on, in every server process sharing the database, and cancels its unused tokens;
``kiosk server kiosks`` lists them; ``kiosk server tokens [--kiosk-id ID] [--cancel TOKEN_ID
...] [--cancel-unused]`` lists and cancels enrolment tokens; ``kiosk server assign-code
--kiosk-id ID --code K0451 [--replace]`` records a kiosk's code (docs/kiosk-codes.md).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sync.file_modes import private_directory
from sync.platform.protocol import is_valid_kiosk_id
from sync.server.kiosk_codes import KioskCodeError
from sync.server.registry import (
    TOKEN_ID_CHARS,
    KioskRegistry,
    RegistryError,
    token_hash,
    token_id_of,
)
from sync.server.store import make_engine

ADMIN_COMMANDS = ("token", "revoke", "kiosks", "tokens", "assign-code")


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
    token.add_argument("--code", default=None, help="the kiosk code of its tracking numbers")
    token.add_argument(
        "--reinstate",
        action="store_true",
        help="the kiosk is revoked: enrolling with this token registers a new key and lifts "
        "the revocation",
    )
    revoke = commands.add_parser("revoke", help="revoke a kiosk's key and its unused tokens")
    common(revoke)
    revoke.add_argument("--kiosk-id", required=True)
    common(commands.add_parser("kiosks", help="list enrolled kiosks"))
    tokens = commands.add_parser("tokens", help="list enrolment tokens, or cancel them")
    common(tokens)
    tokens.add_argument("--kiosk-id", default=None, help="only this kiosk's tokens")
    tokens.add_argument(
        "--cancel",
        nargs="+",
        default=None,
        metavar="TOKEN_ID",
        help="cancel these tokens (the id `tokens` lists, or the token itself)",
    )
    tokens.add_argument(
        "--cancel-unused", action="store_true", help="cancel every unused token of --kiosk-id"
    )
    code = commands.add_parser("assign-code", help="record the kiosk code of a kiosk id")
    common(code)
    code.add_argument("--kiosk-id", required=True)
    code.add_argument("--code", required=True, help="e.g. K0451, as in its tracking numbers")
    code.add_argument(
        "--replace", action="store_true", help="move the code, or change the kiosk's code"
    )
    return parser


def _issue(registry: KioskRegistry, args: argparse.Namespace) -> int:
    if args.ttl_hours <= 0:
        sys.stderr.write("--ttl-hours must be positive\n")
        return 2
    try:
        token = registry.issue_token(
            args.kiosk_id, args.ttl_hours * 3600, kiosk_code=args.code, reinstate=args.reinstate
        )
    except (RegistryError, KioskCodeError) as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    expires = registry.clock() + args.ttl_hours * 3600
    sys.stdout.write(token + "\n")
    sys.stderr.write(
        f"one-time enrolment token {token_hash(token)[:TOKEN_ID_CHARS]} for kiosk "
        f"{args.kiosk_id}, valid until {_when(expires)} (it is not stored and cannot be "
        "shown again)\n"
    )
    if registry.codes.code_of(args.kiosk_id) is None:
        sys.stderr.write(
            f"warning: kiosk {args.kiosk_id} has no kiosk code on record; the platform takes "
            "none of its tracking numbers until one is recorded (--code, or assign-code)\n"
        )
    return 0


def _revoke(registry: KioskRegistry, kiosk_id: str) -> int:
    outcome = registry.revoke_kiosk(kiosk_id)
    cancelled = f"{outcome.tokens_cancelled} unused enrolment token(s) cancelled"
    if outcome.known:
        sys.stdout.write(f"kiosk {kiosk_id}: key revoked; {cancelled}\n")
        return 0
    sys.stderr.write(f"kiosk {kiosk_id} is not enrolled; {cancelled}\n")
    return 1


def _tokens(registry: KioskRegistry, args: argparse.Namespace) -> int:
    if args.cancel is not None or args.cancel_unused:
        if args.cancel_unused and args.kiosk_id is None:
            sys.stderr.write("--cancel-unused needs --kiosk-id\n")
            return 2
        ids = None
        if args.cancel is not None:
            ids = [token_id_of(text) for text in args.cancel]
            if None in ids:
                sys.stderr.write(f"not a token or token id: {args.cancel[ids.index(None)]}\n")
                return 2
        count = registry.cancel_tokens(
            token_ids=[i for i in ids if i is not None] if ids is not None else None,
            kiosk_id=args.kiosk_id,
        )
        sys.stdout.write(f"{count} enrolment token(s) cancelled\n")
        return 0 if count or args.cancel_unused else 1
    now = registry.clock()
    for record in registry.tokens(args.kiosk_id):
        state = record.state(now)
        at = {"used": record.used_at, "cancelled": record.cancelled_at}.get(state)
        shown = f"{state} {_when(at)}" if at is not None else state
        sys.stdout.write(
            f"{record.token_id}\t{record.kiosk_id}\tissued {_when(record.created_at)}"
            f"\texpires {_when(record.expires_at)}\t{shown}\n"
        )
    return 0


def _assign_code(registry: KioskRegistry, args: argparse.Namespace) -> int:
    try:
        changed = registry.codes.assign(args.kiosk_id, args.code, replace=args.replace)
    except KioskCodeError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    verb = "now has" if changed else "already has"
    sys.stdout.write(f"kiosk {args.kiosk_id} {verb} kiosk code {args.code}\n")
    return 0


def _kiosks(registry: KioskRegistry) -> int:
    codes = registry.codes.bindings()
    for record in registry.kiosks():
        state = f"revoked {_when(record.revoked_at)}" if record.revoked else "active"
        sys.stdout.write(
            f"{record.kiosk_id}\tkey {record.key_id}\tcode {codes.get(record.kiosk_id, '-')}"
            f"\tenrolled {_when(record.enrolled_at)}\t{state}\n"
        )
    return 0


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
            return _issue(registry, args)
        if args.command == "revoke":
            return _revoke(registry, args.kiosk_id)
        if args.command == "tokens":
            return _tokens(registry, args)
        if args.command == "assign-code":
            return _assign_code(registry, args)
        return _kiosks(registry)
    finally:
        engine.dispose()
