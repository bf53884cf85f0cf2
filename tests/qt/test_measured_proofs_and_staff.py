"""The figures of docs/accessibility.md on the last screens not yet measured (issue 12, "tests
that measure"): the proofs' printing states (printing, printed, stopped by the printer, not
issued) and the staff's sign-in for a typed ID number (the number typed, a wrong check
character, the staff number, the PIN, a refused sign-in), at the same worst cases as
tests/qt/test_measured_figures.py, in both languages. On each: the smallest font, target and
gap, contrast, nothing clipped or overlapping; the words said (the same as shown); and every
control reached by Down in reading order in audio mode, said with its name, Enter its click.

The proofs' states are put on the screen by hand (``ProofsScreen._show``), as the records'
platform answers are in tests/qt/test_measured_more_screens.py: layout and words only; end to
end over CUPS and the reference platform in tests/e2e/test_ui_proofs*.py and
tests/e2e/test_ui_records_typed.py."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from devices.cards.base import PinVerdict
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.core import KioskCore
from kiosk.events import RecordsDidChange
from kiosk.flow import Step
from kiosk.proofs.machine import A4State, IssueProblem, ProofStep, ProofView
from kiosk.records.visit import RecordsStage
from sync.server.citizen_records import records_for
from tests.qt.test_measured_figures import assert_meets_the_figures
from tests.qt.test_measured_more_screens import HOLDER, case  # noqa: F401 (a fixture)
from tests.qt.test_ui_payment import busy_platform  # noqa: F401 (a fixture)
from tests.support.kiosk import click, showing
from tests.support.staff import press_keys
from ui import gallery
from ui.keypad_nav import reading_order
from ui.main_window import MainWindow
from ui.measure import measure
from ui.qt import QAbstractButton, QLabel, QPushButton, Qt, QWidget
from ui.screens.proofs import ProofsScreen

TYPED = "23010219500312015X"
WRONG_CHECK = "23010319480915023X"
CODE = "7KQ2M-XD4RT-0AB1C-9ZZZZ"


def keys_reach_every_control(qtbot: QtBot, w: MainWindow, where: str,
                             within: QWidget | None = None) -> None:
    """Down from nothing focused reaches each control once in reading order, says it as audio
    mode describes it (its name in the words, a PIN key as "key"), and Enter on it is its
    click; then the focus comes round to the first again. ``within``: a panel standing over
    the screen, the only place the keys may go then."""
    w.audio_mode.set_active(True)
    try:
        w.setFocus()
        order = reading_order(w)
        assert order, where
        if within is not None:
            hidden = [b.objectName() for b in order if not within.isAncestorOf(b)]
            assert hidden == [], (where, "keys reach controls under the panel", hidden)
        for expected in order:
            qtbot.keyClick(w.focusWidget() or w, Qt.Key.Key_Down)
            focused = w.focusWidget()
            assert focused is expected, (where, expected.objectName())
            said = w.ctx.voice.spoken[-1]
            assert said == w.audio_mode.describe(focused), (where, said)
            if not focused.property("private"):
                name = focused.accessibleName() or focused.text()
                assert name and name in said, (where, focused.objectName(), said)
            entered: list[QAbstractButton] = []
            focused.click = lambda b=focused, e=entered: e.append(b)  # type: ignore[method-assign]
            try:
                qtbot.keyClick(focused, Qt.Key.Key_Return)
            finally:
                del focused.click
            assert entered == [focused], (where, focused.objectName())
        qtbot.keyClick(w.focusWidget() or w, Qt.Key.Key_Down)
        assert w.focusWidget() is order[0], where
    finally:
        w.audio_mode.set_active(False)


def test_proofs_printing_and_the_typed_number_sign_in_meet_the_figures(
    case: tuple[KioskCore, MainWindow, SimulatedCardReader, str], qtbot: QtBot,  # noqa: F811
) -> None:
    core, w, reader, mode = case
    voice = w.ctx.voice
    measured: list[str] = []

    def check(name: str, said: str, until: Callable[[], bool] = lambda: True,
              root: QWidget | None = None) -> None:
        qtbot.waitUntil(until, timeout=15_000)
        gallery._set_mode(w, mode)  # the home screen resets the modes after each citizen
        gallery._settle(lambda: True)
        where = f"{name} {mode}"
        assert_meets_the_figures(measure(root or w, w.metrics).as_json(), where,
                                 "high-contrast" in mode)
        assert said and said in voice.spoken, (where, said, voice.spoken[-3:])
        keys_reach_every_control(qtbot, w, where, root)
        measured.append(name)

    # The proofs: open the records with the card and its PIN (the platform's part by hand).
    core.flow.open_records()
    qtbot.waitUntil(lambda: showing(w, Step.RECORDS))
    reader.insert("ssc")
    visit = core.flow.session.records
    assert visit is not None
    qtbot.waitUntil(lambda: visit.stage is RecordsStage.OVERVIEW, timeout=15_000)
    visit.online = True
    assert visit.ask_records() is RecordsStage.PIN
    assert visit.begin_check()
    assert visit.pin_checked(PinVerdict(ok=True))
    assert visit.records_loaded(records_for(HOLDER["id_number"], core.flow.today()))
    core.events.publish(RecordsDidChange(visit.stage.value))
    qtbot.waitUntil(lambda: visit.stage is RecordsStage.RECORDS)
    click(qtbot, w, "records-print-proof")
    proofs = w.screens[Step.RECORDS].findChild(ProofsScreen)
    assert proofs is not None
    qtbot.waitUntil(proofs.isVisible)
    kind = "social_insurance"
    for name, view in (
        ("proof printing", ProofView(ProofStep.PRINTING, kind, A4State.PRINTING, code=CODE)),
        ("proof printed", ProofView(ProofStep.PRINTED, kind, code=CODE)),
        ("proof stopped", ProofView(ProofStep.PRINT_FAILED, kind, A4State.OFFLINE, code=CODE)),
        ("proof not issued", ProofView(ProofStep.ISSUE_FAILED, kind,
                                       problem=IssueProblem.OFFLINE)),
    ):
        proofs._show(view)
        status = proofs.findChild(QLabel, "proof-status").text()
        assert status, name
        check(name, status)
        if view.code:
            assert CODE in proofs.findChild(QLabel, "proof-code").text()
            assert not any(CODE in said for said in voice.spoken), name  # shown, not said
    core.flow.reset()

    # 我的办件 with no card: the citizen types the number, hall staff sign in to confirm it.
    qtbot.waitUntil(lambda: showing(w, Step.HOME))
    core.flow.open_records()
    qtbot.waitUntil(lambda: showing(w, Step.RECORDS))
    click(qtbot, w, "records-staff-help")
    panel = w.findChild(QWidget, "assist-panel")
    heading = panel.findChild(QLabel, "assist-heading")
    check("typed number", heading.text(), panel.isVisible, panel)
    press_keys(qtbot, panel.typing, WRONG_CHECK)
    click(qtbot, panel, "assist-number-next")
    refusal = panel.findChild(QLabel, "assist-status")
    check("typed number refused", refusal.text(), lambda: bool(refusal.text()), panel)
    qtbot.mouseClick(panel.typing.findChild(QPushButton, "key-clear"),
                     Qt.MouseButton.LeftButton)
    press_keys(qtbot, panel.typing, TYPED)
    click(qtbot, panel, "assist-number-next")
    check("staff number", heading.text(), panel.page.isVisible, panel)
    press_keys(qtbot, panel.page, "1001")
    click(qtbot, panel, "assist-next")
    check("staff PIN", panel.findChild(QLabel, "assist-sign-in-heading").text(),
          lambda: panel.findChild(QWidget, "assist-open").isVisible(), panel)
    press_keys(qtbot, panel.page, "000000")
    click(qtbot, panel, "assist-open")
    qtbot.waitUntil(lambda: not panel.page.checking, timeout=10_000)
    refused = panel.findChild(QLabel, "assist-pin-status")
    check("staff sign-in refused", refused.text(), lambda: bool(refused.text()), panel)
    assert core.flow.session.records is not None and core.flow.session.records.card is None
    panel.close_panel()
    assert len(measured) == 9
