"""Answers from a list: one option (large toggle buttons), several options, yes or no."""

from __future__ import annotations

from functools import partial

from kiosk.catalog import FormField, Option

from ..qt import (
    QButtonGroup,
    QPushButton,
    QStackedWidget,
    Qt,
    QWidget,
    SpacedColumn,
    SpacedRow,
)
from ..widgets import button, label
from .base import FieldContext, FieldWidget, option_grid, toggle


class OptionPager(QWidget):
    """Option buttons in a grid; a long list (the 30 provinces) in groups that fit the page,
    with large keys to the previous and next group, as the home screen pages its tiles."""

    def __init__(self, key: str, buttons: list[QPushButton], columns: int, rows: int) -> None:
        super().__init__()
        column = SpacedColumn(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        per_page = columns * rows if len(buttons) > columns * (rows + 1) else len(buttons)
        self.groups = [buttons[i : i + per_page] for i in range(0, len(buttons), per_page)]
        for group in self.groups:
            self.stack.addWidget(option_grid(group, columns))
        column.addWidget(self.stack)
        self.nav = QWidget()
        row = SpacedRow(self.nav)
        row.setContentsMargins(0, 0, 0, 0)
        self.earlier = button(self.tr("Previous options"), f"field-{key}-earlier",
                              lambda: self.turn(-1))
        self.where = label("", name=f"field-{key}-group", wrap=False)
        self.later = button(self.tr("More options"), f"field-{key}-more", lambda: self.turn(+1))
        row.addWidget(self.earlier)
        row.addWidget(self.where, 0, Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.later)
        column.addWidget(self.nav)
        self.nav.setVisible(len(self.groups) > 1)
        self.turn(0)

    def turn(self, by: int) -> None:
        index = min(max(self.stack.currentIndex() + by, 0), len(self.groups) - 1)
        self.stack.setCurrentIndex(index)
        self.earlier.setEnabled(index > 0)
        self.later.setEnabled(index < len(self.groups) - 1)
        self.where.setText(f"{index + 1} / {len(self.groups)}")

    def show_button(self, b: QPushButton) -> None:
        for i, group in enumerate(self.groups):
            if b in group:
                self.turn(i - self.stack.currentIndex())


class ChoiceField(FieldWidget):
    """One option of a few, each a large toggle button; tapping another changes the answer."""

    exclusive = True

    def __init__(self, field: FormField, ctx: FieldContext) -> None:
        super().__init__(field, ctx)
        self.buttons: dict[str, QPushButton] = {}
        options = self.options()
        texts = [ctx.text(o.label) for o in options]
        for option, text in zip(options, texts, strict=True):
            self.buttons[option.value] = toggle(
                text, f"choice-{field.key}-{option.value}",
                partial(self._tapped, option.value),
            )
        self.group = QButtonGroup(self)
        self.group.setExclusive(self.exclusive)
        for b in self.buttons.values():
            self.group.addButton(b)
        self.pager = OptionPager(field.key, list(self.buttons.values()), ctx.columns_for(texts),
                                 ctx.rows_for_options())
        self.body.addWidget(self.pager)

    def options(self) -> tuple[Option, ...]:
        return self.field.options

    def _tapped(self, value: str) -> None:
        self.answer(value)

    def show_value(self) -> None:
        for value, b in self.buttons.items():
            b.setChecked(value == self._value)
        if self._value in self.buttons:
            self.pager.show_button(self.buttons[self._value])


class YesNoField(ChoiceField):
    def options(self) -> tuple[Option, ...]:
        return (Option("yes", {self.ctx.locale: self.tr("Yes")}),
                Option("no", {self.ctx.locale: self.tr("No")}))


class MultiChoiceField(ChoiceField):
    """Any number of options (within the field's bounds); the value lists them in the
    options' order, joined by commas, whatever order they were tapped in."""

    exclusive = False

    def __init__(self, field: FormField, ctx: FieldContext) -> None:
        super().__init__(field, ctx)
        if field.max_selected or field.min_selected:
            hint = self.tr("Choose %1 to %2").replace(
                "%1", str(field.min_selected or 1)
            ).replace("%2", str(field.max_selected or len(field.options)))
            self.heading.setText(f"{self.heading.text()}　{hint}")

    def _tapped(self, value: str) -> None:
        chosen = {v for v, b in self.buttons.items() if b.isChecked()}
        self.answer(",".join(o.value for o in self.field.options if o.value in chosen))

    def show_value(self) -> None:
        chosen = set(self._value.split(","))
        for value, b in self.buttons.items():
            b.setChecked(value in chosen)
