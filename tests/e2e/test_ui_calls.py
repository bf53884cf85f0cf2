"""The staff call banner on screen (issue 8, item 5): it fits every screen at 1920x1080 in care
mode with the accessibility figures (targets, gaps, nothing clipped), and the offline words."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.core import KioskCore
from kiosk.flow import Step
from kiosk.platform_link.enrolment import identity_dir
from kiosk.staff.store import Credentials
from tests.integration.test_staff_calls import (
    HELPER,
    HELPER_PIN,
    TECH,
    TECH_PIN,
    message_states,
    platform_with_staff,
)
from tests.qt.test_ui_layout import assert_nothing_clipped_or_overlapping
from tests.support.kiosk import click, kiosk_window, showing, test_config
from tests.support.platform import PlatformProcess, free_port
from tests.support.staff import press_keys
from ui.main_window import MainWindow
from ui.qt import QLabel, QPushButton, Qt, QWidget


@pytest.fixture
def locale() -> str:
    """The default locale, the one the project's care-mode layout test measures."""
    return "zh_CN"


@pytest.fixture
def window(
    qtbot: QtBot, tmp_path: Path, locale: str
) -> Iterator[tuple[KioskCore, MainWindow, SimulatedCardReader]]:
    reader = SimulatedCardReader()
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    config = test_config(tmp_path, locale=locale).replace("sync", connectivity_seconds=0.2)
    with kiosk_window(qtbot, config, reader, printer) as (core, w):
        yield core, w, reader


