"""A simulated card reader for machines where pcscd cannot run (demos, training, CI without PC/SC).

It drives the same social-security card logic (``read_social_security_card``) against the same
virtual card APDU logic (``VirtualCard.process_apdu``), only without pcscd and sockets in between.
"""

from __future__ import annotations

import queue
import threading
from typing import Any

from devices.cards.base import CardReader, CardReaderError, PinVerdict, ReaderStatus
from devices.cards.pcsc.ssse import read_social_security_card, verify_pin
from devices.sim.card.vcard import Profile, VirtualCard

READER_NAME = "Simulated card reader"


class SimulatedCardReader(CardReader):
    """Insert and remove virtual cards by calling ``insert()`` / ``remove()``."""

    def __init__(self, holder: dict[str, Any] | None = None) -> None:
        super().__init__()
        self._holder = holder
        self._lock = threading.Lock()
        self._commands: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._card: VirtualCard | None = None  # owned by the worker thread

    def insert(self, profile: Profile = "ssc") -> None:
        """Put a card on the reader; the worker fires card_did_insert and reads it."""
        self._commands.put(("insert", profile))

    def remove(self) -> None:
        self._commands.put(("remove", None))

    def start(self) -> None:
        if self.is_running():
            return
        self._thread = threading.Thread(target=self._run, name="sim-card-reader", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        thread = self._thread
        if thread is None:
            return
        self._commands.put(("stop", None))
        if thread is not threading.current_thread():
            thread.join(3.0)
        self._thread = None

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def request_read(self) -> None:
        self._commands.put(("read", None))

    @property
    def card_stays_in(self) -> bool:
        """Like the PC/SC reader it stands in for: the card stays in its slot."""
        return True

    @property
    def checks_pins(self) -> bool:
        return True

    def verify_pin(self, pin: str) -> PinVerdict:
        """The virtual card checks the PIN, as over pcscd (same APDUs, no sockets)."""
        with self._lock:
            card = self._card
        if card is None:
            raise CardReaderError("removed", "There is no card in the reader.")
        return verify_pin(card.process_apdu, pin)

    @property
    def card(self) -> VirtualCard | None:
        """The card on the reader (tests block or unblock its PIN)."""
        with self._lock:
            return self._card

    def status(self) -> ReaderStatus:
        with self._lock:
            card = self._card is not None
        running = self.is_running()
        return ReaderStatus(
            backend="simulated",
            name=READER_NAME,
            present=running,
            card_present=card,
            detail=(
                "Simulated card reader, not real hardware: cards are inserted from software "
                "(demo and training mode)."
                + ("" if running else " It is not started.")
            ),
        )

    def _run(self) -> None:
        self._emit("reader_did_add", READER_NAME)
        while True:
            command, arg = self._commands.get()
            if command == "stop":
                return
            if command == "insert":
                if self._card is not None:
                    self._set_card(None)
                    self._emit("card_did_remove", READER_NAME)
                self._set_card(VirtualCard(profile=arg, holder=self._holder))
                self._emit("card_did_insert", READER_NAME)
                self._read()
            elif command == "remove" and self._card is not None:
                self._set_card(None)
                self._emit("card_did_remove", READER_NAME)
            elif command == "read" and self._card is not None:
                self._read()

    def _set_card(self, card: VirtualCard | None) -> None:
        with self._lock:
            self._card = card

    def _read(self) -> None:
        card = self._card
        assert card is not None
        try:
            data = read_social_security_card(card.process_apdu)
        except CardReaderError as error:
            self._emit("reader_did_fail", error)
        else:
            self._emit("card_did_read", data)
