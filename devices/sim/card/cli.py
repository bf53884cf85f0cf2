"""``kiosk sim card``: a virtual card in pcscd's vpcd reader, with fault modes, until Ctrl-C.

Commands on stdin (one a line): ``insert``, ``remove``, ``fault NAME`` (switch one on),
``fault -NAME`` (switch one off), ``clear`` (all off), ``quit``. A card pulled out by a fault
mode (``mute``, ``remove_mid_read``) or by pcscd stopping is inserted again after a pause,
unless ``remove`` asked for it to stay out. Development, tests, demos and training only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import queue
import sys
import threading
import time
from collections.abc import Iterable, Sequence

from devices.masking import mask_id_number, mask_name
from devices.sim.card.faults import FAULTS, parse_sw
from devices.sim.card.vcard import (
    ATRS,
    DEFAULT_HOST,
    DEFAULT_PIN,
    DEFAULT_PORT,
    VirtualCard,
    load_holder,
)

REINSERT_PAUSE = 2.0
COMMANDS = "insert, remove, fault NAME, fault -NAME, clear, unblock, quit"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk sim card",
        description="Insert a virtual card into pcscd's vpcd reader (development and demos only). "
        f"Commands on stdin: {COMMANDS}.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--profile", choices=sorted(ATRS), default="ssc")
    parser.add_argument("--holder", help="JSON file with a fictional holder (default: fixture)")
    parser.add_argument(
        "--fault", action="append", choices=FAULTS, default=[], help="fault mode (repeatable)"
    )
    parser.add_argument("--fault-after", type=int, default=2, metavar="N",
                        help="APDUs answered normally before mute/remove_mid_read/wrong_sw strike")
    parser.add_argument("--slow-delay", type=float, default=3.0, metavar="S",
                        help="seconds before each answer in the slow mode")
    parser.add_argument("--mute-seconds", type=float, default=3.0, metavar="S",
                        help="silence before the mute card is pulled out")
    parser.add_argument("--wrong-sw", type=parse_sw, default=b"\x6f\x00", metavar="HEX",
                        help="status word of the wrong_sw mode (default 6F00)")
    parser.add_argument("--pin", default=DEFAULT_PIN, metavar="DIGITS",
                        help=f"the card holder's PIN, six digits (default {DEFAULT_PIN}); three "
                        "wrong ones block it until `unblock` on stdin")
    return parser


def _read_commands(stream: Iterable[str], commands: queue.SimpleQueue[str]) -> None:
    with contextlib.suppress(OSError, ValueError):
        for line in stream:
            if line.strip():
                commands.put(line.strip())
    # end of input: keep the card as it is until Ctrl-C


def _apply(card: VirtualCard, command: str, want: dict[str, bool]) -> bool:
    """Carry out one stdin command; False on ``quit``."""
    words = command.split()
    if words[0] == "quit":
        return False
    if words[0] == "insert":
        want["inserted"] = True
    elif words[0] == "remove":
        want["inserted"] = False
        card.remove()
        print("card removed", flush=True)
    elif words[0] == "unblock":
        card.unblock_pin()
        print(f"PIN tries left: {card.pin_tries_left}", flush=True)
    elif words[0] == "clear":
        card.clear_faults()
        print("fault modes: none", flush=True)
    elif words[0] == "fault" and len(words) == 2:
        name = words[1].lstrip("-")
        try:
            card.set_fault(name, not words[1].startswith("-"))
        except ValueError as exc:
            print(exc, flush=True)
        else:
            print(f"fault modes: {', '.join(sorted(card.faults)) or 'none'}", flush=True)
    else:
        print(f"unknown command {command!r}; commands: {COMMANDS}", flush=True)
    return True


def main(argv: Sequence[str] | None = None, stdin: Iterable[str] | None = None) -> int:
    """Keep a virtual card inserted in vpcd until Ctrl-C or ``quit``; ``stdin`` for tests."""
    args = _parser().parse_args(argv)
    holder = None
    if args.holder:
        with open(args.holder, encoding="utf-8") as f:
            holder = json.load(f)
    try:
        card = VirtualCard(args.host, args.port, args.profile, holder, faults=args.fault,
                           fault_after=args.fault_after, mute_seconds=args.mute_seconds,
                           wrong_sw=args.wrong_sw, pin=args.pin)
        card.fault.slow_delay = args.slow_delay
        card.fault.validate()
    except ValueError as exc:
        print(f"kiosk sim card: {exc}", file=sys.stderr)
        return 2
    shown = holder or load_holder()
    who = f"{mask_name(shown['name'])} {mask_id_number(shown['id_number'])}"
    if args.profile == "bank":
        who = "bank card (not a social-security card)"
    commands: queue.SimpleQueue[str] = queue.SimpleQueue()
    threading.Thread(
        target=_read_commands, args=(stdin or sys.stdin, commands), name="card-cli", daemon=True
    ).start()
    want = {"inserted": True}
    was_in = False
    pause_until = 0.0
    try:
        while True:
            try:
                if not _apply(card, commands.get(timeout=0.5), want):
                    break
            except queue.Empty:
                pass
            if was_in and not card.inserted:
                was_in = False
                if want["inserted"]:
                    why = "a fault mode pulled it out" if card.pulled_by_fault.is_set() else (
                        "vpcd closed the connection (pcscd stopped?)"
                    )
                    print(f"card out: {why}; inserting it again in {REINSERT_PAUSE:g} s",
                          flush=True)
                    pause_until = time.monotonic() + REINSERT_PAUSE
            if want["inserted"] and not card.inserted and time.monotonic() >= pause_until:
                try:
                    card.insert()
                except OSError as exc:
                    print(f"vpcd not reachable at {args.host}:{args.port}: {exc}", flush=True)
                    pause_until = time.monotonic() + REINSERT_PAUSE
                    continue
                was_in = True
                faults = ", ".join(sorted(card.faults)) or "none"
                print(f"card inserted at {args.host}:{args.port}: {who}; fault modes: {faults}; "
                      "Ctrl-C removes it", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        card.close()
    print("card removed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
