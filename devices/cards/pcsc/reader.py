"""Social-security cards over PC/SC (pcscd), through pyscard's low-level API.

One worker thread runs its own SCardGetStatusChange loop instead of pyscard's monitors, which
stop silently when pcscd restarts. If pcscd goes away the worker reports ``no_service`` once
and re-establishes its context every second. Card exchanges run on a short-lived helper thread
so that the worker can abandon one that never answers (vpcd waits on a card forever).

Failed reads: an exchange that breaks (``io``, ``mute``) is reported as ``removed`` when the
card is gone within about a second, since that is what a pulled card looks like; a deadline
that passed stays ``timeout`` (a card that leaves while talking breaks the exchange at once);
a read broken by pcscd going away is left to the monitor, which reports ``no_service`` once
per outage. No CardData is ever delivered from a failed read.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from smartcard import scard as sc

from devices.cards.base import CardData, CardReader, CardReaderError, CardReadTimeout, ReaderStatus
from devices.cards.pcsc.ssse import read_social_security_card

log = logging.getLogger(__name__)
T = TypeVar("T")

PNP_READER = "\\\\?PnP?\\Notification"
DEFAULT_READER_PREFIX = "Virtual PCD 00 00"
VPCD_WARNING = (
    "virtual reader (vpcd): it accepts forged cards from the network, "
    "for development and demos only, never on a production kiosk"
)


def _code(hr: int) -> int:
    return hr & 0xFFFFFFFF


_LOST = {
    _code(sc.SCARD_E_NO_SERVICE),
    _code(sc.SCARD_E_SERVICE_STOPPED),
    _code(sc.SCARD_F_COMM_ERROR),
    _code(sc.SCARD_E_INVALID_HANDLE),
}
_REMOVED = {_code(sc.SCARD_W_REMOVED_CARD), _code(sc.SCARD_E_NO_SMARTCARD)}
_MUTE = {_code(sc.SCARD_W_UNRESPONSIVE_CARD), _code(sc.SCARD_W_UNPOWERED_CARD)}
_OK = _code(sc.SCARD_S_SUCCESS)
_TIMEOUT = _code(sc.SCARD_E_TIMEOUT)
_CANCELLED = _code(sc.SCARD_E_CANCELLED)
_NO_READERS = _code(sc.SCARD_E_NO_READERS_AVAILABLE)
_MAYBE_PULLED = ("io", "mute")  # failures that a card leaving the reader also causes


def _error(hr: int, doing: str) -> CardReaderError:
    """Map a PC/SC result code to a CardReaderError with plain words."""
    code = _code(hr)
    if code in _REMOVED:
        return CardReaderError("removed", "The card was taken out during the read.")
    if code in _LOST:
        return CardReaderError("no_service", "The PC/SC service (pcscd) is not running.")
    if code in _MUTE:
        return CardReaderError("mute", "The card does not answer; it may be inserted wrongly.")
    if code == _TIMEOUT:
        return CardReadTimeout()
    return CardReaderError("io", f"Card reader error while {doing} (PC/SC code 0x{code:08X}).")


class _ServiceLostError(Exception):
    pass


@dataclass
class _Call:
    fn: Callable[[], Any]
    done: threading.Event = field(default_factory=threading.Event)
    value: Any = None
    error: BaseException | None = None


class _Exchanger:
    """Runs blocking PC/SC calls in order on a helper thread, each waited on with a deadline.

    After a deadline passes the worker walks away; the helper finishes the stuck call whenever
    the card answers or goes, then runs the cleanup and exits.
    """

    def __init__(self) -> None:
        self._calls: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        self._cleanup: list[Callable[[], None]] = []
        self._thread = threading.Thread(target=self._run, name="pcsc-exchange", daemon=True)
        self._thread.start()

    def call(self, fn: Callable[[], T], timeout: float) -> T:
        if timeout <= 0:
            raise CardReadTimeout("The card read took too long and was abandoned.")
        call = _Call(fn)
        self._calls.put(call)
        if not call.done.wait(timeout):
            raise CardReadTimeout("The card did not answer in time; the read was abandoned.")
        if call.error is not None:
            raise call.error
        return call.value  # type: ignore[no-any-return]

    def on_close(self, cleanup: Callable[[], None]) -> None:
        """Register a cleanup; call only from a function running on the helper thread."""
        self._cleanup.append(cleanup)

    def close(self) -> None:
        self._calls.put(None)

    def _run(self) -> None:
        while (call := self._calls.get()) is not None:
            try:
                call.value = call.fn()
            except BaseException as exc:  # handed to the waiting worker
                call.error = exc
            call.done.set()
        for cleanup in reversed(self._cleanup):
            try:
                cleanup()
            except Exception:
                log.debug("PC/SC cleanup failed", exc_info=True)


class PcscCardReader(CardReader):
    """A social-security card reader behind pcscd, chosen by reader-name prefix."""

    def __init__(
        self,
        reader_prefix: str = DEFAULT_READER_PREFIX,
        *,
        exchange_timeout: float = 3.0,
        read_timeout: float = 10.0,
        poll_interval: float = 0.5,
        retry_interval: float = 1.0,
    ) -> None:
        super().__init__()
        self.reader_prefix = reader_prefix
        self.exchange_timeout = exchange_timeout
        self.read_timeout = read_timeout
        self.poll_interval = poll_interval
        self.retry_interval = retry_interval
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._read_requested = threading.Event()
        self._thread: threading.Thread | None = None
        self._ctx: int | None = None
        self._reader: str | None = None
        self._card_present = False
        self._service_ok = False
        self._readers_seen: list[str] = []

    # --- public API ---------------------------------------------------------------------------

    def start(self) -> None:
        if self.is_running():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="pcsc-reader", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(self.exchange_timeout + self.poll_interval + 1.0)
        self._thread = None

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def request_read(self) -> None:
        self._read_requested.set()
        self._wake()

    def status(self) -> ReaderStatus:
        with self._lock:
            reader, card, service = self._reader, self._card_present, self._service_ok
            seen = list(self._readers_seen)
        if not self.is_running():
            detail = "The card reader service is not started."
        elif not service:
            detail = "pcscd (the PC/SC service) is not running; retrying every second."
        elif reader is None:
            others = ", ".join(seen) or "none"
            detail = f"No reader named {self.reader_prefix!r}* (readers seen: {others})."
        else:
            detail = f"Reader {reader!r} ready; " + ("card inserted." if card else "no card.")
        if (reader or self.reader_prefix).startswith("Virtual PCD"):
            detail += " Warning: " + VPCD_WARNING + "."
        return ReaderStatus(
            backend="pcsc",
            name=reader or self.reader_prefix,
            present=reader is not None,
            card_present=card,
            detail=detail,
        )

    # --- worker -------------------------------------------------------------------------------

    def _wake(self) -> None:
        """Interrupt a blocked SCardGetStatusChange so stop/read requests act at once."""
        with self._lock:
            if self._ctx is not None:
                try:
                    sc.SCardCancel(self._ctx)
                except Exception:
                    log.debug("SCardCancel failed", exc_info=True)

    def _run(self) -> None:
        reported = False
        while not self._stop.is_set():
            hr, ctx = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
            if _code(hr) == _OK:
                with self._lock:
                    self._ctx, self._service_ok = ctx, True
                reported = False
                try:
                    self._monitor(ctx)
                except _ServiceLostError:
                    pass
                except Exception:
                    log.exception("card reader monitor failed; restarting it")
                finally:
                    with self._lock:
                        self._ctx = None
                    sc.SCardReleaseContext(ctx)
                if self._stop.is_set():
                    break
            self._set_reader(None)
            with self._lock:
                self._service_ok = False
            if not reported:
                reported = True
                self._emit("reader_did_fail", _error(sc.SCARD_E_NO_SERVICE, "connecting"))
            self._stop.wait(self.retry_interval)
        self._set_reader(None, announce=False)

    def _monitor(self, ctx: int) -> None:
        pnp_state = sc.SCARD_STATE_UNAWARE
        reader_state = sc.SCARD_STATE_UNAWARE
        self._relist(ctx)
        timeout_ms = int(self.poll_interval * 1000)
        while not self._stop.is_set():
            reader = self._reader
            states = [(PNP_READER, pnp_state)]
            if reader is not None:
                states.append((reader, reader_state))
            hr, new = sc.SCardGetStatusChange(ctx, timeout_ms, states)
            code = _code(hr)
            if code in _LOST:
                raise _ServiceLostError
            if code == _OK:
                for name, event, _atr in new:
                    if name == PNP_READER:
                        if event & sc.SCARD_STATE_CHANGED:
                            self._relist(ctx)
                        pnp_state = event & ~sc.SCARD_STATE_CHANGED
                    elif name == reader:
                        if event & (sc.SCARD_STATE_UNKNOWN | sc.SCARD_STATE_IGNORE):
                            self._relist(ctx)
                        elif event & sc.SCARD_STATE_CHANGED:
                            self._on_reader_event(name, reader_state, event)
                        reader_state = event & ~sc.SCARD_STATE_CHANGED
            elif code not in (_TIMEOUT, _CANCELLED):
                self._relist(ctx)
                self._stop.wait(self.poll_interval)  # unexpected error: do not spin
            if self._reader != reader:
                reader_state = sc.SCARD_STATE_UNAWARE
            elif reader is None and code == _TIMEOUT:
                self._relist(ctx)  # no PnP event needed to notice a new reader
            if self._read_requested.is_set():
                self._read_requested.clear()
                if self._reader is not None and self._card_present:
                    self._read_and_report(self._reader)

    def _relist(self, ctx: int) -> None:
        hr, readers = sc.SCardListReaders(ctx, [])
        code = _code(hr)
        if code in _LOST:
            raise _ServiceLostError
        if code != _OK:
            readers = []
        with self._lock:
            self._readers_seen = list(readers)
        exact = [r for r in readers if r == self.reader_prefix]
        matching = exact or [r for r in readers if r.startswith(self.reader_prefix)]
        self._set_reader(matching[0] if matching else None)

    def _set_reader(self, reader: str | None, announce: bool = True) -> None:
        old = self._reader
        if reader == old:
            return
        if old is not None:
            if self._card_present:
                with self._lock:
                    self._card_present = False
                if announce:
                    self._emit("card_did_remove", old)
            with self._lock:
                self._reader = None
            if announce:
                self._emit("reader_did_remove", old)
        if reader is not None:
            with self._lock:
                self._reader = reader
            self._emit("reader_did_add", reader)

    def _on_reader_event(self, reader: str, last: int, event: int) -> None:
        present = bool(event & sc.SCARD_STATE_PRESENT)
        # pcsc-lite counts card events in the high 16 bits: a jump of two or more while
        # present means the card was swapped between two polls.
        swapped = (
            present
            and self._card_present
            and last != sc.SCARD_STATE_UNAWARE
            and ((event >> 16) - (last >> 16)) & 0xFFFF >= 2
        )
        if self._card_present and (not present or swapped):
            with self._lock:
                self._card_present = False
            self._emit("card_did_remove", reader)
        if present and not self._card_present:
            with self._lock:
                self._card_present = True
            self._emit("card_did_insert", reader)
            if event & sc.SCARD_STATE_MUTE:
                self._emit("reader_did_fail", _error(sc.SCARD_W_UNRESPONSIVE_CARD, "reading"))
            else:
                self._read_and_report(reader)

    def _read_and_report(self, reader: str) -> None:
        try:
            data = self._read_card(reader)
        except CardReaderError as error:
            if error.reason == "no_service":
                # pcscd went away mid-read: the monitor's own check raises _ServiceLostError,
                # which reports no_service once for the whole outage.
                if self._ctx is not None:
                    self._relist(self._ctx)
                error = CardReaderError("io", "The reader lost contact with the card mid-read.")
            if error.reason in _MAYBE_PULLED and self._card_left(reader):
                # A broken exchange is usually a card pulled out mid-read; say so. A timeout is
                # not: a card that goes while it is talking breaks the exchange at once.
                error = _error(sc.SCARD_W_REMOVED_CARD, "reading")
            log.info("card read failed: %s", error.reason)
            self._emit("reader_did_fail", error)
        else:
            self._emit("card_did_read", data)

    def _card_left(self, reader: str, within: float = 1.2) -> bool:
        """True if the card is gone now or within ``within`` s (pcscd polls every ~400 ms)."""
        ctx = self._ctx
        if ctx is None:
            return False
        hr, states = sc.SCardGetStatusChange(
            ctx, int(within * 1000), [(reader, sc.SCARD_STATE_PRESENT)]
        )
        if _code(hr) not in (_OK, _TIMEOUT) or not states:
            return False
        _name, event, _atr = states[0]
        return not event & sc.SCARD_STATE_PRESENT

    def _read_card(self, reader: str) -> CardData:
        """Connect and read on a helper thread, every exchange under a deadline."""
        deadline = time.monotonic() + self.read_timeout
        exchanger = _Exchanger()

        def left() -> float:
            return min(self.exchange_timeout, deadline - time.monotonic())

        # Handles are registered for cleanup on the helper thread as soon as they exist, so a
        # call that returns after its deadline still has its handle released.
        def open_context() -> int:
            ctx = _establish()
            exchanger.on_close(lambda: sc.SCardReleaseContext(ctx))
            return ctx

        def open_card(ctx: int) -> tuple[int, int]:
            hcard, protocol = _connect(ctx, reader)
            exchanger.on_close(lambda: sc.SCardDisconnect(hcard, sc.SCARD_LEAVE_CARD))
            return hcard, protocol

        try:
            ctx = exchanger.call(open_context, left())
            hcard, protocol = exchanger.call(lambda: open_card(ctx), left())

            def transmit(apdu: bytes) -> bytes:
                return exchanger.call(lambda: _transmit(hcard, protocol, apdu), left())

            return read_social_security_card(transmit)
        finally:
            exchanger.close()


def _establish() -> int:
    hr, ctx = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
    if _code(hr) != _OK:
        raise _error(hr, "connecting to pcscd")
    return int(ctx)


def _connect(ctx: int, reader: str) -> tuple[int, int]:
    hr, hcard, protocol = sc.SCardConnect(
        ctx, reader, sc.SCARD_SHARE_SHARED, sc.SCARD_PROTOCOL_T0 | sc.SCARD_PROTOCOL_T1
    )
    if _code(hr) != _OK:
        raise _error(hr, "connecting to the card")
    return hcard, protocol


def _transmit(hcard: int, protocol: int, apdu: bytes) -> bytes:
    hr, response = sc.SCardTransmit(hcard, protocol, list(apdu))
    if _code(hr) != _OK:
        raise _error(hr, "talking to the card")
    if len(response) < 2:
        # vpcd hands back an empty answer when the card's socket closes mid-exchange
        raise CardReaderError("io", "The card's answer broke off during the read.")
    return bytes(response)
