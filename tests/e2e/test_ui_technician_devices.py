"""The technician panel's readers page (a live test read on the kiosk's own devices: the QR
code scanner emulator on its pty, the card reader) and printers page (the virtual ESC/POS
printer on TCP and a private cupsd for the A4 queue: status in words, counters, a test page
each). What a card or code holds is never shown: only its kind."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.cards.pcsc.reader import PcscCardReader
from devices.printers.network import NetworkReceiptPrinter
from devices.sim.a4.cupsd import QUEUE, PrivateCupsd
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.card.vcard import VirtualCard, load_holder
from devices.sim.printer.tcp_server import VirtualPrinter
from devices.sim.scanner.emulator import VirtualScanner
from kiosk.core import KioskCore
from kiosk.diagnostics.device_watch import ReadEvent, atr_kind, code_kind, live_test_read
from tests.support.kiosk import kiosk_window, test_config
from tests.support.staff import TECHNICIAN_ID, sign_in, with_local_technician
from ui.main_window import MainWindow
from ui.qt import QLabel, QPushButton, QWidget

ECODE = "ECODE1." + "a1B2c3D4e5" + "." + "Zz09_-" * 8  # the form only: never resolved


def everything_shown(window: QWidget) -> str:
    return "\n".join(str(w.text()) for w in window.findChildren(QLabel))


def click(qtbot: QtBot, w: MainWindow, name: str) -> None:
    """A tap; buttons inside a page's scrolling part are clicked (their viewport's QScroller
    takes a synthetic press-release as the start of a swipe)."""
    target = w.findChild(QPushButton, name)
    assert target is not None and target.isEnabled(), name
    target.click()


def text_of(w: MainWindow, name: str) -> str:
    return str(w.findChild(QLabel, name).text())


@pytest.fixture
def scanner(tmp_path: Path) -> Iterator[VirtualScanner]:
    emulator = VirtualScanner(link=tmp_path / "ttyQR0").start()
    try:
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture
def win(qtbot: QtBot, tmp_path: Path, virtual_printer: VirtualPrinter, scanner: VirtualScanner
        ) -> Iterator[tuple[KioskCore, MainWindow, SimulatedCardReader]]:
    config = (test_config(tmp_path / "k").replace("printer", port=virtual_printer.port)
              .replace("reader", backend="simulated").replace("scanner", port=scanner.path))
    with_local_technician(config)
    reader = SimulatedCardReader()
    with kiosk_window(qtbot, config, reader,
                      NetworkReceiptPrinter("127.0.0.1", virtual_printer.port)) as (core, w):
        qtbot.waitUntil(lambda: core.scanners[0].status().present, timeout=5000)
        yield core, w, reader


def test_a_test_read_logs_the_kind_of_code_and_card_and_never_their_content(
    win: tuple[KioskCore, MainWindow, SimulatedCardReader], scanner: VirtualScanner,
    qtbot: QtBot, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    core, w, reader = win
    assert code_kind(ECODE) == "ecode"
    w.technician.open_panel()
    sign_in(qtbot, w)
    click(qtbot, w, "technician-tab-devices")
    page = "technician-devices-text"
    qtbot.waitUntil(lambda: "扫码器" in text_of(w, page), timeout=5000)
    assert "启动以来尚未读到任何卡或码" in text_of(w, page)

    click(qtbot, w, "technician-test-read")
    log = "technician-devices-log"
    qtbot.waitUntil(lambda: "测试读卡：请在" in text_of(w, log), timeout=5000)
    scanner.scan(ECODE)
    qtbot.waitUntil(lambda: "测试读卡结束" in text_of(w, log), timeout=10_000)
    assert f"读到一个电子卡码（{len(ECODE)} 个字符）。扫码器正常。" in text_of(w, log)
    assert "最近一次：电子卡码" in text_of(w, page)

    click(qtbot, w, "technician-test-read")
    reader.insert()
    qtbot.waitUntil(lambda: "测试读卡结束" in text_of(w, log), timeout=10_000)
    assert "读到一张社保卡。读卡器正常。" in text_of(w, log)
    reader.remove()

    click(qtbot, w, "technician-test-read")
    reader.insert("bank")  # a bank card: the fault in words
    qtbot.waitUntil(lambda: "测试读卡结束" in text_of(w, log), timeout=10_000)
    assert "故障：不是社保卡" in text_of(w, log)
    reader.remove()

    dict(w.technician.concerns)["devices"].seconds = 0.3  # type: ignore[attr-defined]  # 20 s, shortened
    click(qtbot, w, "technician-test-read")
    qtbot.waitUntil(lambda: "测试读卡结束" in text_of(w, log), timeout=10_000)
    assert "0.3 秒内没有读到卡或码。" in text_of(w, log)

    shown = everything_shown(w)
    holder = load_holder()
    assert ECODE not in shown and ECODE not in caplog.text
    assert holder["id_number"] not in shown and holder["name"] not in shown
    assert any(f"staff action: test_read by {TECHNICIAN_ID}" in r.getMessage()
               for r in caplog.records)


def test_a_kiosk_without_readers_or_scanners_says_so_at_once() -> None:
    assert live_test_read([], [], seconds=30) == [ReadEvent("", "no_device")]


def test_atr_kinds_are_named_without_their_bytes() -> None:
    from devices.sim.card.vcard import ATRS

    assert atr_kind(ATRS["ssc"]) == "ISO 7816, direct convention, T=1, 9 historical byte(s)"
    assert atr_kind(bytes.fromhex("3B 00")) == (
        "ISO 7816, direct convention, T=0, 0 historical byte(s)")
    assert atr_kind(b"\x12\x34").startswith("not an ISO 7816 ATR")
    assert atr_kind(bytes.fromhex("3B 80")) == "ISO 7816, direct convention, cut short"


def test_printers_page_with_the_virtual_printer_and_the_private_cupsd(
    qtbot: QtBot, tmp_path: Path, virtual_printer: VirtualPrinter,
    private_cupsd: PrivateCupsd, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    config = (test_config(tmp_path / "k").replace("printer", port=virtual_printer.port)
              .replace("reader", backend="simulated")
              .replace("a4_printer", queue=QUEUE, server=private_cupsd.server,
                       timeout_seconds=20.0, poll_seconds=0.05))
    with_local_technician(config)
    printer = NetworkReceiptPrinter("127.0.0.1", virtual_printer.port)
    with kiosk_window(qtbot, config, SimulatedCardReader(), printer) as (_core, w):
        w.technician.open_panel()
        sign_in(qtbot, w)
        click(qtbot, w, "technician-tab-printers")
        page, result = "technician-printers-text", "technician-printers-result"
        qtbot.waitUntil(lambda: "A4打印机（" in text_of(w, page), timeout=30_000)
        assert "凭条打印机（" in text_of(w, page) and "）：就绪" in text_of(w, page)
        assert "已打印：0 张凭条" in text_of(w, page)

        click(qtbot, w, "technician-printers-test-receipt")
        virtual_printer.wait_for_receipts(1, timeout=10)
        qtbot.waitUntil(lambda: text_of(w, result) == "已打印。", timeout=10_000)
        qtbot.waitUntil(lambda: "已打印：1 张凭条" in text_of(w, page), timeout=10_000)

        click(qtbot, w, "technician-printers-test-a4")
        qtbot.waitUntil(lambda: text_of(w, result) == "已打印。", timeout=30_000)
        assert len(private_cupsd.printed()) == 1

        private_cupsd.set_fault("jam")
        click(qtbot, w, "technician-printers-test-a4")
        qtbot.waitUntil(lambda: text_of(w, result).startswith("未打印"), timeout=30_000)
        assert "jam" in text_of(w, result)
        qtbot.waitUntil(lambda: "A4打印机（" in text_of(w, page), timeout=15_000)
        assert "paper jam (media-jam-error)" in text_of(w, page)  # what CUPS keeps
    actions = [r.getMessage() for r in caplog.records if "staff action" in r.getMessage()]
    assert any(f"print_a4_test_page by {TECHNICIAN_ID}" in m for m in actions)


@pytest.mark.pcsc
def test_a_test_read_on_the_real_pcsc_reader_names_the_card_and_its_atr_kind(
    qtbot: QtBot, tmp_path: Path, reader: PcscCardReader, virtual_card: VirtualCard,
) -> None:
    """pcscd, the vpcd driver and the virtual social-security card: the kiosk's own reader
    (no second PC/SC connection) reads it on the technician's test."""
    config = test_config(tmp_path / "k").replace("reader", backend="pcsc")
    with_local_technician(config)
    printer = NetworkReceiptPrinter("127.0.0.1", 9, timeout=0.3)
    with kiosk_window(qtbot, config, reader, printer) as (core, w):
        assert core.readers == [reader]
        w.technician.open_panel()
        sign_in(qtbot, w)
        click(qtbot, w, "technician-tab-devices")
        qtbot.waitUntil(lambda: "（pcsc）：就绪" in text_of(w, "technician-devices-text"),
                        timeout=5000)
        click(qtbot, w, "technician-test-read")
        virtual_card.insert()
        log = "technician-devices-log"
        qtbot.waitUntil(lambda: "测试读卡结束" in text_of(w, log), timeout=15_000)
        assert "读卡器中有卡（ATR：ISO 7816, direct convention, T=1" in text_of(w, log)
        assert "读到一张社保卡。读卡器正常。" in text_of(w, log)
        assert "最近一次：社保卡" in text_of(w, "technician-devices-text")
        assert load_holder()["id_number"] not in everything_shown(w)
