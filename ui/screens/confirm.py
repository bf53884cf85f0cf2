"""Confirm: everything the citizen is about to submit, masked, and one 提交 button."""

from __future__ import annotations

from kiosk import events as ev
from kiosk.flow import Step
from kiosk.receipts import form_lines

from ..messages import submit_interrupted, submit_problem
from ..operation import watch
from ..qt import QFrame, SpacedGrid
from ..widgets import button, clear_layout, label
from .base import Screen, UiContext


class ConfirmScreen(Screen):
    step = Step.CONFIRM

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.title.setText(self.tr("Please check, then submit"))
        self.panel = QFrame()
        self.panel.setProperty("role", "panel")
        self.grid = SpacedGrid(self.panel)
        self.layout_.addWidget(self.panel)
        self.error = label("", role="error", name="confirm-error")
        self.layout_.addWidget(self.error)
        self.layout_.addStretch(1)
        # Personal data is spoken only in audio mode (the headset: ADA 707.5's private
        # listening) and only when the citizen asks: this button, shown only then.
        self.read_button = button(self.tr("Read my details aloud"), "confirm-read",
                                  self.read_aloud)
        self.read_button.hide()
        self.layout_.addWidget(self.read_button)
        self._rows: list[tuple[str, str]] = []
        self.submit_button = button(self.tr("Submit"), "confirm-submit", self._submit, primary=True)
        self.layout_.addWidget(self.submit_button)

    def _audio_active(self) -> bool:
        return self.ctx.audio_active is not None and self.ctx.audio_active()

    def audio_mode_changed(self) -> None:
        self.read_button.setVisible(self._audio_active() and bool(self._rows))

    def read_aloud(self) -> None:
        """What is shown, row by row, into the headset; never through the loudspeaker."""
        if not self._audio_active() or not self._rows:
            return
        self.ctx.voice.say(self.tr("; ").join(
            self.tr("%1: %2").replace("%1", name).replace("%2", value)
            for name, value in self._rows))

    def _clear_grid(self) -> None:
        clear_layout(self.grid)
        self._rows = []
        self.read_button.hide()

    def enter(self) -> None:
        self.error.clear()
        self._clear_grid()
        s = self.core.flow.session
        if s.service is None or s.identity is None:
            return
        masked = s.identity.masked()
        rows = [
            (self.tr("Service"), s.service.text(self.ctx.locale)),
            (self.tr("Name"), masked.name),
            (self.tr("ID number"), masked.id_number),
        ]
        rows.extend(form_lines(s.service, s.form, self.ctx.locale))
        for r, (name, value) in enumerate(rows):
            self.grid.addWidget(label(name), r, 0)
            self.grid.addWidget(label(value, name=f"confirm-value-{r}"), r, 1)
        self._rows = rows
        self.audio_mode_changed()

    def leave(self) -> None:
        self._clear_grid()
        self.error.clear()

    def _submit(self) -> None:
        future = self.core.submit()
        if future is not None:  # None: a second tap, ignored by the flow
            watch(future, "submitting an application", self, failure=self._submit_broke)

    def _submit_broke(self, error: BaseException) -> None:
        """An unexpected fault, already logged; the core has taken the flow back to confirm.

        The step change was queued before this call, so the screen is shown and cleared first.
        Had the record been stored, the flow is on the receipt, which tells the citizen itself.
        """
        if self.core.flow.step is not Step.CONFIRM:
            return
        text = submit_interrupted()
        self.error.setText(text)
        self.ctx.voice.say(text)

    def on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.SubmitDidFail):
            text = submit_problem(event.code)
            self.error.setText(text)
            self.ctx.voice.say(text)
