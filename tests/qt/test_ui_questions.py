"""问 on screen: the questions of a service from its guide and of a department from its page on
the home screen, an answer shown and spoken (mock voice) with where to go from the site file,
Chinese under a note where English is missing, "none of these" raising the staff call the
call desk holds, and nothing clipped at the three screen sizes, standard and care mode."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.catalog.questions import Question
from kiosk.core import KioskCore
from kiosk.flow import Step
from tests.qt.test_home import open_window
from tests.qt.test_ui_layout import assert_nothing_clipped_or_overlapping
from tests.support.clock import FakeClock
from tests.support.kiosk import click, kiosk_window, showing, test_config
from tests.support.platform import free_port
from ui.main_window import MainWindow
from ui.qt import QLabel, Qt, QWidget
from ui.tile import Tile

SIZES = [(1920, 1080), (1080, 1920), (1280, 1024)]


@pytest.fixture
def locale() -> str:
    return "zh_CN"


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, locale: str) -> Iterator[tuple[KioskCore, MainWindow]]:
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    config = test_config(tmp_path, locale=locale)
    with kiosk_window(qtbot, config, SimulatedCardReader(), printer) as (core, w):
        yield core, w


def wait_for(qtbot: QtBot, win: MainWindow, step: Step) -> None:
    qtbot.waitUntil(lambda: showing(win, step), timeout=5000)


def question_tiles(win: MainWindow) -> list[Tile]:
    screen = win.screens[Step.QUESTIONS]
    return [t for t in screen.findChildren(Tile) if t.objectName().startswith("question-")
            and t.isVisibleTo(screen)]


def tap_question(qtbot: QtBot, win: MainWindow, i: int) -> None:
    """Page the list to the question (as the citizen would), then tap it."""
    screen = win.screens[Step.QUESTIONS]
    tile = screen.findChild(Tile, f"question-{i}")
    qtbot.wait(20)  # laid out: the page buttons show only when the list is longer than its room
    while not screen.panel.area.viewport().rect().contains(
            tile.mapTo(screen.panel.area.viewport(), tile.rect().bottomRight())):
        assert screen.panel.next_page.isEnabled(), f"question {i} cannot be paged to"
        qtbot.mouseClick(screen.panel.next_page, Qt.MouseButton.LeftButton)
        qtbot.wait(20)
    # A finger's tap takes a tenth of a second; a press and release at the same instant is
    # held back by the list's kinetic scrolling (QScroller waits to tell a tap from a drag).
    qtbot.mousePress(tile, Qt.MouseButton.LeftButton)
    qtbot.wait(100)
    qtbot.mouseRelease(tile, Qt.MouseButton.LeftButton)


def shown_text(win: MainWindow, name: str) -> str:
    found = [w for w in win.findChildren(QLabel, name) if w.isVisible()]
    assert len(found) == 1, name
    return found[0].text()


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_from_a_guide_the_services_questions_answer_shown_and_spoken(
    window: tuple[KioskCore, MainWindow], qtbot: QtBot, locale: str
) -> None:
    core, win = window
    code = "social-security-card-loss"
    questions = core.questions.services[code]
    core.flow.choose_service(code)
    wait_for(qtbot, win, Step.GUIDE)
    click(qtbot, win, "guide-questions")
    wait_for(qtbot, win, Step.QUESTIONS)
    title = core.catalog.get(code).text(locale)
    assert title in win.findChild(QLabel, "questions-title").text()
    assert win.ctx.voice.spoken[-1].startswith(win.findChild(QLabel, "questions-title").text())
    assert [t.label() for t in question_tiles(win)] == [q.text(locale) for q in questions]
    assert not win.findChild(QLabel, "questions-chinese-only").isVisible()

    tap_question(qtbot, win, 0)
    first: Question = questions[0]
    assert shown_text(win, "question-answer") == first.answer[locale]
    assert first.answer[locale] in win.ctx.voice.spoken[-1]
    where = core.site.describe(first.where[0], locale)
    assert shown_text(win, "question-where") == "• " + where
    assert where in win.ctx.voice.spoken[-1]
    assert win.findChild(QLabel, "questions-sample").isVisible()  # the demo hall is fictional
    assert not question_tiles(win)  # the answer in the list's place

    click(qtbot, win, "questions-list")
    assert len(question_tiles(win)) == len(questions)
    click(qtbot, win, "nav-back")
    wait_for(qtbot, win, Step.GUIDE)
    assert core.flow.session.service is not None and core.flow.session.service.code == code


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_from_a_department_on_the_home_screen_and_back_to_its_list(
    window: tuple[KioskCore, MainWindow], qtbot: QtBot, locale: str
) -> None:
    core, win = window
    click(qtbot, win, "department-tax")
    wait_for(qtbot, win, Step.SERVICES)
    click(qtbot, win, "services-questions")
    wait_for(qtbot, win, Step.QUESTIONS)
    questions = core.questions.departments["tax"]
    assert [t.label() for t in question_tiles(win)] == [q.question[locale] for q in questions]
    tap_question(qtbot, win, len(questions) - 1)
    last = questions[-1]
    assert shown_text(win, "question-asked") == last.question[locale]
    assert win.ctx.voice.spoken[-1].startswith(last.question[locale])
    click(qtbot, win, "nav-back")
    wait_for(qtbot, win, Step.SERVICES)
    assert core.flow.listing is not None and core.flow.listing.code == "tax"
    core.flow.back()
    core.flow.open_listing("life_event", "retirement")  # a life event has no questions button
    wait_for(qtbot, win, Step.SERVICES)
    assert not win.findChild(QWidget, "services-questions").isVisible()


@pytest.mark.parametrize("locale", ["en"])
def test_in_english_questions_without_a_translation_are_chinese_under_a_note(
    window: tuple[KioskCore, MainWindow], qtbot: QtBot
) -> None:
    core, win = window
    code = "medical-e-code-activation"  # information only: its question is in Chinese
    core.flow.choose_service(code)
    wait_for(qtbot, win, Step.GUIDE)
    click(qtbot, win, "guide-questions")
    wait_for(qtbot, win, Step.QUESTIONS)
    assert win.findChild(QLabel, "questions-chinese-only").isVisible()
    (question,) = core.questions.services[code]
    assert question_tiles(win)[0].label() == question.question["zh_CN"]
    tap_question(qtbot, win, 0)
    assert win.findChild(QLabel, "answer-chinese-only").isVisible()
    assert shown_text(win, "question-answer") == question.answer["zh_CN"]


def test_none_of_these_raises_the_staff_call_the_call_desk_holds(
    window: tuple[KioskCore, MainWindow], qtbot: QtBot
) -> None:
    core, win = window
    core.flow.choose_service("ssc-apply")
    wait_for(qtbot, win, Step.GUIDE)
    click(qtbot, win, "guide-questions")
    wait_for(qtbot, win, Step.QUESTIONS)
    assert core.calls.current() is None
    click(qtbot, win, "questions-call-staff")
    call = core.calls.current()
    assert call is not None and (call.step, call.service_code) == ("questions", "ssc-apply")
    assert [c.call_id for c in core.calls.open_calls()] == [call.call_id]
    assert win.findChild(QWidget, "call-banner").isVisible()
    assert win.ctx.voice.spoken[-1] == win.call_banner.message(call)
    assert win.ctx.voice.chimes and core.config.kiosk.code in win.ctx.voice.chimes[-1]
    (raised,) = [m for m in core.outbox.messages.select(kind="call")
                 if m.document["event"] == "raised"]
    assert raised.document["step"] == "questions"
    assert raised.document["service_code"] == "ssc-apply"
    click(qtbot, win, "questions-call-staff")  # a second tap raises nothing new
    assert len(core.calls.open_calls()) == 1


@pytest.mark.parametrize("care", [False, True], ids=["standard", "care"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_nothing_clips_at_the_three_sizes(
    qtbot: QtBot, tmp_path: Path, locale: str, size: tuple[int, int], care: bool
) -> None:
    core, win = open_window(qtbot, test_config(tmp_path, locale=locale), FakeClock(), size)
    try:
        walk_and_check(core, win, qtbot, size, care)
    finally:
        win.close()
        core.stop()


def walk_and_check(core: KioskCore, win: MainWindow, qtbot: QtBot, size: tuple[int, int],
                   care: bool) -> None:
    def check(step: Step, what: str) -> None:
        wait_for(qtbot, win, step)
        if win.metrics.care_mode != care:  # home resets care mode for the next citizen
            win.care_button.click()
        qtbot.wait(20)
        assert_nothing_clipped_or_overlapping(win, f"{step.value} {what}", size)  # type: ignore[arg-type]

    core.flow.open_listing("department", "social_security")
    check(Step.SERVICES, "department")
    core.flow.open_questions()
    check(Step.QUESTIONS, "department list")
    core.flow.back()
    # the guide with its actions: a completable service, then a window service
    for code in ("social-security-card-loss", "retirement-application"):
        core.flow.choose_service(code)
        check(Step.GUIDE, code)
        click(qtbot, win, "guide-questions")
        check(Step.QUESTIONS, code)
        for i in range(len(question_tiles(win))):
            tap_question(qtbot, win, i)
            check(Step.QUESTIONS, f"{code} answer {i}")
            click(qtbot, win, "questions-list")
        core.flow.back()
        wait_for(qtbot, win, Step.GUIDE)
        core.flow.back()
