"""The card readers and the QR code scanner as the technician's panel sees them: the last kind
of card or code each one read, and a live test read with a log.

Both listen on the kiosk's own live devices (the readers and scanners the core started, as one
more subscriber): nothing opens a second connection to a device the kiosk holds. Nothing
personal is kept or told: a card is its kind (resident ID, social-security card) and the kind
of its ATR (protocol and length, never the bytes), a code is its kind (electronic card code,
receipt QR code, other) and its length, never its text; a fault is its reason and the
device's own words (which carry no card data).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from devices.cards.base import (
    CardData,
    CardReader,
    CardReaderCallbacks,
    CardReaderError,
    ReaderStatus,
)
from devices.scanners.base import (
    CodeScanner,
    ScannedCode,
    ScannerCallbacks,
    ScannerError,
    ScannerStatus,
)
from kiosk.tracking.scanned import receipt_code
from sync.clock import Clock
from sync.platform.ecodes import looks_like_ecode

TEST_READ_SECONDS = 20.0


def code_kind(text: str) -> str:
    """``ecode``, ``receipt`` or ``other``: what a scanned code is, never what it says."""
    if looks_like_ecode(text):
        return "ecode"
    return "receipt" if receipt_code(text) is not None else "other"


def atr_kind(atr: bytes) -> str:
    """An ATR's kind in words (ISO 7816-3): convention, protocols, historical byte count."""
    if len(atr) < 2:
        return "no ATR"
    convention = {0x3B: "direct convention", 0x3F: "inverse convention"}.get(atr[0])
    if convention is None:
        return f"not an ISO 7816 ATR ({len(atr)} bytes)"
    historical = atr[1] & 0x0F
    protocols: list[int] = []
    y, i = atr[1] >> 4, 2
    while True:
        i += bin(y & 0x7).count("1")  # TA, TB, TC present
        if not y & 0x8:
            break
        if i >= len(atr):
            return f"ISO 7816, {convention}, cut short"
        protocols.append(atr[i] & 0x0F)
        y, i = atr[i] >> 4, i + 1
    shown = ", ".join(f"T={p}" for p in dict.fromkeys(protocols or [0]))
    return f"ISO 7816, {convention}, {shown}, {historical} historical byte(s)"


@dataclass(frozen=True)
class LastRead:
    device: str
    what: str  # "card" (detail: kind), "code" (detail: kind), "fault" (detail: reason)
    detail: str
    at: datetime


@dataclass(frozen=True)
class ReadEvent:
    """One line of a test read's log. ``what``: absent, inserted, card, code, fault, nothing,
    no_device; ``detail`` as said there, ``words`` the device's own (English, no card data)."""

    device: str
    what: str
    detail: str = ""
    words: str = ""


class DeviceWatch:
    """The last card or code kind each live device read (what, never whose)."""

    def __init__(self, readers: list[CardReader], scanners: list[CodeScanner],
                 clock: Clock) -> None:
        self.readers, self.scanners, self.clock = readers, scanners, clock
        self._lock = threading.Lock()
        self._last: dict[str, LastRead] = {}
        for reader in readers:
            reader.subscribe(self._reader_callbacks(reader))
        for scanner in scanners:
            scanner.subscribe(self._scanner_callbacks(scanner))

    def _scanner_callbacks(self, scanner: CodeScanner) -> ScannerCallbacks:
        return ScannerCallbacks(
            code_did_scan=lambda code: self._note(scanner, "code", code_kind(code.text)),
            scanner_did_fail=lambda e: self._note(scanner, "fault", e.reason))

    def _reader_callbacks(self, reader: CardReader) -> CardReaderCallbacks:
        return CardReaderCallbacks(
            card_did_read=lambda card: self._note(reader, "card", card.kind.value),
            reader_did_fail=lambda e: self._note(reader, "fault", e.reason))

    def _note(self, device: CardReader | CodeScanner, what: str, detail: str) -> None:
        name = device.status().name
        with self._lock:
            self._last[name] = LastRead(name, what, detail, self.clock.now())

    def last(self, name: str) -> LastRead | None:
        with self._lock:
            return self._last.get(name)


def live_test_read(readers: list[CardReader], scanners: list[CodeScanner],
              seconds: float = TEST_READ_SECONDS,
              on_event: Callable[[ReadEvent], None] | None = None) -> list[ReadEvent]:
    """Wait up to ``seconds`` for one card or code on any live device and log what happened.

    Blocks (call it on a thread of its own, never the GUI's or the device job thread). Each
    line is also handed to ``on_event`` as it happens, so the panel can show it live.
    """
    log: list[ReadEvent] = []
    done = threading.Event()
    lock = threading.Lock()

    def add(event: ReadEvent, final: bool = False) -> None:
        with lock:
            if done.is_set():
                return
            log.append(event)
            if final:
                done.set()
        if on_event is not None:
            on_event(event)

    present = 0
    statuses: list[ReaderStatus | ScannerStatus] = [r.status() for r in readers]
    statuses += [s.status() for s in scanners]
    for status in statuses:
        if status.present:
            present += 1
        else:
            add(ReadEvent(status.name, "absent", words=status.detail))
    if present == 0:
        add(ReadEvent("", "no_device"), final=True)
        return log
    undo: list[Callable[[], None]] = []
    for reader in readers:
        callbacks = _reader_waiter(reader, add)
        reader.subscribe(callbacks)
        undo.append(functools.partial(reader.unsubscribe, callbacks))
    for scanner in scanners:
        waiter = _scanner_waiter(scanner, add)
        scanner.subscribe(waiter)
        undo.append(functools.partial(scanner.unsubscribe, waiter))
    try:
        for reader in readers:
            reader.request_read()  # a card already in the reader is read now
        if not done.wait(seconds):
            add(ReadEvent("", "nothing", detail=f"{seconds:g}"), final=True)
    finally:
        for step in undo:
            step()
    return log


def _reader_waiter(reader: CardReader, add: Callable[..., None]) -> CardReaderCallbacks:
    def inserted(name: str) -> None:
        atr = getattr(reader, "last_atr", b"")
        add(ReadEvent(name, "inserted", detail=atr_kind(atr) if atr else ""))

    def read(card: CardData) -> None:
        add(ReadEvent(reader.status().name, "card", detail=card.kind.value), final=True)

    def failed(error: CardReaderError) -> None:
        add(ReadEvent(reader.status().name, "fault", detail=error.reason, words=error.message),
            final=error.reason != "no_service")

    return CardReaderCallbacks(card_did_insert=inserted, card_did_read=read,
                               reader_did_fail=failed)


def _scanner_waiter(scanner: CodeScanner, add: Callable[..., None]) -> ScannerCallbacks:
    def scanned(code: ScannedCode) -> None:
        add(_code_event(scanner, code), final=True)

    def failed(error: ScannerError) -> None:
        add(_scanner_fault(scanner, error), final=error.reason != "no_service")

    return ScannerCallbacks(code_did_scan=scanned, scanner_did_fail=failed)


def _code_event(scanner: CodeScanner, code: ScannedCode) -> ReadEvent:
    return ReadEvent(scanner.status().name, "code", detail=code_kind(code.text),
                     words=str(len(code.text)))


def _scanner_fault(scanner: CodeScanner, error: ScannerError) -> ReadEvent:
    return ReadEvent(scanner.status().name, "fault", detail=error.reason, words=error.message)
