"""The volume button (issue 12 item 3), last in the header of every screen: low / medium / high,
each level set on the speech engine and said aloud, its accessible name its level, back to the
configured default after each citizen; levels and default from ``[kiosk]``, malformed values
refused in words; and nothing clips in portrait care mode with it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.config import Config, ConfigError
from kiosk.core import KioskCore
from kiosk.flow import Step
from tests.qt.test_ui_layout import assert_nothing_clipped_or_overlapping
from tests.support.kiosk import click, kiosk_window, showing, test_config
from tests.support.platform import free_port
from ui.main_window import MainWindow


@pytest.fixture
def ui(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[KioskCore, MainWindow]]:
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    config = test_config(tmp_path, volume_levels=("0.3", "0.6", "0.9"), volume="low")
    with kiosk_window(qtbot, config, SimulatedCardReader(), printer) as ui:
        yield ui


def test_volume_cycles_is_spoken_and_resets_after_the_citizen(
        qtbot: QtBot, ui: tuple[KioskCore, MainWindow]) -> None:
    core, win = ui
    voice = win.ctx.voice
    assert win.volume_button.accessibleName() == "音量：小"
    assert voice.volume == 0.3
    core.flow.open_listing("search")  # the button is on every screen
    qtbot.waitUntil(lambda: showing(win, Step.SEARCH), timeout=5000)
    heard = []
    for _ in range(3):
        click(qtbot, win, "volume")
        heard.append((win.volume_button.text(), win.volume_button.accessibleName(),
                      voice.volume, voice.spoken[-1]))
    assert heard == [("音量 中", "音量：中", 0.6, "音量：中"),
                     ("音量 大", "音量：大", 0.9, "音量：大"),
                     ("音量 小", "音量：小", 0.3, "音量：小")]
    click(qtbot, win, "volume")
    assert voice.volume == 0.6
    core.flow.reset()  # the citizen leaves: home, and the next one starts at the default
    qtbot.waitUntil(lambda: showing(win, Step.HOME), timeout=5000)
    assert (win.volume_button.text(), voice.volume) == ("音量 小", 0.3)


def test_the_volume_follows_speech_to_the_headset(ui: tuple[KioskCore, MainWindow]) -> None:
    """Audio mode starts the speech process again on the headset's sink: the level goes too."""
    _core, win = ui
    voice = win.ctx.voice
    win.cycle_volume()  # medium
    voice.route_to("headset-sink")  # what audio mode does with [kiosk] headset_sink
    assert voice.sink == "headset-sink" and voice.volume == 0.6
    sent: list[dict[str, object]] = []
    voice._send = sent.append  # type: ignore[method-assign]  # what the new process is told
    voice.set_volume(0.9)
    assert sent == [{"volume": 0.9}]


@pytest.mark.parametrize(("levels", "default", "words"), [
    (("0.4", "0.7"), "medium", "expected three volumes"),
    (("0.4", "loud", "1.0"), "medium", "expected three volumes"),
    (("0.7", "0.4", "1.0"), "medium", "rising"),
    (("0.4", "0.7", "1.5"), "medium", "from 0 to 1"),
    (("0.4", "0.7", "1.0"), "deafening", "is not one of low, medium, high"),
])
def test_malformed_volume_settings_are_refused_in_words(
        levels: tuple[str, ...], default: str, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        Config().replace("kiosk", volume_levels=levels, volume=default)


def test_volume_settings_read_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('[kiosk]\nvolume_levels = [0.2, 0.5, 0.8]\nvolume = "high"\n')
    from kiosk.config import load_config

    kiosk = load_config(path).kiosk
    assert kiosk.volume_fractions() == (0.2, 0.5, 0.8) and kiosk.volume == "high"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_nothing_clips_in_portrait_care_mode_with_the_volume_button(qtbot: QtBot, tmp_path: Path,
                                                   locale: str) -> None:
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    config = test_config(tmp_path, locale=locale)
    with kiosk_window(qtbot, config, SimulatedCardReader(), printer) as (_core, win):
        win.resize(1080, 1920)
        qtbot.waitUntil(lambda: win.width() == 1080, timeout=2000)
        win.care_button.click()
        for _ in range(3):
            win.cycle_volume()  # each level's words, the widest included
            assert_nothing_clipped_or_overlapping(win, Step.HOME, (1080, 1920))
