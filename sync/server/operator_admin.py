"""``kiosk server operator add|remove|list``: the accounts that log in to the fleet page.

``add NAME`` reads the password twice at a hidden prompt, or once from stdin with
``--password-stdin`` (for scripts: ``printf '%s\\n' "$PW" | kiosk server operator add ...``).
``remove NAME`` deletes the account and ends its sessions at once. ``list`` shows names, failed
logins in a row and a lock. See :mod:`sync.server.operators` for the hash and the lock-out.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from sync.server.db import create_schema, make_engine
from sync.server.operators import OperatorDesk, OperatorError, check_name, check_password
from sync.server.schema_operators import metadata

OPERATOR_COMMAND = "operator"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"kiosk server {OPERATOR_COMMAND}",
        description="Operator accounts of the platform's fleet page (/fleet).",
    )
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="add an operator; the password is asked twice")
    add.add_argument("name")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of stdin instead")
    remove = sub.add_parser("remove", help="delete an operator and end their sessions")
    remove.add_argument("name")
    sub.add_parser("list", help="names, failed logins in a row, locks")
    for p in (add, remove, sub.choices["list"]):
        p.add_argument("--data-dir", type=Path, required=True, help="keys and database")
        p.add_argument("--database-url", default=None, help="SQLAlchemy URL (default SQLite)")
    return parser


def _read_password(from_stdin: bool, stdin: TextIO) -> str:
    if from_stdin:
        return check_password(stdin.readline().rstrip("\r\n"))
    first = check_password(getpass.getpass("Password: "))
    if getpass.getpass("Again: ") != first:
        raise OperatorError("the two passwords differ; nothing was changed")
    return first


def run_operator_admin(
    argv: list[str], default_url: Callable[[Path], str], stdin: TextIO | None = None,
    clock: Callable[[], float] = time.time,
) -> int:
    """0 on success, 1 if refused, 2 on bad usage or a refused password."""
    args = _parser().parse_args(argv)
    password = ""
    if args.action == "add":
        try:
            check_name(args.name)
            password = _read_password(args.password_stdin, stdin or sys.stdin)
        except OperatorError as exc:
            sys.stderr.write(f"{exc}\n")
            return 2
        except EOFError:
            sys.stderr.write("no password given; nothing was changed\n")
            return 2
    args.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    engine = make_engine(args.database_url or default_url(args.data_dir))
    try:
        create_schema(engine, metadata)
        desk = OperatorDesk(engine, clock=clock)
        if args.action == "list":
            now = clock()
            for op in desk.list():
                lock = (f"\tlocked for {int(op.locked_until - now) // 60 + 1} min"
                        if op.locked_until and op.locked_until > now else "")
                sys.stdout.write(f"{op.name}\t{op.failures} failed{lock}\n")
            return 0
        try:
            if args.action == "add":
                desk.add(args.name, password)
                sys.stderr.write(f"operator {args.name} added; log in at /fleet/login\n")
            else:
                desk.remove(args.name)
                sys.stderr.write(f"operator {args.name} removed; their sessions ended\n")
        except OperatorError as exc:
            sys.stderr.write(f"{exc}\n")
            return 1
        return 0
    finally:
        engine.dispose()
