"""One GA/T 467 serial line: the port, one command exchange with a deadline, stale answers dropped.

:class:`SerialLine` is what :class:`devices.cards.gat467.reader.Gat467CardReader`'s worker
talks through (8N1, opened by name with pyserial, exclusively). It knows the frame layer and
what a successful answer to each command looks like, nothing about cards or the SAM's state.
A port that breaks raises :class:`PortLostError`; a stop requested while waiting raises
:class:`StoppingError`; a reader that says nothing in time raises ``CardReadTimeout``.
"""

from __future__ import annotations

import logging
import termios
import threading
from collections.abc import Callable

import serial

from devices.cards.base import CardReaderError, CardReadTimeout
from devices.cards.gat467 import frame as f

log = logging.getLogger(__name__)

# data bytes of a successful reply, per command (None: any length)
_SUCCESS: dict[tuple[int, int], tuple[int, int | None]] = {
    f.RESET_SAM: (f.SW_OK, 0),
    f.SAM_STATUS: (f.SW_OK, 0),
    f.SAM_ID: (f.SW_OK, 16),
    f.FIND_CARD: (f.SW_CARD_FOUND, 4),
    f.SELECT_CARD: (f.SW_OK, 8),
    f.READ_TEXT_PHOTO: (f.SW_OK, None),
}
_LONGEST_REPLY = {f.READ_TEXT_PHOTO: 1295}


class PortLostError(Exception):
    """The port went away (unplugged adapter, emulator gone) or cannot be used."""


class StoppingError(Exception):
    """The reader is stopping: an exchange in progress gives up."""


class SerialLine:
    """The port of one reader; used from the reader's worker thread only."""

    def __init__(self, port: str, baudrate: int, exchange_timeout: float,
                 clock: Callable[[], float], stop: threading.Event) -> None:
        self.port = port
        self.baudrate = baudrate
        self.exchange_timeout = exchange_timeout
        self._clock = clock
        self._stop = stop
        self._serial: serial.Serial | None = None
        self._decoder = f.FrameDecoder()

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    def open(self) -> None:
        """Open the port by name (PortLostError with plain words if it cannot be opened)."""
        try:
            self._serial = serial.Serial(
                port=self.port,
                baudrate=self.baudrate,
                bytesize=serial.EIGHTBITS,
                parity=serial.PARITY_NONE,
                stopbits=serial.STOPBITS_ONE,
                timeout=0.05,
                write_timeout=self.exchange_timeout,
                exclusive=True,
            )
        except (serial.SerialException, OSError, ValueError, termios.error) as exc:
            raise PortLostError(f"port cannot be opened ({plain(exc)})") from exc
        self._decoder = f.FrameDecoder()

    def close(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except Exception:
                log.debug("closing %s failed", self.port, exc_info=True)

    def _deadline_for(self, command: tuple[int, int]) -> float:
        """The exchange timeout plus twice the wire time of the longest answer (slow lines)."""
        longest = _LONGEST_REPLY.get(command, 32)
        return self._clock() + self.exchange_timeout + 2 * longest * 10 / self.baudrate

    def exchange(self, command: tuple[int, int]) -> f.Reply:
        """Send one command and wait for its answer; stale answers are dropped by their shape.

        GA/T 467 answers carry no command code, so a late answer to an abandoned exchange is
        recognised by its status word and data length and skipped.
        """
        port = self._serial
        if port is None:
            raise PortLostError("port closed")
        self._decoder.reset()
        try:
            port.reset_input_buffer()
            port.write(f.encode_command(command))
        except (serial.SerialException, OSError, termios.error) as exc:
            raise PortLostError(f"write failed ({plain(exc)})") from exc
        deadline = self._deadline_for(command)
        success_sw, success_len = _SUCCESS[command]
        while True:
            payload = self._decoder.next_frame()
            if payload is not None:
                reply = f.Reply.parse(payload)
                if reply.sw3 == success_sw and success_len in (None, len(reply.data)):
                    return reply
                if reply.sw3 not in (f.SW_OK, f.SW_CARD_FOUND) and not reply.data:
                    return reply  # an error status answers any command
                log.debug("dropped a stale answer %r while waiting for %02X%02X", reply, *command)
                continue
            if self._stop.is_set():
                raise StoppingError
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise CardReadTimeout(
                    f"The ID card reader did not answer in time (command {command[0]:02X}"
                    f"{command[1]:02X}, {self._decoder.pending} bytes of a partial answer)."
                )
            try:
                port.timeout = min(remaining, 0.05)
                chunk = port.read(max(1, port.in_waiting))
            except (serial.SerialException, OSError, termios.error) as exc:
                raise PortLostError(f"read failed ({plain(exc)})") from exc
            self._decoder.feed(chunk)


def plain(exc: BaseException) -> str:
    """An error in a few plain words (the card error's message, the OS's reason ...)."""
    if isinstance(exc, CardReaderError):
        return exc.message
    if isinstance(exc, termios.error) and len(exc.args) == 2:
        return str(exc.args[1])
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
