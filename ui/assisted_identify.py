"""Identification with staff help: the citizen's ID number typed on the kiosk, then a hall
staff member confirms it with their own credential (built the first time it opens).

The number is typed on the large keypad (digits and X) and checked before staff are asked; a
staff member signs in with their staff number and PIN (``SignInPage``: the PIN is never shown
or spoken) and must hold the ``confirm_identification`` right (hall staff, not technicians).
Then the core identifies the citizen with the number, marked as staff-assisted with the staff
member's id (docs/identification.md). Closing the panel drops the typed number.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.catalog import FormError
from kiosk.core import KioskCore
from kiosk.identification import check_typed_number
from kiosk.staff.sign_in import staff_gate

from .form_fields.keyed import group_id_number
from .form_fields.messages import form_problem
from .idle_close import IdleClose
from .qt import QFrame, QWidget, SpacedColumn, SpacedRow
from .staff_sign_in import SignInPage
from .voice import Voice
from .widgets import Keypad, button, label

if TYPE_CHECKING:
    from sync.staff_credentials import Person

ID_LENGTH = 18


class AssistedIdentifyPanel(QFrame):
    """Over the window, from the identify screen: type the number, then staff confirm it."""

    def __init__(self, core: KioskCore, parent: QWidget, voice: Voice,
                 closed: Callable[[], None] = lambda: None) -> None:
        super().__init__(parent)
        self._closed = closed
        self._over = parent
        self.core = core
        self.voice = voice
        self.setObjectName("assist-panel")
        self.setProperty("role", "panel")
        self.gate = staff_gate(core.config, core.clock, getattr(core, "audit", None))
        col = SpacedColumn(self)
        self.heading = label("", role="heading", name="assist-heading")
        self.number = label("", role="tracking", name="assist-number", wrap=False)
        self.status = label("", role="error", name="assist-status")
        for w in (self.heading, self.number, self.status):
            col.addWidget(w)
        self.typing = QWidget()
        typing = SpacedColumn(self.typing)
        typing.setContentsMargins(0, 0, 0, 0)
        self.keypad = Keypad(self._typed, max_len=ID_LENGTH, extra_keys=("X",))
        typing.addWidget(self.keypad)
        row = SpacedRow()
        row.addWidget(button(self.tr("Next"), "assist-number-next", self._next, primary=True))
        row.addWidget(button(self.tr("Cancel"), "assist-cancel", self.close_panel))
        typing.addLayout(row)
        col.addWidget(self.typing)
        self.page = SignInPage(self.gate, prefix="assist", say=voice.say)
        self.page.signed_in.connect(self._signed_in)
        self.page.cancelled.connect(self.close_panel)
        col.addWidget(self.page)
        self._value = ""
        self._idle = IdleClose(self, self.close_panel)
        self.idle_timer = self._idle.timer
        self.hide()

    def open_panel(self) -> None:
        if self.isVisible():
            return
        self._type_number()
        self.setGeometry(self._over.rect())
        self.show()
        self.raise_()
        self._idle.arm()
        self.voice.say(self.heading.text())

    def close_panel(self) -> None:
        """Drop the number and any sign-in in progress."""
        self._idle.disarm()
        self.page.reset()
        self._value = ""
        self.keypad.value = ""
        self.number.clear()
        self._say_problem("")
        if self.isVisible():
            self.hide()
            self._closed()

    def _say_problem(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))
        if text:
            self.voice.say(text)

    def _type_number(self) -> None:
        self._value = ""
        self.keypad.start("", ID_LENGTH)
        self._say_problem("")
        self.heading.setText(self.tr("Type your ID number; then a staff member confirms it"))
        self.typing.show()
        self.page.hide()

    def _typed(self, value: str) -> None:
        if "X" in value[:-1] or ("X" in value and len(value) != ID_LENGTH):
            self.keypad.value = value = value[:-1]  # X only as the last of 18 characters
        self._value = value
        self.number.setText(group_id_number(value))

    def _next(self) -> None:
        verdict = check_typed_number(self._value, self.core.flow.today())
        if not verdict.ok:
            text = form_problem(FormError("id_number", verdict.message, "id_number"), None,
                                self._value, self.core.flow.today())
            self._say_problem(text)
            return
        self._say_problem("")
        self.heading.setText(self.tr("Staff member: sign in to confirm this ID number"))
        self.typing.hide()
        self.page.reset()
        self.page.show()
        self.voice.say(self.heading.text())

    def _signed_in(self, person: Person) -> None:
        if not self.gate.perform(person, "confirm_identification"):
            self.gate.sign_out(person, "may not confirm identification")
            self.page.reset(self.tr("%1 is signed in as a technician; hall staff confirm "
                                    "identification.").replace("%1", person.name))
            return
        number = self._value
        try:
            self.core.confirm_typed_number(number, person.person_id)
        finally:
            self.gate.sign_out(person, "identification confirmed")
        self.close_panel()
