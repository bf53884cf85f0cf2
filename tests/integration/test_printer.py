"""The network receipt printer driver against the virtual printer, over real TCP sockets."""

from __future__ import annotations

import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.printers.base import PrinterError, PrinterStatus
from devices.printers.network import NetworkReceiptPrinter
from devices.printers.receipt import Receipt, layout_receipt
from devices.sim.printer.parser import EscPosParser
from devices.sim.printer.printout import PrintedLine, RasterImage
from devices.sim.printer.tcp_server import VirtualPrinter
from tests.support.printer import *  # noqa: F403  (virtual_printer fixture, until conftest)

ROOT = Path(__file__).resolve().parents[2]
CST = timezone(timedelta(hours=8))
TRACKING = "K0451-20261121-0042-7"
QR = f"https://gov.example/s/{TRACKING}"


def make_receipt() -> Receipt:
    return Receipt(
        title="老年优待证申领",
        lines=(("姓名", "䶮*"), ("证件号码", "2301**********001X"), ("备注", "（——）")),
        tracking_number=TRACKING,
        qr_payload=QR,
        notes=("请妥善保管本回执，凭受理编号查询办理进度。",),
        printed_at=datetime(2026, 11, 21, 14, 3, 5, tzinfo=CST),
        kiosk_id="K0451",
    )


def driver(vp: VirtualPrinter, **kwargs: object) -> NetworkReceiptPrinter:
    return NetworkReceiptPrinter("127.0.0.1", vp.port, **kwargs)  # type: ignore[arg-type]


def wait_until(condition: object, timeout: float = 3.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_printed_transcript_holds_title_rare_character_punctuation_and_tracking_number(
    virtual_printer: VirtualPrinter,
) -> None:
    driver(virtual_printer).print_receipt(make_receipt())
    [printed] = virtual_printer.wait_for_receipts(1, timeout=5)
    lines = printed.text.splitlines()
    assert lines[0].strip() == "老年优待证申领"
    assert "姓名：    䶮*" in lines
    assert "备注：    （——）" in lines
    assert TRACKING in [line.strip() for line in lines]
    assert f"[QR] {QR}" in lines
    assert printed.qr_payloads == [QR]
    assert printed.cut
    assert "?" not in printed.text and "\ufffd" not in printed.text
    title = printed.lines[0]
    assert (title.bold, title.height, title.align) == (True, 2, "center")


def test_transcript_file_is_written_per_receipt(
    virtual_printer: VirtualPrinter, tmp_path: Path
) -> None:
    printer = driver(virtual_printer)
    printer.print_receipt(make_receipt())
    printer.print_receipt(make_receipt())
    receipts = virtual_printer.wait_for_receipts(2, timeout=5)
    files = sorted((tmp_path / "printer").glob("receipt-*.txt"))
    assert [f.name for f in files] == ["receipt-0001.txt", "receipt-0002.txt"]
    assert files[1].read_text(encoding="utf-8") == receipts[1].text + "\n"


@pytest.mark.parametrize("width_mm", [58, 80])
def test_layout_lines_arrive_unwrapped_by_a_printer_of_the_same_width(
    tmp_path: Path, width_mm: int
) -> None:
    with VirtualPrinter(width_mm=width_mm) as vp:
        driver(vp, width_mm=width_mm).print_receipt(make_receipt())
        [printed] = vp.wait_for_receipts(1, timeout=5)
    sent = [ln.text for ln in layout_receipt(make_receipt(), width_mm)]  # type: ignore[arg-type]
    got = [ln.text.removeprefix("[QR] ") for ln in printed.lines]
    assert got == sent


def test_an_80mm_layout_on_58mm_paper_is_wrapped_by_the_printer(
    virtual_printer: VirtualPrinter,
) -> None:
    """Shows the emulator really models columns, so the test above can fail."""
    driver(virtual_printer, width_mm=80).print_receipt(make_receipt())
    [printed] = virtual_printer.wait_for_receipts(1, timeout=5)
    assert "-" * 48 not in printed.text.splitlines()
    assert "-" * 16 in printed.text.splitlines()


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (None, PrinterStatus.OK),
        ("paper_near_end", PrinterStatus.PAPER_NEAR_END),
        ("paper_out", PrinterStatus.PAPER_OUT),
        ("cover_open", PrinterStatus.COVER_OPEN),
        ("offline", PrinterStatus.OFFLINE),
        ("cutter_error", PrinterStatus.ERROR),
        ("mute", PrinterStatus.UNKNOWN),
    ],
)
def test_status_decodes_each_fault_of_the_virtual_printer(
    virtual_printer: VirtualPrinter, fault: str | None, expected: PrinterStatus
) -> None:
    virtual_printer.set_fault(fault)
    started = time.monotonic()
    assert driver(virtual_printer, status_timeout=0.3).status() is expected
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("fault", ["paper_out", "cover_open", "offline", "cutter_error", "mute"])
def test_print_is_refused_before_sending_anything_when_not_ready(
    virtual_printer: VirtualPrinter, fault: str
) -> None:
    virtual_printer.set_fault(fault)
    printer = driver(virtual_printer, status_timeout=0.3)
    with pytest.raises(PrinterError) as error:
        printer.print_receipt(make_receipt())
    assert error.value.status is printer.status()
    assert virtual_printer.job_bytes == 0
    assert virtual_printer.receipts == []
    virtual_printer.set_fault(None)
    printer.print_receipt(make_receipt())
    assert len(virtual_printer.wait_for_receipts(1, timeout=5)) == 1


