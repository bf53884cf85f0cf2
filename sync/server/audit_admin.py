"""``kiosk server audit --data-dir DIR [--database-url URL] [--json]``: every kiosk's audit
chain as the platform holds it, and its breaks (gaps, broken links, rewrites) in words.

Exit status: 0 every chain intact, 1 at least one kiosk flagged, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from sync.server.audit import every_kiosk
from sync.server.store import make_engine

AUDIT_COMMAND = "audit"


def run_audit_admin(argv: list[str], default_url: Callable[[Path], str]) -> int:
    p = argparse.ArgumentParser(prog="kiosk server audit",
                                description="the kiosks' audit chains and their breaks")
    p.add_argument("--data-dir", type=Path, required=True, help="keys and database")
    p.add_argument("--database-url", default=None, help="SQLAlchemy URL (default SQLite)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    engine = make_engine(args.database_url or default_url(args.data_dir))
    try:
        statuses = every_kiosk(engine)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps([s.model_dump() for s in statuses], indent=2, ensure_ascii=False))
    elif not statuses:
        print("no audit entries received yet")
    for s in [] if args.json else statuses:
        span = f"{s.entries} entries (#{s.first_seq} to #{s.last_seq})"
        print(f"{s.kiosk_id}: {'intact' if s.intact else 'BROKEN'}, {span}")
        for flag in s.flags:
            print(f"  {flag.kind}: {flag.words}")
    return 0 if all(s.intact for s in statuses) else 1
