"""What every receipt printer backend shares: status words, errors, and the job protocol.

The protocol (``EscPosReceiptPrinter.print_layout``): encode the whole job in memory, ask
``DLE EOT`` with a short deadline, refuse before sending a byte unless the printer is ready,
send, ask again on the same link to catch a failure mid-job. Status is read by our own code:
python-escpos' helpers take an empty read as "paper fine", and no answer here is UNKNOWN. A
printer that cannot report at all (a file, a spooler) is configured as such and prints without.
"""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Protocol

from devices.printers.encoding import QrMode, encode_job
from devices.printers.receipt import COLUMNS, Line, Receipt, WidthMm, layout_receipt

log = logging.getLogger(__name__)

DLE_EOT = b"\x10\x04"
STATUS_QUERIES = (1, 2, 4)


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

MESSAGES = {
    PrinterStatus.OK: "the printer is ready",
    PrinterStatus.PAPER_NEAR_END: "the paper roll is nearly used up",
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


class PrinterConfigError(ValueError):
    """A printer cannot be built from these options (unknown kind, missing library...)."""


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


class Link(Protocol):
    """One open connection to a printer, for one exchange."""

    def write(self, data: bytes) -> None:
        """Send everything or raise OSError."""

    def read_byte(self, deadline: float) -> int | None:
        """One byte before the monotonic ``deadline``, None if none came."""

    def close(self) -> None:
        """Release the device; never raises."""


def query_status(link: Link, deadline: float) -> PrinterStatus:
    """Ask DLE EOT 1, 2, 4 on an open link; UNKNOWN if any answer misses the deadline.

    OSError from the link propagates: the caller decides what a broken link means.
    """
    answers: list[int] = []
    for n in STATUS_QUERIES:
        link.write(DLE_EOT + bytes([n]))
        byte = link.read_byte(deadline)
        if byte is None:
            return PrinterStatus.UNKNOWN
        answers.append(byte)
    return decode_status(*answers)


class ReceiptPrinter(ABC):
    """A receipt printer as the kiosk core sees it.

    ``printer_did_change_status`` (a plain callback, any thread) is told each status that
    differs from the last one seen -- a paper roll nearly used up reaches technicians this way.
    """

    width_mm: WidthMm = 58
    printer_did_change_status: Callable[[PrinterStatus], None] | None = None
    # Told the estimated paper (mm, :func:`devices.printers.paper.job_length_mm`) of each job
    # that was sent whole, whatever the printer said after: the paper was fed either way.
    printer_did_feed: Callable[[float], None] | None = None

    @abstractmethod
    def status(self) -> PrinterStatus:
        """Current status; never raises, bounded by a short deadline."""

    @abstractmethod
    def print_layout(self, lines: Sequence[Line], reference: str = "") -> None:
        """Print laid-out lines (any receipt kind) or raise PrinterError; ``reference`` names
        the job in logs and must not be personal data."""

    def print_receipt(self, receipt: Receipt) -> None:
        """Print the submission receipt or raise PrinterError."""
        self.print_layout(layout_receipt(receipt, self.width_mm), receipt.tracking_number)

    @abstractmethod
    def describe(self) -> str:
        """One line for diagnostics, e.g. ``network 127.0.0.1:9100 (58 mm)``."""


class EscPosReceiptPrinter(ReceiptPrinter):
    """The job protocol over any ``Link``; backends say how to open one.

    No link is kept between calls: each status query and each job opens its own, so a printer
    that was power-cycled or re-plugged simply works again.
    """

    kind = "escpos"
    _write_errors: tuple[type[BaseException], ...] = (OSError,)

    def __init__(
        self,
        *,
        width_mm: WidthMm = 58,
        qr_mode: QrMode = "native",
        reports_status: bool = True,
        timeout: float = 3.0,
        status_timeout: float = 1.0,
        printer_did_change_status: Callable[[PrinterStatus], None] | None = None,
    ) -> None:
        if width_mm not in COLUMNS:
            raise PrinterConfigError(f"unsupported paper width {width_mm} mm (use 58 or 80)")
        if qr_mode not in ("native", "image"):
            raise PrinterConfigError(f"qr_mode must be native or image, not {qr_mode!r}")
        if timeout <= 0 or status_timeout <= 0:
            raise PrinterConfigError("timeouts must be positive")
        self.width_mm = width_mm
        self.qr_mode: QrMode = qr_mode
        self.reports_status = reports_status
        self.timeout = timeout
        self.status_timeout = status_timeout
        self.printer_did_change_status = printer_did_change_status
        self._last_status: PrinterStatus | None = None
        self._lock = threading.Lock()

    def _fed(self, lines: Sequence[Line]) -> None:
        callback = self.printer_did_feed
        if callback is None:
            return
        try:
            from devices.printers.paper import job_length_mm

            callback(job_length_mm(lines, self.width_mm))
        except Exception:  # counting paper must never fail a receipt
            log.exception("printer_did_feed callback failed")

    # -- backend hooks ---------------------------------------------------------------------
    @abstractmethod
    def _open(self, timeout: float) -> Link:
        """Open a link within ``timeout`` seconds; raise OSError if the printer is not there."""

    def _presence(self) -> PrinterStatus:
        """Status of a printer that cannot report: OFFLINE if surely absent, else UNKNOWN."""
        return PrinterStatus.UNKNOWN

    # -- protocol --------------------------------------------------------------------------
    @property
    def last_status(self) -> PrinterStatus | None:
        """The status last seen by a query or a job, without asking the printer."""
        with self._lock:
            return self._last_status

    def _observe(self, status: PrinterStatus) -> PrinterStatus:
        with self._lock:
            changed = status is not self._last_status
            self._last_status = status
        callback = self.printer_did_change_status
        if changed and callback is not None:
            try:
                callback(status)
            except Exception:
                log.exception("printer_did_change_status callback failed")
        return status

    def status(self) -> PrinterStatus:
        """Open, query, close; the whole exchange within ``status_timeout`` seconds."""
        if not self.reports_status:
            return self._observe(self._presence())
        deadline = time.monotonic() + self.status_timeout
        try:
            link = self._open(self.status_timeout)
        except OSError as exc:
            log.info("printer %s unreachable: %s", self.describe(), exc)
            return self._observe(PrinterStatus.OFFLINE)
        try:
            return self._observe(query_status(link, deadline))
        except OSError as exc:
            log.info("printer %s status query failed: %s", self.describe(), exc)
            return self._observe(PrinterStatus.UNKNOWN)
        except Exception:  # status() must never raise
            log.exception("unexpected error querying printer %s", self.describe())
            return self._observe(PrinterStatus.UNKNOWN)
        finally:
            link.close()

    def may_print(self, status: PrinterStatus) -> bool:
        """Ready, or a printer configured as one that cannot report and not surely absent."""
        if status in PRINTABLE:
            return True
        return not self.reports_status and status is PrinterStatus.UNKNOWN

    def print_layout(self, lines: Sequence[Line], reference: str = "") -> None:
        """Refuse unless the printer is ready, send the job, then check it is still fine."""
        job = encode_job(lines, self.width_mm, self.qr_mode)
        before = self.status()
        if not self.may_print(before):
            raise PrinterError(before, f"not printing: {MESSAGES[before]}")
        try:
            link = self._open(self.timeout)
        except OSError as exc:
            self._observe(PrinterStatus.OFFLINE)
            raise PrinterError(
                PrinterStatus.OFFLINE, f"could not connect to {self.describe()}"
            ) from exc
        after: PrinterStatus | None = None
        try:
            link.write(job)
            self._fed(lines)
            if self.reports_status:
                after = query_status(link, time.monotonic() + self.status_timeout)
        except self._write_errors as exc:
            self._observe(PrinterStatus.ERROR)
            raise PrinterError(
                PrinterStatus.ERROR, f"connection to {self.describe()} failed mid-job: {exc}"
            ) from exc
        finally:
            link.close()
        if after is not None:
            self._observe(after)
            if after not in PRINTABLE and after is not PrinterStatus.UNKNOWN:
                raise PrinterError(after, f"receipt may be incomplete: {MESSAGES[after]}")
            if after is PrinterStatus.UNKNOWN:
                log.warning("printer %s sent the job but did not confirm status",
                            self.describe())
        log.info("printed %s on %s", reference or "a job", self.describe())
