"""问 → 呼叫工作人员 end to end: "none of these" on a department's questions raises the staff
call, which the kiosk's call desk holds, the footer shows, and the reference platform lists for
hall staff with the step it was raised at (over HTTP, signed, every part real)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.flow import Step
from kiosk.platform_link.enrolment import identity_dir
from tests.integration.test_staff_calls import message_states
from tests.support.kiosk import click, kiosk_window, showing, test_config
from tests.support.platform import PlatformProcess, free_port
from ui.qt import QWidget


def test_none_of_these_reaches_hall_staff_on_the_platform(
    qtbot: QtBot, tmp_path: Path, platform_factory: Callable[..., PlatformProcess]
) -> None:
    platform = platform_factory(require_signatures=True)
    config = (
        test_config(tmp_path / "kiosk")
        .replace("platform", url=platform.url, sealing_key="", sealing_key_id="")
        .replace("sync", connectivity_seconds=0.2)
    )
    platform.enrol(config.kiosk.id, identity_dir(config), code=config.kiosk.code)
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    with kiosk_window(qtbot, config, SimulatedCardReader(), printer) as (core, win):
        click(qtbot, win, "department-housing_fund")
        qtbot.waitUntil(lambda: showing(win, Step.SERVICES), timeout=5000)
        click(qtbot, win, "services-questions")
        qtbot.waitUntil(lambda: showing(win, Step.QUESTIONS), timeout=5000)
        click(qtbot, win, "questions-call-staff")
        call = core.calls.current()
        assert call is not None and (call.step, call.service_code) == ("questions", None)
        assert win.findChild(QWidget, "call-banner").isVisible()
        qtbot.waitUntil(lambda: message_states(core) == {"raised": "acked"}, timeout=10_000)
    listed = platform.operator("calls").stdout
    (line,) = [row for row in listed.splitlines() if row.startswith(call.call_id)]
    assert f"{config.kiosk.id}\traised" in line and "at questions" in line
