"""Operator commands for ratings and staff calls.

``kiosk server ratings --data-dir DIR [--all] [--followed-up TXID --by STAFF_ID] [--json]``
reports the 好差评 ratings per service and kiosk, then lists the poor ones (levels 1 and 2)
still waiting for a reply, with their transaction and the last day of the 15-working-day
window (``--all``: replied ones too); ``--followed-up`` records that a member of staff replied.

``kiosk server calls --data-dir DIR [--all] [--ack CALL_ID --by STAFF_ID]
[--clear CALL_ID --by STAFF_ID] [--json]`` lists the open staff calls (``--all``: closed ones
too), acknowledges one (its kiosk then says staff have seen it) or clears it (its kiosk stops
showing it). Only hall staff (role ``staff``) answer calls, as on the kiosk.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from sync.file_modes import private_directory
from sync.server import calls, ratings
from sync.server.db import create_schema
from sync.server.schema_messages import metadata
from sync.server.store import make_engine

MESSAGE_COMMANDS = ("ratings", "calls")
REASON_WORDS = {"slow": "too slow", "unclear": "hard to understand", "device": "device problem",
                "other": "other"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk server", description="Ratings and staff calls.")
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--data-dir", type=Path, required=True, help="keys and database")
        sub.add_argument("--database-url", default=None, help="SQLAlchemy URL (default SQLite)")
        sub.add_argument("--json", action="store_true", help="machine-readable output")
        sub.add_argument("--by", default=None, help="staff number of who did it")
        return sub

    rate = common(commands.add_parser("ratings", help="好差评 ratings per service and kiosk"))
    rate.add_argument("--all", action="store_true", help="list poor ratings already replied to")
    rate.add_argument("--followed-up", metavar="TXID", default=None,
                      help="record the reply to the poor rating of this transaction")
    call = common(commands.add_parser("calls", help="staff calls raised at kiosks"))
    call.add_argument("--all", action="store_true", help="closed calls too")
    action = call.add_mutually_exclusive_group()
    action.add_argument("--ack", metavar="CALL_ID", default=None, help="staff are on their way")
    action.add_argument("--clear", metavar="CALL_ID", default=None, help="the call is dealt with")
    return parser


def _ratings(engine: Engine, args: argparse.Namespace) -> int:
    if args.followed_up is not None:
        if not args.by:
            sys.stderr.write("--followed-up needs --by STAFF_ID (who replied)\n")
            return 2
        try:
            ratings.record_follow_up(engine, args.followed_up, args.by, time.time())
        except ratings.FollowUpError as exc:
            sys.stderr.write(f"{exc}\n")
            return 1
        sys.stdout.write(f"{args.followed_up}: reply recorded by {args.by}\n")
        return 0
    rows = ratings.summary(engine)
    poor = ratings.poor_ratings(engine, include_done=args.all)
    if args.json:
        doc: dict[str, Any] = {
            "summary": [{**asdict(r), "average": round(r.average, 2),
                         "satisfied_share": round(r.satisfied_share, 4)} for r in rows],
            "poor": [{**asdict(p), "reply_due": p.reply_due.isoformat()} for p in poor],
        }
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        return 0
    out = sys.stdout
    out.write("service\tkiosk\tratings\t5\t4\t3\t2\t1\taverage\tsatisfied\n")
    for r in rows:
        levels = "\t".join(str(r.by_level[level]) for level in (5, 4, 3, 2, 1))
        out.write(f"{r.service_code}\t{r.kiosk_id}\t{r.count}\t{levels}\t{r.average:.2f}"
                  f"\t{r.satisfied_share:.0%}\n")
    if not rows:
        out.write("(no ratings yet)\n")
    title = "poor ratings (levels 1 and 2)" if args.all else "poor ratings awaiting a reply"
    out.write(f"\n{title}: {len(poor)}\n")
    for p in poor:
        number = p.tracking_number or "(transaction not received yet)"
        done = (f"replied by {p.followed_up_by}" if p.followed_up_by
                else f"reply due by {p.reply_due.isoformat()}")
        out.write(f"{p.txid}\t{number}\t{p.kiosk_id}\t{p.service_code}\tlevel {p.level}"
                  f"\t{REASON_WORDS.get(p.reason or '', p.reason)}\trated {p.rated_at}\t{done}\n")
    return 0


def _calls(engine: Engine, args: argparse.Namespace) -> int:
    target = args.ack or args.clear
    if target is not None:
        if not args.by:
            sys.stderr.write("--ack and --clear need --by STAFF_ID (who answers the call)\n")
            return 2
        move = calls.acknowledge if args.ack else calls.clear
        try:
            state = move(engine, target, args.by, time.time())
        except calls.CallError as exc:
            sys.stderr.write(f"{exc}\n")
            return 1
        sys.stdout.write(f"{target}: {state} by {args.by}\n")
        return 0
    rows = calls.list_calls(engine, include_closed=args.all)
    if args.json:
        sys.stdout.write(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1)
                         + "\n")
        return 0
    sys.stdout.write(f"{'calls' if args.all else 'open calls'}: {len(rows)}\n")
    for r in rows:
        where = f"at {r.step}" + (f" ({r.service_code})" if r.service_code else "")
        who = ""
        if r.acknowledged_by:
            who += f"\tacknowledged by {r.acknowledged_by}"
        if r.closed_by:
            who += f"\t{r.state} by {r.closed_by} on the {r.closed_where}"
        sys.stdout.write(f"{r.call_id}\t{r.kiosk_id}\t{r.state}\traised {r.raised_at}"
                         f"\t{where}{who}\n")
    return 0


def run_message_admin(argv: list[str], default_url: Callable[[Path], str]) -> int:
    """Run ``ratings`` or ``calls``; 0 on success, 1 if refused, 2 on bad usage."""
    args = _parser().parse_args(argv)
    private_directory(args.data_dir)
    engine = make_engine(args.database_url or default_url(args.data_dir))
    try:
        create_schema(engine, metadata)
        return _ratings(engine, args) if args.command == "ratings" else _calls(engine, args)
    finally:
        engine.dispose()
