"""Printer backends chosen by config: file (cannot report), serial over a real pseudo-terminal
against the virtual printer, and the clear refusals for USB and Windows raw where their
libraries are missing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from escpos.printer import Usb, Win32Raw

from devices.printers.base import PrinterConfigError, PrinterError, PrinterStatus
from devices.printers.factory import build_printer
from devices.printers.local import FileReceiptPrinter, SerialReceiptPrinter
from devices.printers.network import NetworkReceiptPrinter
from devices.printers.receipt import layout_receipt, layout_text
from devices.printers.settings import PrinterSettings
from devices.sim.printer.parser import EscPosParser
from devices.sim.printer.printout import PrintedLine, transcript
from devices.sim.printer.receipt_samples import layouts, submission_receipt
from devices.sim.printer.serial_pty import SerialVirtualPrinter


def parse_file(path: Path, columns: int = 32) -> list[str]:
    texts: list[str] = []

    def done(lines: list[PrintedLine], qr: list[str], cut: bool) -> None:
        texts.append(transcript(lines, columns))

    parser = EscPosParser(columns, lambda n: 0x12, lambda: True, done)
    parser.feed(path.read_bytes())
    parser.finish()
    return texts


def test_factory_builds_each_kind_it_can_and_names_what_is_wrong(tmp_path: Path) -> None:
    net = build_printer(PrinterSettings("network", host="127.0.0.1", port=9100, width_mm=80))
    assert isinstance(net, NetworkReceiptPrinter) and net.width_mm == 80
    spool = str(tmp_path / "spool")
    assert isinstance(build_printer(PrinterSettings("file", path=spool)), FileReceiptPrinter)
    serial = build_printer(PrinterSettings("serial", device="/dev/ttyS0"))
    assert isinstance(serial, SerialReceiptPrinter)
    with pytest.raises(PrinterConfigError, match="unknown printer kind 'laser'"):
        build_printer(PrinterSettings("laser"))
    # The settings are typed: an option no printer takes cannot even be written down (the
    # configuration refuses it by name too: test_core_printer).
    with pytest.raises(TypeError, match="colour"):
        PrinterSettings("network", host="h", colour=True)  # type: ignore[call-arg]
    with pytest.raises(PrinterConfigError, match="qr_mode"):
        build_printer(PrinterSettings("network", host="h", qr_mode="svg"))
    with pytest.raises(PrinterConfigError, match="76 mm"):
        build_printer(PrinterSettings("network", host="h", width_mm=76))
    with pytest.raises(PrinterConfigError, match="cannot report"):
        FileReceiptPrinter(spool, reports_status=True)


@pytest.mark.skipif(Usb.is_usable(), reason="pyusb is installed here")
def test_usb_without_pyusb_is_a_clear_configuration_error() -> None:
    with pytest.raises(PrinterConfigError, match="pyusb"):
        build_printer(PrinterSettings("usb", vendor_id="0x0416", product_id="0x5011"))


@pytest.mark.skipif(Win32Raw.is_usable(), reason="pywin32 is installed here")
def test_windows_raw_elsewhere_is_a_clear_configuration_error() -> None:
    with pytest.raises(PrinterConfigError, match="Windows"):
        build_printer(PrinterSettings("win32raw", printer_name="POS-58"))


def test_file_printer_prints_without_status_and_appends_every_job(tmp_path: Path) -> None:
    seen: list[PrinterStatus] = []
    spool = tmp_path / "lp0"
    printer = build_printer(PrinterSettings("file", path=str(spool)), seen.append)
    assert printer.status() is PrinterStatus.UNKNOWN
    printer.print_receipt(submission_receipt())
    printer.print_layout(layouts(58)["queue-ticket"], "A023")
    receipt, ticket = parse_file(spool)
    assert receipt == layout_text(layout_receipt(submission_receipt(), 58), 58)
    assert ticket == layout_text(layouts(58)["queue-ticket"], 58)
    assert seen == [PrinterStatus.UNKNOWN]
    assert "cannot report status" in printer.describe()


def test_file_printer_whose_device_is_gone_is_offline_and_refuses(tmp_path: Path) -> None:
    printer = FileReceiptPrinter(tmp_path / "unplugged" / "lp0")
    assert printer.status() is PrinterStatus.OFFLINE
    with pytest.raises(PrinterError, match="offline") as error:
        printer.print_receipt(submission_receipt())
    assert error.value.status is PrinterStatus.OFFLINE


@pytest.fixture
def serial_printer(tmp_path: Path):
    if os.name != "posix":
        pytest.skip("pseudo-terminals are POSIX")
    with SerialVirtualPrinter(out_dir=tmp_path / "serial") as vp:
        yield vp


def test_serial_printer_round_trip_over_a_pseudo_terminal(
    serial_printer: SerialVirtualPrinter, tmp_path: Path
) -> None:
    printer = build_printer(
        PrinterSettings("serial", device=serial_printer.device_path, baudrate=115200)
    )
    assert printer.status() is PrinterStatus.OK
    printer.print_receipt(submission_receipt())
    [printed] = serial_printer.wait_for_receipts(1, timeout=10)
    assert printed.text == layout_text(layout_receipt(submission_receipt(), 58), 58)
    assert (tmp_path / "serial" / "receipt-0001.png").is_file()


@pytest.mark.parametrize(("fault", "status"), [("paper_out", PrinterStatus.PAPER_OUT),
                                               ("mute", PrinterStatus.UNKNOWN)])
def test_serial_printer_not_ready_or_silent_is_refused_before_sending(
    serial_printer: SerialVirtualPrinter, fault: str, status: PrinterStatus
) -> None:
    serial_printer.set_fault(fault)
    printer = SerialReceiptPrinter(serial_printer.device_path, status_timeout=0.3)
    with pytest.raises(PrinterError) as error:
        printer.print_receipt(submission_receipt())
    assert error.value.status is status
    assert serial_printer.job_bytes == 0


def test_serial_printer_running_out_of_paper_mid_job_is_detected(
    serial_printer: SerialVirtualPrinter,
) -> None:
    serial_printer.set_fault("paper_out", after_bytes=150)
    printer = SerialReceiptPrinter(serial_printer.device_path)
    with pytest.raises(PrinterError, match="incomplete") as error:
        printer.print_receipt(submission_receipt())
    assert error.value.status is PrinterStatus.PAPER_OUT


def test_serial_device_that_does_not_exist_is_offline(tmp_path: Path) -> None:
    printer = SerialReceiptPrinter(str(tmp_path / "ttyUSB9"), status_timeout=0.3)
    assert printer.status() is PrinterStatus.OFFLINE
    with pytest.raises(PrinterError):
        printer.print_receipt(submission_receipt())
