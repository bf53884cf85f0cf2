"""``kiosk technician set-pin|unlock|new-roll``: the two things root can do on the machine itself.

``set-pin --id STAFF_NUMBER [--name NAME]`` keeps one local technician credential for a kiosk
that has never been online (the platform's list replaces it once it arrives); the PIN is read
twice from a hidden prompt or two lines of stdin, never from the command line. ``unlock``
ends a sign-in lock-out. Both refuse unless run as root (Administrator on Windows): someone at
the kiosk's screen cannot run them, someone with the machine's root password is trusted.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

from kiosk.config import Config
from kiosk.staff.sign_in import lockout_for
from kiosk.staff.store import set_local_pin
from sync.clock import SystemClock
from sync.staff_credentials import (
    PinPolicyError,
    StaffDocumentError,
    check_person_id,
    read_new_pin,
)

audit = logging.getLogger("kiosk.audit")


def is_root() -> bool:
    """True for root (or an elevated Administrator on Windows)."""
    geteuid = getattr(os, "geteuid", None)
    if geteuid is not None:
        return bool(geteuid() == 0)
    try:
        import ctypes

        return bool(ctypes.windll.shell32.IsUserAnAdmin())  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return False


def add_parser(sub: Any, help_text: str) -> None:
    p = sub.add_parser("technician", help=help_text)
    actions = p.add_subparsers(dest="action", required=True)
    pin = actions.add_parser(
        "set-pin", help="set this kiosk's local technician PIN (read from a prompt or stdin)"
    )
    pin.add_argument("--id", required=True, dest="person_id",
                     help="the technician's staff number (3-12 digits), used to sign in")
    pin.add_argument("--name", default="", help="display name for the audit log")
    actions.add_parser("unlock", help="end a staff sign-in lock-out")
    roll = actions.add_parser(
        "new-roll", help="record that a new receipt paper roll was fitted (resets the counters)"
    )
    roll.add_argument("--id", required=True, dest="person_id",
                      help="the staff number of the technician who fitted it, for the audit")


def new_roll(config: Config, person_id: str, clock: SystemClock) -> int:
    """Counters to zero for a new receipt roll, who and when in the audit log."""
    from kiosk.paper_roll import PaperRollError, open_roll

    try:
        check_person_id(person_id)
        estimate = open_roll(config.data_dir, config.printer).new_roll(person_id, clock.now())
    except (PaperRollError, StaffDocumentError, OSError) as exc:
        print(f"new paper roll not recorded: {exc}", file=sys.stderr)
        return 2
    audit.info("new paper roll fitted at %s by technician %s (kiosk technician new-roll)",
               config.kiosk.id, person_id)
    print(f"new paper roll recorded: {estimate.words()}")
    return 0


def run(config: Config, args: argparse.Namespace) -> int:
    if not is_root():
        print(f"kiosk technician {args.action} must be run as root on the kiosk itself "
              f"(sudo kiosk technician {args.action} ...)", file=sys.stderr)
        return 1
    clock = SystemClock()
    if args.action == "new-roll":
        return new_roll(config, args.person_id, clock)
    if args.action == "unlock":
        cleared = lockout_for(config, clock).clear()
        audit.info("staff lock-out cleared at %s by root (kiosk technician unlock)",
                   config.kiosk.id)
        print("staff sign-in unlocked" if cleared else "staff sign-in was not locked")
        return 0
    try:
        check_person_id(args.person_id)  # before asking for a PIN that would be wasted
        pin = read_new_pin()
        person = set_local_pin(config, args.person_id, args.name, pin, clock)
    except (PinPolicyError, StaffDocumentError) as exc:
        print(f"PIN not set: {exc}", file=sys.stderr)
        return 2
    audit.info("local technician credential set for %s at %s by root", person.person_id,
               config.kiosk.id)
    print(f"local technician PIN set for staff number {person.person_id}; it is used until "
          "the platform's staff list reaches this kiosk")
    return 0
