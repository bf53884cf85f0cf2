"""The QR code scanner in ``kiosk diagnose`` (probed: its port opened for a moment) and in the
running kiosk's health report (what the technician's panel shows), against the pty emulator;
and ``kiosk sim scanner`` as a technician runs it."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from devices.sim.scanner.emulator import VirtualScanner
from kiosk.assembly import assemble_kiosk
from kiosk.diagnostics.diagnose import check_scanner, render_text
from kiosk.diagnostics.health import scanners_part
from tests.support.kiosk import test_config
from tests.support.platform import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_diagnose_finds_the_scanner_and_says_when_it_is_missing(tmp_path: Path) -> None:
    emulator = VirtualScanner(link=tmp_path / "ttyQR0").start()
    try:
        config = test_config(tmp_path).replace("scanner", port=emulator.path)
        found = check_scanner(config)
        assert found["ok"] is True and "ready" in found["detail"]
        assert found["scanners"][0]["name"] == emulator.path
    finally:
        emulator.stop()
    gone = check_scanner(config)
    assert gone["ok"] is False and "cannot be opened" in gone["detail"]
    none = check_scanner(test_config(tmp_path))
    assert none["ok"] is True and "no QR code scanner configured" in none["detail"]
    bad = check_scanner(test_config(tmp_path).replace("scanner", port="/dev/x", terminator="tab"))
    assert bad["ok"] is False and "[scanner] terminator" in bad["detail"]


def test_the_running_kiosks_health_names_the_scanner_and_its_count(tmp_path: Path) -> None:
    from devices.printers.network import NetworkReceiptPrinter
    from devices.sim.card.inprocess_reader import SimulatedCardReader

    emulator = VirtualScanner(link=tmp_path / "ttyQR0").start()
    config = test_config(tmp_path / "k").replace("scanner", port=emulator.path)
    core = assemble_kiosk(config, readers=SimulatedCardReader(),
                          printer=NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3))
    core.start()
    try:
        import time

        deadline = time.monotonic() + 5
        while not core.scanners[0].status().present and time.monotonic() < deadline:
            time.sleep(0.05)
        emulator.scan("hello")  # on the home screen: read, counted, nothing done with it
        while core.scanners[0].status().codes_read < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        report = core.health_report().result(timeout=10)
        assert report["scanner"]["ok"] is True
        assert report["scanner"]["scanners"][0]["codes_read"] == 1
        assert "[OK  ] scanner: QR code scanner on" in render_text(report)
    finally:
        core.stop()
        emulator.stop()
    assert not core.scanners[0].is_running()
    assert scanners_part([])["ok"] is True


def test_kiosk_sim_scanner_prints_its_tty_and_scans_on_command(tmp_path: Path) -> None:
    from devices.scanners.base import ScannedCode, ScannerCallbacks
    from devices.scanners.serial_scanner import SerialCodeScanner

    link = tmp_path / "ttyQR1"
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli", "sim", "scanner", "--link", str(link)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        cwd=ROOT,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        first = process.stdout.readline()
        assert "QR code scanner on /dev/" in first, first
        scanner = SerialCodeScanner(str(link), retry_interval=0.1)
        scanner.start()
        try:
            import time

            deadline = time.monotonic() + 5
            while not scanner.status().present and time.monotonic() < deadline:
                time.sleep(0.05)
            # Listen before the code is shown: the driver may read it before the emulator's
            # "ok:" line is read here.
            got: list[str] = []
            scanned = threading.Event()

            def heard(code: ScannedCode) -> None:
                got.append(code.text)
                scanned.set()

            scanner.subscribe(ScannerCallbacks(code_did_scan=heard))
            process.stdin.write("scan ECODE1.test\n")
            process.stdin.flush()
            assert process.stdout.readline().startswith("ok:")
            assert scanned.wait(5)
            assert got == ["ECODE1.test"]
        finally:
            scanner.stop()
        process.stdin.write("quit\n")
        process.stdin.flush()
        assert process.wait(10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        process.stdin.close()
        process.stdout.close()
