"""The demo stack of ``kiosk run --demo`` where pcscd cannot be used: the simulated reader.

The platform and printer are real (HTTP and TCP on loopback); only the reader falls back,
and the kiosk says so on screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.assembly import assemble_kiosk
from kiosk.config import Config
from kiosk.demo import DemoStack, start_demo
from kiosk.flow import Step
from tests.support.kiosk import visible_button
from tests.support.platform import free_port
from ui.launch import build_window
from ui.qt import QLabel, Qt


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
    core = assemble_kiosk(demo.config, demo=demo)
    core.start()
    window = build_window(core, demo_insert_card=demo.insert_card)
    qtbot.addWidget(window)
    window.resize(1920, 1080)  # a hall kiosk's screen: the home page's tiles depend on it
    window.show()
    qtbot.waitExposed(window)
    try:
        note = window.findChild(QLabel, "device-note")
        assert note.isVisible() and note.text() == "模拟读卡器：非真实设备"

        def click(name: str) -> None:
            qtbot.mouseClick(visible_button(window, name), Qt.MouseButton.LeftButton)

        for name in ("department-social_security", "service-social-security-card-loss",
                     "guide-start", "privacy-accept", "demo-insert-card"):
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


def test_demo_id_card_on_the_pad_identifies_over_ga_t_467(qtbot: QtBot, demo: DemoStack) -> None:
    assert demo.id_reader is not None and demo.config.reader.gat467_port
    core = assemble_kiosk(demo.config, demo=demo)
    core.start()
    window = build_window(core, demo_place_id_card=demo.place_id_card)
    qtbot.addWidget(window)
    window.resize(1920, 1080)  # a hall kiosk's screen: the home page's tiles depend on it
    window.show()
    qtbot.waitExposed(window)
    try:
        for name in ("service-elderly-card-apply", "guide-start", "privacy-accept",
                     "demo-place-id-card"):
            qtbot.mouseClick(visible_button(window, name), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.screens[Step.FORM],
                        timeout=10_000)
        card = core.flow.session.identity
        assert card is not None and card.kind.value == "resident_id"
        demo.id_reader.lift()  # lifting the card after a good read ends nothing
        qtbot.wait(1500)
        assert window.stack.currentWidget() is window.screens[Step.FORM]
        assert core.flow.session.identity is card
    finally:
        window.close()
        core.stop()


def test_demo_electronic_code_and_receipt_scans_go_through_the_scanner_emulator(
    qtbot: QtBot, demo: DemoStack
) -> None:
    assert demo.scanner is not None and demo.config.scanner.port == demo.scanner.path
    assert demo.printer is not None
    core = assemble_kiosk(demo.config, demo=demo)
    core.start()
    window = build_window(core, demo_scan=demo.scan)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    try:
        def click(name: str) -> None:
            qtbot.mouseClick(visible_button(window, name), Qt.MouseButton.LeftButton)

        qtbot.waitUntil(lambda: core.scanners[0].status().present, timeout=5000)
        core.flow.choose_service("medical-enrolment-certificate")
        for name in ("guide-start", "privacy-accept", "demo-scan-ecode"):
            click(name)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.screens[Step.FORM],
                        timeout=10_000)
        assert core.flow.session.identity.kind.value == "electronic_code"  # type: ignore[union-attr]
        for name in ("choice-scheme-resident", "choice-purpose-school", "form-next",
                     "confirm-submit"):
            click(name)
        demo.printer.wait_for_receipts(1, timeout=10)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.screens[Step.RECEIPT])
        core.flow.reset()
        core.flow.open_tracking()
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.screens[Step.TRACK])
        click("demo-scan-receipt")
        answer = window.screens[Step.TRACK].findChild(QLabel, "track-answer")
        qtbot.waitUntil(lambda: "基本医疗保险参保凭证打印" in answer.text(), timeout=10_000)
        assert core.flow.session.identity is None
    finally:
        window.close()
        core.stop()
