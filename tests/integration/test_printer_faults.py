"""Printer faults end to end: the driver against the virtual printer over loopback TCP.

Each fault must give the right words, send nothing that could be lost, and leave the printer
able to print the same receipt again once the fault is cleared.
"""

from __future__ import annotations

import socket

import pytest

from devices.printers.base import PrinterError, PrinterStatus
from devices.printers.network import NetworkReceiptPrinter
from devices.printers.receipt import layout_receipt, layout_text
from devices.sim.printer.receipt_samples import TRACKING, submission_receipt
from devices.sim.printer.tcp_server import VirtualPrinter
from tests.support.printer import *  # noqa: F403


def driver(vp: VirtualPrinter, **kwargs: object) -> NetworkReceiptPrinter:
    return NetworkReceiptPrinter("127.0.0.1", vp.port, **kwargs)  # type: ignore[arg-type]


def intended(width_mm: int = 58) -> str:
    return layout_text(layout_receipt(submission_receipt(), width_mm), width_mm)  # type: ignore[arg-type]


def reprint_works(vp: VirtualPrinter, printer: NetworkReceiptPrinter) -> None:
    vp.set_fault(None)
    vp.set_status_delay(0)
    before = len(vp.receipts)
    printer.print_receipt(submission_receipt())
    printed = vp.wait_for_receipts(before + 1, timeout=5)[-1]
    assert printed.cut and printed.text == intended()


@pytest.mark.parametrize(
    ("fault", "status", "words"),
    [
        ("paper_out", PrinterStatus.PAPER_OUT, "out of paper"),
        ("cover_open", PrinterStatus.COVER_OPEN, "cover is open"),
        ("offline", PrinterStatus.OFFLINE, "offline"),
        ("cutter_error", PrinterStatus.ERROR, "reports an error"),
    ],
)
def test_fault_before_a_job_is_refused_with_its_words_and_a_reprint_works(
    virtual_printer: VirtualPrinter, fault: str, status: PrinterStatus, words: str
) -> None:
    virtual_printer.set_fault(fault)
    printer = driver(virtual_printer, status_timeout=0.5)
    with pytest.raises(PrinterError, match=words) as error:
        printer.print_receipt(submission_receipt())
    assert error.value.status is status
    assert virtual_printer.job_bytes == 0
    reprint_works(virtual_printer, printer)


@pytest.mark.parametrize(
    ("fault", "status", "words"),
    [("paper_out", PrinterStatus.PAPER_OUT, "out of paper"),
     ("cover_open", PrinterStatus.COVER_OPEN, "cover is open")],
)
def test_fault_mid_job_is_reported_as_incomplete_and_a_reprint_is_whole(
    virtual_printer: VirtualPrinter, fault: str, status: PrinterStatus, words: str
) -> None:
    virtual_printer.set_fault(fault, after_bytes=150)
    printer = driver(virtual_printer)
    with pytest.raises(PrinterError, match=f"incomplete: .*{words}") as error:
        printer.print_receipt(submission_receipt())
    assert error.value.status is status
    [partial] = virtual_printer.wait_for_receipts(1, timeout=5)
    assert not partial.cut and TRACKING not in partial.text
    reprint_works(virtual_printer, printer)


def test_slow_printer_status_past_the_deadline_is_unknown_and_refused(
    virtual_printer: VirtualPrinter,
) -> None:
    virtual_printer.set_status_delay(0.6)
    printer = driver(virtual_printer, status_timeout=0.2)
    assert printer.status() is PrinterStatus.UNKNOWN
    with pytest.raises(PrinterError, match="did not answer") as error:
        printer.print_receipt(submission_receipt())
    assert error.value.status is PrinterStatus.UNKNOWN
    assert virtual_printer.job_bytes == 0
    reprint_works(virtual_printer, printer)


def test_slow_printer_within_the_deadline_still_prints(virtual_printer: VirtualPrinter) -> None:
    virtual_printer.set_status_delay(0.05)
    printer = driver(virtual_printer, status_timeout=2.0)
    assert printer.status() is PrinterStatus.OK
    printer.print_receipt(submission_receipt())
    assert virtual_printer.wait_for_receipts(1, timeout=5)[0].text == intended()


def test_delayed_answers_of_one_connection_do_not_hold_up_another(
    virtual_printer: VirtualPrinter,
) -> None:
    virtual_printer.set_status_delay(1.0)
    with socket.create_connection(("127.0.0.1", virtual_printer.port), timeout=3) as slow:
        slow.sendall(b"\x10\x04\x01")
        virtual_printer.set_status_delay(0)
        with socket.create_connection(("127.0.0.1", virtual_printer.port), timeout=3) as fast:
            fast.sendall(b"\x10\x04\x01")
            assert fast.recv(1) == b"\x12"
        assert slow.recv(1) == b"\x12"


def test_unreachable_printer_says_so_and_prints_once_it_is_there() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    printer = NetworkReceiptPrinter("127.0.0.1", port, status_timeout=0.5)
    with pytest.raises(PrinterError, match="offline or unreachable") as error:
        printer.print_receipt(submission_receipt())
    assert error.value.status is PrinterStatus.OFFLINE
    try:
        vp = VirtualPrinter(port=port).start()
    except OSError:
        pytest.skip("the port was taken meanwhile")
    try:
        reprint_works(vp, printer)
    finally:
        vp.stop()


def test_status_changes_reach_the_callback_once_each(virtual_printer: VirtualPrinter) -> None:
    seen: list[PrinterStatus] = []
    printer = driver(virtual_printer, printer_did_change_status=seen.append)
    printer.status()
    printer.status()
    virtual_printer.set_fault("paper_near_end")
    printer.print_receipt(submission_receipt())  # still prints
    virtual_printer.set_fault("paper_out")
    with pytest.raises(PrinterError):
        printer.print_receipt(submission_receipt())
    virtual_printer.set_fault(None)
    printer.status()
    assert seen == [PrinterStatus.OK, PrinterStatus.PAPER_NEAR_END, PrinterStatus.PAPER_OUT,
                    PrinterStatus.OK]
    assert printer.last_status is PrinterStatus.OK
    assert virtual_printer.wait_for_receipts(1, timeout=5)[0].cut


def test_paper_running_near_its_end_during_a_job_is_told_after_it(
    virtual_printer: VirtualPrinter,
) -> None:
    seen: list[PrinterStatus] = []
    printer = driver(virtual_printer, printer_did_change_status=seen.append)
    virtual_printer.set_fault("paper_near_end", after_bytes=100)
    printer.print_receipt(submission_receipt())
    assert seen == [PrinterStatus.OK, PrinterStatus.PAPER_NEAR_END]


def test_a_failing_callback_does_not_fail_the_job(virtual_printer: VirtualPrinter) -> None:
    def broken(status: PrinterStatus) -> None:
        raise RuntimeError("subscriber bug")

    driver(virtual_printer, printer_did_change_status=broken).print_receipt(submission_receipt())
    assert virtual_printer.wait_for_receipts(1, timeout=5)[0].cut
