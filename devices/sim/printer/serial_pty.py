"""The virtual ESC/POS printer on a pseudo-terminal: the serial driver's peer.

A serial printer has no connections: the host opens ``device_path`` (e.g. ``/dev/pts/5``) with
pyserial and writes; status answers come back on the same line. POSIX only.
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
import time
import tty
from collections.abc import Callable
from pathlib import Path

from .mechanism import EmulatedPrinter
from .printout import PrintedReceipt


class SerialVirtualPrinter(EmulatedPrinter):
    """An emulated printer behind a pseudo-terminal; ``device_path`` is the host's side."""

    def __init__(
        self,
        width_mm: int = 58,
        out_dir: Path | None = None,
        on_receipt: Callable[[PrintedReceipt], None] | None = None,
        render_png: bool = True,
    ) -> None:
        super().__init__(width_mm, out_dir, on_receipt, render_png)
        self.device_path = ""
        self._master = -1
        self._slave = -1  # kept open so the line stays up between the host's opens
        self._wake_r, self._wake_w = os.pipe()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def start(self) -> SerialVirtualPrinter:
        self._start_output()
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.device_path = os.ttyname(self._slave)
        self._thread = threading.Thread(target=self._serve, name="virtual-serial-printer",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping = True
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._stop_output()
        for fd in (self._master, self._slave, self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._master = self._slave = self._wake_r = self._wake_w = -1

    def __enter__(self) -> SerialVirtualPrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self) -> None:
        parser = self.new_parser()
        late: list[tuple[float, bytes]] = []
        while not self._stopping:
            timeout = max(late[0][0] - time.monotonic(), 0) if late else None
            ready, _, _ = select.select([self._master, self._wake_r], [], [], timeout)
            if self._wake_r in ready:
                break
            if self._master in ready:
                try:
                    data = os.read(self._master, 65536)
                except OSError:
                    data = b""
                if data:
                    reply = self.feed(parser, data)
                    if reply:
                        late.append((time.monotonic() + self.status_delay, reply))
            now = time.monotonic()
            while late and late[0][0] <= now:
                with contextlib.suppress(OSError):
                    os.write(self._master, late.pop(0)[1])
        parser.finish()
