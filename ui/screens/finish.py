"""The optional 好差评 rating, then the reminder to take the card."""

from __future__ import annotations

from functools import partial

from kiosk.flow import Step

from ..qt import QTimer, QWidget, SpacedColumn
from ..widgets import ReflowRow, button, label
from .base import Screen, UiContext

FAREWELL_SECONDS = 10


class RatingScreen(Screen):
    step = Step.RATING

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.title.setText(self.tr("How satisfied are you with this service?"))
        levels = [
            (5, self.tr("Very satisfied")),
            (4, self.tr("Satisfied")),
            (3, self.tr("Basically satisfied")),
            (2, self.tr("Dissatisfied")),
            (1, self.tr("Very dissatisfied")),
        ]
        # One row while the words fit, else two or more (English on the portrait screen).
        row_of_levels = ReflowRow([button(text, f"rate-{level}", partial(self._rate, level))
                                   for level, text in levels])
        self.layout_.addWidget(row_of_levels)
        self.reasons = QWidget()
        box = SpacedColumn(self.reasons)
        box.addWidget(label(self.tr("Why? Please choose one:")))
        reasons_row = ReflowRow()
        box.addWidget(reasons_row)
        for code, text in [
            ("slow", self.tr("Too slow")),
            ("unclear", self.tr("Hard to understand")),
            ("device", self.tr("Device problem")),
            ("other", self.tr("Other")),
        ]:
            reasons_row.add(button(text, f"reason-{code}", partial(self._reason, code)))
        self.reasons.hide()
        self.layout_.addWidget(self.reasons)
        self.layout_.addStretch(1)
        self.layout_.addWidget(button(self.tr("Skip"), "rate-skip", lambda: self._rate(None)))
        self._level: int | None = None

    def enter(self) -> None:
        self._level = None
        self.reasons.hide()

    def _rate(self, level: int | None) -> None:
        if level is not None and level <= 2:
            self._level = level
            self.reasons.show()
            self.ctx.voice.say(self.tr("Why? Please choose one:"))
            return
        self.core.flow.rate(level)

    def _reason(self, code: str) -> None:
        self.core.flow.rate(self._level, code)


class FarewellScreen(Screen):
    step = Step.FAREWELL

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.title.setText(self.tr("Please take your card and your receipt. Thank you!"))
        self.layout_.addStretch(1)
        self.layout_.addWidget(
            button(self.tr("Back to the home screen"), "farewell-home", self.core.flow.reset,
                   primary=True)
        )
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FAREWELL_SECONDS * 1000)
        self._timer.timeout.connect(self.core.flow.reset)

    def enter(self) -> None:
        self._timer.start()

    def leave(self) -> None:
        self._timer.stop()
