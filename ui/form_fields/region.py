"""A place from the region list (district → street → community), and an address: that place
plus the building and room, typed on a keypad of digits and the few words addresses use."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from kiosk.catalog import FormField
from kiosk.catalog.regions import Region

from ..qt import (
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QWidget,
    SpacedColumn,
    SpacedRow,
)
from ..widgets import Keypad, button, clear_layout, label
from .base import FieldContext, FieldWidget, option_grid
from .keyed import beside, flush, keypad_width

# Building and room as Harbin addresses write them: 3栋2单元501室, 12号楼1单元302, 5-2-301.
ADDRESS_KEYS = ("栋", "单元", "室", "号", "楼", "层", "-")


def widest_level_rows(ctx: FieldContext) -> int:
    """Rows of buttons the longest list of the region list takes (the picker keeps room)."""
    regions = ctx.regions
    lists = [tuple(regions.by_code[c] for c in regions.districts)]
    lists += [regions.children(c) for c in regions.by_code if regions.by_code[c].children]
    rows = 1
    for items in lists:
        columns = ctx.columns_for([ctx.text(r.name) for r in items], most=5)
        rows = max(rows, -(-len(items) // columns))
    return rows


class RegionPicker(QStackedWidget):
    """Two stages in the same room. Choosing: the path so far, "choose again", and buttons for
    one level at a time (districts, the district's streets, the street's communities) down to
    ``level``, with the refusal under them. Chosen: the place and "choose again" on the left,
    then what ``extra`` adds (an address's building and room, and its keypad on the right)."""

    def __init__(self, key: str, level: str, ctx: FieldContext, chosen: Callable[[str], None],
                 error: QLabel, extra: tuple[QWidget, QWidget] | None = None) -> None:
        super().__init__()
        self.key, self.level, self.ctx, self._chosen = key, level, ctx, chosen
        self.code = ""  # the place chosen so far, at any level
        choosing = QWidget()
        column = SpacedColumn(choosing)
        column.setContentsMargins(0, 0, 0, 0)
        top = QWidget()
        top_row = SpacedRow(top)
        top_row.setContentsMargins(0, 0, 0, 0)
        self.path = label("", name=f"field-{key}-path")
        self.up = self._again_button("again")
        top_row.addWidget(self.path, 1)
        top_row.addWidget(self.up)
        column.addWidget(top)
        grid = QWidget()
        self.choices = SpacedColumn(grid)
        self.choices.setContentsMargins(0, 0, 0, 0)
        rows = widest_level_rows(ctx)
        grid.setMinimumHeight(rows * ctx.metrics.target + (rows - 1) * ctx.metrics.gap)
        column.addWidget(grid)
        self.choose_error = label("", role="error", name=f"field-{key}-choose-error")
        self.choose_error.setMinimumHeight(self.choose_error.fontMetrics().lineSpacing())
        column.addWidget(self.choose_error)
        self.addWidget(choosing)
        done = QWidget()
        done_row = SpacedRow(done) if extra is None or beside(ctx, 5, ctx.width) \
            else SpacedColumn(done)
        done_row.setContentsMargins(0, 0, 0, 0)
        left = SpacedColumn()
        self.place = label("", name=f"field-{key}-place")
        left.addWidget(self.place)
        left.addWidget(self._again_button("again-place"))
        if extra is not None:
            left.addWidget(extra[0])
        left.addWidget(error)
        left.addStretch(1)
        done_row.addLayout(left, 1)
        if extra is not None:
            done_row.addWidget(extra[1])
        self.addWidget(done)
        self.show_code("")

    def _again_button(self, name: str) -> QPushButton:
        b = button(self.tr("Choose again"), f"field-{self.key}-{name}", self.again)
        b.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        return b

    def _name(self, region: Region) -> str:
        return self.ctx.text(region.name)

    def show_code(self, code: str) -> None:
        regions = self.ctx.regions
        self.code = code if regions.get(code) is not None else ""
        path = regions.path(self.code) if self.code else ()
        words = " › ".join(self._name(r) for r in path)
        self.path.setText(words or self.tr("Please choose the district"))
        self.place.setText(words)
        self.up.setEnabled(bool(path))
        clear_layout(self.choices)
        node = path[-1] if path else None
        if node is not None and node.level == self.level:
            self.setCurrentIndex(1)
            return
        self.setCurrentIndex(0)
        below = (regions.children(node.code) if node is not None
                 else tuple(regions.by_code[c] for c in regions.districts))
        texts = [self._name(r) for r in below]
        buttons: list[QPushButton] = [
            button(t, f"region-{self.key}-{r.code}", partial(self._tap, r.code))
            for r, t in zip(below, texts, strict=True)
        ]
        self.choices.addWidget(option_grid(buttons, self.ctx.columns_for(texts, most=5)))
        self.choices.addStretch(1)

    def _tap(self, code: str) -> None:
        self.show_code(code)
        region = self.ctx.regions.get(code)
        self._chosen(code if region is not None and region.level == self.level else "")

    def again(self) -> None:
        self.show_code("")
        self._chosen("")


class PlaceField(FieldWidget):
    """A field whose refusal shows at either stage of its picker, under what is on show."""

    def take_error(self) -> QLabel:
        layout = self.layout()
        assert layout is not None
        layout.removeWidget(self.error)
        return self.error

    def show_error(self, text: str) -> None:
        super().show_error(text)
        self.picker.choose_error.setText(text)

    def clear_error(self) -> None:
        super().clear_error()
        self.picker.choose_error.clear()

    picker: RegionPicker


class RegionField(PlaceField):
    def __init__(self, field: FormField, ctx: FieldContext) -> None:
        super().__init__(field, ctx)
        self.picker = RegionPicker(field.key, field.level or "community", ctx, self.answer,
                                   self.take_error())
        self.body.addWidget(self.picker)

    def show_value(self) -> None:
        if self.picker.code != self._value and self._value:
            self.picker.show_code(self._value)


class AddressField(PlaceField):
    """First the community from the list, then the building and room on a keypad."""

    def __init__(self, field: FormField, ctx: FieldContext) -> None:
        super().__init__(field, ctx)
        self.code, self.detail = "", ""
        self.detail_shown = label("", role="heading", name=f"field-{field.key}-detail")
        self.keypad = Keypad(self._typed, max_len=field.detail_max_length or 30,
                             extra_keys=ADDRESS_KEYS)
        self.keypad.setObjectName(f"field-{field.key}-keypad")
        flush(self.keypad)
        self.keypad.setMaximumWidth(keypad_width(ctx, 5))
        self.picker = RegionPicker(field.key, field.level or "community", ctx, self._place,
                                   self.take_error(), extra=(self.detail_shown, self.keypad))
        self.body.addWidget(self.picker)
        self.show_value()

    def _place(self, code: str) -> None:
        self.code = code
        self._publish()

    def _typed(self, detail: str) -> None:
        self.detail = detail
        self._publish()

    def _publish(self) -> None:
        self.answer(f"{self.code}|{self.detail}" if self.code else "")

    def show_value(self) -> None:
        code, _, detail = self._value.partition("|")
        if code != self.picker.code and code:
            self.picker.show_code(code)
        self.code, self.detail = code, detail
        if self.keypad.value != detail:
            self.keypad.value = detail
        self.detail_shown.setText(detail or self.tr("Building and room, e.g. 3栋2单元501室"))
