"""Answers typed on a large keypad: phone (3-4-4), ID number (with X), amount (with a decimal
point and its unit). The display shows the answer grouped as people read it aloud."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kiosk.catalog import FormField

from ..qt import QWidget, SpacedColumn, SpacedRow
from ..theme import Metrics
from ..widgets import Keypad, label
from .base import FieldContext, FieldWidget

KEY_ROOM = 1.5  # a key may grow this much past its smallest width, no more


def keypad_width(sizes: FieldContext | Metrics, columns: int) -> int:
    """The widest a keypad of ``columns`` keys grows: a key's smallest width under the
    stylesheet (a primary target and its border, no side padding: ui/theme.py), and room."""
    metrics = sizes.metrics if isinstance(sizes, FieldContext) else sizes
    key = metrics.target + 6
    return round(columns * key * KEY_ROOM + (columns - 1) * (metrics.gap + 1))


def answer_room(metrics: Metrics) -> int:
    """The narrowest the answer beside a keypad may be: seven characters of body text."""
    return 7 * metrics.body


def beside(sizes: FieldContext | Metrics, columns: int, width: int) -> bool:
    """Whether a keypad of ``columns`` keys, a little wider than its smallest, fits beside
    its answer in ``width``."""
    metrics = sizes.metrics if isinstance(sizes, FieldContext) else sizes
    keys = round(keypad_width(metrics, columns) * 1.15 / KEY_ROOM)
    return width >= keys + answer_room(metrics)


def flush(keypad: QWidget) -> None:
    """No margin around a keypad's keys: the field's own spacing is enough."""
    layout = keypad.layout()
    assert layout is not None
    layout.setContentsMargins(0, 0, 0, 0)


class KeyedField(FieldWidget):
    """A display of the answer and a keypad beside it (below it on a narrow screen)."""

    max_len = 12
    extra_keys: Sequence[str] = ()

    def __init__(self, field: FormField, ctx: FieldContext) -> None:
        super().__init__(field, ctx)
        self.display = label(self.placeholder(), role="heading", name=f"field-{field.key}-value")
        self.keypad = Keypad(self._typed, max_len=self.max_len, extra_keys=self.extra_keys)
        self.keypad.setObjectName(f"field-{field.key}-keypad")
        flush(self.keypad)
        self.body.addWidget(self.input_row(self.display, self.keypad))

    def input_row(self, display: QWidget, keypad: Keypad) -> QWidget:
        columns = 3 + (len(self.extra_keys) + 3) // 4
        keypad.setMaximumWidth(keypad_width(self.ctx, columns))
        row = QWidget()
        layout: SpacedRow | SpacedColumn
        if beside(self.ctx, columns, self.ctx.width):  # the answer and a refusal left, keys right
            layout = SpacedRow(row)
            left = SpacedColumn()
            left.addWidget(display)
            self.error_beside(left)
            layout.addLayout(left, 1)
            layout.addWidget(keypad)
        else:
            layout = SpacedColumn(row)
            layout.addWidget(display)
            layout.addWidget(keypad)
        layout.setContentsMargins(0, 0, 0, 0)
        return row

    def placeholder(self) -> str:
        return self.tr("Please type on the keys")

    def accept(self, typed: str) -> bool:
        """Whether ``typed`` may stand while typing (the keypad refuses the key otherwise)."""
        return True

    def _typed(self, typed: str) -> None:
        if not self.accept(typed):
            self.keypad.start(self._value)  # the key is refused: back to the last good answer
            return
        if typed != self._value:
            self.answer(typed)

    def grouped(self, value: str) -> str:
        return value

    def show_value(self) -> None:
        if self.keypad.value != self._value:
            self.keypad.value = self._value
        self.display.setText(self.grouped(self._value) if self._value else self.placeholder())


class PhoneField(KeyedField):
    max_len = 12

    def grouped(self, value: str) -> str:
        if value.startswith("0"):  # landline: area code, then the number
            cut = 3 if value[:2] in ("01", "02") else 4
            return " ".join(p for p in (value[:cut], value[cut:]) if p)
        return " ".join(p for p in (value[:3], value[3:7], value[7:]) if p)


class IdNumberField(KeyedField):
    max_len = 18
    extra_keys = ("X",)

    def accept(self, typed: str) -> bool:
        return "X" not in typed[:-1] and ("X" not in typed or len(typed) == 18)

    def grouped(self, value: str) -> str:
        return group_id_number(value)


def group_id_number(value: str) -> str:
    """Region, birth date, the rest: 230102 19500101 001X."""
    return " ".join(p for p in (value[:6], value[6:14], value[14:]) if p)


_AMOUNT_TYPING = re.compile(r"^(?:\d{1,9}(?:\.\d{0,2})?)?$")


class AmountField(KeyedField):
    max_len = 12
    extra_keys = (".",)

    def __init__(self, field: FormField, ctx: FieldContext) -> None:
        self.unit = ctx.text(field.unit) if field.unit else ""
        super().__init__(field, ctx)

    def accept(self, typed: str) -> bool:
        return bool(_AMOUNT_TYPING.match(typed)) and not typed.startswith(".")

    def grouped(self, value: str) -> str:
        unit = self.unit or self.tr("yuan")
        return f"{value} {unit}"
