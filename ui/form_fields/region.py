"""A place from the region list (district → street → community), and an address: that place
plus the building and room, typed on a keypad of digits and the few words addresses use."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.catalog import FormField
from kiosk.catalog.regions import Region

from ..qt import QPushButton, QSizePolicy, QStackedWidget, QWidget, SpacedColumn, SpacedRow
from ..widgets import Keypad, button, clear_layout, label
from .base import FieldContext, FieldWidget, option_grid
from .keyed import flush, keypad_width

# Building and room as Harbin addresses write them: 3栋2单元501室, 12号楼1单元302, 5-2-301.
ADDRESS_KEYS = ("栋", "单元", "室", "号", "楼", "层", "-")


class RegionPicker(QWidget):
    """Buttons for one level at a time: the districts, then the chosen district's streets, then
    the street's communities, down to ``level``; the path chosen so far stays on show. Once the
    place is chosen, ``done`` (the address's keypad) takes the buttons' room; the room kept is
    that of the longest list, so the page never grows as the citizen goes down the levels."""

    def __init__(self, key: str, level: str, ctx: FieldContext,
                 chosen: Callable[[str], None], done: QWidget | None = None) -> None:
        super().__init__()
        self.key, self.level, self.ctx, self._chosen = key, level, ctx, chosen
        self.code = ""  # the place chosen so far, at any level
        column = SpacedColumn(self)
        column.setContentsMargins(0, 0, 0, 0)
        top = QWidget()
        top_row = SpacedRow(top)
        top_row.setContentsMargins(0, 0, 0, 0)
        self.path = label("", name=f"field-{key}-path")
        self.up = button(self.tr("Choose again"), f"field-{key}-again", self._again)
        self.up.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        top_row.addWidget(self.path, 1)
        top_row.addWidget(self.up)
        column.addWidget(top)
        self.stages = QStackedWidget()
        self.grid_page = QWidget()
        self.choices = SpacedColumn(self.grid_page)
        self.choices.setContentsMargins(0, 0, 0, 0)
        self.stages.addWidget(self.grid_page)
        self.done = done or QWidget()
        self.stages.addWidget(self.done)
        rows = widest_level_rows(ctx)
        self.grid_page.setMinimumHeight(rows * ctx.metrics.target + (rows - 1) * ctx.metrics.gap)
        column.addWidget(self.stages)
        self.show_code("")

    def _name(self, region: Region) -> str:
        return self.ctx.text(region.name)

    def show_code(self, code: str) -> None:
        regions = self.ctx.regions
        self.code = code if regions.get(code) is not None else ""
        path = regions.path(self.code) if self.code else ()
        self.path.setText(" › ".join(self._name(r) for r in path) if path
                          else self.tr("Please choose the district"))
        self.up.setEnabled(bool(path))
        clear_layout(self.choices)
        node = path[-1] if path else None
        if node is not None and node.level == self.level:
            self.stages.setCurrentWidget(self.done)
            return
        self.stages.setCurrentWidget(self.grid_page)
        below = (regions.children(node.code) if node is not None
                 else tuple(regions.by_code[c] for c in regions.districts))
        texts = [self._name(r) for r in below]
        buttons: list[QPushButton] = [
            button(t, f"region-{self.key}-{r.code}", lambda c=r.code: self._tap(c))
            for r, t in zip(below, texts, strict=True)
        ]
        self.choices.addWidget(option_grid(buttons, self.ctx.columns_for(texts, most=5)))
        self.choices.addStretch(1)

    def _tap(self, code: str) -> None:
        self.show_code(code)
        region = self.ctx.regions.get(code)
        self._chosen(code if region is not None and region.level == self.level else "")

    def _again(self) -> None:
        self.show_code("")
        self._chosen("")


def widest_level_rows(ctx: FieldContext) -> int:
    """Rows of buttons the longest list of the region list takes (the page keeps room)."""
    regions = ctx.regions
    lists = [tuple(regions.by_code[c] for c in regions.districts)]
    lists += [regions.children(c) for c in regions.by_code if regions.by_code[c].children]
    rows = 1
    for items in lists:
        columns = ctx.columns_for([ctx.text(r.name) for r in items], most=5)
        rows = max(rows, -(-len(items) // columns))
    return rows


class RegionField(FieldWidget):
    def __init__(self, field: FormField, ctx: FieldContext) -> None:
        super().__init__(field, ctx)
        self.picker = RegionPicker(field.key, field.level or "community", ctx, self.answer)
        self.body.addWidget(self.picker)

    def show_value(self) -> None:
        if self.picker.code != self._value and self._value:
            self.picker.show_code(self._value)


class AddressField(FieldWidget):
    """First the community from the list, then the building and room on a keypad."""

    def __init__(self, field: FormField, ctx: FieldContext) -> None:
        super().__init__(field, ctx)
        self.code, self.detail = "", ""
        detail_row = QWidget()
        self.detail_shown = label("", role="heading", name=f"field-{field.key}-detail")
        self.keypad = Keypad(self._typed, max_len=field.detail_max_length or 30,
                             extra_keys=ADDRESS_KEYS)
        self.keypad.setObjectName(f"field-{field.key}-keypad")
        flush(self.keypad)
        width = keypad_width(ctx, 5)
        self.keypad.setMaximumWidth(width)
        row = SpacedRow(detail_row) if ctx.width >= 2 * width else SpacedColumn(detail_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.detail_shown, 1)
        row.addWidget(self.keypad)
        self.picker = RegionPicker(field.key, field.level or "community", ctx, self._place,
                                   done=detail_row)
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