def test_print_goes_ahead_when_paper_is_only_near_its_end(
    virtual_printer: VirtualPrinter,
) -> None:
    virtual_printer.set_fault("paper_near_end")
    driver(virtual_printer).print_receipt(make_receipt())
    assert virtual_printer.wait_for_receipts(1, timeout=5)[0].cut


def test_paper_running_out_mid_job_raises_and_leaves_a_partial_uncut_receipt(
    virtual_printer: VirtualPrinter,
) -> None:
    virtual_printer.set_fault("paper_out", after_bytes=120)
    with pytest.raises(PrinterError) as error:
        driver(virtual_printer).print_receipt(make_receipt())
    assert error.value.status is PrinterStatus.PAPER_OUT
    [partial] = virtual_printer.wait_for_receipts(1, timeout=5)
    assert not partial.cut
    assert "老年优待证申领" in partial.text and TRACKING not in partial.text


def test_unreachable_printer_is_offline_and_print_fails_fast() -> None:
    printer = NetworkReceiptPrinter("127.0.0.1", free_port())
    started = time.monotonic()
    assert printer.status() in (PrinterStatus.OFFLINE, PrinterStatus.UNKNOWN)
    with pytest.raises(PrinterError) as error:
        printer.print_receipt(make_receipt())
    assert error.value.status in (PrinterStatus.OFFLINE, PrinterStatus.UNKNOWN)
    assert time.monotonic() - started < 2.0


