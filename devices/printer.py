"""ESC/POS receipt printers behind the small ``ReceiptPrinter`` interface.

Two things python-escpos does not do safely for a kiosk are done here by hand:

* Status: its helpers read with a bare ``recv`` (60 s default) and take an empty read as
  "paper fine". We send ``DLE EOT n`` on our own socket with a short deadline and treat no
  answer as UNKNOWN, never as OK.
* Chinese text: its automatic encoding prints ``?`` for CJK punctuation on its own and for
  characters outside U+4E00..U+9FA5 (e.g. 䶮). We send GB18030 bytes inside Chinese mode
  (``FS &`` ... ``FS .``), which covers all of Unicode.

The whole job is rendered in memory first (python-escpos ``Dummy``) and then written with one
``sendall`` through ``escpos.printer.Network``, so the socket timeout bounds the whole write.
"""

from __future__ import annotations

import logging
import socket
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from enum import StrEnum

from escpos.constants import QR_ECLEVEL_M
from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Dummy, Network

from devices.receipt import Line, Receipt, WidthMm, layout_receipt

log = logging.getLogger(__name__)

DLE_EOT = b"\x10\x04"
FS_CHINESE_ON = b"\x1c\x26"
FS_CHINESE_OFF = b"\x1c\x2e"
LF = b"\n"
STATUS_QUERIES = (1, 2, 4)
QR_MODULE_DOTS: dict[int, int] = {58: 6, 80: 8}


class PrinterStatus(StrEnum):
    """What a technician and the flow need to know about a printer."""

    OK = "ok"
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    ERROR = "error"
    UNKNOWN = "unknown"


# States in which a job may be sent; anything else is refused before a byte is written.
PRINTABLE = frozenset({PrinterStatus.OK, PrinterStatus.PAPER_NEAR_END})

_MESSAGES = {
    PrinterStatus.PAPER_OUT: "the printer is out of paper",
    PrinterStatus.COVER_OPEN: "the printer cover is open",
    PrinterStatus.OFFLINE: "the printer is offline or unreachable",
    PrinterStatus.ERROR: "the printer reports an error",
    PrinterStatus.UNKNOWN: "the printer did not answer a status query",
}


