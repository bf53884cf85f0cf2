"""Draw what the virtual printer printed as a PNG, dot for dot like thermal paper.

Paper is 384 dots wide (58 mm) or 576 dots (80 mm) at 203 dpi. Font A is a 12 x 24 dot cell,
and a Chinese character takes two cells, so the column model of the layout engine and the
picture agree. Text is drawn from a monospaced CJK font (Noto Sans Mono CJK SC, found with
``fc-match`` or in the usual places); double width/height scale the cell like the printer's
``GS !`` does; bold uses the bold face. Native QR codes are redrawn from their stored payload
at the module size the job asked for, barcodes from their data, raster images bit for bit.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont, ImageOps

from .printout import Barcode, PrintedLine, QrCode, RasterImage

log = logging.getLogger(__name__)

CELL_W = 12  # Font A: 12 x 24 dots
CELL_H = 24
LINE_SPACING = 30  # ESC 2 default: 1/6 inch at 203 dpi, rounded as printers do
MARGIN = 16  # blank paper above the first and below the last line
BASELINE = 21  # CJK em box: baseline at 0.88 em from the top of a 24-dot cell

_FAMILY = "Noto Sans Mono CJK SC"
_KNOWN_FONTS = (  # (path, face names to look for inside a collection)
    "/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-{weight}.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-{weight}.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-{weight}.ttc",
)
_QR_EC = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


class FontNotFoundError(RuntimeError):
    """No CJK font is installed; PNG rendering needs one (Debian: fonts-noto-cjk)."""


@dataclass(frozen=True)
class FontFace:
    path: str
    index: int


def _fc_match(pattern: str) -> FontFace | None:
    if shutil.which("fc-match") is None:
        return None
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}\t%{index}\t%{family}", pattern],
            capture_output=True, text=True, timeout=5, check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    parts = out.split("\t")
    if len(parts) != 3 or "CJK" not in parts[2] or not Path(parts[0]).is_file():
        return None
    return FontFace(parts[0], int(parts[1] or 0))


def _face_in_collection(path: str) -> FontFace | None:
    """The Mono SC face of a Noto CJK collection, else its plain SC face."""
    names: dict[str, int] = {}
    for index in range(16):
        try:
            names[ImageFont.truetype(path, 12, index=index).getname()[0] or ""] = index
        except OSError:
            break
    for family in (_FAMILY, "Noto Sans CJK SC"):
        if family in names:
            return FontFace(path, names[family])
    return None


@lru_cache(maxsize=2)
def find_cjk_font(bold: bool = False) -> FontFace:
    """Locate the CJK face to draw with: fc-match first, then the usual install paths."""
    face = _fc_match(f"{_FAMILY}:{'bold' if bold else 'regular'}")
    if face is not None:
        return face
    for template in _KNOWN_FONTS:
        path = template.format(weight="Bold" if bold else "Regular")
        if Path(path).is_file() and (face := _face_in_collection(path)) is not None:
            return face
    if bold:
        return find_cjk_font(False)
    raise FontNotFoundError(
        "no CJK font found for receipt rendering; install one (Debian: apt-get install "
        "fonts-noto-cjk)"
    )


@lru_cache(maxsize=4)
def _font(bold: bool) -> ImageFont.FreeTypeFont:
    face = find_cjk_font(bold)
    return ImageFont.truetype(face.path, CELL_H, index=face.index)


def _cells(line: PrintedLine) -> list[int]:
    """Cells each character took: the parser counted GB18030 characters as two."""
    base = line.columns_used // max(line.width, 1)
    wide = [2 if not ch.isascii() else 1 for ch in line.text]
    return wide if sum(wide) == base else [1] * len(line.text)


def _text_image(line: PrintedLine) -> Image.Image:
    cells = _cells(line)
    img = Image.new("L", (max(sum(cells), 1) * CELL_W, CELL_H), 255)
    draw = ImageDraw.Draw(img)
    font = _font(line.bold)
    x = 0
    for ch, n in zip(line.text, cells, strict=True):
        if not ch.isspace():
            advance = font.getlength(ch)
            offset = (n * CELL_W - advance) / 2
            draw.text((x + offset, BASELINE), ch, font=font, fill=0, anchor="ls")
        x += n * CELL_W
    if line.width > 1 or line.height > 1:
        img = img.resize((img.width * line.width, CELL_H * line.height), Image.Resampling.NEAREST)
    return img


def _qr_image(code: QrCode) -> Image.Image:
    qr = qrcode.QRCode(box_size=code.module, border=0, error_correction=_QR_EC[code.ec])
    qr.add_data(code.payload.encode("utf-8"))
    qr.make(fit=True)
    return qr.make_image().get_image().convert("L")


def _barcode_image(code: Barcode) -> Image.Image:
    """Bars from python-barcode's module pattern; a labelled box for what it cannot encode."""
    hri = PrintedLine(code.data, columns_used=len(code.data))
    try:
        import barcode as pybarcode  # python-escpos depends on python-barcode

        name = {"CODE128": "code128", "CODE39": "code39", "EAN13": "ean13", "EAN8": "ean8",
                "UPC-A": "upca"}[code.symbology]
        options = {"add_checksum": False} if name == "code39" else {}
        pattern = pybarcode.get_barcode_class(name)(code.data, **options).build()[0]
    except Exception:  # unknown symbology or data it rejects: show where it would be
        box = Image.new("L", (CELL_W * 16, code.height), 255)
        ImageDraw.Draw(box).rectangle((0, 0, box.width - 1, box.height - 1), outline=0)
        return box
    bars = Image.new("L", (len(pattern) * code.module, code.height), 255)
    draw = ImageDraw.Draw(bars)
    for k, bit in enumerate(pattern):
        if bit == "1":
            x = k * code.module
            draw.rectangle((x, 0, x + code.module - 1, code.height - 1), fill=0)
    parts = []
    text = _text_image(hri) if code.hri else None
    if text is not None and code.hri & 1:
        parts.append(text)
    parts.append(bars)
    if text is not None and code.hri & 2:
        parts.append(text)
    width = max(p.width for p in parts)
    out = Image.new("L", (width, sum(p.height for p in parts) + 4 * (len(parts) - 1)), 255)
    y = 0
    for p in parts:
        out.paste(p, ((width - p.width) // 2, y))
        y += p.height + 4
    return out


def _raster_image(raster: RasterImage) -> Image.Image:
    data = raster.data.ljust(raster.width // 8 * raster.height, b"\0")
    img = ImageOps.invert(Image.frombytes("1", (raster.width, raster.height), data).convert("L"))
    if raster.x_scale > 1 or raster.y_scale > 1:
        img = img.resize((img.width * raster.x_scale, img.height * raster.y_scale),
                         Image.Resampling.NEAREST)
    return img


def _line_image(line: PrintedLine) -> tuple[Image.Image | None, int]:
    """The picture of one line and the paper it advances."""
    g = line.graphic
    if isinstance(g, QrCode):
        img = _qr_image(g)
    elif isinstance(g, Barcode):
        img = _barcode_image(g)
    elif isinstance(g, RasterImage):
        img = _raster_image(g)
        return img, img.height
    elif not line.text.strip():
        return None, LINE_SPACING * line.height
    else:
        img = _text_image(line)
        return img, CELL_H * line.height + (LINE_SPACING - CELL_H)
    return img, img.height + (LINE_SPACING - CELL_H)


def render_receipt(lines: Sequence[PrintedLine], dots: int) -> Image.Image:
    """A 1-bit picture of the paper, ``dots`` wide."""
    placed: list[tuple[Image.Image | None, int, str]] = []
    for line in lines:
        img, advance = _line_image(line)
        placed.append((img, advance, line.align))
    height = 2 * MARGIN + sum(advance for _, advance, _ in placed)
    paper = Image.new("L", (dots, max(height, 2 * MARGIN)), 255)
    y = MARGIN
    for img, advance, align in placed:
        if img is not None:
            if img.width > dots:  # the printer drops what does not fit
                img = img.crop((0, 0, dots, img.height))
            x = {"center": (dots - img.width) // 2, "right": dots - img.width}.get(align, 0)
            paper.paste(img, (x, y))
        y += advance
    return paper.point(lambda v: 255 if v >= 128 else 0).convert("1")


def write_png(lines: Sequence[PrintedLine], dots: int, path: Path) -> Path:
    """Render and save; returns the path written."""
    render_receipt(lines, dots).save(path, format="PNG", optimize=True)
    return path
