"""Operator commands for queue numbers (取号), what window staff use until the hall's calling
system speaks the protocol itself.

``kiosk server queue list --data-dir DIR --site SITE [--window KEY] [--day YYYY-MM-DD]
[--all] [--json]`` lists the numbers still waiting today (the hall's day; ``--all``: called
ones too). ``kiosk server queue call --data-dir DIR --site SITE --window KEY [--to A05]``
calls the lowest waiting number of today's queue: from then on it no longer counts as
waiting ahead of anyone. ``kiosk server queue zone --data-dir DIR --site SITE ZONE`` sets the
hall's time zone (the first kiosk to take a number set it from its configuration).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from sqlalchemy import Engine

from sync.file_modes import private_directory
from sync.server import queue
from sync.server.db import create_schema
from sync.server.schema_queue import metadata
from sync.server.store import make_engine

QUEUE_COMMAND = "queue"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk server queue", description="Queue numbers.")
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--data-dir", type=Path, required=True, help="keys and database")
        sub.add_argument("--database-url", default=None, help="SQLAlchemy URL (default SQLite)")
        sub.add_argument("--site", required=True, help="the hall's site code")
        return sub

    listing = common(commands.add_parser("list", help="numbers waiting today"))
    listing.add_argument("--window", default=None, help="one window queue only")
    listing.add_argument("--day", default=None, help="another day (YYYY-MM-DD)")
    listing.add_argument("--all", action="store_true", help="called numbers too")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    call = common(commands.add_parser("call", help="call the next waiting number"))
    call.add_argument("--window", required=True, help="the window queue")
    call.add_argument("--to", default=None, help="the window the citizen goes to, e.g. A05")
    zone = common(commands.add_parser("zone", help="set the hall's time zone"))
    zone.add_argument("zone", help="IANA time zone, e.g. Asia/Shanghai")
    return parser


def _list(engine: Engine, args: argparse.Namespace, now: float) -> int:
    day = args.day or queue.hall_day(engine, args.site, now)
    rows = queue.list_tickets(engine, args.site, day, window_key=args.window,
                              include_called=args.all)
    if args.json:
        sys.stdout.write(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1)
                         + "\n")
        return 0
    title = "tickets" if args.all else "waiting"
    sys.stdout.write(f"{args.site} {day}: {title} {len(rows)}\n")
    for r in rows:
        state = r.state + (f" to {r.called_to}" if r.called_to else "")
        issued = time.strftime("%H:%M:%S", time.gmtime(r.issued_at))
        sys.stdout.write(f"{r.ticket}\t{r.window_key}\t{r.service_code}\t{state}"
                         f"\tissued {issued} UTC\t{r.kiosk_id}\n")
    return 0


def _call(engine: Engine, args: argparse.Namespace, now: float) -> int:
    called = queue.call_next(engine, args.site, args.window, now, called_to=args.to)
    if called is None:
        sys.stdout.write(f"nobody is waiting in {args.window} at {args.site}\n")
        return 1
    left = len(queue.list_tickets(engine, args.site, called.day, window_key=args.window))
    where = f" to window {args.to}" if args.to else ""
    sys.stdout.write(f"{called.ticket} called{where} ({called.service_code}); "
                     f"{left} still waiting\n")
    return 0


def run_queue_admin(
    argv: list[str], default_url: Callable[[Path], str], *, clock: Callable[[], float] = time.time
) -> int:
    """Run ``queue list|call|zone``; 0 on success, 1 if refused or nobody waits, 2 on bad usage."""
    args = _parser().parse_args(argv)
    private_directory(args.data_dir)
    engine = make_engine(args.database_url or default_url(args.data_dir))
    try:
        create_schema(engine, metadata)
        now = clock()
        if args.command == "zone":
            queue.set_hall_zone(engine, args.site, args.zone, now)
            sys.stdout.write(f"{args.site}: days counted in {args.zone}\n")
            return 0
        return _list(engine, args, now) if args.command == "list" else _call(engine, args, now)
    except (queue.QueueError, ValueError) as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    finally:
        engine.dispose()
