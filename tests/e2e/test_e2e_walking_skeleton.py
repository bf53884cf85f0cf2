"""A citizen applies for the elderly preferential card, from the home screen to the receipt.

Everything real: pcscd with the vpcd driver and a virtual card speaking APDUs, python-escpos
printing to the virtual printer over TCP, the reference platform over HTTP, a SQLite outbox.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from devices.cards.pcsc.reader import PcscCardReader
from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.vcard import VirtualCard
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk.assembly import assemble_kiosk
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.flow import Step
from kiosk.platform_link.enrolment import identity_dir
from tests.support.kiosk import click
from tests.support.platform import PlatformProcess
from ui.launch import build_window
from ui.main_window import MainWindow
from ui.qt import QApplication, QLabel, QPushButton, QWidget

pytestmark = pytest.mark.pcsc
TITLE = "老年优待证申领"
HOLDER = json.loads((resources.files("assets") / "sim" / "ssc_holder.json").read_text("utf-8"))


def kiosk_config(tmp_path: Path, platform: PlatformProcess, printer: VirtualPrinter) -> Config:
    """No sealing key in the config: the kiosk seals to the key pinned at enrolment."""
    return (
        Config()
        .replace("kiosk", data_dir=str(tmp_path / "kiosk"), voice_engine="mock", locale="zh_CN")
        .replace(
            "platform",
            url=platform.url,
            status_url=platform.url + "/v1/track/{tracking}",
        )
        .replace("printer", host="127.0.0.1", port=printer.port)
        .replace("sync", interval_seconds=0.2)
    )


@pytest.fixture
def kiosk(
    qtbot: QtBot, tmp_path: Path, pcscd: object, virtual_printer: VirtualPrinter,
    platform_factory,  # type: ignore[no-untyped-def]
    request: pytest.FixtureRequest,
) -> Iterator[tuple[KioskCore, MainWindow, PlatformProcess]]:
    # The platform refuses unsigned requests; the kiosk enrols (or is provisioned while the
    # platform is down) and signs every upload.
    platform = platform_factory(start=request.param == "online", require_signatures=True)
    config = kiosk_config(tmp_path, platform, virtual_printer)
    platform.enrol(config.kiosk.id, identity_dir(config), code=config.kiosk.code)
    core = assemble_kiosk(
        config,
        readers=PcscCardReader(config.reader.pcsc_reader),
        printer=NetworkReceiptPrinter("127.0.0.1", virtual_printer.port, width_mm=58),
    )
    core.start()
    window = build_window(core)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)  # laid out: the home screen's tiles follow the room
    yield core, window, platform
    window.close()
    core.stop()


def visible_texts(window: QWidget) -> list[str]:
    return [w.text() for w in window.findChildren(QLabel) + window.findChildren(QPushButton)]


def every_live_text(window: MainWindow) -> list[str]:
    """Every live widget of the application, shown or not, and what the voice remembers."""
    texts: list[str] = list(window.ctx.voice.spoken) + [window.ctx.voice.last_text]
    for w in QApplication.allWidgets():
        for getter in ("text", "toolTip", "accessibleName", "windowTitle", "placeholderText"):
            value = getattr(w, getter, None)
            if callable(value):
                result = value()
                if isinstance(result, str):
                    texts.append(result)
    return texts


def apply_for_elderly_card(
    qtbot: QtBot, core: KioskCore, window: MainWindow, card: VirtualCard
) -> str:
    """Drive the GUI from home to the receipt step; returns the transaction id."""
    assert core.flow.step is Step.HOME
    click(qtbot, window, "service-elderly-card-apply")
    assert core.flow.step is Step.GUIDE
    click(qtbot, window, "guide-start")
    assert core.flow.step is Step.PRIVACY
    click(qtbot, window, "privacy-accept")
    assert core.flow.step is Step.IDENTIFY
    card.insert()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.screens[Step.FORM],
                    timeout=10_000)
    click(qtbot, window, "choice-delivery-pickup")
    for digit in "13800138000":
        click(qtbot, window, f"key-{digit}")
    click(qtbot, window, "form-next")
    assert core.flow.step is Step.CONFIRM
    texts = " ".join(visible_texts(window))
    assert HOLDER["id_number"] not in texts  # shown masked only
    assert HOLDER["id_number"][:4] + "*" * 10 + HOLDER["id_number"][-4:] in texts
    txid = core.flow.session.txid
    assert txid
    submit_button = window.findChild(QPushButton, "confirm-submit")
    click(qtbot, window, "confirm-submit")
    submit_button.click()  # the double tap: reaches the handler again, must change nothing
    assert core.submit() is None
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.screens[Step.RECEIPT],
                    timeout=10_000)
    return txid


def assert_no_pii_at_rest(core: KioskCore, log_text: str) -> None:
    """The outbox file holds sealed payloads and masked receipts only; logs hold nothing."""
    data = b"".join(
        p.read_bytes() for p in core.config.outbox_path.parent.glob("outbox.sqlite*")
    )
    for secret in (HOLDER["name"], HOLDER["id_number"], "13800138000"):
        for encoding in ("utf-8", "gbk"):
            assert secret.encode(encoding) not in data, secret
        assert secret not in log_text, secret


def finish_and_check_no_pii(qtbot: QtBot, core: KioskCore, window: MainWindow) -> None:
    click(qtbot, window, "receipt-done")
    click(qtbot, window, "rate-5")
    assert core.flow.step is Step.FAREWELL
    click(qtbot, window, "farewell-home")
    assert core.flow.step is Step.HOME
    qtbot.wait(50)  # let deleteLater run: discarded widgets must be gone, not just hidden
    everything = " ".join(every_live_text(window))
    masked_name = HOLDER["name"][0] + "*" * (len(HOLDER["name"]) - 1)
    for secret in (HOLDER["name"], HOLDER["id_number"], "13800138000", "138****8000",
                   masked_name, HOLDER["id_number"][-4:]):
        assert secret not in everything
    assert core.flow.session.identity is None
    assert core.flow.session.form == {} and core.flow.session.txid is None


@pytest.mark.parametrize("kiosk", ["online"], indirect=True)
def test_elderly_card_application_end_to_end(
    qtbot: QtBot, kiosk, virtual_card: VirtualCard, virtual_printer: VirtualPrinter,  # type: ignore[no-untyped-def]
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    core, window, platform = kiosk
    txid = apply_for_elderly_card(qtbot, core, window, virtual_card)

    receipts = virtual_printer.wait_for_receipts(1, timeout=10)
    tracking = core.flow.session.tracking_number
    # The tracking number carries the kiosk's local date (Asia/Shanghai) of the moment the
    # record was committed, whatever the machine's own time zone and hour.
    committed = core.outbox.get(txid).created_at.astimezone(ZoneInfo(core.config.kiosk.timezone))
    assert tracking and tracking.startswith(f"K0451-{committed:%Y%m%d}-")
    assert tracking in receipts[0].text
    assert TITLE in receipts[0].text
    assert any(tracking in payload for payload in receipts[0].qr_payloads)
    qtbot.waitUntil(lambda: core.outbox.get(txid).state == "acked", timeout=10_000)
    stored = platform.records()
    assert [r["id"] for r in stored] == [txid]
    assert core.outbox.counts().get("acked") == 1
    assert sum(core.outbox.counts().values()) == 1
    assert len(virtual_printer.receipts) == 1
    assert HOLDER["id_number"] not in receipts[0].text  # masked on paper too
    qtbot.waitUntil(lambda: "请取走您的回执" in window.ctx.voice.spoken, timeout=5000)

    finish_and_check_no_pii(qtbot, core, window)
    assert_no_pii_at_rest(core, caplog.text)


@pytest.mark.parametrize("kiosk", ["offline"], indirect=True)
def test_elderly_card_application_while_the_platform_is_down(
    qtbot: QtBot, kiosk, virtual_card: VirtualCard, virtual_printer: VirtualPrinter,  # type: ignore[no-untyped-def]
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    core, window, platform = kiosk
    txid = apply_for_elderly_card(qtbot, core, window, virtual_card)

    receipts = virtual_printer.wait_for_receipts(1, timeout=10)
    tracking = core.flow.session.tracking_number
    assert tracking and tracking in receipts[0].text
    record = core.outbox.get(txid)
    assert record.state in ("pending", "sending")
    assert platform.records() == []

    platform.start()
    qtbot.waitUntil(lambda: core.outbox.get(txid).state == "acked", timeout=15_000)
    assert [r["id"] for r in platform.records()] == [txid]
    assert sum(core.outbox.counts().values()) == 1
    assert len(virtual_printer.receipts) == 1
    finish_and_check_no_pii(qtbot, core, window)
    assert_no_pii_at_rest(core, caplog.text)


@pytest.mark.parametrize("kiosk", ["online"], indirect=True)
def test_card_pulled_out_mid_read_sends_the_citizen_home_with_nothing_kept(
    qtbot: QtBot, kiosk, virtual_card: VirtualCard  # type: ignore[no-untyped-def]
) -> None:
    core, window, _ = kiosk
    click(qtbot, window, "service-elderly-card-apply")
    click(qtbot, window, "guide-start")
    click(qtbot, window, "privacy-accept")
    virtual_card.reply_delay = 0.4  # a slow card: the read takes a few seconds
    virtual_card.insert()
    qtbot.waitUntil(
        lambda: "请不要拔出" in window.findChild(QLabel, "identify-identity").text(), timeout=5000
    )
    virtual_card.remove()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.screens[Step.HOME],
                    timeout=10_000)
    assert core.flow.session.identity is None
    # The reason is its own event, delivered just after the step change that sent them home.
    qtbot.waitUntil(lambda: "拔出过早" in window.findChild(QLabel, "notice").text(),
                    timeout=5000)
