"""The technician's panel: hidden behind a long press and a PIN, it shows the diagnostics.

Reached by holding the header title for three seconds; a PIN with lockout keeps citizens out.
Diagnostics run on a thread of their own (they talk to the printer and the platform), print jobs
on the core's worker; results and errors come back through ``ui.operation``.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from kiosk.app import KioskCore
from kiosk.diagnose import render_text
from kiosk.submission import PrintOutcome
from kiosk.technician import PinGate

from .operation import watch
from .qt import QApplication, QEvent, QFrame, QObject, QStackedWidget, QTimer, QVBoxLayout
from .widgets import Keypad, button, label

LONG_PRESS_MS = 3000


class TechnicianPanel(QFrame):
    def __init__(self, core: KioskCore, parent: QFrame) -> None:
        super().__init__(parent)
        self.core = core
        self.setObjectName("technician-panel")
        self.setProperty("role", "panel")
        self.gate = PinGate(core.config.kiosk.staff_pin, core.clock)
        self._pin = ""
        self.pages = QStackedWidget()
        QVBoxLayout(self).addWidget(self.pages)

        pin_page = QFrame()
        col = QVBoxLayout(pin_page)
        col.addWidget(label(self.tr("Staff PIN"), role="heading"))
        self.pin_display = label("", role="heading", name="technician-pin")
        self.pin_status = label("", role="error", name="technician-pin-status")
        col.addWidget(self.pin_display)
        col.addWidget(self.pin_status)
        self.keypad = Keypad(self._typed, max_len=12)
        col.addWidget(self.keypad)
        col.addWidget(button(self.tr("Open"), "technician-open", self._try_pin, primary=True))
        col.addWidget(button(self.tr("Cancel"), "technician-cancel", self.close_panel))
        self.pages.addWidget(pin_page)

        report_page = QFrame()
        col = QVBoxLayout(report_page)
        col.addWidget(label(self.tr("Diagnostics"), role="heading"))
        self.report = label("", name="technician-report")
        col.addWidget(self.report, 1)
        self.job_status = label("", name="technician-job")
        col.addWidget(self.job_status)
        col.addWidget(button(self.tr("Check again"), "technician-refresh", self.refresh))
        col.addWidget(button(self.tr("Print a test page"), "technician-test-page",
                             lambda: self._job(self.core.print_test_page())))
        col.addWidget(button(self.tr("Reprint the last receipt"), "technician-reprint",
                             lambda: self._job(self.core.reprint_last())))
        col.addWidget(button(self.tr("Close"), "technician-close", self.close_panel, primary=True))
        col.addWidget(button(self.tr("Quit the kiosk program"), "technician-quit",
                             QApplication.quit))
        self.pages.addWidget(report_page)
        self.hide()

    def open_panel(self) -> None:
        self._pin = ""
        self.keypad.clear()
        self.pin_status.clear()
        self.pages.setCurrentIndex(0)
        parent = self.parentWidget()
        w, h = parent.width(), parent.height()
        self.setGeometry(w // 6, h // 12, w * 2 // 3, h * 10 // 12)
        self.show()
        self.raise_()

    def close_panel(self) -> None:
        self._pin = ""
        self.keypad.clear()
        self.report.clear()
        self.job_status.clear()
        self.hide()

    def _typed(self, value: str) -> None:
        self._pin = value
        self.pin_display.setText("●" * len(value))

    def _try_pin(self) -> None:
        verdict = self.gate.check(self._pin)
        self.keypad.clear()
        if verdict.ok:
            self.pages.setCurrentIndex(1)
            self.refresh()
        elif verdict.locked_for:
            minutes = max(1, round(verdict.locked_for / 60))
            self.pin_status.setText(self.tr("Too many wrong PINs. Locked for %n minute(s).", "",
                                            minutes))
        else:
            self.pin_status.setText(self.tr("Wrong PIN. %n tries left.", "", verdict.tries_left))

    def refresh(self) -> None:
        self.report.setText(self.tr("Checking…"))
        # The kiosk's own live devices, worker and outbox: never a second printer or client.
        watch(self.core.health_report(), "diagnostics", self,
              success=self._show_report, failure=self._report_failed)

    def _job(self, future: Future[PrintOutcome]) -> None:
        self.job_status.setText(self.tr("Printing…"))
        watch(future, "a technician's print job", self,
              success=self._show_job, failure=self._job_failed)

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


class LongPress(QObject):
    """Calls ``action`` when the watched widget is held down for LONG_PRESS_MS."""

    def __init__(self, watched: QObject, action: Any) -> None:
        super().__init__(watched)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(LONG_PRESS_MS)
        self._timer.timeout.connect(action)
        watched.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self._timer.start()
        elif event.type() in (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd):
            self._timer.stop()
        return False
