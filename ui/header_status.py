"""The header's date and time and the network state in words, and the offline banner.

Time is the kiosk's injected clock in the kiosk's time zone (``[kiosk] timezone``), never the
machine's. The network state is what the platform poller last saw; before its first answer
(and before the outbox half of the core is attached, at start) the kiosk says it is checking.
The banner, shown only while offline, gives the time the platform last answered or took an
upload, and what offline means for the citizen (ACCESSIBILITY.md 16).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.core import KioskCore

from .qt import QCoreApplication, QDate, QLocale, QTimer, QWidget, SpacedColumn
from .widgets import label


def network_online(core: KioskCore) -> bool | None:
    return core.poller.online if core.linked else None


def last_contact(core: KioskCore) -> datetime | None:
    """When the platform last answered a health check or took an upload (UTC), if ever."""
    moments = [core.contact.at]
    if core.linked:
        moments.append(core.worker.health().last_success_at)
    known = [m for m in moments if m is not None]
    return max(known) if known else None


class HeaderStatus(QWidget):
    """Two short lines at the header's right: the date and time, and the network state."""

    def __init__(self, core: KioskCore, locale: str) -> None:
        super().__init__()
        self.setObjectName("header-status")
        self.core = core
        self._tz = ZoneInfo(core.config.kiosk.timezone)
        self._locale = QLocale(locale)
        column = SpacedColumn(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.clock = label("", name="header-clock", wrap=False)
        self.network = label("", name="header-network", wrap=False)
        column.addWidget(self.clock)
        column.addWidget(self.network)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)  # the minute changes on time; the text only then
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def set_locale(self, locale: str) -> None:
        """The date in ``locale``'s words, and the network state in its language, at once."""
        self._locale = QLocale(locale)
        self.clock.setText("")
        self.network.setText("")
        self.refresh()

    def local_now(self) -> datetime:
        return self.core.clock.now().astimezone(self._tz)

    def when(self, moment: datetime) -> str:
        """A moment in the kiosk's time zone as a citizen reads it: 12月2日 星期三 14:05."""
        local = moment.astimezone(self._tz)
        day = self._locale.toString(QDate(local.year, local.month, local.day),
                                    QCoreApplication.translate("HeaderStatus", "dddd d MMMM"))
        return f"{day} {local:%H:%M}"

    def refresh(self) -> None:
        text = self.when(self.local_now())
        if self.clock.text() != text:
            self.clock.setText(text)
        online = network_online(self.core)
        if online is None:
            words = QCoreApplication.translate("HeaderStatus", "Network: checking")
        elif online:
            words = QCoreApplication.translate("HeaderStatus", "Network: connected")
        else:
            words = QCoreApplication.translate("HeaderStatus", "Network: offline")
        if self.network.text() != words:
            self.network.setText(words)
            self.network.setAccessibleName(words)

    def offline_text(self) -> str:
        """The banner's text while offline ("" when not)."""
        if network_online(self.core) is not False:
            return ""
        last = last_contact(self.core)
        if last is not None:
            since = QCoreApplication.translate(
                "HeaderStatus", "Last sync: %1.").replace(
                "%1", self.when(last))
        else:
            since = QCoreApplication.translate(
                "HeaderStatus", "Never synced yet.")
        return QCoreApplication.translate(
            "HeaderStatus", "Offline. %1 Greyed services need the network; the rest are sent "
            "when it is back.").replace(
            "%1", since)
