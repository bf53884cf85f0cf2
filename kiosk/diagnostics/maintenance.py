"""Technician jobs on the kiosk's own devices: a printer test page (receipt and A4), a
receipt reprint, and the printers page's figures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from devices.printers.base import PrinterError, ReceiptPrinter
from devices.printers.receipt_kinds import TestPage, layout_test_page
from kiosk import __version__
from kiosk.config import Config
from kiosk.paper_roll import RollEstimate
from kiosk.submission import PrintOutcome, print_receipt
from sync.clock import Clock
from sync.outbox.peek import peek_records


def print_test_page(config: Config, printer: ReceiptPrinter, clock: Clock) -> PrintOutcome:
    page = TestPage(
        device=(
            ("终端编号", config.kiosk.id),
            ("软件版本", __version__),
            ("打印机", printer.describe()),
            ("纸宽", f"{printer.width_mm} mm"),
        ),
        printed_at=clock.now().astimezone(ZoneInfo(config.kiosk.timezone)),
        kiosk_id=config.kiosk.id,
    )
    try:
        printer.print_layout(layout_test_page(page, printer.width_mm), "test page")
    except PrinterError as exc:
        return PrintOutcome(False, str(exc))
    return PrintOutcome(True)


def reprint_last(outbox_path: Path, printer: ReceiptPrinter) -> PrintOutcome:
    """The newest receipt still kept (masked data only), printed again."""
    if not outbox_path.exists():
        return PrintOutcome(False, "no receipt to reprint")
    records = [r for r in peek_records(outbox_path) if r.receipt]
    if not records:
        return PrintOutcome(False, "no receipt to reprint")
    return print_receipt(printer, records[-1].receipt)


@dataclass(frozen=True)
class PrinterFacts:
    """The printers page: the receipt printer's status and roll counters, the A4 queue's."""

    receipt_status: str  # a PrinterStatus value ("ok", "paper_out", ...)
    receipt_where: str
    reports_status: bool
    roll: RollEstimate | None
    roll_error: str  # the counters could not be read ("" when they could)
    a4: dict[str, Any] | None  # check_a4_printer's part; None when no queue is configured


def printer_facts(config: Config, printer: ReceiptPrinter) -> PrinterFacts:
    """Asked on the device job thread (a status query never meets a print)."""
    from kiosk.diagnostics.diagnose import check_a4_printer
    from kiosk.paper_roll import PaperRollError, open_roll

    status = printer.status()
    roll: RollEstimate | None = None
    roll_error = ""
    try:
        roll = open_roll(config.data_dir, config.printer).estimate()
    except PaperRollError as exc:
        roll_error = str(exc)
    return PrinterFacts(
        receipt_status=status.value, receipt_where=printer.describe(),
        reports_status=getattr(printer, "reports_status", True), roll=roll,
        roll_error=roll_error,
        a4=check_a4_printer(config) if config.a4_printer.queue else None,
    )


def print_a4_test_page(config: Config, clock: Clock) -> PrintOutcome:
    """One A4 page through the CUPS queue, waited for until CUPS has printed it."""
    from devices.printers.cups_a4 import A4PrinterError, CupsA4Printer

    if not config.a4_printer.queue:
        return PrintOutcome(False, "no [a4_printer] queue configured")
    when = clock.now().astimezone(ZoneInfo(config.kiosk.timezone))
    lines = ["Kiosk A4 printer test page", f"Kiosk: {config.kiosk.id}",
             f"Software: {__version__}", f"Queue: {config.a4_printer.queue}",
             f"Printed at: {when:%Y-%m-%d %H:%M:%S %z}"]
    try:
        CupsA4Printer(config.a4_printer).print_pdf(a4_text_pdf(lines), "kiosk A4 test page")
    except A4PrinterError as exc:
        return PrintOutcome(False, f"{exc} ({exc.status.state.value}: {exc.status.detail})"
                            if exc.status.detail else f"{exc} ({exc.status.state.value})")
    return PrintOutcome(True)


def a4_text_pdf(lines: list[str]) -> bytes:
    """A one-page A4 PDF of plain ASCII lines in Helvetica (a base font: nothing embedded)."""
    def escape(text: str) -> str:
        safe = text.encode("ascii", "replace").decode("ascii")
        return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = "BT /F1 16 Tf 72 770 Td 22 TL " + " ".join(
        f"({escape(line)}) Tj T*" for line in lines) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode("ascii")),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)
