"""The card readers and QR code scanner page: each live device, its state, the kind of the
last card or code it read, and a live test read whose log fills in as things happen.

Only kinds are shown: a card's (resident ID, social-security card) and its ATR's, a code's
(electronic card code, receipt QR code, other) and length, a fault's reason in words; never a
card's data or a code's text (``kiosk.diagnostics.device_watch``).
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from kiosk.core import KioskCore
from kiosk.diagnostics.device_watch import TEST_READ_SECONDS, LastRead, ReadEvent

from ..operation import watch
from ..qt import QCoreApplication, Signal
from ..widgets import button, label
from .base import Guarded, Page

translate = QCoreApplication.translate


def kind_words(what: str, detail: str) -> str:
    if what == "card":
        return {
            "resident_id": translate("TechnicianDevices", "resident ID card"),
            "social_security": translate("TechnicianDevices", "social-security card"),
        }.get(detail, detail)
    if what == "code":
        return {
            "ecode": translate("TechnicianDevices", "electronic card code"),
            "receipt": translate("TechnicianDevices", "receipt QR code"),
            "other": translate("TechnicianDevices", "a code the kiosk does not use"),
        }.get(detail, detail)
    return fault_words(detail)


def fault_words(reason: str) -> str:
    return {
        "not_ssc": translate("TechnicianDevices", "not a social-security card (another kind "
                             "of card, or the wrong way round)"),
        "removed": translate("TechnicianDevices", "the card was taken out during the read"),
        "timeout": translate("TechnicianDevices", "the card did not answer in time"),
        "io": translate("TechnicianDevices", "the card could not be read (dirty, damaged or "
                        "badly placed)"),
        "malformed": translate("TechnicianDevices", "unreadable card: its data is not as "
                               "expected"),
        "mute": translate("TechnicianDevices", "unreadable card: it does not answer"),
        "no_service": translate("TechnicianDevices", "the reader or its service is not "
                                "available"),
        "not_started": translate("TechnicianDevices", "the device is not started"),
        "too_long": translate("TechnicianDevices", "the code was too long and was dropped"),
        "incomplete": translate("TechnicianDevices", "the code stopped arriving before its end"),
        "undecodable": translate("TechnicianDevices", "the code is no text in the configured "
                                 "encoding"),
    }.get(reason, reason)


def event_words(event: ReadEvent) -> str:
    device = event.device
    if event.what == "absent":
        return translate("TechnicianDevices", "%1: not there (%2)").replace(
            "%1", device).replace("%2", event.words)
    if event.what == "no_device":
        return translate("TechnicianDevices", "No card reader or scanner is there to test: "
                         "check the cable and the settings ([reader], [scanner]).")
    if event.what == "inserted":
        text = translate("TechnicianDevices", "%1: a card is in the reader").replace("%1", device)
        if event.detail:
            text += translate("TechnicianDevices", " (ATR: %1)").replace("%1", event.detail)
        return text
    if event.what == "card":
        return translate("TechnicianDevices", "%1: read a %2. The reader works.").replace(
            "%1", device).replace("%2", kind_words("card", event.detail))
    if event.what == "code":
        return translate("TechnicianDevices", "%1: read an %2 (%3 characters). The scanner "
                         "works.").replace("%1", device).replace(
            "%2", kind_words("code", event.detail)).replace("%3", event.words)
    if event.what == "nothing":
        return translate("TechnicianDevices", "No card and no code within %1 seconds.").replace(
            "%1", event.detail)
    return translate("TechnicianDevices", "%1: fault: %2").replace("%1", device).replace(
        "%2", fault_words(event.detail))


class DevicesPage(Page):
    # A test read's lines arrive on its own thread: a queued signal brings each to the page.
    logged = Signal(object)

    def __init__(self, core: KioskCore, guarded: Guarded, who: Callable[[], str]) -> None:
        super().__init__(core, translate("TechnicianDevices", "Card readers and QR code scanner"),
                         "technician-devices")
        self.who = who
        self.seconds = TEST_READ_SECONDS
        self.log = label("", name="technician-devices-log")
        self.text_panel.body.insertWidget(0, self.log)  # the test's log above the devices
        self.test_button = button(translate("TechnicianDevices", "Test read"),
                                  "technician-test-read", guarded("test_read", self._test))
        self.column.addWidget(self.test_button)
        self.logged.connect(self._append)
        self._lines: list[str] = []

    def load(self) -> None:
        lines: list[str] = []
        watched = self.core.device_watch
        for reader in self.core.readers:
            status = reader.status()
            lines.append(translate("TechnicianDevices", "Card reader %1 (%2): %3").replace(
                "%1", status.name).replace("%2", status.backend).replace(
                "%3", translate("TechnicianDevices", "ready") if status.present
                else translate("TechnicianDevices", "NOT THERE")))
            lines.append(f"  {status.detail}")
            lines.append(self._last_words(watched.last(status.name)))
        if not self.core.readers:
            lines.append(translate("TechnicianDevices", "No card reader is configured."))
        for scanner in self.core.scanners:
            found = scanner.status()
            lines.append(translate("TechnicianDevices", "QR code scanner %1: %2; %3 code(s) "
                                   "read since the start").replace("%1", found.name).replace(
                "%2", translate("TechnicianDevices", "ready") if found.present
                else translate("TechnicianDevices", "NOT THERE")).replace(
                "%3", str(found.codes_read)))
            lines.append(f"  {found.detail}")
            lines.append(self._last_words(watched.last(found.name)))
        if not self.core.scanners:
            lines.append(translate("TechnicianDevices", "No QR code scanner is configured "
                                   "([scanner] port)."))
        self.body.setText("\n".join(lines))

    def _last_words(self, last: LastRead | None) -> str:
        if last is None:
            return "  " + translate("TechnicianDevices", "Nothing read since the start.")
        return "  " + translate("TechnicianDevices", "Last: %1 at %2").replace(
            "%1", kind_words(last.what, last.detail)).replace(
            "%2", last.at.astimezone(ZoneInfo(self.core.config.kiosk.timezone))
            .strftime("%H:%M:%S"))

    def _test(self) -> None:
        self._lines = [translate("TechnicianDevices", "Test read: present a card or a code "
                                 "within %1 seconds…").replace("%1", f"{self.seconds:g}")]
        self.log.setText("\n".join(self._lines))
        self.test_button.setEnabled(False)
        future = self.core.technician.test_read(self.who(), self.seconds, self.logged.emit)
        watch(future, "a test read", self, success=self._finished,
              failure=lambda _e: self._finished([]))

    def _append(self, event: ReadEvent) -> None:
        self._lines.append(event_words(event))
        self.log.setText("\n".join(self._lines))

    def _finished(self, _events: list[ReadEvent]) -> None:
        self.test_button.setEnabled(True)
        self._lines.append(translate("TechnicianDevices", "Test read finished."))
        self.log.setText("\n".join(self._lines))
        self.load()

    def clear(self) -> None:
        super().clear()
        self.log.clear()
        self._lines = []
