"""The staff call on screen: shown in the footer of every screen while the call lasts.

It says where the call stands (called, staff have seen it, or, offline, that the call shows
on this kiosk only; the whole sentence is spoken), lets the citizen who raised it cancel it
during their visit, and lets hall staff clear it after signing in with their own number and
PIN (role ``staff``): with the "Staff: clear" button once the visit is over, or at any time
by holding the call's text for three seconds. One call button at a time, so the footer stays
one row high in care mode. The call itself lives in the core (``kiosk.staff.calls``); this
only renders it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.core import KioskCore

from .long_press import LongPress
from .qt import QSizePolicy, QWidget, SpacedRow
from .voice import Voice
from .widgets import button, label

if TYPE_CHECKING:  # the sign-in panel and what it needs load when staff first open it
    from kiosk.staff.calls import StaffCall
    from sync.staff_credentials import Person

    from .call_clear import StaffClearPanel


class CallBanner(QWidget):
    """Placed in the footer row of every screen: a banner of its own would not leave the
    longest screens room in care mode at 1080 lines."""

    def __init__(self, core: KioskCore, voice: Voice, window: QWidget) -> None:
        super().__init__()
        self.core = core
        self.voice = voice
        self.setObjectName("call-banner")
        row = SpacedRow(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.text = label("", name="call-status")
        row.addWidget(self.text, 1)
        self.cancel_button = button(self.tr("Cancel my call"), "call-cancel", self.cancel)
        self.staff_button = button(self.tr("Staff: clear"), "call-staff-clear",
                                   self.open_sign_in)
        for b in (self.cancel_button, self.staff_button):
            b.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            row.addWidget(b, 0)
        self._window = window
        self._sign_in: StaffClearPanel | None = None
        self._long_press = LongPress(self.text, self.open_sign_in)  # staff, during a visit
        self.hide()

    @property
    def sign_in(self) -> StaffClearPanel:
        """The staff sign-in panel, built the first time it is needed."""
        if self._sign_in is None:
            from .call_clear import StaffClearPanel

            self._sign_in = StaffClearPanel(self.core, self._window, self._cleared_by)
        return self._sign_in

    def message(self, call: StaffCall) -> str:
        """What the citizen hears about the open call: the whole sentence."""
        if call.state == "acknowledged":
            return self.tr("Staff have seen your call and are on their way.")
        if self.core.poller.online is False:
            return self.tr("The network is down: your call shows on this kiosk only. Staff "
                           "will see it in their list when the network is back.")
        return self.tr("A member of staff has been called and will come to you.")

    def status(self, call: StaffCall) -> str:
        """What the footer shows: short, so the longest screens keep their room."""
        if call.state == "acknowledged":
            return self.tr("Staff have seen your call.")
        if self.core.poller.online is False:
            return self.tr("Offline: call shown on this kiosk only.")
        return self.tr("Staff have been called.")

    def refresh(self) -> StaffCall | None:
        """Show the open call, or hide; the cancel button only during the raising visit."""
        call = self.core.calls.current() if self.core.linked else None  # not yet: no outbox
        if call is None:
            self.hide()
            if self._sign_in is not None:
                self._sign_in.close_panel()
            return None
        self.text.setText(self.status(call))
        self.text.setToolTip(self.message(call))
        self.text.setAccessibleDescription(self.message(call))
        cancellable = self.core.calls.citizen_may_cancel(call)
        self.cancel_button.setVisible(cancellable)
        self.staff_button.setVisible(not cancellable)
        self.show()
        return call

    def cancel(self) -> None:
        if self.core.calls.cancel() is not None:
            self.voice.say(self.tr("Your call has been cancelled."))
        self.refresh()

    def open_sign_in(self) -> None:
        self.sign_in.open_panel()

    def _cleared_by(self, person: Person) -> None:
        self.refresh()
        self.voice.say(self.tr("The call has been cleared by %1.").replace("%1", person.name))
