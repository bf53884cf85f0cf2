"""ESC/POS receipt printers behind the small ``ReceiptPrinter`` interface, chosen by config.

Backends: ``network`` (raw TCP), ``serial``, ``usb``, ``file`` (a device node or spool file)
and ``win32raw`` (a Windows queue). The job protocol and status words are in
``printer_base``, the byte encoding in ``printer_escpos``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from devices.printer_base import (
    DLE_EOT,
    MESSAGES,
    PRINTABLE,
    STATUS_QUERIES,
    EscPosReceiptPrinter,
    Link,
    PrinterConfigError,
    PrinterError,
    PrinterStatus,
    ReceiptPrinter,
    decode_status,
    query_status,
)
from devices.printer_escpos import (
    FS_CHINESE_OFF,
    FS_CHINESE_ON,
    QR_MODULE_DOTS,
    QrMode,
    encode_job,
    encode_text,
    receipt_job,
    render_escpos,
)
from devices.printer_local import (
    FileReceiptPrinter,
    SerialReceiptPrinter,
    UsbReceiptPrinter,
    Win32RawReceiptPrinter,
)
from devices.printer_network import NetworkReceiptPrinter

__all__ = [
    "DLE_EOT", "FS_CHINESE_OFF", "FS_CHINESE_ON", "KINDS", "MESSAGES", "PRINTABLE",
    "QR_MODULE_DOTS", "STATUS_QUERIES", "EscPosReceiptPrinter", "FileReceiptPrinter", "Link",
    "NetworkReceiptPrinter", "PrinterConfigError", "PrinterError", "PrinterStatus", "QrMode",
    "ReceiptPrinter", "SerialReceiptPrinter", "UsbReceiptPrinter", "Win32RawReceiptPrinter",
    "build_printer", "decode_status", "encode_job", "encode_text", "query_status",
    "receipt_job", "render_escpos",
]

KINDS: dict[str, Callable[..., EscPosReceiptPrinter]] = {
    "network": NetworkReceiptPrinter,
    "serial": SerialReceiptPrinter,
    "usb": UsbReceiptPrinter,
    "file": FileReceiptPrinter,
    "win32raw": Win32RawReceiptPrinter,
}


def build_printer(kind: str, **options: Any) -> EscPosReceiptPrinter:
    """A printer of ``kind`` from config options.

    Every kind takes ``width_mm`` (58/80), ``qr_mode`` (native/image), ``timeout``,
    ``status_timeout`` and ``printer_did_change_status``; network/serial/usb also
    ``reports_status`` (default True). Then: network ``host``, ``port``; serial ``device``,
    ``baudrate``, ``dsrdtr``, ``xonxoff``; usb ``vendor_id``, ``product_id``, ``in_ep``,
    ``out_ep``; file ``path``; win32raw ``printer_name``. Raises PrinterConfigError.
    """
    factory = KINDS.get(kind)
    if factory is None:
        raise PrinterConfigError(
            f"unknown printer kind {kind!r} (one of {', '.join(KINDS)})"
        )
    try:
        return factory(**options)
    except TypeError as exc:  # an option this kind does not take, or one missing
        raise PrinterConfigError(f"printer kind {kind!r}: {exc}") from exc
