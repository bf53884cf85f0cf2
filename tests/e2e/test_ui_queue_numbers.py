"""取号 through the window, with real parts behind it: the reference platform over HTTP (signed
requests only) and the virtual ESC/POS printer over TCP. Online the platform's number of the
hall's window queue, with who waits ahead, on screen and on paper; with the platform down a
local number whose ticket says so; with the paper out, the number on screen and the words."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk.assembly import assemble_kiosk
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.flow import Step
from kiosk.platform_link.enrolment import identity_dir
from tests.support.kiosk import click, showing
from tests.support.platform import PlatformProcess
from ui.launch import build_window
from ui.main_window import MainWindow
from ui.qt import QLabel

SERVICE = "medical-reimbursement"  # needs the medical window: A01–A04, floor 1, queue A
WHERE = "医保服务区，A01–A04号窗口（1楼）"
Kiosk = tuple[KioskCore, MainWindow, PlatformProcess]


def kiosk_config(tmp_path: Path, platform: PlatformProcess, printer: VirtualPrinter) -> Config:
    return (
        Config()
        .replace("kiosk", data_dir=str(tmp_path / "kiosk"), voice_engine="mock", locale="zh_CN")
        .replace("platform", url=platform.url, timeout_seconds=3.0)
        .replace("reader", backend="simulated")
        .replace("printer", host="127.0.0.1", port=printer.port)
        .replace("sync", interval_seconds=0.2, connectivity_seconds=0.5)
    )


@pytest.fixture
def kiosk(
    qtbot: QtBot, tmp_path: Path, virtual_printer: VirtualPrinter,
    platform_factory: Callable[..., PlatformProcess], request: pytest.FixtureRequest,
) -> Iterator[Kiosk]:
    platform = platform_factory(start=request.param == "online", require_signatures=True)
    config = kiosk_config(tmp_path, platform, virtual_printer)
    platform.enrol(config.kiosk.id, identity_dir(config), code=config.kiosk.code)
    core = assemble_kiosk(config, readers=SimulatedCardReader(),
                          printer=NetworkReceiptPrinter("127.0.0.1", virtual_printer.port))
    core.start()
    window = build_window(core)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    yield core, window, platform
    window.close()
    core.stop()


def shown(window: MainWindow, name: str) -> str:
    found = window.screens[Step.QUEUE].findChild(QLabel, name)
    return found.text() if found is not None and found.isVisible() else ""


def take_a_number(qtbot: QtBot, core: KioskCore, window: MainWindow) -> str:
    """From the service's guide to the number on screen and the ticket's fate; the number."""
    core.flow.choose_service(SERVICE)
    qtbot.waitUntil(lambda: showing(window, Step.GUIDE))
    click(qtbot, window, "guide-take-number")
    assert showing(window, Step.QUEUE)
    qtbot.waitUntil(lambda: bool(shown(window, "queue-number")), timeout=15_000)
    qtbot.waitUntil(lambda: "正在打印" not in shown(window, "queue-print"), timeout=15_000)
    return shown(window, "queue-number")


def flat(text: str) -> str:
    return "".join(text.split())  # the paper wraps at 32 columns


def done(qtbot: QtBot, window: MainWindow) -> None:
    click(qtbot, window, "queue-done")
    qtbot.waitUntil(lambda: showing(window, Step.HOME))


@pytest.mark.parametrize("kiosk", ["online"], indirect=True)
def test_online_the_halls_number_with_who_waits_ahead_on_screen_and_paper(
    qtbot: QtBot, kiosk: Kiosk, virtual_printer: VirtualPrinter
) -> None:
    core, window, platform = kiosk
    qtbot.waitUntil(lambda: core.poller.online is True, timeout=10_000)
    assert take_a_number(qtbot, core, window) == "A001"
    assert "您前面还有 0 人等候" in shown(window, "queue-ahead")
    assert WHERE in shown(window, "queue-where")
    assert shown(window, "queue-print") == "请取走您的排队号小票。"
    first = virtual_printer.wait_for_receipts(1, timeout=10)[0]
    paper = flat(first.text)
    assert "A001" in paper and "您前面还有0人等候" in paper and flat(WHERE) in paper
    assert "医疗费用手工（零星）报销" in paper and "本机临时号" not in paper
    assert "A 零 零 一" in " ".join(window.ctx.voice.spoken)
    done(qtbot, window)

    assert take_a_number(qtbot, core, window) == "A002"  # the next citizen, behind the first
    assert "您前面还有 1 人等候" in shown(window, "queue-ahead")
    second = virtual_printer.wait_for_receipts(2, timeout=10)[1]
    assert "A002" in second.text and "您前面还有1人等候" in flat(second.text)
    done(qtbot, window)

    called = platform.operator("queue", "call", "--site", "demo-hall", "--window", "medical")
    assert called.returncode == 0 and called.stdout.startswith("A001 called"), called.stderr
    assert take_a_number(qtbot, core, window) == "A003"
    assert "您前面还有 1 人等候" in shown(window, "queue-ahead")  # A001 was called: only A002
    listed = platform.operator("queue", "list", "--site", "demo-hall", "--window", "medical")
    assert "A002" in listed.stdout and "A003" in listed.stdout and "A001" not in listed.stdout


@pytest.mark.parametrize("kiosk", ["offline"], indirect=True)
def test_with_the_platform_down_a_local_number_that_says_so(
    qtbot: QtBot, kiosk: Kiosk, virtual_printer: VirtualPrinter
) -> None:
    core, window, _platform = kiosk
    assert take_a_number(qtbot, core, window) == "K0451-001"
    assert "本机临时号" in shown(window, "queue-ahead")
    assert "前面还有" not in shown(window, "queue-ahead")
    assert WHERE in shown(window, "queue-where")
    ticket = virtual_printer.wait_for_receipts(1, timeout=10)[0]
    paper = flat(ticket.text)
    assert "K0451-001" in paper and "本机临时号" in paper and "工作人员会为您安排办理" in paper
    assert "您前面还有" not in paper and flat(WHERE) in paper
    done(qtbot, window)
    assert take_a_number(qtbot, core, window) == "K0451-002"  # the kiosk's own count goes on


@pytest.mark.parametrize("kiosk", ["online"], indirect=True)
def test_with_the_paper_out_the_number_stays_on_screen_and_the_kiosk_says_why(
    qtbot: QtBot, kiosk: Kiosk, virtual_printer: VirtualPrinter
) -> None:
    core, window, _platform = kiosk
    virtual_printer.set_fault("paper_out")
    assert take_a_number(qtbot, core, window) == "A001"
    assert "没能打印" in shown(window, "queue-print")
    assert window.screens[Step.QUEUE].findChild(QLabel, "queue-print").property("role") == "error"
    assert virtual_printer.receipts == []
    assert "小票没能打印出来" in window.ctx.voice.last_text
