"""A GA/T 467 resident ID card reader on a pseudo-terminal: the serial backend's peer.

The emulator holds the master side of a pty; the kiosk opens the slave (``tty_path``, or a
stable symlink ``link`` standing in for a udev name) as it would a USB-serial reader. A pty
ignores line speed, so every reply is paced at the configured baud rate, 10 bits per byte (8N1).

State machine of the SAM and the card on the pad:

    no card --place--> idle --find (20 01): 9F--> found --select (20 02): 90--> selected
    selected --read (30 01): 90 + text + photo--> idle  (or "halted" with halt_after_read)
    lift: back to no card. find on an empty pad (or a halted card): 80; select: 81; read: 41.

``halt_after_read`` copies readers whose card stays halted after a read until it leaves the
field: find answers 80 while the card still lies there. Fault modes (``faults``):
bad_checksum (the read reply's CHK is wrong), split_writes (replies in small pieces with
pauses), slow_reads (the read reply comes ``slow_delay`` seconds late), no_sam (the security
module fails its self-test: SW 60 to everything), no_card (the card answers find and select but
is gone by the read: SW 41). For development, tests, demos and training only.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import hashlib
import json
import os
import random
import select
import signal
import sys
import threading
import time
import tty
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from devices.cards.gat467 import frame as f
from devices.cards.gat467.text import PHOTO_SIZE, CardType, encode_text
from devices.masking import mask_id_number, mask_name

FAULTS = ("bad_checksum", "split_writes", "slow_reads", "no_sam", "no_card")
CARD_TYPES = {
    "resident": CardType.RESIDENT_ID,
    "hmt": CardType.HMT_RESIDENCE_PERMIT,
    "foreigner": CardType.FOREIGNER_PERMANENT_2017,
    "foreigner2023": CardType.FOREIGNER_PERMANENT_2023,
}
DEFAULT_BAUD = 115200
SAM_ID = (
    (5).to_bytes(2, "little")
    + (1).to_bytes(2, "little")
    + (20240101).to_bytes(4, "little")
    + (4512).to_bytes(4, "little")
    + (1000000451).to_bytes(4, "little")
)


def load_holder() -> dict[str, str]:
    """The fictional holder of assets/sim/id_holder.json."""
    text = (resources.files("assets") / "sim" / "id_holder.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def fake_photo(holder: dict[str, Any]) -> bytes:
    """1,024 opaque bytes standing in for WLT data ("WLf" header, as real ones start)."""
    seed = hashlib.sha256(str(holder.get("id_number", "")).encode()).digest()
    body = (seed * (PHOTO_SIZE // len(seed) + 1))[: PHOTO_SIZE - 3]
    return b"WLf" + body


class CardImage:
    """What a card gives the reader: the 256-byte text block and the 1,024-byte photo."""

    def __init__(self, text: bytes, photo: bytes) -> None:
        self.text = text
        self.photo = photo

    @classmethod
    def from_holder(
        cls, holder: dict[str, Any] | None = None, card_type: str = "resident"
    ) -> CardImage:
        holder = holder or load_holder()
        fields = {k: str(v) for k, v in holder.items() if not k.startswith("_")}
        return cls(encode_text(fields, CARD_TYPES[card_type].value), fake_photo(holder))

    def __repr__(self) -> str:
        return "CardImage(...)"


class VirtualIdReader:
    """The emulator: ``start()`` opens the pty and serves it on a thread until ``stop()``."""

    def __init__(
        self,
        card: CardImage | None = None,
        *,
        baudrate: int = DEFAULT_BAUD,
        link: str | Path | None = None,
        halt_after_read: bool = False,
        slow_delay: float = 3.0,
        faults: Sequence[str] = (),
        seed: int | None = None,
    ) -> None:
        unknown = set(faults) - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown fault modes {sorted(unknown)}; known: {FAULTS}")
        self.card = card or CardImage.from_holder()
        self.baudrate = baudrate
        self.link = Path(link) if link else None
        self.halt_after_read = halt_after_read
        self.slow_delay = slow_delay
        self.faults: set[str] = set(faults)
        self.commands: list[tuple[int, int]] = []  # every command seen (no personal data)
        self.bytes_sent = 0
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._state = "none"  # none / idle / found / selected / halted
        self._master: int | None = None
        self._slave: int | None = None
        self.tty_path = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"VirtualIdReader(path={self.path!r}, card={self._state}, faults={self.faults})"

    @property
    def path(self) -> str:
        """The name the kiosk should open: the link if there is one, else the pty slave."""
        return str(self.link) if self.link else self.tty_path

    # --- control --------------------------------------------------------------------------

    def start(self) -> VirtualIdReader:
        master, slave = os.openpty()
        tty.setraw(slave)  # no echo or line editing before the kiosk configures the port
        os.set_blocking(master, False)
        self._master, self._slave = master, slave
        self.tty_path = os.ttyname(slave)
        if self.link is not None:
            tmp = self.link.with_name(self.link.name + f".{os.getpid()}.tmp")
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            tmp.symlink_to(self.tty_path)
            os.replace(tmp, self.link)  # atomic: a reader never sees a missing link mid-swap
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, name="gat467-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the pty (the kiosk's port errors out) and remove the link if it is ours."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(self.slow_delay + 2.0)
        if self.link is not None:
            with contextlib.suppress(OSError):
                if os.readlink(self.link) == self.tty_path:
                    self.link.unlink()
        for fd in (self._master, self._slave):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = None

    def place(self, card: CardImage | None = None) -> None:
        """Put a card on the pad (replacing any card there)."""
        with self._lock:
            if card is not None:
                self.card = card
            self._state = "idle"

    def lift(self) -> None:
        with self._lock:
            self._state = "none"

    @property
    def card_on_pad(self) -> bool:
        return self._state != "none"

    def set_fault(self, name: str, on: bool = True) -> None:
        if name not in FAULTS:
            raise ValueError(f"unknown fault mode {name!r}; known: {FAULTS}")
        with self._lock:
            (self.faults.add if on else self.faults.discard)(name)

    def count(self, command: tuple[int, int]) -> int:
        """How many times a command was received (tests wait on polls by counting them)."""
        with self._lock:
            return self.commands.count(command)

    # --- protocol -------------------------------------------------------------------------

    def answer(self, payload: bytes) -> tuple[bytes, float]:
        """The framed reply to one command payload and how long to wait before sending it."""
        with self._lock:
            command = (payload[0], payload[1]) if len(payload) >= 2 else (0, 0)
            self.commands.append(command)
            faults = set(self.faults)
            if len(payload) < 2:
                return f.encode_reply(f.SW_LENGTH), 0.0
            if "no_sam" in faults:
                return f.encode_reply(f.SW_SAM_SELF_TEST), 0.0
            if command == f.RESET_SAM:
                if self._state != "none":
                    self._state = "idle"  # the field is switched off and on
                return f.encode_reply(f.SW_OK), 0.0
            if command == f.SAM_STATUS:
                return f.encode_reply(f.SW_OK), 0.0
            if command == f.SAM_ID:
                return f.encode_reply(f.SW_OK, SAM_ID), 0.0
            if command == f.FIND_CARD:
                if self._state in ("none", "halted"):
                    return f.encode_reply(f.SW_FIND_FAILED), 0.0
                self._state = "found"
                return f.encode_reply(f.SW_CARD_FOUND, bytes(4)), 0.0
            if command == f.SELECT_CARD:
                if self._state not in ("found", "selected"):
                    return f.encode_reply(f.SW_SELECT_FAILED), 0.0
                self._state = "selected"
                return f.encode_reply(f.SW_OK, bytes(8)), 0.0
            if command == f.READ_TEXT_PHOTO:
                return self._read(faults)
            return f.encode_reply(f.SW_BAD_COMMAND), 0.0

    def _read(self, faults: set[str]) -> tuple[bytes, float]:
        if self._state != "selected" or "no_card" in faults:
            return f.encode_reply(f.SW_READ_FAILED), 0.0
        self._state = "halted" if self.halt_after_read else "idle"
        text, photo = self.card.text, self.card.photo
        data = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo
        reply = f.encode_reply(f.SW_OK, data)
        if "bad_checksum" in faults:
            reply = reply[:-1] + bytes([reply[-1] ^ 0x5A])
        return reply, (self.slow_delay if "slow_reads" in faults else 0.0)

    # --- transport ------------------------------------------------------------------------

    def _serve(self) -> None:
        decoder = f.FrameDecoder()
        master = self._master
        assert master is not None
        while not self._stop.is_set():
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(master, 4096)
            except BlockingIOError:
                continue
            except OSError:
                return
            decoder.feed(data)
            while True:
                try:
                    payload = decoder.next_frame()
                except f.FrameError as exc:
                    sw = f.SW_CHECKSUM if exc.reason == "checksum" else f.SW_LENGTH
                    self._send(f.encode_reply(sw))
                    continue
                if payload is None:
                    break
                reply, delay = self.answer(payload)
                if delay and self._stop.wait(delay):
                    return
                self._send(reply)

    def _send(self, data: bytes) -> None:
        """Write at the line's pace: each piece no sooner than its last bit would arrive."""
        split = "split_writes" in self.faults
        byte_time = 10.0 / self.baudrate
        due = time.monotonic()
        sent = 0
        while sent < len(data) and not self._stop.is_set():
            piece = data[sent : sent + (self._rng.randint(1, 7) if split else 16)]
            due += len(piece) * byte_time + (0.002 * self._rng.random() if split else 0.0)
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            if not self._write_all(piece):
                return
            sent += len(piece)
        self.bytes_sent += sent

    def _write_all(self, piece: bytes) -> bool:
        master = self._master
        while piece and master is not None:
            try:
                n = os.write(master, piece)
            except BlockingIOError:  # nobody reads the slave: wait a little, then drop it
                _, writable, _ = select.select([], [master], [], 1.0)
                if not writable:
                    return False
                continue
            except OSError as exc:
                if exc.errno in (errno.EIO, errno.EBADF):
                    return False
                raise
            piece = piece[n:]
        return True


