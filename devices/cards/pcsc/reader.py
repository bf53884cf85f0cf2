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
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from smartcard import scard as sc

from devices.cards.base import CardData, CardReader, CardReaderError, PinVerdict, ReaderStatus
from devices.cards.pcsc.scard import (
    CANCELLED,
    LOST,
    OK,
    TIMEOUT,
    Exchanger,
    ServiceLostError,
    connect,
    establish,
    pcsc_error,
    result_code,
    transmit_apdu,
)
from devices.cards.pcsc.ssse import (
    Transmit,
    read_social_security_card,
    verify_pin,
    verify_pin_apdu,
)

log = logging.getLogger(__name__)

PNP_READER = "\\\\?PnP?\\Notification"
DEFAULT_READER_PREFIX = "Virtual PCD 00 00"
VPCD_WARNING = (
    "virtual reader (vpcd): it accepts forged cards from the network, "
    "for development and demos only, never on a production kiosk"
)
MAYBE_PULLED = ("io", "mute")
T = TypeVar("T")  # failures that a card leaving the reader also causes


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
        # The ATR of the card now in the reader (or the last one): the technician panel tells
        # its kind (protocol, length), never its bytes.
        self.last_atr = b""

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
            if result_code(hr) == OK:
                with self._lock:
                    self._ctx, self._service_ok = ctx, True
                reported = False
                try:
                    self._monitor(ctx)
                except ServiceLostError:
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
                self._emit("reader_did_fail", pcsc_error(sc.SCARD_E_NO_SERVICE, "connecting"))
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
            code = result_code(hr)
            if code in LOST:
                raise ServiceLostError
            if code == OK:
                for name, event, atr in new:
                    if name == PNP_READER:
                        if event & sc.SCARD_STATE_CHANGED:
                            self._relist(ctx)
                        pnp_state = event & ~sc.SCARD_STATE_CHANGED
                    elif name == reader:
                        if event & (sc.SCARD_STATE_UNKNOWN | sc.SCARD_STATE_IGNORE):
                            self._relist(ctx)
                        elif event & sc.SCARD_STATE_CHANGED:
                            if event & sc.SCARD_STATE_PRESENT and atr:
                                self.last_atr = bytes(atr)
                            self._on_reader_event(name, reader_state, event)
                        reader_state = event & ~sc.SCARD_STATE_CHANGED
            elif code not in (TIMEOUT, CANCELLED):
                self._relist(ctx)
                self._stop.wait(self.poll_interval)  # unexpected error: do not spin
            if self._reader != reader:
                reader_state = sc.SCARD_STATE_UNAWARE
            elif reader is None and code == TIMEOUT:
                self._relist(ctx)  # no PnP event needed to notice a new reader
            if self._read_requested.is_set():
                self._read_requested.clear()
                if self._reader is not None and self._card_present:
                    self._read_and_report(self._reader)

    def _relist(self, ctx: int) -> None:
        hr, readers = sc.SCardListReaders(ctx, [])
        code = result_code(hr)
        if code in LOST:
            raise ServiceLostError
        if code != OK:
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
                self._emit("reader_did_fail", pcsc_error(sc.SCARD_W_UNRESPONSIVE_CARD, "reading"))
            else:
                self._read_and_report(reader)

    def _read_and_report(self, reader: str) -> None:
        try:
            data = self._read_card(reader)
        except CardReaderError as error:
            if error.reason == "no_service":
                # pcscd went away mid-read: the monitor's own check raises ServiceLostError,
                # which reports no_service once for the whole outage.
                if self._ctx is not None:
                    self._relist(self._ctx)
                error = CardReaderError("io", "The reader lost contact with the card mid-read.")
            if error.reason in MAYBE_PULLED and self._card_left(reader):
                # A broken exchange is usually a card pulled out mid-read; say so. A timeout is
                # not: a card that goes while it is talking breaks the exchange at once.
                error = pcsc_error(sc.SCARD_W_REMOVED_CARD, "reading")
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
        if result_code(hr) not in (OK, TIMEOUT) or not states:
            return False
        _name, event, _atr = states[0]
        return not event & sc.SCARD_STATE_PRESENT

    def _read_card(self, reader: str) -> CardData:
        """Connect and read on a helper thread, every exchange under a deadline."""
        return self._with_card(reader, read_social_security_card)

    @property
    def card_stays_in(self) -> bool:
        """A card in a PC/SC slot (a social-security card, or an ID card in a contact or
        contactless slot reader) stays there for the visit."""
        return True

    @property
    def checks_pins(self) -> bool:
        return True

    def verify_pin(self, pin: str) -> PinVerdict:
        """The card checks the PIN (VERIFY); blocking, on the caller's thread (never the GUI's),
        over its own PC/SC context, so the monitor keeps watching meanwhile. The card counts
        wrong PINs itself: three in a row block it (6983)."""
        verify_pin_apdu(pin)  # a PIN of the wrong form is refused before the card is asked
        with self._lock:
            reader, present = self._reader, self._card_present
        if reader is None or not present:
            raise CardReaderError("removed", "There is no card in the reader.")
        return self._with_card(reader, lambda transmit: verify_pin(transmit, pin))

    def _with_card(self, reader: str, work: Callable[[Transmit], T]) -> T:
        deadline = time.monotonic() + self.read_timeout
        exchanger = Exchanger()

        def left() -> float:
            return min(self.exchange_timeout, deadline - time.monotonic())

        # Handles are registered for cleanup on the helper thread as soon as they exist, so a
        # call that returns after its deadline still has its handle released.
        def open_context() -> int:
            ctx = establish()
            exchanger.on_close(lambda: sc.SCardReleaseContext(ctx))
            return ctx

        def open_card(ctx: int) -> tuple[int, int]:
            hcard, protocol = connect(ctx, reader)
            exchanger.on_close(lambda: sc.SCardDisconnect(hcard, sc.SCARD_LEAVE_CARD))
            return hcard, protocol

        try:
            ctx = exchanger.call(open_context, left())
            hcard, protocol = exchanger.call(lambda: open_card(ctx), left())

            def transmit(apdu: bytes) -> bytes:
                return exchanger.call(lambda: transmit_apdu(hcard, protocol, apdu), left())

            return work(transmit)
        finally:
            exchanger.close()
