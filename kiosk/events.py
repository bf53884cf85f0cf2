"""The application's typed events, published from any thread.

``devices`` and ``sync`` call plain callbacks; the core turns them into these events.
The UI subscribes through one bridge that re-emits them on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    pass


@dataclass(frozen=True)
class FlowDidChangeStep(Event):
    step: str
    message: str = ""


@dataclass(frozen=True)
class CardDidInsert(Event):
    reader: str


@dataclass(frozen=True)
class CardDidRemove(Event):
    reader: str


@dataclass(frozen=True)
class HeldCardDidLeave(Event):
    """The card the citizen identified with was taken out of its slot mid-visit (form or
    confirm, before submitting): the screen is covered and a countdown runs
    (kiosk/card_watch.py, docs/identification.md)."""

    reader: str


@dataclass(frozen=True)
class HeldCardDidReturn(Event):
    """The same card is back in a reader: the visit carries on where it was."""

    reader: str


@dataclass(frozen=True)
class CardDidRead(Event):
    masked_name: str
    masked_id: str


@dataclass(frozen=True)
class MemberCardDidRead(Event):
    """A family member's card, read on the form; the number itself stays in the session."""

    masked_name: str
    masked_id: str


@dataclass(frozen=True)
class CardDidFail(Event):
    reason: str
    message: str


@dataclass(frozen=True)
class EcodeDidScan(Event):
    """An electronic card code was scanned on the identify step: the platform is asked."""


@dataclass(frozen=True, repr=False)
class ReceiptCodeDidScan(Event):
    """A receipt's QR code scanned on the 查询办理进度 screen: its number and query code
    (the citizen's secret: no repr)."""

    digits: str  # the 13 digits the keypad would have typed
    query_code: str

    def __repr__(self) -> str:
        return "ReceiptCodeDidScan(...)"


@dataclass(frozen=True)
class ScanDidFail(Event):
    """A scan that leads nowhere here: ``reason`` not_expected (nothing to scan on this
    screen), unknown_code (not a code this kiosk reads), other_kiosk (a receipt of another
    kiosk), or a scanner fault (too_long, incomplete, undecodable, no_service)."""

    reason: str
    message: str


@dataclass(frozen=True)
class OutboxDidEnqueue(Event):
    txid: str
    tracking_number: str


@dataclass(frozen=True)
class SubmitDidFail(Event):
    message: str
    code: str = ""


@dataclass(frozen=True)
class ReceiptDidPrint(Event):
    tracking_number: str


@dataclass(frozen=True)
class ReceiptDidFail(Event):
    """Stored but not printed: the screen shows what the paper would have carried."""

    tracking_number: str
    message: str
    qr_payload: str = field(default="", repr=False)  # holds the query code
    query_code: str = field(default="", repr=False)


@dataclass(frozen=True)
class SyncDidAck(Event):
    txids: tuple[str, ...]


@dataclass(frozen=True)
class SyncDidFail(Event):
    message: str


@dataclass(frozen=True)
class SyncDidQuarantine(Event):
    txid: str
    reason: str


@dataclass(frozen=True)
class PrinterDidChangeStatus(Event):
    status: str


@dataclass(frozen=True)
class PlatformDidChangeReachability(Event):
    online: bool


@dataclass(frozen=True)
class CatalogDidChange(Event):
    version: str


@dataclass(frozen=True)
class ApplicationDidChangeStatus(Event):
    txid: str
    status: str


@dataclass(frozen=True)
class RatingDidStore(Event):
    txid: str
    level: int


@dataclass(frozen=True)
class RatingDidFail(Event):
    txid: str
    message: str


@dataclass(frozen=True)
class CallDidChange(Event):
    """A staff call was raised, acknowledged, cleared or cancelled."""

    call_id: str
    state: str


@dataclass(frozen=True)
class QueueNumberDidIssue(Event):
    """取号: a number was given (the platform's, or this kiosk's own when ``local``)."""

    ticket: str
    local: bool
    waiting_ahead: int | None


@dataclass(frozen=True)
class QueueNumberDidFail(Event):
    """No number could be given at all: the citizen is sent to staff."""

    message: str


@dataclass(frozen=True)
class QueueTicketDidPrint(Event):
    ticket: str
    printed: bool
    message: str = ""


@dataclass(frozen=True)
class RecordsDidChange(Event):
    """我的办件 moved on (``stage``: kiosk.records.visit.RecordsStage); the screen reads the
    session's visit. ``message``: why, when something failed (a reason code, nothing personal)."""

    stage: str
    message: str = ""


Subscriber = Callable[[Event], None]


class EventBus:
    """Synchronous fan-out; a failing subscriber is logged and never stops the others."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, event: Event) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(event)
            except Exception:
                log.exception("event subscriber failed on %s", type(event).__name__)
