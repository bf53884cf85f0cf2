"""Identification without a card, end to end through the screens, with real parts behind it:
the QR code scanner emulator on a pseudo-terminal read by the serial scanner driver (built by
the composition root from ``[scanner] port``), the reference platform over HTTP (signed
requests only, staff credentials delivered to the kiosk), the virtual ESC/POS printer over TCP.

An electronic card code identifies the citizen (expired, forged and replayed codes refused in
words), a typed ID number confirmed by a hall staff member's own credential does too, marked
with their staff id on the platform's record, and a receipt's QR code scanned on the 查询办理进度
screen stands for typing its number and query code. After each flow no personal data is left
in any live widget.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.printer.tcp_server import VirtualPrinter
from devices.sim.scanner.emulator import VirtualScanner
from kiosk.assembly import assemble_kiosk
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.flow import Step
from kiosk.platform_link.enrolment import identity_dir
from kiosk.staff.store import Credentials
from sync.server.ecodes import fixture_identity
from tests.e2e.test_e2e_walking_skeleton import every_live_text
from tests.integration.test_staff_calls import (
    HELPER,
    HELPER_PIN,
    TECH,
    TECH_PIN,
    platform_with_staff,
)
from tests.qt.test_ui_layout import (
    assert_button_fits,
    assert_nothing_clipped_or_overlapping,
    global_rect,
    leaves,
)
from tests.support.ecodes import forged_code, issue_ecode
from tests.support.kiosk import click, showing
from tests.support.platform import PlatformProcess
from tests.support.staff import press_keys
from ui.launch import build_window
from ui.main_window import MainWindow
from ui.messages import card_problem
from ui.qt import QApplication, QLabel, QPushButton, Qt, QWidget

HOLDER = fixture_identity()
ECODE_SERVICE = "medical-enrolment-certificate"  # accepts ssc, id_card and e_code
TYPED_NUMBER = "11010519491231002X"
Kiosk = tuple[KioskCore, MainWindow, PlatformProcess, VirtualScanner]


@pytest.fixture
def kiosk(
    qtbot: QtBot, tmp_path: Path, virtual_printer: VirtualPrinter,
    platform_factory: Callable[..., PlatformProcess],
) -> Iterator[Kiosk]:
    platform = platform_with_staff(platform_factory)
    scanner = VirtualScanner(link=tmp_path / "ttyQR0", seed=11).start()
    config = (
        Config()
        .replace("kiosk", data_dir=str(tmp_path / "kiosk"), voice_engine="mock", locale="zh_CN")
        .replace("platform", url=platform.url, status_url=platform.url + "/v1/track/{tracking}",
                 timeout_seconds=5.0)
        .replace("reader", backend="simulated")
        .replace("scanner", port=scanner.path, repeat_seconds=0.2)
        .replace("printer", host="127.0.0.1", port=virtual_printer.port)
        .replace("sync", interval_seconds=0.2, connectivity_seconds=0.3)
    )
    platform.enrol(config.kiosk.id, identity_dir(config), code=config.kiosk.code)
    core = assemble_kiosk(config, readers=SimulatedCardReader(),
                          printer=NetworkReceiptPrinter("127.0.0.1", virtual_printer.port))
    assert [type(s).__name__ for s in core.scanners] == ["SerialCodeScanner"]
    core.start()
    window = build_window(core)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: core.scanners[0].status().present, timeout=10_000)
    try:
        yield core, window, platform, scanner
    finally:
        window.close()
        core.stop()
        scanner.stop()


def status_text(window: MainWindow) -> str:
    found = window.screens[Step.IDENTIFY].findChild(QLabel, "identify-status")
    return found.text() if found is not None else ""


def to_identify(qtbot: QtBot, core: KioskCore, window: MainWindow, service: str) -> None:
    core.flow.choose_service(service)
    qtbot.waitUntil(lambda: showing(window, Step.GUIDE))
    click(qtbot, window, "guide-start")
    click(qtbot, window, "privacy-accept")
    qtbot.waitUntil(lambda: showing(window, Step.IDENTIFY))


def refused(qtbot: QtBot, window: MainWindow, scanner: VirtualScanner, code: str,
            reason: str) -> None:
    scanner.scan(code)
    qtbot.waitUntil(lambda: status_text(window) == card_problem(reason), timeout=10_000)
    assert window.ctx.voice.last_text == card_problem(reason)
    assert showing(window, Step.IDENTIFY)


def submit_and_wait(qtbot: QtBot, core: KioskCore, window: MainWindow,
                    platform: PlatformProcess) -> dict[str, object]:
    assert core.flow.step is Step.CONFIRM
    txid = core.flow.session.txid
    click(qtbot, window, "confirm-submit")
    qtbot.waitUntil(lambda: showing(window, Step.RECEIPT), timeout=10_000)
    assert txid is not None
    qtbot.waitUntil(lambda: core.outbox.get(txid).state == "acked", timeout=15_000)
    [record] = [r for r in platform.records() if r["id"] == txid]
    return record


def finish_and_check_no_pii(qtbot: QtBot, core: KioskCore, window: MainWindow,
                            *secrets: str) -> None:
    click(qtbot, window, "receipt-done")
    click(qtbot, window, "rate-skip")
    click(qtbot, window, "farewell-home")
    assert core.flow.step is Step.HOME
    qtbot.wait(50)
    everything = " ".join(every_live_text(window))
    for secret in secrets:
        assert secret not in everything, secret
    assert core.flow.session.identity is None and core.flow.session.assisted_by is None


def test_an_electronic_card_code_identifies_the_citizen_and_bad_codes_are_refused(
    qtbot: QtBot, kiosk: Kiosk, virtual_printer: VirtualPrinter
) -> None:
    core, window, platform, scanner = kiosk
    qtbot.waitUntil(lambda: core.poller.online is True, timeout=10_000)
    to_identify(qtbot, core, window, ECODE_SERVICE)
    assert window.findChild(QPushButton, "identify-scan-ecode").isVisible()
    click(qtbot, window, "identify-scan-ecode")  # says where to hold the phone
    assert "scanner" in window.ctx.voice.last_text or "扫描" in window.ctx.voice.last_text

    refused(qtbot, window, scanner, issue_ecode(platform, now=time.time() - 120, ttl=60),
            "ecode_expired")
    genuine = issue_ecode(platform)
    refused(qtbot, window, scanner, forged_code(genuine), "ecode_forged")
    scanner.scan(genuine)
    qtbot.waitUntil(lambda: showing(window, Step.FORM), timeout=10_000)
    held = core.flow.session.identity
    assert held is not None and held.kind.value == "electronic_code"
    assert held.id_number == HOLDER["id_number"]
    click(qtbot, window, "choice-scheme-employee")
    click(qtbot, window, "choice-purpose-residence")
    click(qtbot, window, "form-next")
    record = submit_and_wait(qtbot, core, window, platform)
    assert record["identified_by"] == "electronic_code" and record["assisted_by"] is None
    receipt = virtual_printer.wait_for_receipts(1, timeout=10)[0]
    assert HOLDER["id_number"] not in receipt.text
    masked = HOLDER["name"][0] + "*" * (len(HOLDER["name"]) - 1)
    finish_and_check_no_pii(qtbot, core, window, HOLDER["name"], HOLDER["id_number"], masked,
                            HOLDER["id_number"][-4:])

    # The next citizen (or someone with a photo of the first one's phone) shows the same code.
    time.sleep(0.3)  # past the scanner's repeat window: it is shown again, not still held
    to_identify(qtbot, core, window, ECODE_SERVICE)
    refused(qtbot, window, scanner, genuine, "ecode_replayed")
    assert core.flow.session.identity is None
    click(qtbot, window, "nav-home")
    qtbot.waitUntil(lambda: showing(window, Step.HOME))
    qtbot.wait(50)
    assert HOLDER["id_number"][-4:] not in " ".join(every_live_text(window))


def test_with_the_platform_down_a_code_cannot_be_checked_and_the_kiosk_says_what_else_works(
    qtbot: QtBot, kiosk: Kiosk
) -> None:
    core, window, platform, scanner = kiosk
    code = issue_ecode(platform)
    platform.stop()
    qtbot.waitUntil(lambda: core.poller.online is False, timeout=10_000)
    to_identify(qtbot, core, window, ECODE_SERVICE)
    refused(qtbot, window, scanner, code, "ecode_offline")
    assert core.flow.session.identity is None
    assert window.findChild(QPushButton, "identify-staff-help").isVisible()  # the other way


def test_a_typed_number_confirmed_by_staff_carries_their_id_to_the_platform(
    qtbot: QtBot, kiosk: Kiosk, caplog: pytest.LogCaptureFixture
) -> None:
    core, window, platform, _scanner = kiosk
    caplog.set_level(logging.INFO, logger="kiosk.audit")
    qtbot.waitUntil(lambda: len(Credentials(core.config).people()) == 2, timeout=15_000)
    to_identify(qtbot, core, window, "elderly-card-apply")
    assert not window.findChild(QPushButton, "identify-scan-ecode").isVisible()  # no e-code
    click(qtbot, window, "identify-staff-help")
    panel = window.findChild(QWidget, "assist-panel")
    assert panel.isVisible()
    typing = panel.typing  # the number's keypad (the sign-in page has its own)
    press_keys(qtbot, typing, TYPED_NUMBER[:-2] + "1")  # a typing mistake first
    qtbot.mouseClick(typing.findChild(QPushButton, "key-delete"), Qt.MouseButton.LeftButton)
    press_keys(qtbot, typing, "3")  # 17 characters, not 18
    click(qtbot, panel, "assist-number-next")
    assert panel.findChild(QLabel, "assist-status").text()  # said in words; still typing
    qtbot.mouseClick(typing.findChild(QPushButton, "key-clear"), Qt.MouseButton.LeftButton)
    press_keys(qtbot, typing, TYPED_NUMBER)
    assert panel.findChild(QLabel, "assist-number").text() == "110105 19491231 002X"
    click(qtbot, panel, "assist-number-next")

    def sign_in(person: str, pin: str) -> None:
        press_keys(qtbot, panel.page, person)  # the sign-in page's own keypad
        click(qtbot, panel, "assist-next")
        press_keys(qtbot, panel.page, pin)
        click(qtbot, panel, "assist-open")
        qtbot.waitUntil(lambda: not panel.page.checking, timeout=10_000)

    sign_in(TECH, TECH_PIN)  # a technician does not vouch for a citizen's identity
    assert "技术人员" in panel.findChild(QLabel, "assist-pin-status").text()
    assert core.flow.step is Step.IDENTIFY
    sign_in(HELPER, HELPER_PIN)
    qtbot.waitUntil(lambda: showing(window, Step.FORM), timeout=10_000)
    assert not panel.isVisible() and panel.findChild(QLabel, "assist-number").text() == ""
    assert core.flow.session.assisted_by == HELPER
    click(qtbot, window, "choice-delivery-pickup")
    for digit in "13800138000":
        click(qtbot, window, f"key-{digit}")
    click(qtbot, window, "form-next")
    record = submit_and_wait(qtbot, core, window, platform)
    assert (record["identified_by"], record["assisted_by"]) == ("typed_number", HELPER)
    assert f"identification confirmed by staff {HELPER}" in caplog.text
    assert HELPER_PIN not in caplog.text and TYPED_NUMBER not in caplog.text
    finish_and_check_no_pii(qtbot, core, window, TYPED_NUMBER, "110105 19491231 002X",
                            "13800138000", TYPED_NUMBER[-4:])


def test_a_receipt_is_looked_up_by_scanning_its_qr_code(
    qtbot: QtBot, kiosk: Kiosk, virtual_printer: VirtualPrinter
) -> None:
    core, window, platform, scanner = kiosk
    reader = core.readers[0]
    assert isinstance(reader, SimulatedCardReader)
    to_identify(qtbot, core, window, "elderly-card-apply")
    reader.insert("ssc")
    qtbot.waitUntil(lambda: showing(window, Step.FORM), timeout=10_000)
    core.flow.submit_form({"delivery": "pickup", "phone": "13800138000"})
    qtbot.waitUntil(lambda: showing(window, Step.CONFIRM))
    submit_and_wait(qtbot, core, window, platform)
    tracking = core.flow.session.tracking_number
    [qr] = [p for p in virtual_printer.wait_for_receipts(1, timeout=10)[0].qr_payloads
            if tracking in p]
    reader.remove()
    finish_and_check_no_pii(qtbot, core, window, HOLDER["id_number"], "13800138000")

    core.flow.open_tracking()
    qtbot.waitUntil(lambda: showing(window, Step.TRACK))
    track = window.screens[Step.TRACK]
    assert track.findChild(QLabel, "track-scan-hint").isVisible()
    answer = track.findChild(QLabel, "track-answer")
    scanner.scan(issue_ecode(platform))  # not a receipt: said, nothing looked up
    qtbot.waitUntil(lambda: answer.text() != "", timeout=10_000)
    assert "老年优待证" not in answer.text()
    scanner.scan(qr)
    qtbot.waitUntil(lambda: "老年优待证" in answer.text(), timeout=10_000)
    assert track.findChild(QLabel, "track-number").text() == tracking
    assert answer.text() == window.ctx.voice.last_text
    tampered = qr.replace("code=", "code=9")[: len(qr)]  # another query code: refused, counted
    time.sleep(0.3)
    scanner.scan(tampered)
    qtbot.waitUntil(lambda: "老年优待证" not in answer.text(), timeout=10_000)
    core.flow.reset()
    qtbot.waitUntil(lambda: showing(window, Step.HOME))
    qtbot.wait(50)
    everything = " ".join(every_live_text(window))
    code = qr.rpartition("code=")[2]
    assert code not in everything and tracking not in everything


def assert_panel_fits(panel: QWidget, step: str) -> None:
    """Every label and button of an open panel inside it, none clipped, none overlapping."""
    for _ in range(3):
        QApplication.processEvents()
    inside = global_rect(panel)
    shown = [w for w in leaves(panel.window()) if panel.isAncestorOf(w)]
    assert shown, step
    for w in shown:
        assert inside.contains(global_rect(w)), f"{step}: {w.objectName()!r} leaves the panel"
        if isinstance(w, QPushButton):
            assert_button_fits(w, step)
        elif w.wordWrap() and w.text():
            assert w.heightForWidth(w.width()) <= w.height() + 1, f"{step}: {w.text()!r} clipped"
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            if not (a.isAncestorOf(b) or b.isAncestorOf(a)):
                overlap = global_rect(a).intersected(global_rect(b))
                assert overlap.isEmpty(), f"{step}: {a.objectName()!r} overlaps {b.objectName()!r}"


def test_care_mode_the_ways_without_a_card_fit_the_screen(qtbot: QtBot, kiosk: Kiosk) -> None:
    core, window, _platform, _scanner = kiosk
    click(qtbot, window, "care-mode")
    to_identify(qtbot, core, window, ECODE_SERVICE)
    qtbot.wait(50)
    assert window.findChild(QPushButton, "identify-scan-ecode").isVisible()
    assert_nothing_clipped_or_overlapping(window, Step.IDENTIFY)
    click(qtbot, window, "identify-staff-help")
    panel = window.findChild(QWidget, "assist-panel")
    press_keys(qtbot, panel.typing, TYPED_NUMBER)
    assert_panel_fits(panel, "typing the number")
    click(qtbot, panel, "assist-number-next")
    assert_panel_fits(panel, "staff sign-in")
    click(qtbot, panel, "assist-cancel")
    assert not panel.isVisible() and panel.findChild(QLabel, "assist-number").text() == ""
    core.flow.reset()
    core.flow.open_tracking()
    qtbot.waitUntil(lambda: showing(window, Step.TRACK))
    qtbot.wait(50)
    assert window.findChild(QLabel, "track-scan-hint").isVisible()
    assert_nothing_clipped_or_overlapping(window, Step.TRACK)
