"""The card taken out mid-visit (issue 12, "after card removal"; docs/identification.md): a
card that stays in its slot (the in-process simulated social-security card reader, as PC/SC)
taken out on the form covers the screen, says so and counts down; the same card back carries
on with the answers kept, another card or the time running out ends the visit and leaves no
personal data in any live widget, in what the voice remembers having said, or in the data
directory. After the submission, and for a card lifted off a GA/T 467 pad, removal is normal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from devices.cards.gat467.reader import Gat467CardReader
from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.idreader.emulator import VirtualIdReader
from kiosk import events as ev
from kiosk.assembly import assemble_kiosk
from kiosk.core import KioskCore
from kiosk.flow import Step
from tests.e2e.test_e2e_walking_skeleton import every_live_text
from tests.qt.form_driver import fill, settle, tap, type_keys
from tests.qt.test_form_screen import member_holder
from tests.support.kiosk import click, kiosk_window, showing, test_config
from tests.support.platform import free_port
from ui.launch import build_window
from ui.main_window import MainWindow
from ui.qt import Qt
from ui.screens.form import FormScreen

HOLDER = json.loads((resources.files("assets") / "sim" / "ssc_holder.json").read_text("utf-8"))
PHONE = "13912345678"
ROOM = "301室"  # typed in the postal address
GRACE = 2  # seconds, built in code: a deployed file may not go under 20 (test_config_floors)


class Recorder:
    def __init__(self, core: KioskCore) -> None:
        self.seen: list[ev.Event] = []
        core.events.subscribe(self.seen.append)

    def count(self, kind: type[ev.Event]) -> int:
        return sum(isinstance(e, kind) for e in self.seen)


Hall = tuple[KioskCore, MainWindow, SimulatedCardReader, SimulatedCardReader, Recorder]


@pytest.fixture
def hall(qtbot: QtBot, tmp_path: Path) -> Iterator[Hall]:
    """Two slot readers: the applicant's card, and another person's card in the second."""
    applicant, other = SimulatedCardReader(), SimulatedCardReader(member_holder())
    config = test_config(tmp_path, idle_seconds=120, card_removed_grace_seconds=GRACE)
    core = assemble_kiosk(config, readers=[applicant, other],
                          printer=NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3))
    core.start()
    window = build_window(core)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    try:
        yield core, window, applicant, other, Recorder(core)
    finally:
        window.close()
        core.stop()


def to_form_with_answers(qtbot: QtBot, core: KioskCore, win: MainWindow,
                         reader: SimulatedCardReader) -> FormScreen:
    """A new social-security card by post: every page answered, the postal address and the
    phone typed, the form still open on its last page."""
    core.flow.choose_service("ssc-apply")
    click(qtbot, win, "guide-start")
    click(qtbot, win, "privacy-accept")
    reader.insert("ssc")
    qtbot.waitUntil(lambda: showing(win, Step.FORM), timeout=5000)
    screen = win.screens[Step.FORM]
    assert isinstance(screen, FormScreen)
    service = core.flow.session.service
    assert service is not None
    while True:
        for key, widget in list(screen.widgets.items()):
            if widget.isVisible() and not widget.value():
                if key == "delivery":
                    tap(qtbot, widget, "choice-delivery-post")
                elif key == "phone":
                    type_keys(qtbot, widget, list(PHONE))
                else:
                    fill(qtbot, widget, service)
                settle()
        if screen.page >= len(screen.pages) - 1:
            break
        click(qtbot, win, "form-next")
        settle()
    assert answers(core, screen)["phone"] == PHONE
    assert ROOM in answers(core, screen)["post_address"]
    return screen


def answers(core: KioskCore, screen: FormScreen) -> dict[str, str]:
    """The form's answers: those of pages left behind (kept in the draft), the shown page's."""
    return {**core.flow.session.draft, **{k: w.value() for k, w in screen.widgets.items()}}


def warned(win: MainWindow) -> bool:
    return win.idle_overlay.isVisible() and win._overlay_kind == "card"


def test_removal_mid_form_warns_aloud_then_the_time_running_out_forgets_the_citizen(
    qtbot: QtBot, hall: Hall
) -> None:
    core, win, applicant, _, _ = hall
    to_form_with_answers(qtbot, core, win, applicant)
    qtbot.keyClick(win.focusWidget() or win, Qt.Key.Key_F2)  # audio mode: the headset
    assert win.audio_mode.active
    voice = win.ctx.voice
    applicant.remove()
    qtbot.waitUntil(lambda: warned(win), timeout=5000)
    text = win.idle_text.text()
    assert "您的卡已取出" in text and f"{GRACE} 秒" in text, text
    assert voice.spoken[-1] == text  # said, in the words shown
    assert win.idle_overlay.geometry() == win.rect()  # the form hidden under it
    assert core.flow.step is Step.FORM and core.flow.session.identity is not None
    win._idle_left = 1
    qtbot.keyClick(win.focusWidget() or win, Qt.Key.Key_X)  # any key: the countdown anew
    assert win._idle_left == GRACE and warned(win) and showing(win, Step.FORM)
    qtbot.waitUntil(lambda: showing(win, Step.HOME), timeout=10_000)
    assert core.flow.session.identity is None and core.flow.session.draft == {}
    assert not win.idle_overlay.isVisible()
    qtbot.wait(50)
    remembered = " ".join(every_live_text(win))
    for secret in (HOLDER["name"], HOLDER["id_number"], HOLDER["id_number"][-4:], PHONE,
                   PHONE[-4:], ROOM):
        assert secret not in remembered, secret
    stored = b"".join(p.read_bytes() for p in core.config.data_dir.rglob("*") if p.is_file())
    for secret in (HOLDER["name"], HOLDER["id_number"], HOLDER["card_number"], PHONE, ROOM):
        assert secret.encode("utf-8") not in stored, secret


def test_the_same_card_back_carries_on_with_the_answers(qtbot: QtBot, hall: Hall) -> None:
    core, win, applicant, _, seen = hall
    screen = to_form_with_answers(qtbot, core, win, applicant)
    applicant.remove()
    qtbot.waitUntil(lambda: warned(win), timeout=5000)
    applicant.insert("ssc")
    qtbot.waitUntil(lambda: seen.count(ev.HeldCardDidReturn) == 1, timeout=5000)
    qtbot.waitUntil(lambda: not win.idle_overlay.isVisible(), timeout=5000)
    assert showing(win, Step.FORM) and win.screens[Step.FORM] is screen
    assert answers(core, screen)["phone"] == PHONE
    assert ROOM in answers(core, screen)["post_address"]
    assert core.flow.session.member is None  # not taken for a family member's card
    assert win.idle_timer.isActive()
    click(qtbot, win, "form-next")
    assert core.flow.step is Step.CONFIRM
    applicant.remove()  # watched on confirm too, and again after a return
    qtbot.waitUntil(lambda: warned(win), timeout=5000)


def test_another_card_while_warned_ends_the_visit(qtbot: QtBot, hall: Hall) -> None:
    core, win, applicant, other, _ = hall
    to_form_with_answers(qtbot, core, win, applicant)
    applicant.remove()
    qtbot.waitUntil(lambda: warned(win), timeout=5000)
    other.insert("ssc")
    qtbot.waitUntil(lambda: showing(win, Step.HOME), timeout=5000)
    assert core.flow.session.identity is None and core.flow.session.member is None
    qtbot.waitUntil(lambda: win.notice.isVisible(), timeout=5000)
    assert win.notice.text() and not win.idle_overlay.isVisible()
    remembered = " ".join(every_live_text(win))
    for secret in (HOLDER["name"], HOLDER["id_number"], PHONE, ROOM, member_holder()["name"]):
        assert secret not in remembered, secret


def test_removal_after_the_receipt_is_normal(qtbot: QtBot, hall: Hall) -> None:
    core, win, applicant, _, seen = hall
    to_form_with_answers(qtbot, core, win, applicant)
    click(qtbot, win, "form-next")
    assert showing(win, Step.CONFIRM)
    click(qtbot, win, "confirm-submit")
    qtbot.waitUntil(lambda: showing(win, Step.RECEIPT), timeout=10_000)
    applicant.remove()
    qtbot.waitUntil(lambda: seen.count(ev.CardDidRemove) == 1, timeout=5000)
    qtbot.wait(50)  # the bridge delivers what was published before it
    assert seen.count(ev.HeldCardDidLeave) == 0 and not win.idle_overlay.isVisible()
    assert showing(win, Step.RECEIPT)


def test_a_card_lifted_off_a_gat467_pad_is_normal(
    qtbot: QtBot, tmp_path: Path, virtual_id_reader: VirtualIdReader
) -> None:
    config = test_config(tmp_path, idle_seconds=120, card_removed_grace_seconds=GRACE)
    reader = Gat467CardReader(virtual_id_reader.path, exchange_timeout=0.5, poll_interval=0.05)
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    with kiosk_window(qtbot, config, reader, printer) as (core, win):
        seen = Recorder(core)
        click(qtbot, win, "service-elderly-card-apply")
        click(qtbot, win, "guide-start")
        click(qtbot, win, "privacy-accept")
        virtual_id_reader.place()
        qtbot.waitUntil(lambda: showing(win, Step.FORM), timeout=10_000)
        virtual_id_reader.lift()
        qtbot.waitUntil(lambda: seen.count(ev.CardDidRemove) >= 1, timeout=10_000)
        qtbot.wait(50)
        assert seen.count(ev.HeldCardDidLeave) == 0 and not win.idle_overlay.isVisible()
        assert showing(win, Step.FORM) and core.flow.session.identity is not None


def test_taken_out_for_a_family_members_card_is_expected(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """One slot: the applicant takes their card out to put a family member's in for a
    relation field; that is no walking away."""
    applicant = SimulatedCardReader()
    config = test_config(tmp_path, idle_seconds=120, card_removed_grace_seconds=GRACE)
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    with kiosk_window(qtbot, config, applicant, printer) as (core, win):
        seen = Recorder(core)
        core.flow.choose_service("medical-family-account-sharing")
        core.flow.accept_guide()
        core.flow.accept_privacy()
        applicant.insert("ssc")
        qtbot.waitUntil(lambda: showing(win, Step.FORM), timeout=5000)
        screen = win.screens[Step.FORM]
        assert isinstance(screen, FormScreen)
        relation: Any = next(w for w in screen.widgets.values()
                             if type(w).__name__ == "RelationField")
        while not relation.isVisible():
            click(qtbot, win, "form-next")
            for w in list(screen.widgets.values()):
                if not w.value() and w is not relation:
                    assert core.flow.session.service is not None
                    fill(qtbot, w, core.flow.session.service)
        qtbot.mouseClick(relation.buttons[next(iter(relation.buttons))],
                         Qt.MouseButton.LeftButton)
        assert relation.waiting_for_card()
        applicant.remove()
        qtbot.waitUntil(lambda: seen.count(ev.CardDidRemove) == 1, timeout=5000)
        qtbot.wait(50)
        assert seen.count(ev.HeldCardDidLeave) == 0  # the core knew before the card moved
        assert not win.idle_overlay.isVisible() and showing(win, Step.FORM)
        applicant.insert("ssc")  # the same card in again: refused as one's own, in words
        qtbot.waitUntil(lambda: "您本人的卡" in relation.error.text(), timeout=5000)
        assert core.flow.step is Step.FORM and core.flow.session.member is None
