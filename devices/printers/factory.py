"""The receipt printer that the settings name: one table from backend to printer class.

Backends: ``network`` (raw TCP), ``serial``, ``usb``, ``file`` (a device node or spool file)
and ``win32raw`` (a Windows queue). The job protocol and status words are in
``devices.printers.base``, the byte encoding in ``devices.printers.encoding``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from devices.printers.base import EscPosReceiptPrinter, PrinterConfigError, PrinterStatus
from devices.printers.local import (
    FileReceiptPrinter,
    SerialReceiptPrinter,
    UsbReceiptPrinter,
    Win32RawReceiptPrinter,
)
from devices.printers.network import NetworkReceiptPrinter
from devices.printers.settings import PrinterSettings


def _network(s: PrinterSettings, common: dict[str, Any]) -> EscPosReceiptPrinter:
    return NetworkReceiptPrinter(host=s.host, port=s.port, **common)


def _serial(s: PrinterSettings, common: dict[str, Any]) -> EscPosReceiptPrinter:
    return SerialReceiptPrinter(device=s.device, baudrate=s.baudrate, **common)


def _usb(s: PrinterSettings, common: dict[str, Any]) -> EscPosReceiptPrinter:
    return UsbReceiptPrinter(vendor_id=s.vendor_id, product_id=s.product_id, **common)


def _file(s: PrinterSettings, common: dict[str, Any]) -> EscPosReceiptPrinter:
    return FileReceiptPrinter(path=s.path, **common)


def _win32raw(s: PrinterSettings, common: dict[str, Any]) -> EscPosReceiptPrinter:
    return Win32RawReceiptPrinter(printer_name=s.printer_name, **common)


KINDS: dict[str, Callable[[PrinterSettings, dict[str, Any]], EscPosReceiptPrinter]] = {
    "network": _network,
    "serial": _serial,
    "usb": _usb,
    "file": _file,
    "win32raw": _win32raw,
}


def build_printer(
    settings: PrinterSettings,
    printer_did_change_status: Callable[[PrinterStatus], None] | None = None,
) -> EscPosReceiptPrinter:
    """The printer of ``settings.backend``, built from the keys that backend reads.

    Raises PrinterConfigError for an unknown backend or a value the printer refuses (paper
    width, QR mode, timeouts, a missing USB or Windows library).
    """
    builder = KINDS.get(settings.backend)
    if builder is None:
        raise PrinterConfigError(
            f"unknown printer kind {settings.backend!r} (one of {', '.join(KINDS)})"
        )
    common: dict[str, Any] = {
        "width_mm": settings.width_mm,
        "qr_mode": settings.qr_mode,
        "timeout": settings.timeout_seconds,
        "status_timeout": settings.status_timeout_seconds,
        "printer_did_change_status": printer_did_change_status,
    }
    return builder(settings, common)
