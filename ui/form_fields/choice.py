"""Answers from a list: one option (large toggle buttons), several options, yes or no."""

from __future__ import annotations

from kiosk.catalog import FormField, Option

from ..qt import QButtonGroup, QPushButton
from .base import FieldContext, FieldWidget, option_grid, toggle


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
                lambda v=option.value: self._tapped(v),
            )
        self.group = QButtonGroup(self)
        self.group.setExclusive(self.exclusive)
        for b in self.buttons.values():
            self.group.addButton(b)
        self.body.addWidget(option_grid(list(self.buttons.values()), ctx.columns_for(texts)))

    def options(self) -> tuple[Option, ...]:
        return self.field.options

    def _tapped(self, value: str) -> None:
        self.answer(value)

    def show_value(self) -> None:
        for value, b in self.buttons.items():
            b.setChecked(value == self._value)


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
