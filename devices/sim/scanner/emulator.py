"""A serial QR code scanner on a pseudo-terminal: the serial scanner driver's peer.

The emulator holds the master side of a pty; the kiosk opens the slave (``tty_path``, or a
stable symlink ``link`` standing in for a udev name) as it would a scanner in USB-COM mode.
:meth:`VirtualScanner.scan` is a code held under the scanner: its text goes out in the
configured encoding, after the prefix and before the suffix the scanner is set up with, paced
at the baud rate (10 bits a byte, 8N1). Fault modes (``faults``): split_writes (the code in
small pieces with pauses), truncated (half the code, then silence: no suffix), noise (a burst
of bytes that decode to no text, then the code). For development, tests, demos and training.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import random
import select
import signal
import sys
import threading
import time
import tty
from collections.abc import Sequence
from pathlib import Path

from devices.scanners.frames import TERMINATORS

FAULTS = ("split_writes", "truncated", "noise")
DEFAULT_BAUD = 9600


class VirtualScanner:
    """``start()`` opens the pty; ``scan(text)`` sends one code; ``stop()`` closes it."""

    def __init__(
        self,
        *,
        baudrate: int = DEFAULT_BAUD,
        link: str | Path | None = None,
        suffix: str = "cr",
        prefix: bytes = b"",
        encoding: str = "utf-8",
        faults: Sequence[str] = (),
        seed: int | None = None,
    ) -> None:
        unknown = set(faults) - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown fault modes {sorted(unknown)}; known: {FAULTS}")
        self.baudrate = baudrate
        self.link = Path(link) if link else None
        self.suffix = TERMINATORS[suffix]
        self.prefix = prefix
        self.encoding = encoding
        self.faults: set[str] = set(faults)
        self.scans = 0  # codes sent (their texts are not kept: they may be credentials)
        self._rng = random.Random(seed)
        self._lock = threading.Lock()  # one code on the line at a time
        self._master: int | None = None
        self._slave: int | None = None
        self.tty_path = ""

    def __repr__(self) -> str:
        return f"VirtualScanner(path={self.path!r}, scans={self.scans}, faults={self.faults})"

    @property
    def path(self) -> str:
        """The name the kiosk should open: the link if there is one, else the pty slave."""
        return str(self.link) if self.link else self.tty_path

    def start(self) -> VirtualScanner:
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
            os.replace(tmp, self.link)
        return self

    def stop(self) -> None:
        """Close the pty (the kiosk's port errors out) and remove the link if it is ours."""
        if self.link is not None:
            with contextlib.suppress(OSError):
                if os.readlink(self.link) == self.tty_path:
                    self.link.unlink()
        with self._lock:
            for fd in (self._master, self._slave):
                if fd is not None:
                    with contextlib.suppress(OSError):
                        os.close(fd)
            self._master = self._slave = None

    def set_fault(self, name: str, on: bool = True) -> None:
        if name not in FAULTS:
            raise ValueError(f"unknown fault mode {name!r}; known: {FAULTS}")
        (self.faults.add if on else self.faults.discard)(name)

    def frame(self, text: str) -> bytes:
        """The bytes a scanner set up like this one sends for ``text``."""
        return self.prefix + text.encode(self.encoding) + self.suffix

    def scan(self, text: str) -> None:
        """A code held under the scanner: sends it now (returns once it is on the line)."""
        data = self.frame(text)
        if "truncated" in self.faults:
            data = data[: max(1, len(data) // 2)]
        if "noise" in self.faults:
            data = bytes([0xFF, 0xFE, 0xC0]) + self.suffix + data
        with self._lock:
            self._send(data)
            self.scans += 1

    def _send(self, data: bytes) -> None:
        split = "split_writes" in self.faults
        byte_time = 10.0 / self.baudrate
        due = time.monotonic()
        sent = 0
        while sent < len(data):
            piece = data[sent : sent + (self._rng.randint(1, 5) if split else 32)]
            due += len(piece) * byte_time + (0.01 * self._rng.random() if split else 0.0)
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            if not self._write_all(piece):
                return
            sent += len(piece)

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


def _read_commands(scanner: VirtualScanner, stop: threading.Event) -> None:
    """Technician commands on stdin: scan TEXT, fault NAME, clear, quit."""
    for line in sys.stdin:
        words = line.strip().split(maxsplit=1)
        if not words:
            continue
        try:
            if words[0] == "scan" and len(words) == 2:
                scanner.scan(words[1])
            elif words[0] == "fault" and len(words) == 2:
                scanner.set_fault(words[1])
            elif words[0] == "clear":
                for name in FAULTS:
                    scanner.set_fault(name, False)
            elif words[0] == "quit":
                break
            else:
                print("commands: scan TEXT, fault NAME, clear, quit", flush=True)
                continue
        except ValueError as exc:
            print(f"error: {exc}", flush=True)
            continue
        print(f"ok: {scanner!r}", flush=True)
    else:
        return  # end of input: keep running until Ctrl-C
    stop.set()


def main(argv: Sequence[str] | None = None) -> int:
    """``kiosk sim scanner``: run the emulator until Ctrl-C, printing the tty path."""
    parser = argparse.ArgumentParser(
        prog="kiosk sim scanner",
        description="A serial QR code scanner on a pseudo-terminal (development and demos "
        "only). Commands on stdin: scan TEXT, fault NAME, clear, quit.",
    )
    parser.add_argument("--baud", type=int, default=DEFAULT_BAUD, help="pace output (8N1)")
    parser.add_argument("--link", help="also make this symlink to the tty (a stable name)")
    parser.add_argument("--suffix", choices=sorted(TERMINATORS), default="cr")
    parser.add_argument("--fault", action="append", choices=FAULTS, default=[])
    args = parser.parse_args(argv)
    scanner = VirtualScanner(baudrate=args.baud, link=args.link, suffix=args.suffix,
                             faults=args.fault)
    stop = threading.Event()
    with contextlib.suppress(ValueError):
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    scanner.start()
    link = f" (link {args.link})" if args.link else ""
    print(f"QR code scanner on {scanner.tty_path}{link} at {args.baud} baud, suffix "
          f"{args.suffix}; Ctrl-C stops", flush=True)
    threading.Thread(target=_read_commands, args=(scanner, stop), daemon=True).start()
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        scanner.stop()
    print("scanner closed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
