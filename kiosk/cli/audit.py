"""``kiosk audit``: verify the kiosk's hash-chained audit trail, show it, prune it.

``verify`` and ``show`` only read. Exit status of ``verify``: 0 the chain is intact, 1 it is
broken (each break said in words), 2 there is no audit log to read or it cannot be opened.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from typing import Any

from kiosk.audit.store import AuditError, AuditLog
from kiosk.config import Config
from sync.outbox.errors import OutboxError


def add_parser(sub: Any, help_text: str) -> None:
    p = sub.add_parser("audit", help=help_text)
    actions = p.add_subparsers(dest="action", required=True)
    verify = actions.add_parser("verify", help="check the chain: changed, inserted, deleted, "
                                "reordered or cut-off entries (exit 0 intact, 1 broken, 2 "
                                "no log)")
    verify.add_argument("--json", action="store_true")
    show = actions.add_parser("show", help="the last entries")
    show.add_argument("--limit", type=int, default=20)
    actions.add_parser("prune", help="drop entries older than [audit] retention_days that the "
                       "platform acknowledged (the kiosk also does this once a day)")


def run(config: Config, args: argparse.Namespace) -> int:
    path = config.audit_path
    if not path.exists():
        print(f"no audit log at {path} yet", file=sys.stderr)
        return 2
    try:
        log = AuditLog(path)
    except (AuditError, OSError, sqlite3.DatabaseError) as exc:  # said, not raised
        print(f"the audit log at {path} cannot be opened: {exc}", file=sys.stderr)
        return 2
    try:
        if args.action == "verify":
            problems = log.verify()
            kept = len(log.entries())
            if args.json:
                print(json.dumps({"intact": not problems, "entries": kept,
                                  "anchor_seq": log.anchor.seq, "head_seq": log.head_seq,
                                  "problems": [p.as_dict() for p in problems]}, indent=2))
            elif problems:
                print(f"audit log BROKEN: {len(problems)} problem(s) in {kept} entries")
                for problem in problems:
                    print(f"  {problem.kind}: {problem.words}")
            else:
                print(f"audit log intact: {kept} entries, #{log.anchor.seq + 1} to "
                      f"#{log.head_seq}")
            return 1 if problems else 0
        if args.action == "show":
            for entry in log.entries()[-args.limit:]:
                print(json.dumps(entry, ensure_ascii=False, sort_keys=True))
            return 0
        from kiosk.audit.retention import acked_in, prune_acknowledged
        from sync.outbox.peek import peek_message_states

        def acked(ids: list[str]) -> set[str]:
            return acked_in(peek_message_states(config.outbox_path, ids))

        pruned = prune_acknowledged(log, acked, config.kiosk.id, config.audit.retention_days)
        print(f"pruned {pruned} entries; the chain now starts after #{log.anchor.seq}")
        return 0
    except OutboxError as exc:
        print(f"audit {args.action} failed: {exc}", file=sys.stderr)
        return 1
    except AuditError as exc:
        print(f"audit {args.action} failed: {exc}", file=sys.stderr)
        return 1
    finally:
        log.close()
