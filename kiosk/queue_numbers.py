"""取号: a queue number for a service that needs a window, and its ticket on the receipt printer.

Online, the platform gives the number of this hall's window queue and says how many wait
ahead (sync.platform.queue); the request carries an id made once per tap, so the one retry
after a timeout cannot take a second number. When the platform cannot be asked, or answers
an error or nonsense, the kiosk gives a local number with its own code (``K0451-007``), from a
counter in its data directory that starts again each local day (the injected clock, the
kiosk's time zone), and the ticket says it is a local number that window staff will fit in.
Nothing personal is needed or kept: no card, no name. See docs/queue-numbers.md.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from devices.printers.base import PrinterError, ReceiptPrinter
from devices.printers.receipt import Line, WidthMm
from devices.printers.receipt_kinds import QueueTicket, layout_queue_ticket
from sync.atomic_file import write_atomic
from sync.clock import Clock
from sync.platform.errors import PlatformError, PlatformUnavailable
from sync.platform.queue import QueueTicketRequest, TicketAnswer
from sync.uuid7 import uuid7

from . import events as ev
from .catalog import Service
from .catalog.site import Site, Window

if TYPE_CHECKING:
    from .core import KioskCore

log = logging.getLogger(__name__)

LOCAL_COUNTER_FILE = "queue_numbers.json"
ONLINE_NOTE = "请留意叫号屏幕及语音提示，过号请重新取号。"
LOCAL_NOTE = ("网络暂时不通，这是本机临时号。请到窗口出示本号，工作人员会为您安排办理。")
_ZH_DIGITS = dict(zip("0123456789", "零一二三四五六七八九", strict=True))


class QueueClient(Protocol):
    """What the desk needs of a platform client (sync.platform.client.PlatformClient)."""

    def take_queue_number(self, request: QueueTicketRequest) -> TicketAnswer: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class QueueNumber:
    ticket: str  # B015 from the platform, K0451-007 from this kiosk
    local: bool
    service_code: str
    window_key: str
    issued_at: datetime  # aware, in the hall's time zone
    waiting_ahead: int | None  # None for a local number: this kiosk cannot know


@dataclass(frozen=True)
class TicketPrint:
    printed: bool
    message: str = ""


class QueueError(Exception):
    """No number could be given at all (no window here, or the local counter cannot be kept)."""


def window_of(service: Service, site: Site) -> Window | None:
    """The hall's window queue for a window service: the first ``window:KEY`` of its guide's
    places that this hall has; None when the service has none here (it sends elsewhere)."""
    if service.channel != "window":
        return None
    for ref in service.where:
        kind, _, key = ref.partition(":")
        if kind == "window" and key in site.windows:
            return site.windows[key]
    return None


def spoken_ticket(ticket: str, locale: str) -> str:
    """The number read out one character at a time (``B015`` -> ``B 零 一 五``)."""
    chars = [c for c in ticket if c.isalnum()]
    if locale == "zh_CN":
        chars = [_ZH_DIGITS.get(c, c) for c in chars]
    return " ".join(chars)


class LocalCounter:
    """This kiosk's own numbers, one count per local day, kept across restarts.

    A small JSON file in the data directory, replaced whole (write, fsync, rename) and
    readable by the kiosk's account only, so a power cut never gives a number twice.
    """

    def __init__(self, path: Path, zone: ZoneInfo) -> None:
        self.path = path
        self.zone = zone
        self._lock = threading.Lock()

    def next(self, now: datetime) -> int:
        day = now.astimezone(self.zone).date().isoformat()
        with self._lock:
            last = 0
            try:
                doc = json.loads(self.path.read_text("utf-8"))
                if isinstance(doc, dict) and doc.get("day") == day:
                    last = int(doc.get("last", 0))
            except FileNotFoundError:
                pass
            except (ValueError, OSError) as exc:
                # A damaged file: start the day's count after what it held, if anything
                log.warning("local queue counter unreadable (%s); counting on from 0", exc)
            number = max(last, 0) + 1
            body = json.dumps({"day": day, "last": number}).encode("utf-8")
            write_atomic(self.path, body, 0o600)
            return number


class QueueDesk:
    """Gives numbers for one kiosk: the platform's, else its own. Used from one thread."""

    def __init__(
        self,
        site: Site,
        kiosk_code: str,
        timezone: str,
        clock: Clock,
        counter: LocalCounter,
        client_factory: Callable[[], QueueClient],
        new_request_id: Callable[[], str] = lambda: str(uuid7()),
    ) -> None:
        self.site = site
        self.kiosk_code = kiosk_code
        self.timezone = timezone
        self.zone = ZoneInfo(timezone)
        self.clock = clock
        self.counter = counter
        self._client_factory = client_factory
        self._new_request_id = new_request_id

    def take(self, service: Service, *, try_platform: bool = True) -> QueueNumber:
        window = window_of(service, self.site)
        if window is None:
            raise QueueError(f"{service.code} has no window queue in this hall")
        if try_platform:
            answer = self._ask_platform(service, window)
            if answer is not None:
                return QueueNumber(answer.ticket, False, service.code, window.key,
                                   answer.issued_at.astimezone(self.zone), answer.waiting_ahead)
        now = self.clock.now().astimezone(self.zone)
        try:
            number = self.counter.next(now)
        except OSError as exc:
            raise QueueError(f"the local queue counter cannot be kept: {exc}") from exc
        return QueueNumber(f"{self.kiosk_code}-{number:03d}", True, service.code, window.key,
                           now, None)

    def _ask_platform(self, service: Service, window: Window) -> TicketAnswer | None:
        request = QueueTicketRequest(self._new_request_id(), self.site.code, window.key,
                                     window.ticket_prefix(), service.code, self.timezone)
        try:
            client = self._client_factory()
        except Exception as exc:  # e.g. a platform URL the client refuses: give a local number
            log.warning("queue number: no platform client (%s)", exc)
            return None
        try:
            for attempt in (1, 2):
                try:
                    return client.take_queue_number(request)
                except PlatformUnavailable as exc:
                    # The answer may be lost after the number was taken: the same request id
                    # again reads that ticket back, it takes no second number.
                    log.info("queue number, attempt %d: %s", attempt, exc)
                except PlatformError as exc:
                    log.warning("queue number refused by the platform: %s", exc)
                    return None
            return None
        finally:
            client.close()


