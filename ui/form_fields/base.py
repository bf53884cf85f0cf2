"""What every field widget shares: its heading (required or optional), help, error, value."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from kiosk.catalog import FormField, localized
from kiosk.catalog.regions import Regions

from ..qt import (
    QFont,
    QFontMetrics,
    QFrame,
    QPushButton,
    QSizePolicy,
    QWidget,
    SpacedColumn,
    SpacedGrid,
    SpacedRow,
)
from ..theme import Metrics
from ..widgets import button, label

if TYPE_CHECKING:
    from kiosk.core import KioskCore
    from kiosk.events import Event


@dataclass
class FieldContext:
    """What a field widget needs from its screen: words, sizes, the date, the region list."""

    locale: str
    metrics: Metrics
    width: int  # the width the field may take, in pixels
    today: date
    regions: Regions
    changed: Callable[[str], None]  # called with the field's key after each answer
    core: KioskCore | None = None
    room: int = 10_000  # the height one page of the form has for its fields, in pixels

    def text(self, texts: dict[str, str] | None) -> str:
        return localized(texts, self.locale) if texts else ""

    def text_width(self, text: str) -> int:
        """The width of ``text`` in the body font (plain labels)."""
        font = QFont()
        font.setPixelSize(self.metrics.body)
        return QFontMetrics(font).horizontalAdvance(text) + 4

    def button_width(self, text: str, tick: bool = True) -> int:
        """The width a bold button needs for ``text`` under the stylesheet (ui/theme.py)."""
        font = QFont()
        font.setPixelSize(self.metrics.body)
        font.setBold(True)
        padding = 4 * self.metrics.gap + 2 * 4 + 8  # the side padding, the focus border, slack
        advance = QFontMetrics(font).horizontalAdvance(TICK * tick + text)  # a toggle's tick
        return max(advance + padding, self.metrics.target)

    @property
    def row_height(self) -> int:
        """One row of buttons and the gap below it (min-height, border, gap: ui/theme.py)."""
        return self.metrics.target + 6 + self.metrics.gap + 1

    def rows_for_options(self) -> int:
        """Rows of option buttons a field may show at once, below its heading and error."""
        heading = round(self.metrics.heading * 1.5)
        line = round(self.metrics.body * 1.5)
        rows = (self.room - heading - line) // self.row_height - 1  # one for the page keys
        return max(rows, 2)

    def columns_for(self, texts: Sequence[str], most: int = 4, width: int | None = None) -> int:
        """How many buttons of these labels fit side by side in ``width`` (the field's)."""
        room = self.width if width is None else width
        widest = max((self.button_width(t) for t in texts), default=self.metrics.target)
        gap = self.metrics.gap + 1
        return max(1, min(most, len(texts) or 1, (room + gap) // (widest + gap)))


class FieldWidget(QFrame):
    """One field of a form. Subclasses build their input under ``self.body`` and call
    ``answer(value)`` whenever the citizen changes it; ``value()`` is what the flow keeps."""

    def __init__(self, field: FormField, ctx: FieldContext) -> None:
        super().__init__()
        self.field = field
        self.ctx = ctx
        self._value = ""
        self.setObjectName(f"field-{field.key}")
        column = SpacedColumn(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.label_text = ctx.text(field.label)
        mark = self.tr("%1 (required)") if field.required else self.tr("%1 (optional)")
        self.heading = label(mark.replace("%1", self.label_text), role="heading",
                             name=f"field-{field.key}-label")
        self.help = label(ctx.text(field.help), name=f"field-{field.key}-help") if field.help \
            else None
        self.error = label("", role="error", name=f"field-{field.key}-error")
        self.body = SpacedColumn()
        self.body.setContentsMargins(0, 0, 0, 0)
        if self.compact():
            # One row for the heading, the help and a refusal (which takes the help's place).
            top = QWidget()
            row = SpacedRow(top)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(self.heading)
            if self.help is not None:
                row.addWidget(self.help, 1)
            # What is left of the row, whatever the words: a refusal never widens the field.
            for words in (self.help, self.error):
                if words is not None:
                    words.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            row.addWidget(self.error, 1)
            column.addWidget(top)
            column.addLayout(self.body)
        else:
            column.addWidget(self.heading)
            if self.help is not None:
                column.addWidget(self.help)
            column.addLayout(self.body)
            # Room for one line of error is kept, so that a refusal does not push the page over.
            self.error.setMinimumHeight(self.error.fontMetrics().lineSpacing())
            column.addWidget(self.error)
        self.heading.setBuddy(self)

    def compact(self) -> bool:
        """Heading, help and refusal on one row: for a tall field on a wide page."""
        return False

    def error_beside(self, column: SpacedColumn) -> None:
        """Show refusals in ``column`` (under the answer, beside a keypad) instead of a row of
        their own below the field: a row of height saved on a short screen."""
        layout = self.layout()
        assert layout is not None
        layout.removeWidget(self.error)
        column.addWidget(self.error)
        column.addStretch(1)

    @property
    def key(self) -> str:
        return self.field.key

    def value(self) -> str:
        return self._value

    def set_value(self, value: str) -> None:
        """Show an answer kept from before (a page turned, Back from confirm)."""
        self._value = value
        self.show_value()

    def answer(self, value: str) -> None:
        self._value = value
        self.clear_error()
        self.show_value()
        self.ctx.changed(self.field.key)

    def show_value(self) -> None:
        """Make the input show ``self._value``."""

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        if self.help is not None and self.compact():
            self.help.hide()

    def clear_error(self) -> None:
        self.error.clear()
        if self.help is not None:
            self.help.show()

    def focus_input(self) -> None:
        first = self.findChild(QPushButton)
        if first is not None:
            first.setFocus()

    def on_event(self, event: Event) -> bool:
        """A core event while the form is shown; True if this field took it."""
        return False

    def leave(self) -> None:
        """The form is going away: stop anything that waits (a card read)."""


def option_grid(
    buttons: Sequence[QPushButton], columns: int, parent: QWidget | None = None
) -> QWidget:
    """Buttons in rows of ``columns``, left to right, as they read."""
    holder = QWidget(parent)
    grid = SpacedGrid(holder)
    grid.setContentsMargins(0, 0, 0, 0)
    for i, b in enumerate(buttons):
        grid.addWidget(b, i // columns, i % columns)
    return holder


TICK = "✓ "


def toggle(text: str, name: str, on_click: Callable[[], None]) -> QPushButton:
    """A large checkable button: an option a citizen can see is chosen, by colour and by a
    tick before its words (colour is never the only cue)."""
    b = button(text, name, on_click, checkable=True)
    b.toggled.connect(lambda on: b.setText(TICK + text if on else text))
    return b
