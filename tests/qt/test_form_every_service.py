"""Every service of the shipped catalogue at the worst case (care mode, the narrowest screen,
1080x1920): its guide renders, its form renders page by page, a valid answer generated per
field kind and typed through the widgets passes, and each required field left empty is refused
with its message beside it, spoken (Next is tapped before each required field is answered);
nothing clips or overlaps. One window serves them all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.assembly import assemble_kiosk
from kiosk.catalog import Service, load_catalog
from kiosk.catalog.form_pages import shown_fields
from kiosk.core import KioskCore
from kiosk.flow import Step
from tests.qt.form_driver import card_for, fill_form, settle
from tests.qt.test_ui_layout import assert_nothing_clipped_or_overlapping
from tests.support.clock import FakeClock
from tests.support.kiosk import test_config
from tests.support.platform import free_port
from ui.launch import build_window
from ui.main_window import MainWindow
from ui.qt import QApplication

PORTRAIT = (1080, 1920)
CATALOG = load_catalog()


@pytest.fixture(scope="module")
def hall(
    qapp: QApplication, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[KioskCore, MainWindow]]:
    tmp: Path = tmp_path_factory.mktemp("every-service")
    core = assemble_kiosk(test_config(tmp), readers=SimulatedCardReader(),
                          printer=NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3),
                          clock=FakeClock())
    core.start()
    window = build_window(core)
    window.resize(*PORTRAIT)
    window.show()
    try:
        yield core, window
    finally:
        window.close()
        core.stop()


def showing(window: MainWindow, step: Step) -> bool:
    settle()
    return window.stack.currentWidget() is window.screens[step]


def start(core: KioskCore, window: MainWindow, service: Service) -> None:
    """From the guide (or identify) to the form, identified with a card of a suitable age."""
    if core.flow.step is Step.GUIDE:
        core.flow.accept_guide()
        core.flow.accept_privacy()
    assert core.flow.identify(card_for(service, core.flow.today())).ok
    assert showing(window, Step.FORM)
    if not window.metrics.care_mode:  # care mode resets at home: on again for each citizen
        window.toggle_care_mode()
        settle()


@pytest.mark.parametrize("code", [s.code for s in CATALOG.services])
def test_every_service_guide_and_form_in_care_mode_portrait(
    hall: tuple[KioskCore, MainWindow], qtbot: QtBot, code: str
) -> None:
    core, window = hall
    service = core.catalog.get(code)
    core.flow.reset()
    core.flow.choose_service(code)
    window.toggle_care_mode()
    assert showing(window, Step.GUIDE)
    assert_nothing_clipped_or_overlapping(window, Step.GUIDE, PORTRAIT)
    if not service.completable or not service.form:
        return
    start(core, window, service)

    def fits() -> None:
        assert_nothing_clipped_or_overlapping(window, Step.FORM, PORTRAIT)

    refused = fill_form(qtbot, window, service, refusals=True, each_page=fits)
    answers = dict(core.flow.session.form)
    assert answers and core.flow.step is Step.CONFIRM, code
    required = [f.key for f in shown_fields(service.form, answers) if f.required]
    assert refused == required, f"{code}: refused {refused}, required {required}"
