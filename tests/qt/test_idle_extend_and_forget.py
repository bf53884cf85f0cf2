"""Time and privacy (issue 12 item 5 and "tests that measure"): the idle warning is spoken and
can be answered at least ten times, by the large 继续 button or, in audio mode, by any key,
each time keeping the citizen's form; then a timeout mid-form, in audio mode and after the
citizen's details were read aloud, leaves no personal data in any live widget, in what the
voice remembers having said, or in the kiosk's data directory."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.flow import Step
from tests.e2e.test_e2e_walking_skeleton import every_live_text
from tests.qt.test_private_speech import details, personal
from tests.qt.test_ui_submit_faults import to_confirm
from tests.support.kiosk import click, kiosk_window, showing, test_config
from tests.support.platform import free_port
from ui.qt import Qt

HOLDER = json.loads((resources.files("assets") / "sim" / "ssc_holder.json").read_text("utf-8"))


def test_the_warning_is_spoken_answered_ten_times_then_a_timeout_forgets_the_citizen(
    qtbot: QtBot, tmp_path: Path
) -> None:
    config = test_config(tmp_path, idle_seconds=120, idle_countdown_seconds=3)
    reader = SimulatedCardReader()
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    with kiosk_window(qtbot, config, reader, printer) as (core, win):
        to_confirm(qtbot, win, reader)
        shown = personal(details(win))  # name, ID number and phone, masked as shown
        qtbot.keyClick(win.focusWidget() or win, Qt.Key.Key_F2)  # audio mode: the headset
        assert win.audio_mode.active
        click(qtbot, win, "confirm-read")  # said aloud in the headset, on request
        voice = win.ctx.voice
        assert all(value in voice.spoken[-1] for value in shown)
        click(qtbot, win, "nav-back")  # back in the form, its answers kept
        qtbot.waitUntil(lambda: showing(win, Step.FORM), timeout=5000)
        for answer in range(12):
            win.show_idle_warning()
            assert win.idle_overlay.isVisible(), answer
            warning = win.idle_text.text()
            assert warning and voice.spoken[-1] == warning, answer  # the same words aloud
            if answer % 2:
                click(qtbot, win, "idle-continue")  # the large 继续 button
            else:
                qtbot.keyClick(win.focusWidget() or win, Qt.Key.Key_X)  # any key, audio mode
            assert not win.idle_overlay.isVisible(), answer
            assert showing(win, Step.FORM) and core.flow.session.identity is not None, answer
        win.show_idle_warning()
        qtbot.waitUntil(lambda: showing(win, Step.HOME), timeout=10_000)
        assert core.flow.session.identity is None
        qtbot.wait(50)
        remembered = " ".join(every_live_text(win))
        for secret in (HOLDER["name"], HOLDER["id_number"], HOLDER["id_number"][-4:],
                       *shown):
            assert secret not in remembered, secret
        stored = b"".join(p.read_bytes() for p in Path(config.kiosk.data_dir).rglob("*")
                          if p.is_file())
        for secret in (HOLDER["name"], HOLDER["id_number"], *shown):
            assert secret.encode("utf-8") not in stored, secret