class PrinterError(Exception):
    """A receipt was not (or not surely) printed; ``status`` says why."""

    def __init__(self, status: PrinterStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


def decode_status(printer: int, offline_cause: int, paper: int) -> PrinterStatus:
    """Map the answers to DLE EOT 1, 2 and 4 to one status.

    Every answer has fixed bits (bit 1 and bit 4 set, bits 0 and 7 clear); anything else is
    not a status byte and yields UNKNOWN.
    """
    if any(b & 0x93 != 0x12 for b in (printer, offline_cause, paper)):
        return PrinterStatus.UNKNOWN
    if offline_cause & 0x04:
        return PrinterStatus.COVER_OPEN
    if paper & 0x60 or offline_cause & 0x20:
        return PrinterStatus.PAPER_OUT
    if offline_cause & 0x40:
        return PrinterStatus.ERROR
    if printer & 0x08:
        return PrinterStatus.OFFLINE
    if paper & 0x0C:
        return PrinterStatus.PAPER_NEAR_END
    return PrinterStatus.OK


def _recv_byte(sock: socket.socket, deadline: float) -> int | None:
    """One byte before the deadline, None if none came; a closed connection is an error."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return None
    sock.settimeout(remaining)
    try:
        data = sock.recv(1)
    except TimeoutError:
        return None
    if not data:
        raise ConnectionResetError("the printer closed the connection")
    return data[0]


def query_status(sock: socket.socket, deadline: float) -> PrinterStatus:
    """Ask DLE EOT 1, 2, 4 on an open connection; UNKNOWN if any answer misses the deadline.

    OSError from sending propagates: the caller decides what a broken connection means.
    """
    answers: list[int] = []
    for n in STATUS_QUERIES:
        sock.sendall(DLE_EOT + bytes([n]))
        byte = _recv_byte(sock, deadline)
        if byte is None:
            return PrinterStatus.UNKNOWN
        answers.append(byte)
    return decode_status(*answers)


def _encode_text(text: str) -> bytes:
    """ASCII as is; anything else as GB18030 inside Chinese mode."""
    if text.isascii():
        return text.encode("ascii")
    return FS_CHINESE_ON + text.encode("gb18030", errors="replace") + FS_CHINESE_OFF


def render_escpos(p: Escpos, lines: Sequence[Line], qr_size: int = 6) -> None:
    """Write laid-out lines to any python-escpos printer, then feed and cut.

    Style commands are sent only when they change; GS ! sets the size because, unlike ESC !,
    it applies to Chinese characters too.
    """
    p.hw("INIT")
    style = ("left", False, 1, 1)
    for line in lines:
        want = (line.align, line.bold, 2 if line.double_width else 1,
                2 if line.double_height else 1)
        if want != style:
            p.set(
                align=want[0] if want[0] != style[0] else None,
                bold=want[1] if want[1] != style[1] else None,
                custom_size=want[2:] != style[2:],
                width=want[2],
                height=want[3],
            )
            style = want
        if line.kind == "qr":
            p.qr(line.text, ec=QR_ECLEVEL_M, size=qr_size, native=True)
        else:
            p._raw(_encode_text(line.text) + LF)
    if style != ("left", False, 1, 1):
        p.set(align="left", bold=False, custom_size=True, width=1, height=1)
    p.cut()


def receipt_job(receipt: Receipt, width_mm: WidthMm) -> bytes:
    """The complete ESC/POS byte stream for one receipt."""
    dummy = Dummy()
    render_escpos(dummy, layout_receipt(receipt, width_mm), QR_MODULE_DOTS[width_mm])
    return dummy.output


class ReceiptPrinter(ABC):
    """A receipt printer as the kiosk core sees it."""

    @abstractmethod
    def status(self) -> PrinterStatus:
        """Current status; never raises, bounded by a short deadline."""

    @abstractmethod
    def print_receipt(self, receipt: Receipt) -> None:
        """Print one receipt or raise PrinterError."""

    @abstractmethod
    def describe(self) -> str:
        """One line for diagnostics, e.g. ``network 127.0.0.1:9100 (58 mm)``."""


class NetworkReceiptPrinter(ReceiptPrinter):
    """An ESC/POS printer on a raw TCP port (usually 9100).

    No socket is kept between calls: each status query and each job opens its own
    connection, so a printer that was power-cycled or re-plugged simply works again.
    """

    def __init__(
        self,
        host: str,
        port: int = 9100,
        width_mm: WidthMm = 58,
        timeout: float = 3.0,
        status_timeout: float = 1.0,
    ) -> None:
        if width_mm not in QR_MODULE_DOTS:
            raise ValueError(f"unsupported paper width {width_mm} mm (use 58 or 80)")
        self.host = host
        self.port = port
        self.width_mm: WidthMm = width_mm
        self.timeout = timeout
        self.status_timeout = status_timeout

    def describe(self) -> str:
        return f"network {self.host}:{self.port} ({self.width_mm} mm)"

    def status(self) -> PrinterStatus:
        """Connect, query, close; the whole exchange within ``status_timeout`` seconds."""
        deadline = time.monotonic() + self.status_timeout
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.status_timeout)
        except OSError as exc:
            log.info("printer %s unreachable: %s", self.describe(), exc)
            return PrinterStatus.OFFLINE
        try:
            return query_status(sock, deadline)
        except OSError as exc:
            log.info("printer %s status query failed: %s", self.describe(), exc)
            return PrinterStatus.UNKNOWN
        except Exception:  # status() must never raise
            log.exception("unexpected error querying printer %s", self.describe())
            return PrinterStatus.UNKNOWN
        finally:
            sock.close()

    def print_receipt(self, receipt: Receipt) -> None:
        """Refuse unless the printer is ready, send the job, then check it is still fine."""
        job = receipt_job(receipt, self.width_mm)
        before = self.status()
        if before not in PRINTABLE:
            raise PrinterError(before, f"not printing: {_MESSAGES[before]}")
        printer = Network(self.host, self.port, timeout=self.timeout)
        try:
            try:
                printer.open()
            except DeviceNotFoundError as exc:
                raise PrinterError(
                    PrinterStatus.OFFLINE, f"could not connect to {self.describe()}"
                ) from exc
            sock = printer.device
            assert isinstance(sock, socket.socket)
            try:
                printer._raw(job)
                after = query_status(sock, time.monotonic() + self.status_timeout)
            except OSError as exc:
                raise PrinterError(
                    PrinterStatus.ERROR, f"connection to {self.describe()} failed mid-job: {exc}"
                ) from exc
        finally:
            printer.close()
        if after not in PRINTABLE and after is not PrinterStatus.UNKNOWN:
            raise PrinterError(after, f"receipt may be incomplete: {_MESSAGES[after]}")
        if after is PrinterStatus.UNKNOWN:
            log.warning("printer %s sent the job but did not confirm status", self.describe())
        log.info("printed receipt %s on %s", receipt.tracking_number, self.describe())
