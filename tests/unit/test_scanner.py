"""The serial QR code scanner: frames cut from the byte stream, and the driver against the pty
emulator (a real pseudo-terminal, no hardware)."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.scanners.base import ScannedCode, ScannerCallbacks, ScannerError
from devices.scanners.frames import Frame, FrameSplitter
from devices.scanners.serial_scanner import SerialCodeScanner
from devices.sim.scanner.emulator import VirtualScanner

CODE = "ECODE1.eyJ2IjoxfQ.c2lnbmF0dXJl"


def test_codes_are_cut_at_the_terminator_whatever_the_pieces() -> None:
    splitter = FrameSplitter("cr")
    data = f"{CODE}\rhttp://x/v1/track/K0451-20261121-0042-7?code=12345678\r".encode()
    frames = []
    for i in range(0, len(data), 3):
        frames += splitter.feed(data[i : i + 3])
    assert [f.text for f in frames] == [CODE, "http://x/v1/track/K0451-20261121-0042-7?code=12345678"]
    assert splitter.pending == 0


def test_crlf_and_stx_prefix_and_a_bare_terminator() -> None:
    splitter = FrameSplitter("crlf")
    assert splitter.feed(b"\r\n\x02ABC\r\n") == [Frame(text="ABC")]
    assert splitter.feed(b"A\nB\r\n") == [Frame(problem="undecodable")]  # a bare LF inside


def test_a_code_too_long_is_dropped_up_to_its_end_and_the_next_one_reads() -> None:
    splitter = FrameSplitter("cr", max_length=8)
    frames = splitter.feed(b"0123456789ABCDEF\rOK\r")
    assert frames == [Frame(problem="too_long"), Frame(text="OK")]


def test_a_half_code_is_dropped_when_the_line_goes_quiet() -> None:
    splitter = FrameSplitter("cr")
    assert splitter.feed(b"ECODE1.abc") == []
    assert splitter.idle() == [Frame(problem="incomplete")]
    assert splitter.feed(b"NEXT\r") == [Frame(text="NEXT")]
    no_suffix = FrameSplitter("none")
    no_suffix.feed(b"PLAIN")
    assert no_suffix.idle() == [Frame(text="PLAIN")]


def test_bytes_that_are_no_text_are_refused_and_gb18030_is_an_option() -> None:
    assert FrameSplitter("cr").feed(b"\xff\xfe\r") == [Frame(problem="undecodable")]
    assert FrameSplitter("cr", encoding="gb18030").feed("社保".encode("gb18030") + b"\r") == [
        Frame(text="社保")]
    with pytest.raises(ValueError):
        FrameSplitter("tab")


def test_a_scanned_code_shows_no_text_in_its_repr() -> None:
    code = ScannedCode(CODE, "/dev/ttyQR0")
    assert CODE not in repr(code) and "chars" in repr(code) and CODE not in str(code)


@pytest.fixture
def line(tmp_path: Path) -> Iterator[tuple[VirtualScanner, SerialCodeScanner, queue.Queue]]:
    emulator = VirtualScanner(link=tmp_path / "ttyQR0", seed=7).start()
    scanner = SerialCodeScanner(emulator.path, gap=0.2, repeat_window=0.5, retry_interval=0.1)
    seen: queue.Queue[ScannedCode | ScannerError | str] = queue.Queue()
    scanner.subscribe(ScannerCallbacks(code_did_scan=seen.put, scanner_did_fail=seen.put,
                                       scanner_did_add=lambda port: seen.put("added")))
    scanner.start()
    assert seen.get(timeout=5) == "added"
    try:
        yield emulator, scanner, seen
    finally:
        scanner.stop()
        emulator.stop()


def test_the_driver_reads_what_the_emulator_scans(line) -> None:  # type: ignore[no-untyped-def]
    emulator, scanner, seen = line
    emulator.scan(CODE)
    got = seen.get(timeout=5)
    assert isinstance(got, ScannedCode) and got.text == CODE
    emulator.set_fault("split_writes")
    emulator.scan("社保电子凭证")
    assert seen.get(timeout=5).text == "社保电子凭证"
    assert scanner.status().codes_read == 2 and "ready" in scanner.status().detail


def test_the_same_code_held_under_the_scanner_is_reported_once(line) -> None:  # type: ignore[no-untyped-def]
    emulator, scanner, seen = line
    for _ in range(3):
        emulator.scan(CODE)
    assert seen.get(timeout=5).text == CODE
    with pytest.raises(queue.Empty):
        seen.get(timeout=0.3)
    import time

    time.sleep(0.6)  # taken away and shown again
    emulator.scan(CODE)
    assert seen.get(timeout=5).text == CODE


def test_faults_are_reported_in_words_and_the_next_code_reads(line) -> None:  # type: ignore[no-untyped-def]
    emulator, scanner, seen = line
    emulator.set_fault("truncated")
    emulator.scan(CODE)
    failed = seen.get(timeout=5)
    assert isinstance(failed, ScannerError) and failed.reason == "incomplete"
    emulator.set_fault("truncated", False)
    emulator.set_fault("noise")
    emulator.scan("AFTER")
    noise = seen.get(timeout=5)
    assert isinstance(noise, ScannerError) and noise.reason == "undecodable"
    assert seen.get(timeout=5).text == "AFTER"


def test_an_absent_port_is_retried_until_the_scanner_appears(tmp_path: Path) -> None:
    link = tmp_path / "ttyQR9"
    scanner = SerialCodeScanner(str(link), retry_interval=0.1)
    seen: queue.Queue[object] = queue.Queue()
    scanner.subscribe(ScannerCallbacks(code_did_scan=seen.put, scanner_did_fail=seen.put))
    scanner.start()
    emulator = VirtualScanner(link=link)
    try:
        failed = seen.get(timeout=5)
        assert isinstance(failed, ScannerError) and failed.reason == "no_service"
        assert "not available" in failed.message and not scanner.status().present
        emulator.start()
        import time

        deadline = time.monotonic() + 5
        while not scanner.status().present and time.monotonic() < deadline:
            time.sleep(0.05)
        emulator.scan("HELLO")
        assert seen.get(timeout=5).text == "HELLO"  # type: ignore[attr-defined]
    finally:
        scanner.stop()
        emulator.stop()
    assert not scanner.is_running()
