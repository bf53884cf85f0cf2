"""Check progress: the citizen types the digits of the tracking number from the receipt."""

from __future__ import annotations

from kiosk.flow import Step

from ..qt import QHBoxLayout, QVBoxLayout, QWidget
from ..widgets import Keypad, button, label
from .base import Screen, UiContext


class TrackScreen(Screen):
    step = Step.TRACK

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.title.setText(self.tr("Check the progress of an application"))
        self.hint = label(self.tr(
            "Type the digits of the tracking number on your receipt (date, number and the "
            "last digit)."))
        self.layout_.addWidget(self.hint)
        row = QWidget()
        columns = QHBoxLayout(row)
        columns.setContentsMargins(0, 0, 0, 0)
        left = QWidget()
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        self.number = label("", role="tracking", name="track-number", wrap=False)
        self.answer = label("", name="track-answer")
        col.addWidget(self.number)
        col.addWidget(self.answer)
        col.addStretch(1)
        columns.addWidget(left, 1)
        self.keypad = Keypad(self._typed, max_len=13)
        columns.addWidget(self.keypad, 1)
        self.layout_.addWidget(row, 1)
        self.layout_.addWidget(button(self.tr("Look up"), "track-look-up", self._look_up,
                                      primary=True))
        self.digits = ""

    def enter(self) -> None:
        self.keypad.clear()
        self.answer.clear()

    def leave(self) -> None:
        self.keypad.clear()
        self.answer.clear()

    def _typed(self, digits: str) -> None:
        self.digits = digits
        parts = [digits[:8], digits[8:12], digits[12:]]
        code = self.core.config.kiosk.code
        self.number.setText("-".join([code, *[p for p in parts if p]]) if digits else "")

    def _look_up(self) -> None:
        answer = self.core.look_up_tracking(self.digits)
        if answer.outcome == "invalid":
            text = self.tr("This number is not complete or has a typing mistake. "
                           "Please check it against your receipt.")
        elif answer.outcome == "not_found":
            text = self.tr("This kiosk has no application with this number. Scan the code "
                           "on your receipt with your phone, or ask at the counter.")
        else:
            text = self.tr("%1: %2 (submitted %3)").replace("%1", answer.title).replace(
                "%2", self._status_words(answer.status)).replace("%3", answer.submitted_at)
        self.answer.setText(text)
        self.ctx.voice.say(text)

    def _status_words(self, status: str) -> str:
        words = {
            "queued": self.tr("accepted, waiting to be sent to the office"),
            "accepted": self.tr("accepted by the office"),
            "processing": self.tr("being processed"),
            "approved": self.tr("approved"),
            "rejected": self.tr("not approved; please ask at the counter"),
            "ready_for_pickup": self.tr("ready for pickup"),
        }
        return words.get(status, status)
