"""Fixtures for the virtual ESC/POS receipt printer."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from devices.printers.local import FileReceiptPrinter
from devices.printers.receipt import Line
from devices.sim.printer.tcp_server import VirtualPrinter

__all__ = ["BuggyDriverPrinter", "virtual_printer"]


class BuggyDriverPrinter(FileReceiptPrinter):
    """A spool-file printer whose driver has a bug: every job raises, and not a PrinterError."""

    def print_layout(self, lines: Sequence[Line], reference: str = "") -> None:
        raise RuntimeError(f"driver bug while encoding {reference or 'a job'}")


@pytest.fixture
def virtual_printer(tmp_path: Path) -> Iterator[VirtualPrinter]:
    """A started 58 mm virtual printer on a free loopback port, writing to tmp_path/printer."""
    printer = VirtualPrinter(out_dir=tmp_path / "printer").start()
    try:
        yield printer
    finally:
        printer.stop()
