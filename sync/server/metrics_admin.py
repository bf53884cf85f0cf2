"""``kiosk server metrics-token --data-dir DIR [--disable]``: the token Prometheus scrapes with.

Prints a new token on stdout (alone, so a script can capture it) and keeps only its SHA-256 in
the data directory; the previous token stops working at once. ``--disable`` turns
``/metrics`` off. See :mod:`sync.server.metrics`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sync.file_modes import private_directory
from sync.server.metrics import METRICS_PATH, disable, new_token

METRICS_COMMAND = "metrics-token"


def run_metrics_admin(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog=f"kiosk server {METRICS_COMMAND}",
        description=f"Make the bearer token for the platform's {METRICS_PATH} (Prometheus).",
    )
    parser.add_argument("--data-dir", type=Path, required=True, help="keys and database")
    parser.add_argument("--disable", action="store_true", help=f"turn {METRICS_PATH} off")
    args = parser.parse_args(argv)
    if args.disable:
        was_on = disable(args.data_dir)
        sys.stderr.write(f"{METRICS_PATH} is off" + ("" if was_on else " (it was not on)") + "\n")
        return 0
    if not args.data_dir.is_dir():
        sys.stderr.write(f"no platform data directory at {args.data_dir}\n")
        return 2
    private_directory(args.data_dir)
    sys.stdout.write(new_token(args.data_dir) + "\n")
    sys.stderr.write(
        f"{METRICS_PATH} now answers this token only (Authorization: Bearer <token>); "
        "a running platform takes it at once\n"
    )
    return 0
