"""The panel where hall staff sign in to clear a staff call (built the first time it opens)."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.core import KioskCore
from kiosk.staff.sign_in import staff_gate
from sync.staff_credentials import Person

from .idle_close import IdleClose
from .qt import QFrame, QWidget, SpacedColumn
from .staff_sign_in import SignInPage
from .widgets import label


class StaffClearPanel(QFrame):
    """Hall staff sign in here to clear the call; nothing else can be done from it."""

    def __init__(
        self, core: KioskCore, parent: QWidget, cleared: Callable[[Person], None]
    ) -> None:
        super().__init__(parent)
        self._window = parent
        self.core = core
        self._cleared = cleared
        self.setObjectName("call-clear-panel")
        self.setProperty("role", "panel")
        self.gate = staff_gate(core.config, core.clock, getattr(core, "audit", None))
        col = SpacedColumn(self)
        col.addWidget(label(self.tr("Staff sign-in to clear the call"), role="heading"))
        self.page = SignInPage(self.gate, prefix="call-clear")
        self.page.signed_in.connect(self._signed_in)
        self.page.cancelled.connect(self.close_panel)
        col.addWidget(self.page)
        self._idle = IdleClose(self, self.close_panel)
        self.idle_timer = self._idle.timer
        self.hide()

    def open_panel(self) -> None:
        if self.isVisible():
            return
        self.page.reset()
        w, h = self._window.width(), self._window.height()
        self.setGeometry(w // 6, h // 12, w * 2 // 3, h * 10 // 12)
        self.show()
        self.raise_()
        self._idle.arm()

    def close_panel(self) -> None:
        if not self.isVisible():
            return
        self._idle.disarm()
        self.page.reset()
        self.hide()

    def _signed_in(self, person: Person) -> None:
        if not self.gate.perform(person, "clear_call"):
            self.gate.sign_out(person, "may not clear calls")
            self.page.reset(self.tr("%1 is signed in as a technician; calls are cleared by hall "
                                    "staff.").replace("%1", person.name))
            return
        try:
            self.core.calls.clear(person)
        finally:
            self.gate.sign_out(person, "call cleared")
        self.close_panel()
        self._cleared(person)
