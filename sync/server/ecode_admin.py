"""Operator commands for electronic card codes: test codes for demos, training and tests.

``kiosk server ecode issue --data-dir DIR [--fixture | --id-number N --name NAME [--gender 男]
[--birth-date YYYY-MM-DD] [--nation 汉] [--card-number C] [--region R]] [--kind
social_security|medical_insurance] [--ttl 60]`` prints one code, good once until it expires,
signed with the platform's code key (``ecode_key.pem`` in the data directory, made on first
use). Show it as a QR code, or hand it to the scanner emulator (``scan CODE`` on the stdin of
``kiosk sim scanner``). ``kiosk server ecode list --data-dir DIR`` shows the codes known, with
no identity: id, kind, expiry, and which kiosk resolved them.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from sync.file_modes import private_directory
from sync.platform.ecodes import CODE_KINDS
from sync.server.ecodes import DEFAULT_TTL, EcodeDesk, fixture_identity
from sync.server.keys import load_or_create_ecode_key
from sync.server.schema_ecodes import ecodes
from sync.server.store import make_engine

ECODE_COMMAND = "ecode"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk server ecode",
                                     description="Electronic card codes (test codes).")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, words in (("issue", "print a new test code"), ("list", "codes known")):
        sub = commands.add_parser(name, help=words)
        sub.add_argument("--data-dir", type=Path, required=True, help="keys and database")
        sub.add_argument("--database-url", default=None, help="SQLAlchemy URL (default SQLite)")
        if name == "issue":
            sub.add_argument("--fixture", action="store_true",
                             help="for the fictional holder of the virtual card")
            for field in ("id-number", "name", "gender", "birth-date", "nation",
                          "card-number", "region"):
                sub.add_argument(f"--{field}", default="")
            sub.add_argument("--kind", choices=CODE_KINDS, default="social_security")
            sub.add_argument("--ttl", type=float, default=DEFAULT_TTL,
                             help=f"seconds the code is good for (default {DEFAULT_TTL:g})")
    return parser


def run_ecode_admin(
    argv: list[str], default_url: Callable[[Path], str], *, clock: Callable[[], float] = time.time
) -> int:
    """Run ``ecode issue|list``; 0 on success, 1 if refused, 2 on bad usage."""
    args = _parser().parse_args(argv)
    private_directory(args.data_dir)
    engine = make_engine(args.database_url or default_url(args.data_dir))
    try:
        desk = EcodeDesk(engine, load_or_create_ecode_key(args.data_dir), clock=clock)
        if args.command == "list":
            with engine.connect() as conn:
                rows = conn.execute(select(ecodes).order_by(ecodes.c.issued_at)).fetchall()
            for r in rows:
                expiry = datetime.fromtimestamp(r.expires_at, UTC).strftime("%Y-%m-%d %H:%M:%S")
                used = f"resolved by {r.resolved_by}" if r.resolved_at else "not used"
                sys.stdout.write(f"{r.code_id}\t{r.code_kind}\texpires {expiry} UTC\t{used}\n")
            return 0
        identity = fixture_identity() if args.fixture else {
            "id_number": args.id_number.upper(), "name": args.name, "gender": args.gender,
            "birth_date": args.birth_date, "nation": args.nation,
            "card_number": args.card_number, "region": args.region or args.id_number[:6]}
        sys.stdout.write(desk.issue(identity, code_kind=args.kind, ttl=args.ttl) + "\n")
        return 0
    except ValueError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    finally:
        engine.dispose()
