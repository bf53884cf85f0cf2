"""What the virtual printer produces and answers, apart from how it parses its input.

Paper widths (columns, dots), the faults it can be put in and the ``DLE EOT`` status bytes
each gives, and the printout itself: lines with their style, graphics (native QR codes,
barcodes, raster images), receipts and their text transcripts. The parser
(:mod:`devices.sim.printer.parser`) makes them; the mechanism, the renderer and the tests
read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

COLUMNS: dict[int, int] = {58: 32, 80: 48}
DOTS: dict[int, int] = {58: 384, 80: 576}
FAULTS: tuple[str, ...] = (
    "paper_near_end", "paper_out", "cover_open", "offline", "cutter_error", "mute",
)
# Faults during which the printer prints nothing (the data is received and dropped).
NOT_PRINTING = frozenset({"paper_out", "cover_open", "offline", "cutter_error"})


@dataclass(frozen=True)
class QrCode:
    """A native QR code as stored with ``GS ( k`` and printed with fn 81."""

    payload: str
    module: int = 3
    ec: str = "L"


@dataclass(frozen=True)
class Barcode:
    """A 1D barcode printed with ``GS k`` in the current width/height/HRI settings."""

    symbology: str
    data: str
    module: int = 3
    height: int = 162
    hri: int = 0  # 0 none, 1 above, 2 below, 3 both


@dataclass(frozen=True, repr=False)
class RasterImage:
    """A ``GS v 0`` bit image: ``width`` dots (a multiple of 8) by ``height`` rows, 1 = black."""

    width: int
    height: int
    data: bytes
    x_scale: int = 1
    y_scale: int = 1

    def __repr__(self) -> str:
        return f"RasterImage({self.width}x{self.height})"


Graphic = QrCode | Barcode | RasterImage


@dataclass(frozen=True)
class PrintedLine:
    """One printed line with the style it was printed in; a graphic has a placeholder text."""

    text: str
    align: str = "left"
    bold: bool = False
    width: int = 1
    height: int = 1
    columns_used: int = 0
    graphic: Graphic | None = None


@dataclass(frozen=True)
class PrintedReceipt:
    """A receipt as it came out of the printer (``cut`` is False if the job ended uncut)."""

    number: int
    text: str
    qr_payloads: list[str] = field(default_factory=list)
    lines: tuple[PrintedLine, ...] = ()
    cut: bool = True


def status_byte(fault: str | None, n: int) -> int | None:
    """Answer to ``DLE EOT n`` (idle 0x12 plus fault bits); None when the printer is mute."""
    if fault == "mute":
        return None
    b = 0x12
    if n == 1 and fault in NOT_PRINTING:
        b |= 0x08  # offline
    elif n == 2:
        b |= {"cover_open": 0x04, "paper_out": 0x20, "cutter_error": 0x40}.get(fault or "", 0)
    elif n == 3 and fault == "cutter_error":
        b |= 0x08
    elif n == 4:
        b |= {"paper_near_end": 0x0C, "paper_out": 0x6C}.get(fault or "", 0)
    return b


def transcript(lines: Sequence[PrintedLine], columns: int) -> str:
    """Lines as printed: centred and right-aligned lines padded like on paper; graphics as
    their placeholder text (``[QR] payload``, ``[BARCODE CODE128] data``, ``[IMAGE WxH]``)."""
    out = []
    for line in lines:
        if line.graphic is not None or line.text.startswith("[QR] "):
            out.append(line.text)
            continue
        room = columns - line.columns_used
        pad = {"center": room // 2, "right": room}.get(line.align, 0)
        out.append((" " * max(pad, 0) + line.text).rstrip())
    return "\n".join(out)
