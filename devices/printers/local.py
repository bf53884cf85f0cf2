"""Printers attached to this machine: serial, USB, a device file, a Windows spooler queue.

Serial and USB printers answer ``DLE EOT`` on the same line; a device file (``/dev/usb/lp0``,
a spool file) and a Windows raw queue cannot be read, so those are printers that cannot report:
they print without a status, and only a device that is surely absent is called OFFLINE.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Any

from devices.printers.base import (
    EscPosReceiptPrinter,
    Link,
    PrinterConfigError,
    PrinterStatus,
)


class EscposLink:
    """An opened python-escpos printer as a ``Link``; ``read`` is the backend's timed read."""

    def __init__(self, printer: Any, read: Any = None) -> None:
        self._printer = printer
        self._read = read
        self._pending = b""

    def write(self, data: bytes) -> None:
        self._printer._raw(data)

    def read_byte(self, deadline: float) -> int | None:
        if not self._pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._read is None:
                return None
            self._pending = bytes(self._read(remaining))
            if not self._pending:
                return None
        byte, self._pending = self._pending[0], self._pending[1:]
        return byte

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._printer.close()


def _no_cannot_report(kind: str, options: dict[str, object]) -> None:
    if options.get("reports_status"):
        raise PrinterConfigError(f"a {kind} printer cannot report its status")
    options["reports_status"] = False


class SerialReceiptPrinter(EscPosReceiptPrinter):
    """An ESC/POS printer on a serial line (RS-232 or a USB-serial adapter)."""

    kind = "serial"

    def __init__(
        self, device: str, baudrate: int = 9600, dsrdtr: bool = False, xonxoff: bool = False,
        **options: object,
    ) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.device = device
        self.baudrate = baudrate
        self.dsrdtr = dsrdtr
        self.xonxoff = xonxoff

    def describe(self) -> str:
        return f"serial {self.device} @ {self.baudrate} ({self.width_mm} mm)"

    def _open(self, timeout: float) -> Link:
        from escpos.exceptions import DeviceNotFoundError
        from escpos.printer import Serial

        printer = Serial(self.device, self.baudrate, timeout=timeout, dsrdtr=self.dsrdtr,
                         xonxoff=self.xonxoff)
        try:
            printer.open()
        except DeviceNotFoundError as exc:
            raise ConnectionError(str(exc).replace("\n", " ")) from exc
        port = printer.device
        port.write_timeout = self.timeout  # a stalled line must not hang the job

        def read(seconds: float) -> bytes:
            port.timeout = seconds
            return port.read(1)

        return EscposLink(printer, read)


def _usb_id(value: int | str | None) -> int | None:
    if value is None or isinstance(value, int):
        return value
    return int(value, 0)


class UsbReceiptPrinter(EscPosReceiptPrinter):
    """An ESC/POS printer on USB (pyusb and libusb), found by vendor and product id."""

    kind = "usb"

    def __init__(
        self, vendor_id: int | str, product_id: int | str, in_ep: int = 0x82,
        out_ep: int = 0x01, **options: object,
    ) -> None:
        from escpos.printer import Usb

        if not Usb.is_usable():
            raise PrinterConfigError("USB printers need pyusb (pip install pyusb) and libusb")
        super().__init__(**options)  # type: ignore[arg-type]
        self.vendor_id = _usb_id(vendor_id)
        self.product_id = _usb_id(product_id)
        self.in_ep = in_ep
        self.out_ep = out_ep

    def describe(self) -> str:
        return f"usb {self.vendor_id:04x}:{self.product_id:04x} ({self.width_mm} mm)"

    def _open(self, timeout: float) -> Link:
        import usb.core
        from escpos.exceptions import DeviceNotFoundError
        from escpos.printer import Usb

        ms = max(int(timeout * 1000), 1)
        printer = Usb(self.vendor_id, self.product_id, timeout=ms, in_ep=self.in_ep,
                      out_ep=self.out_ep)
        try:
            printer.open()
        except (DeviceNotFoundError, usb.core.USBError) as exc:
            raise ConnectionError(str(exc).replace("\n", " ")) from exc
        device = printer.device

        def read(seconds: float) -> bytes:
            try:
                return bytes(device.read(self.in_ep, 64, timeout=max(int(seconds * 1000), 1)))
            except usb.core.USBTimeoutError:
                return b""

        return EscposLink(printer, read)


class _FileHandle:
    def __init__(self, path: Path) -> None:
        self._f = open(path, "ab", buffering=0)  # noqa: SIM115  (closed by close())

    def _raw(self, data: bytes) -> None:
        self._f.write(data)

    def close(self) -> None:
        self._f.close()


class FileReceiptPrinter(EscPosReceiptPrinter):
    """Jobs appended to a file or a device node (``/dev/usb/lp0``); cannot report status.

    Appends rather than truncates (python-escpos ``File`` opens with ``wb``), so a spool file
    keeps every job and nothing printed is lost.
    """

    kind = "file"

    def __init__(self, path: str | os.PathLike[str], **options: object) -> None:
        _no_cannot_report(self.kind, options)
        super().__init__(**options)  # type: ignore[arg-type]
        self.path = Path(path)

    def describe(self) -> str:
        return f"file {self.path} ({self.width_mm} mm, cannot report status)"

    def _presence(self) -> PrinterStatus:
        target = self.path if self.path.exists() else self.path.parent
        ok = target.exists() and os.access(target, os.W_OK)
        return PrinterStatus.UNKNOWN if ok else PrinterStatus.OFFLINE

    def _open(self, timeout: float) -> Link:
        return EscposLink(_FileHandle(self.path))


class Win32RawReceiptPrinter(EscPosReceiptPrinter):
    """A Windows printer queue fed raw bytes (python-escpos ``Win32Raw``, needs pywin32);
    the spooler cannot report the printer's status."""

    kind = "win32raw"
    _write_errors = (Exception,)  # pywintypes.error is not an OSError

    def __init__(self, printer_name: str = "", **options: object) -> None:
        from escpos.printer import Win32Raw

        if not Win32Raw.is_usable():
            raise PrinterConfigError("Windows raw printing needs Windows with pywin32")
        _no_cannot_report(self.kind, options)
        super().__init__(**options)  # type: ignore[arg-type]
        self.printer_name = printer_name

    def describe(self) -> str:
        name = self.printer_name or "default printer"
        return f"win32raw {name} ({self.width_mm} mm, cannot report status)"

    def _presence(self) -> PrinterStatus:
        from escpos.printer import Win32Raw

        try:
            printer = Win32Raw(self.printer_name)
            known = not self.printer_name or self.printer_name in printer.printers
        except Exception:
            return PrinterStatus.UNKNOWN
        return PrinterStatus.UNKNOWN if known else PrinterStatus.OFFLINE

    def _open(self, timeout: float) -> Link:
        from escpos.exceptions import DeviceNotFoundError
        from escpos.printer import Win32Raw

        printer = Win32Raw(self.printer_name)
        try:
            printer.open(job_name="receipt")
        except DeviceNotFoundError as exc:
            raise ConnectionError(str(exc).replace("\n", " ")) from exc
        return EscposLink(printer)
