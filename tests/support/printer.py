"""Fixtures for the virtual ESC/POS receipt printer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.sim.escpos_printer import VirtualPrinter

__all__ = ["virtual_printer"]


@pytest.fixture
def virtual_printer(tmp_path: Path) -> Iterator[VirtualPrinter]:
    """A started 58 mm virtual printer on a free loopback port, writing to tmp_path/printer."""
    printer = VirtualPrinter(out_dir=tmp_path / "printer").start()
    try:
        yield printer
    finally:
        printer.stop()
