"""Offline, services that need the network are marked unavailable in words; queueable ones
stay open (ACCESSIBILITY.md 16)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.assembly import assemble_kiosk
from kiosk.catalog import load_catalog
from tests.support.kiosk import test_config
from tests.support.platform import PlatformProcess, free_port
from ui.launch import build_window
from ui.qt import QPushButton


def catalog_with_an_online_service():  # type: ignore[no-untyped-def]
    data = json.loads((resources.files("assets") / "catalog" / "services.json").read_text("utf-8"))
    online = dict(data["services"][0], code="pension-query", needs_network=True,
                  title={"zh_CN": "养老金查询", "en": "Pension enquiry"})
    data["services"].append(online)
    return load_catalog(json.dumps(data, ensure_ascii=False))


def test_tiles_follow_the_platform_going_away_and_coming_back(
    qtbot: QtBot, tmp_path: Path, reference_platform: PlatformProcess
) -> None:
    config = test_config(tmp_path).replace("platform", url=reference_platform.url).replace(
        "sync", connectivity_seconds=0.2
    ).replace("home", featured_services=["pension-query", "elderly-card-apply"])
    core = assemble_kiosk(config, readers=SimulatedCardReader(),
                          printer=NetworkReceiptPrinter("127.0.0.1", free_port()),
                          catalog=catalog_with_an_online_service())
    core.start()
    window = build_window(core)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    try:
        online_tile = window.findChild(QPushButton, "service-pension-query")
        queued_tile = window.findChild(QPushButton, "service-elderly-card-apply")
        qtbot.waitUntil(lambda: core.poller.online is True, timeout=5000)
        assert online_tile.isEnabled() and online_tile.text() == "养老金查询"

        reference_platform.stop()
        qtbot.waitUntil(lambda: not online_tile.isEnabled(), timeout=5000)
        assert "需联网办理，暂不可用" in online_tile.text()
        assert queued_tile.isEnabled()  # it may queue: still offered offline
        online_tile.click()
        assert core.flow.step.value == "home"

        reference_platform.start()
        qtbot.waitUntil(online_tile.isEnabled, timeout=10_000)
    finally:
        window.close()
        core.stop()
