"""Check progress: the citizen types the tracking number, then the query code from the receipt.

A tracking number can be guessed, so the kiosk tells nothing without the query code printed
under it (kiosk.tracking.lookup counts wrong codes and locks the number). The voice reads the
prompts and the answer, never the digits typed: the code is the citizen's secret.

With a QR code scanner, the receipt's QR code (which carries the number and the query code)
can be scanned instead of typing both; the lookup and its counting of wrong codes are the same.
"""

from __future__ import annotations

from kiosk import events as ev
from kiosk.flow import Step
from kiosk.tracking.numbers import QUERY_CODE_MAX_DIGITS

from ..messages import scan_problem
from ..qt import QWidget, SpacedRow
from ..scroll_panel import ScrollPanel
from ..widgets import Keypad, button, label
from .base import Screen, UiContext

NUMBER_DIGITS = 13  # date (8), daily number (4), check digit (1)


class TrackScreen(Screen):
    step = Step.TRACK

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.title.setText(self.tr("Check the progress of an application"))
        # The words stand beside the keypad, in a column that scrolls when they are long:
        # above it they left the keypad too little height at 1280x1024 in care mode (its keys
        # stood outside their panel, rows overlapping; tests/qt/test_measured_figures.py).
        row = QWidget()
        columns = SpacedRow(row)
        columns.setContentsMargins(0, 0, 0, 0)
        self.words = ScrollPanel("track")
        col = self.words.body
        self.hint = label("", name="track-hint")
        col.addWidget(self.hint)
        self.scan_hint = label(self.tr("Or hold the QR code on your receipt under the scanner."),
                               name="track-scan-hint")
        self.scan_hint.setVisible(bool(ctx.core.scanners))
        col.addWidget(self.scan_hint)
        if ctx.demo_scan is not None:
            scan = ctx.demo_scan
            col.addWidget(button(self.tr("Demo: scan the last receipt printed"),
                                 "demo-scan-receipt", lambda: scan("receipt")))
        self.number = label("", role="tracking", name="track-number", wrap=False)
        self.code = label("", role="tracking", name="track-code", wrap=False)
        self.answer = label("", name="track-answer")
        col.addWidget(self.number)
        col.addWidget(self.code)
        col.addWidget(self.answer)
        col.addStretch(1)
        columns.addWidget(self.words, 1)
        self.keypad = Keypad(self._typed, max_len=NUMBER_DIGITS)
        columns.addWidget(self.keypad, 1)
        self.layout_.addWidget(row, 1)
        self.next = button(self.tr("Next"), "track-next", self._next, primary=True)
        self.change = button(self.tr("Change the number"), "track-change-number",
                             self._type_number)
        self.look = button(self.tr("Look up"), "track-look-up", self._look_up, primary=True)
        bar = QWidget()  # side by side: one above the other took the keypad's height
        buttons = SpacedRow(bar)
        buttons.setContentsMargins(0, 0, 0, 0)
        for b in (self.next, self.change, self.look):
            buttons.addWidget(b, 1)
        self.layout_.addWidget(bar)
        self.digits = ""
        self.query_code = ""
        self._typing_code = False
        self._type_number(clear=True)

    def enter(self) -> None:
        self._type_number(clear=True)

    def leave(self) -> None:
        self._type_number(clear=True)

    def _type_number(self, clear: bool = False) -> None:
        self._typing_code = False
        self.query_code = ""
        self.code.clear()
        self.code.hide()
        self.answer.clear()
        self.hint.setText(self.tr(
            "Type the digits of the tracking number on your receipt (date, number and the "
            "last digit)."))
        self.next.show()
        self.change.hide()
        self.look.hide()
        self.keypad.start("" if clear else self.digits, NUMBER_DIGITS)

    def _type_code(self, speak: bool = True) -> None:
        self._typing_code = True
        self.answer.clear()
        self.hint.setText(self.tr(
            "Now type the query code printed under the tracking number on your receipt."))
        self.code.show()
        self.next.hide()
        self.change.show()
        self.look.show()
        self.keypad.start("", QUERY_CODE_MAX_DIGITS)
        if speak:
            self.ctx.voice.say(self.hint.text())

    def _typed(self, value: str) -> None:
        if self._typing_code:
            self.query_code = value
            self.code.setText(value)
            return
        self.digits = value
        parts = [value[:8], value[8:12], value[12:]]
        kiosk_code = self.core.config.kiosk.code
        self.number.setText("-".join([kiosk_code, *[p for p in parts if p]]) if value else "")

    def _next(self) -> None:
        if self.core.tracking_digits_valid(self.digits):
            self._type_code()
            return
        self._say(self.tr("This number is not complete or has a typing mistake. "
                          "Please check it against your receipt."))

    def _look_up(self) -> None:
        answer = self.core.look_up_tracking(self.digits, self.query_code)
        if answer.outcome == "invalid":
            self._type_number()
            text = self.tr("This number is not complete or has a typing mistake. "
                           "Please check it against your receipt.")
        elif answer.outcome == "code_incomplete":
            text = self.tr("The query code is not complete. It has 8 digits and is printed "
                           "under the tracking number.")
        elif answer.outcome == "refused":
            self.keypad.clear()  # type the code again; the number stays
            text = self.tr("No application matches this number and query code. Please check "
                           "both against your receipt, or ask at the counter.")
        else:
            text = self.tr("%1: %2 (submitted %3)").replace("%1", answer.title).replace(
                "%2", self._status_words(answer.status)).replace("%3", answer.submitted_on)
        self._say(text)

    def _say(self, text: str) -> None:
        self.answer.setText(text)
        self.ctx.voice.say(text)

    def on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.ReceiptCodeDidScan):
            self._type_number(clear=True)
            self.keypad.start(event.digits, NUMBER_DIGITS)  # the number shows as if typed
            self._type_code(speak=False)
            self.keypad.start(event.query_code)
            self._look_up()
        elif isinstance(event, ev.ScanDidFail):
            self._say(scan_problem(event.reason))

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