def test_the_call_banner_fits_every_screen_in_care_mode(window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    core, win, reader = window
    click(qtbot, win, "care-mode")
    click(qtbot, win, "call-staff")
    banner = win.findChild(QWidget, "call-banner")
    assert banner.isVisible()

    def shown(step: Step) -> None:
        qtbot.waitUntil(lambda: showing(win, step), timeout=5000)
        qtbot.wait(50)
        assert banner.isVisible()
        assert_nothing_clipped_or_overlapping(win, step)

    shown(Step.HOME)
    core.flow.choose_service("elderly-card-apply")
    shown(Step.GUIDE)
    core.flow.accept_guide()
    shown(Step.PRIVACY)
    core.flow.accept_privacy()
    shown(Step.IDENTIFY)
    reader.insert("ssc")
    shown(Step.FORM)
    core.flow.submit_form({"delivery": "pickup", "phone": "13800138000"})
    shown(Step.CONFIRM)
    core.submit()
    shown(Step.RECEIPT)
    qtbot.waitUntil(lambda: win.findChild(QWidget, "receipt-qr").isVisible(), timeout=5000)
    assert_nothing_clipped_or_overlapping(win, Step.RECEIPT)
    core.flow.finish_receipt()
    shown(Step.RATING)
    click(qtbot, win, "rate-1")  # the reasons row is the tallest state of this screen
    assert_nothing_clipped_or_overlapping(win, Step.RATING)
    core.flow.rate(1, "slow")
    shown(Step.FAREWELL)
    core.flow.reset()
    shown(Step.HOME)
    core.flow.open_tracking()
    shown(Step.TRACK)


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_offline_the_kiosk_says_the_call_shows_here_only(window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    core, win, _reader = window
    qtbot.waitUntil(lambda: core.poller.online is False, timeout=5000)  # nothing listens
    click(qtbot, win, "call-staff")
    status = win.findChild(QLabel, "call-status")
    assert status.text() == win.call_banner.tr("Offline: call shown on this kiosk only.")
    spoken = win.ctx.voice.spoken[-1]
    assert spoken == win.call_banner.message(core.calls.current())
    assert spoken == win.call_banner.tr(
        "The network is down: your call shows on this kiosk only. Staff will see it in their "
        "list when the network is back.")
    assert win.ctx.voice.chimes and core.config.kiosk.code in win.ctx.voice.chimes[-1]
    click(qtbot, win, "call-staff")  # a second tap raises nothing new
    assert len(core.calls.open_calls()) == 1 and len(win.ctx.voice.chimes) == 1
    click(qtbot, win, "call-cancel")
    assert not win.findChild(QWidget, "call-banner").isVisible()
    (message,) = [m for m in core.outbox.messages.select(kind="call")
                  if m.document["event"] == "cancelled"]
    assert message.document["by"] == "citizen" and message.state in ("pending", "sending")


def sign_in_to_clear(qtbot: QtBot, win: MainWindow, person_id: str, pin: str) -> None:
    panel = win.findChild(QWidget, "call-clear-panel")
    press_keys(qtbot, panel, person_id)
    qtbot.mouseClick(panel.findChild(QPushButton, "call-clear-next"), Qt.MouseButton.LeftButton)
    press_keys(qtbot, panel, pin)
    qtbot.mouseClick(panel.findChild(QPushButton, "call-clear-open"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.call_banner.sign_in.page.checking, timeout=10_000)


def shown(widget: QWidget | None) -> bool:
    return widget is not None and widget.isVisible()


def test_hall_staff_sign_in_at_the_kiosk_to_clear_a_call_and_the_platform_hears_of_it(
    qtbot: QtBot, tmp_path: Path, platform_factory: Callable[..., PlatformProcess]
) -> None:
    platform = platform_with_staff(platform_factory)
    config = (
        test_config(tmp_path / "kiosk")
        .replace("platform", url=platform.url, sealing_key="", sealing_key_id="")
        .replace("sync", connectivity_seconds=0.2, staff_seconds=0.2)
    )
    platform.enrol(config.kiosk.id, identity_dir(config), code=config.kiosk.code)
    reader = SimulatedCardReader()
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    with kiosk_window(qtbot, config, reader, printer) as (core, win):
        qtbot.waitUntil(lambda: Credentials(config).find(HELPER) is not None, timeout=10_000)
        core.flow.choose_service("elderly-card-apply")
        click(qtbot, win, "call-staff")
        call = core.calls.current()
        assert call is not None
        assert not win.findChild(QPushButton, "call-staff-clear").isVisible()  # the citizen's
        status = win.findChild(QLabel, "call-status")  # staff hold the call's text instead
        qtbot.mousePress(status, Qt.MouseButton.LeftButton)
        # The panel is built when first opened: wait for it to exist and show.
        qtbot.waitUntil(lambda: shown(win.findChild(QWidget, "call-clear-panel")), timeout=5000)
        qtbot.mouseRelease(status, Qt.MouseButton.LeftButton)
        click(qtbot, win, "call-clear-cancel")
        core.flow.reset()
        qtbot.waitUntil(lambda: showing(win, Step.HOME), timeout=5000)
        assert not win.findChild(QPushButton, "call-cancel").isVisible()
        click(qtbot, win, "call-staff-clear")
        panel = win.findChild(QWidget, "call-clear-panel")
        assert panel.isVisible()
        sign_in_to_clear(qtbot, win, TECH, TECH_PIN)
        assert panel.isVisible() and core.calls.current() == call
        refusal = panel.tr("%1 is signed in as a technician; calls are cleared by hall staff.")
        assert panel.findChild(QLabel, "call-clear-pin-status").text() == refusal.replace(
            "%1", "Wang Fang")
        sign_in_to_clear(qtbot, win, HELPER, HELPER_PIN)
        assert not panel.isVisible() and not win.findChild(QWidget, "call-banner").isVisible()
        assert "Zhao Min" in win.ctx.voice.spoken[-1]
        assert core.calls.get(call.call_id).closed_by == HELPER  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: set(message_states(core).values()) == {"acked"}, timeout=10_000)
    assert f"cleared by {HELPER} on the kiosk" in platform.operator("calls", "--all").stdout


def test_the_chime_can_be_switched_off(qtbot: QtBot, tmp_path: Path) -> None:
    config = test_config(tmp_path, call_chime=False)
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    with kiosk_window(qtbot, config, SimulatedCardReader(), printer) as (core, win):
        click(qtbot, win, "call-staff")
        assert core.calls.current() is not None
        assert win.ctx.voice.chimes == [] and win.ctx.voice.spoken
