"""Helpers for tests that open the kiosk window over a core: config, window, clicks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from pytestqt.qtbot import QtBot

from devices.cards.base import CardReader
from devices.printers.base import ReceiptPrinter
from kiosk.assembly import assemble_kiosk
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.flow import Step
from sync.sealing import key_id_of, public_key_text
from tests.support.platform import free_port
from ui.launch import build_window
from ui.main_window import MainWindow
from ui.qt import QPushButton, Qt, QWidget


def test_config(tmp_path: Path, **kiosk: Any) -> Config:
    """A config for one test: its own data dir, mock voice, a sealing key, nothing listening."""
    key = X25519PrivateKey.generate().public_key()
    return (
        Config()
        # One idle time on every screen unless a test asks for the per-screen ones.
        .replace("kiosk", data_dir=str(tmp_path), voice_engine="mock",
                 **{"idle_seconds_by_screen": (), **kiosk})
        .replace("platform", url=f"http://127.0.0.1:{free_port()}",
                 sealing_key=public_key_text(key), sealing_key_id=key_id_of(key))
        .replace("sync", interval_seconds=0.2)
    )


test_config.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


@contextmanager
def kiosk_window(
    qtbot: QtBot, config: Config, reader: CardReader, printer: ReceiptPrinter, **window: Any
) -> Iterator[tuple[KioskCore, MainWindow]]:
    """A started core and its window at the reference size; both closed afterwards."""
    core = assemble_kiosk(config, readers=reader, printer=printer)
    core.start()
    w = build_window(core, **window)
    qtbot.addWidget(w)
    w.resize(1920, 1080)
    w.show()
    qtbot.waitExposed(w)  # laid out at its size: the home screen's tiles follow the room
    try:
        yield core, w
    finally:
        w.close()
        core.stop()


def visible_button(window: QWidget, name: str) -> QPushButton:
    """The one button of that name a citizen can see (hidden screens have their own keypads)."""
    shown = [b for b in window.findChildren(QPushButton, name) if b.isVisible()]
    assert len(shown) == 1, f"{len(shown)} visible buttons named {name}"
    return shown[0]


def click(qtbot: QtBot, window: QWidget, name: str) -> None:
    qtbot.mouseClick(visible_button(window, name), Qt.MouseButton.LeftButton)


def showing(window: MainWindow, step: Step) -> bool:
    return window.stack.currentWidget() is window.screens[step]
