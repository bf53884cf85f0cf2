"""The virtual ESC/POS receipt printer: one import for callers (``kiosk sim printer``, demo).

The emulator lives in ``escpos_parser`` (byte stream), ``escpos_render`` (PNG),
``escpos_mechanism`` (faults, receipts, files), ``escpos_server`` (TCP) and ``escpos_serial``
(pseudo-terminal).
"""

from __future__ import annotations

import sys

from .escpos_mechanism import EmulatedPrinter
from .escpos_parser import (
    COLUMNS,
    DOTS,
    FAULTS,
    MAX_BUFFERED,
    Barcode,
    EscPosParser,
    PrintedLine,
    PrintedReceipt,
    QrCode,
    RasterImage,
    status_byte,
    transcript,
)
from .escpos_server import VirtualPrinter, main

__all__ = [
    "COLUMNS", "DOTS", "FAULTS", "MAX_BUFFERED", "Barcode", "EmulatedPrinter", "EscPosParser",
    "PrintedLine", "PrintedReceipt", "QrCode", "RasterImage", "VirtualPrinter", "main",
    "status_byte", "transcript",
]

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
