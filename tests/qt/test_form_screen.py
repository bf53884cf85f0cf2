"""The form screen over a running core: conditions, pages, refusals said aloud, answers kept
across pages and Back from confirm, a family member's card, and a catalogue update that waits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.card.vcard import load_holder
from kiosk.catalog import load_catalog
from kiosk.core import KioskCore
from kiosk.flow import Step
from tests.qt.form_driver import MEMBER_ID, fill, fill_form, settle, tap, type_keys
from tests.qt.test_ui_layout import assert_nothing_clipped_or_overlapping
from tests.support.clock import FakeClock
from tests.support.kiosk import click, test_config
from tests.support.platform import free_port
from ui.launch import build_window
from ui.main_window import MainWindow
from ui.screens.form import FormScreen

Hall = tuple[KioskCore, MainWindow, SimulatedCardReader, SimulatedCardReader]


def member_holder() -> dict[str, Any]:
    holder = dict(load_holder())
    holder.update(name="赵小华", id_number=MEMBER_ID, birth_date=MEMBER_ID[6:14],
                  card_number="H23456780", card_id_code="230102D156000006")
    return holder


@pytest.fixture
def hall(qtbot: QtBot, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Hall]:
    from kiosk.assembly import assemble_kiosk

    applicant, member = SimulatedCardReader(), SimulatedCardReader(member_holder())
    core = assemble_kiosk(test_config(tmp_path), readers=[applicant, member],
                          printer=NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3),
                          clock=FakeClock())
    core.start()
    window = build_window(core)
    qtbot.addWidget(window)
    window.resize(*getattr(request, "param", (1920, 1080)))  # a hall screen's size from the start
    window.show()
    try:
        yield core, window, applicant, member
    finally:
        window.close()
        core.stop()


def to_form(qtbot: QtBot, hall: Hall, code: str) -> FormScreen:
    core, window, applicant, _ = hall
    core.flow.choose_service(code)
    core.flow.accept_guide()
    core.flow.accept_privacy()
    applicant.insert("ssc")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.screens[Step.FORM],
                    timeout=5000)
    screen = window.screens[Step.FORM]
    assert isinstance(screen, FormScreen)
    return screen


def test_a_conditional_field_comes_and_goes_with_its_answer(qtbot: QtBot, hall: Hall) -> None:
    screen = to_form(qtbot, hall, "ssc-apply")
    shown = lambda: {f.key for p in screen.pages for f in p}  # noqa: E731
    assert "post_address" not in shown()
    page = next(i for i, p in enumerate(screen.pages) if any(f.key == "delivery" for f in p))
    while screen.page < page:
        click(qtbot, hall[1], "form-next")  # refused? then answer and go on
        settle()
        for w in list(screen.widgets.values()):
            if not w.value():
                fill(qtbot, w, hall[0].flow.session.service)  # type: ignore[arg-type]
    tap(qtbot, screen.widgets["delivery"], "choice-delivery-post")
    qtbot.waitUntil(lambda: "post_address" in shown(), timeout=2000)
    tap(qtbot, screen.widgets["delivery"], "choice-delivery-pickup")
    qtbot.waitUntil(lambda: "post_address" not in shown(), timeout=2000)


def test_a_refusal_is_shown_beside_its_field_said_aloud_and_focused(
    qtbot: QtBot, hall: Hall
) -> None:
    core, window, _, _ = hall
    screen = to_form(qtbot, hall, "elderly-card-apply")
    tap(qtbot, screen.widgets["delivery"], "choice-delivery-pickup")
    type_keys(qtbot, screen.widgets["phone"], list("1380013"))
    click(qtbot, window, "form-next")
    error = screen.widgets["phone"].error.text()
    assert error == "请输入11位手机号码，或者带区号的固定电话。"
    assert window.ctx.voice.spoken[-1] == f"联系电话：{error}"
    assert screen.widgets["phone"].isAncestorOf(window.focusWidget())
    assert core.flow.step is Step.FORM
    type_keys(qtbot, screen.widgets["phone"], list("8000"))
    assert screen.widgets["phone"].error.text() == ""  # an answer clears the refusal
    click(qtbot, window, "form-next")
    assert core.flow.step is Step.CONFIRM


def test_pages_in_words_and_answers_kept_across_pages_and_back_from_confirm(
    qtbot: QtBot, hall: Hall
) -> None:
    core, window, _, _ = hall
    screen = to_form(qtbot, hall, "skill-subsidy-claim")
    assert len(screen.pages) > 1
    assert screen.page_label.text() == f"第 1 / {len(screen.pages)} 页"
    service = core.flow.session.service
    assert service is not None
    first = dict.fromkeys(w.key for w in screen.widgets.values())
    for w in screen.widgets.values():
        fill(qtbot, w, service)
    click(qtbot, window, "form-next")
    assert screen.page == 1 and core.flow.session.form_page == 1
    assert set(first) <= set(core.flow.session.draft)
    click(qtbot, window, "form-previous")
    assert all(screen.widgets[k].value() == core.flow.session.draft[k] for k in first)
    assert fill_form(qtbot, window, service) == []
    answers = dict(core.flow.session.form)
    click(qtbot, window, "nav-back")  # confirm → form: everything is still there
    qtbot.waitUntil(lambda: window.stack.currentWidget() is screen, timeout=2000)
    assert screen.page == len(screen.pages) - 1
    assert all(screen.widgets[k].value() == answers[k] for k in screen.widgets)
    click(qtbot, window, "form-next")
    assert core.flow.step is Step.CONFIRM and core.flow.session.form == answers


def test_a_family_member_is_identified_by_their_own_card(qtbot: QtBot, hall: Hall) -> None:
    core, window, applicant, member = hall
    screen = to_form(qtbot, hall, "medical-family-account-sharing")
    field = screen.widgets["family_member"]
    tap(qtbot, field, "relation-family_member-spouse")
    settle()
    applicant.insert("ssc")  # the applicant's own card again: refused, in words
    qtbot.waitUntil(lambda: "您本人的卡" in field.error.text(), timeout=5000)
    member.insert("ssc")
    qtbot.waitUntil(lambda: field.value() == f"spouse|{MEMBER_ID}", timeout=5000)
    assert "赵" in field.display.text() and MEMBER_ID not in field.display.text()  # type: ignore[attr-defined]
    assert core.flow.session.member is not None
    core.flow.reset()
    assert core.flow.session.member is None


def test_a_catalogue_update_mid_form_waits_and_disturbs_nothing(qtbot: QtBot, hall: Hall) -> None:
    core, window, _, _ = hall
    screen = to_form(qtbot, hall, "elderly-card-apply")
    tap(qtbot, screen.widgets["delivery"], "choice-delivery-post")
    widgets = dict(screen.widgets)
    before = core.catalog
    newer = load_catalog()
    object.__setattr__(newer, "version", "2099-01-01.1")
    core._waiting_catalog = newer  # what the downlink hands over after a verified download
    core._apply_waiting_catalog()
    settle()
    assert core.catalog is before and core.flow.catalog is before
    assert screen.widgets == widgets and screen.widgets["delivery"].value() == "post"
    assert core.flow.session.draft == {"delivery": "post"}
    type_keys(qtbot, screen.widgets["phone"], list("13800138000"))
    click(qtbot, window, "form-next")
    assert core.flow.step is Step.CONFIRM
    core.flow.reset()  # between citizens the new catalogue comes in
    assert core.catalog.version == "2099-01-01.1"


SHAPES = ["elderly-card-apply", "ssc-apply", "medical-cross-region-filing", "birth-registration",
          "skill-subsidy-claim", "medical-family-account-sharing", "medical-resident-enrolment"]
SIZES = [(1920, 1080), (1080, 1920), (1280, 1024)]


@pytest.mark.parametrize("hall", SIZES, indirect=True, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("code", SHAPES)
def test_one_service_of_each_form_shape_fits_every_size_and_mode(
    qtbot: QtBot, hall: Hall, code: str
) -> None:
    """The full matrix on one service of each shape: choices and phone, an address behind a
    condition, pages and a long option list, count and ID number, text, relation, region."""
    core, window, _, _ = hall
    service = core.catalog.get(code)
    width, height = window.width(), window.height()
    for care in (False, True):
        core.flow.reset()
        to_form(qtbot, hall, code)
        if care != window.metrics.care_mode:
            window.toggle_care_mode()
            settle()

        def fits(c: bool = care) -> None:
            try:
                assert_nothing_clipped_or_overlapping(window, Step.FORM, (width, height))
            except AssertionError as exc:
                raise AssertionError(f"{width}x{height}{' care mode' * c}: {exc}") from None

        assert fill_form(qtbot, window, service, each_page=fits) == []
