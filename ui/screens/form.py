"""The short form: big choice buttons and a digit keypad; nothing else to type."""

from __future__ import annotations

from kiosk.catalog import FormError, localized
from kiosk.flow import Step

from ..qt import QButtonGroup, QLabel, QWidget, SpacedColumn, SpacedRow
from ..widgets import Keypad, button, discard, label
from .base import Screen, UiContext


class FormScreen(Screen):
    step = Step.FORM

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.title.setText(self.tr("Please fill in"))
        self.body = QWidget()
        self.fields = SpacedRow(self.body)
        self.layout_.addWidget(self.body, 1)
        self.error = label("", role="error", name="form-error")
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(button(self.tr("Next"), "form-next", self._next, primary=True))
        self.values: dict[str, str] = {}
        self._field_labels: dict[str, str] = {}

    def enter(self) -> None:
        service = self.core.flow.session.service
        self.values = {}
        self.error.clear()
        self._new_body()
        if service is None:
            return
        for f in service.form:
            column = QWidget()
            col = SpacedColumn(column)
            col.setContentsMargins(0, 0, 0, 0)
            text = localized(f.label, self.ctx.locale)
            self._field_labels[f.key] = text
            heading = QWidget()
            heading_row = SpacedRow(heading)
            heading_row.setContentsMargins(0, 0, 0, 0)
            heading_row.addWidget(label(text, role="heading", wrap=False))
            col.addWidget(heading)
            if f.kind == "choice":
                group = QButtonGroup(column)
                group.setExclusive(True)
                for option in f.options:
                    b = button(
                        localized(option.label, self.ctx.locale),
                        f"choice-{f.key}-{option.value}",
                        lambda k=f.key, v=option.value: self.values.__setitem__(k, v),
                    )
                    b.setCheckable(True)
                    group.addButton(b)
                    col.addWidget(b)
            elif f.kind == "phone":
                shown = label("", role="heading", name=f"field-{f.key}", wrap=False)
                heading_row.addWidget(shown, 1)
                col.addWidget(
                    Keypad(lambda v, k=f.key, s=shown: self._typed(k, v, s), max_len=12)
                )
            col.addStretch(1)
            self.fields.addWidget(column)

    def _typed(self, key: str, value: str, shown: QLabel) -> None:
        self.values[key] = value
        # Grouped 3-4-4 as people read phone numbers aloud.
        grouped = " ".join(p for p in (value[:3], value[3:7], value[7:]) if p)
        shown.setText(f"：{grouped}" if value else "")

    def _new_body(self) -> None:
        discard(self.body)
        self.body = QWidget()
        self.fields = SpacedRow(self.body)
        self.fields.setContentsMargins(0, 0, 0, 0)
        self.layout_.insertWidget(1, self.body, 1)

    def leave(self) -> None:
        self.values = {}
        self.error.clear()
        self._new_body()  # the typed phone number goes with the old widgets

    def _next(self) -> None:
        try:
            self.core.flow.submit_form(dict(self.values))
        except FormError as exc:
            name = self._field_labels.get(exc.field, "")
            text = self.tr("Please check: %1").replace("%1", name)
            self.error.setText(text)
            self.ctx.voice.say(text)