def ticket_lines(number: QueueNumber, service: Service, site: Site, kiosk_id: str,
                 width_mm: WidthMm) -> list[Line]:
    """The ticket as the receipt printer lays it out (Chinese, as every receipt)."""
    where = site.describe(f"window:{number.window_key}", "zh_CN")
    notes = [f"请到{where}等候叫号。"]
    notes.append(LOCAL_NOTE if number.local else ONLINE_NOTE)
    if site.sample:
        notes.append("示例大厅：本票仅供演示。")
    ticket = QueueTicket(
        number=number.ticket, service=service.text("zh_CN"), waiting=number.waiting_ahead,
        issued_at=number.issued_at, kiosk_id=kiosk_id, hall=site.name.get("zh_CN", ""),
        notes=tuple(notes),
    )
    return layout_queue_ticket(ticket, width_mm)


def print_ticket(printer: ReceiptPrinter, number: QueueNumber, service: Service, site: Site,
                 kiosk_id: str) -> TicketPrint:
    """Print the ticket; a printer that cannot is an outcome in words, never raised."""
    try:
        lines = ticket_lines(number, service, site, kiosk_id, printer.width_mm)
        printer.print_layout(lines, number.ticket)
    except PrinterError as exc:
        log.warning("queue ticket not printed: %s", exc.status.value)
        return TicketPrint(False, str(exc))
    return TicketPrint(True)


def issue_and_print(core: KioskCore, try_platform: bool) -> None:
    """The device job behind :meth:`KioskCore.take_queue_number`: a number, then its ticket;
    each outcome is an event for the screen."""
    from kiosk.platform_link.enrolment import (
        platform_client,  # requests loads with the first exchange
    )

    config = core.config
    service = core.flow.session.service
    if service is None:  # the citizen left before the job ran
        return
    zone = ZoneInfo(config.kiosk.timezone)
    desk = QueueDesk(core.site, config.kiosk.code, config.kiosk.timezone, core.clock,
                     LocalCounter(config.data_dir / LOCAL_COUNTER_FILE, zone),
                     lambda: platform_client(config))
    try:
        number = desk.take(service, try_platform=try_platform)
    except QueueError as exc:
        log.error("no queue number given: %s", exc)
        core.events.publish(ev.QueueNumberDidFail(str(exc)))
        return
    core.flow.queue_number_taken(number)
    core.events.publish(ev.QueueNumberDidIssue(number.ticket, number.local, number.waiting_ahead))
    try:
        outcome = print_ticket(core.printer, number, service, core.site, config.kiosk.id)
    except Exception as exc:
        # A driver bug: the screen still shows the number in large type, and says so.
        core.events.publish(ev.QueueTicketDidPrint(number.ticket, False, type(exc).__name__))
        raise
    core.events.publish(ev.QueueTicketDidPrint(number.ticket, outcome.printed, outcome.message))
