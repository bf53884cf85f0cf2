"""The virtual printer's PNG: the styles, positions and graphics a real printer would put on
paper, measured on the picture."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageChops
from pyzbar import pyzbar

from devices.sim.printer.printout import Barcode, PrintedLine, QrCode
from devices.sim.printer.render import find_cjk_font, render_receipt


def ink(lines: list[PrintedLine], dots: int = 384) -> tuple[int, int, int, int]:
    img = render_receipt(lines, dots).convert("L")
    box = ImageChops.invert(img).getbbox()
    assert box is not None, "nothing was drawn"
    return box


def black(lines: list[PrintedLine]) -> int:
    img = render_receipt(lines, 384).convert("L")
    return img.histogram()[0]


def text(s: str, **style: object) -> PrintedLine:
    cols = sum(2 if not c.isascii() else 1 for c in s) * int(style.get("width", 1))  # type: ignore[call-overload]
    return PrintedLine(s, columns_used=cols, **style)  # type: ignore[arg-type]


def test_a_cjk_font_is_found_at_run_time() -> None:
    face = find_cjk_font()
    assert Path(face.path).is_file() and "CJK" in face.path


def test_alignment_puts_the_ink_left_centre_and_right() -> None:
    left = ink([text("受理编号")])
    centre = ink([text("受理编号", align="center")])
    right = ink([text("受理编号", align="right")])
    assert left[0] < 4
    assert abs((centre[0] + centre[2]) / 2 - 192) <= 6
    assert right[2] > 380


def test_double_width_and_height_scale_the_cell() -> None:
    x0, y0, x1, y1 = ink([text("A023")])
    wx0, wy0, wx1, wy1 = ink([text("A023", width=2, height=2)])
    assert abs((wx1 - wx0) - 2 * (x1 - x0)) <= 2
    assert abs((wy1 - wy0) - 2 * (y1 - y0)) <= 2


def test_bold_puts_more_ink_on_paper() -> None:
    assert black([text("老年优待证申领", bold=True)]) > 1.1 * black([text("老年优待证申领")])


def test_a_name_character_outside_the_basic_block_has_a_real_glyph() -> None:
    rare = render_receipt([text("䶮")], 384)
    missing = render_receipt([text("\U000f0000")], 384)  # private use: the font's .notdef box
    assert ImageChops.difference(rare.convert("L"), missing.convert("L")).getbbox() is not None
    assert black([text("䶮")]) > 0


def test_qr_is_drawn_at_the_module_size_the_job_asked_for() -> None:
    payload = "https://gov.example/s/K0451-20261121-0042-7"
    small = ink([PrintedLine("[QR]", "center", graphic=QrCode(payload, 4, "M"))])
    large = ink([PrintedLine("[QR]", "center", graphic=QrCode(payload, 8, "M"))])
    assert (large[2] - large[0]) == 2 * (small[2] - small[0])
    assert (small[2] - small[0]) % 4 == 0
    img = render_receipt([PrintedLine("[QR]", "center", graphic=QrCode(payload, 4, "M"))], 384)
    assert [s.data.decode() for s in pyzbar.decode(img.convert("L"))] == [payload]


def test_barcode_is_drawn_with_its_human_readable_text_and_decodes() -> None:
    line = PrintedLine("[BARCODE]", "center", graphic=Barcode("CODE128", "TEST-0451", 2, 80, 2))
    img: Image.Image = render_receipt([line], 384).convert("L")
    [symbol] = pyzbar.decode(img)
    assert (symbol.type, symbol.data) == ("CODE128", b"TEST-0451")
    x0, y0, x1, y1 = ink([line])
    assert y1 - y0 > 80  # bars plus the text beneath them
