"""What a screen reader's action does (issue 12, item 2): for every kind of form field, each
button pressed through Qt's accessibility interface (the default action AT-SPI's doAction(0)
reaches: "Press", or "Toggle" on a choice) changes the answer exactly as a tap does, and each
button's accessible name, role and state say what is shown. No accessibility bus needed: this
is the interface Qt's AT-SPI bridge calls."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QAccessible
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.catalog import FormField, Option
from kiosk.catalog.regions import load_regions
from tests.support.kiosk import kiosk_window, test_config
from tests.support.platform import free_port
from ui.form_fields.base import TICK, FieldContext, FieldWidget
from ui.form_fields.registry import WIDGETS, build_field
from ui.qt import QApplication, QPushButton, Qt
from ui.theme import REFERENCE_DPI, Metrics

TODAY = date(2026, 11, 21)
LABEL = {"zh_CN": "项目", "en": "Item"}
OPTIONS = tuple(Option(v, {"zh_CN": t}) for v, t in (("a", "甲"), ("b", "乙"), ("c", "丙")))
FIELDS = {
    "choice": FormField("k", "choice", LABEL, options=OPTIONS),
    "multi_choice": FormField("k", "multi_choice", LABEL, options=OPTIONS),
    "yes_no": FormField("k", "yes_no", LABEL),
    "phone": FormField("k", "phone", LABEL),
    "id_number": FormField("k", "id_number", LABEL),
    "date": FormField("k", "date", LABEL, minimum="today", maximum="today+30d"),
    "amount": FormField("k", "amount", LABEL, unit={"zh_CN": "元"}),
    "count": FormField("k", "count", LABEL, minimum=1, maximum=3),
    "region": FormField("k", "region", LABEL, level="street"),
    "address": FormField("k", "address", LABEL, level="community", detail_max_length=30),
    "relation": FormField("k", "relation", LABEL, relations=("spouse", "child")),
    "text": FormField("k", "text", LABEL, max_length=10),
}
STEPS = 5  # buttons pressed per field, each the first one of its screen not pressed yet


def make(qtbot: QtBot, field: FormField) -> FieldWidget:
    ctx = FieldContext("zh_CN", Metrics(REFERENCE_DPI, True), 1046, TODAY, load_regions(),
                       lambda _key: None, room=860)
    w = build_field(field, ctx)
    qtbot.addWidget(w)
    w.resize(1046, w.sizeHint().height())
    w.show()
    return w


def shown_buttons(w: FieldWidget) -> list[QPushButton]:
    QApplication.processEvents()  # buttons made by the last press are shown on the next turn
    return [b for b in w.findChildren(QPushButton)
            if b.isVisible() and b.isEnabled() and b.objectName()]


def check_what_is_said(b: QPushButton) -> None:
    """Name, role and state as a screen reader would read them."""
    iface = QAccessible.queryAccessibleInterface(b)
    assert iface is not None and iface.isValid()
    name = iface.text(QAccessible.Text.Name)
    assert name, b.objectName()
    assert name == b.text().removeprefix(TICK) or name == b.accessibleName()
    state = iface.state()
    assert state.focusable, b.objectName()
    assert bool(state.checkable) == b.isCheckable(), b.objectName()
    assert bool(state.checked) == b.isChecked(), b.objectName()
    role = iface.role()
    assert role in (QAccessible.Role.Button, QAccessible.Role.CheckBox), role


def still_down(b: QPushButton) -> bool:
    try:
        return b.isDown()
    except RuntimeError:  # its press replaced it (the region picker's next level)
        return False


def by_action(qtbot: QtBot, b: QPushButton) -> None:
    iface = QAccessible.queryAccessibleInterface(b)
    actions = iface.actionInterface()
    assert actions is not None, b.objectName()
    names = actions.actionNames()
    assert names, b.objectName()
    expected = actions.toggleAction() if b.isCheckable() else actions.pressAction()
    assert names[0] == expected
    actions.doAction(names[0])
    qtbot.waitUntil(lambda: not still_down(b), timeout=2000)  # "Press" is an animated click
    QApplication.processEvents()


def state(w: FieldWidget) -> tuple[object, list[tuple[str, bool]]]:
    return w.value(), sorted((b.objectName(), b.isChecked()) for b in shown_buttons(w))


@pytest.mark.parametrize("kind", sorted(WIDGETS))
def test_an_accessible_action_does_what_a_tap_does(qtbot: QtBot, kind: str) -> None:
    assert set(FIELDS) == set(WIDGETS)
    tapped, acted = make(qtbot, FIELDS[kind]), make(qtbot, FIELDS[kind])
    pressed: set[str] = set()
    for _ in range(STEPS):
        fresh = [b for b in shown_buttons(acted) if b.objectName() not in pressed]
        if not fresh:
            break
        b = fresh[0]
        pressed.add(b.objectName())
        check_what_is_said(b)
        (twin,) = [t for t in shown_buttons(tapped) if t.objectName() == b.objectName()]
        qtbot.mouseClick(twin, Qt.MouseButton.LeftButton)
        by_action(qtbot, b)
        assert state(acted) == state(tapped), (kind, b.objectName())
    assert pressed


@pytest.mark.parametrize("kind", ["choice", "yes_no", "multi_choice"])
def test_a_choice_pressed_by_its_action_is_the_answer(qtbot: QtBot, kind: str) -> None:
    w = make(qtbot, FIELDS[kind])
    first, second = shown_buttons(w)[:2]
    by_action(qtbot, first)
    by_action(qtbot, second)
    value = str(w.value())
    picked = second.objectName().rsplit("-", 1)[1]
    assert picked in value.split(",")
    check_what_is_said(second)
    if kind == "multi_choice":
        assert first.isChecked() and value.count(",") == 1
        by_action(qtbot, first)  # and pressed again, off
        assert str(w.value()) == picked and not first.isChecked()
    else:
        assert not first.isChecked() and value == picked


def test_the_header_care_mode_button_s_action_turns_care_mode_on(
        qtbot: QtBot, tmp_path: Path) -> None:
    """AT-SPI's default action on the header's 长辈模式 is "Toggle": care mode itself comes on
    (the larger text), not only the button's look; and off again the same way."""
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    with kiosk_window(qtbot, test_config(tmp_path), SimulatedCardReader(), printer) as (_c, win):
        care = win.findChild(QPushButton, "care-mode")
        assert not win.metrics.care_mode
        by_action(qtbot, care)
        assert win.metrics.care_mode and care.isChecked()
        check_what_is_said(care)
        by_action(qtbot, care)
        assert not win.metrics.care_mode and not care.isChecked()
        contrast = win.findChild(QPushButton, "high-contrast")
        by_action(qtbot, contrast)
        assert win.metrics.high_contrast and contrast.isChecked()