@pytest.fixture
def resetting_printer() -> Iterator[int]:
    """A TCP peer that answers status as a healthy printer on the first connection and resets
    the second one (the job) after reading its first bytes."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)

    def serve() -> None:
        try:
            first, _ = listener.accept()
            with first:
                for _ in range(3):
                    if len(first.recv(3)) == 3:
                        first.sendall(b"\x12")
            job, _ = listener.accept()
            job.recv(64)
            job.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            job.close()
        except OSError:
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    listener.close()
    thread.join(timeout=5)


def test_connection_reset_mid_job_raises_printer_error(resetting_printer: int) -> None:
    printer = NetworkReceiptPrinter("127.0.0.1", resetting_printer, timeout=2.0)
    with pytest.raises(PrinterError) as error:
        printer.print_receipt(make_receipt())
    assert error.value.status is PrinterStatus.ERROR


def test_driver_holds_no_connection_between_calls(virtual_printer: VirtualPrinter) -> None:
    printer = driver(virtual_printer)
    printer.print_receipt(make_receipt())
    printer.status()
    assert wait_until(lambda: virtual_printer.connection_count == 0)


def test_describe_names_transport_address_and_paper() -> None:
    assert NetworkReceiptPrinter("127.0.0.1", 9100).describe() == "network 127.0.0.1:9100 (58 mm)"


def test_virtual_printer_answers_status_mid_job_and_while_out_of_paper(
    virtual_printer: VirtualPrinter,
) -> None:
    with socket.create_connection(("127.0.0.1", virtual_printer.port), timeout=2) as s:
        s.sendall(b"\x1b@half a line")
        s.sendall(b"\x10\x04\x01")
        assert s.recv(1) == b"\x12"
        virtual_printer.set_fault("paper_out")
        s.sendall(b"\x10\x04\x04")
        assert s.recv(1) == b"\x7e"  # idle 0x12 + near end 0x0C + paper out 0x60
        virtual_printer.set_fault(None)
        s.sendall(b"\n\x1dV\x00")
    [printed] = virtual_printer.wait_for_receipts(1, timeout=5)
    assert printed.text == "half a line"


def _parse(data: bytes, columns: int = 32) -> tuple[list[list[PrintedLine]], bytes]:
    out: list[list[PrintedLine]] = []
    parser = EscPosParser(
        columns, lambda n: 0x12, lambda: True, lambda lines, qr, cut: out.append(list(lines))
    )
    reply = parser.feed(data)
    parser.finish()
    return out, reply


def test_parser_decodes_gb18030_only_in_chinese_mode() -> None:
    gb = "啊".encode("gb18030")
    [[plain, chinese]], _ = _parse(gb + b"\n\x1c&" + gb + b"\x1c.\n")
    assert plain.text == gb.decode("cp437")
    assert chinese.text == "啊"


def test_parser_keeps_raster_data_by_its_declared_length_and_answers_no_query_inside() -> None:
    raster = b"\x1dv0\x00\x02\x00\x03\x00" + b"\x10\x04\x01\n\x1b@"  # 2 x 3 bytes of data
    [[image, line]], reply = _parse(raster + b"OK\n")
    assert image.text == "[IMAGE 16x3]"
    assert isinstance(image.graphic, RasterImage)
    assert image.graphic.data == b"\x10\x04\x01\n\x1b@"
    assert line.text == "OK"
    assert reply == b""  # the DLE EOT inside the image data was data, not a query


def test_parser_answers_a_query_split_across_reads() -> None:
    parser = EscPosParser(32, lambda n: 0x12 + n, lambda: True, lambda *a: None)
    assert parser.feed(b"\x10") == b""
    assert parser.feed(b"\x04") == b""
    assert parser.feed(b"\x02") == b"\x14"


_COMMANDISH = st.sampled_from(
    [b"\x1b", b"\x1d", b"\x1c", b"\x10\x04", b"\x1d(k", b"\x1c(", b"\x1dv0", b"\x1d8L",
     b"\x1c&", b"\x1dV", b"\x1b*", b"\x1dk", b"\x1bD", b"\x1b@", b"\x81", b"\x81\x30", b"\n"]
)
_GARBAGE = st.one_of(
    st.binary(max_size=3000),
    st.lists(st.one_of(_COMMANDISH, st.binary(max_size=6)), max_size=300).map(b"".join),
)


@settings(max_examples=300, deadline=None)
@given(data=_GARBAGE, cuts=st.lists(st.integers(0, 3000), max_size=8))
def test_parser_survives_random_bytes_in_any_chunking(data: bytes, cuts: list[int]) -> None:
    parser = EscPosParser(32, lambda n: 0x12, lambda: True, lambda *a: None)
    bounds = sorted({0, len(data), *(c for c in cuts if c < len(data))})
    started = time.monotonic()
    for start, end in zip(bounds, bounds[1:], strict=False):
        parser.feed(data[start:end])
    parser.finish()
    assert time.monotonic() - started < 2.0


@settings(max_examples=50, deadline=None)
@given(cuts=st.lists(st.integers(1, 700), max_size=10))
def test_parser_gives_the_same_receipt_however_the_job_is_chunked(cuts: list[int]) -> None:
    from devices.printers.encoding import receipt_job

    job = receipt_job(make_receipt(), 58)
    whole, _ = _parse(job)
    out: list[list[PrintedLine]] = []
    parser = EscPosParser(32, lambda n: 0x12, lambda: True, lambda ls, q, c: out.append(list(ls)))
    bounds = sorted({0, len(job), *(c for c in cuts if c < len(job))})
    for start, end in zip(bounds, bounds[1:], strict=False):
        parser.feed(job[start:end])
    assert out == whole


def test_virtual_printer_survives_random_garbage_over_tcp(
    virtual_printer: VirtualPrinter,
) -> None:
    with socket.create_connection(("127.0.0.1", virtual_printer.port), timeout=2) as s:
        s.sendall(os.urandom(64 * 1024))
    assert driver(virtual_printer).status() is PrinterStatus.OK


def test_cli_runs_until_interrupted_and_reports_each_receipt(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli", "sim", "printer", "--port", "0", "--out",
         str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert proc.stdout is not None
        banner = proc.stdout.readline()
        assert "listening on 127.0.0.1:" in banner
        port = int(banner.rsplit(":", 1)[1])
        NetworkReceiptPrinter("127.0.0.1", port).print_receipt(make_receipt())
        report = proc.stdout.readline()
        assert report.startswith("receipt 0001:") and "1 QR" in report
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=5) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    transcript = (tmp_path / "receipt-0001.txt").read_text(encoding="utf-8")
    assert TRACKING in [line.strip() for line in transcript.splitlines()]
    assert f"[QR] {QR}" in transcript.splitlines()
