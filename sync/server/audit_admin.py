"""``kiosk server audit --data-dir DIR [--database-url URL] [--grace-seconds S] [--json]``:
every kiosk's audit chain as the platform holds it, the head its last heartbeat named, and its
breaks (gaps, broken links, rewrites, a cut-off tail) in words.

Exit status: 0 every chain intact, 1 at least one kiosk flagged, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from sync.server.audit import DEFAULT_GRACE_SECONDS, every_kiosk
from sync.server.store import make_engine

AUDIT_COMMAND = "audit"


def run_audit_admin(argv: list[str], default_url: Callable[[Path], str]) -> int:
    p = argparse.ArgumentParser(prog="kiosk server audit",
                                description="the kiosks' audit chains and their breaks")
    p.add_argument("--data-dir", type=Path, required=True, help="keys and database")
    p.add_argument("--database-url", default=None, help="SQLAlchemy URL (default SQLite)")
    p.add_argument("--grace-seconds", type=float, default=DEFAULT_GRACE_SECONDS,
                   help="how long uploads may lag behind a head the kiosk named "
                   "(default %(default)g)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    if not args.grace_seconds >= 0:
        p.error("--grace-seconds must be a number of seconds, 0 or more")
    engine = make_engine(args.database_url or default_url(args.data_dir))
    try:
        statuses = every_kiosk(engine, args.grace_seconds)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps([s.model_dump() for s in statuses], indent=2, ensure_ascii=False))
    elif not statuses:
        print("no audit entries received yet")
    for s in [] if args.json else statuses:
        span = (f"{s.entries} entries (#{s.first_seq} to #{s.last_seq})" if s.entries
                else "no entries")
        head = "" if s.head_seq is None else f"; its last heartbeat named #{s.head_seq}"
        print(f"{s.kiosk_id}: {'intact' if s.intact else 'BROKEN'}, {span}{head}")
        for flag in s.flags:
            print(f"  {flag.kind}: {flag.words}")
    return 0 if all(s.intact for s in statuses) else 1
