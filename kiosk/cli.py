"""The ``kiosk`` command: run the kiosk, diagnose it, run one emulator or the platform alone."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from .config import ConfigError, load_config
from .logging_setup import setup_logging

STARTED_AT = time.monotonic()  # as early as the command can note it


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk", description="Government services self-service kiosk")
    p.add_argument("--config", type=Path, help="TOML config file (default: KIOSK_CONFIG or the "
                   "platform config dir)")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start the kiosk window")
    run.add_argument("--demo", action="store_true",
                     help="start the emulators and a local reference platform first")
    run.add_argument("--fullscreen", action="store_true")
    diag = sub.add_parser("diagnose", help="check readers, printer, outbox and platform")
    diag.add_argument("--json", action="store_true", help="machine-readable output")
    sim = sub.add_parser("sim", help="run one emulator alone")
    sim.add_argument("device", choices=["printer", "card"])
    sim.add_argument("args", nargs=argparse.REMAINDER)
    server = sub.add_parser("server", help="run the reference platform alone")
    server.add_argument("args", nargs=argparse.REMAINDER)
    cfg = sub.add_parser("config", help="show the effective configuration")
    cfg.add_argument("action", choices=["show"])
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    setup_logging(logging.DEBUG if args.verbose else logging.INFO)
    if args.command == "sim":
        if args.device == "printer":
            from devices.sim.escpos_printer import main as printer_main

            return printer_main(args.args)
        from devices.sim.vcard import main as card_main

        return card_main(args.args)
    if args.command == "server":
        from sync.server.cli import main as server_main

        return server_main(args.args)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"configuration problem: {exc}", file=sys.stderr)
        return 2
    if args.command == "config":
        print(json.dumps(config.as_dict(), indent=2, ensure_ascii=False))
        return 0
    if args.command == "diagnose":
        from .diagnose import diagnose, render_text

        report = diagnose(config)
        print(json.dumps(report, indent=2, ensure_ascii=False) if args.json
              else render_text(report))
        return 0 if report["ok"] else 1
    return _run(config, demo=args.demo, fullscreen=args.fullscreen)


def _run(config, demo: bool, fullscreen: bool) -> int:  # type: ignore[no-untyped-def]
    from .app import KioskCore
    from .wiring import build_printer, build_reader

    stack = None
    if demo:
        from .demo import start_demo

        stack = start_demo(config)
        config = stack.config
        reader, note = stack.reader, stack.reader_note
    else:
        reader, note = build_reader(config), ""
    core = KioskCore(config, reader, build_printer(config), reader_note=note)
    core.start()
    try:
        from ui.app import run_window  # the one declared lazy import of the GUI

        return run_window(
            core,
            fullscreen=fullscreen,
            demo_insert_card=stack.insert_card if stack else None,
            started_at=STARTED_AT,
        )
    finally:
        core.stop()
        if stack is not None:
            stack.close()


if __name__ == "__main__":
    raise SystemExit(main())
