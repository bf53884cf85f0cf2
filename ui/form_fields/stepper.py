"""Answers chosen with large − and + buttons, nothing typed: a count, and a date as year,
month and day within the field's bounds."""

from __future__ import annotations

import calendar
from datetime import date
from functools import partial

from kiosk.catalog import FormField
from kiosk.catalog.fields import date_bound

from ..qt import QLabel, QWidget, SpacedColumn, SpacedGrid
from ..widgets import button, label
from .base import FieldContext, FieldWidget

EMPTY = "—"


class CountField(FieldWidget):
    """− the number +; the first tap starts from the smallest allowed."""

    def __init__(self, field: FormField, ctx: FieldContext) -> None:
        super().__init__(field, ctx)
        self.low = int(field.minimum) if isinstance(field.minimum, int | float) else 0
        self.high = int(field.maximum) if isinstance(field.maximum, int | float) else 999
        self.unit = ctx.text(field.unit) if field.unit else ""
        holder = QWidget()
        grid = SpacedGrid(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        self.minus = button("−", f"field-{field.key}-minus", lambda: self._step(-1))
        self.minus.setAccessibleName(self.tr("One less"))
        self.plus = button("+", f"field-{field.key}-plus", lambda: self._step(+1))
        self.plus.setAccessibleName(self.tr("One more"))
        self.display = label(EMPTY, role="heading", name=f"field-{field.key}-value", wrap=False)
        grid.addWidget(self.minus, 0, 0)
        grid.addWidget(self.display, 0, 1)
        grid.addWidget(self.plus, 0, 2)
        grid.setColumnStretch(1, 1)
        self.body.addWidget(holder)

    def _step(self, by: int) -> None:
        number = self.low if not self._value else int(self._value) + by
        self.answer(str(min(max(number, self.low), self.high)))

    def show_value(self) -> None:
        self.display.setText(f"{self._value} {self.unit}".strip() if self._value else EMPTY)
        if self._value:
            self.minus.setEnabled(int(self._value) > self.low)
            self.plus.setEnabled(int(self._value) < self.high)


def _clamp(day: date, low: date, high: date) -> date:
    return min(max(day, low), high)


def _moved(day: date, part: str, by: int) -> date:
    year, month = day.year, day.month
    if part == "day":
        return date.fromordinal(day.toordinal() + by)
    if part == "month":
        months = year * 12 + month - 1 + by
        year, month = divmod(months, 12)
        month += 1
    else:
        year += by
    year = min(max(year, 1), 9999)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class DateField(FieldWidget):
    """Year, month and day, each with + above and − below; never typed. Nothing is chosen
    until the first tap, which starts from today (or the nearest allowed day)."""

    PARTS = ("year", "month", "day")

    def __init__(self, field: FormField, ctx: FieldContext) -> None:
        super().__init__(field, ctx)
        far_past, far_future = date(1900, 1, 1), date(2100, 12, 31)
        self.low = (date_bound(field.minimum, ctx.today)
                    if isinstance(field.minimum, str) else far_past)
        self.high = (date_bound(field.maximum, ctx.today)
                     if isinstance(field.maximum, str) else far_future)
        self.start = _clamp(ctx.today, self.low, self.high)
        words = {"year": self.tr("Year"), "month": self.tr("Month"), "day": self.tr("Day")}
        self.shown: dict[str, QLabel] = {}
        holder = QWidget()
        grid = SpacedGrid(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        big_years = (self.high.year - self.low.year) > 10
        for column, part in enumerate(self.PARTS):
            cell = QWidget()
            col = SpacedColumn(cell)
            col.setContentsMargins(0, 0, 0, 0)
            steps = (10, 1) if part == "year" and big_years else (1,)
            plus_row = QWidget()
            plus = SpacedGrid(plus_row)
            plus.setContentsMargins(0, 0, 0, 0)
            minus_row = QWidget()
            minus = SpacedGrid(minus_row)
            minus.setContentsMargins(0, 0, 0, 0)
            for i, n in enumerate(steps):
                up = button(f"+{n}" if n > 1 else "+", f"field-{field.key}-{part}-plus{n}",
                            partial(self._step, part, n))
                up.setAccessibleName(self.tr("Later %1").replace("%1", words[part]))
                down = button(f"−{n}" if n > 1 else "−", f"field-{field.key}-{part}-minus{n}",
                              partial(self._step, part, -n))
                down.setAccessibleName(self.tr("Earlier %1").replace("%1", words[part]))
                plus.addWidget(up, 0, i)
                minus.addWidget(down, 0, i)
            value = label(EMPTY, role="heading", name=f"field-{field.key}-{part}", wrap=False)
            col.addWidget(label(words[part], wrap=False))
            col.addWidget(plus_row)
            col.addWidget(value)
            col.addWidget(minus_row)
            self.shown[part] = value
            grid.addWidget(cell, 0, column)
        self.body.addWidget(holder)

    def current(self) -> date | None:
        try:
            return date.fromisoformat(self._value) if self._value else None
        except ValueError:
            return None

    def _step(self, part: str, by: int) -> None:
        day = self.current()
        day = self.start if day is None else _clamp(_moved(day, part, by), self.low, self.high)
        self.answer(day.isoformat())

    def show_value(self) -> None:
        day = self.current()
        parts = {"year": day.year, "month": day.month, "day": day.day} if day else {}
        for part, shown in self.shown.items():
            shown.setText(str(parts[part]) if parts else EMPTY)
