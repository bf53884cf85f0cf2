"""Many services: the home screen pages through them with large buttons, and still fits the
reference screen in care mode."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.assembly import assemble_kiosk
from kiosk.catalog import Catalog, load_catalog
from kiosk.flow import Step
from tests.qt.test_ui_layout import assert_nothing_clipped_or_overlapping
from tests.support.kiosk import click, test_config
from tests.support.platform import free_port
from ui.launch import build_window
from ui.qt import QLabel, QPushButton


def big_catalog(n: int = 14) -> Catalog:
    data = json.loads((resources.files("assets") / "catalog" / "services.json").read_text("utf-8"))
    template = data["services"][1]
    data["services"] = [
        dict(template, code=f"svc-{i:02d}", title={"zh_CN": f"测试业务第{i + 1}项", "en": f"S{i}"})
        for i in range(n)
    ]
    return load_catalog(json.dumps(data, ensure_ascii=False))


def test_pages_of_tiles_with_large_buttons_and_care_mode_fits(
    qtbot: QtBot, tmp_path: Path
) -> None:
    catalog = big_catalog(30)
    department = catalog.services[0].category
    core = assemble_kiosk(test_config(tmp_path), readers=SimulatedCardReader(),
                          printer=NetworkReceiptPrinter("127.0.0.1", free_port()),
                          catalog=catalog)
    core.start()
    window = build_window(core)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    try:
        def shown() -> list[str]:
            return [t.objectName() for t in window.screens[Step.SERVICES].list.tiles_in_view()]

        click(qtbot, window, f"department-{department}")
        listing = window.screens[Step.SERVICES].list
        page = window.findChild(QLabel, "services-page")
        first = shown()
        assert first[0] == "service-svc-00" and len(first) < 30
        assert page.text() == f"第 1 / {listing.pages} 页"
        assert not window.findChild(QPushButton, "services-previous").isEnabled()
        click(qtbot, window, "services-next")
        assert page.text() == f"第 2 / {listing.pages} 页"
        assert shown() != first
        for _ in range(listing.pages):
            click(qtbot, window, "services-next")
        assert "service-svc-29" in shown()
        assert not window.findChild(QPushButton, "services-next").isEnabled()

        click(qtbot, window, "care-mode")
        click(qtbot, window, "services-previous")
        qtbot.wait(50)
        assert_nothing_clipped_or_overlapping(window, Step.SERVICES)

        click(qtbot, window, shown()[0])
        assert core.flow.step is Step.GUIDE
        click(qtbot, window, "nav-home")
        click(qtbot, window, f"department-{department}")
        assert page.text() == f"第 1 / {listing.pages} 页"  # the next citizen starts at the top
    finally:
        window.close()
        core.stop()
