"""Device faults reach the audit trail as transitions (docs/audit.md), through a running kiosk
core and the pty QR code scanner emulator: the scanner unplugged is one ``device.fault`` however
many health rounds see it gone, plugged back one ``device.recovered`` (and a receipt printer
that never answers, one ``device.fault``); the configuration's
baseline is recorded at the first round; all of it handed to the outbox for the platform."""

from __future__ import annotations

import time
from pathlib import Path

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.scanner.emulator import VirtualScanner
from kiosk.assembly import assemble_kiosk
from kiosk.audit.store import AuditLog
from tests.support.clock import FakeClock
from tests.support.kiosk import test_config
from tests.support.platform import free_port


def _wait_for(condition: object, what: str, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting: {what}")
        time.sleep(0.05)


def test_a_scanner_unplugged_and_back_is_one_fault_and_one_recovery(tmp_path: Path) -> None:
    link = tmp_path / "ttyQR0"
    emulator = VirtualScanner(link=link).start()
    config = (test_config(tmp_path / "k").replace("scanner", port=str(link))
              .replace("kiosk", health_seconds=3600.0))
    core = assemble_kiosk(config, readers=SimulatedCardReader(),
                          printer=NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3))
    core.start()
    try:
        scanner = core.scanners[0]
        _wait_for(lambda: scanner.status().present, "the scanner to be opened")
        core.health.publish_once()
        emulator.stop()
        _wait_for(lambda: not scanner.status().present, "the scanner to be missed")
        for _ in range(3):
            core.health.publish_once()
        emulator = VirtualScanner(link=link).start()
        _wait_for(lambda: scanner.status().present, "the scanner to be found again")
        core.health.publish_once()
        core.health.publish_once()
    finally:
        core.stop()
        emulator.stop()
    log = AuditLog(config.audit_path, FakeClock())
    try:
        entries = log.entries()
        assert log.verify() == []
    finally:
        log.close()
    devices = [(e["kind"], e["details"].get("device"), e["details"].get("status"))
               for e in entries if e["kind"].startswith("device.")]
    scanner_name = f"QR code scanner {link}"
    assert [d for d in devices if d[1] == scanner_name] == [
        ("device.fault", scanner_name, "absent"), ("device.recovered", scanner_name, "ok")]
    # nothing listens on the receipt printer's port: offline at every round, recorded once
    assert [d for d in devices if d[1] != scanner_name] == [
        ("device.fault", "receipt printer", "offline")]
    (config_entry,) = [e for e in entries if e["kind"] == "config.changed"]  # at the first round
    assert config_entry["details"]["baseline"] is True
    missed = next(e for e in entries if e["details"].get("device") == scanner_name)
    assert str(link) in missed["details"]["detail"]  # the device's own words, kept
