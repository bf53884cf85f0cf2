"""The technician panel's USB jobs on a real FAT stick (a loop device: listed by the real
``lsblk``, mounted by the real ``mount``, unmounted after each job): waiting records exported,
imported by the platform's own ``kiosk server import``, the acknowledgement read back through
the panel; the log and the diagnose report exported; and each fault said in words (read-only
stick, full stick, no filesystem, not a transfer stick, stick gone)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.core import KioskCore
from kiosk.diagnostics.usb_jobs import export_outbox, read_acks
from kiosk.platform_link.enrolment import identity_dir
from kiosk.usb_media import Stick, list_sticks
from tests.support.headless_kiosk import headless_config, submit
from tests.support.kiosk import kiosk_window
from tests.support.platform import PlatformProcess, free_port
from tests.support.staff import TECHNICIAN_ID, sign_in, with_local_technician
from tests.support.usb import (
    LoopSticks,
    is_mounted,
    mounted_by_hand,
    needs_loop,
    offer_only,
)
from ui.main_window import MainWindow
from ui.qt import QLabel, QPushButton

pytestmark = needs_loop
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def enrolled(
    qtbot: QtBot, tmp_path: Path, platform_factory: Callable[..., PlatformProcess]
) -> Iterator[tuple[KioskCore, MainWindow, PlatformProcess]]:
    """An enrolled kiosk whose platform is down, on screen, with a technician."""
    platform = platform_factory(start=False, require_signatures=True)
    config = headless_config(tmp_path / "kiosk", platform.url, "K0451", code="K0451")
    platform.enrol(config.kiosk.id, identity_dir(config), code="K0451")
    with_local_technician(config)
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    with kiosk_window(qtbot, config, SimulatedCardReader(), printer) as (core, w):
        yield core, w, platform


def click(qtbot: QtBot, w: MainWindow, name: str) -> None:
    """A tap; buttons inside a page's scrolling part are clicked (their viewport's QScroller
    takes a synthetic press-release as the start of a swipe)."""
    target = w.findChild(QPushButton, name)
    assert target is not None and target.isEnabled(), name
    target.click()


def text_of(w: MainWindow, name: str) -> str:
    return str(w.findChild(QLabel, name).text())


def test_records_go_out_on_a_stick_and_the_acknowledgement_comes_back(
    enrolled: tuple[KioskCore, MainWindow, PlatformProcess], loop_sticks: LoopSticks,
    qtbot: QtBot, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    core, w, platform = enrolled
    txids = [submit(core) for _ in range(3)]
    device = loop_sticks.make("kioskusb")
    offer_only(core, device)
    w.technician.open_panel()
    sign_in(qtbot, w)
    click(qtbot, w, "technician-tab-outbox")
    click(qtbot, w, "technician-usb-export")  # no stick chosen yet: says what to do
    qtbot.waitUntil(lambda: "请先" in text_of(w, "technician-outbox-usb-result"), timeout=5000)
    click(qtbot, w, "technician-outbox-find-sticks")
    qtbot.waitUntil(lambda: device in text_of(w, "technician-outbox-sticks"), timeout=10_000)
    assert w.findChild(QPushButton, "technician-outbox-stick-0").isChecked()
    assert not is_mounted(device)  # listing mounts nothing
    click(qtbot, w, "technician-usb-export")
    result = "technician-outbox-usb-result"
    qtbot.waitUntil(lambda: "3 条待发送记录" in text_of(w, result), timeout=20_000)
    assert not is_mounted(device)  # unmounted after the job
    assert {core.outbox.get(t).state for t in txids} == {"pending"}  # until the ack

    with mounted_by_hand(device) as stick:  # at the platform
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        done = subprocess.run(
            [sys.executable, "-m", "kiosk.cli", "server", "import", str(stick), "--data-dir",
             str(platform.data_dir), "--database-url", platform.database_url],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        bundles = list((stick / "kiosk-transfer" / core.config.kiosk.id).iterdir())
        assert sorted(p.name.split(".", 1)[1] for p in bundles) == ["ack.json", "bundle.json"]
        assert "13800138000" not in "".join(p.read_text() for p in bundles)

    click(qtbot, w, "technician-usb-read-acks")
    qtbot.waitUntil(lambda: "平台已确认：3 条记录" in text_of(w, result), timeout=20_000)
    assert {core.outbox.get(t).state for t in txids} == {"acked"}
    assert not is_mounted(device)
    qtbot.waitUntil(lambda: "已送达：3" in text_of(w, "technician-outbox-text"), timeout=10_000)

    click(qtbot, w, "technician-tab-logs")
    click(qtbot, w, "technician-logs-find-sticks")
    qtbot.waitUntil(lambda: device in text_of(w, "technician-logs-sticks"), timeout=10_000)
    click(qtbot, w, "technician-logs-export")
    qtbot.waitUntil(lambda: "行日志（已脱敏）" in text_of(w, "technician-logs-usb-result"),
                    timeout=30_000)
    assert not is_mounted(device)
    with mounted_by_hand(device) as stick:
        written = sorted((stick / "kiosk-logs" / core.config.kiosk.id).iterdir())
        assert [p.suffix for p in written] == [".json", ".log"]
        report = json.loads(written[0].read_text("utf-8"))
        assert report["source"] == "live" and "printer" in report

    actions = [r.getMessage() for r in caplog.records if TECHNICIAN_ID in r.getMessage()]
    for action in ("usb_export", "usb_read_acks", "export_logs"):
        assert any(f"staff action: {action}" in m for m in actions), action
        assert any(m.startswith(f"{action} by technician {TECHNICIAN_ID}") for m in actions)
    # The audit trail keeps each result beside the gate's entry, with the figures.
    from kiosk.audit.store import AuditLog

    trail = AuditLog(core.config.audit_path)
    try:
        results = [e for e in trail.entries() if e["kind"] == "staff.action"
                   and e["actor"] == TECHNICIAN_ID and "result" in e["details"]]
    finally:
        trail.close()
    by_action = {e["details"]["action"]: e["details"]["result"] for e in results}
    assert by_action["usb_export"]["records"] == 3 and by_action["usb_read_acks"]["acked"] == 3
    assert by_action["export_logs"]["done"] is True


def stick_of(device: str) -> Stick:
    def accept(found: dict[str, object], _disk: dict[str, object] | None) -> bool:
        return found.get("path") == device

    (stick,) = list_sticks((device,), accept=accept)
    return stick


def test_each_stick_fault_is_said_and_nothing_is_left_mounted(
    enrolled: tuple[KioskCore, MainWindow, PlatformProcess], loop_sticks: LoopSticks,
) -> None:
    core, _w, _platform = enrolled
    submit(core)
    config, now, run = core.config, core.clock.now(), subprocess.run

    read_only = loop_sticks.make("locked", read_only=True)
    outcome = export_outbox(config, stick_of(read_only), now, run)
    assert (outcome.done, outcome.problem) == (False, "read_only")
    assert not is_mounted(read_only)

    full = loop_sticks.make("full", size_mib=2)
    with mounted_by_hand(full) as root, open(root / "filler", "wb", buffering=0) as filler:
        for chunk in (65536, 4096, 512, 1):  # to the last byte (root's reserve included)
            try:
                while True:
                    filler.write(b"\0" * chunk)
            except OSError:
                pass
    outcome = export_outbox(config, stick_of(full), now, run)
    assert (outcome.done, outcome.problem) == (False, "full")
    assert not is_mounted(full)

    blank = loop_sticks.make("blank", filesystem=False)
    outcome = export_outbox(config, stick_of(blank), now, run)
    assert (outcome.done, outcome.problem) == (False, "no_filesystem"), outcome.detail

    fresh = loop_sticks.make("fresh")
    outcome = read_acks(config, core.outbox, stick_of(fresh), run)
    assert (outcome.done, outcome.problem) == (False, "not_transfer")
    assert not is_mounted(fresh)

    gone = Stick("/dev/no-such-stick", "GONE", "8G", "vfat", "")
    assert export_outbox(config, gone, now, run).problem == "gone"
