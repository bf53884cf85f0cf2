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
LOG_FILE = Path("logs") / "kiosk.log"  # in the data directory, for technicians


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
    run.add_argument("--exit-after-first-paint", action="store_true",
                     help="quit once the home screen is painted (install checks, benchmarks)")
    diag = sub.add_parser("diagnose", help="check readers, printer, outbox and platform")
    diag.add_argument("--json", action="store_true", help="machine-readable output")
    sim = sub.add_parser("sim", help="run one emulator alone (options: kiosk sim printer -h)")
    sim.add_argument("device", choices=["printer", "card", "idreader"])
    sub.add_parser("server", help="run the reference platform alone (options: kiosk server -h)")
    cfg = sub.add_parser("config", help="show the effective configuration")
    cfg.add_argument("action", choices=["show"])
    from . import outbox_cli

    outbox_cli.add_parser(sub)
    from . import technician_cli

    technician_cli.add_parser(sub)
    keys = sub.add_parser("keys", help="this kiosk's signing key pair")
    keys.add_argument("action", choices=["init", "show"])
    enroll = sub.add_parser("enroll", help="enrol with the platform using a one-time token")
    enroll.add_argument("--token", help="the token from the platform operator "
                        "(default: [platform] enrolment_token)")
    return p


def _delegated(argv: list[str]) -> tuple[str, list[str]] | None:
    """``sim`` and ``server`` hand all their options to the emulator's or server's own parser."""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        i += 2 if argv[i] == "--config" else 1
    if i < len(argv) and argv[i] == "server":
        return "server", argv[i + 1 :]
    if i + 1 < len(argv) and argv[i] == "sim" and argv[i + 1] in ("printer", "card", "idreader"):
        return f"sim {argv[i + 1]}", argv[i + 2 :]
    return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    delegated = _delegated(argv)
    if delegated is not None:
        setup_logging(logging.DEBUG if "-v" in argv or "--verbose" in argv else logging.INFO)
        command, rest = delegated
        if command == "server":
            from sync.server.cli import main as server_main

            return server_main(rest, host_logging=True)  # uvicorn logs through ours
        if command == "sim printer":
            from devices.sim.printer.tcp_server import main as printer_main

            return printer_main(rest)
        if command == "sim idreader":
            from devices.sim.idreader.emulator import main as idreader_main

            return idreader_main(rest)
        from devices.sim.card.cli import main as card_main

        return card_main(rest)
    args = _parser().parse_args(argv)
    setup_logging(logging.DEBUG if args.verbose else logging.INFO)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"configuration problem: {exc}", file=sys.stderr)
        return 2
    if args.command == "config":
        print(json.dumps(config.as_dict(), indent=2, ensure_ascii=False))
        return 0
    if args.command == "outbox":
        from . import outbox_cli

        return outbox_cli.run(config, args)
    if args.command == "technician":
        from . import technician_cli

        return technician_cli.run(config, args)
    if args.command in ("keys", "enroll"):
        return _identity_command(config, args)
    if args.command == "diagnose":
        from .diagnose import diagnose, render_text

        report = diagnose(config)
        print(json.dumps(report, indent=2, ensure_ascii=False) if args.json
              else render_text(report))
        return 0 if report["ok"] else 1
    return _run(config, demo=args.demo, fullscreen=args.fullscreen,
                exit_after_first_paint=args.exit_after_first_paint)


def _identity_command(config, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from sync.client import PlatformError
    from sync.identity import IdentityError, load_identity

    from .enrolment import enrol, identity_dir, init_keys

    try:
        if args.command == "keys":
            identity = init_keys(config) if args.action == "init" else load_identity(
                identity_dir(config)
            )
            print(f"kiosk {config.kiosk.id}\nkey id {identity.key_id}\n"
                  f"public key {identity.public_key_text}")
            return 0
        token = args.token or config.platform.enrolment_token
        if not token:
            print("enrolment needs a one-time token: kiosk enroll --token TOKEN",
                  file=sys.stderr)
            return 2
        keys = enrol(config, token)
    except (IdentityError, PlatformError, ValueError) as exc:
        print(f"{args.command} failed: {exc}", file=sys.stderr)
        return 1
    print(f"enrolled as {keys.kiosk_id}; pinned sealing key {keys.sealing_key_id} and "
          f"catalogue key {keys.catalogue_key_id}")
    return 0


def _run(  # type: ignore[no-untyped-def]
    config, demo: bool, fullscreen: bool, exit_after_first_paint: bool = False
) -> int:
    from sync.file_modes import private_directory

    from .app import KioskCore
    from .logging_setup import add_log_file, redact_every_handler
    from .wiring import build_printer, build_readers

    private_directory(config.data_dir)
    add_log_file(config.data_dir / LOG_FILE)
    stack = None
    if demo:
        from .demo import start_demo

        stack = start_demo(config)
        config = stack.config
        readers, note = stack.readers, stack.reader_note
    else:
        readers, note = build_readers(config), ""
    core = KioskCore(config, readers, build_printer(config), reader_note=note)
    core.start()
    redact_every_handler()  # libraries started by now may have added handlers of their own
    try:
        from ui.app import run_window  # the one declared lazy import of the GUI

        return run_window(
            core,
            fullscreen=fullscreen,
            demo_insert_card=stack.insert_card if stack else None,
            demo_place_id_card=stack.place_id_card if stack else None,
            started_at=STARTED_AT,
            exit_after_first_paint=exit_after_first_paint,
        )
    finally:
        core.stop()
        if stack is not None:
            stack.close()


if __name__ == "__main__":
    raise SystemExit(main())
