"""The reference platform in a child process whose clock the test moves.

``ClockedPlatform`` is a :class:`~tests.support.platform.PlatformProcess` (same keys, tokens,
records) whose server is the platform app with its clock ``time.time() + shift``: setting
``platform.shift = 3600`` makes it an hour ahead at its next request, without a restart. The
child (``python -m tests.support.clocked_platform --clock-offset-file F <kiosk server
options>``) reads the offset from that file at every reading of its clock.

A child process and not a thread of the test: the platform's request threads would otherwise
live in the test process, where the Qt tests' leak check (support/leaks.py) counts them.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from tests.support.platform import PlatformProcess

__all__ = ["ClockedPlatform"]


class ClockedPlatform(PlatformProcess):
    def __init__(self, data_dir: Path, **options: Any) -> None:
        super().__init__(data_dir, **options)
        self.offset_file = self.data_dir / "clock-offset"
        self.shift = 0.0

    @property
    def shift(self) -> float:
        return self._shift

    @shift.setter
    def shift(self, seconds: float) -> None:
        self._shift = float(seconds)
        partial = self.offset_file.with_suffix(".tmp")
        partial.write_text(repr(self._shift), "ascii")
        os.replace(partial, self.offset_file)  # the child never reads half a number

    def _command(self) -> list[str]:
        return [sys.executable, "-m", "tests.support.clocked_platform",
                "--clock-offset-file", str(self.offset_file), "--host", "127.0.0.1",
                "--port", str(self.port), "--data-dir", str(self.data_dir),
                *self._server_options()]


def _clock(offset_file: Path) -> float:
    try:
        shift = float(offset_file.read_text("ascii"))
    except (OSError, ValueError):
        shift = 0.0
    return time.time() + shift


def main(argv: list[str] | None = None) -> int:
    from sync.server.cli import TLSFiles, parse_args, start_server_thread

    ours = argparse.ArgumentParser(add_help=False)
    ours.add_argument("--clock-offset-file", type=Path, required=True)
    known, rest = ours.parse_known_args(argv)
    args = parse_args(rest)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    server = start_server_thread(
        args.host, args.port, args.data_dir, args.database_url,
        tls=TLSFiles(args.tls_cert, args.tls_key) if args.tls_cert else None,
        require_signatures=not args.allow_unsigned,
        clock=lambda: _clock(known.clock_offset_file),
        shutdown_timeout=args.shutdown_timeout, open_envelopes=args.open_envelopes,
        max_body_bytes=args.max_body_bytes, request_timeout=args.request_timeout,
        payment_window_seconds=args.payment_window_seconds,
        heartbeat_overdue_seconds=args.heartbeat_overdue_seconds,
    )
    print(f"platform listening on {server.url}", flush=True)
    stop.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
