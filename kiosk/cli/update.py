"""``kiosk update ...`` and ``kiosk-updater``: the privileged updater's command line.

- ``apply``: do what the kiosk asked in ``<data>/updates/request.json`` (prepare or switch);
  what ``kiosk-update.service`` runs as root when ``kiosk-update.path`` sees the request;
- ``status``: the installed releases, the current one, bad versions, the last result (JSON);
- ``install FILE --version V [--activate]``: build ``<root>/releases/<V>/`` from a local wheel
  or wheelhouse (a technician's file, trusted as given: no signature), and with ``--activate``
  point ``current`` at it when nothing is current yet (the first installation);
- ``rollback``: point ``current`` at the newest installed release older than the current one,
  restart and wait for its paint (a technician's way back when a release misbehaves later).

Exit status: 0 done (or nothing to do), 1 refused or rolled back, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from kiosk.config import Config, ConfigError, load_config

log = logging.getLogger(__name__)


def add_arguments(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="action", required=True)
    actions.add_parser("apply", help="do what the kiosk asked (prepare or switch a release)")
    actions.add_parser("status", help="installed releases, the current one, bad versions")
    install = actions.add_parser("install", help="install a local wheel or wheelhouse")
    install.add_argument("file", type=Path)
    install.add_argument("--version", required=True)
    install.add_argument("--activate", action="store_true",
                         help="make it current if no release is current yet")
    actions.add_parser("rollback", help="back to the newest older installed release")


def add_parser(sub: argparse._SubParsersAction, help_text: str) -> None:  # type: ignore[type-arg]
    add_arguments(sub.add_parser("update", help=help_text))


def run(config: Config, args: argparse.Namespace) -> int:
    from kiosk.updates.updater import UpdateError, Updater, UpdaterSettings
    from sync.platform.releases import parse_version

    updater = Updater(UpdaterSettings.from_config(config))
    if args.action == "status":
        print(json.dumps(updater.status(), indent=2, ensure_ascii=False))
        return 0
    if args.action == "apply":
        result = updater.handle_request()
        print(f"{result.result}: {result.message}")
        return 0 if result.result in ("nothing", "prepared", "updated") else 1
    if args.action == "install":
        try:
            parse_version(args.version)
            target = updater.install(args.file.resolve(), args.version)
            if args.activate and updater.current_version() is None:
                updater.point_current_at(args.version)
        except (UpdateError, ValueError, OSError) as exc:
            print(f"not installed: {exc}", file=sys.stderr)
            return 1
        print(f"release {args.version} installed in {target}"
              + (f"; current: {updater.current_version()}" if args.activate else ""))
        return 0
    current = updater.current_version()
    older = [v for v in updater.status()["installed"]
             if current is not None and parse_version(v) < parse_version(current)]
    if not older:
        print("no older installed release to roll back to", file=sys.stderr)
        return 1
    updater.point_current_at(older[-1])
    painted = updater.start_and_wait(older[-1])
    print(f"current: {older[-1]} ({'painted' if painted else 'did not paint'})")
    return 0 if painted else 1


def updater_main(argv: list[str] | None = None) -> int:
    """The ``kiosk-updater`` console script: ``kiosk-updater [--config FILE] apply|status|...``."""
    from kiosk.logs.setup import setup_logging

    p = argparse.ArgumentParser(prog="kiosk-updater", description="Install, switch and roll "
                                "back kiosk releases (run as root; docs/updates.md).")
    p.add_argument("--config", type=Path, help="TOML config file (default: KIOSK_CONFIG)")
    add_arguments(p)
    args = p.parse_args(argv)
    setup_logging(logging.INFO)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"configuration problem: {exc}", file=sys.stderr)
        return 2
    return run(config, args)
