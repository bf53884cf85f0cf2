"""The A–Z keypad: what its keys type, and that its keys are large enough in care mode on the
narrowest screen (1080 px wide, portrait)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from tests.qt.test_ui_layout import gap_mm, global_rect
from ui.letter_keypad import LetterKeypad
from ui.qt import QApplication, Qt, QWidget, SpacedColumn
from ui.theme import MIN_TARGET_MM, PRIMARY_TARGET_MM, REFERENCE_DPI, Metrics, stylesheet


def _keypad(qtbot: QtBot, max_len: int = 24) -> tuple[LetterKeypad, list[str]]:
    seen: list[str] = []
    pad = LetterKeypad(seen.append, max_len=max_len)
    qtbot.addWidget(pad)
    return pad, seen


def _press(qtbot: QtBot, pad: LetterKeypad, *names: str) -> None:
    for name in names:
        key = pad.findChild(QWidget, f"letter-key-{name}")
        qtbot.mouseClick(key, Qt.MouseButton.LeftButton)


def test_keys_type_lower_case_pinyin_and_report_every_change(qtbot: QtBot) -> None:
    pad, seen = _keypad(qtbot)
    pad.show()
    _press(qtbot, pad, "t", "u", "i")
    assert pad.text() == "tui"
    assert seen == ["t", "tu", "tui"]
    _press(qtbot, pad, "delete")
    assert pad.text() == "tu" and seen[-1] == "tu"
    _press(qtbot, pad, "clear")
    assert pad.text() == "" and seen[-1] == ""
    _press(qtbot, pad, "delete")  # nothing left to delete: still empty, no error
    assert pad.text() == ""


def test_typing_stops_at_max_len(qtbot: QtBot) -> None:
    pad, seen = _keypad(qtbot, max_len=3)
    pad.show()
    _press(qtbot, pad, "a", "b", "c", "d")
    assert pad.text() == "abc"
    assert seen == ["a", "ab", "abc"]


def test_set_text_keeps_letters_only_lower_cased_and_cut(qtbot: QtBot) -> None:
    pad, seen = _keypad(qtbot, max_len=5)
    pad.set_text("Yang Lao-Jin 2")
    assert pad.text() == "yangl"
    assert seen == ["yangl"]
    pad.clear()
    assert pad.text() == "" and seen[-1] == ""


def test_every_key_has_an_accessible_name(qtbot: QtBot) -> None:
    pad, _ = _keypad(qtbot)
    keys = pad.keys()
    assert len(keys) == 28
    assert sorted(pad.letter_keys) == list("abcdefghijklmnopqrstuvwxyz")
    names = [k.accessibleName() for k in keys]
    assert all(names) and len(set(names)) == len(names)
    assert pad.letter_keys["q"].accessibleName().endswith("Q")


@pytest.mark.parametrize("care_mode", [False, True])
def test_keys_are_primary_targets_two_mm_apart_at_1080_px(qtbot: QtBot, care_mode: bool) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    host.setStyleSheet(stylesheet(Metrics(REFERENCE_DPI, care_mode)))
    column = SpacedColumn(host)
    column.setContentsMargins(24, 24, 24, 24)
    pad = LetterKeypad(lambda _t: None)
    column.addWidget(pad)
    column.addStretch(1)
    host.resize(1080, 1920)
    host.show()
    for _ in range(3):
        QApplication.processEvents()
    assert host.minimumSizeHint().width() <= 1080
    keys = pad.keys()
    mm = 25.4 / REFERENCE_DPI
    for key in keys:
        assert key.width() * mm >= PRIMARY_TARGET_MM - 0.3, key.objectName()
        assert key.height() * mm >= PRIMARY_TARGET_MM - 0.3, key.objectName()
        assert key.fontMetrics().horizontalAdvance(key.text()) <= key.width(), key.text()
        assert min(key.width(), key.height()) * mm >= MIN_TARGET_MM
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            assert gap_mm(global_rect(a), global_rect(b)) >= 2.0, (a.text(), b.text())


@pytest.mark.parametrize("care_mode", [False, True])
def test_keypad_keys_keep_side_padding_and_stay_primary_targets(
        qtbot: QtBot, care_mode: bool) -> None:
    """Keys (QPushButton[key="true"]) have less side padding than other buttons, but some: a
    label never touches the border; a key of one glyph is still exactly a primary target."""
    from ui.widgets import Keypad

    metrics = Metrics(REFERENCE_DPI, care_mode)
    host = QWidget()
    qtbot.addWidget(host)
    host.setStyleSheet(stylesheet(metrics))
    column = SpacedColumn(host)
    letters = LetterKeypad(lambda _t: None)
    digits = Keypad(lambda _v: None, extra_keys=["X", "栋", "单元", "室"])
    column.addWidget(letters)
    column.addWidget(digits)
    host.show()
    QApplication.processEvents()
    border = 3
    pad = metrics.key_padding
    assert pad >= 4
    keys = [*letters.letter_keys.values(),
            *(k for k in digits.findChildren(QWidget) if k.property("key"))]
    assert len(keys) > 26
    for key in keys:
        text = key.fontMetrics().horizontalAdvance(key.text())
        assert key.width() >= text + 2 * (pad + border), (key.text(), key.width(), text)
        if text + 2 * pad <= metrics.target:  # one glyph: no wider than a primary target
            assert key.minimumSizeHint().width() == metrics.target + 2 * border, key.text()
