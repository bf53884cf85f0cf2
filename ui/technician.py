"""The technician's panel: hidden behind a long press and a personal sign-in, it shows the
diagnostics.

Reached by holding the header title for three seconds, then a staff number and PIN (see
``ui.staff_sign_in``); only a technician gets in, and the panel closes itself after two
minutes without a touch. Every action is authorised and logged with the person's staff number.
Diagnostics read the kiosk's own live devices on its device job thread, print jobs run on the
same thread; results and errors come back through ``ui.operation``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from kiosk.core import KioskCore
from kiosk.diagnostics.diagnose import render_text
from kiosk.paper_roll import RollEstimate
from kiosk.staff.sign_in import authorize, staff_gate
from kiosk.submission import PrintOutcome
from sync.staff_credentials import Person

from .idle_close import IdleClose
from .lockdown import leave_kiosk
from .operation import watch
from .qt import QFrame, QStackedWidget, QWidget, SpacedColumn
from .scroll_panel import ScrollPanel
from .staff_sign_in import SignInPage
from .technician_pages import (
    DevicesPage,
    LogsPage,
    NetworkPage,
    OutboxPage,
    PrintersPage,
    SystemPage,
)
from .widgets import ReflowRow, button, label


class TechnicianPanel(QFrame):
    def __init__(self, core: KioskCore, parent: QWidget) -> None:
        super().__init__(parent)
        self.core = core
        self.setObjectName("technician-panel")
        self.setProperty("role", "panel")
        self.gate = staff_gate(core.config, core.clock, getattr(core, "audit", None))
        self.person: Person | None = None
        self.pages = QStackedWidget()
        SpacedColumn(self).addWidget(self.pages)

        self.sign_in = SignInPage(self.gate)
        self.sign_in.signed_in.connect(self._signed_in)
        self.sign_in.cancelled.connect(self.close_panel)
        self.pages.addWidget(self.sign_in)

        signed_in = QFrame()
        outer = SpacedColumn(signed_in)
        self.signed_in_as = label("", name="technician-person")
        outer.addWidget(self.signed_in_as)
        tabs = ReflowRow()  # one row while the words fit (care mode, portrait: more rows)
        outer.addWidget(tabs)
        self.tabs = QStackedWidget()
        outer.addWidget(self.tabs, 1)

        report_page = QFrame()
        col = SpacedColumn(report_page)
        col.addWidget(label(self.tr("Diagnostics"), role="heading"))
        # The report scrolls and the buttons stand two to a row: one above the other under
        # the whole report they overlapped at 1280x1024 and clipped the report in care mode
        # on the portrait screen (tests/qt/test_measured_more_screens.py).
        self.report_panel = ScrollPanel("technician-report")
        self.report = label("", name="technician-report")
        self.report_panel.body.addWidget(self.report)
        self.report_panel.body.addStretch(1)
        col.addWidget(self.report_panel, 1)
        self.job_status = label("", name="technician-job")
        col.addWidget(self.job_status)
        actions = ReflowRow()  # as many to a row as their words fit
        for action in (
            button(self.tr("Check again"), "technician-refresh",
                   self._guarded("diagnose", self.refresh)),
            button(self.tr("Print a test page"), "technician-test-page",
                   self._guarded("print_test_page",
                                 lambda: self._job(self.core.print_test_page()))),
            button(self.tr("Reprint the last receipt"), "technician-reprint",
                   self._guarded("reprint", lambda: self._job(self.core.reprint_last()))),
            button(self.tr("New paper roll fitted"), "technician-new-roll",
                   self._guarded("new_paper_roll", self._new_roll)),
            button(self.tr("Close"), "technician-close", self.close_panel, primary=True),
            button(self.tr("Quit the kiosk program"), "technician-quit",
                   self._guarded("quit", leave_kiosk)),
        ):
            actions.add(action)
        col.addWidget(actions)
        ctx = getattr(parent, "ctx", None)

        def voice_state() -> str:
            return ctx.voice.state() if ctx is not None else "unknown"

        def who() -> str:
            return self.person.person_id if self.person is not None else ""

        self.concerns: list[tuple[str, QFrame]] = [
            ("overview", report_page),
            ("devices", DevicesPage(core, self._guarded, who)),
            ("printers", PrintersPage(core, self._guarded, who)),
            ("network", NetworkPage(core)),
            ("outbox", OutboxPage(core, self._guarded, who)),
            ("system", SystemPage(core, voice_state)),
            ("logs", LogsPage(core, self._guarded, who)),
        ]
        names = {"overview": self.tr("Overview"), "devices": self.tr("Readers"),
                 "printers": self.tr("Printers"), "network": self.tr("Network"),
                 "outbox": self.tr("Outbox"),
                 "system": self.tr("System"), "logs": self.tr("Log")}
        for index, (key, page) in enumerate(self.concerns):
            self.tabs.addWidget(page)
            tabs.add(button(names[key], f"technician-tab-{key}",
                            functools.partial(self.show_concern, index)))
        self.pages.addWidget(signed_in)

        self._idle = IdleClose(self, lambda: self.close_panel("idle for two minutes"))
        self.idle_timer = self._idle.timer
        self.hide()

    def open_panel(self) -> None:
        if self.isVisible():
            return  # already open (perhaps with someone signed in): a long press changes nothing
        self.sign_in.reset()
        self.pages.setCurrentIndex(0)
        parent = self.parentWidget()
        if parent is None:
            return  # never: the panel is made as a child of the window
        w, h = parent.width(), parent.height()
        self.setGeometry(w // 6, h // 12, w * 2 // 3, h * 10 // 12)
        self.show()
        self.raise_()
        self._idle.arm()

    def close_panel(self, reason: str = "closed") -> None:
        self._idle.disarm()
        self.sign_in.reset()
        if self.person is not None:
            self.gate.sign_out(self.person, reason)
            self.person = None
        self.signed_in_as.clear()
        self.report.clear()
        self.job_status.clear()
        for _key, page in self.concerns[1:]:
            page.clear()  # type: ignore[attr-defined]
        self.tabs.setCurrentIndex(0)
        self.pages.setCurrentIndex(0)
        self.hide()

    def show_concern(self, index: int) -> None:
        """One page per concern; each asks the kiosk afresh when it is shown."""
        if self.person is None:
            return
        self.tabs.setCurrentIndex(index)
        page = self.concerns[index][1]
        if index == 0:
            self.refresh()
        else:
            page.load()  # type: ignore[attr-defined]

    def _signed_in(self, person: Person) -> None:
        if not self.gate.perform(person, "open_panel"):
            self.gate.sign_out(person, "not a technician")
            self.sign_in.reset(self.tr("%1 is signed in as hall staff; the technician panel "
                                       "needs a technician.").replace("%1", person.name))
            return
        self.person = person
        self.signed_in_as.setText(self.tr("Signed in: %1 (%2)").replace("%1", person.name)
                                  .replace("%2", person.person_id))
        self.pages.setCurrentIndex(1)
        self.refresh()

    def _guarded(self, action: str, do: Callable[[], Any]) -> Callable[[], None]:
        """``do`` only for a signed-in person whose role allows ``action``; logged either way."""
        authorize(None, action)  # an unknown action name fails here, when the panel is built

        def run() -> None:
            if self.gate.perform(self.person, action):
                do()

        return run

    def refresh(self) -> None:
        self.report.setText(self.tr("Checking…"))
        # The kiosk's own live devices, worker and outbox: never a second printer or client.
        watch(self.core.health_report(), "diagnostics", self,
              success=self._show_report, failure=self._report_failed)

    def _job(self, future: Future[PrintOutcome]) -> None:
        self.job_status.setText(self.tr("Printing…"))
        watch(future, "a technician's print job", self,
              success=self._show_job, failure=self._job_failed)

    def _new_roll(self) -> None:
        """Counters start again; the technician's staff number is kept with the change."""
        if self.person is None:
            return
        watch(self.core.new_paper_roll(self.person.person_id), "a new paper roll", self,
              success=self._roll_recorded, failure=self._roll_failed)

    def _roll_recorded(self, estimate: RollEstimate) -> None:
        self.job_status.setText(
            self.tr("New paper roll recorded: about %1 receipts left.")
            .replace("%1", str(estimate.receipts_left)))
        self.refresh()

    def _roll_failed(self, error: BaseException) -> None:
        self.job_status.setText(self.tr("The new paper roll was not recorded: %1")
                                .replace("%1", _describe(error)))

    def _job_failed(self, error: BaseException) -> None:
        self.job_status.setText(self.tr("The print job failed: %1").replace("%1", _describe(error)))

    def _show_job(self, outcome: PrintOutcome) -> None:
        self.job_status.setText(
            self.tr("Printed.") if outcome.printed else self.tr("Not printed: %1").replace(
                "%1", outcome.message)
        )

    def _show_report(self, report: dict[str, Any]) -> None:
        if self.isVisible() and self.pages.currentIndex() == 1:
            self.report.setText(render_text(report))

    def _report_failed(self, error: BaseException) -> None:
        if self.isVisible() and self.pages.currentIndex() == 1:
            self.report.setText(self.tr("The check failed: %1").replace("%1", _describe(error)))


def _describe(error: BaseException) -> str:
    """Technicians see the error's kind and words; the traceback is in the log."""
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