def _read_commands(reader: VirtualIdReader, stop: threading.Event) -> None:
    """Technician commands on stdin: place [TYPE], lift, fault NAME, clear, quit."""
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        try:
            if words[0] == "place":
                kind = words[1] if len(words) > 1 else "resident"
                reader.place(CardImage.from_holder(None, kind))
            elif words[0] == "lift":
                reader.lift()
            elif words[0] == "fault" and len(words) > 1:
                reader.set_fault(words[1])
            elif words[0] == "clear":
                for name in FAULTS:
                    reader.set_fault(name, False)
            elif words[0] == "quit":
                break
            else:
                print("commands: place [resident|hmt|foreigner|foreigner2023], lift, "
                      "fault NAME, clear, quit", flush=True)
                continue
        except (ValueError, KeyError) as exc:
            print(f"error: {exc}", flush=True)
            continue
        print(f"ok: {reader!r}", flush=True)
    else:
        return  # end of input (stdin closed or /dev/null): keep running until Ctrl-C
    stop.set()


def main(argv: Sequence[str] | None = None) -> int:
    """``kiosk sim idreader``: run the emulator until Ctrl-C, printing the tty path."""
    parser = argparse.ArgumentParser(
        prog="kiosk sim idreader",
        description="A GA/T 467 resident ID card reader on a pseudo-terminal (development and "
        "demos only). Commands on stdin: place [TYPE], lift, fault NAME, clear, quit.",
    )
    parser.add_argument("--baud", type=int, default=DEFAULT_BAUD, help="pace output (8N1)")
    parser.add_argument("--link", help="also make this symlink to the tty (a stable name)")
    parser.add_argument("--holder", help="JSON file with a fictional holder (default: fixture)")
    parser.add_argument("--card", choices=sorted(CARD_TYPES), default="resident")
    parser.add_argument("--placed", action="store_true", help="start with the card on the pad")
    parser.add_argument("--halt-after-read", action="store_true")
    parser.add_argument("--fault", action="append", choices=FAULTS, default=[])
    parser.add_argument("--slow-delay", type=float, default=3.0)
    args = parser.parse_args(argv)
    holder = None
    if args.holder:
        with open(args.holder, encoding="utf-8") as fh:
            holder = json.load(fh)
    reader = VirtualIdReader(
        CardImage.from_holder(holder, args.card),
        baudrate=args.baud,
        link=args.link,
        halt_after_read=args.halt_after_read,
        slow_delay=args.slow_delay,
        faults=args.fault,
    )
    stop = threading.Event()
    with contextlib.suppress(ValueError):  # not the main thread: Ctrl-C is enough
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    reader.start()
    if args.placed:
        reader.place()
    shown = holder or load_holder()
    who = f"{mask_name(shown['name'])} {mask_id_number(shown['id_number'])} ({args.card})"
    link = f" (link {args.link})" if args.link else ""
    print(f"GA/T 467 reader on {reader.tty_path}{link} at {args.baud} baud; card: {who}; "
          f"{'on the pad' if args.placed else 'not placed'}; Ctrl-C stops", flush=True)
    threading.Thread(target=_read_commands, args=(reader, stop), daemon=True).start()
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        reader.stop()
    print("reader closed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
