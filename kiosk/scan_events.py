"""QR code scanner callbacks (on the scanner's thread) turned into flow steps and typed events.

On the identify step (and on 我的办件 before the citizen is identified) an electronic card
code is resolved by the platform (on the device job
thread, so the scanner's thread never waits on the network); on the 查询办理进度 screen a
receipt's QR code stands for the typed tracking number and query code. Anything else is said
in words and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from devices.scanners.base import ScannedCode, ScannerCallbacks, ScannerError
from kiosk import events as ev
from kiosk.flow import Flow, Step
from kiosk.tracking.scanned import receipt_code
from sync.platform.ecodes import looks_like_ecode


class ScanEvents:
    def __init__(self, flow: Flow, events: ev.EventBus, kiosk_code: str,
                 resolve: Callable[[str], None]) -> None:
        self.flow = flow
        self.events = events
        self.kiosk_code = kiosk_code
        self._resolve = resolve  # queues the platform question on the device job thread

    def callbacks(self) -> ScannerCallbacks:
        return ScannerCallbacks(code_did_scan=self.scanned, scanner_did_fail=self.failed)

    def scanned(self, code: ScannedCode) -> None:
        step = self.flow.step
        if step is Step.IDENTIFY or (step is Step.RECORDS and self._records_identifying()):
            if looks_like_ecode(code.text):
                self.events.publish(ev.EcodeDidScan())
                self._resolve(code.text)
            else:
                self._refuse("unknown_code", "This is not an electronic card code.")
        elif step is Step.TRACK:
            found = receipt_code(code.text)
            if found is None:
                self._refuse("unknown_code", "This is not the QR code of a receipt.")
            elif found.kiosk_code != self.kiosk_code:
                self._refuse("other_kiosk", "This receipt was issued at another kiosk.")
            else:
                self.events.publish(ev.ReceiptCodeDidScan(found.digits, found.query_code))
        else:
            self._refuse("not_expected", "There is nothing to scan on this screen.")

    def _records_identifying(self) -> bool:
        """我的办件 waits for the citizen to identify (a card, or an electronic code)."""
        visit = self.flow.session.records
        return visit is not None and visit.stage.value == "identify"

    def failed(self, error: ScannerError) -> None:
        if self.flow.step in (Step.IDENTIFY, Step.TRACK, Step.RECORDS):
            self._refuse(error.reason, error.message)

    def _refuse(self, reason: str, message: str) -> None:
        self.events.publish(ev.ScanDidFail(reason, message))
