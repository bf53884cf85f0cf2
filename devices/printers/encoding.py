"""Laid-out lines to ESC/POS bytes, through python-escpos' command builders.

Chinese text is sent deliberately: GB18030 inside Chinese mode (``FS &`` ... ``FS .``), which
covers all of Unicode -- python-escpos' automatic encoding prints ``?`` for CJK punctuation on
its own and for characters outside U+4E00..U+9FA5 (e.g. 䶮). Sizes use ``GS !`` because, unlike
``ESC !``, it applies to Chinese characters too. QR codes go out natively (``GS ( k``) or, for
printers without it, as a raster image drawn at the same module size across the paper width.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from devices.printers.receipt import DOTS, Line, Receipt, WidthMm, code128_modules, layout_receipt

if TYPE_CHECKING:  # python-escpos loads its printer profiles (YAML) at import: ~0.2 s
    from escpos.escpos import Escpos
    from PIL import Image

QrMode = Literal["native", "image"]

FS_CHINESE_ON = b"\x1c\x26"
FS_CHINESE_OFF = b"\x1c\x2e"
LF = b"\n"
QR_MODULE_DOTS: dict[int, int] = {58: 6, 80: 8}
BARCODE_HEIGHT_DOTS = 80
_PLAIN = ("left", False, 1, 1)


def encode_text(text: str) -> bytes:
    """ASCII as is; anything else as GB18030 inside Chinese mode."""
    if text.isascii():
        return text.encode("ascii")
    return FS_CHINESE_ON + text.encode("gb18030", errors="replace") + FS_CHINESE_OFF


def barcode_module(data: str, width_mm: WidthMm) -> int:
    """Widest module (3 or 2 dots; ESC/POS allows 2..6) at which the symbol fits the paper."""
    for module in (3, 2):
        if code128_modules(data) * module <= DOTS[width_mm]:
            return module
    raise ValueError(f"barcode {data!r} is too long for {width_mm} mm paper")


def qr_raster(payload: str, module: int, dots: int, align: str) -> Image.Image:
    """The QR code as python-escpos would draw it, placed on a full paper-width canvas so that
    printers which ignore alignment for images still put it where the layout asked."""
    import qrcode
    from PIL import Image

    qr = qrcode.QRCode(box_size=module, border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(payload.encode("utf-8"))
    qr.make(fit=True)
    code = qr.make_image().get_image().convert("1")
    if code.width > dots:
        raise ValueError(f"QR code of {len(payload)} bytes does not fit {dots} dots")
    canvas = Image.new("1", (dots, code.height), 1)
    x = {"center": (dots - code.width) // 2, "right": dots - code.width}.get(align, 0)
    canvas.paste(code, (x, 0))
    return canvas


def _raster(p: Escpos, image: Image.Image) -> None:
    """GS v 0 raster, as python-escpos' ``image(impl="bitImageRaster")`` sends it, without its
    profile checks (our paper width is known) and their prints to stdout."""
    from escpos.image import EscposImage

    im = EscposImage(image)
    header = (b"\x1dv0\x00" + p._int_low_high(im.width_bytes, 2)
              + p._int_low_high(im.height, 2))
    p._raw(header + im.to_raster_format())


def render_escpos(
    p: Escpos, lines: Sequence[Line], qr_size: int = 6, qr_mode: QrMode = "native",
    width_mm: WidthMm = 58,
) -> None:
    """Write laid-out lines to any python-escpos printer, then feed and cut.

    Style commands are sent only when they change.
    """
    from escpos.constants import QR_ECLEVEL_M

    p.hw("INIT")
    style = _PLAIN
    for line in lines:
        want = (line.align, line.bold, line.width_factor, line.height_factor)
        if line.kind != "text":  # graphics take the alignment, never a text size
            want = (line.align, False, 1, 1)
        if want != style:
            p.set(
                align=want[0] if want[0] != style[0] else None,
                bold=want[1] if want[1] != style[1] else None,
                custom_size=want[2:] != style[2:],
                width=want[2],
                height=want[3],
            )
            style = want
        if line.kind == "qr" and qr_mode == "native":
            p.qr(line.text, ec=QR_ECLEVEL_M, size=qr_size, native=True)
        elif line.kind == "qr":
            _raster(p, qr_raster(line.text, qr_size, DOTS[width_mm], line.align))
        elif line.kind == "barcode":
            p._hw_barcode(
                "{B" + line.text, "CODE128", height=BARCODE_HEIGHT_DOTS,
                width=barcode_module(line.text, width_mm), pos="BELOW", font="A",
                align_ct=False, function_type="B",
            )  # the printer is at the start of a line again afterwards
        else:
            p._raw(encode_text(line.text) + LF)
    if style != _PLAIN:
        p.set(align="left", bold=False, custom_size=True, width=1, height=1)
    p.cut()


def encode_job(lines: Sequence[Line], width_mm: WidthMm, qr_mode: QrMode = "native") -> bytes:
    """The complete ESC/POS byte stream for laid-out lines."""
    from escpos.printer import Dummy

    dummy = Dummy()
    render_escpos(dummy, lines, QR_MODULE_DOTS[width_mm], qr_mode, width_mm)
    return dummy.output


def receipt_job(receipt: Receipt, width_mm: WidthMm, qr_mode: QrMode = "native") -> bytes:
    """The complete ESC/POS byte stream for one submission receipt."""
    return encode_job(layout_receipt(receipt, width_mm), width_mm, qr_mode)
