"""pyscard's low-level PC/SC calls in plain words, for the reader (:mod:`.reader`).

Result codes and what they mean to a citizen (:func:`pcsc_error`), the context, connection and
APDU exchange, and :class:`Exchanger`: blocking calls run on a helper thread, each waited on
with a deadline, so that the reader's worker can walk away from a card that never answers.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from smartcard import scard as sc

from devices.cards.base import CardReaderError, CardReadTimeout

log = logging.getLogger(__name__)
T = TypeVar("T")


def result_code(hr: int) -> int:
    return hr & 0xFFFFFFFF


LOST = {
    result_code(sc.SCARD_E_NO_SERVICE),
    result_code(sc.SCARD_E_SERVICE_STOPPED),
    result_code(sc.SCARD_F_COMM_ERROR),
    result_code(sc.SCARD_E_INVALID_HANDLE),
}
REMOVED = {result_code(sc.SCARD_W_REMOVED_CARD), result_code(sc.SCARD_E_NO_SMARTCARD)}
MUTE = {result_code(sc.SCARD_W_UNRESPONSIVE_CARD), result_code(sc.SCARD_W_UNPOWERED_CARD)}
OK = result_code(sc.SCARD_S_SUCCESS)
TIMEOUT = result_code(sc.SCARD_E_TIMEOUT)
CANCELLED = result_code(sc.SCARD_E_CANCELLED)
NO_READERS = result_code(sc.SCARD_E_NO_READERS_AVAILABLE)


def pcsc_error(hr: int, doing: str) -> CardReaderError:
    """Map a PC/SC result code to a CardReaderError with plain words."""
    code = result_code(hr)
    if code in REMOVED:
        return CardReaderError("removed", "The card was taken out during the read.")
    if code in LOST:
        return CardReaderError("no_service", "The PC/SC service (pcscd) is not running.")
    if code in MUTE:
        return CardReaderError("mute", "The card does not answer; it may be inserted wrongly.")
    if code == TIMEOUT:
        return CardReadTimeout()
    return CardReaderError("io", f"Card reader error while {doing} (PC/SC code 0x{code:08X}).")


class ServiceLostError(Exception):
    """pcscd went away (or restarted): the context must be established again."""


@dataclass
class PendingCall:
    fn: Callable[[], Any]
    done: threading.Event = field(default_factory=threading.Event)
    value: Any = None
    error: BaseException | None = None


class Exchanger:
    """Runs blocking PC/SC calls in order on a helper thread, each waited on with a deadline.

    After a deadline passes the worker walks away; the helper finishes the stuck call whenever
    the card answers or goes, then runs the cleanup and exits.
    """

    def __init__(self) -> None:
        self._calls: queue.SimpleQueue[PendingCall | None] = queue.SimpleQueue()
        self._cleanup: list[Callable[[], None]] = []
        self._thread = threading.Thread(target=self._run, name="pcsc-exchange", daemon=True)
        self._thread.start()

    def call(self, fn: Callable[[], T], timeout: float) -> T:
        if timeout <= 0:
            raise CardReadTimeout("The card read took too long and was abandoned.")
        call = PendingCall(fn)
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


def establish() -> int:
    hr, ctx = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
    if result_code(hr) != OK:
        raise pcsc_error(hr, "connecting to pcscd")
    return int(ctx)


def connect(ctx: int, reader: str) -> tuple[int, int]:
    hr, hcard, protocol = sc.SCardConnect(
        ctx, reader, sc.SCARD_SHARE_SHARED, sc.SCARD_PROTOCOL_T0 | sc.SCARD_PROTOCOL_T1
    )
    if result_code(hr) != OK:
        raise pcsc_error(hr, "connecting to the card")
    return hcard, protocol


def transmit_apdu(hcard: int, protocol: int, apdu: bytes) -> bytes:
    hr, response = sc.SCardTransmit(hcard, protocol, list(apdu))
    if result_code(hr) != OK:
        raise pcsc_error(hr, "talking to the card")
    if len(response) < 2:
        # vpcd hands back an empty answer when the card's socket closes mid-exchange
        raise CardReaderError("io", "The card's answer broke off during the read.")
    return bytes(response)
