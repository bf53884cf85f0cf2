"""How much paper a laid-out job feeds, estimated in millimetres from the ESC/POS layout.

The printer never says how much of the roll is left until its near-end sensor trips, so the
kiosk counts what it prints (``kiosk.paper_roll``). The estimate follows what
:func:`devices.printers.encoding.render_escpos` sends: 203 dpi thermal heads (8 dots a
millimetre), the default line spacing of 30 dots for a 24-dot font, ``GS !`` height factors,
QR codes at the module size of the paper width, CODE128 with its text below, and the six-line
feed plus the head-to-cutter distance before each cut. It is an estimate: printers differ by a
few per cent, which is why the prediction speaks of "about N receipts".
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from devices.printers.receipt import Line, WidthMm

DOTS_PER_MM = 8.0  # 203 dpi
FONT_DOTS = 24  # font A / Chinese characters
LINE_SPACING_DOTS = 30  # ESC 2, the power-on default
BARCODE_DOTS = 80 + FONT_DOTS + 6  # bars (encoding.BARCODE_HEIGHT_DOTS), text below, gap
CUT_FEED_LINES = 6  # python-escpos' cut(): ESC d 6
HEAD_TO_CUTTER_MM = 12.0  # printed before the cut, lost to the next receipt's top
QR_MODULE_DOTS: dict[int, int] = {58: 6, 80: 8}  # as encoding.QR_MODULE_DOTS


@lru_cache(maxsize=256)
def qr_modules(payload: str) -> int:
    """Modules a side of the QR code for this payload (error correction M, no border)."""
    import qrcode

    qr = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(payload.encode("utf-8"))
    qr.make(fit=True)
    return int(qr.modules_count)


def line_dots(line: Line, width_mm: WidthMm) -> int:
    """Paper fed by one laid-out line, in dots."""
    if line.kind == "qr":
        return qr_modules(line.text) * QR_MODULE_DOTS[width_mm]
    if line.kind == "barcode":
        return BARCODE_DOTS
    return LINE_SPACING_DOTS + FONT_DOTS * (line.height_factor - 1)


def job_length_mm(lines: Sequence[Line], width_mm: WidthMm) -> float:
    """Paper one job feeds, cut included, in millimetres."""
    dots = sum(line_dots(line, width_mm) for line in lines)
    dots += CUT_FEED_LINES * LINE_SPACING_DOTS
    return round(dots / DOTS_PER_MM + HEAD_TO_CUTTER_MM, 1)
