"""Every receipt kind, laid out, printed through python-escpos ``Network`` to the virtual
printer on loopback, read back as a transcript and as a PNG decoded with a real QR decoder."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from pyzbar import pyzbar

from devices.printers.encoding import QR_MODULE_DOTS, encode_job, qr_raster
from devices.printers.network import NetworkReceiptPrinter
from devices.printers.receipt import COLUMNS, DOTS, Line, layout_text, text_width
from devices.printers.receipt_kinds import (
    QueueTicket,
    TestPage,
    layout_queue_ticket,
    layout_test_page,
)
from devices.sim.printer.receipt_samples import WHEN, layouts
from devices.sim.printer.tcp_server import VirtualPrinter

KINDS = ["submission-receipt", "queue-ticket", "query-result", "test-page"]


def decoded(png: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for symbol in pyzbar.decode(Image.open(png)):
        found.setdefault(symbol.type, []).append(symbol.data.decode("utf-8"))
    return found


@pytest.fixture(scope="module", params=[58, 80])
def printed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Every kind printed once per paper width (one printer per width keeps the suite fast)."""
    width = request.param
    out = tmp_path_factory.mktemp(f"kinds{width}")
    samples = layouts(width)
    with VirtualPrinter(width_mm=width, out_dir=out) as vp:
        printer = NetworkReceiptPrinter("127.0.0.1", vp.port, width_mm=width)
        for kind in KINDS:
            printer.print_layout(samples[kind], kind)
        receipts = vp.wait_for_receipts(len(KINDS), timeout=30)
    return width, samples, dict(zip(KINDS, receipts, strict=True)), out


@pytest.mark.parametrize("kind", KINDS)
def test_transcript_equals_the_intended_text(printed, kind: str) -> None:
    width, samples, receipts, _ = printed
    assert receipts[kind].cut
    assert receipts[kind].text == layout_text(samples[kind], width)


@pytest.mark.parametrize("kind", KINDS)
def test_png_exists_and_its_qr_code_decodes_to_the_payload(printed, kind: str) -> None:
    width, samples, receipts, out = printed
    png = out / f"receipt-{receipts[kind].number:04d}.png"
    assert Image.open(png).width == {58: 384, 80: 576}[width]
    payloads = [ln.text for ln in samples[kind] if ln.kind == "qr"]
    assert payloads, "every sample carries a QR code"
    assert decoded(png).get("QRCODE") == payloads


def test_test_page_barcode_decodes_and_page_shows_rare_characters_and_punctuation(
    printed,
) -> None:
    _, _, receipts, out = printed
    page = receipts["test-page"]
    assert decoded(out / f"receipt-{page.number:04d}.png")["CODE128"] == ["TEST-0451"]
    assert "䶮" in page.text and "𠮷" in page.text
    assert "，。、；：？！（）【】《》" in page.text and "——……" in page.text
    assert "?" not in page.text.replace("？", "") and "\ufffd" not in page.text


@pytest.mark.parametrize("width", [58, 80])
def test_qr_as_an_image_for_printers_without_native_qr_still_decodes(
    tmp_path: Path, width: int
) -> None:
    lines = layouts(width)["submission-receipt"]  # type: ignore[arg-type]
    [payload] = [ln.text for ln in lines if ln.kind == "qr"]
    with VirtualPrinter(width_mm=width, out_dir=tmp_path) as vp:
        NetworkReceiptPrinter("127.0.0.1", vp.port, width_mm=width, qr_mode="image")\
            .print_layout(lines)  # type: ignore[arg-type]
        [receipt] = vp.wait_for_receipts(1, timeout=10)
    assert receipt.qr_payloads == []  # nothing native was sent
    image = qr_raster(payload, QR_MODULE_DOTS[width], DOTS[width], "center")
    expected = layout_text(lines, width)  # type: ignore[arg-type]
    assert receipt.text == expected.replace(f"[QR] {payload}", f"[IMAGE {image.width}x"
                                            f"{image.height}]")
    assert decoded(tmp_path / "receipt-0001.png")["QRCODE"] == [payload]


@pytest.mark.parametrize("width", [58, 80])
@pytest.mark.parametrize("kind", KINDS)
def test_every_text_line_of_every_kind_fits_the_paper(width: int, kind: str) -> None:
    for line in layouts(width)[kind]:  # type: ignore[arg-type]
        if line.kind == "text":
            assert text_width(line.text) * line.width_factor <= COLUMNS[width], line


def test_queue_number_is_printed_four_times_as_large_when_it_fits() -> None:
    ticket = QueueTicket("A023", "社保业务", 7, WHEN, "K0451")
    [big] = [ln for ln in layout_queue_ticket(ticket, 58) if ln.text == "A023"]
    assert (big.width_factor, big.height_factor, big.align) == (4, 4, "center")
    long = QueueTicket("VIP-000123-X", "社保业务", 0, WHEN, "K0451")
    [line] = [ln for ln in layout_queue_ticket(long, 58) if "VIP" in ln.text]
    assert line.width_factor * text_width(line.text) <= 32


def test_layouts_refuse_naive_times_and_barcodes_too_long_for_the_paper() -> None:
    with pytest.raises(ValueError, match="timezone"):
        QueueTicket("A1", "x", 0, datetime(2026, 1, 1), "K1")
    page = TestPage(device=(), printed_at=WHEN, kiosk_id="K1", barcode="X" * 40)
    with pytest.raises(ValueError, match="too long"):
        layout_test_page(page, 58)
    with pytest.raises(ValueError, match="ASCII"):
        Line(text="条码", kind="barcode")


def test_kinds_encode_every_non_ascii_line_as_gb18030_in_chinese_mode() -> None:
    for lines in layouts(58).values():
        job = encode_job(lines, 58)
        for line in lines:
            if line.kind == "text" and not line.text.isascii():
                assert b"\x1c&" + line.text.encode("gb18030") + b"\x1c." in job
