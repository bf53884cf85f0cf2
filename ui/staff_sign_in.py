"""Staff sign-in: staff number, then PIN, on one digit keypad; the check runs off the GUI thread.

The PIN shows as dots, is never spoken (the keypad's digit keys lose their accessible names
while it is typed) and is dropped from the widget as soon as the check starts. A failed
attempt never says whether the number or the PIN was wrong.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from kiosk.staff.sign_in import SignInVerdict, StaffGate

from .qt import QFrame, QObject, Signal, SpacedColumn, SpacedRow
from .widgets import Keypad, button, label


class _Relay(QObject):
    checked = Signal(int, object)  # attempt number, SignInVerdict


class SignInPage(QFrame):
    """Emits ``signed_in(person)`` after a good sign-in; ``cancelled`` on Cancel."""

    signed_in = Signal(object)
    cancelled = Signal()

    def __init__(self, gate: StaffGate, prefix: str = "technician",
                 say: Callable[[str], None] = lambda _text: None) -> None:
        """``prefix`` starts the object names, so two sign-in pages never share them. ``say``
        speaks the PIN step's heading and every problem, the same words as shown (never a
        digit typed)."""
        super().__init__()
        self.gate = gate
        self._say = say
        self._id = ""
        self._pin = ""
        self._attempt = 0
        self._relay = _Relay()
        self._relay.checked.connect(self._checked)
        col = SpacedColumn(self)
        self.heading = label("", role="heading", name=f"{prefix}-sign-in-heading")
        self.id_display = label("", role="heading", name=f"{prefix}-id")
        self.pin_display = label("", role="heading", name=f"{prefix}-pin")
        self.status = label("", role="error", name=f"{prefix}-pin-status")
        for w in (self.heading, self.id_display, self.pin_display, self.status):
            col.addWidget(w)
        self.keypad = Keypad(self._typed, max_len=12)
        col.addWidget(self.keypad)
        row = SpacedRow()
        self.next_button = button(self.tr("Next"), f"{prefix}-next", self._next, primary=True)
        self.open_button = button(self.tr("Open"), f"{prefix}-open", self._open, primary=True)
        row.addWidget(self.next_button)
        row.addWidget(self.open_button)
        row.addWidget(button(self.tr("Cancel"), f"{prefix}-cancel", self.cancelled.emit))
        col.addLayout(row)
        self.reset()

    @property
    def checking(self) -> bool:
        return not self.keypad.isEnabled()

    def reset(self, status: str = "") -> None:
        """Back to the staff number; nothing typed is kept. A check in flight is disowned."""
        self._attempt += 1
        self._id = self._pin = ""
        self._stage("id")
        self.status.setText(status)
        if status:
            self._say(status)

    def _stage(self, stage: str) -> None:
        self._stage_name = stage
        pin = stage == "pin"
        self.keypad.set_secret(pin)
        self.keypad.clear()
        self.keypad.setEnabled(True)
        self.heading.setText(self.tr("Your PIN") if pin else self.tr("Your staff number"))
        self.pin_display.setVisible(pin)
        self.next_button.setVisible(not pin)
        self.open_button.setVisible(pin)
        self.open_button.setEnabled(True)
        if not pin:
            self.id_display.clear()

    def _typed(self, value: str) -> None:
        if self._stage_name == "pin":
            self._pin = value
            self.pin_display.setText("●" * len(value))
        else:
            self._id = value
            self.id_display.setText(value)

    def _next(self) -> None:
        if not self._id:
            self.status.setText(self.tr("Enter your staff number first."))
            self._say(self.status.text())
            return
        self.status.clear()
        self._stage("pin")
        self._say(self.heading.text())

    def _open(self) -> None:
        person_id, pin = self._id, self._pin
        self._pin = ""
        self.keypad.value = ""  # the PIN leaves the widgets now; only the worker has it
        self.pin_display.setText("●" * len(pin))
        self.keypad.setEnabled(False)
        self.open_button.setEnabled(False)
        self.status.setText(self.tr("Checking…"))
        self._attempt += 1
        attempt, relay, gate = self._attempt, self._relay, self.gate

        def work() -> None:
            verdict = gate.sign_in(person_id, pin)
            try:
                relay.checked.emit(attempt, verdict)
            except RuntimeError:  # the window is gone: nothing to tell
                if verdict.ok and verdict.person is not None:
                    gate.sign_out(verdict.person, "window closed")

        threading.Thread(target=work, name="staff-sign-in", daemon=True).start()

    def _checked(self, attempt: int, verdict: SignInVerdict) -> None:
        if attempt != self._attempt:  # cancelled or closed while it was checked
            if verdict.ok and verdict.person is not None:
                self.gate.sign_out(verdict.person, "cancelled during the check")
            return
        if verdict.ok:
            self.reset()
            self.signed_in.emit(verdict.person)
            return
        if verdict.reason == "locked":
            minutes = max(1, round(verdict.locked_for / 60))
            text = self.tr("Too many wrong attempts. Locked for %n minute(s).", "", minutes)
        elif verdict.reason == "no_credentials":
            text = self.tr("No staff credentials on this kiosk yet. They come from the platform, "
                           "or root sets a local one with: kiosk technician set-pin")
        else:
            text = self.tr("Staff number or PIN not recognised. %n tries left.", "",
                           verdict.tries_left)
        self.reset(text)
