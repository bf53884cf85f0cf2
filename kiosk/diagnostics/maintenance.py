"""Technician jobs on the kiosk's own devices: a printer test page, a receipt reprint."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from devices.printers.base import PrinterError, ReceiptPrinter
from devices.printers.receipt_kinds import TestPage, layout_test_page
from kiosk import __version__
from kiosk.config import Config
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
