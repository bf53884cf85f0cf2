"""The demo stack of ``kiosk run --demo`` where pcscd cannot be used: the simulated reader.

The platform and printer are real (HTTP and TCP on loopback); only the reader falls back,
and the kiosk says so on screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printer import NetworkReceiptPrinter
from kiosk.app import KioskCore
from kiosk.config import Config
from kiosk.demo import DemoStack, start_demo
from kiosk.flow import Step
from tests.support.platform import free_port
from ui.app import build_window
from ui.qt import QLabel, QPushButton, Qt


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoStack]:
    config = Config().replace("kiosk", data_dir=str(tmp_path), voice_engine="mock").replace(
        "demo", platform_port=free_port(), printer_port=free_port()
    ).replace("sync", interval_seconds=0.2)
    stack = start_demo(config, use_pcsc=False)
    yield stack
    stack.close()


def test_demo_without_pcscd_uses_the_simulated_reader_and_says_so(
    qtbot: QtBot, demo: DemoStack
) -> None:
    assert demo.config.reader.backend == "simulated"
    assert "simulated" in demo.reader_note.lower()
    assert demo.printer is not None
    core = KioskCore(
        demo.config, demo.reader,
        NetworkReceiptPrinter("127.0.0.1", demo.config.printer.port), reader_note=demo.reader_note,
    )
    core.start()
    window = build_window(core, demo_insert_card=demo.insert_card)
    qtbot.addWidget(window)
    window.show()
    try:
        note = window.findChild(QLabel, "device-note")
        assert note.isVisible() and note.text() == "模拟读卡器：非真实设备"

        def click(name: str) -> None:
            qtbot.mouseClick(window.findChild(QPushButton, name), Qt.MouseButton.LeftButton)

        for name in ("service-social-security-card-loss", "guide-start", "privacy-accept",
                     "demo-insert-card"):
            click(name)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.screens[Step.FORM],
                        timeout=5000)
        for digit in "13912345678":
            click(f"key-{digit}")
        click("form-next")
        click("confirm-submit")
        receipt = demo.printer.wait_for_receipts(1, timeout=10)[0]
        assert "社保卡临时挂失" in receipt.text
        txid = core.flow.session.txid
        qtbot.waitUntil(lambda: core.outbox.get(txid).state == "acked", timeout=10_000)
    finally:
        window.close()
        core.stop()
