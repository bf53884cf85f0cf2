"""What the technician panel's device, printer, outbox and log pages ask the running kiosk,
each answered in a future off the GUI thread.

Status queries and receipt jobs go to the kiosk's one device job thread (never beside a
print); what waits on a person or a slow tool (a test read, an A4 page watched to its end,
``lsblk``, mounting a stick) runs on a thread of its own, so a receipt never waits behind it.
Every job uses the kiosk's own live devices and open outbox. Each finished action is also
kept in the audit trail with the technician's staff number (the gate has already logged and
audited that the action was asked for).
"""

from __future__ import annotations

import logging
import subprocess
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, TypeVar

from kiosk.usb_media import Run, Stick, is_usb_stick, list_sticks

if TYPE_CHECKING:
    from kiosk.core import KioskCore
    from kiosk.diagnostics.device_watch import ReadEvent
    from kiosk.diagnostics.maintenance import PrinterFacts
    from kiosk.diagnostics.usb_jobs import UsbOutcome
    from kiosk.submission import PrintOutcome

log = logging.getLogger(__name__)
T = TypeVar("T")


def on_own_thread(work: Callable[[], T], name: str) -> Future[T]:
    answer: Future[T] = Future()

    def run() -> None:
        try:
            answer.set_result(work())
        except BaseException as exc:  # handed to whoever watches the future
            answer.set_exception(exc)

    threading.Thread(target=run, name=name, daemon=True).start()
    return answer


class TechnicianDesk:
    def __init__(self, core: KioskCore) -> None:
        self.core = core
        self.run: Run = subprocess.run  # lsblk, mount, udisksctl
        self.devices: tuple[str, ...] = ()  # ask lsblk about these only (tests: a loop device)
        self.accept: Callable[[dict[str, Any], dict[str, Any] | None], bool] = is_usb_stick

    def _audit(self, action: str, who: str, details: dict[str, Any]) -> None:
        """The action's result, as a second ``staff.action`` entry beside the gate's."""
        audit = getattr(self.core, "audit", None)
        if audit is not None:
            audit.record("staff.action", who, {"action": action, "result": details})

    # -- card readers and the QR code scanner -------------------------------------------------
    def test_read(self, who: str, seconds: float,
                  on_event: Callable[[ReadEvent], None]) -> Future[list[ReadEvent]]:
        from kiosk.diagnostics.device_watch import live_test_read

        core = self.core

        def work() -> list[ReadEvent]:
            events = live_test_read(core.readers, core.scanners, seconds, on_event)
            last = events[-1] if events else None
            log.info("test read by technician %s: %s", who,
                     "; ".join(f"{e.what} {e.detail}".strip() for e in events))
            self._audit("test_read", who,
                        {"outcome": last.what if last else "", "kind": last.detail if last else ""})
            return events

        return on_own_thread(work, "test-read")

    # -- printers -----------------------------------------------------------------------------
    def printer_facts(self) -> Future[PrinterFacts]:
        from kiosk.diagnostics.maintenance import printer_facts

        return self.core._work.submit(printer_facts, self.core.config, self.core.printer)

    def print_a4_test_page(self, who: str) -> Future[PrintOutcome]:
        from kiosk.diagnostics.maintenance import print_a4_test_page

        def work() -> PrintOutcome:
            outcome = print_a4_test_page(self.core.config, self.core.clock)
            self._audit("print_a4_test_page", who, {"printed": outcome.printed})
            return outcome

        return on_own_thread(work, "a4-test-page")

    # -- USB sticks ---------------------------------------------------------------------------
    def sticks(self) -> Future[list[Stick]]:
        return on_own_thread(lambda: list_sticks(self.devices, self.run, self.accept), "lsblk")

    def export_outbox(self, who: str, stick: Stick) -> Future[UsbOutcome]:
        from kiosk.diagnostics.usb_jobs import export_outbox

        return self._usb(who, "usb_export", stick, lambda: export_outbox(
            self.core.config, stick, self.core.clock.now(), self.run))

    def read_acks(self, who: str, stick: Stick) -> Future[UsbOutcome]:
        from kiosk.diagnostics.usb_jobs import read_acks

        def work() -> UsbOutcome:
            outcome = read_acks(self.core.config, self.core.outbox, stick, self.run)
            if outcome.done:
                self.core.worker.wake()  # the counts changed
            return outcome

        return self._usb(who, "usb_read_acks", stick, work)

    def export_logs(self, who: str, stick: Stick) -> Future[UsbOutcome]:
        from kiosk.diagnostics.usb_jobs import export_logs

        def work() -> UsbOutcome:
            # The kiosk's own live report, as on the overview (asked on the device job thread).
            report = self.core.health_report().result(timeout=120)
            return export_logs(self.core.config, stick, report, self.core.clock.now(), self.run)

        return self._usb(who, "export_logs", stick, work)

    def _usb(self, who: str, action: str, stick: Stick,
             work: Callable[[], UsbOutcome]) -> Future[UsbOutcome]:
        def audited() -> UsbOutcome:
            outcome = work()
            details: dict[str, Any] = {"device": stick.path, "done": outcome.done,
                                       "problem": outcome.problem, **outcome.figures}
            (log.info if outcome.done else log.warning)(
                "%s by technician %s on %s: %s", action, who, stick.path,
                outcome.figures if outcome.done else f"{outcome.problem}: {outcome.detail}")
            self._audit(action, who, details)
            return outcome

        return on_own_thread(audited, "usb-job")
