"""The ``kiosk`` command: run the kiosk, diagnose it, run one emulator or the platform alone."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from kiosk.config import ConfigError, load_config
from kiosk.logs.setup import setup_logging

STARTED_AT = time.monotonic()  # as early as the command can note it
OUTBOX_HELP = "the local outbox: status, list, retry, export, reprint"
AUDIT_HELP = "the hash-chained audit trail: verify, show, prune"
TECHNICIAN_HELP = "local technician PIN and sign-in lock-out (root)"
UPDATE_HELP = "install, switch and roll back releases (root; docs/updates.md)"


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; ``command`` (the word the user typed) limits what is imported."""
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
    diag = sub.add_parser(
        "diagnose", help="check readers, printer, outbox and platform",
        description="Check every device, the outbox and the platform. Exit status: 0 all well, "
        "1 needs attention (read the warnings), 2 failing.")
    diag.add_argument("--json", action="store_true", help="machine-readable output")
    diag.add_argument("--schema", action="store_true",
                      help="print the JSON Schema of the --json output and exit")
    sim = sub.add_parser("sim", help="run one emulator alone (options: kiosk sim printer -h)")
    sim.add_argument("device", choices=["printer", "card", "idreader", "scanner"])
    sub.add_parser("server", help="run the reference platform alone (options: kiosk server -h)")
    cfg = sub.add_parser("config", help="show the effective configuration")
    cfg.add_argument("action", choices=["show"])
    # ``outbox`` and ``technician`` bring their own options; their modules import the outbox
    # and the staff store, which a plain ``kiosk run`` should not pay for at start-up.
    if command in (None, "outbox"):
        from . import outbox

        outbox.add_parser(sub, OUTBOX_HELP)
    else:
        sub.add_parser("outbox", help=OUTBOX_HELP)
    if command in (None, "technician"):
        from . import technician

        technician.add_parser(sub, TECHNICIAN_HELP)
    else:
        sub.add_parser("technician", help=TECHNICIAN_HELP)
    if command in (None, "audit"):
        from . import audit

        audit.add_parser(sub, AUDIT_HELP)
    else:
        sub.add_parser("audit", help=AUDIT_HELP)
    if command in (None, "update"):
        from . import update

        update.add_parser(sub, UPDATE_HELP)
    else:
        sub.add_parser("update", help=UPDATE_HELP)
    ooo = sub.add_parser("out-of-order", help="show only a full-screen out-of-order notice "
                         "(kiosk-out-of-order.service, when the kiosk keeps failing)")
    ooo.add_argument("--exit-after", type=float, metavar="SECONDS", help=argparse.SUPPRESS)
    gallery = sub.add_parser("gallery", help="every screen of a visit as PNG files, for review")
    gallery.add_argument("outdir", type=Path)
    gallery.add_argument("--locale", action="append", choices=["zh_CN", "en"],
                         help="only this language (repeatable; default: both)")
    gallery.add_argument("--size", action="append", metavar="WxH",
                         help="only this screen size (repeatable; default: 1920x1080, "
                         "1080x1920, 1280x1024)")
    gallery.add_argument("--mode", action="append",
                         choices=["standard", "care", "high-contrast", "care+high-contrast"],
                         help="only this display mode (repeatable; default: standard, care, "
                         "high-contrast)")
    keys = sub.add_parser("keys", help="this kiosk's signing key pair")
    keys.add_argument("action", choices=["init", "show"])
    enroll = sub.add_parser("enroll", help="enrol with the platform using a one-time token")
    enroll.add_argument("--token", help="the token from the platform operator "
                        "(default: [platform] enrolment_token)")
    return p


def _command_word(argv: list[str]) -> str | None:
    """The sub-command's name, or None when there is none yet (``kiosk -h``)."""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        if argv[i] in ("-h", "--help"):
            return None
        i += 2 if argv[i] == "--config" else 1
    return argv[i] if i < len(argv) else None


def _delegated(argv: list[str]) -> tuple[str, list[str]] | None:
    """``sim`` and ``server`` hand all their options to the emulator's or server's own parser."""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        i += 2 if argv[i] == "--config" else 1
    if i < len(argv) and argv[i] == "server":
        return "server", argv[i + 1 :]
    if i + 1 < len(argv) and argv[i] == "sim" and argv[i + 1] in ("printer", "card", "idreader",
                                                                    "scanner"):
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
        if command == "sim scanner":
            from devices.sim.scanner.emulator import main as scanner_main

            return scanner_main(rest)
        if command == "sim idreader":
            from devices.sim.idreader.emulator import main as idreader_main

            return idreader_main(rest)
        from devices.sim.card.cli import main as card_main

        return card_main(rest)
    args = _parser(_command_word(argv)).parse_args(argv)
    setup_logging(logging.DEBUG if args.verbose else logging.INFO)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"configuration problem: {exc}", file=sys.stderr)
        if args.command == "out-of-order":  # a broken config may be why the kiosk is down
            from .out_of_order import run_out_of_order_screen

            return run_out_of_order_screen(None, args)
        return 2
    if args.command == "config":
        print(json.dumps(config.as_dict(), indent=2, ensure_ascii=False))
        return 0
    if args.command == "outbox":
        from . import outbox

        return outbox.run(config, args)
    if args.command == "audit":
        from . import audit

        return audit.run(config, args)
    if args.command == "update":
        from . import update

        return update.run(config, args)
    if args.command == "technician":
        from . import technician

        return technician.run(config, args)
    if args.command in ("keys", "enroll"):
        from .keys import run as keys_run

        return keys_run(config, args)
    if args.command == "diagnose":
        from kiosk.diagnostics.diagnose import diagnose, render_text
        from kiosk.diagnostics.grading import exit_code, report_schema

        if args.schema:
            print(report_schema())
            return 0
        report = diagnose(config)
        print(json.dumps(report, indent=2, ensure_ascii=False) if args.json
              else render_text(report))
        return exit_code(report)  # 0 all well, 1 needs attention, 2 failing
    if args.command == "out-of-order":
        from .out_of_order import run_out_of_order_screen

        return run_out_of_order_screen(config, args)
    if args.command == "gallery":
        from .gallery import run_gallery

        return run_gallery(args)
    from .run import run_kiosk

    return run_kiosk(config, demo=args.demo, fullscreen=args.fullscreen,
                exit_after_first_paint=args.exit_after_first_paint)
