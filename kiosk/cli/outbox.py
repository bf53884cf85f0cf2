"""``kiosk outbox``: what waits, what was delivered, and what a technician can do about it.

``status``, ``list``, ``export`` and ``reprint`` only read, so they run beside a live kiosk.
``export-usb`` also only reads. ``retry`` and ``read-acks`` write, so they take the outbox's
lock like the kiosk does: stop the kiosk first.
Nothing here shows personal data: payloads are sealed, receipt records are masked.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
from pathlib import Path
from typing import Any

from kiosk.assembly import build_printer
from kiosk.config import Config, ConfigError
from kiosk.submission import print_receipt
from sync.outbox.errors import OutboxError, OutboxLockedError
from sync.outbox.peek import peek_counts, peek_records
from sync.outbox.schema import STATES
from sync.outbox.store import Outbox


def add_parser(sub: Any, help_text: str) -> None:
    p = sub.add_parser("outbox", help=help_text)
    actions = p.add_subparsers(dest="action", required=True)
    actions.add_parser("status", help="counts per state and the oldest waiting record")
    listing = actions.add_parser("list", help="records, oldest first")
    listing.add_argument("--state", choices=STATES, action="append")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true")
    retry = actions.add_parser("retry", help="send a quarantined or waiting record again")
    retry.add_argument("id")
    export = actions.add_parser(
        "export", help="sealed records as JSON lines, to carry to the platform by hand"
    )
    export.add_argument("file", type=Path)
    export.add_argument("--state", choices=STATES, action="append")
    usb = actions.add_parser(
        "export-usb", help="waiting records, signed and sealed, to a mounted USB stick")
    usb.add_argument("root", type=Path, help="where the stick is mounted")
    acks = actions.add_parser(
        "read-acks", help="mark acked what the platform's acknowledgements on the stick say")
    acks.add_argument("root", type=Path, help="where the stick is mounted")
    reprint = actions.add_parser("reprint", help="print a stored receipt again (masked data)")
    reprint.add_argument("id", help="transaction id or tracking number")


def run(config: Config, args: argparse.Namespace) -> int:
    path = config.outbox_path
    if not path.exists():
        print(f"no outbox at {path} yet")
        return 0 if args.action in ("status", "list") else 1
    try:
        return _ACTIONS[args.action](config, args)
    except OutboxLockedError:
        print("the kiosk is running and holds the outbox: stop it first, or use the "
              "technician panel", file=sys.stderr)
        return 1
    except (OutboxError, ConfigError) as exc:
        print(f"outbox {args.action} failed: {exc}", file=sys.stderr)
        return 1


def _status(config: Config, args: argparse.Namespace) -> int:
    counts, oldest = peek_counts(config.outbox_path)
    for state in STATES:
        print(f"{state:12} {counts.get(state, 0)}")
    if oldest is not None:
        print(f"oldest waiting record: {oldest / 3600:.1f} h old")
    return 0


def _row(record: Any) -> dict[str, Any]:
    return {
        "id": record.id,
        "tracking_number": record.receipt.get("tracking_number", ""),
        "service_code": record.service_code,
        "created_at": record.created_at.isoformat(),
        "state": record.state,
        "attempts": record.attempts,
        "last_error": record.last_error or "",
        "verdict": record.verdict or "",
        "platform_status": record.platform_status or "",
    }


def _list(config: Config, args: argparse.Namespace) -> int:
    records = peek_records(config.outbox_path, args.state, args.limit)
    rows = [_row(r) for r in records]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        note = r["platform_status"] or r["verdict"] or r["last_error"]
        print(f"{r['id']}  {r['tracking_number']:24} {r['state']:11} "
              f"{r['attempts']:>3}  {r['service_code']}  {note}")
    return 0


def _retry(config: Config, args: argparse.Namespace) -> int:
    outbox = Outbox(config.outbox_path)
    try:
        record = outbox.requeue(args.id)
    except KeyError:
        print(f"no record {args.id}", file=sys.stderr)
        return 1
    finally:
        outbox.close()
    print(f"{record.id} will be sent at the next sync")
    return 0


def _export(config: Config, args: argparse.Namespace) -> int:
    states = args.state or ["pending", "sending", "quarantined"]
    records = [r for r in peek_records(config.outbox_path, states) if r.envelope]
    tmp = args.file.with_name(args.file.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        for r in records:
            doc = {**_row(r), "kiosk_id": config.kiosk.id, "payload_hash": r.payload_hash,
                   "envelope": base64.b64encode(r.envelope or b"").decode("ascii")}
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(args.file)
    print(f"exported {len(records)} sealed record(s) to {args.file}")
    return 0


def _export_usb(config: Config, args: argparse.Namespace) -> int:
    from kiosk.usb_transfer import export_to_stick

    done = export_to_stick(config, args.root)
    print(f"exported {done.count} waiting record(s) to {done.path}; they stay waiting here "
          "until the platform's acknowledgement is read back (kiosk outbox read-acks)")
    return 0


def _read_acks(config: Config, args: argparse.Namespace) -> int:
    from kiosk.usb_transfer import read_acks_from_stick

    done = read_acks_from_stick(config, args.root)
    print(f"acked {done.acked} record(s); {done.quarantined} refused by the platform "
          f"(quarantined, see kiosk outbox list); {done.unknown} already settled")
    for why in done.refused:
        print(f"not used: {why}", file=sys.stderr)
    return 1 if done.refused else 0


def _reprint(config: Config, args: argparse.Namespace) -> int:
    wanted = args.id.strip().upper()
    for record in peek_records(config.outbox_path):
        if record.id.upper() == wanted or record.receipt.get("tracking_number") == wanted:
            if not record.receipt:
                print("this record's receipt is no longer kept", file=sys.stderr)
                return 1
            outcome = print_receipt(build_printer(config), record.receipt)
            if not outcome.printed:
                print(f"not printed: {outcome.message}", file=sys.stderr)
                return 1
            print(f"reprinted {record.receipt['tracking_number']}")
            return 0
    print(f"no record {args.id}", file=sys.stderr)
    return 1


_ACTIONS = {
    "status": _status,
    "list": _list,
    "retry": _retry,
    "export": _export,
    "export-usb": _export_usb,
    "read-acks": _read_acks,
    "reprint": _reprint,
}
