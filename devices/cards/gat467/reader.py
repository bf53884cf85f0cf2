"""Resident ID card readers over a serial line (GA/T 467 SAM frames, pyserial).

One worker thread owns the port, through :class:`devices.cards.gat467.line.SerialLine`. It
opens it by name on every retry (so a re-plugged USB adapter or a restarted emulator is found
again without a restart), asks the SAM for its status and id, then polls "find card". A card
that appears is selected and read (text and photo) once: ``card_did_insert`` then
``card_did_read`` or ``reader_did_fail``. Every exchange has a deadline.

Lifting the card: when "find card" stops finding a card that was there, ``card_did_remove``
fires. After a good read this ends nothing (the citizen may take the card back at once); the
application must not treat it like a card pulled out mid-read, which is reported as
``reader_did_fail`` with reason ``removed``. Many SAMs halt a card once it has been read, so
"find card" no longer sees it although it still lies on the pad: on such readers
``card_did_remove`` follows a good read at the next poll. Either way it means "no card to read
now", never "the session is over".

Failure reasons (CardReaderError.reason): no_service (port missing or reader silent; retried
every ``retry_interval``), sam (security module fault), timeout, checksum, malformed, removed,
auth, unsupported_card (residence permits and foreigners' cards, UnsupportedCardError), io.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable

from devices.cards.base import CardReader, CardReaderError, CardReadTimeout, ReaderStatus
from devices.cards.gat467 import frame as f
from devices.cards.gat467.line import PortLostError, SerialLine, StoppingError, plain
from devices.cards.gat467.photo import NullPhotoDecoder, PhotoDecoder, decode_photo
from devices.cards.gat467.text import TEXT_SIZE, ResidentIdCardData, parse_text

log = logging.getLogger(__name__)

DEFAULT_BAUD = 115200
_ABANDON_AFTER_TIMEOUTS = 3  # polls in a row without an answer: the reader is gone


def format_sam_id(raw: bytes) -> str:
    """The usual printed form of a 16-byte SAM id, e.g. ``05.01-20240101-0000004512-…``."""
    if len(raw) != 16:
        return raw.hex()
    a, b = int.from_bytes(raw[0:2], "little"), int.from_bytes(raw[2:4], "little")
    c, d, e = (int.from_bytes(raw[i : i + 4], "little") for i in (4, 8, 12))
    return f"{a:02d}.{b:02d}-{c:08d}-{d:010d}-{e:010d}"


class Gat467CardReader(CardReader):
    """A resident ID card reader on a serial port (8N1, ``baudrate``), opened by name."""

    def __init__(
        self,
        port: str,
        baudrate: int = DEFAULT_BAUD,
        *,
        exchange_timeout: float = 1.5,
        poll_interval: float = 0.25,
        retry_interval: float = 1.0,
        read_attempts: int = 2,
        photo_decoder: PhotoDecoder | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.port = port
        self.baudrate = baudrate
        self.exchange_timeout = exchange_timeout
        self.poll_interval = poll_interval
        self.retry_interval = retry_interval
        self.read_attempts = max(1, read_attempts)
        self.photo_decoder: PhotoDecoder = photo_decoder or NullPhotoDecoder()
        self._clock = clock
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._read_requested = threading.Event()
        self._thread: threading.Thread | None = None
        self._line = SerialLine(port, baudrate, exchange_timeout, clock, self._stop)
        self._present = False
        self._card_present = False
        self._sam_ok: bool | None = None
        self._sam_id = ""
        self._problem = ""  # plain words for status() while the reader is absent or faulty
        self._absence_reported = False
        self._silent_polls = 0

    # --- public API ---------------------------------------------------------------------------

    def start(self) -> None:
        if self.is_running():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="gat467-reader", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(self.exchange_timeout + self.poll_interval + 2.0)
        self._thread = None

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def request_read(self) -> None:
        self._read_requested.set()
        self._wake.set()

    @property
    def sam_id(self) -> str:
        """The SAM's id as printed on service reports ("" until the reader has answered)."""
        with self._lock:
            return self._sam_id

    def status(self) -> ReaderStatus:
        with self._lock:
            present, card, sam_ok = self._present, self._card_present, self._sam_ok
            sam_id, problem = self._sam_id, self._problem
        where = f"ID card reader on {self.port} at {self.baudrate} baud"
        if not self.is_running():
            detail = f"{where}: not started."
        elif not present:
            detail = f"{where}: {problem or 'opening'}; retrying every {self.retry_interval:g} s."
        elif not sam_ok:
            detail = f"{where}: security module (SAM {sam_id or 'id unknown'}) fault: {problem}"
        else:
            detail = f"{where} ready; SAM {sam_id} ok; " + (
                "card on the pad." if card else "no card."
            )
        return ReaderStatus(
            backend="gat467",
            name=self.port,
            present=present,
            card_present=card,
            detail=detail,
        )

    # --- worker -------------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                if not self._line.is_open and not self._open():
                    self._stop.wait(self.retry_interval)
                    continue
                try:
                    self._poll()
                except PortLostError as exc:
                    self._close()
                    self._absent(str(exc))
                    continue
                except (StoppingError, MemoryError):
                    raise
                except Exception as exc:  # the worker must outlive any surprise: start over
                    log.exception("ID card reader worker failed; reopening the port")
                    self._close()
                    self._absent(f"unexpected error ({type(exc).__name__})")
                    self._stop.wait(self.retry_interval)
                    continue
                if self._wake.wait(self.poll_interval if self._sam_ok else self.retry_interval):
                    self._wake.clear()
        except StoppingError:
            pass
        finally:
            self._close()
            with self._lock:
                self._present = self._card_present = False

    def _open(self) -> bool:
        try:
            self._line.open()
        except PortLostError as exc:
            self._absent(str(exc))
            return False
        self._silent_polls = 0
        try:
            status = self._exchange(f.SAM_STATUS)
            sam_id = self._exchange(f.SAM_ID) if status.ok else None
        except (CardReaderError, PortLostError) as exc:
            self._close()
            self._absent(f"the reader does not answer ({plain(exc)})")
            return False
        with self._lock:
            self._present, self._absence_reported = True, False
            if sam_id is not None and sam_id.ok:
                self._sam_id = format_sam_id(sam_id.data)
        log.info("ID card reader on %s answers (SAM %s)", self.port, self._sam_id or "?")
        self._emit("reader_did_add", self.port)
        self._set_sam(status)
        return True

    def _close(self) -> None:
        self._line.close()

    def _exchange(self, command: tuple[int, int]) -> f.Reply:
        return self._line.exchange(command)

    def _absent(self, problem: str) -> None:
        """The port is gone or silent: report it once per outage, then keep retrying."""
        with self._lock:
            was_present, had_card = self._present, self._card_present
            self._present = self._card_present = False
            self._problem = problem
            report = not self._absence_reported
            self._absence_reported = True
            self._sam_ok = None
        if had_card:
            self._emit("card_did_remove", self.port)
        if was_present:
            log.warning("ID card reader on %s lost: %s", self.port, problem)
            self._emit("reader_did_remove", self.port)
        if report:
            self._emit(
                "reader_did_fail",
                CardReaderError(
                    "no_service",
                    f"The ID card reader is not connected or does not answer ({self.port}: "
                    f"{problem}); retrying every {self.retry_interval:g} s.",
                ),
            )

    def _set_sam(self, reply: f.Reply) -> None:
        ok = reply.ok
        with self._lock:
            was = self._sam_ok
            self._sam_ok = ok
            error = None if ok else f.reply_error(reply, "checking the security module")
            self._problem = "" if error is None else error.message
        if ok and was is False:
            log.info("ID card reader SAM on %s works again", self.port)
        if error is not None and was is not False:
            log.warning("ID card reader SAM fault on %s: %s", self.port, error.reason)
            self._emit("reader_did_fail", CardReaderError("sam", error.message))

    def _poll(self) -> None:
        if not self._sam_ok:
            status = self._poll_exchange(f.SAM_STATUS)
            if status is not None:
                self._set_sam(status)
            return
        found = self._poll_exchange(f.FIND_CARD)
        if found is None:
            return
        if found.sw3 not in (f.SW_CARD_FOUND, f.SW_FIND_FAILED):
            if f.describe_status(found.sw3)[0] == "sam":
                self._set_sam(found)
            else:
                log.info("find card answered %r", found)
            return
        on_pad = found.sw3 == f.SW_CARD_FOUND
        requested = self._read_requested.is_set()
        self._read_requested.clear()
        if on_pad and not self._card_present:
            with self._lock:
                self._card_present = True
            self._emit("card_did_insert", self.port)
            self._read_and_report()
        elif on_pad and requested:
            self._read_and_report()
        elif not on_pad and self._card_present:
            with self._lock:
                self._card_present = False
            self._emit("card_did_remove", self.port)

    def _poll_exchange(self, command: tuple[int, int]) -> f.Reply | None:
        """An exchange while polling: a few silent polls in a row mean the reader is gone."""
        try:
            reply = self._exchange(command)
        except CardReadTimeout as exc:
            self._silent_polls += 1
            if self._silent_polls >= _ABANDON_AFTER_TIMEOUTS:
                raise PortLostError(f"no answer to {_ABANDON_AFTER_TIMEOUTS} polls") from exc
            return None  # no news: the next poll asks again
        except f.FrameError:
            return None
        self._silent_polls = 0
        return reply

    def _read_and_report(self) -> None:
        try:
            data = self._read_card()
        except CardReaderError as error:
            log.info("ID card read failed: %s", error.reason)
            self._emit("reader_did_fail", error)
        else:
            self._emit("card_did_read", data)

    def _read_card(self) -> ResidentIdCardData:
        for attempt in range(1, self.read_attempts + 1):
            try:
                if attempt > 1:
                    self._expect(f.FIND_CARD, "finding the card again")
                self._expect(f.SELECT_CARD, "selecting the card")
                reply = self._expect(f.READ_TEXT_PHOTO, "reading the card")
            except f.FrameError as exc:  # damage on the line: worth one more try
                if attempt < self.read_attempts:
                    log.info("ID card read damaged (%s); trying again", exc.reason)
                    continue
                raise
            return self._decode(reply.data)
        raise AssertionError("unreachable")  # pragma: no cover

    def _expect(self, command: tuple[int, int], doing: str) -> f.Reply:
        try:
            reply = self._exchange(command)
        except PortLostError:
            raise CardReaderError("io", "The ID card reader went away during the read.") from None
        if not reply.ok:
            raise f.reply_error(reply, doing)
        return reply

    def _decode(self, data: bytes) -> ResidentIdCardData:
        if len(data) < 4:
            raise CardReaderError("malformed", "The reader's answer holds no card data.")
        text_len = int.from_bytes(data[0:2], "big")
        photo_len = int.from_bytes(data[2:4], "big")
        if text_len != TEXT_SIZE or len(data) < 4 + text_len + photo_len:
            raise CardReaderError(
                "malformed", "The reader's answer has the wrong layout for a resident ID card."
            )
        photo = data[4 + text_len : 4 + text_len + photo_len]
        card = parse_text(data[4 : 4 + text_len], photo_wlt=photo)
        image = decode_photo(self.photo_decoder, photo)
        return dataclasses.replace(card, photo_image=image) if image is not None else card
