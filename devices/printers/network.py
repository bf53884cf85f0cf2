"""An ESC/POS printer on a raw TCP port (usually 9100), through python-escpos ``Network``.

The whole job is rendered in memory first and then written with one ``sendall``, so the
socket timeout bounds the whole write; status answers are read on the same socket with our
own deadline (python-escpos' ``Network`` reads with a bare ``recv`` and a 60 s default).
"""

from __future__ import annotations

import contextlib
import socket
import time
from typing import TYPE_CHECKING

from devices.printers.base import EscPosReceiptPrinter, Link

if TYPE_CHECKING:  # python-escpos is imported when a printer is first opened, not at start
    from escpos.printer import Network


class SocketLink:
    """A connected python-escpos ``Network`` printer as a ``Link``."""

    def __init__(self, printer: Network) -> None:
        self._printer = printer
        assert isinstance(printer.device, socket.socket)
        self._sock: socket.socket = printer.device

    def write(self, data: bytes) -> None:
        self._printer._raw(data)

    def read_byte(self, deadline: float) -> int | None:
        """One byte before the deadline, None if none came; a closed connection is an error."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        self._sock.settimeout(remaining)
        try:
            data = self._sock.recv(1)
        except TimeoutError:
            return None
        if not data:
            raise ConnectionResetError("the printer closed the connection")
        return data[0]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._printer.close()


class NetworkReceiptPrinter(EscPosReceiptPrinter):
    """An ESC/POS printer on a raw TCP port; no socket is kept between calls."""

    kind = "network"

    def __init__(self, host: str, port: int = 9100, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.host = host
        self.port = port

    def describe(self) -> str:
        return f"network {self.host}:{self.port} ({self.width_mm} mm)"

    def _open(self, timeout: float) -> Link:
        from escpos.exceptions import DeviceNotFoundError
        from escpos.printer import Network

        printer = Network(self.host, self.port, timeout=timeout)
        try:
            printer.open()
        except DeviceNotFoundError as exc:
            raise ConnectionError(str(exc).replace("\n", " ")) from exc
        return SocketLink(printer)
